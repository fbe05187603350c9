"""Exercise 4's derive and predict tasks: a run's last rate and Adam's first warmup step, and how far each
schedule can ever move the weights."""

import math

from autograder.tasks import Task, Value

SLUG = "04_learning_rate_decay"


def inverse_time_epochs(p):
    """The first number of epochs T with sum_{t < T} 1 / (1 + decay_rate t) >= 1 / (1 - base)."""
    target, total, epochs = 1 / (1 - p["base"]), 0.0, 0
    while total < target:
        total += 1 / (1 + p["decay_rate"] * epochs)
        epochs += 1
    return epochs


def _no_minus_one(p):
    """e**x / decay_rate (x = decay_rate / (1 - base)): solving ln(decay_rate T) = x, the 1 of ln(1 + decay_rate T)
    forgotten. 14 % to 60 % above the answer in the ranges, so graded wrong everywhere; named only where it lies more
    than 5 tolerances (40 %) away, as every named mistake (tests/test_derive_tasks.py), at the smaller x."""
    return math.exp(p["decay_rate"] / (1 - p["base"])) / p["decay_rate"]


TASKS = [
    Task(SLUG, "predict_schedules", ("num_epochs", "warmup_steps"), [
        Value("last_rate", lambda p: 1 / p["num_epochs"], rtol=2e-3,
              mistakes=lambda p: [(1 / (p["num_epochs"] + 1), "that is the epoch after the last one: epochs count from "
                                  "0."),
                                  (1 / (p["num_epochs"] - 1), "that is the rate of the epoch before the last one.")],
              hint="Epochs count from 0."),
        Value("half_decay_rate", lambda p: 1 / (p["num_epochs"] - 1), rtol=2e-3,
              mistakes=lambda p: [(1 / p["num_epochs"], "that halves the rate at an epoch the run never reaches."),
                                  (0.5, "that halves the rate already at epoch 2."),
                                  (2 / p["num_epochs"], "that halves it in the middle of the run.")],
              hint="Set the rate of the last epoch to alpha_0 / 2."),
        Value("first_adam_step", lambda p: 1 / p["warmup_steps"], rtol=2e-3,
              mistakes=lambda p: [(1.0, "that is Adam's first step without warmup."),
                                  (0.1 / p["warmup_steps"], "the 1 - beta1 and 1 - beta2 cancel in the bias "
                                  "correction."),
                                  (1 / (p["warmup_steps"] + 1), "warmup's step 0 uses (0 + 1) / warmup_steps.")],
              hint="What are v_hat and s_hat after one step?"),
    ]),
    Task(SLUG, "schedule_reach", ("learning_rate0", "base", "decay_rate", "distance"), [
        Value("exponential_total", lambda p: p["learning_rate0"] / (1 - p["base"]), rtol=2e-3,
              mistakes=lambda p: [(p["learning_rate0"] * p["base"] / (1 - p["base"]), "that starts the sum at epoch "
                                  "1; epoch 0 has the rate learning_rate0."),
                                  (1 / (1 - p["base"]), "the sum is in units of learning_rate0: multiply by it."),
                                  (p["learning_rate0"] * (1 - p["base"]), "that is the first term times (1 - base), "
                                  "not the geometric series.")],
              hint="Sum the geometric series of the rates."),
        Value("smallest_base", lambda p: 1 - p["learning_rate0"] / p["distance"], rtol=2e-3,
              mistakes=lambda p: [(p["learning_rate0"] / p["distance"], "that is 1 - base, not base."),
                                  (1 - p["distance"] / p["learning_rate0"], "learning_rate0 and distance are "
                                   "swapped.")],
              hint="Exponential decay reaches the distance only if its total is at least the distance."),
        Value("inverse_time_epochs", inverse_time_epochs, rtol=0.08,
              mistakes=lambda p: [(round(1 / (1 - p["base"])), "that is how long a constant rate learning_rate0 "
                                  "needs; inverse-time decay slows down."),
                                  (round(1 / ((1 - p["base"]) * p["decay_rate"])), "that divides by decay_rate "
                                  "instead of solving (1/decay_rate) ln(1 + decay_rate T) = 1/(1 - base)."),
                                  *([(_no_minus_one(p), "that solves ln(decay_rate T) = decay_rate/(1 - base); the "
                                      "logarithm is of 1 + decay_rate T.")]
                                    if abs(_no_minus_one(p) - inverse_time_epochs(p)) > 0.4 * inverse_time_epochs(p)
                                    else [])],
              hint="The sum of 1/(1 + decay_rate t) over t < T is about ln(1 + decay_rate T) / decay_rate."),
    ]),
]


# Warmup-stable-decay (issue 24): where the full rate ends, and how much rate the schedule spends.
def _wsd_sum(p):
    """sum over the run of wsd_schedule(1, step, T, W, D) = T - (W + D) / 2 + 1 for W >= 1 (with W = 0 there is no
    warmup half step: T - D / 2 + 1 / 2; the graded warmup_steps are all >= 16)."""
    T, W, D = p["wsd_total_steps"], p["warmup_steps"], p["wsd_decay_steps"]
    return T - W - D + (W + 1) / 2 + (D + 1) / 2


TASKS.append(
    Task(SLUG, "wsd_budget", ("wsd_total_steps", "warmup_steps", "wsd_decay_steps"), [
        Value("last_full_step", lambda p: p["wsd_total_steps"] - p["wsd_decay_steps"], rtol=0,
              mistakes=lambda p: [(p["wsd_total_steps"] - p["wsd_decay_steps"] - 1, "that step has the full rate, "
                                  "but it is not the last one that has it: check the decay's factor at its first "
                                  "step."),
                                  (p["wsd_total_steps"] - 1, "that is the last step of the run, which has "
                                  "learning_rate / decay_steps."),
                                  (p["wsd_decay_steps"], "the decay takes the last decay_steps steps, not the steps "
                                  "from decay_steps on.")],
              hint="Write the decay's factor (T - step) / D at the first steps of the decay."),
        Value("sum_of_rates", _wsd_sum, rtol=1e-5,  # exact: half-integers; a half step must count
              mistakes=lambda p: [(p["wsd_total_steps"] - (p["warmup_steps"] + p["wsd_decay_steps"]) / 2, "the warmup "
                                  "and the decay each hold one half step more: the warmup's factors are 1/W, 2/W, ..., "
                                  "W/W, the decay's D/D, ..., 1/D."),
                                  (p["wsd_total_steps"] - p["warmup_steps"] - p["wsd_decay_steps"], "that counts only "
                                  "the stable phase; the warmup and the decay spend rate too."),
                                  (float(p["wsd_total_steps"]), "that is a constant rate for the whole run; the warmup "
                                  "and the decay spend less."),
                                  (p["wsd_total_steps"] - (p["warmup_steps"] + p["wsd_decay_steps"]) / 2 + 0.5,
                                   "one of "
                                  "the two ramps is short by half a step: recount the factors of the warmup and of the "
                                  "decay.")],
              hint="Sum each phase: the warmup's (step + 1) / W, the stable phase's 1s, the decay's (T - step) / D."),
    ]))
