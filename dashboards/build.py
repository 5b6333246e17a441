"""From a results directory to the page: load, build the eight views, render, write."""

from __future__ import annotations

from pathlib import Path

from sim import glossary

from . import page
from .load import Results, load
from .style import Practical
from .views import (
    View,
    alignment,
    cost,
    distribution,
    headline,
    overview,
    provenance,
    spells,
    timeseries,
    transitions,
)


def views(results: Results, out_file: Path) -> list[View]:
    """ "What this shows", then the eight views in the order of the issue."""
    return [
        overview.build(results),
        headline.build(results),
        transitions.build(results),
        timeseries.build(results),
        spells.build(results),
        cost.build(results),
        alignment.build(results),
        distribution.build(results),
        provenance.build(results, out_file),
    ]


def describe(results: Results) -> tuple[str, list[str], str]:
    """Title, subtitle lines and a banner for the page header."""
    n_ok = len(results.complete)
    n_all = len(results.runs)
    if results.is_sweep:
        title = f"Planner dashboard: sweep {results.root.resolve().name}"
        lines = [
            f"{len(results.configurations)} configurations, {n_ok} of {n_all} runs complete; "
            f"baseline: {glossary.configuration(results.baseline)}.",
            "Swept: "
            + (", ".join(glossary.parameter(d) for d in results.dimensions) or "nothing")
            + ".",
        ]
        banner = (
            ""
            if n_ok == n_all
            else (
                f"{n_all - n_ok} run(s) did not complete and are left out of every chart "
                "(see section 8)."
            )
        )
    else:
        title = f"Planner dashboard: run {results.configurations[0]}"
        lines = [f"Single run in {results.root}."]
        banner = (
            "Built from a single run: views that compare configurations (confidence intervals "
            "across seeds, paired differences, cost-effectiveness, the functions x degree "
            "matrix, gains and losses) need a sweep and say so below."
        )
    months, burn_in = results.months()
    lines.append(f"{months} months per run; outcomes averaged after a burn-in of {burn_in}.")
    return title, lines, banner


def build(
    path: str | Path, out: str | Path | None = None, practical: Practical | None = None
) -> tuple[Path, list[View]]:
    """Write the dashboard of a run or sweep directory; returns its path and the views."""
    results = load(path)
    if practical is not None:
        results.practical = practical
    out_file = Path(out) if out else Path(path) / "dashboard.html"
    out_file.parent.mkdir(parents=True, exist_ok=True)
    built = views(results, out_file)
    title, lines, banner = describe(results)
    out_file.write_text(page.render(title, lines, built, banner), encoding="utf-8")
    return out_file, built
