"""A corpus of bad command lines: each must stop with exit status 2 and one line on stderr
naming what is wrong, with no traceback, and leave nothing that looks like a finished run.

It covers every entry point of ``python -m sim``: values, unknown keys at several depths,
reforms, override syntax, output paths, ``--config-path``/``--config-dir`` and the multirun
launcher's settings (issue 15). Every case is small (1,000 workers x 6 months) and nearly
all fail before anything is simulated.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim import io

from .conftest import CONFIG_DIR, ROOT

SMALL = ("population=small", "population.size=1000", "run.months=6", "run.burn_in=1")
MULTI = ("-m", *SMALL)

# (id, command-line arguments after ``python -m sim``, text the error line must contain).
# ``{tmp}`` is the case's temporary directory; ``{file}`` a regular file, ``{ro}`` a
# read-only directory, ``{cfg_*}`` copies of configs/ (see ``places``).
CORPUS: list[tuple[str, list[str], str]] = [
    # ---- values out of range or of the wrong type
    ("probability", ["economy.search.own_sector=1.5"], "economy.search.own_sector = 1.5"),
    ("negative-size", ["population.size=-5"], "population.size = -5"),
    ("text-for-int", ["population.size=abc"], "population.size = 'abc'"),
    ("burn-in", ["run.burn_in=300"], "run.burn_in = 300"),
    ("zero-months", ["run.months=0"], "run.months = 0"),
    ("nan", ["economy.tightness=nan"], "economy.tightness = nan"),
    ("negative-seed", ["seed=-1"], "seed = -1"),
    ("bad-choice", ["policy.poverty.line=median"], "policy.poverty.line = 'median'"),
    ("bad-degree", ["regime.eligibility=total"], "regime.eligibility = 'total'"),
    ("not-a-bool", ["policy.programmes.vocational.enabled=maybe"], "enabled"),
    ("shares-sum", ["population.region_shares=[0.5,0.6]"], "population.region_shares"),
    ("floor-ceiling", ["policy.unemployment_insurance.floor=1e9"], "floor"),
    ("fractional-int", ["run.replicate=1.5"], "run.replicate = 1.5"),
    ("empty-value", ["population.size="], "population.size"),
    # ---- unknown keys, at depths 1 to 5, and unknown group options
    ("unknown-top", ["seedd=1"], "seedd is not a known key"),
    ("unknown-2", ["population.sizee=5"], "population.sizee is not a known key"),
    (
        "unknown-4-sector",
        ["economy.sectors.agriculture.separation_formall=0.1"],
        "separation_formall",
    ),
    ("unknown-4-programme", ["policy.programmes.vocational.costt=1"], "costt"),
    ("unknown-5", ["regime.mechanisms.delivery.coordination.leakagee=0.1"], "leakagee"),
    ("added-unknown", ["+population.extra=1"], "population.extra"),
    (
        "unknown-group-option",
        ["policy=nope"],
        "policy=nope is not an option of policy: options are baseline, no_benefits",
    ),
    ("unknown-regime", ["regime=foo"], "options are cooperation, coordination, integration"),
    ("unknown-group", ["nogroup=x"], "nogroup is not a known key"),
    (
        "new-sector-incomplete",
        ["+economy.sectors.mining.employment_share=0.1"],
        "economy.sectors.mining",
    ),
    ("deleted-required", ["~run.months"], "run.months cannot be deleted"),
    # ---- malformed reforms
    ("reform-path", ["reforms=[{month: 3, path: policy.nope, value: 1}]"], "reforms[0]"),
    ("reform-month", ["reforms=[{month: 500, path: economy.tightness, value: 1.0}]"], "reforms[0]"),
    ("reform-fixed", ["reforms=[{month: 3, path: seed, value: 3}]"], "seed"),
    ("reform-range", ["reforms=[{month: 3, path: economy.tightness, value: -1}]"], "tightness"),
    ("reform-no-value", ["reforms=[{month: 3, path: economy.tightness}]"], "reforms[0].value"),
    ("reform-not-list", ["reforms=5"], "reforms = 5"),
    ("reform-group", ["reforms=[{month: 3, path: economy, value: 1}]"], "group of parameters"),
    (
        "reform-month-text",
        ["reforms=[{month: x, path: economy.tightness, value: 1}]"],
        "reforms[...].month",
    ),
    (
        "reform-extra-key",
        ["reforms=[{month: 3, path: economy.tightness, value: 1, when: 2}]"],
        "reforms[...].when is not",
    ),
    # ---- override syntax
    ("no-key", ["=5"], "=5"),
    ("unclosed-list", ["economy.tightness=[1,2"], "economy.tightness=[1,2"),
    ("unknown-flag", ["--bogus"], "--bogus"),
    # ---- output paths
    ("run-dir-empty", ["hydra.run.dir="], "hydra.run.dir"),
    ("run-dir-in-file", ["hydra.run.dir={file}/run"], "regular file"),
    ("run-dir-is-file", ["hydra.run.dir={file}"], "regular file"),
    ("run-dir-read-only", ["hydra.run.dir={ro}/run"], "not writable"),
    ("sweep-dir-empty", [*MULTI, "run.replicate=0,1", "hydra.sweep.dir="], "hydra.sweep.dir"),
    (
        "sweep-dir-in-file",
        [*MULTI, "run.replicate=0,1", "hydra.sweep.dir={file}/s"],
        "regular file",
    ),
    (
        "sweep-dir-read-only",
        [*MULTI, "run.replicate=0,1", "hydra.sweep.dir={ro}/s"],
        "not writable",
    ),
    # ---- config directories
    ("config-path-syntax", ["--config-path", "{cfg_syntax}"], "economy/mid_income.yaml"),
    ("config-path-binary", ["--config-path", "{cfg_binary}"], "economy/mid_income.yaml"),
    ("config-path-missing", ["--config-path", "{tmp}/nowhere"], "nowhere"),
    ("config-path-no-config", ["--config-path", "{tmp}"], "config.yaml"),
    ("config-path-bad-value", ["--config-path", "{cfg_value}"], "economy.tightness = -1.0"),
    ("config-dir-syntax", ["--config-dir", "{cfg_syntax}"], "economy/mid_income.yaml"),
    ("config-dir-bad-value", ["--config-dir", "{cfg_value}"], "economy/mid_income.yaml"),
    ("config-dir-missing", ["--config-dir", "{tmp}/nowhere"], "nowhere"),
    ("config-name", ["--config-name", "nope"], "nope"),
    # ---- multirun: launcher settings and empty or invalid sweeps
    ("n-jobs-zero", [*MULTI, "run.replicate=0,1", "hydra.launcher.n_jobs=0"], "n_jobs"),
    ("n-jobs-text", [*MULTI, "run.replicate=0,1", "hydra.launcher.n_jobs=abc"], "n_jobs"),
    ("launcher-unknown", [*MULTI, "run.replicate=0,1", "hydra/launcher=nope"], "nope"),
    ("launcher-key", [*MULTI, "run.replicate=0,1", "hydra.launcher.n_jobz=2"], "n_jobz"),
    (
        "submitit-cpus",
        [*MULTI, "run.replicate=0,1", "hydra/launcher=local", "hydra.launcher.cpus_per_task=0"],
        "cpus_per_task",
    ),
    ("empty-sweep", [*MULTI, "run.replicate=range(0)"], "no jobs"),
    ("sweep-subdir", [*MULTI, "run.replicate=0,1", "hydra.sweep.subdir=x"], "hydra.sweep.subdir"),
    ("mode-multirun-empty", ["hydra.mode=MULTIRUN", "run.replicate=range(0)"], "no jobs"),
    ("every-job-bad", [*MULTI, "economy.tightness=-2,-1"], "economy.tightness = -2.0"),
    ("sweep-unknown-key", [*MULTI, "population.sizee=1,2"], "population.sizee"),
]


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    """The files and directories the corpus points at."""
    base = tmp_path_factory.mktemp("bad")
    regular = base / "regular-file"
    regular.write_text("not a directory\n")
    ro = base / "read-only"
    ro.mkdir()
    ro.chmod(0o555)
    out = {"file": str(regular), "ro": str(ro)}
    edits = {
        "syntax": b"tightness: [1.0\n  oops: {\n",
        "binary": b"tightness: 1.0\n\xff\xfe\x00\x81 binary\n",
        "value": None,
    }
    for name, text in edits.items():
        copy = base / f"configs-{name}"
        shutil.copytree(CONFIG_DIR, copy)
        target = copy / "economy" / "mid_income.yaml"
        if text is None:
            body = target.read_text()
            assert "\ntightness: " in body
            lines = [
                "tightness: -1.0" if ln.startswith("tightness: ") else ln
                for ln in body.splitlines()
            ]
            target.write_text("\n".join(lines) + "\n")
        else:
            target.write_bytes(target.read_bytes() + text)
        out[f"cfg_{name}"] = str(copy)
    return out


def _command(args: list[str], tmp: Path, places: dict[str, str]) -> list[str]:
    filled = []
    for a in args:  # not str.format: reforms are written with braces
        for key, value in {"tmp": str(tmp), **places}.items():
            a = a.replace("{" + key + "}", value)
        filled.append(a)
    given = {a.split("=", 1)[0] for a in filled}
    if "-m" in filled:
        extra = [] if "hydra.sweep.dir" in given else [f"hydra.sweep.dir={tmp}/sweep"]
    else:
        extra = [] if "hydra.run.dir" in given else [f"hydra.run.dir={tmp}/run"]
        extra += [a for a in SMALL if a.split("=", 1)[0] not in given]
    cmd = [sys.executable, "-m", "sim", *filled, *extra]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        # root ignores permission bits: drop the capabilities that let it, so that a
        # read-only directory is read-only for this process as for any user
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", *cmd]
    return cmd


def _nothing_complete(tmp: Path) -> None:
    for manifest in tmp.rglob(io.MANIFEST):
        assert not io.is_complete(manifest.parent), f"{manifest.parent} looks complete"


def _one_clean_line(proc: subprocess.CompletedProcess, needle: str) -> str:
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:], proc.stdout[-2000:])
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("sim: "), lines[0]
    assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(("args", "needle"), [c[1:] for c in CORPUS], ids=[c[0] for c in CORPUS])
def test_bad_input_one_line_exit_2(args, needle, places, tmp_path):
    proc = subprocess.run(
        _command(args, tmp_path, places),
        capture_output=True,
        text=True,
        cwd=tmp_path,  # an empty run directory would land here: nothing may appear
        timeout=120,
    )
    _one_clean_line(proc, needle)
    _nothing_complete(tmp_path)
    assert not (tmp_path / "run").exists() and not (tmp_path / "sweep").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written anywhere


def test_full_disk_leaves_nothing_complete(tmp_path):
    """A full disk (the file-size limit of ``ulimit -f``) during the writes of a run: one
    line, exit 2, and no directory that passes for a finished run."""

    def limit() -> None:
        # above Hydra's own .hydra/config.yaml (about 21 KB), below the run's time series
        # (about 240 KB): the disk fills during the run's writes, not Hydra's
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    run_dir = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "sim", *SMALL, f"hydra.run.dir={run_dir}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=limit,
    )
    _one_clean_line(proc, str(run_dir))
    assert not io.is_complete(run_dir)
    assert not list(run_dir.glob(".*.tmp-*"))
    assert not (run_dir / io.MANIFEST).exists()


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 40
    assert len({c[0] for c in CORPUS}) == len(CORPUS)
