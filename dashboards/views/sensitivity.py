"""The sensitivity page (``python -m sim.sensitivity``): per outcome, a tornado of the
parameters' influence and (Morris) the mu*-sigma plane that tells linear effects from
non-linear or interacting ones."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ..page import render
from ..style import esc
from . import Chart, View
from .common import style


def _short(name: str) -> str:
    return name.rsplit(".", 2)[-2] + "." + name.rsplit(".", 1)[-1] if "." in name else name


def _tornado(part: pd.DataFrame, outcome: str, morris: bool) -> Chart:
    part = part.sort_values("rank", ascending=False)
    value, conf = ("mu_star", "mu_star_conf") if morris else ("ST", "ST_conf")
    fig = go.Figure(
        go.Bar(
            x=part[value],
            y=[_short(p) for p in part.parameter],
            orientation="h",
            error_x={"type": "data", "array": part[conf], "visible": True},
            hovertext=list(part.parameter),
            hovertemplate="%{hovertext}<br>%{x:.4g}<extra></extra>",
        )
    )
    what = "mu* (mean absolute elementary effect)" if morris else "total Sobol index ST"
    style(fig, f"{outcome}: {what}", height=120 + 28 * len(part), xaxis_title=what)
    caption = (
        f"How much {outcome} changes when each parameter moves across its range "
        "(longest bar = most influential; the whisker is SALib's 95% bootstrap interval: "
        "a bar whose whisker reaches 0 is inert at this size)."
        if morris
        else f"Share of the variance of {outcome} each parameter accounts for, with its "
        "interactions (whisker: 95% interval)."
    )
    return Chart(f"tornado-{outcome}", fig, caption)


def _plane(part: pd.DataFrame, outcome: str) -> Chart:
    fig = go.Figure(
        go.Scatter(
            x=part.mu_star,
            y=part.sigma,
            mode="markers+text",
            text=[_short(p) for p in part.parameter],
            textposition="top center",
            hovertext=list(part.parameter),
            hovertemplate="%{hovertext}<br>mu* %{x:.4g}, sigma %{y:.4g}<extra></extra>",
        )
    )
    style(fig, f"{outcome}: mu* against sigma", height=460, xaxis_title="mu*", yaxis_title="sigma")
    top = float(part.mu_star.max()) or 1.0
    fig.update_xaxes(range=[-0.08 * top, 1.3 * top])  # room for the labels at the right
    caption = (
        "Right = influential; high = its effect depends on where the other parameters are "
        "(non-linear or interacting); low and right = a steady, linear effect."
    )
    return Chart(f"plane-{outcome}", fig, caption)


def view(df: pd.DataFrame, meta: dict) -> View:
    morris = meta["method"] == "morris"
    charts = []
    for outcome in meta["outcomes"]:
        part = df[df.outcome == outcome]
        charts.append(_tornado(part, outcome, morris))
        if morris:
            charts.append(_plane(part, outcome))
    ranges = "".join(
        f"<tr><td>{esc(k)}</td><td>{lo:.4g}</td><td>{hi:.4g}</td></tr>"
        for k, (lo, hi) in meta["ranges"].items()
    )
    html = (
        "<table class='table'><thead><tr><th>parameter</th><th>low</th><th>high</th></tr>"
        f"</thead><tbody>{ranges}</tbody></table>"
    )
    return View("sensitivity", "Which parameters matter", charts, [], html)


def page(df: pd.DataFrame, meta: dict) -> str:
    """The self-contained page (plotly.js inlined: it opens offline)."""
    subtitle = [
        f"{meta['method'].capitalize()} screening: {meta['runs']} runs at "
        f"{meta['population_size']:,} workers, seed {meta['seed']}, common random numbers."
    ]
    return render("Sensitivity of outcomes to parameters", subtitle, [view(df, meta)])
