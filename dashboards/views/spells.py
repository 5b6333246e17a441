"""View 4: how long unemployment lasts: Kaplan-Meier survival of spells by configuration
and group, and the long-term unemployment share.

Spell counts are pooled over the seeds of a configuration before the estimate, which
is the same as one larger sample from that configuration.
"""

from __future__ import annotations

import plotly.graph_objects as go

from sim import glossary

from ..load import Results
from ..stats import kaplan_meier, ltu_share
from ..style import LIFE_STAGES, SEXES, colour
from . import Chart, View
from .common import compare, dropdown, err, labels, scaled, style

TITLE = "4. Unemployment spells"
HORIZON = 36  # months shown on the survival curves
VISIBLE = 8
GROUPS = (
    ("all", None, None),
    *((s, "life_stage", s) for s in LIFE_STAGES),
    *((s, "sex", s) for s in SEXES),
)


def _subset(spells, column, value):
    return spells if column is None else spells[spells[column] == value]


def _survival(results: Results, spells) -> Chart:
    names = labels(results)
    configs = results.configurations
    fig = go.Figure()
    for g, (_, column, value) in enumerate(GROUPS):
        for i, c in enumerate(configs):
            sub = _subset(spells[spells["configuration"] == c], column, value)
            km = kaplan_meier(sub, HORIZON)
            fig.add_trace(
                go.Scatter(
                    x=km["months"],
                    y=(100 * km["survival"]).round(2),
                    mode="lines",
                    line={"shape": "hv", "color": colour(i), "dash": "solid" if i < 8 else "dot"},
                    name=names[c],
                    legendgroup=str(i),
                    visible=(True if i < VISIBLE else "legendonly") if g == 0 else False,
                    customdata=km["at_risk"],
                    hovertemplate="%{y:.1f}% still unemployed after %{x} months"
                    "<br>%{customdata:,.0f} spells at risk<extra>%{fullData.name}</extra>",
                )
            )
    n = len(configs)
    buttons = []
    for g, (group, _, _) in enumerate(GROUPS):
        visible = []
        for gg in range(len(GROUPS)):
            visible += [
                (True if i < VISIBLE else "legendonly") if gg == g else False for i in range(n)
            ]
        buttons.append({"label": group, "method": "restyle", "args": [{"visible": visible}]})
    style(
        fig,
        "Survival in unemployment: share of spells still running (Kaplan-Meier)",
        480,
        xaxis={"title": "months since the spell started", "range": [0, HORIZON]},
        yaxis={"title": "still unemployed (% of spells)", "range": [0, 100]},
        updatemenus=dropdown(buttons),
    )
    return Chart(
        "survival",
        fig,
        "A curve's height at month t is the share of unemployment spells (started after "
        "burn-in, pooled over seeds) still running t months later, so a lower curve means "
        "faster exits; choose a group with the menu at the top right.",
    )


def _ltu_from_spells(results: Results, spells) -> Chart:
    names = labels(results)
    fig = go.Figure()
    for i, c in enumerate(results.configurations):
        own = spells[spells["configuration"] == c]
        y = [100 * ltu_share(_subset(own, col, val)) for _, col, val in GROUPS]
        fig.add_trace(
            go.Bar(
                x=[g for g, _, _ in GROUPS],
                y=y,
                name=names[c],
                marker_color=colour(i),
                visible=True if i < VISIBLE else "legendonly",
                hovertemplate="%{x}: %{y:.1f}%<extra>%{fullData.name}</extra>",
            )
        )
    style(
        fig,
        "Long-term unemployment: share of spells lasting 12 months or more",
        420,
        barmode="group",
        xaxis={"title": "group"},
        yaxis={"title": "spells lasting 12+ months (%)"},
    )
    return Chart(
        "ltu",
        fig,
        "Each bar is the share of a group's unemployment spells that reached 12 months, "
        "completed or still running at the end; higher bars mean more long-term unemployment.",
    )


def _ltu_from_summary(results: Results) -> Chart:
    outcome = glossary.outcome("ltu_share")
    df = scaled(compare(results, outcome.key), outcome)
    names = labels(results)
    fig = go.Figure(
        go.Bar(
            x=[names[c] for c in df["configuration"]],
            y=df["mean"],
            error_y=err(df, "mean", "ci_low", "ci_high"),
            marker_color=colour(0),
        )
    )
    style(
        fig,
        "Long-term unemployed share of the unemployed (mean over months after burn-in)",
        400,
        xaxis={"title": "configuration", "automargin": True},
        yaxis={"title": "unemployed 12+ months (% of unemployed)"},
    )
    return Chart(
        "ltu",
        fig,
        "Each bar is the average share of the unemployed whose spell has lasted 12 months or "
        "more, with its 95% interval across seeds where there are several.",
    )


def build(results: Results) -> View:
    view = View("spells", TITLE)
    spells = results.spells
    if spells is None or spells.empty:
        view.notes.append(
            "These runs have no spells.parquet (written by newer versions of the model), "
            "so survival curves cannot be drawn; the long-term share below comes from "
            "summary.json."
        )
        view.charts.append(_ltu_from_summary(results))
        return view
    view.charts.append(_survival(results, spells))
    view.charts.append(_ltu_from_spells(results, spells))
    return view
