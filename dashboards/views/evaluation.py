"""The randomised evaluation's page (``python -m sim.evaluate``): the effect profile of the
offer of one programme, months 1 to 36 after assignment, with 95% intervals, by group, and
the displacement of the controls against a world without the programme."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..page import render
from ..style import colour, esc
from . import Chart, View
from .common import dropdown, style

OUTCOMES = (
    ("employed", "employment", "percentage points", 100.0),
    ("formal", "formal employment", "percentage points", 100.0),
    ("earnings", "earnings", "per month", 1.0),
    ("benefit_receipt", "receiving UI or social assistance", "percentage points", 100.0),
    ("in_programme", "being in the programme (take-up)", "percentage points", 100.0),
    ("other_programme", "being in another programme (substitution)", "percentage points", 100.0),
)
TREATMENT = "treated vs control"


def _band(x, lo, hi, rgb: str, name: str, visible: bool, group: str) -> list[go.Scatter]:
    return [
        go.Scatter(
            x=x,
            y=hi,
            mode="lines",
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
            visible=visible,
            legendgroup=group,
        ),
        go.Scatter(
            x=x,
            y=lo,
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=rgb,
            hoverinfo="skip",
            name=name,
            visible=visible,
            legendgroup=group,
        ),
    ]


def _profile(df: pd.DataFrame, outcome: str, label: str, unit: str, scale: float) -> Chart:
    groups = list(df.group.cat.categories)
    comparisons = list(df.comparison.cat.categories)
    fig = go.Figure()
    per_group = 0
    for g, group in enumerate(groups):
        traces = []
        for c, comparison in enumerate(comparisons):
            sub = df[(df.group == group) & (df.outcome == outcome) & (df.comparison == comparison)]
            sub = sub.sort_values("horizon_months")
            x = sub.horizon_months.tolist()
            rgb = "rgba(0,114,178,0.18)" if c == 0 else "rgba(213,94,0,0.15)"
            name = "effect of the offer" if comparison == TREATMENT else "spillover on the controls"
            traces += _band(
                x,
                (sub.ci_low * scale).round(4).tolist(),
                (sub.ci_high * scale).round(4).tolist(),
                rgb,
                f"{name}: 95% interval",
                g == 0,
                name,
            )
            traces.append(
                go.Scatter(
                    x=x,
                    y=(sub.effect * scale).round(4).tolist(),
                    mode="lines+markers",
                    line={"color": colour(c), "dash": "solid" if c == 0 else "dash"},
                    marker={"size": 4},
                    name=name,
                    visible=g == 0,
                    legendgroup=name,
                    customdata=sub[["n_treated", "n_control"]].to_numpy().tolist(),
                    hovertemplate=f"%{{y:.2f}} {unit} after %{{x}} months"
                    "<br>n = %{customdata[0]:,} and %{customdata[1]:,}<extra>%{fullData.name}"
                    "</extra>",
                )
            )
        per_group = len(traces)
        for t in traces:
            fig.add_trace(t)
    buttons = [
        {
            "label": group,
            "method": "restyle",
            "args": [{"visible": [gg == g for gg in range(len(groups)) for _ in range(per_group)]}],
        }
        for g, group in enumerate(groups)
    ]
    style(
        fig,
        f"Effect on {label}",
        420,
        xaxis={"title": "months after assignment"},
        yaxis={"title": f"difference ({unit})", "zeroline": True, "zerolinecolor": "#888"},
        updatemenus=dropdown(buttons),
    )
    return Chart(
        f"evaluation-{outcome}",
        fig,
        "Solid: people offered the programme minus the controls, who were barred from it "
        "(the effect of the offer). Dashed: the controls minus the people referred in a "
        "world without the programme: the spillover on non-participants (below zero for "
        "employment: participants take jobs others would have had, or the controls move "
        "into other programmes instead). Shaded: 95% intervals. The menu picks a group.",
    )


def _table(df: pd.DataFrame) -> str:
    sub = df[
        (df.comparison == TREATMENT)
        & (df.outcome == "employed")
        & df.horizon_months.isin([6, 12, 24, 36])
    ]
    horizons = sorted(sub.horizon_months.unique())
    head = "".join(f"<th>{h} months</th>" for h in horizons)
    rows = []
    for group in df.group.cat.categories:
        cells = []
        for h in horizons:
            r = sub[(sub.group == group) & (sub.horizon_months == h)].iloc[0]
            cells.append(
                f"<td>{100 * r.effect:+.1f} [{100 * r.ci_low:+.1f}, {100 * r.ci_high:+.1f}]"
                f"<br><small>n {r.n_treated:,} / {r.n_control:,}</small></td>"
            )
        rows.append(f"<tr><th>{esc(group)}</th>{''.join(cells)}</tr>")
    return (
        "<h3>Effect of the offer on employment, percentage points (95% interval)</h3>"
        f'<div class="scroll"><table><thead><tr><th>group</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def view(df: pd.DataFrame, meta: dict) -> View:
    charts = [_profile(df, *o) for o in OUTCOMES]
    a, s = meta["assigned"], meta["started_programme"]
    notes = [
        f"{a['treated']:,} people were offered {meta['programme']} and {a['control']:,} were "
        f"controls (a random {meta['control_share']:.0%} of those referred, barred from it for "
        f"the spell); {s['treated'] / max(a['treated'], 1):.0%} of those offered started it. "
        "Effects are those of the offer (intention to treat).",
    ]
    return View(
        "evaluation", f"Randomised evaluation: {meta['programme']}", charts, notes, _table(df)
    )


def page(df: pd.DataFrame, meta: dict) -> str:
    """The self-contained page (plotly.js inlined: it opens offline)."""
    months = meta["enrolment_months"]
    subtitle = [
        f"Programme {meta['programme']}; {meta['population_size']:,} workers, "
        f"{meta['replicates']} replicate(s), seed {meta['seed']}; assigned in months "
        f"{months[0]} to {months[1] - 1}, followed {meta['horizon_months']} months."
    ]
    return render(f"Evaluation of {meta['programme']}", subtitle, [view(df, meta)])
