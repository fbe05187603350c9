"""Data sets of the course, generated or loaded from installed packages (never downloaded)."""

import numpy as np


def make_moons(m=300, noise=0.2, seed=0):
    """Two interleaving half circles: the course's 2-D, two-class data set.

    Returns `X` of shape `(2, m)` (one example per column) and `Y` of shape `(1, m)` with labels 0 and 1.
    The first `m // 2` examples form the upper moon (label 0), the rest the lower moon (label 1); call
    `random_mini_batches` or index with a permutation to shuffle them. Same `seed`, same data.
    """
    if m < 2:
        raise ValueError(f"make_moons needs m >= 2 examples, got m={m}")
    rng = np.random.default_rng(seed)
    m_upper = m // 2
    angles = np.concatenate([np.linspace(0, np.pi, m_upper), np.linspace(0, np.pi, m - m_upper)])
    upper = np.stack([np.cos(angles[:m_upper]), np.sin(angles[:m_upper])])
    lower = np.stack([1 - np.cos(angles[m_upper:]), 0.5 - np.sin(angles[m_upper:])])
    X = np.concatenate([upper, lower], axis=1) + noise * rng.standard_normal((2, m))
    Y = np.concatenate([np.zeros(m_upper), np.ones(m - m_upper)]).reshape(1, m)
    return X, Y


def seattle_temperatures():
    """Seattle's daily maximum temperatures, 2012-01-01 to 2015-12-31 (1461 days), in degrees Celsius.

    Loaded from the copy `vega_datasets` ships for offline use (`data.seattle_weather()`, column
    `temp_max`). Returns `(dates, temperatures)`: a `datetime64[D]` array and a float64 array.
    """
    from vega_datasets import data

    weather = data.seattle_weather()
    dates = weather["date"].to_numpy().astype("datetime64[D]")
    return dates, weather["temp_max"].to_numpy(dtype=np.float64)
