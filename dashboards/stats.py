"""Small statistics the views need, computed on already-aggregated tables.

Kept apart from plotting so that they can be tested on numbers: t intervals across
seeds, paired differences against the baseline, Kaplan-Meier survival from grouped spell
counts and the cost-effectiveness frontier.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats


def t_interval(values: np.ndarray | pd.Series) -> tuple[float, float, float, int]:
    """Mean and 95% t interval across seeds; the interval is NaN with fewer than two."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = int(x.size)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    if n < 2:
        return mean, math.nan, math.nan, n
    half = float(stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half, n


PAIRED_COLUMNS = (
    "configuration",
    "mean",
    "ci_low",
    "ci_high",
    "diff_mean",
    "diff_ci_low",
    "diff_ci_high",
    "n_pairs",
)


def paired(runs: pd.DataFrame, column: str, baseline: str) -> pd.DataFrame:
    """Per configuration: the mean of ``column`` and its paired difference against the
    baseline over the seeds both share (common random numbers make pairs comparable).

    Columns: configuration, mean, ci_low, ci_high, diff_mean, diff_ci_low, diff_ci_high,
    n_pairs.
    """
    keys = ["seed", "replicate"]
    if column not in runs.columns:
        return pd.DataFrame(columns=list(PAIRED_COLUMNS))
    base = runs[runs["configuration"] == baseline].set_index(keys)[column]
    base = base[~base.index.duplicated()]
    rows = []
    for configuration, group in runs.groupby("configuration", sort=False):
        mean, lo, hi, _ = t_interval(group[column])
        own = group.set_index(keys)[column]
        own = own[~own.index.duplicated()]
        common = own.index.intersection(base.index)
        d_mean, d_lo, d_hi, n_pairs = t_interval((own[common] - base[common]).to_numpy())
        rows.append((configuration, mean, lo, hi, d_mean, d_lo, d_hi, n_pairs))
    return pd.DataFrame(
        rows,
        columns=[
            "configuration",
            "mean",
            "ci_low",
            "ci_high",
            "diff_mean",
            "diff_ci_low",
            "diff_ci_high",
            "n_pairs",
        ],
    )


def kaplan_meier(spells: pd.DataFrame, horizon: int | None = None) -> pd.DataFrame:
    """Kaplan-Meier survival of spells from grouped counts.

    ``spells`` has duration_months, outcome (``censored`` or an exit) and count. A spell
    that ended at duration t is an event at t; a censored spell is at risk through t.
    Returns months (0..max) and survival S(t) = share still unemployed after t months.
    """
    if spells.empty:
        return pd.DataFrame({"months": [0], "survival": [1.0], "at_risk": [0]})
    d = spells["duration_months"].astype(int).to_numpy()
    c = spells["count"].astype(float).to_numpy()
    ended = (spells["outcome"].astype(str) != "censored").to_numpy()
    top = int(d.max()) if horizon is None else min(int(d.max()), horizon)
    events = np.bincount(d[ended], weights=c[ended], minlength=int(d.max()) + 1)
    total = np.bincount(d, weights=c, minlength=int(d.max()) + 1)
    at_risk = total[::-1].cumsum()[::-1]  # spells lasting at least t months
    with np.errstate(invalid="ignore", divide="ignore"):
        hazard = np.where(at_risk > 0, events / at_risk, 0.0)
    survival = np.cumprod(1.0 - hazard)
    months = np.arange(top + 1)
    return pd.DataFrame(
        {"months": months, "survival": survival[: top + 1], "at_risk": at_risk[: top + 1]}
    )


def ltu_share(spells: pd.DataFrame, months: int = 12) -> float:
    """Share of spells that lasted at least ``months`` (completed or still running)."""
    total = float(spells["count"].sum())
    if total <= 0:
        return math.nan
    return float(spells.loc[spells["duration_months"] >= months, "count"].sum()) / total


def frontier(cost: np.ndarray, effect: np.ndarray) -> np.ndarray:
    """Indices of the efficient frontier, by rising cost: no other point costs less (or
    the same) and achieves as much or more."""
    cost = np.asarray(cost, dtype=float)
    effect = np.asarray(effect, dtype=float)
    ok = np.flatnonzero(np.isfinite(cost) & np.isfinite(effect))
    order = ok[np.lexsort((-effect[ok], cost[ok]))]
    best = -math.inf
    keep = []
    for i in order:
        if effect[i] > best:
            keep.append(int(i))
            best = effect[i]
    return np.asarray(keep, dtype=int)
