"""View 1: poverty, placement and cost per configuration with 95% CIs across seeds and the
paired difference against the baseline; main effects of each swept dimension."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..load import Results
from ..stats import t_interval
from ..style import GAIN, HEADLINE, NEUTRAL, esc, plot_text
from . import Chart, View
from .common import compare, err, fmt, labels, scaled, style, sweep_only_note

TITLE = "1. Headline comparison"


def _comparison_chart(results: Results) -> Chart:
    names = labels(results)
    fig = make_subplots(
        rows=2,
        cols=3,
        shared_yaxes=True,
        vertical_spacing=0.2,
        horizontal_spacing=0.04,
        subplot_titles=[o.label for o in HEADLINE] + ["paired difference vs baseline"] * 3,
    )
    order = [names[c] for c in results.configurations][::-1]
    for col, outcome in enumerate(HEADLINE, start=1):
        df = scaled(compare(results, outcome.key), outcome)
        y = [names[c] for c in df["configuration"]]
        colours = [NEUTRAL if c == results.baseline else GAIN for c in df["configuration"]]
        fig.add_trace(
            go.Scatter(
                x=df["mean"],
                y=y,
                mode="markers",
                marker={"color": colours, "size": 9},
                error_x=err(df, "mean", "ci_low", "ci_high"),
                name=outcome.label,
                showlegend=False,
                hovertemplate="%{y}<br>%{x:.4g} " + outcome.unit + "<extra></extra>",
            ),
            row=1,
            col=col,
        )
        fig.add_trace(
            go.Scatter(
                x=df["diff_mean"],
                y=y,
                mode="markers",
                marker={"color": colours, "size": 9, "symbol": "diamond"},
                error_x=err(df, "diff_mean", "diff_ci_low", "diff_ci_high"),
                name=f"{outcome.label}: difference",
                showlegend=False,
                hovertemplate="%{y}<br>%{x:+.4g} " + outcome.diff_unit + "<extra></extra>",
            ),
            row=2,
            col=col,
        )
        fig.add_vline(x=0, line={"color": "#444", "width": 1, "dash": "dot"}, row=2, col=col)
        fig.update_xaxes(title_text=outcome.axis, row=1, col=col)
        fig.update_xaxes(
            title_text=f"{outcome.label} difference ({outcome.diff_unit})", row=2, col=col
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order, automargin=True)
    height = max(520, 2 * (22 * len(order) + 140))
    style(
        fig,
        "Poverty, placement and cost by configuration (mean and 95% CI across seeds)",
        height,
    )
    return Chart(
        "headline",
        fig,
        "Top row: each dot is a configuration's mean over seeds with its 95% confidence "
        "interval; bottom row: the paired difference from the baseline on the same seeds, "
        "where an interval that excludes the dotted zero line is a difference the seeds "
        "agree on.",
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
        subplot_titles=[f"{o.label}" for o in HEADLINE] + [""] * (3 * (len(dims) - 1)),
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
            for value in per_seed.columns:
                diff = (per_seed[value] - per_seed[ref]) * outcome.scale
                rows.append((value, *t_interval(diff.to_numpy())[:3]))
            df = pd.DataFrame(rows, columns=["value", "diff_mean", "diff_ci_low", "diff_ci_high"])
            fig.add_trace(
                go.Scatter(
                    x=df["diff_mean"],
                    y=[plot_text(v) for v in df["value"]],
                    mode="markers",
                    marker={"color": GAIN, "size": 9},
                    error_x=err(df, "diff_mean", "diff_ci_low", "diff_ci_high"),
                    showlegend=False,
                    hovertemplate="%{y}<br>%{x:+.4g} " + outcome.diff_unit + "<extra></extra>",
                ),
                row=r,
                col=c,
            )
            fig.update_xaxes(
                title_text=f"difference vs {plot_text(ref)} ({outcome.diff_unit})", row=r, col=c
            )
        fig.update_yaxes(title_text=plot_text(dim.removeprefix("override.")), row=r, col=1)
    fig.update_yaxes(automargin=True)
    style(fig, "Main effect of each swept dimension (paired by seed, 95% CI)", 260 * len(dims))
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
