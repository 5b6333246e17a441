"""View 1: poverty, placement and cost per configuration with 95% CIs across seeds and the
paired difference against the baseline; main effects of each swept dimension."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from sim import glossary

from ..load import Results
from ..stats import detectable, t_interval
from ..style import GAIN, HEADLINE, LOSS, NEUTRAL, esc, plot_text
from . import Chart, View
from .common import (
    compare,
    err,
    fmt,
    hover_names,
    labels,
    scaled,
    sort_values,
    style,
    sweep_only_note,
    wrap,
)

TITLE = "1. Headline comparison"


BASELINE, BETTER, WORSE = "the baseline", "better than the baseline", "worse than the baseline"
NO_DIFFERENCE = "no detectable difference (the 95% interval contains 0)"
VERDICT_COLOURS = {BASELINE: NEUTRAL, BETTER: GAIN, WORSE: LOSS, NO_DIFFERENCE: NEUTRAL}


def _verdict(row, outcome, baseline: str) -> str:
    """How a configuration compares with the baseline on one outcome, from its interval."""
    if row.configuration == baseline:
        return BASELINE
    if not detectable(float(row.diff_ci_low), float(row.diff_ci_high)):
        return NO_DIFFERENCE
    up = float(row.diff_mean) > 0
    return BETTER if up == outcome.higher_is_better else WORSE


def _comparison_chart(results: Results) -> Chart:
    names, hover = labels(results), hover_names(results)
    n = len(results.configurations)
    # Units sit in the subplot titles, so no axis title can run into its neighbour's.
    height = max(520, 2 * (20 * n + 110))
    fig = make_subplots(
        rows=2,
        cols=3,
        shared_yaxes=True,
        vertical_spacing=min(0.2, 120 / height),
        horizontal_spacing=0.05,
        subplot_titles=[o.axis for o in HEADLINE]
        + [f"Difference ({o.diff_unit})" for o in HEADLINE],
    )
    order = [names[c] for c in results.configurations][::-1]
    for col, outcome in enumerate(HEADLINE, start=1):
        df = scaled(compare(results, outcome.key), outcome)
        y = [names[c] for c in df["configuration"]]
        verdicts = [_verdict(r, outcome, results.baseline) for r in df.itertuples()]
        colours = [VERDICT_COLOURS[v] for v in verdicts]
        open_ = [v == NO_DIFFERENCE for v in verdicts]
        who = [[hover[c], v] for c, v in zip(df["configuration"], verdicts, strict=True)]
        fig.add_trace(
            go.Scatter(
                x=df["mean"],
                y=y,
                mode="markers",
                marker={"color": colours, "size": 9},
                error_x=err(df, "mean", "ci_low", "ci_high"),
                name=outcome.label,
                showlegend=False,
                customdata=who,
                hovertemplate="%{customdata[0]}<br>%{x:.4g} "
                + outcome.unit
                + "<br>%{customdata[1]}<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                x=df["diff_mean"],
                y=y,
                mode="markers",
                marker={
                    "color": colours,
                    "size": 9,
                    "symbol": ["diamond-open" if o else "diamond" for o in open_],
                },
                error_x=err(df, "diff_mean", "diff_ci_low", "diff_ci_high"),
                name=f"{outcome.label}: difference",
                showlegend=False,
                customdata=who,
                hovertemplate="%{customdata[0]}<br>%{x:+.4g} "
                + outcome.diff_unit
                + "<br>%{customdata[1]}<extra></extra>",
            ),
            row=2,
            col=col,
        )
        fig.add_vline(x=0, line={"color": "#444", "width": 1, "dash": "dot"}, row=2, col=col)
    fig.update_yaxes(categoryorder="array", categoryarray=order, automargin=True)
    style(
        fig,
        "Poverty, placement and cost by configuration (mean and 95% CI across seeds)",
        height,
    )
    return Chart(
        "headline",
        fig,
        "Top row: each dot is a configuration's mean over seeds with its 95% confidence "
        "interval; bottom row: the paired difference from the baseline on the same seeds. "
        "Blue: better than the baseline, red: worse, in both cases with an interval that "
        "excludes the dotted zero line; grey and hollow: no detectable difference (the "
        "interval contains zero).",
    )


def _dimension_effects(results: Results) -> Chart | None:
    """Each swept dimension's values against the baseline's value, averaged over the
    other dimensions and paired by seed."""
    dims = results.dimensions
    if len(dims) < 2:
        return None
    runs = results.complete
    base_row = runs[runs["configuration"] == results.baseline].iloc[0]
    fig = make_subplots(
        rows=len(dims),
        cols=3,
        vertical_spacing=0.5 / len(dims),
        horizontal_spacing=0.06,
        subplot_titles=[o.axis for o in HEADLINE] + [""] * (3 * (len(dims) - 1)),
    )
    for r, dim in enumerate(dims, start=1):
        ref = str(base_row[dim])
        for c, outcome in enumerate(HEADLINE, start=1):
            if outcome.key not in runs.columns:
                continue
            per_seed = (
                runs.assign(_v=runs[dim].astype(str))
                .groupby(["_v", "seed", "replicate"])[outcome.key]
                .mean()
                .unstack("_v")
            )
            rows = []
            for value in sort_values(per_seed.columns):
                diff = (per_seed[value] - per_seed[ref]) * outcome.scale
                rows.append((value, *t_interval(diff.to_numpy())[:3]))
            df = pd.DataFrame(rows, columns=["value", "diff_mean", "diff_ci_low", "diff_ci_high"])
            df["configuration"] = [results.baseline if v == ref else v for v in df["value"]]
            verdicts = [_verdict(row, outcome, results.baseline) for row in df.itertuples()]
            fig.add_trace(
                go.Scatter(
                    x=df["diff_mean"],
                    y=[plot_text(glossary.value_text(v)) for v in df["value"]],
                    mode="markers",
                    marker={
                        "color": [VERDICT_COLOURS[v] for v in verdicts],
                        "size": 9,
                        "symbol": [
                            "circle-open" if v == NO_DIFFERENCE else "circle" for v in verdicts
                        ],
                    },
                    error_x=err(df, "diff_mean", "diff_ci_low", "diff_ci_high"),
                    showlegend=False,
                    customdata=verdicts,
                    hovertemplate="%{y}<br>%{x:+.4g} " + outcome.diff_unit + "<br>%{customdata}"
                    "<extra></extra>",
                ),
                row=r,
                col=c,
            )
            fig.add_vline(x=0, line={"color": "#444", "width": 1, "dash": "dot"}, row=r, col=c)
            fig.update_xaxes(
                title_text=f"difference vs {plot_text(glossary.value_text(ref))} "
                f"({outcome.diff_unit})",
                row=r,
                col=c,
            )
        values = sort_values(runs[dim].astype(str).unique())
        order = [plot_text(glossary.value_text(v)) for v in values]
        fig.update_yaxes(categoryorder="array", categoryarray=order, row=r)
        fig.update_yaxes(title_text=wrap(glossary.parameter(dim), 24), row=r, col=1)
    fig.update_yaxes(automargin=True)
    rows = max(len(runs[d].astype(str).unique()) for d in dims)
    style(
        fig,
        "Main effect of each swept dimension (paired by seed, 95% CI)",
        len(dims) * max(240, 24 * rows + 150),
    )
    return Chart(
        "dimension-effects",
        fig,
        "Each row is one swept dimension: a dot is the mean change, over the other "
        "dimensions and the same seeds, from setting it to that value instead of the "
        "baseline's value.",
    )


def _run_table(results: Results) -> str:
    row = results.complete.iloc[0]
    cells = "".join(
        f"<tr><th>{esc(o.label)}</th><td>{esc(fmt(row.get(o.key), o))}</td>"
        f"<td>{esc(o.unit)}</td></tr>"
        for o in HEADLINE
    )
    return f'<table class="kv">{cells}</table>'


def build(results: Results) -> View:
    view = View("headline", TITLE)
    if not results.is_sweep or len(results.configurations) < 2:
        view.notes.append(sweep_only_note("The headline comparison with confidence intervals"))
        view.html = _run_table(results)
        if results.is_sweep:
            view.charts.append(_comparison_chart(results))
        return view
    view.charts.append(_comparison_chart(results))
    effects = _dimension_effects(results)
    if effects is not None:
        view.charts.append(effects)
    return view
