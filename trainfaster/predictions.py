"""The graded tests of the exercises' predictions: the right numbers and why, kept out of the notebooks.

A prediction's test cell calls one of these, so the student sees neither the answer nor its derivation
before answering; a wrong answer then gets `check_prediction`'s explanation of the right one.
"""

from trainfaster.checks import check_prediction


def _unpack(name, answer, count, what):
    if not isinstance(answer, tuple) or len(answer) != count:
        raise AssertionError(f"{name}() returned {answer!r}; return {count} numbers: {what}.")
    return answer


def check_predict_mini_batches(answer):
    """Exercise 1: the batches of an epoch over m = 1000 at b = 64, and the noise factor from b = 64 to 256."""
    batches, last, factor = _unpack("predict_mini_batches", answer, 3, "(batches, last size, factor)")
    check_prediction("the number of mini-batches", batches, 16, tolerance=0,
                     mistakes={15: "15 counts only the full mini-batches.", 15.625: "A batch count is a whole number."},
                     explanation="1000 // 64 = 15 full mini-batches hold 960 examples, and the remaining 40 make one more.")
    check_prediction("the size of the last mini-batch", last, 40, tolerance=0,
                     mistakes={64: "Only the full batches hold 64 examples.",
                               24: "24 is what a 16th batch would lack, not what it holds."},
                     explanation="15 full batches of 64 hold 960 examples, so the last one holds 1000 - 960 = 1000 % 64 = 40.")
    check_prediction("the noise factor from b = 64 to b = 256", factor, 0.5, tolerance=0.01,
                     mistakes={0.25: "0.25 is the factor of the variance, sigma**2 / b; the standard deviation is its square root.",
                               2.0: "A larger batch averages more gradients, so the noise shrinks.",
                               4.0: "A larger batch averages more gradients, so the noise shrinks."},
                     explanation="The variance of a mean of b independent gradients is sigma**2 / b, so its standard "
                                 "deviation is sigma / sqrt(b): 4 times the batch gives sqrt(64 / 256) = 0.5, half the noise.")


def check_predict_ewa(answer):
    """Exercise 2: v_50 of a constant series 10 at beta = 0.98, and the first t with 1 / (1 - 0.95**t) < 1.01."""
    v_50, t_fade = _unpack("predict_ewa", answer, 2, "(v_50, t)")
    check_prediction("v_50", v_50, round(10 * (1 - 0.98**50), 2), tolerance=0.01,
                     mistakes={10.0: "An average of a constant series would be 10, but v_0 = 0 still holds part of the weight.",
                               10 * 0.98**50: "That is the missing part, 10 * 0.98**50, not what is left.",
                               10 * (1 - 1 / 2.718281828): "That takes 0.98**50 as 1/e = 0.368; it is 0.364."},
                     explanation="The weights (1 - beta) * beta**k of v_50 sum to 1 - 0.98**50 = 0.636, and every theta "
                                 "is 10, so v_50 = 10 * 0.636 = 6.36: still 36 % low after 50 steps, one window 1/(1 - beta).")
    check_prediction("the first step with a correction below 1 %", t_fade, 90, tolerance=0,
                     mistakes={92: "92 is the rule of thumb 4.6 / (1 - beta); the exact step uses ln(beta), not 1 - beta.",
                               89: "At t = 89, 0.95**89 = 0.0104 is still above 1/101 = 0.0099.",
                               20: "20 is the window 1/(1 - beta); the correction lasts several windows."},
                     explanation="1 / (1 - 0.95**t) < 1.01 means 0.95**t < 1 - 1/1.01 = 1/101, so t > ln(101) / -ln(0.95) "
                                 "= 89.98: the first such step is t = 90, about 4.5 windows of 1/(1 - beta) = 20 steps.")
