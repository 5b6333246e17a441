"""View 2: flows between states (Sankey, filtered in the page) and stocks over time
(a slider and play button over months).

Flows are aggregated before embedding: counts are summed into periods of whole years and
averaged over the seeds of a configuration, so a 100-run sweep embeds one small table per
configuration rather than every run's monthly rows.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from sim import glossary

from ..load import Results
from ..style import STATE_COLOURS, STATES, esc
from . import Chart, View
from .common import hover_names, labels, style

TITLE = "2. Transitions between states"
MAX_ROWS = 150_000  # embedded flow rows; periods widen until the table fits
NODE_ORDER = ("entry", *STATES, "exit")
NODE_NAMES = {"entry": "entry (age 15)", "exit": "exit (death)"}


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _flows(results: Results) -> tuple[pd.DataFrame, int] | None:
    """Mean flow per run of each configuration by period, from, to and group."""
    raw = results.per_run("transitions.parquet")
    if raw is None or raw.empty:
        return None
    n_runs = results.complete.groupby("configuration").size()
    keys = ["configuration", "from_state", "to_state", "life_stage", "sex", "formality"]
    months = int(raw["month"].max()) + 1
    period = 12
    while True:
        raw["period"] = raw["month"] // period
        flows = raw.groupby([*keys, "period"], observed=True)["count"].sum().reset_index()
        if len(flows) <= MAX_ROWS or period >= months:
            break
        period *= 2
    flows["value"] = flows["count"] / flows["configuration"].map(n_runs).astype(float)
    return flows, period


def _sankey_trace(flows: pd.DataFrame, nodes: list[str]) -> go.Sankey:
    """Two columns of nodes (state before, state after the move) and the flows; the page's
    script rebuilds the same trace when a filter changes (keep the two in step)."""
    idx = {s: i for i, s in enumerate(nodes)}
    agg = flows.groupby(["from_state", "to_state"])["value"].sum().reset_index()
    agg = agg[agg["value"] > 0]
    n = len(nodes)
    names = [NODE_NAMES.get(s, s) for s in nodes]
    return go.Sankey(
        arrangement="snap",
        valueformat=",.0f",
        valuesuffix=" moves",
        node={
            "label": [f"{x} (from)" for x in names] + [f"{x} (to)" for x in names],
            "color": [STATE_COLOURS.get(s, "#999999") for s in nodes] * 2,
            "pad": 12,
        },
        link={
            "source": [idx[s] for s in agg["from_state"]],
            "target": [n + idx[s] for s in agg["to_state"]],
            "value": agg["value"].round(2).tolist(),
            "color": [_rgba(STATE_COLOURS.get(s, "#999999"), 0.35) for s in agg["from_state"]],
        },
    )


def _select(id_: str, label: str, options: list[tuple[str, str]], selected: str = "") -> str:
    opts = "".join(
        f'<option value="{esc(v)}"{" selected" if v == selected else ""}>{esc(t)}</option>'
        for v, t in options
    )
    return f'<label>{esc(label)} <select id="{id_}" class="filter">{opts}</select></label>'


def _sankey(results: Results, flows: pd.DataFrame, period: int) -> tuple[Chart, dict[str, Any]]:
    _, burn_in = results.months()
    periods = sorted(int(p) for p in flows["period"].unique())
    first = min((p for p in periods if p * period >= burn_in), default=periods[0])
    cats = {k: sorted(flows[k].unique()) for k in ("life_stage", "sex", "formality")}
    order = {"youth": 0, "prime": 1, "older": 2, "pension": 3}
    cats["life_stage"] = sorted(cats["life_stage"], key=lambda s: order.get(s, 9))
    configs = results.configurations
    states = [s for s in NODE_ORDER if s in set(flows["from_state"]) | set(flows["to_state"])]
    code = {s: i for i, s in enumerate(states)}
    cfg_code = {c: i for i, c in enumerate(configs)}
    f = flows[flows["configuration"].isin(cfg_code)]
    names = labels(results)
    data = {
        "configs": [names[c] for c in configs],
        "states": [NODE_NAMES.get(s, s) for s in states],
        "colours": [STATE_COLOURS.get(s, "#999999") for s in states],
        "period": period,
        "c": f["configuration"].map(cfg_code).astype(int).tolist(),
        "p": f["period"].astype(int).tolist(),
        "f": f["from_state"].map(code).astype(int).tolist(),
        "t": f["to_state"].map(code).astype(int).tolist(),
        "l": f["life_stage"].map({v: i for i, v in enumerate(cats["life_stage"])}).tolist(),
        "s": f["sex"].map({v: i for i, v in enumerate(cats["sex"])}).tolist(),
        "x": f["formality"].map({v: i for i, v in enumerate(cats["formality"])}).tolist(),
        "v": f["value"].round(2).tolist(),
    }

    def window(p: int) -> str:
        return f"months {p * period}-{(p + 1) * period - 1}"

    controls = "".join(
        [
            _select(
                "sankey-config",
                "Configuration",
                [
                    (str(i), glossary.configuration(c) + (" (baseline)" * (c == results.baseline)))
                    for i, c in enumerate(configs)
                ],
                "0",
            )
            if len(configs) > 1
            else "",
            _select("sankey-from", "From", [(str(p), window(p)) for p in periods], str(first)),
            _select("sankey-to", "To", [(str(p), window(p)) for p in periods], str(periods[-1])),
            _select(
                "sankey-life",
                "Life stage",
                [("", "all")] + [(str(i), v) for i, v in enumerate(cats["life_stage"])],
            ),
            _select(
                "sankey-sex",
                "Sex",
                [("", "all")] + [(str(i), v) for i, v in enumerate(cats["sex"])],
            ),
            _select(
                "sankey-formality",
                "Last job",
                [("", "all")] + [(str(i), v) for i, v in enumerate(cats["formality"])],
            ),
        ]
    )
    initial = f[
        (f["configuration"] == configs[0]) & (f["period"] >= first) & (f["period"] <= periods[-1])
    ]
    fig = go.Figure(_sankey_trace(initial, states))
    label = names[configs[0]] if len(configs) > 1 else "this run"
    style(
        fig,
        f"Moves between states, {window(first).split('-')[0]}-{(periods[-1] + 1) * period - 1}"
        f" ({label}, mean per run)",
        560,
    )
    chart = Chart(
        "sankey",
        fig,
        "Each band is the number of people who moved from the state on the left to the "
        "state on the right in the chosen window (mean per run); use the filters to restrict "
        "to a life stage, sex or last job's formality.",
        controls=f'<div class="controls">{controls}</div>',
    )
    return chart, data


def _stocks(results: Results) -> Chart | None:
    ts = results.timeseries
    states = [s for s in STATES if ts is not None and f"n_{s}" in ts.columns]
    if ts is None or not states or "n_workers" not in ts.columns:
        return None
    configs = results.configurations
    names, hover = labels(results), hover_names(results)
    mean = ts.groupby(["configuration", "month"])[[f"n_{s}" for s in states] + ["n_workers"]]
    mean = mean.mean()
    share = mean[[f"n_{s}" for s in states]].div(mean["n_workers"], axis=0) * 100.0
    months = sorted(int(m) for m in ts["month"].unique())
    step = max(1, math.ceil(len(months) / 80))
    shown = months[::step]
    if months[-1] not in shown:
        shown.append(months[-1])
    # (month, configuration) x state, in the page's order; NaN where a run is shorter.
    grid = share.reindex(pd.MultiIndex.from_product([configs, shown])).round(2)
    # Horizontal bars: one row per configuration, so 27 or 81 names stay legible.
    y = [names[c] for c in configs]
    who = [hover[c] for c in configs]

    def bars(month: int, full: bool = True) -> list[go.Bar]:
        """The month's bars; a frame (``full=False``) carries only the lengths, so names,
        colours and hover text are embedded once, not once per month (3.6 MB at 81 mixes)."""
        rows = grid.xs(month, level=1)
        if not full:
            return [go.Bar(x=rows[f"n_{s}"].to_numpy()) for s in states]
        return [
            go.Bar(
                y=y,
                x=rows[f"n_{s}"].to_numpy(),
                orientation="h",
                name=s,
                marker_color=STATE_COLOURS[s],
                customdata=who,
                hovertemplate=f"{s}: " + "%{x:.1f}%<extra>%{customdata}</extra>",
            )
            for s in states
        ]

    fig = go.Figure(data=bars(shown[0]))
    fig.frames = [go.Frame(data=bars(m, full=False), name=str(m)) for m in shown]
    slider = {
        "active": 0,
        "currentvalue": {"prefix": "month "},
        "x": 0.12,
        "len": 0.88,
        "pad": {"t": 50},
        "steps": [
            {
                "label": str(m),
                "method": "animate",
                "args": [[str(m)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}],
            }
            for m in shown
        ],
    }
    play = {
        "type": "buttons",
        "showactive": False,
        "direction": "left",
        "x": 0.11,
        "y": 0.0,
        "xanchor": "right",
        "yanchor": "top",
        "pad": {"t": 95, "r": 10},
        "buttons": [
            {
                "label": "Play",
                "method": "animate",
                "args": [None, {"frame": {"duration": 120, "redraw": True}, "fromcurrent": True}],
            },
            {
                "label": "Pause",
                "method": "animate",
                "args": [[None], {"mode": "immediate", "frame": {"duration": 0}}],
            },
        ],
    }
    style(
        fig,
        "Where people are: stocks by state at the end of each month (mean over seeds)",
        max(420, 24 * len(configs) + 260),
        barmode="stack",
        sliders=[slider],
        updatemenus=[play],
        xaxis={"title": "share of people aged 15+ (%)", "range": [0, 100]},
        yaxis={
            "automargin": True,
            "categoryorder": "array",
            "categoryarray": y[::-1],
        },
    )
    fig.update_layout(margin={"b": 150})
    return Chart(
        "stocks",
        fig,
        "Each bar splits the population aged 15+ by state at the chosen month; drag the "
        "slider or press Play to watch the stocks move over the run.",
    )


def build(results: Results) -> View:
    view = View("transitions", TITLE)
    got = _flows(results)
    if got is None:
        view.notes.append("No transitions.parquet in these runs: the Sankey needs it.")
    else:
        chart, data = _sankey(results, *got)
        view.charts.append(chart)
        view.data["sankey"] = data
    stocks = _stocks(results)
    if stocks is not None:
        view.charts.append(stocks)
    return view
