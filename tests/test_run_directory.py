"""The run directory: contents, manifest hashes, atomic writes, the CLI end to end."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from sim import io
from sim.outputs import TIMESERIES, columns
from sim.runner import run

from .conftest import ROOT, small

REQUIRED_SUMMARY = (
    "poverty_headcount",
    "poverty_gap",
    "child_poverty_headcount",
    "unemployment_rate",
    "informality_rate",
    "youth_neet_rate",
    "ltu_share",
    "placement_rate_6m",
    "benefit_coverage_unemployed",
    "spend_benefits",
    "spend_almp",
    "spend_admin",
    "spend_total",
    "cost_per_placement",
)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    run(small(size=2000, months=36), out)
    return out


def test_contents(run_dir):
    for name in (*io.OUTPUT_FILES, io.MANIFEST):
        assert (run_dir / name).is_file(), name
    ts = pd.read_parquet(run_dir / "timeseries.parquet")
    cfg = small()
    names, sectors = list(cfg.policy.programmes), list(cfg.economy.sectors)
    assert list(ts.columns) == list(columns(names, sectors)) and len(ts) == 36
    assert list(TIMESERIES) == list(ts.columns)[: len(TIMESERIES)]
    assert ts.month.tolist() == list(range(36))
    tr = pd.read_parquet(run_dir / "transitions.parquet")
    assert {"month", "from_state", "to_state", "life_stage", "sex", "formality", "count"} == set(
        tr.columns
    )
    summary = json.loads((run_dir / "summary.json").read_text())
    for key in REQUIRED_SUMMARY:
        assert isinstance(summary[key], float), key
    assert set(summary["by_life_stage"]) == {"youth", "prime", "older", "pension"}
    assert set(summary["by_sex"]) == {"male", "female"}
    cfg = yaml.safe_load((run_dir / "config.yaml").read_text())
    assert cfg["population"]["size"] == 2000


def test_manifest(run_dir):
    manifest = json.loads((run_dir / io.MANIFEST).read_text())
    assert set(manifest["files"]) == set(io.OUTPUT_FILES)
    for name, digest in manifest["files"].items():
        assert io.sha256(run_dir / name) == digest
    assert manifest["seed"] == small().seed
    assert {"python", "numpy", "pandas", "mesa", "hydra-core"} <= set(manifest["versions"])
    assert len(manifest["config_hash"]) == 64
    assert io.is_complete(run_dir)


def test_altered_output_is_not_complete(run_dir, tmp_path):
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in run_dir.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    assert io.is_complete(copy)
    (copy / "summary.json").write_text("{}")
    assert not io.is_complete(copy)


def test_interrupted_write_leaves_no_manifest(tmp_path, monkeypatch):
    calls = {"n": 0}
    real = io.write_parquet

    def dies_on_second(path, df):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        real(path, df)

    monkeypatch.setattr(io, "write_parquet", dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        run(small(size=500, months=14), tmp_path)
    assert not (tmp_path / io.MANIFEST).exists()
    assert not io.is_complete(tmp_path)
    assert not list(tmp_path.glob(".*tmp*"))  # no half-written files left behind


def test_cli_single_run_and_multirun(tmp_path):
    common = ["population=small", "population.size=800", "run=short"]
    single = subprocess.run(
        [sys.executable, "-m", "sim", *common, f"hydra.run.dir={tmp_path}/one"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert single.returncode == 0, single.stderr
    assert "headline outcomes" in single.stdout and str(tmp_path / "one") in single.stdout
    assert io.is_complete(tmp_path / "one")
    multi = subprocess.run(
        [sys.executable, "-m", "sim", "-m", *common, "seed=1,2", f"hydra.sweep.dir={tmp_path}/sw"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert multi.returncode == 0, multi.stderr
    assert io.is_complete(tmp_path / "sw" / "0") and io.is_complete(tmp_path / "sw" / "1")
    a = (tmp_path / "sw" / "0" / "timeseries.parquet").read_bytes()
    b = (tmp_path / "sw" / "1" / "timeseries.parquet").read_bytes()
    assert a != b
