"""The sweep plan is the truth, and resume knows the code version (issue 15).

Through the real command line on tiny runs (1,000 workers x 12 months, Hydra's serial
launcher): a re-used sweep directory aggregates only the current plan's jobs and says how
many directories lie outside it; a complete run made by other code is redone unless
``--resume-any-code``; the aggregate refuses to combine code versions unless told to.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim import aggregate, io, sweep
from sim.runner import run

from .conftest import ROOT, small

TINY = ("population=small", "population.size=1000", "run.months=12", "run.burn_in=2")
REGIMES = "regime=integration,cooperation"


def sim_multirun(sweep_dir: Path, *overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "-m",
            *TINY,
            *overrides,
            "hydra/launcher=basic",
            f"hydra.sweep.dir={sweep_dir}",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


def sim_aggregate(sweep_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.aggregate", str(sweep_dir), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


@pytest.fixture(scope="module")
def reused(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """Issue 15, finding 1: 3 replicates into D, then 2 replicates into the same D."""
    d = tmp_path_factory.mktemp("reused") / "D"
    first = sim_multirun(d, REGIMES, "run.replicate=range(3)")
    assert first.returncode == 0, first.stderr[-3000:]
    # Job 2 was (integration, replicate 2) and is now (cooperation, replicate 0): a finished
    # run of another sweep would be replaced, so it takes the flag (issue 13).
    refused = sim_multirun(d, REGIMES, "run.replicate=range(2)")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "--replace-other-runs" in refused.stderr and "run 2: " in refused.stderr
    second = sim_multirun(d, REGIMES, "run.replicate=range(2)", "--replace-other-runs")
    assert second.returncode == 0, second.stderr[-3000:]
    return d, second


def test_reused_directory_aggregates_only_the_plan(reused):
    d, proc = reused
    assert "runs: 4 complete, 0 failed, 0 missing (of 4 in the plan)" in proc.stdout
    assert "2 run directories outside the plan left out (4, 5)" in proc.stdout
    summary = pd.read_parquet(d / aggregate.SUMMARY)
    assert list(summary["run"]) == ["0", "1", "2", "3"]
    assert sorted(summary["replicate"]) == [0, 0, 1, 1]
    comparison = pd.read_parquet(d / aggregate.COMPARISON)
    assert (comparison["n"] == 2).all() and (comparison["n_pairs"] == 2).all()
    # the same numbers as a fresh directory given only this plan
    again = sim_aggregate(d)
    assert again.returncode == 0, again.stderr
    assert "(of 4 in the plan)" in again.stdout and "2 run directories outside" in again.stdout


def test_directory_holding_another_jobs_run_is_not_counted(reused, tmp_path):
    """A sweep interrupted before job 1 was redone: directory 1 still holds the earlier
    sweep's run, which is another job, so job 1 is missing, not complete."""
    d = tmp_path / "copy"
    shutil.copytree(reused[0], d)
    plan = json.loads((d / sweep.PLAN).read_text())
    plan["jobs"][1] = [o.replace("run.replicate=1", "run.replicate=7") for o in plan["jobs"][1]]
    (d / sweep.PLAN).write_text(json.dumps(plan))
    summary = aggregate.collect(d)
    assert summary.set_index("run").loc["1", "status"] == sweep.MISSING
    assert summary.attrs["outside"] == ["1", "4", "5"]
    assert sweep.progress(d).done == 3


def test_summary_records_each_runs_code_version(reused):
    summary = pd.read_parquet(reused[0] / aggregate.SUMMARY)
    assert summary["code_version"].notna().all()
    manifest = io.read_json(reused[0] / "0" / io.MANIFEST)
    assert set(summary["code_version"]) == {io.code_label(manifest["code"])}
    assert summary["code_version"].iloc[0].startswith(manifest["code"]["commit"])


def _pretend_other_code(run_dir: Path) -> None:
    """Mark a complete run as made by another commit (the manifest itself is not hashed,
    so the run stays complete)."""
    manifest = io.read_json(run_dir / io.MANIFEST)
    manifest["code"] = {**manifest["code"], "commit": "0" * 40, "dirty": False}
    io.write_json(run_dir / io.MANIFEST, manifest)
    assert io.is_complete(run_dir)


def test_resume_redoes_runs_of_other_code_unless_told(reused, tmp_path):
    d = tmp_path / "resume"
    shutil.copytree(reused[0], d)
    _pretend_other_code(d / "1")
    before = {r: os.stat(d / r / io.MANIFEST).st_mtime_ns for r in "0123"}
    # the aggregate refuses to mix code versions, in one line, unless told to
    refused = sim_aggregate(d)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "2 code versions" in refused.stderr and "--allow-mixed-code" in refused.stderr
    allowed = sim_aggregate(d, "--allow-mixed-code")
    assert allowed.returncode == 0, allowed.stderr
    assert "runs of different code versions combined" in allowed.stdout
    # a deliberate resume keeps it, and the end-of-sweep aggregate accepts the mix
    kept = sim_multirun(d, REGIMES, "run.replicate=range(2)", "--resume-any-code")
    assert kept.returncode == 0, kept.stderr[-3000:]
    assert "kept, --resume-any-code" in kept.stdout
    assert os.stat(d / "1" / io.MANIFEST).st_mtime_ns == before["1"]
    assert "runs of different code versions combined" in kept.stdout
    # a plain resume redoes it with this code, and only it
    redone = sim_multirun(d, REGIMES, "run.replicate=range(2)")
    assert redone.returncode == 0, redone.stderr[-3000:]
    assert "job 1: complete but made by code 0000" in redone.stdout
    after = {r: os.stat(d / r / io.MANIFEST).st_mtime_ns for r in "0123"}
    assert after["1"] != before["1"]
    assert all(after[r] == before[r] for r in "023")
    assert pd.read_parquet(d / aggregate.SUMMARY)["code_version"].nunique() == 1


def test_another_sweep_never_replaces_finished_runs_silently(tmp_path):
    """Issue 13: a sweep whose job i differs from the finished run in directory i is refused
    in one line that says how to proceed, and nothing in the directory changes."""
    d = tmp_path / "D"
    first = sim_multirun(d, REGIMES)
    assert first.returncode == 0, first.stderr[-3000:]
    before = {r: (d / r / io.MANIFEST).read_bytes() for r in "01"}
    proc = sim_multirun(d, "regime=integration,coordination")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1
    assert "holds 1 finished run(s) of another sweep" in line
    assert "regime=cooperation" in line and "now: " in line and "regime=coordination" in line
    assert "hydra.sweep.dir=ANOTHER_DIR" in line and "--replace-other-runs" in line
    assert {r: (d / r / io.MANIFEST).read_bytes() for r in "01"} == before
    # the same sweep again is a resume, not a replacement
    again = sim_multirun(d, REGIMES)
    assert again.returncode == 0 and "2 of 2 jobs already complete" in again.stdout


def test_preset_with_other_overrides_gets_its_own_directory(tmp_path):
    """Issue 13: ``sweep=NAME`` plus other overrides is another sweep than the preset's, so
    it goes to a directory named after them, and the preset's own directory is untouched."""
    configs = tmp_path / "configs"
    shutil.copytree(ROOT / "configs", configs)
    preset = configs / "sweep" / "regimes.yaml"
    preset.write_text(
        preset.read_text().replace("dir: results/sweeps/regimes", f"dir: {tmp_path}/regimes")
    )
    base = [sys.executable, "-m", "sim", "-m", "--config-path", str(configs), "sweep=regimes"]
    run_ = lambda *extra: subprocess.run(  # noqa: E731
        [*base, *TINY, "run.replicate=range(1)", *extra, "hydra/launcher=basic"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    proc = run_()
    assert proc.returncode == 0, proc.stderr[-3000:]
    own = tmp_path / (
        "regimes+population.size=1000+population=small+run.burn_in=2+run.months=12"
        "+run.replicate=range_1"
    )
    assert f"its own directory {own}" in proc.stdout
    assert (own / aggregate.SUMMARY).exists() and not (tmp_path / "regimes").exists()
    other = run_("economy.demand_index=0.9")
    assert other.returncode == 0, other.stderr[-3000:]
    assert (own / aggregate.SUMMARY).exists()
    mine = pd.read_parquet(own / aggregate.SUMMARY)
    assert len(mine) == 3 and (mine["status"] == sweep.COMPLETE).all()
    assert len(list(tmp_path.glob("regimes+economy.demand_index=0.9+*"))) == 1


def test_resume_any_code_needs_a_sweep(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "sim", *TINY, "--resume-any-code", f"hydra.run.dir={tmp_path}/r"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2 and proc.stderr.strip().endswith("add -m")
    assert not (tmp_path / "r").exists()


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_code_version_tells_dirty_copies_apart(tmp_path):
    repo = tmp_path / "repo"
    (repo / "sim").mkdir(parents=True)
    (repo / "sim" / "a.py").write_text("x = 1\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "a")
    clean = io.code_version(repo)
    assert clean["dirty"] is False and clean["commit"]
    (repo / "sim" / "a.py").write_text("x = 2\n")
    one = io.code_version(repo)
    (repo / "sim" / "a.py").write_text("x = 3\n")
    two = io.code_version(repo)
    (repo / "sim" / "b.py").write_text("y = 1\n")  # an untracked file counts too
    three = io.code_version(repo)
    labels = [io.code_label(v) for v in (clean, one, two, three)]
    assert len(set(labels)) == 4, labels
    assert labels[0] == clean["commit"] and "+dirty." in labels[1]
    assert io.code_label(io.code_version(repo)) == labels[3]  # stable


def test_leftover_temporary_files_are_cleaned_when_the_run_completes(tmp_path):
    """A run killed mid-write leaves ``.<file>.tmp-<pid>``; a later successful run in the
    same directory removes them (and only them)."""
    out = tmp_path / "run"
    out.mkdir()
    stale = [out / ".timeseries.parquet.tmp-12345", out / ".manifest.json.tmp-7"]
    for f in stale:
        f.write_bytes(b"partial")
    mine = out / "notes.txt"
    mine.write_text("keep me\n")
    run(small(size=300, months=6, burn_in=1), out)
    assert io.is_complete(out)
    assert not [f for f in stale if f.exists()]
    assert mine.exists()
    # the same for the sweep-level tables
    sweep.write_plan(tmp_path / "s", [])
    left = tmp_path / "s" / f".{aggregate.SUMMARY}.tmp-99"
    left.write_bytes(b"partial")
    aggregate.aggregate(tmp_path / "s")
    assert not left.exists()
