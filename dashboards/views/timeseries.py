"""View 3: key rates and spending month by month, with burn-in, shock periods and reform
dates marked from each configuration's config.yaml (``shocks:``, the named shocks of
sim/shocks.py, and ``reforms:`` entries, where a dated change of an ``economy.*`` parameter
counts as a shock)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..load import Results
from ..style import MONEY, colour, plot_text
from . import Chart, View
from .common import labels, style

TITLE = "3. Rates and spending over time"
PANELS = (
    ("unemployment_rate", "Unemployment rate", "%", 100.0),
    ("poverty_headcount", "Poverty headcount", "%", 100.0),
    ("informality_rate", "Informality rate", "%", 100.0),
    ("ltu_share", "Long-term unemployed share", "%", 100.0),
    ("spend_total", "Public spending", MONEY, 1.0),
)
VISIBLE = 8  # lines shown at first; the rest are one legend click away


@dataclass(frozen=True)
class Event:
    """A dated change from a config's ``reforms:`` list."""

    month: int
    path: str
    value: Any
    configurations: tuple[str, ...]

    @property
    def is_shock(self) -> bool:
        return self.path.startswith("economy.")


def events(results: Results) -> list[Event]:
    """Every reform of every configuration, merged when configurations share it."""
    found: dict[tuple[int, str, str], list[str]] = {}
    values: dict[tuple[int, str, str], Any] = {}
    for c in results.configurations:
        for r in results.config(results.first_run(c)).get("reforms") or []:
            if not isinstance(r, dict) or "month" not in r:
                continue
            key = (int(r["month"]), str(r.get("path", "")), repr(r.get("value")))
            found.setdefault(key, []).append(c)
            values[key] = r.get("value")
    return [Event(k[0], k[1], values[k], tuple(cs)) for k, cs in sorted(found.items())]


def named_shocks(results: Results, months: int) -> list[tuple[str, int, int, tuple[str, ...]]]:
    """``(name, first month, last month + 1, configurations)`` of every shock of
    ``config.yaml``'s ``shocks:`` (sim/shocks.py: months count from burn-in's end; a ramp
    is permanent, so its band runs to the end of the run)."""
    found: dict[tuple[str, int, int], list[str]] = {}
    for c in results.configurations:
        config = results.config(results.first_run(c))
        burn = int(_lookup(config, "run.burn_in") or 0)
        for name, shock in (config.get("shocks") or {}).items():
            changes = [ch for ch in (shock or {}).get("changes") or [] if isinstance(ch, dict)]
            if not changes:
                continue
            start = burn + min(int(ch.get("start", 0)) for ch in changes)
            ramp = any(ch.get("shape") == "ramp" for ch in changes)
            end = months if ramp else burn + max(int(ch.get("end", 0)) for ch in changes)
            found.setdefault((str(name), start, min(end, months)), []).append(c)
    return [(k[0], k[1], k[2], tuple(cs)) for k, cs in sorted(found.items(), key=lambda i: i[0][1])]


def _lookup(config: dict[str, Any], path: str) -> Any:
    node: Any = config
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def shock_periods(
    evts: list[Event], months: int, config: dict[str, Any] | None = None
) -> list[tuple[int, int]]:
    """Months during which some ``economy.*`` parameter is away from its baseline value
    (the value in config.yaml, before reforms): from the change until it is set back, or
    to the end of the run."""
    base = {e.path: _lookup(config or {}, e.path) for e in evts if e.is_shock}
    current = dict(base)
    periods: list[tuple[int, int]] = []
    start: int | None = None
    for month in sorted({e.month for e in evts if e.is_shock}):
        for e in evts:
            if e.is_shock and e.month == month:
                current[e.path] = e.value
        shocked = any(current[p] != base[p] for p in base)
        if shocked and start is None:
            start = month
        elif not shocked and start is not None:
            periods.append((start, month))
            start = None
    if start is not None:
        periods.append((start, months))
    return periods


def build(results: Results) -> View:
    view = View("timeseries", TITLE)
    ts = results.timeseries
    if ts is None:
        view.notes.append("No timeseries.parquet in these runs.")
        return view
    panels = [p for p in PANELS if p[0] in ts.columns]
    names = labels(results)
    fig = make_subplots(
        rows=len(panels),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.035,
        subplot_titles=[p[1] for p in panels],
    )
    mean = ts.groupby(["configuration", "month"])[[p[0] for p in panels]].mean()
    for i, c in enumerate(results.configurations):
        d = mean.loc[c]
        for r, (key, label, unit, scale) in enumerate(panels, start=1):
            fig.add_trace(
                go.Scatter(
                    x=d.index,
                    y=(d[key] * scale).round(4),
                    mode="lines",
                    name=names[c],
                    legendgroup=str(i),
                    showlegend=r == 1,
                    line={"color": colour(i), "width": 1.6, "dash": "solid" if i < 8 else "dot"},
                    visible=True if i < VISIBLE else "legendonly",
                    hovertemplate=f"{label}: " + "%{y:.4g} " + unit + "<br>month %{x}"
                    "<extra>%{fullData.name}</extra>",
                ),
                row=r,
                col=1,
            )
            fig.update_yaxes(title_text=unit, row=r, col=1)
    months, burn_in = results.months()
    months = months or int(ts["month"].max()) + 1
    if burn_in:
        fig.add_vrect(
            x0=0, x1=burn_in, fillcolor="#bbbbbb", opacity=0.25, line_width=0, row="all", col=1
        )
        fig.add_annotation(
            x=burn_in / 2, y=1.0, yref="paper", text="burn-in", showarrow=False, yanchor="bottom"
        )
    evts = events(results)
    base_config = results.config(results.first_run(results.baseline))
    for start, end in shock_periods(evts, months, base_config):
        fig.add_vrect(
            x0=start, x1=end, fillcolor="#E69F00", opacity=0.15, line_width=0, row="all", col=1
        )
    shocks = named_shocks(results, months)
    for k, (name, start, end, cs) in enumerate(shocks):
        fig.add_vrect(
            x0=start, x1=end, fillcolor="#E69F00", opacity=0.15, line_width=0, row="all", col=1
        )
        who = "" if len(cs) == len(results.configurations) else f" ({', '.join(cs)})"
        fig.add_annotation(
            x=start,
            y=1.025 + 0.018 * ((len(evts) + k) % 3),
            yref="paper",
            yanchor="bottom",
            xanchor="left",
            showarrow=False,
            font={"size": 10},
            text=plot_text(f"shock {name}: months {start}-{end}{who}"),
        )
    for k, e in enumerate(evts):
        who = (
            ""
            if len(e.configurations) == len(results.configurations)
            else (" (" + ", ".join(plot_text(c) for c in e.configurations) + ")")
        )
        fig.add_vline(
            x=e.month,
            line={"color": "#D55E00" if e.is_shock else "#000000", "dash": "dash", "width": 1.2},
            row="all",
            col=1,
        )
        kind = "shock" if e.is_shock else "reform"
        fig.add_annotation(
            x=e.month,
            y=1.025 + 0.018 * (k % 3),
            yref="paper",
            yanchor="bottom",
            xanchor="left",
            showarrow=False,
            font={"size": 10},
            text=f"{kind} m{e.month}: {plot_text(e.path)}={plot_text(e.value)}{who}",
        )
    fig.update_xaxes(title_text="month of the run", row=len(panels), col=1)
    style(
        fig,
        "Key rates and spending by month (mean over seeds)",
        190 * len(panels) + 160,
        hovermode="x unified",
    )
    fig.update_layout(margin={"t": 150})
    view.charts.append(
        Chart(
            "timeseries",
            fig,
            "Each line is a configuration's monthly value averaged over seeds; grey marks the "
            "burn-in (not counted in outcomes), orange bands are economic shocks and dashed "
            "lines are reform dates (click a legend entry to show or hide a configuration).",
        )
    )
    if not evts and not shocks:
        view.notes.append("No reforms or shocks are defined in these configurations.")
    return view
