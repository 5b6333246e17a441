"""Sweeps: which jobs a multirun command describes, and where each job of a sweep stands.

Hydra launches the jobs (joblib, submitit, Ray); this module only plans and keeps count:
- ``plan`` expands the command-line overrides and a preset's ``hydra.sweeper.params`` into
  the list of jobs, as Hydra's basic sweeper does (a cartesian product, preset axes first);
- a run directory is *complete* (manifest present, hashes match), *failed* (``error.json``,
  with the overrides and the error), or *missing* (never started or killed mid-run);
- ``sweep.json`` in the sweep directory records the plan, so every job can print the
  sweep-level count of done / failed / remaining with an estimate of the time left.
"""

from __future__ import annotations

import itertools
import os
import time
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import io

PLAN = "sweep.json"
ERROR = "error.json"
COMPLETE, FAILED, MISSING = "complete", "failed", "missing"
#: overrides that pick a random replicate rather than a configuration
SEED_KEYS = ("seed", "run.replicate")


def override_key(override: str) -> str:
    """The key of ``key=value`` (without ``+``/``++``/``~`` prefixes)."""
    return override.split("=", 1)[0].lstrip("+~")


def plan(
    overrides: Iterable[str], sweeper_params: Mapping[str, str] | None = None
) -> list[list[str]]:
    """Every job of a multirun as its list of plain ``key=value`` overrides.

    ``sweeper_params`` (a preset's ``hydra.sweeper.params``) come first; a key given on the
    command line replaces the preset's axis for that key.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    overrides = [o for o in overrides if not override_key(o).startswith("hydra")]
    given = {override_key(o) for o in overrides}
    preset = [f"{k}={v}" for k, v in (sweeper_params or {}).items() if k not in given]
    axes = []
    for o in OverridesParser.create().parse_overrides([*preset, *overrides]):
        key = o.get_key_element()
        if o.is_sweep_override():
            axes.append([f"{key}={v}" for v in o.sweep_string_iterator()])
        else:
            axes.append([f"{key}={o.get_value_element_as_str()}"])
    return [list(combo) for combo in itertools.product(*axes)]


def configuration_label(overrides: Iterable[str], varying: set[str] | None = None) -> str:
    """A configuration's name: its overrides other than seeds (only ``varying`` keys if
    given), in order; ``default`` when there are none."""
    keep = [
        o
        for o in overrides
        if override_key(o) not in SEED_KEYS and (varying is None or override_key(o) in varying)
    ]
    return ", ".join(keep) if keep else "default"


# --------------------------------------------------------------------------- run status
def status(run_dir: Path) -> str:
    if io.is_complete(run_dir):
        return COMPLETE
    if (run_dir / ERROR).exists():
        return FAILED
    return MISSING


def record_failure(run_dir: Path, overrides: list[str], exc: BaseException) -> None:
    """Leave ``error.json`` in a run directory whose job failed (and no manifest)."""
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / io.MANIFEST).unlink(missing_ok=True)
    io.write_json(
        run_dir / ERROR,
        {
            "overrides": overrides,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exception(exc),
        },
    )


def clear_failure(run_dir: Path) -> None:
    (run_dir / ERROR).unlink(missing_ok=True)


def run_dirs(sweep_dir: Path) -> list[Path]:
    """The job directories of a sweep (Hydra names them by job number), in job order."""
    found = [p for p in Path(sweep_dir).iterdir() if p.is_dir() and p.name.isdigit()]
    return sorted(found, key=lambda p: int(p.name))


# --------------------------------------------------------------------------- progress
def write_plan(sweep_dir: Path, jobs: list[list[str]]) -> None:
    sweep_dir.mkdir(parents=True, exist_ok=True)
    io.write_json(sweep_dir / PLAN, {"started": time.time(), "jobs": jobs})


def read_plan(sweep_dir: Path) -> dict | None:
    try:
        return io.read_json(Path(sweep_dir) / PLAN)
    except (OSError, ValueError):
        return None


@dataclass
class Progress:
    total: int
    done: int
    failed: int
    finished_now: int  # finished since this sweep command started
    elapsed: float

    @property
    def remaining(self) -> int:
        return max(self.total - self.done - self.failed, 0)

    def eta(self) -> float | None:
        """Seconds left at this command's pace so far (None before the first job ends)."""
        if self.finished_now == 0:
            return None
        return self.elapsed / self.finished_now * self.remaining

    def line(self) -> str:
        eta = self.eta()
        left = "" if eta is None or self.remaining == 0 else f", about {_duration(eta)} left"
        return (
            f"[sweep] {self.done}/{self.total} done, {self.failed} failed, "
            f"{self.remaining} remaining{left}"
        )


def progress(sweep_dir: Path) -> Progress | None:
    """Where the sweep in ``sweep_dir`` stands (None without a plan)."""
    found = read_plan(sweep_dir)
    if found is None:
        return None
    started = float(found["started"])
    done = failed = finished_now = 0
    for d in run_dirs(sweep_dir):
        marker = None
        if (d / io.MANIFEST).exists():
            done += 1
            marker = d / io.MANIFEST
        elif (d / ERROR).exists():
            failed += 1
            marker = d / ERROR
        if marker is not None and os.stat(marker).st_mtime >= started:
            finished_now += 1
    elapsed = time.time() - started
    return Progress(len(found["jobs"]), done, failed, finished_now, elapsed)


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, s = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{s:02d}s"
    hours, m = divmod(minutes, 60)
    return f"{hours}h{m:02d}m"
