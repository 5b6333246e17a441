"""Small statistics the views need, computed on already-aggregated tables.

Kept apart from plotting so that they can be tested on numbers: t intervals across
seeds, paired differences against the baseline, Kaplan-Meier survival from grouped spell
counts and the cost-effectiveness frontier (beyond noise).
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


def detectable(low: float, high: float) -> bool:
    """A difference the seeds agree on: its 95% interval is known and excludes zero."""
    return bool(math.isfinite(low) and math.isfinite(high) and (low > 0 or high < 0))


def pooled_difference(
    runs: pd.DataFrame, column: str, baseline: str, members: list[str]
) -> tuple[float, float, float, int]:
    """Mean over ``members`` of each one's paired difference from the baseline, seed by
    seed, then the t interval of that per-seed mean across seeds: the interval of a
    cell of the alignment matrix (a main effect averaged over several configurations)."""
    if column not in runs.columns or not members:
        return math.nan, math.nan, math.nan, 0
    wide = runs.pivot_table(
        index=["seed", "replicate"], columns="configuration", values=column, aggfunc="first"
    )
    if baseline not in wide.columns:
        return math.nan, math.nan, math.nan, 0
    cols = [m for m in members if m in wide.columns]
    per_seed = wide[cols].sub(wide[baseline], axis=0).mean(axis=1, skipna=False)
    return t_interval(per_seed.to_numpy())


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
    if column not in runs.columns or runs.empty:
        return pd.DataFrame(columns=list(PAIRED_COLUMNS))
    order = list(dict.fromkeys(runs["configuration"]))
    wide = runs.pivot_table(
        index=["seed", "replicate"],
        columns="configuration",
        values=column,
        aggfunc="first",
        dropna=False,
    ).reindex(columns=order)
    levels = _intervals(wide)
    if baseline in wide.columns:
        diffs = _intervals(wide.sub(wide[baseline], axis=0))
    else:
        diffs = levels * math.nan
    return pd.DataFrame(
        {
            "configuration": order,
            "mean": levels["mean"].to_numpy(),
            "ci_low": levels["low"].to_numpy(),
            "ci_high": levels["high"].to_numpy(),
            "diff_mean": diffs["mean"].to_numpy(),
            "diff_ci_low": diffs["low"].to_numpy(),
            "diff_ci_high": diffs["high"].to_numpy(),
            "n_pairs": diffs["n"].fillna(0).astype(int).to_numpy(),
        }
    )


def _intervals(wide: pd.DataFrame) -> pd.DataFrame:
    """Column-wise mean and 95% t interval of a (seeds x configurations) table."""
    n = wide.notna().sum()
    mean = wide.mean()
    sd = wide.std(ddof=1)
    q = pd.Series(stats.t.ppf(0.975, np.maximum(n.to_numpy() - 1, 1)), index=n.index)
    half = (q * sd / np.sqrt(n)).where(n >= 2)
    return pd.DataFrame({"mean": mean, "low": mean - half, "high": mean + half, "n": n})


def kaplan_meier(spells: pd.DataFrame, horizon: int | None = None) -> pd.DataFrame:
    """Kaplan-Meier survival of spells from grouped counts.

    ``spells`` has duration_months, outcome (``censored`` or an exit) and count, as in
    ``spells.parquet``. The month a spell starts has no exit draw (a worker moves at most
    once a month), so a spell that ended at duration ``t`` faced ``t`` exit draws and is an
    event at ``t``. A spell censored at duration ``d`` was still running after the run's
    last month: it has survived ``d - 1`` draws, so it is at risk through ``d - 1`` only.
    Returns months (0..max) and survival S(t) = share still seeking after t draws.
    """
    if spells.empty:
        return pd.DataFrame({"months": [0], "survival": [1.0], "at_risk": [0]})
    d = spells["duration_months"].astype(int).to_numpy()
    c = spells["count"].astype(float).to_numpy()
    ended = (spells["outcome"].astype(str) != "censored").to_numpy()
    exposure = np.where(ended, d, np.maximum(d - 1, 0))  # the last draw each spell faced
    top = int(d.max()) if horizon is None else min(int(d.max()), horizon)
    size = int(d.max()) + 1
    events = np.bincount(d[ended], weights=c[ended], minlength=size)
    total = np.bincount(exposure, weights=c, minlength=size)
    at_risk = total[::-1].cumsum()[::-1]  # spells that faced the draw at t
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


def frontier_beyond_noise(
    runs: pd.DataFrame, cost: str, effect: str, configs: list[str], effect_sign: float = 1.0
) -> list[int]:
    """Indices (into ``configs``) of the configurations no other beats on both axes beyond
    noise: ``j`` dominates ``i`` only if, paired seed by seed, the 95% interval of
    ``cost_j - cost_i`` lies below zero and that of ``effect_j - effect_i`` above zero
    (``effect_sign`` -1 when lower is better, e.g. poverty). Without seeds to pair, no
    difference is beyond noise and every configuration stays."""

    def wide(column: str) -> pd.DataFrame:
        return runs.pivot_table(
            index=["seed", "replicate"], columns="configuration", values=column, aggfunc="first"
        ).reindex(columns=configs)

    c, e = wide(cost), effect_sign * wide(effect)

    def beyond(diff: pd.Series) -> int:
        """+1 if the interval is above zero, -1 if below, 0 if it contains zero."""
        _, lo, hi, _ = t_interval(diff.to_numpy())
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return 0
        return 1 if lo > 0 else (-1 if hi < 0 else 0)

    keep = []
    for i, a in enumerate(configs):
        dominated = any(
            beyond(c[b] - c[a]) < 0 and beyond(e[b] - e[a]) > 0 for b in configs if b != a
        )
        if not dominated:
            keep.append(i)
    return keep
