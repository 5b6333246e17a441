"""View 8: calibration targets against simulated values, and for every run its seed,
config hash, code version and a relative link to its config.yaml, so a reader can trace
any number back to the exact inputs."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim import glossary

from ..load import Results, finite
from ..style import esc, plot_text
from . import Chart, View
from .common import labels, style

TITLE = "8. Calibration and provenance"
VISIBLE = 8


def _calibration(results: Results) -> pd.DataFrame:
    """One row per (configuration, target): simulated averaged over the seeds."""
    rows = []
    for run, configuration in zip(
        results.complete["run"], results.complete["configuration"], strict=True
    ):
        for t in results.summary_json(run).get("calibration") or []:
            if isinstance(t, dict) and "name" in t:
                rows.append({"configuration": configuration, **t})
    if not rows:
        return pd.DataFrame()
    df = pd.DataFrame(rows)
    for c in ("target", "simulated", "tolerance"):
        df[c] = pd.to_numeric(df.get(c), errors="coerce")
    df["source"] = df.get("source", "").fillna("").astype(str)
    if "location" in df:  # where in the source (targets as data, python -m sim.check)
        where = df["location"].fillna("").astype(str)
        df["source"] = np.where(where != "", df["source"] + " (" + where + ")", df["source"])
    return (
        df.groupby(["configuration", "name"], sort=False)
        .agg(
            target=("target", "first"),
            simulated=("simulated", "mean"),
            tolerance=("tolerance", "first"),
            source=("source", "first"),
        )
        .reset_index()
    )


def shown(name: str, value: float, tolerance: bool = False) -> str:
    """A target, simulated value or tolerance in the outcome's display units: rates as
    percentages (8.0%), their tolerances in percentage points (± 2.0 pp)."""
    if not finite(value):
        return "n/a"
    term = glossary.outcome(name)
    v = float(value) * term.scale
    if term.is_rate:
        return f"± {v:.1f} pp" if tolerance else f"{v:.1f}%"
    return f"± {v:.3g}" if tolerance else f"{v:.4g}"


def _calibration_chart(results: Results, cal: pd.DataFrame) -> Chart:
    names = labels(results)
    fig = go.Figure()
    targets = list(dict.fromkeys(cal["name"]))
    ylabels = [plot_text(glossary.outcome(t).label) for t in targets]
    fig.add_vrect(x0=-1, x1=1, fillcolor="#009E73", opacity=0.15, line_width=0)
    fig.add_vline(x=0, line={"color": "#009E73", "width": 2})
    for i, c in enumerate(c for c in results.configurations if c in set(cal["configuration"])):
        d = cal[cal["configuration"] == c].set_index("name").reindex(targets)
        tol = d["tolerance"].where(d["tolerance"] > 0)
        fig.add_trace(
            go.Scatter(
                x=((d["simulated"] - d["target"]) / tol).round(3),
                y=ylabels,
                mode="markers",
                marker={"size": 11, "symbol": "circle"},
                name=names[c],
                visible=True if i < VISIBLE else "legendonly",
                customdata=[
                    [
                        shown(t, d.at[t, "target"]),
                        shown(t, d.at[t, "simulated"]),
                        shown(t, d.at[t, "tolerance"], True),
                        plot_text(d.at[t, "source"]),
                    ]
                    for t in targets
                ],
                hovertemplate="%{y}<br>target %{customdata[0]} %{customdata[2]}"
                "<br>simulated %{customdata[1]}<br>source: %{customdata[3]}"
                "<extra>%{fullData.name}</extra>",
            )
        )
    style(
        fig,
        "Calibration: simulated values against targets",
        140 + 40 * len(targets),
        xaxis={
            "title": "simulated minus target (in tolerances; green band = within)",
            "zeroline": False,
        },
        yaxis={"title": "target", "automargin": True, "autorange": "reversed"},
    )
    return Chart(
        "calibration",
        fig,
        "Each dot is a configuration's simulated value (mean over seeds) minus the target, "
        "divided by the target's tolerance, so dots inside the green band are within "
        "tolerance; hover for the raw values and the source. In the table, z is the gap in "
        "the target's standard errors (a tolerance counts as two), as python -m sim.check "
        "prints it: |z| above 2 is outside the tolerance.",
    )


def _z(simulated: float, target: float, tolerance: float) -> str:
    """The gap in units of the target's uncertainty (the tolerance is about two standard
    errors), as ``python -m sim.check`` prints it."""
    if not (finite(simulated) and finite(tolerance)) or tolerance <= 0:
        return "n/a"
    return f"{(simulated - target) / (tolerance / 2):+.1f}"


def _calibration_table(cal: pd.DataFrame) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "configuration",
            "indicator",
            "target",
            "simulated",
            "tolerance",
            "z",
            "within",
            "source",
        )
    )
    body = []
    for r in cal.itertuples():
        within = (
            abs(r.simulated - r.target) <= r.tolerance
            if finite(r.simulated) and finite(r.tolerance)
            else None
        )
        body.append(
            f"<tr><td>{esc(glossary.configuration(r.configuration))}</td>"
            f"<td>{esc(glossary.outcome(r.name).label)}</td>"
            f"<td>{shown(r.name, r.target)}</td><td>{shown(r.name, r.simulated)}</td>"
            f"<td>{shown(r.name, r.tolerance, True)}</td>"
            f"<td>{_z(r.simulated, r.target, r.tolerance)}</td>"
            f"<td>{'yes' if within else 'no' if within is not None else 'n/a'}</td>"
            f"<td>{esc(r.source)}</td></tr>"
        )
    return (
        f'<table class="data"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
    )


def _provenance_table(results: Results, out_file: Path) -> str:
    rows = []
    for r in results.runs.to_dict("records"):
        run = str(r["run"])
        folder = results.run_dir(run)
        link = Path(os.path.relpath(folder / "config.yaml", out_file.resolve().parent)).as_posix()
        manifest = results.manifest(run) if (folder / "manifest.json").exists() else {}
        code = manifest.get("code") or {}
        commit = str(r.get("commit") or code.get("commit") or "")
        diff = str(code.get("diff_hash") or "")[:8]
        dirty = (f" (dirty {diff})" if diff else " (dirty)") if code.get("dirty") else ""
        package = f"v{code['package']}" if code.get("package") else ""
        version = f"{commit[:10]}{dirty} {package}".strip() or "n/a"
        chash = str(r.get("config_hash") or manifest.get("config_hash") or "")
        seed = r.get("seed")
        seed_txt = (
            "" if seed is None or (isinstance(seed, float) and seed != seed) else (str(int(seed)))
        )
        config_cell = (
            f'<a href="{esc(link)}">config.yaml</a>'
            if (folder / "config.yaml").exists()
            else "missing"
        )
        error = r.get("error") or ""
        rows.append(
            f"<tr><td>{esc(run)}</td><td>{esc(r.get('status', ''))}</td>"
            f"<td>{esc(r.get('configuration', ''))}</td><td>{esc(seed_txt)}</td>"
            f"<td>{esc(r.get('replicate', ''))}</td>"
            f'<td><code title="{esc(chash)}">{esc(chash[:12])}</code></td>'
            f"<td><code>{esc(version)}</code></td><td>{config_cell}</td>"
            f"<td>{esc(error) if isinstance(error, str) else ''}</td></tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "run",
            "status",
            "configuration",
            "seed",
            "replicate",
            "config hash",
            "code version",
            "config",
            "error",
        )
    )
    return (
        f'<div class="scroll"><table class="data" id="provenance-table"><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def build(results: Results, out_file: Path) -> View:
    view = View("provenance", TITLE)
    cal = _calibration(results)
    parts = []
    if cal.empty:
        view.notes.append("This scenario defines no calibration targets.")
    else:
        view.charts.append(_calibration_chart(results, cal))
        parts.append(_calibration_table(cal))
    parts.append(
        '<h3>Runs</h3><p class="caption">One row per run: its seed, the hash of '
        "its resolved config, the code version that produced it and a link to the "
        "config.yaml (relative to this file, so keep the folder layout).</p>"
    )
    parts.append(_provenance_table(results, out_file))
    view.html = "".join(parts)
    return view
