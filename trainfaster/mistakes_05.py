"""The usual wrong answers of exercise 05's visible tests, computed from the references; the student package ships
them as values (`autograder.mistake_tables`).

Each function returns `{message: wrong value}` (`halving_mistakes`, one such dict per round), every message saying
what a student who gave that value should fix. The package answers only the inputs the released notebook's visible
tests give; any other input gets `{}`, and grading, which has this module, names the mistake.
"""

import math

import numpy as np


def log_uniform_mistakes(low, high, size, seed):
    """What the usual wrong answers return from np.random.default_rng(seed), each with what to fix."""
    u = np.random.default_rng(seed).uniform(size=size)  # the draws rng.uniform(a, b, size) scales to a + (b - a) u
    a, b = np.log10(low), np.log10(high)
    mistakes = {
        "is uniform on the linear scale: draw the exponent uniformly, then take 10 ** exponent.": low + (high - low) * u,
        "is 10 ** uniform(low, high): take np.log10 of the bounds first.": 10 ** (low + (high - low) * u),
        "returns the exponents: return 10 ** exponents.": a + (b - a) * u,
        "ignores low and high (always 1e-4 to 1?): draw the exponent from np.log10(low) to np.log10(high).":
            10 ** (-4 + 4 * u),
    }
    logs = {"np.log10": (np.log10, 10.0), "np.log (natural)": (np.log, np.e), "np.log2": (np.log2, 2.0)}
    powers = {"10 ** ...": 10.0, "np.exp(...)": np.e, "2 ** ...": 2.0}
    for log_name, (log, log_base) in logs.items():  # the bounds' logarithm and the power must have the same base
        for power_name, base in powers.items():
            if base != log_base:
                mistakes[f"mixes bases: {log_name} bounds with {power_name}. Undo the logarithm with its own base: "
                         "np.log10 with 10 ** (or np.log with np.exp)."] = base ** (log(low) + (log(high) - log(low)) * u)
    return mistakes


def beta_mistakes(low, high, size, seed):
    """What the usual wrong answers return from np.random.default_rng(seed), each with what to fix."""
    u = np.random.default_rng(seed).uniform(size=size)
    a, b = np.log10(1 - high), np.log10(1 - low)
    with np.errstate(divide="ignore", invalid="ignore"):  # log10(low) for low = 0
        log_beta = 10 ** (np.log10(low) + (np.log10(high) - np.log10(low)) * u)
    return {
        "is uniform in beta: sample 1 - beta on a log scale instead.": low + (high - low) * u,
        "is log-uniform in beta itself: it is 1 - beta that must be log-uniform.": log_beta,
        "returns 1 - beta: return beta = 1 - 10 ** r.": 10 ** (a + (b - a) * u),
        "ignores low and high (always 0.9 to 0.999?): draw r from np.log10(1 - high) to np.log10(1 - low).":
            1 - 10 ** (-3 + 2 * u),
    }


def zoom_mistakes(values, scores, top_k):
    """What the usual wrong answers return, each with what to fix."""
    values, scores = np.asarray(values, dtype=float), np.asarray(scores, dtype=float)
    order = np.argsort(scores)
    worst = values[order[::-1][:top_k]]
    by_value = np.sort(values)[:top_k]
    one_more = values[order[:top_k + 1]]
    return {
        "takes the top_k HIGHEST scores: the best trials have the lowest scores.": (worst.min(), worst.max()),
        "spans every value: keep only the values of the top_k best scores.": (values.min(), values.max()),
        "takes the top_k smallest values: rank the trials by their scores (np.argsort(scores)).":
            (by_value.min(), by_value.max()),
        "returns the values of the best and the top_k-th best trial: return the min and max of the top_k values.":
            (values[order[0]], values[order[min(top_k, len(values)) - 1]]),
        "keeps top_k + 1 trials: np.argsort(scores)[:top_k] keeps exactly top_k.": (one_more.min(), one_more.max()),
    }


def ei_mistakes(mu, sigma, best):
    """What the usual wrong answers return, each with what to fix (never the values themselves)."""
    mu, sigma = np.asarray(mu, dtype=float), np.asarray(sigma, dtype=float)
    erf = np.vectorize(math.erf, otypes=[float]) if mu.size else (lambda x: x)
    cdf = lambda z: 0.5 * (1 + erf(z / math.sqrt(2)))
    pdf = lambda z: np.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
    certain, gain = sigma == 0, best - mu
    with np.errstate(divide="ignore", invalid="ignore"):
        z = gain / np.where(certain, 1.0, sigma)
        right = gain * cdf(z) + sigma * pdf(z)

        def where_uncertain(values):
            return np.where(certain, np.maximum(gain, 0.0), values)

        up = (mu - best) / np.where(certain, 1.0, sigma)
        clipped = np.maximum(gain, 0.0)
        return {
            "clips best - mu at 0 before the formula: the formula already weighs a negative gain by Phi(z), so only "
            "the sigma == 0 case takes max(best - mu, 0).":
                where_uncertain(clipped * cdf(clipped / np.where(certain, 1.0, sigma))
                                + sigma * pdf(clipped / np.where(certain, 1.0, sigma))),
            "clips the gain best - mu at 0 in the first term: the formula already weighs a negative gain by Phi(z), "
            "so only the sigma == 0 case takes max(best - mu, 0).": where_uncertain(clipped * cdf(z) + sigma * pdf(z)),
            "computes z = (mu - best) / sigma while the gain is best - mu: z must have the gain's sign.":
                where_uncertain(gain * cdf(-z) + sigma * pdf(z)),
            "uses mu - best, the improvement of a score to MAXIMIZE: here lower is better, so a candidate improves "
            "when its score falls below best.": np.where(certain, np.maximum(-gain, 0.0),
                                                         -gain * cdf(up) + sigma * pdf(up)),
            "has the density and the CDF swapped: the gain best - mu is weighted by the probability Phi(z), the "
            "sigma term by the density phi(z).": where_uncertain(gain * pdf(z) + sigma * cdf(z)),
            "leaves out the sigma * phi(z) term: that term is what uncertainty adds (exploration).":
                where_uncertain(gain * cdf(z)),
            "uses z = best - mu, not divided by sigma: z counts standard deviations.":
                where_uncertain(gain * cdf(gain) + sigma * pdf(gain)),
            "returns Phi(z), the probability of improvement, not the expected improvement.": where_uncertain(cdf(z)),
            "uses phi(z) without its factor 1 / sqrt(2 pi).":
                where_uncertain(gain * cdf(z) + sigma * np.exp(-0.5 * z**2)),
            "computes Phi(z) as (1 + erf(z)) / 2: the standard normal's CDF is (1 + erf(z / sqrt(2))) / 2.":
                where_uncertain(gain * 0.5 * (1 + erf(z)) + sigma * pdf(z)),
            "uses sigma squared where sigma belongs: sigma is already the standard deviation.":
                where_uncertain(gain * cdf(gain / np.where(certain, 1.0, sigma**2))
                                + sigma**2 * pdf(gain / np.where(certain, 1.0, sigma**2))),
            "gives 0 where sigma == 0: a certain prediction below best improves by best - mu.":
                np.where(certain, 0.0, right),
            "gives best - mu where sigma == 0, negative when mu > best: an improvement is never negative.":
                np.where(certain, gain, right),
            "gives nan where sigma == 0 (0 / 0 where mu == best): handle sigma == 0 on its own, as the formula above "
            "says, without dividing by sigma.": np.where(certain & (gain == 0), np.nan, where_uncertain(right)),
        }


def halving_mistakes(rounds, first_scores):
    """`{round r: {message: the wrong survivors of round r - 1, sorted ids}}` for successive halving's rounds r >= 1.

    `rounds` lists the expected rounds as (budget, ids in evaluation order, their scores); `first_scores` maps each
    config's id to its score in round 0."""
    mistakes = {}
    for r in range(1, len(rounds)):
        _, previous_ids, previous_scores = rounds[r - 1]
        keep, m = len(rounds[r][1]), len(previous_ids)
        by_score = sorted(range(m), key=lambda i: previous_scores[i])
        by_first = sorted(previous_ids[i] for i in sorted(range(m), key=lambda i: first_scores[previous_ids[i]])[:keep])
        wrong = {"it kept the highest scores: lower is better, so keep the configs with the lowest scores.":
                 sorted(previous_ids[i] for i in by_score[::-1][:keep])}
        if r > 1 and by_first != sorted(rounds[r][1]):
            wrong["it ranked by the scores of round 0: rank each round by the scores that round just computed."] = (
                by_first)
        mistakes[r] = wrong
    return mistakes
