"""Helpers shared by the views: the page's figure style and comparison lookups."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ..load import Results
from ..stats import paired
from ..style import OKABE_ITO, Outcome, plot_text

FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"


def style(fig: go.Figure, title: str, height: int = 420, **layout: Any) -> go.Figure:
    """Apply the shared look: white template, colour-blind-safe colourway, a title."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        template="plotly_white",
        colorway=list(OKABE_ITO),
        font={"family": FONT, "size": 12},
        height=height,
        margin={"l": 60, "r": 20, "t": 70, "b": 60},
        legend={"font": {"size": 11}},
        **layout,
    )
    return fig


def labels(results: Results) -> dict[str, str]:
    """Configuration label -> its Plotly label text (baseline marked)."""
    out = {}
    for c in results.configurations:
        text = plot_text(c)
        out[c] = f"{text} (baseline)" if c == results.baseline else text
    return out


def compare(results: Results, key: str) -> pd.DataFrame:
    """Mean, 95% CI and paired difference vs baseline of one outcome per configuration,
    from comparison.parquet when it has the outcome, otherwise from the run table."""
    comp = results.comparison
    cols = ["configuration", "mean", "ci_low", "ci_high", "diff_mean"]
    cols += ["diff_ci_low", "diff_ci_high", "n_pairs"]
    if comp is not None and key in set(comp["outcome"]):
        df = comp[comp["outcome"] == key]
        df = df[[c for c in cols if c in df.columns]].copy()
    else:
        df = paired(results.complete, key, results.baseline)
    df = df[df["configuration"].isin(results.configurations)]
    order = {c: i for i, c in enumerate(results.configurations)}
    return df.sort_values("configuration", key=lambda s: s.map(order)).reset_index(drop=True)


def scaled(df: pd.DataFrame, outcome: Outcome) -> pd.DataFrame:
    """Columns in display units (percent for shares)."""
    df = df.copy()
    for c in ("mean", "ci_low", "ci_high", "diff_mean", "diff_ci_low", "diff_ci_high"):
        if c in df.columns:
            df[c] = df[c].astype(float) * outcome.scale
    return df


def err(df: pd.DataFrame, mid: str, low: str, high: str) -> dict[str, Any]:
    """Asymmetric error bars from interval columns (hidden where the interval is NaN)."""
    plus = (df[high] - df[mid]).fillna(0.0).clip(lower=0.0).tolist()
    minus = (df[mid] - df[low]).fillna(0.0).clip(lower=0.0).tolist()
    return {
        "type": "data",
        "symmetric": False,
        "array": plus,
        "arrayminus": minus,
        "color": "#444444",
    }


def fmt(value: float, outcome: Outcome) -> str:
    """A headline value in display units, for tables."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    v = float(value) * outcome.scale
    return f"{v:.1f}%" if outcome.unit == "%" else f"{v:,.0f}"


def sort_values(values) -> list[str]:
    """Swept values in a reader's order: numerically when every one is a number
    (500 < 1000 < 6000, not "1000" < "500"), else as given."""
    values = [str(v) for v in values]
    try:
        return sorted(values, key=float)
    except ValueError:
        return values


def sweep_only_note(what: str) -> str:
    return (
        f"{what} compares configurations, which needs a sweep: several configurations "
        "run on the same seeds (python -m sim -m ... then python -m sim.aggregate DIR). "
        "This page was built from a single run."
    )
