"""``python -m sim.check``: runs and sweeps against their calibration targets (issue 11)."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from sim.analysis.check import CALIBRATION, drift_z, main
from sim.runner import run

from .conftest import ROOT, load_config, small

TARGETS = tuple(load_config().targets)  # the default economy's targets


def _run(path, *overrides, replicate=0):
    cfg = small(*overrides, f"run.replicate={replicate}", size=1500, months=36)
    run(cfg, path, overrides=list(overrides))
    return path


def _loose(tolerance=1.0):
    return [f"targets.{t}.tolerance={tolerance}" for t in TARGETS]


def test_check_passes_a_run_within_its_targets(tmp_path, capsys):
    path = _run(tmp_path / "run", *_loose())
    assert main([str(path)]) == 0
    out = json.loads((path / CALIBRATION).read_text())
    assert out["passed"] and len(out["targets"]) == len(TARGETS)
    row = out["targets"][0]
    assert row["replicates"] == 1 and row["ci_low"] is None  # one run: no interval
    assert {"source", "location", "tolerance_basis", "z"} <= set(row)
    printed = capsys.readouterr().out
    assert "pass" in printed and "FAIL" not in printed


def test_check_fails_a_run_off_target_with_exit_code_1(tmp_path, capsys):
    path = _run(
        tmp_path / "run",
        *_loose(),
        "targets.unemployment_rate.value=0.9",
        "targets.unemployment_rate.tolerance=0.01",
    )
    assert main([str(path)]) == 1
    out = json.loads((path / CALIBRATION).read_text())
    bad = [t for t in out["targets"] if not t["passed"]]
    assert [t["target"] for t in bad] == ["unemployment_rate"]
    assert bad[0]["z"] < -2  # the simulated rate is far below 0.9
    assert "unemployment_rate" in capsys.readouterr().err


def test_check_pools_the_replicates_of_a_sweep(tmp_path):
    sweep = tmp_path / "sweep"
    for r in range(3):
        _run(sweep / str(r), *_loose(), replicate=r)
    assert main([str(sweep)]) == 0
    rows = json.loads((sweep / CALIBRATION).read_text())["targets"]
    assert all(t["replicates"] == 3 for t in rows)
    assert all(t["ci_low"] <= t["simulated"] <= t["ci_high"] for t in rows)


def test_check_rejects_what_it_cannot_check(tmp_path, capsys):
    assert main([str(tmp_path / "missing")]) == 2
    (tmp_path / "empty").mkdir()
    assert main([str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert "not a directory" in err and "neither a run directory" in err


def test_drift_statistic_flags_a_trend_and_not_noise():
    rng = np.random.default_rng(1)
    noise = rng.normal(0.08, 0.002, 180)
    assert abs(drift_z(noise)) < 4
    trend = noise + np.linspace(0, 0.01, 180)
    assert drift_z(trend) > 4
    # autocorrelated noise (an AR(1) with rho 0.9) is not a trend either
    ar = np.zeros(180)
    for t in range(1, 180):
        ar[t] = 0.9 * ar[t - 1] + rng.normal(0, 0.001)
    assert abs(drift_z(0.08 + ar)) < 4


def test_command_line_exit_code(tmp_path):
    path = _run(
        tmp_path / "run",
        *_loose(),
        "targets.youth_neet_rate.value=0.9",
        "targets.youth_neet_rate.tolerance=0.01",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "sim.check", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 1, proc.stderr
    assert "youth_neet_rate" in proc.stderr and "Traceback" not in proc.stderr


def test_a_target_must_say_where_its_tolerance_comes_from():
    from sim.fields import ConfigError

    with pytest.raises(ConfigError, match="tolerance_basis"):
        small("targets.unemployment_rate.tolerance_basis=' '")
