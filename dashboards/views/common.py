"""Helpers shared by the views: the page's figure style and comparison lookups."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from sim import glossary

from ..load import Results
from ..stats import paired
from ..style import COST, OKABE_ITO, Outcome, plot_text

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


def labels(results: Results, width: int = 28) -> dict[str, str]:
    """Configuration label -> a short plain name for an axis or legend (baseline marked):
    ``E int · D coord · F coop`` for a regime mix, ``Regime: integration`` for a preset.
    Names that the cut makes equal get their number from the "What this shows" table."""
    short = {c: glossary.short(c, width) for c in results.configurations}
    clash = {n for n in short.values() if list(short.values()).count(n) > 1}
    out = {}
    for i, c in enumerate(results.configurations, start=1):
        text = plot_text(f"#{i} {short[c]}" if short[c] in clash else short[c])
        out[c] = f"{text} (baseline)" if c == results.baseline else text
    return out


def hover_names(results: Results) -> dict[str, str]:
    """Configuration label -> its full plain name and, below it, the config syntax, for
    hover text (axes carry the short name)."""
    out = {}
    for c in results.configurations:
        plain = glossary.configuration(c)
        full = plot_text(plain) if plain == c else f"{plot_text(plain)}<br>{plot_text(c)}"
        out[c] = f"{full}<br>(baseline)" if c == results.baseline else full
    return out


def wrap(text: str, width: int = 22) -> str:
    """Plotly text broken into lines of about ``width`` characters (``<br>``), for axis
    titles that would otherwise run past their subplot."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(plot_text(line) for line in lines)


def money_per_person(results: Results, configuration: str) -> tuple[float, float, float]:
    """Mean monthly public spending of a configuration, per person of working age, and as
    a percentage of GDP (NaN where the economy states no GDP)."""
    runs = results.complete[results.complete["configuration"] == configuration]

    def mean(column: str) -> float:
        return float(runs[column].mean()) if column in runs.columns and len(runs) else math.nan

    spend, people, gdp = mean(COST.key), mean("population_working_age"), mean("gdp_per_month")
    per_person = spend / people if math.isfinite(people) and people > 0 else math.nan
    share = 100.0 * spend / gdp if math.isfinite(gdp) and gdp > 0 else math.nan
    return spend, per_person, share


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


def dropdown(buttons: list[dict], y: float = 1.12) -> list[dict]:
    """A chart's menu (``updatemenus``): a drop-down at the top right, above the plot."""
    return [
        {
            "buttons": buttons,
            "direction": "down",
            "x": 1.0,
            "xanchor": "right",
            "y": y,
            "yanchor": "bottom",
            "showactive": True,
        }
    ]
