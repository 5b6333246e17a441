"""Simulated moments for the analysis commands (calibrate, sensitivity, validate).

One place runs a configuration at several replicates in worker processes and reads named
moments (dotted paths into the run's summary, as targets name them) from each replicate.
Every run of a point ``(overrides, replicate r)`` uses the scenario's seed with
``run.replicate=r``, so two points at the same ``r`` see the same random numbers (common
random numbers): differences between points are the parameters', not the luck's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np

from ..config import ConfigError


def moment(summary: dict, dotted: str) -> float:
    """The summary value at a dotted path (``by_sex.female.unemployment_rate``)."""
    value = summary
    for part in dotted.split("."):
        value = value[part]
    return float(value)


def _one(args: tuple) -> list[float]:
    """One replicate of one point: its moments in the order asked."""
    import logging

    from hydra.core.global_hydra import GlobalHydra

    from ..config import load
    from ..model import LabourMarket
    from ..runtime import tune_allocator

    overrides, replicate, keys = args
    GlobalHydra.instance().clear()  # a forked copy of the Hydra app that called us
    tune_allocator()
    logging.getLogger("MESA").setLevel(logging.WARNING)
    model = LabourMarket(load(*overrides, f"run.replicate={replicate}"))
    model.run()
    summary = model.summary()
    return [moment(summary, k) for k in keys]


class Simulator:
    """Runs points at ``replicates`` replicates with ``jobs`` worker processes."""

    def __init__(self, base: Sequence[str], keys: Sequence[str], jobs: int = 2) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.base = tuple(base)
        self.keys = tuple(keys)
        self.jobs = jobs
        self._pool: Executor | None = None

    def __enter__(self) -> Simulator:
        # forked workers (spawned ones fail inside a joblib/loky launcher's job, whose
        # start method plain multiprocessing does not know); each clears the Hydra state it
        # inherits before composing (``_one``)
        self._pool = ProcessPoolExecutor(self.jobs, mp_context=get_context("fork"))
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown()

    def run(self, points: Sequence[Sequence[str]], replicates: Sequence[int]) -> np.ndarray:
        """Moments of every point at every replicate: shape (points, replicates, keys)."""
        tasks = [((*self.base, *p), r, self.keys) for p in points for r in replicates]
        if self._pool is None:
            raise RuntimeError("Simulator.run outside its with-block")
        rows = list(self._pool.map(_one, tasks))
        return np.asarray(rows, float).reshape(len(points), len(replicates), len(self.keys))


@dataclass(frozen=True)
class Parameter:
    """A numeric parameter of the schema: its current value and its search range."""

    key: str
    value: float
    lo: float
    hi: float
    integer: bool = False

    def override(self, x: float) -> str:
        return f"{self.key}={round(x) if self.integer else float(x)!r}"


def parameter(
    key: str, cfg, bounds: dict[str, tuple[float, float]] | None = None, widen: float = 4.0
) -> Parameter:
    """The parameter at ``key`` of ``cfg``, bounded by the schema's range.

    A schema range open above (``hi`` infinite) is closed at ``widen`` times the current
    value (or 1 when it is 0); ``bounds`` (from the command line) narrow either end."""
    from dataclasses import asdict

    from ..config import _field_meta

    meta = _field_meta(key)
    if "lo" not in meta:
        raise ConfigError(f"{key}: not a numeric parameter of the schema")
    value: object = asdict(cfg)
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            raise ConfigError(f"{key}: not a parameter of this configuration")
        value = value[part]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{key} = {value!r}: not a number (a list or a switch cannot be fitted)")
    lo, hi = float(meta["lo"]), float(meta["hi"])
    if not math.isfinite(hi):
        hi = widen * float(value) if value else 1.0
    if not math.isfinite(lo):
        lo = -hi
    if bounds and key in bounds:
        blo, bhi = bounds[key]
        if not (lo <= blo < bhi <= hi):
            raise ConfigError(
                f"{key}: bounds [{blo:g}, {bhi:g}] must lie inside the schema's range "
                f"[{lo:g}, {hi:g}] with lo < hi"
            )
        lo, hi = blo, bhi
    return Parameter(key, float(value), lo, hi, bool(meta.get("_int")))


def nest(values: dict[str, float]) -> dict:
    """Dotted keys as nested mappings (a YAML file Hydra merges at the root)."""
    out: dict = {}
    for dotted, v in values.items():
        node = out
        *parents, leaf = dotted.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = v
    return out
