"""Exercise 2's derive and predict tasks: the bias of a constant series, when the correction fades, and the
EWA's noise-variance factor."""

import math

from autograder.tasks import Task, Value

SLUG = "02_exponentially_weighted_averages"


def _bound(p):
    return math.log(1 - 1 / p["threshold"]) / math.log(p["beta2"])


def _fade(p):
    return math.floor(_bound(p)) + 1


TASKS = [
    Task(SLUG, "predict_ewa", ("level", "beta", "steps", "beta2", "threshold"), [
        Value("v_steps", lambda p: p["level"] * (1 - p["beta"] ** p["steps"]), rtol=2e-3,
              mistakes=lambda p: [(p["level"], "an average of a constant series would be the constant, but v_0 = 0 "
                                  "still holds part of the weight."),
                                  (p["level"] * p["beta"] ** p["steps"], "that is the missing part (the weight on "
                                  "v_0 = 0), not what is left."),
                                  (p["level"] * (1 - p["beta"] ** (p["steps"] - 1)), "one step short: v_t holds the "
                                  "weights of t values."),
                                  (p["level"] * (1 - p["beta"] ** (p["steps"] + 1)), "one step too many: v_t holds "
                                  "the weights of t values."),
                                  (p["level"] * (1 - p["beta"]) * p["steps"], "that adds (1 - beta) * level per step "
                                  "without the decay of the earlier terms.")],
              hint="Sum the weights (1 - beta) * beta**k of the values in v_t."),
        Value("first_step", _fade, rtol=0,
              # round(bound) is the floor below when the bound's fraction is below 0.5 (22 sets of 25) and the answer
              # otherwise, where it is graded right
              mistakes=lambda p: [(math.floor(_bound(p)), "at that step the factor 1/(1 - beta**t) is still above the "
                                  "threshold."),
                                  (math.ceil(math.log(1 - 1 / p["threshold"]) / -(1 - p["beta2"])), "that is the rule "
                                  "of thumb, -ln(beta) replaced by 1 - beta; the exact step uses ln(beta)."),
                                  (round(1 / (1 - p["beta2"])), "that is the window 1/(1 - beta); the correction lasts "
                                  "several windows."),
                                  (math.floor(math.log(p["threshold"] - 1) / math.log(p["beta2"])) + 1, "that solves "
                                  "beta**t < threshold - 1, the approximation 1/(1 - x) = 1 + x; solve the exact "
                                  "inequality.")],
              hint="Solve 1/(1 - beta**t) < threshold for t, then take the first integer."),
    ]),
    Task(SLUG, "ewa_noise_factor", ("noise_beta",), [
        Value("variance_factor", lambda p: (1 - p["noise_beta"]) / (1 + p["noise_beta"]), rtol=2e-3,
              mistakes=lambda p: [(1 - p["noise_beta"], "that is 1 over the window 1/(1 - beta), which counts the "
                                  "days weighed; the variance sums the squared weights."),
                                  ((1 - p["noise_beta"]) ** 2, "that is only the first squared weight; sum all of "
                                  "them, (1 - beta)**2 * beta**(2k)."),
                                  (math.sqrt((1 - p["noise_beta"]) / (1 + p["noise_beta"])), "that is the factor of "
                                  "the standard deviation; the question asks for the variance."),
                                  (1 / (1 - p["noise_beta"] ** 2), "that sums beta**(2k) but forgets the (1 - beta)**2 "
                                  "of the weights.")],
              hint="v_t is a weighted sum of independent values: its variance is the sum of the squared weights "
                   "times sigma**2."),
        Value("equivalent_samples", lambda p: (1 + p["noise_beta"]) / (1 - p["noise_beta"]), rtol=2e-3,
              mistakes=lambda p: [(1 / (1 - p["noise_beta"]), "that is the window 1/(1 - beta), the days the average "
                                  "weighs; a plain mean of that many values is less noisy than the EWA."),
                                  (2 / (1 - p["noise_beta"]), "that approximates (1 + beta)/(1 - beta) for beta near "
                                  "1; give the exact value."),
                                  ((1 - p["noise_beta"]) / (1 + p["noise_beta"]), "that is the variance factor; a mean "
                                  "of n values has variance sigma**2 / n.")],
              hint="A plain mean of n independent values has variance sigma**2 / n."),
    ]),
]


# The EMA of the weights (issue 24): how long the first parameters keep a share, and the share of the recent steps.
def _first_below(p):
    """The first number of updates n with ema_decay**n < first_share."""
    return math.floor(math.log(p["first_share"]) / math.log(p["ema_decay"])) + 1


TASKS.append(
    Task(SLUG, "ema_weight_shares", ("ema_decay", "first_share", "recent_steps"), [
        Value("steps_until_below", _first_below, rtol=0,
              mistakes=lambda p: [(_first_below(p) - 1, "after that many updates the first parameters still hold at "
                                  "least that share: check the weight at that count against first_share."),
                                  (math.ceil(math.log(1 / p["first_share"]) / (1 - p["ema_decay"])), "that is the rule "
                                  "of thumb, -ln(decay) replaced by 1 - decay; the exact count uses ln(decay)."),
                                  (round(1 / (1 - p["ema_decay"])), "that is the window 1/(1 - decay); after it the "
                                  "first parameters still hold about 1/e of the weight."),
                                  (math.floor(math.log(p["first_share"]) / math.log(1 - p["ema_decay"])) + 1, "that "
                                  "uses (1 - decay)**n, the weight of one later step, not decay**n, the weight left "
                                  "on the start.")],
              hint="Write the weight the average still puts on its starting point after n updates, then solve for n."),
        Value("recent_share", lambda p: 1 - p["ema_decay"] ** p["recent_steps"], rtol=1e-5,  # "one step short"
              # differs by only d**(N-1) (1 - d) / (1 - d**N), 6.6e-5 relative at d = 0.99, N = 500 (rev-a 2)
              mistakes=lambda p: [(p["ema_decay"] ** p["recent_steps"], "that is the share of everything BEFORE the "
                                  "last recent_steps steps."),
                                  (p["recent_steps"] * (1 - p["ema_decay"]), "that adds 1 - decay per step, as if the "
                                  "recent weights did not decay; sum the geometric series."),
                                  (min(1.0, p["recent_steps"] * (1 - p["ema_decay"])), "that adds 1 - decay per step, "
                                  "as if the recent weights did not decay; sum the geometric series."),
                                  (1 - p["ema_decay"] ** (p["recent_steps"] - 1), "one step short: the last "
                                  "recent_steps steps include the newest one.")],
              hint="Sum the weights (1 - decay) * decay**i of the newest recent_steps parameters (i = 0, 1, ...)."),
    ]))
