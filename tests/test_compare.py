"""``python -m sim.compare A B``: two runs or two sweeps, with the aggregate's table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sim.analysis.compare import compare_sides, main, side
from tests.dashboard_fixtures import shared_sweep


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_sweep(tmp_path_factory.getbasetemp())


def _run_of(sweep: Path, regime: str, seed: int) -> Path:
    for d in sorted(p for p in sweep.iterdir() if p.name.isdigit()):
        m = json.loads((d / "manifest.json").read_text())
        if f"regime={regime}" in m["overrides"] and m["seed"] == seed:
            return d
    raise LookupError(regime)


def test_two_runs_on_the_same_seed_are_paired(sweep_dir: Path, capsys) -> None:
    a, b = _run_of(sweep_dir, "coordination", 1), _run_of(sweep_dir, "integration", 1)
    assert main([str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "A: Regime: coordination" in out and "B: Regime: integration" in out
    [(_, comparison)] = compare_sides(side(a), side(b), ("A", "B"))
    pov = comparison[(comparison.outcome == "poverty_headcount")].set_index("configuration")
    ya = json.loads((a / "summary.json").read_text())["poverty_headcount"]
    yb = json.loads((b / "summary.json").read_text())["poverty_headcount"]
    assert pov.at["B", "diff_mean"] == pytest.approx(yb - ya, abs=1e-12)
    assert pov.at["B", "n_pairs"] == 1
    assert f"{100 * (yb - ya):+.2f} pp" in out


def test_two_sweeps_are_compared_configuration_by_configuration(
    sweep_dir: Path, tmp_path: Path, capsys
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(sweep_dir, copy)
    assert main([str(sweep_dir), str(copy)]) == 0
    out = capsys.readouterr().out
    for regime in ("integration", "coordination", "cooperation"):
        assert f"configuration regime={regime}" in out
    tables = compare_sides(side(sweep_dir), side(copy), ("A", "B"))
    assert len(tables) == 3
    for _, comparison in tables:
        b = comparison[comparison.configuration == "B"]
        assert (b["diff_mean"].abs() < 1e-12).all() and (b["n_pairs"] == 2).all()


def test_a_side_that_is_neither_gets_one_line(sweep_dir: Path, tmp_path: Path, capsys) -> None:
    assert main([str(sweep_dir), str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "neither a run" in err
