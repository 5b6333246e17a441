"""Sweeps end to end through the real command line: launchers, aggregation, resume,
failures, reproduction. Runs are tiny (2,000 workers x 24 months) so the whole module
takes about two minutes; what is tested is the sweep machinery, not the model."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim import aggregate, glossary, io, sweep
from sim.reproduce import reproduce

from .conftest import ROOT

TINY = ("population=small", "population.size=2000", "run.months=24", "run.burn_in=6")
SWEEP = ("regime=integration,cooperation", "run.replicate=0,1")


def sim_multirun(sweep_dir: Path, *overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", "-m", *TINY, *overrides, f"hydra.sweep.dir={sweep_dir}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


def run_files(run_dir: Path) -> dict[str, bytes]:
    return {name: (run_dir / name).read_bytes() for name in (*io.OUTPUT_FILES, io.MANIFEST)}


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    """A 4-run sweep (2 regimes x 2 replicates) through the default (joblib) launcher."""
    d = tmp_path_factory.mktemp("sweep") / "joblib"
    proc = sim_multirun(d, *SWEEP)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return d


def test_four_run_sweep_end_to_end(swept):
    assert [p.name for p in sweep.run_dirs(swept)] == ["0", "1", "2", "3"]
    assert all(io.is_complete(d) for d in sweep.run_dirs(swept))
    summary = pd.read_parquet(swept / aggregate.SUMMARY)
    assert len(summary) == 4 and (summary["status"] == "complete").all()
    assert set(summary["configuration"]) == {"regime=integration", "regime=cooperation"}
    assert set(summary["override.population.size"]) == {"2000"}
    assert (
        summary.loc[summary["configuration"] == "regime=cooperation", "delivery"]
        .eq("cooperation")
        .all()
    )
    for col in ("poverty_headcount", "placement_rate_6m", "spend_total", "regime.caseload"):
        assert summary[col].notna().all(), col
    comparison = pd.read_parquet(swept / aggregate.COMPARISON)
    assert set(comparison["configuration"]) == set(summary["configuration"])
    assert comparison.groupby("configuration").size().nunique() == 1  # every outcome for each
    assert (comparison["n"] == 2).all() and (comparison["n_pairs"] == 2).all()
    plan = json.loads((swept / sweep.PLAN).read_text())
    assert len(plan["jobs"]) == 4


def test_confidence_intervals_match_direct_computation(swept):
    summary = pd.read_parquet(swept / aggregate.SUMMARY)
    comparison = pd.read_parquet(swept / aggregate.COMPARISON).set_index(
        ["configuration", "outcome"]
    )
    baseline = comparison["baseline"].iloc[0]
    for label in summary["configuration"].unique():
        for outcome in ("poverty_headcount", "spend_total", "by_sex.female.unemployment_rate"):
            x = summary.loc[summary["configuration"] == label].sort_values("replicate")[outcome]
            b = summary.loc[summary["configuration"] == baseline].sort_values("replicate")[outcome]
            n = len(x)
            half = stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / np.sqrt(n)
            row = comparison.loc[(label, outcome)]
            assert row["mean"] == pytest.approx(x.mean(), rel=1e-12)
            assert row["ci_low"] == pytest.approx(x.mean() - half, rel=1e-9, abs=1e-12)
            assert row["ci_high"] == pytest.approx(x.mean() + half, rel=1e-9, abs=1e-12)
            d = x.to_numpy() - b.to_numpy()  # paired by replicate (same seed)
            dhalf = stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / np.sqrt(n)
            assert row["diff_mean"] == pytest.approx(d.mean(), abs=1e-12)
            assert row["diff_ci_low"] == pytest.approx(d.mean() - dhalf, abs=1e-9)


def test_aggregate_command_rebuilds_the_same_tables(swept, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(swept, copy)
    for name in (aggregate.SUMMARY, aggregate.COMPARISON):
        (copy / name).unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "sim.aggregate", str(copy)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "4 complete, 0 failed, 0 missing" in proc.stdout
    pd.testing.assert_frame_equal(
        pd.read_parquet(copy / aggregate.COMPARISON), pd.read_parquet(swept / aggregate.COMPARISON)
    )


def test_terminal_table_is_narrow_and_in_percentage_points(swept):
    """The comparison table fits 100 columns, rates' differences are in pp (as in the
    dashboard), names come from the glossary, and each cell's ± is the half-width of the
    comparison's 95% interval."""
    comparison = pd.read_parquet(swept / aggregate.COMPARISON)
    table = aggregate.comparison_table(comparison).splitlines()
    assert max(len(line) for line in table) <= aggregate.WIDTH, table
    assert table[1].split()[0] == glossary.parameter("regime")
    assert all(glossary.outcome(k).short in table[1] for k in aggregate.TABLE)
    deltas = [line for line in table[2:] if line.strip().startswith("Δ")]
    assert deltas and all("pp" in line and "%" not in line for line in deltas)
    row = comparison[(comparison.outcome == "poverty_headcount") & ~comparison.is_baseline].iloc[0]
    half = 100 * (row.ci_high - row.ci_low) / 2
    name = row.configuration.split("=", 1)[1]  # one key varies: its values name the rows
    line = next(x for x in table if x.split()[0] == name)
    assert f"{100 * row['mean']:.2f} ±{half:.2f}" in line


def test_wide_terminal_table_switches_to_one_row_per_outcome(swept):
    """27 regime mixes have long names: the table becomes one row per configuration and
    outcome, still within 100 columns, with every mix and every outcome in it."""
    comparison = pd.read_parquet(swept / aggregate.COMPARISON)
    one = comparison[comparison.configuration == comparison.configuration.iloc[0]]
    degrees = ("integration", "coordination", "cooperation")
    mixes = [
        f"regime.eligibility={e}, regime.delivery={d}, regime.financing={f}"
        for e in degrees
        for d in degrees
        for f in degrees
    ]
    many = pd.concat([one.assign(configuration=m) for m in mixes], ignore_index=True)
    many["baseline"] = mixes[0]
    many["is_baseline"] = many["configuration"] == mixes[0]
    table = aggregate.comparison_table(many).splitlines()
    assert max(len(line) for line in table) <= aggregate.WIDTH
    assert sum(line.startswith("eligibility: ") for line in table) == 27
    labels = [glossary.outcome(k).label for k in aggregate.TABLE]
    assert sum(line.strip().startswith(tuple(labels)) for line in table) == 27 * 5


def test_aggregate_refuses_a_single_run_or_a_plain_directory(swept, tmp_path, capsys):
    """A single run (or a directory of neither runs nor a plan) gets one line and exit 2,
    and nothing is written into it."""
    run = tmp_path / "run"
    shutil.copytree(swept / "0", run)
    plain = tmp_path / "plain"
    plain.mkdir()
    for where, what in ((run, "single run"), (plain, "not a sweep directory")):
        assert aggregate.main([str(where)]) == 2
        err = capsys.readouterr().err
        assert what in err and len(err.strip().splitlines()) == 1, err
        assert not (where / aggregate.SUMMARY).exists()


def test_reproduce_passes_untouched_and_names_an_altered_file(swept, tmp_path, capsys):
    assert reproduce(swept / "1") == 0
    assert "reproduced: all" in capsys.readouterr().out
    altered = tmp_path / "altered"
    shutil.copytree(swept / "1", altered)
    ts = pd.read_parquet(altered / "timeseries.parquet")
    ts.loc[5, "poverty_headcount"] += 0.01
    ts.to_parquet(altered / "timeseries.parquet", index=False)
    assert reproduce(altered) == 1
    out = capsys.readouterr().out
    assert "DIFF  timeseries.parquet" in out
    assert "poverty_headcount: 1 rows differ" in out
    assert "same  summary.json" in out


def test_serial_and_parallel_sweeps_are_byte_identical(swept, tmp_path):
    serial = tmp_path / "serial"
    proc = sim_multirun(serial, *SWEEP, "hydra/launcher=basic")
    assert proc.returncode == 0, proc.stderr[-3000:]
    for a, b in zip(sweep.run_dirs(swept), sweep.run_dirs(serial), strict=True):
        assert run_files(a) == run_files(b), a.name


def test_resume_redoes_only_deleted_and_corrupted_runs(swept, tmp_path):
    d = tmp_path / "resume"
    shutil.copytree(swept, d)
    for name in io.OUTPUT_FILES:  # run 1: outputs deleted
        (d / "1" / name).unlink()
    with open(d / "2" / "spells.parquet", "r+b") as fh:  # run 2: one file corrupted
        fh.seek(100)
        fh.write(b"\0\0\0\0")
    before = {r.name: os.stat(r / io.MANIFEST).st_mtime_ns for r in sweep.run_dirs(d)}
    proc = sim_multirun(d, *SWEEP)
    assert proc.returncode == 0, proc.stderr[-3000:]
    after = {r.name: os.stat(r / io.MANIFEST).st_mtime_ns for r in sweep.run_dirs(d)}
    assert after["0"] == before["0"] and after["3"] == before["3"]  # untouched
    assert after["1"] != before["1"] and after["2"] != before["2"]  # redone
    assert "[sweep] 2 of 4 jobs already complete" in proc.stdout  # one line for the batch
    assert "complete, skipped" not in proc.stdout
    for r in sweep.run_dirs(d):
        assert run_files(r) == run_files(swept / r.name), r.name


def test_a_complete_sweep_rerun_launches_nothing(swept, tmp_path):
    """Re-running a complete sweep skips every job before any launcher starts: one line,
    then the aggregation, and no run directory is touched."""
    d = tmp_path / "again"
    shutil.copytree(swept, d)
    before = {r.name: os.stat(r / io.MANIFEST).st_mtime_ns for r in sweep.run_dirs(d)}
    proc = sim_multirun(d, *SWEEP)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "[sweep] 4 of 4 jobs already complete" in proc.stdout
    assert "Launching" not in proc.stdout + proc.stderr and "job 0" not in proc.stdout
    assert "4 complete, 0 failed, 0 missing" in proc.stdout
    after = {r.name: os.stat(r / io.MANIFEST).st_mtime_ns for r in sweep.run_dirs(d)}
    assert after == before


def test_failing_run_is_listed_and_others_complete(tmp_path):
    d = tmp_path / "failing"
    proc = sim_multirun(d, "population.size=2000,-5")
    assert proc.returncode == 2
    assert "population.size = -5 is out of range" in proc.stderr
    assert "Traceback" not in proc.stderr
    summary = pd.read_parquet(d / aggregate.SUMMARY)
    by_run = summary.set_index("override.population.size")
    assert by_run.loc["2000", "status"] == "complete"
    assert by_run.loc["-5", "status"] == "failed"
    assert "out of range" in by_run.loc["-5", "error"]
    assert "failed run 1 (" in proc.stdout and "population.size=-5" in proc.stdout


def test_submitit_local_launcher(tmp_path):
    """``hydra/launcher=local`` is Hydra's submitit launcher without a cluster: the same code
    path (pickled jobs, results read back from files) as ``hydra/launcher=slurm``."""
    d = tmp_path / "submitit"
    proc = sim_multirun(d, "run.replicate=0,1", "hydra/launcher=local")
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary = pd.read_parquet(d / aggregate.SUMMARY)
    assert (summary["status"] == "complete").all() and len(summary) == 2
    assert (d / ".submitit").is_dir()


@pytest.mark.skipif(
    importlib.util.find_spec("hydra_plugins.hydra_ray_launcher") is None,
    reason="Ray launcher not installed (pip install '.[ray]')",
)
def test_ray_launcher(tmp_path):
    d = tmp_path / "ray"
    proc = sim_multirun(d, "run.replicate=0,1", "hydra/launcher=ray")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (pd.read_parquet(d / aggregate.SUMMARY)["status"] == "complete").all()


# --------------------------------------------------------------------------- units
def test_plan_expands_presets_and_command_line():
    jobs = sweep.plan(["regime=a,b", "seed=1"], {"run.replicate": "range(3)", "regime": "x,y,z"})
    assert len(jobs) == 6  # the command line's regime axis replaces the preset's
    assert jobs[0] == ["run.replicate=0", "regime=a", "seed=1"]
    assert {tuple(j) for j in jobs} == {
        ("run.replicate=" + str(r), "regime=" + g, "seed=1") for r in range(3) for g in "ab"
    }


def test_progress_line_counts_and_estimates(tmp_path):
    sweep.write_plan(tmp_path, [["a=1"], ["a=2"], ["a=3"], ["a=4"]])
    for name, marker, overrides in (
        ("0", io.MANIFEST, ["a=1"]),
        ("1", sweep.ERROR, ["a=2"]),
        ("2", io.MANIFEST, ["a=9"]),  # another sweep's run: job 2 is still to do
        ("4", io.MANIFEST, ["a=5"]),  # beyond the plan: not counted
    ):
        (tmp_path / name).mkdir()
        (tmp_path / name / marker).write_text(json.dumps({"overrides": overrides}))
    state = sweep.progress(tmp_path)
    assert (state.total, state.done, state.failed, state.remaining) == (4, 1, 1, 2)
    assert state.finished_now == 2 and state.eta() is not None
    assert state.line().startswith("[sweep] 1/4 done, 1 failed, 2 remaining, about ")


def test_default_baseline_is_the_default_regime():
    summary = pd.DataFrame(
        {
            "status": ["complete"] * 3,
            "configuration": ["regime=integration", "regime=coordination", "regime=cooperation"],
            "override.regime": ["integration", "coordination", "cooperation"],
            "seed": [1, 1, 1],
            "replicate": [0, 0, 0],
            "x": [1.0, 2.0, 4.0],
        }
    )
    assert aggregate.default_baseline(summary) == "regime=coordination"
    out = aggregate.compare(summary).set_index("configuration")
    assert out.loc["regime=cooperation", "diff_mean"] == 2.0
    assert bool(out.loc["regime=coordination", "is_baseline"])
