"""View 6: the working paper's alignment matrix, coloured by simulated effects.

(a) functions (eligibility, delivery, financing) x degree (integration, coordination,
cooperation): the mean, over the swept configurations whose function is at that degree,
of the paired effect against the baseline. With the 27 mixes of
``sweep=alignment_matrix`` this is the main effect of setting one function to one degree,
averaged over the settings of the other two.
(b) life stages x the paper's objectives, each measured by one by-group outcome.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..load import Results
from ..stats import detectable, paired, pooled_difference
from ..style import DIVERGING, HEADLINE, LIFE_STAGES, SEQUENTIAL, plot_text
from . import Chart, View
from .common import compare, dropdown, labels, style, sweep_only_note

TITLE = "6. Alignment matrix"
FUNCTIONS = ("eligibility", "delivery", "financing")
DEGREES = ("integration", "coordination", "cooperation")
# Objective -> (indicator label, per-run column template); every indicator is a share
# where lower is better, so an improvement is a fall in percentage points.
OBJECTIVES = {
    "protective": ("poverty headcount", "by_life_stage.{g}.poverty_headcount"),
    "preventive": ("spells lasting 12+ months", "spells.ltu.{g}"),
    "promotive": ("unemployment rate", "by_life_stage.{g}.unemployment_rate"),
    "transformative": ("informality rate", "by_life_stage.{g}.informality_rate"),
}


def _cell(
    mean: float, lo: float, hi: float, threshold: float, threshold_text: str, spec: str
) -> tuple[float, str]:
    """A heatmap cell: its colour value (NaN, drawn grey, when the interval contains zero
    or the effect is below the practical threshold) and its text with the interval."""
    ci = f"[{lo:+{spec}}, {hi:+{spec}}]" if math.isfinite(lo) else "(no interval)"
    if not detectable(lo, hi):
        return math.nan, f"no detectable difference<br>{mean:+{spec}} {ci}"
    if abs(mean) < threshold:
        return math.nan, f"below {threshold_text}<br>{mean:+{spec}} {ci}"
    return mean, f"{mean:+{spec}}<br>{ci}"


def inseparable(results: Results) -> bool:
    """True when every configuration sets the three functions to the same degree (the
    regime presets): then the functions' effects cannot be told apart."""
    regime = results.complete.groupby("configuration")[list(FUNCTIONS)].first().dropna()
    return bool(len(regime)) and bool(
        (regime["eligibility"] == regime["delivery"]).all()
        and (regime["delivery"] == regime["financing"]).all()
    )


def _functions(results: Results) -> Chart | None:
    runs = results.complete
    regime = runs.groupby("configuration")[list(FUNCTIONS)].first()
    if max(regime[f].nunique() for f in FUNCTIONS) < 2:
        return None
    practical = results.practical
    zs, texts, titles, spans = [], [], [], []
    for outcome in HEADLINE:
        sign = 1.0 if outcome.higher_is_better else -1.0
        base = compare(results, outcome.key).set_index("configuration")
        level = float(base["mean"].get(results.baseline, math.nan)) * outcome.scale
        threshold = practical.threshold(outcome, level)
        z = np.full((len(FUNCTIONS), len(DEGREES)), np.nan)
        text = [["" for _ in DEGREES] for _ in FUNCTIONS]
        shown = []
        for i, f in enumerate(FUNCTIONS):
            for j, d in enumerate(DEGREES):
                # the baseline, when at this degree, counts with a difference of 0
                members = list(regime.index[regime[f] == d])
                if members == [results.baseline]:
                    text[i][j] = "the baseline"
                    continue
                mean, lo, hi, n = pooled_difference(runs, outcome.key, results.baseline, members)
                if n == 0 or not math.isfinite(mean):
                    continue
                mean, lo, hi = (sign * outcome.scale * v for v in (mean, lo, hi))
                z[i, j], text[i][j] = _cell(
                    mean, min(lo, hi), max(lo, hi), threshold, practical.text(outcome), ".3g"
                )
                if math.isfinite(z[i, j]):
                    shown.append(abs(z[i, j]))
                text[i][j] += f"<br>({len(members)} configs)"
        zs.append(z)
        # symmetric, saturating at a meaningful size: at least 4x the practical threshold
        spans.append(max([4 * threshold, *shown, 1e-9]))
        texts.append(text)
        titles.append(
            f"{outcome.label}: improvement ({outcome.diff_unit})<br>grey: no detectable "
            f"difference,<br>or below {practical.text(outcome)}"
        )
    fig = go.Figure(
        go.Heatmap(
            z=zs[0],
            x=list(DEGREES),
            y=list(FUNCTIONS),
            text=texts[0],
            texttemplate="%{text}",
            colorscale=DIVERGING,
            zmin=-spans[0],
            zmax=spans[0],
            colorbar={"title": {"text": titles[0]}},
            hoverongaps=True,
            hovertemplate="%{y} at %{x}<br>%{text}<extra></extra>",
        )
    )
    buttons = [
        {
            "label": o.label,
            "method": "restyle",
            "args": [
                {
                    "z": [zs[k]],
                    "text": [texts[k]],
                    "zmin": -spans[k],
                    "zmax": spans[k],
                    "colorbar.title.text": titles[k],
                }
            ],
        }
        for k, o in enumerate(HEADLINE)
    ]
    style(
        fig,
        "Functions x degree of alignment: mean paired effect vs baseline",
        460,
        xaxis={"title": "degree of alignment", "showgrid": False},
        yaxis={"title": "function", "autorange": "reversed", "showgrid": False},
        updatemenus=dropdown(buttons, y=1.1),
        plot_bgcolor="#dddddd",
    )
    return Chart(
        "matrix-functions",
        fig,
        "A cell is the mean, over the swept configurations that set this function to this "
        "degree, of the paired difference from the baseline with its 95% interval across "
        "seeds, signed so that blue is better (less poverty, more placement, less spending) "
        "and red is worse. Grey cells show no detectable difference (the interval contains "
        "zero) or one smaller than the practical threshold "
        f"({practical.pp:g} pp for rates, {practical.money_pct:g}% of the baseline for "
        "money; set with python -m dashboards --practical-pp / --practical-money-pct). "
        "Choose the outcome in the menu.",
    )


def _with_spells_ltu(results: Results) -> pd.DataFrame:
    """The run table plus each run's share of 12+ month spells by life stage."""
    runs = results.complete.copy()
    spells = results.spells
    for g in LIFE_STAGES:
        runs[f"spells.ltu.{g}"] = math.nan
    if spells is None:
        return runs
    long = spells.assign(_ltu=spells["count"].where(spells["duration_months"] >= 12, 0))
    sums = long.groupby(["run", "life_stage"])[["_ltu", "count"]].sum()
    share = (sums["_ltu"] / sums["count"].where(sums["count"] > 0)).unstack("life_stage")
    for g in LIFE_STAGES:
        if g in share.columns:
            runs[f"spells.ltu.{g}"] = runs["run"].map(share[g]).astype(float)
    return runs


def _objectives(results: Results) -> Chart:
    runs = _with_spells_ltu(results)
    cols = list(OBJECTIVES)
    xlabels = [f"{k}<br>({v[0]})" for k, v in OBJECTIVES.items()]
    names = labels(results)
    if results.is_sweep and len(results.configurations) > 1:
        others = [c for c in results.configurations if c != results.baseline]
        threshold = results.practical.pp
        cells = {}
        for g in LIFE_STAGES:
            for obj, (_, tmpl) in OBJECTIVES.items():
                p = paired(runs, tmpl.format(g=g), results.baseline).set_index("configuration")
                cells[(g, obj)] = p

        def grid(c: str) -> tuple[np.ndarray, list[list[str]]]:
            """Improvements (pp, a fall is better) of configuration ``c``; NaN where not
            detectable or below the practical threshold, with the reason as text."""
            z = np.full((len(LIFE_STAGES), len(cols)), np.nan)
            text = [["" for _ in cols] for _ in LIFE_STAGES]
            for i, g in enumerate(LIFE_STAGES):
                for j, o in enumerate(cols):
                    p = cells[(g, o)]
                    if c not in p.index or not math.isfinite(float(p.at[c, "diff_mean"])):
                        text[i][j] = "n/a"
                        continue
                    mean = -100.0 * float(p.at[c, "diff_mean"])
                    lo = -100.0 * float(p.at[c, "diff_ci_high"])
                    hi = -100.0 * float(p.at[c, "diff_ci_low"])
                    z[i, j], text[i][j] = _cell(mean, lo, hi, threshold, f"{threshold:g} pp", ".2f")
            return z, text

        grids = [grid(c) for c in others]
        shown = [float(np.nanmax(np.abs(z))) for z, _ in grids if np.isfinite(z).any()]
        span = max([4 * threshold, *shown, 1e-9])
        fig = go.Figure(
            go.Heatmap(
                z=grids[0][0],
                text=grids[0][1],
                x=xlabels,
                y=list(LIFE_STAGES),
                texttemplate="%{text}",
                colorscale=DIVERGING,
                zmin=-span,
                zmax=span,
                colorbar={
                    "title": {
                        "text": f"improvement (pp)<br>grey: no detectable<br>difference, "
                        f"or below {threshold:g} pp"
                    }
                },
                hoverongaps=True,
                hovertemplate="%{y}, %{x}<br>%{text}<extra></extra>",
            )
        )
        buttons = [
            {"label": names[c], "method": "restyle", "args": [{"z": [z], "text": [t]}]}
            for c, (z, t) in zip(others, grids, strict=True)
        ]
        style(
            fig,
            "Life stages x objectives: paired improvement vs baseline",
            460,
            xaxis={"title": "objective (indicator)", "showgrid": False},
            yaxis={"title": "life stage", "autorange": "reversed", "showgrid": False},
            updatemenus=dropdown(buttons, y=1.1),
            plot_bgcolor="#dddddd",
        )
        caption = (
            "A cell is the fall, in percentage points against the baseline on the same seeds, "
            "of the indicator that measures the objective for that life stage, with its 95% "
            "interval (blue = better); grey cells show no detectable difference or one below "
            "the practical threshold. Choose the configuration in the menu."
        )
    else:
        row = runs.iloc[0]
        z = np.array(
            [
                [100.0 * float(row.get(t.format(g=g), np.nan)) for _, t in OBJECTIVES.values()]
                for g in LIFE_STAGES
            ]
        )
        fig = go.Figure(
            go.Heatmap(
                z=z,
                x=xlabels,
                y=list(LIFE_STAGES),
                texttemplate="%{z:.1f}%",
                colorscale=SEQUENTIAL,
                reversescale=True,
                colorbar={"title": {"text": "level (%)"}},
                hovertemplate="%{y}, %{x}: %{z:.2f}%<extra></extra>",
            )
        )
        style(
            fig,
            f"Life stages x objectives: levels in {plot_text(results.configurations[0])}",
            420,
            xaxis={"title": "objective (indicator)"},
            yaxis={"title": "life stage", "autorange": "reversed"},
        )
        caption = (
            "A cell is the level (%) of the indicator that measures the objective for that "
            "life stage in this run, darker where it is higher (worse); a sweep colours the "
            "same cells by the effect of each configuration."
        )
    return Chart("matrix-objectives", fig, caption)


def build(results: Results) -> View:
    view = View("alignment", TITLE)
    chart = _functions(results) if results.is_sweep else None
    if chart is None:
        view.notes.append(
            sweep_only_note("The functions x degree matrix")
            if not results.is_sweep
            else "The functions x degree matrix needs a sweep over regimes "
            "(sweep=alignment_matrix): this sweep does not vary the regime."
        )
    else:
        if inseparable(results):
            view.notes.append(
                "This sweep sets eligibility, delivery and financing together (the regime "
                "presets of sweep=regimes), so the rows of the functions x degree matrix are "
                "the same comparison three times and cannot separate the functions. "
                "sweep=alignment_matrix runs the 27 mixes that can."
            )
        view.charts.append(chart)
    view.charts.append(_objectives(results))
    view.notes.append(
        "Objectives are measured by one by-group indicator each: protective = poverty "
        "headcount, preventive = share of unemployment spells lasting 12+ months, "
        "promotive = unemployment rate, transformative = informality rate."
    )
    return view
