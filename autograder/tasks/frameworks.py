"""Exercise 8's derive tasks: how far PyTorch's momentum moves next to the course's, the loss scales that
keep a range of gradients representable in float16, and where dynamic loss scaling ends after a run."""

import math

from autograder.tasks import Task, Value

SLUG = "08_frameworks"
FLOAT16_MAX, FLOAT16_NORMAL, FLOAT16_TINY = 65504.0, 2.0 ** -14, 2.0 ** -24


def _torch_move(p, damp_first=False, dampening=None):
    """W's total move after `steps` steps of SGD(lr=alpha, momentum=beta, dampening) on a constant gradient 1."""
    d = p["dampening"] if dampening is None else dampening
    buf, move = None, 0.0
    for _ in range(p["steps"]):
        buf = (1 - d if damp_first else 1.0) if buf is None else p["beta"] * buf + (1 - d)
        move += p["alpha"] * buf
    return move


def _course_move(p):
    v, move = 0.0, 0.0
    for _ in range(p["steps"]):
        v = p["beta"] * v + (1 - p["beta"])
        move += p["alpha"] * v
    return move


def _power_up(x):
    return 2.0 ** math.ceil(math.log2(x))


def _power_down(x):
    return 2.0 ** math.floor(math.log2(x))


TASKS = [
    Task(SLUG, "momentum_distance", ("alpha", "beta", "dampening", "steps"), [
        Value("torch_move", _torch_move, rtol=2e-3,
              mistakes=lambda p: [(_torch_move(p, damp_first=True), "torch does not dampen the first step: its buffer "
                                  "starts at the first gradient itself."),
                                  (_torch_move(p, dampening=0.0), "that leaves out the dampening from the second step "
                                  "on."),
                                  (p["alpha"] * p["steps"], "that is plain gradient descent; the buffer adds up."),
                                  (_course_move(p), "that is the course's momentum, not torch's buffer."),
                                  (_torch_move(p) / p["alpha"], "that is the sum of the buffers; W moves by lr times "
                                  "each.")],
              hint="Write torch's buffer step by step (the first step is special), then add up lr * buf."),
        Value("course_move", _course_move, rtol=2e-3,
              mistakes=lambda p: [(p["alpha"] * p["steps"], "that moves alpha at every step, as if v were 1 from "
                                  "the start (or bias-corrected): the course's v starts at 0 and has no bias "
                                  "correction."),
                                  (_torch_move(p, dampening=0.0), "that is torch's undamped buffer; the course's v "
                                  "averages with weights beta and 1 - beta."),
                                  (p["alpha"] * (1 - p["beta"]) * p["steps"], "v_t = beta v_{t-1} + (1 - beta) grows "
                                  "beyond its first value 1 - beta.")],
              hint="v_t for a constant gradient 1 is a geometric sum; add up alpha * v_t."),
    ]),
    Task(SLUG, "loss_scale_range", ("smallest_gradient", "largest_gradient"), [
        Value("min_scale", lambda p: _power_up(FLOAT16_NORMAL / p["smallest_gradient"]), rtol=1e-9,
              mistakes=lambda p: [(_power_up(FLOAT16_TINY / p["smallest_gradient"]), "that only keeps the gradient "
                                  "from flushing to zero: it is then a subnormal float16, with few significant bits. "
                                  "Ask for a normal number."),
                                  (FLOAT16_NORMAL / p["smallest_gradient"], "a loss scale here is a power of two."),
                                  (_power_down(FLOAT16_NORMAL / p["smallest_gradient"]), "that rounds down, one power "
                                  "too small: the scaled gradient stays below the smallest normal float16."),
                                  (_power_up(2.0 ** -126 / p["smallest_gradient"]), "that is float32's smallest normal "
                                  "number; the gradients are float16.")],
              hint="Find the smallest normal float16 number, and the power of two that lifts your gradient to it."),
        Value("max_scale", lambda p: _power_down(FLOAT16_MAX / p["largest_gradient"]), rtol=1e-9,
              mistakes=lambda p: [(_power_up(FLOAT16_MAX / p["largest_gradient"]), "that rounds up: the scaled "
                                  "gradient overflows to inf."),
                                  (FLOAT16_MAX / p["largest_gradient"], "a loss scale here is a power of two."),
                                  (_power_down(3.4028234663852886e38 / p["largest_gradient"]), "that is float32's "
                                  "largest number; the gradients are float16.")],
              hint="Find float16's largest finite number and the largest power of two that keeps your gradient "
                   "below it."),
    ]),
]


START_SCALE = 2.0 ** 16


def _run(p, rule="right"):
    """(scale, growth_tracker) after `num_steps` steps of dynamic loss scaling (growth 2, backoff 0.5), from 2**16 and
    tracker 0, when steps overflow_every, 2 * overflow_every, ... overflow; `rule` names a known wrong update."""
    n, every = p["growth_interval"], p["overflow_every"]
    scale, tracker = START_SCALE, 0
    for step in range(1, p["num_steps"] + 1):
        inf = step % every == 0
        if rule == "every step counts":  # the overflow step counted as a good one too
            tracker += 1
            if tracker == n:
                scale, tracker = scale * 2, 0
            if inf:
                scale, tracker = scale * 0.5, 0
        elif inf:
            scale, tracker = scale * 0.5, (tracker if rule == "no reset on overflow" else 0)
        else:
            tracker += 1
            limit = n - 1 if rule == "early" else (n + 1 if rule == "late" else n)
            if tracker >= limit:
                scale, tracker = scale * 2, (tracker if rule == "no reset after growth" else 0)
    if rule == "off by one step":
        return _run({**p, "num_steps": p["num_steps"] - 1})
    return scale, tracker


def _loss_scale_mistakes(index):
    def mistakes(p):
        right = _run(p)[index]
        found = {}
        for rule, meaning in (
                ("no reset on overflow", "that keeps counting good steps across an overflow: an overflow resets "
                 "the tracker to 0."),
                ("early", "that grows one good step too early: the scale grows when the tracker reaches "
                 "growth_interval, counting the step just taken."),
                ("late", "that grows one good step too late: count the step, then compare with growth_interval."),
                ("every step counts", "that counts the overflowing steps as good ones: an overflow step only backs "
                 "off."),
                ("no reset after growth", "that keeps counting after a growth: the tracker restarts at 0."),
                ("off by one step", "that stops one step short: count num_steps steps, from step 1.")):
            value = _run(p, rule)[index]
            if value != right:
                found.setdefault(value, []).append(meaning)
        return [(value, meanings[0]) for value, meanings in found.items() if len(meanings) == 1]  # never a wrong name
    return mistakes


TASKS.append(Task(SLUG, "loss_scale_after", ("growth_interval", "overflow_every", "num_steps"), [
    Value("scale", lambda p: _run(p)[0], rtol=1e-9, mistakes=_loss_scale_mistakes(0),
          hint="Write the steps in a table: which ones overflow, the tracker after each, and when the scale changes."),
    Value("growth_tracker", lambda p: _run(p)[1], rtol=1e-9, mistakes=_loss_scale_mistakes(1),
          hint="The tracker counts good steps since the scale last changed; follow it through your table."),
]))
