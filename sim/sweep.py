"""Sweeps: which jobs a multirun command describes, and where each job of a sweep stands.

Hydra launches the jobs (joblib, submitit, Ray); this module only plans and keeps count:
- ``plan`` expands the command-line overrides and a preset's ``hydra.sweeper.params`` into
  the list of jobs, as Hydra's basic sweeper does (a cartesian product, preset axes first);
- a run directory is *complete* (manifest present, hashes match), *failed* (``error.json``,
  with the overrides and the error), or *missing* (never started or killed mid-run);
- ``sweep.json`` in the sweep directory records the plan, so every job can print the
  sweep-level count of done / failed / remaining with an estimate of the time left.

The plan is the truth: job ``i`` of the plan lives in directory ``i``, and only a run whose
recorded overrides are job ``i``'s counts for it. Directories numbered beyond the plan, or
holding another job's run (an earlier sweep's, in a re-used directory), are *outside the
plan*: never counted, aggregated or compared, only reported.
"""

from __future__ import annotations

import contextlib
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
    """Every job of a multirun as its list of plain ``key=value`` overrides, in Hydra's
    order (job ``i`` is Hydra's job number ``i``), as its basic sweeper builds them.

    ``sweeper_params`` (a preset's ``hydra.sweeper.params``) come first; a key given again
    (on the command line, or twice) replaces the earlier axis in its place.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser

    overrides = [o for o in overrides if not override_key(o).startswith("hydra")]
    preset = [f"{k}={v}" for k, v in (sweeper_params or {}).items()]
    axes: dict[str, list[str]] = {}
    for o in OverridesParser.create().parse_overrides([*preset, *overrides]):
        key = o.get_key_element()
        if o.is_sweep_override():
            axes[key] = [f"{key}={v}" for v in o.sweep_string_iterator()]
        else:
            axes[key] = [f"{key}={o.get_value_element_as_str()}"]
    return [list(combo) for combo in itertools.product(*axes.values())]


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
def _normal(override: str) -> str:
    key, _, value = override.partition("=")
    return f"{override_key(key)}={value.strip()}"


def same_job(recorded: Iterable[str], planned: Iterable[str]) -> bool:
    """Whether a run directory's recorded overrides are those of the planned job (in any
    order; Hydra's own ``hydra.*`` overrides aside)."""
    mine = sorted(_normal(o) for o in recorded if not override_key(o).startswith("hydra"))
    return mine == sorted(_normal(o) for o in planned if not override_key(o).startswith("hydra"))


def job_state(run_dir: Path, planned: list[str] | None, verify: bool = True) -> tuple[str, bool]:
    """Where a planned job stands in its directory, and whether the directory holds the run
    of another job instead (an earlier sweep's, when a sweep directory is re-used).

    ``verify`` checks every SHA-256 of a complete run; without it a manifest suffices (the
    cheap count printed after each job). With ``planned`` None (no plan) any run counts."""
    run_dir = Path(run_dir)
    if (run_dir / io.MANIFEST).exists() and (not verify or io.is_complete(run_dir)):
        marker, state = run_dir / io.MANIFEST, COMPLETE
    elif (run_dir / ERROR).exists():
        marker, state = run_dir / ERROR, FAILED
    else:
        return MISSING, False
    if planned is None:
        return state, False
    try:
        recorded = io.read_json(marker).get("overrides")
    except (OSError, ValueError, AttributeError):
        recorded = None
    if recorded is None or not same_job(recorded, planned):
        return MISSING, True
    return state, False


def status(run_dir: Path) -> str:
    return job_state(run_dir, None)[0]


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
    """Forget an earlier failure of this job (and any half-written ``error.json``)."""
    (run_dir / ERROR).unlink(missing_ok=True)
    if run_dir.is_dir():
        io.remove_leftovers(run_dir, (ERROR,))


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
    """Where the sweep in ``sweep_dir`` stands (None without a plan): only the plan's jobs
    are counted, and a directory holding another job's run counts as remaining."""
    found = read_plan(sweep_dir)
    if found is None:
        return None
    started = float(found["started"])
    done = failed = finished_now = 0
    for i, job in enumerate(found["jobs"]):
        d = Path(sweep_dir) / str(i)
        state, _ = job_state(d, job, verify=False)
        if state == MISSING:
            continue
        done += state == COMPLETE
        failed += state == FAILED
        marker = d / (io.MANIFEST if state == COMPLETE else ERROR)
        with contextlib.suppress(OSError):  # removed since: not finished now
            finished_now += os.stat(marker).st_mtime >= started
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
