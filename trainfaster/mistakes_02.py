"""The usual wrong answers of exercise 02's visible tests, computed from the references; the student package ships
them as values (`autograder.mistake_tables`).

Each function returns `{what to fix: the wrong answer}` for the inputs it is given, for `mistakes=` of
`trainfaster.checks`; the student package answers only the inputs the visible tests give (`{}` otherwise).
"""

import numpy as np


def ewa_mistakes(theta, beta):
    """What the usual wrong answers of `ewa(theta, beta)` return, each with what to fix."""
    def run(beta_past, weight_new, start):
        v, out = start, []
        for value in theta:
            v = beta_past * v + weight_new * value
            out.append(v)
        return np.array(out)

    right = run(beta, 1 - beta, 0.0)
    return {
        "misses the factor (1 - beta) on theta_t: v_t = beta * v_{t-1} + (1 - beta) * theta_t.":
            run(beta, 1.0, 0.0),
        "swaps beta and (1 - beta): the PAST gets beta, the new value theta_t gets (1 - beta).":
            run(1 - beta, beta, 0.0),
        "starts from v_0 = theta_1; the contract starts from v_0 = 0 (chapter 2 explains the bias this causes).":
            run(beta, 1 - beta, theta[0]) if len(theta) else right,
        "is shifted by one step: v[0] must be v_1 = (1 - beta) * theta_1, not v_0 = 0.":
            np.concatenate([[0.0], right[:-1]]),
        "is bias-corrected: ewa returns the plain v_t; only ewa_bias_corrected divides by (1 - beta**t).":
            right / (1 - beta ** np.arange(1, len(theta) + 1)),
    }


def corrected_mistakes(theta, beta):
    """What the usual wrong answers of `ewa_bias_corrected(theta, beta)` return, each with what to fix."""
    t = np.arange(1, len(theta) + 1)
    previous, corrected_state = 0.0, 0.0
    plain, fed_back = [], []
    for step, value in zip(t, theta):
        previous = beta * previous + (1 - beta) * value
        plain.append(previous)
        corrected_state = (beta * corrected_state + (1 - beta) * value) / (1 - beta**step)
        fed_back.append(corrected_state)
    plain = np.array(plain)
    return {
        "is not bias-corrected: divide v_t by (1 - beta**t).": plain,
        "divides by (1 - beta); the correction is (1 - beta**t), with the power t.": plain / (1 - beta),
        "looks like v / 1 - beta**t: add parentheses, v / (1 - beta**t).": plain - beta**t,
        "feeds the corrected value back into the average: correct a copy, keep the recursion on the plain v_t.":
            np.array(fed_back),
        "uses 1 - beta**(t + 1): the first step is t = 1, so divide v_1 by (1 - beta).": plain / (1 - beta ** (t + 1)),
    }


def ema_mistakes(ema, parameters, decay):
    """The averages the usual wrong answers of `ema_of_weights(ema, parameters, decay)` return, each with what to
    fix."""
    def mix(past, new, keys="Wb"):
        return {k: past * ema[k] + new * p if k[0] in keys else ema[k] for k, p in parameters.items()}

    right = mix(decay, 1 - decay)
    return {
        "swaps decay and (1 - decay): the average so far gets decay (close to 1), the new parameters get 1 - decay.":
            mix(1 - decay, decay),
        "starts from zeros: the average so far is the ema you are given (started at the first parameters, not 0); "
        "mix it with the new parameters.": mix(0.0, 1 - decay),
        "is bias-corrected (divided by 1 - decay or 1 - decay**t): an average started at the first parameters has weights that "
        "already sum to 1, so there is nothing to correct.": {k: v / (1 - decay) for k, v in right.items()},
        "averages only the weights W: the biases b are parameters too; average every key of parameters.":
            mix(decay, 1 - decay, keys="W"),
        "misses the factor (1 - decay) on the new parameters: decay * ema + (1 - decay) * parameters.":
            mix(decay, 1.0),
        "ignores the decay argument (0.999 written in?): use the decay you are given.": mix(0.999, 0.001),
        "returns the new parameters themselves: the point is to average them with the ema you are given.":
            parameters,
        "returns the average unchanged: mix in the new parameters with weight 1 - decay.": ema,
    }
