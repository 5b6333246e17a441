"""Student-t 95% intervals over replicates, shared by the analysis commands."""

from __future__ import annotations

import numpy as np
from scipy import stats


def mean_interval(x) -> tuple[float, float, float]:
    """Mean of ``x`` over replicates and its 95% interval (NaN bounds with one value)."""
    x = np.asarray(x, dtype=np.float64)
    mean = float(x.mean())
    if x.size < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return mean, mean - half, mean + half


def paired_interval(base, alt) -> tuple[float, float, float, float, bool]:
    """Paired difference ``alt - base`` over replicates (common random numbers): the base
    mean, the mean difference, its 95% interval and whether the interval excludes 0."""
    base = np.asarray(base, dtype=np.float64)
    mean, lo, hi = mean_interval(np.asarray(alt, dtype=np.float64) - base)
    return float(base.mean()), mean, lo, hi, bool(abs(mean) > (hi - mean))
