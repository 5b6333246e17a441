"""``run(config) -> RunResult``: one simulation, knowing nothing of Hydra."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import io
from .config import Config, validate
from .model import LabourMarket
from .runtime import tune_allocator


@dataclass
class RunResult:
    config: Config
    timeseries: pd.DataFrame
    transitions: pd.DataFrame
    spells: pd.DataFrame
    summary: dict
    manifest: dict | None = None


def run(
    cfg: Config,
    out_dir: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
    overrides: list[str] | tuple[str, ...] = (),
) -> RunResult:
    """Simulate ``cfg``; when ``out_dir`` is given, write the run directory there (with the
    command-line ``overrides`` that produced ``cfg`` recorded in its manifest)."""
    validate(cfg)
    tune_allocator()
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    model = LabourMarket(cfg)
    model.run(progress)
    result = RunResult(
        cfg, model.timeseries(), model.transitions(), model.spells(), model.summary()
    )
    if out_dir is not None:
        tables = {name: getattr(result, name) for name in io.TABLES}
        result.manifest = io.write_run(Path(out_dir), cfg, tables, result.summary, overrides)
    return result
