"""View 7: who gains and who loses, by life stage, sex, formality and household type.

Changes are paired against the baseline on the same seeds; a gain is higher mean
equivalised income or a lower poverty headcount for the group.
"""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..load import Results
from ..stats import paired
from ..style import GAIN, LOSS, MONEY, colour
from . import Chart, View
from .common import dropdown, labels, style

TITLE = "7. Distribution: who gains, who loses"
BLOCKS = (
    ("by_life_stage", "life stage", ("youth", "prime", "older", "pension")),
    ("by_sex", "sex", ("male", "female")),
    ("by_formality", "formality", ("formal", "informal", "not_employed")),
    (
        "by_household",
        "household",
        ("one_adult", "one_adult_with_children", "several_adults", "several_adults_with_children"),
    ),
)
METRICS = (
    ("mean_equivalised_income", "Mean equivalised income", MONEY, 1.0, 1.0),
    ("poverty_headcount", "Poverty headcount", "%", 100.0, -1.0),
)


def _groups(results: Results) -> list[tuple[str, str]]:
    """(column prefix, display label) of the groups present in the outputs."""
    cols = set(results.complete.columns)
    out = []
    for block, kind, members in BLOCKS:
        for m in members:
            if any(f"{block}.{m}.{k}" in cols for k, *_ in METRICS):
                out.append((f"{block}.{m}", f"{kind}: {m.replace('_', ' ')}"))
    return out


def _levels(results: Results, groups: list[tuple[str, str]]) -> Chart:
    row = results.complete.iloc[0]
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=[m[1] for m in METRICS],
    )
    kinds = {g[1].split(":")[0] for g in groups}
    palette = {k: colour(i) for i, k in enumerate(sorted(kinds))}
    for col, (key, label, unit, scale, _) in enumerate(METRICS, start=1):
        fig.add_trace(
            go.Bar(
                x=[scale * float(row.get(f"{p}.{key}", float("nan"))) for p, _ in groups],
                y=[g for _, g in groups],
                orientation="h",
                marker_color=[palette[g.split(":")[0]] for _, g in groups],
                showlegend=False,
                hovertemplate="%{y}: %{x:,.3g} " + unit + "<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.update_xaxes(title_text=f"{label} ({unit})", row=1, col=col)
    fig.update_yaxes(autorange="reversed", automargin=True)
    style(fig, "Income and poverty by group in this run", 120 + 28 * len(groups))
    return Chart(
        "distribution",
        fig,
        "Each bar is a group's mean equivalised income (left) or poverty headcount (right) "
        "over the months after burn-in; a sweep shows the change each configuration brings.",
    )


def _changes(results: Results, groups: list[tuple[str, str]]) -> Chart:
    names = labels(results)
    others = [c for c in results.configurations if c != results.baseline]
    runs = results.complete
    per: dict[str, list[dict]] = {c: [] for c in others}
    for key, _, _, scale, good in METRICS:
        tables = {
            p: paired(runs, f"{p}.{key}", results.baseline).set_index("configuration")
            for p, _ in groups
        }
        for c in others:
            mid, plus, minus, colours = [], [], [], []
            for p, _ in groups:
                t = tables[p]
                if c not in t.index:
                    mid.append(None), plus.append(0), minus.append(0), colours.append(GAIN)
                    continue
                m, lo, hi = (
                    scale * float(t.at[c, k]) for k in ("diff_mean", "diff_ci_low", "diff_ci_high")
                )
                mid.append(round(m, 4))
                plus.append(0.0 if hi != hi else round(hi - m, 4))
                minus.append(0.0 if lo != lo else round(m - lo, 4))
                colours.append(GAIN if good * m >= 0 else LOSS)
            per[c].append({"x": mid, "plus": plus, "minus": minus, "colours": colours})
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.04,
        subplot_titles=[f"Change in {m[1].lower()}" for m in METRICS],
    )
    first = per[others[0]]
    for col, (_, _label, unit, _, _) in enumerate(METRICS, start=1):
        d = first[col - 1]
        diff_unit = "pp" if unit == "%" else unit
        fig.add_trace(
            go.Bar(
                x=d["x"],
                y=[g for _, g in groups],
                orientation="h",
                marker_color=d["colours"],
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": d["plus"],
                    "arrayminus": d["minus"],
                },
                showlegend=False,
                hovertemplate="%{y}: %{x:+,.3g} " + diff_unit + "<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.add_vline(x=0, line={"color": "#444", "width": 1}, row=1, col=col)
        fig.update_xaxes(title_text=f"difference vs baseline ({diff_unit})", row=1, col=col)
    buttons = [
        {
            "label": names[c],
            "method": "restyle",
            "args": [
                {
                    "x": [d["x"] for d in per[c]],
                    "marker.color": [d["colours"] for d in per[c]],
                    "error_x.array": [d["plus"] for d in per[c]],
                    "error_x.arrayminus": [d["minus"] for d in per[c]],
                },
                [0, 1],
            ],
        }
        for c in others
    ]
    fig.update_yaxes(autorange="reversed", automargin=True)
    style(
        fig,
        "Who gains and who loses against the baseline (paired by seed, 95% CI)",
        160 + 28 * len(groups),
        updatemenus=dropdown(buttons, y=1.08),
    )
    return Chart(
        "distribution",
        fig,
        "Blue bars are gains (higher income, lower poverty) and orange bars losses for each "
        "group under the configuration chosen in the menu, against the baseline on the same "
        "seeds, with 95% intervals.",
    )


def build(results: Results) -> View:
    view = View("distribution", TITLE)
    groups = _groups(results)
    if not groups:
        view.notes.append("These runs report no by-group outcomes.")
        return view
    present = {g[1].split(":")[0] for g in groups}
    missing = [kind for _, kind, _ in BLOCKS if kind not in present]
    if missing:
        view.notes.append("Not in these outputs (older runs): by " + ", ".join(missing) + ".")
    if results.is_sweep and len(results.configurations) > 1:
        view.charts.append(_changes(results, groups))
    else:
        view.notes.append(
            "Gains and losses compare configurations, which needs a sweep; this run shows "
            "levels by group."
        )
        view.charts.append(_levels(results, groups))
    return view
