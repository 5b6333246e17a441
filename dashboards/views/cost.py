"""View 5: what each configuration costs against what it achieves (poverty reduction and
placements), with the efficient frontier: configurations no other beats on both."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim import glossary

from ..load import Results, finite
from ..stats import frontier_beyond_noise
from ..style import COST, FRONTIER, GAIN, MONEY, PLACEMENTS, POVERTY, esc
from . import Chart, View
from .common import (
    compare,
    err,
    hover_names,
    labels,
    money_per_person,
    scaled,
    style,
    sweep_only_note,
)

TITLE = "5. Cost-effectiveness"


def _inwards(x) -> list[str]:
    """Text positions that point away from the nearer edge of the x range."""
    lo, hi = float(min(x)), float(max(x))
    mid = (lo + hi) / 2
    return ["top left" if v > mid else "top right" for v in x]


def build(results: Results) -> View:
    view = View("cost", TITLE)
    if not results.is_sweep or len(results.configurations) < 2:
        view.notes.append(sweep_only_note("Cost-effectiveness"))
        return view
    names, hover = labels(results), hover_names(results)
    cost = scaled(compare(results, COST.key), COST).set_index("configuration")
    pov = scaled(compare(results, POVERTY.key), POVERTY).set_index("configuration")
    plc = scaled(compare(results, PLACEMENTS.key), PLACEMENTS).set_index("configuration")
    configs = [c for c in results.configurations if c in cost.index]
    cost = cost.loc[configs]
    # Poverty reduction: minus the paired change in the headcount (pp), so up is better.
    reduction = -pov.reindex(configs)[["diff_mean", "diff_ci_high", "diff_ci_low"]]
    reduction.columns = ["mid", "low", "high"]
    placed = plc.reindex(configs)[["mean", "ci_low", "ci_high"]]
    placed.columns = ["mid", "low", "high"]
    fig = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.1,
        subplot_titles=["Cost vs poverty reduction", "Cost vs placements"],
    )
    few = len(configs) <= 8
    # Many intervals drawn at full strength hide the points they belong to.
    bars = {} if few else {"color": "rgba(68,68,68,0.3)", "thickness": 1, "width": 2}
    for col, (effect, ytitle) in enumerate(
        (
            (reduction, "poverty reduction vs baseline (pp)"),
            (placed, f"{PLACEMENTS.label.lower()} ({PLACEMENTS.unit})"),
        ),
        start=1,
    ):
        key, sign = (POVERTY.key, -1.0) if col == 1 else (PLACEMENTS.key, 1.0)
        on = set(frontier_beyond_noise(results.complete, COST.key, key, configs, sign))
        # A few points carry their names; many carry their number in the key below.
        number = {c: str(i) for i, c in enumerate(results.configurations, start=1)}
        text = [names[c] if few else number[c] for c in configs]
        fig.add_trace(
            go.Scatter(
                x=cost["mean"],
                y=effect["mid"],
                mode="markers+text",
                text=text,
                # labels lean inwards, so none runs off the plot's edge
                textposition=_inwards(cost["mean"].to_numpy()),
                cliponaxis=False,
                textfont={"size": 10 if few else 9},
                customdata=[hover[c] for c in configs],
                marker={
                    "size": [13 if i in on else 9 for i in range(len(configs))],
                    "color": [FRONTIER if i in on else GAIN for i in range(len(configs))],
                    "symbol": ["diamond" if i in on else "circle" for i in range(len(configs))],
                },
                error_x={**err(cost, "mean", "ci_low", "ci_high"), **bars},
                error_y={**err(effect, "mid", "low", "high"), **bars},
                name="configurations",
                showlegend=col == 1,
                hovertemplate="%{text}: %{customdata}<br>cost %{x:,.0f}<br>"
                + ytitle
                + ": %{y:.3g}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        idx = sorted(on, key=lambda i: cost["mean"].iloc[i])
        fig.add_trace(
            go.Scatter(
                x=cost["mean"].iloc[idx],
                y=effect["mid"].iloc[idx],
                mode="lines",
                line={"color": FRONTIER, "width": 2, "dash": "dash"},
                name="efficient frontier",
                showlegend=col == 1,
                hoverinfo="skip",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text=f"public spending ({MONEY})", row=1, col=col, automargin=True)
        fig.update_yaxes(title_text=ytitle, row=1, col=col)
    style(fig, "What each configuration costs and what it achieves (95% CI across seeds)", 520)
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    view.charts.append(
        Chart(
            "cost-effectiveness",
            fig,
            "Each point is a configuration (mean over seeds, with 95% intervals); orange "
            "diamonds joined by the dashed line are efficient: no other configuration both "
            "costs less and achieves more beyond noise (both paired differences, seed by "
            "seed, with 95% intervals that exclude zero). Points too close to tell apart are "
            "all kept." + ("" if few else " Numbers are the configurations of the table below."),
        )
    )
    view.html = _key_table(results, configs, reduction, placed)
    return view


def _key_table(results: Results, configs: list[str], reduction, placed) -> str:
    """Every point of the chart by number, with its money per month, per person of working
    age and as a share of GDP, and what it achieves."""
    number = {c: i for i, c in enumerate(results.configurations, start=1)}
    rows = []
    for c in configs:
        spend, per_person, share = money_per_person(results, c)
        mark = " (baseline)" if c == results.baseline else ""
        cells = [
            str(number[c]),
            esc(glossary.configuration(c) + mark),
            f"{spend:,.0f}" if finite(spend) else "n/a",
            f"{per_person:,.2f}" if finite(per_person) else "n/a",
            f"{share:.2f}%" if finite(share) else "not stated",
            "0 (baseline)"
            if c == results.baseline
            else f"{reduction.at[c, 'mid']:+.2f}"
            if finite(reduction.at[c, "mid"])
            else "n/a",
            f"{placed.at[c, 'mid']:,.1f}" if finite(placed.at[c, "mid"]) else "n/a",
        ]
        rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    head = (
        "#",
        "configuration",
        f"public spending ({MONEY})",
        "per person of working age (per month)",
        "share of GDP",
        "poverty reduction vs baseline (pp)",
        f"{PLACEMENTS.label.lower()}",
    )
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    return (
        '<div class="scroll"><table class="data" id="cost-key">'
        f"<thead><tr>{th}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
