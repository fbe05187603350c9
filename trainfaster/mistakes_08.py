"""The usual wrong answers of exercise 08's visible tests, computed from the references; the student package ships
them as values (`autograder.mistake_tables`).

Each function returns `{what to fix: the wrong answer}` for the inputs it is given, for `mistakes=` of
`trainfaster.checks`; the student package answers only the inputs the visible tests give (`{}` otherwise).
"""

import numpy as np


def _loss_scale_rules(growth_factor, backoff_factor, growth_interval):
    """The usual wrong update rules of `update_loss_scale`, each with what to fix (each as a function of one step)."""
    g, b, n = growth_factor, backoff_factor, growth_interval

    def no_reset_on_overflow(s, k, inf):
        return (s * b, k) if inf else ((s * g, 0) if k + 1 == n else (s, k + 1))

    def grows_one_step_early(s, k, inf):
        return (s * b, 0) if inf else ((s * g, 0) if k + 1 >= n - 1 else (s, k + 1))

    def grows_one_step_late(s, k, inf):
        return (s * b, 0) if inf else ((s * g, 0) if k == n else (s, k + 1))

    def grows_on_overflow(s, k, inf):
        if k + 1 == n:
            return (s * g * b, 0) if inf else (s * g, 0)
        return (s * b, 0) if inf else (s, k + 1)

    def no_reset_after_growth(s, k, inf):
        return (s * b, 0) if inf else ((s * g, k + 1) if k + 1 >= n else (s, k + 1))

    def swapped(s, k, inf):
        return (s * g, 0) if inf else ((s * b, 0) if k + 1 == n else (s, k + 1))

    def divides(s, k, inf):
        return (s / b, 0) if inf else ((s / g, 0) if k + 1 == n else (s, k + 1))

    def defaults(s, k, inf):
        return (s * 0.5, 0) if inf else ((s * 2.0, 0) if k + 1 == 2000 else (s, k + 1))

    def never_grows(s, k, inf):
        return (s * b, 0) if inf else (s, k + 1)

    return {
        "keeps counting across an overflow: an overflow resets the tracker to 0, so growth needs growth_interval "
        "good steps in a row.": no_reset_on_overflow,
        "grows the scale one good step early: it grows when the tracker, counting this step, reaches "
        "growth_interval.": grows_one_step_early,
        "grows the scale one good step late: count this step first, then compare the tracker with "
        "growth_interval.": grows_one_step_late,
        "grows the scale on a step that overflowed: an overflow step is not a good step, so it only backs off.":
            grows_on_overflow,
        "does not reset the tracker after growing: after a growth the count of good steps starts again from 0.":
            no_reset_after_growth,
        "swaps backoff_factor and growth_factor: an overflow multiplies by backoff_factor, growth by growth_factor.":
            swapped,
        "divides by the factors: the scale is multiplied by backoff_factor on an overflow and by growth_factor "
        "when it grows.": divides,
        "ignores the arguments: use growth_factor, backoff_factor and growth_interval as given, not the defaults.":
            defaults,
        "never grows the scale: after growth_interval good steps in a row it is multiplied by growth_factor.":
            never_grows,
    }


def loss_scale_mistakes(events, scale, growth_tracker, growth_factor, backoff_factor, growth_interval):
    """`{what to fix: the (scale, growth_tracker) after each step}` (an array of shape (steps, 2)) that the usual
    wrong update rules give over the overflow events `events` (True: an overflow), from (scale, growth_tracker)."""
    def run(rule):
        out = [(scale, growth_tracker)]
        for found_inf in events:
            out.append(rule(*out[-1], bool(found_inf)))
        return np.array(out[1:], dtype=float)

    rules = _loss_scale_rules(growth_factor, backoff_factor, growth_interval)
    return {message: run(rule) for message, rule in rules.items()}
