"""Reading run and sweep directories: the only interface between dashboards and the model.

Only files are read (YAML, JSON, Parquet), never ``sim`` code, so results copied from a
cluster build the same dashboard. A single run is presented as a one-configuration,
one-seed results set so that every view works from the same tables.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import yaml

from .style import Practical

RUN_FILES = ("summary.json", "timeseries.parquet")
SWEEP_FILES = ("summary.parquet", "comparison.parquet")
# the luck a comparison pairs on, never a swept dimension
REPLICATE_KEYS = ("override.seed", "override.run.replicate")
# Time-series columns the views use (docs/outputs.md); missing ones are tolerated.
TIMESERIES_COLUMNS = (
    "month",
    "params_version",
    *(f"n_{s}" for s in ("formal", "informal", "unemployed", "training")),
    *(f"n_{s}" for s in ("inactive", "retired", "public_works", "workers")),
    "unemployment_rate",
    "informality_rate",
    "poverty_headcount",
    "ltu_share",
    "job_finding_rate",
    "youth_neet_rate",
    "benefit_coverage_unemployed",
    "spend_total",
    "spend_benefits",
    "spend_almp",
    "spend_admin",
    "new_placements",
)


def _all_numbers(values: Iterable[Any]) -> bool:
    try:
        return all(math.isfinite(float(v)) for v in values)
    except (TypeError, ValueError):
        return False


class ResultsError(Exception):
    """The path is not a run or sweep directory the dashboards can read."""


def flatten(summary: dict[str, Any], prefix: str = "") -> dict[str, float]:
    """Numeric leaves of summary.json with dotted keys (the sweep table's columns)."""
    out: dict[str, float] = {}
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, f"{name}."))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int | float):
            out[name] = float(value)
    return out


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10x faster


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(), Loader=_YAML_LOADER)
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def _read_parquet(path: Path, columns: Iterable[str] | None = None) -> pd.DataFrame | None:
    """A Parquet file, or only the wanted columns that exist in it; None when absent."""
    if not path.exists():
        return None
    if columns is None:
        return pd.read_parquet(path)
    have = set(pq.read_schema(path).names)
    return pd.read_parquet(path, columns=[c for c in columns if c in have])


@dataclass
class Results:
    """Everything a dashboard shows, read from one run or one sweep directory."""

    root: Path
    kind: str  # "run" or "sweep"
    runs: pd.DataFrame  # one row per run (all statuses), outcomes flattened
    comparison: pd.DataFrame | None  # the sweep's comparison.parquet; None for a run
    baseline: str
    _configs: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    practical: Practical = field(default_factory=Practical)  # smallest difference that counts

    @property
    def is_sweep(self) -> bool:
        return self.kind == "sweep"

    @cached_property
    def complete(self) -> pd.DataFrame:
        """Runs that finished (the only ones whose outcomes are used)."""
        return self.runs[self.runs["status"] == "complete"].reset_index(drop=True)

    @cached_property
    def configurations(self) -> list[str]:
        """Configuration labels in a reader's order: by the swept values, numerically
        where a dimension's values are all numbers (500 < 1000 < 6000); with no numeric
        dimension, the baseline first, then in the sweep's order."""
        seen = list(dict.fromkeys(self.complete["configuration"]))
        first = self.complete.drop_duplicates("configuration").set_index("configuration")
        numeric = [d for d in self.dimensions if _all_numbers(first[d])]
        if numeric:
            keys = {
                c: tuple(
                    float(first.at[c, d]) if d in numeric else list(first[d]).index(first.at[c, d])
                    for d in self.dimensions
                )
                for c in seen
            }
            return sorted(seen, key=lambda c: keys[c])
        if self.baseline in seen:
            seen.remove(self.baseline)
            seen.insert(0, self.baseline)
        return seen

    @cached_property
    def dimensions(self) -> list[str]:
        """Override keys that take more than one value among complete runs (swept).
        Seeds and replicates are not dimensions: they are the luck comparisons pair on."""
        cols = [
            c
            for c in self.complete.columns
            if c.startswith("override.") and c not in REPLICATE_KEYS
        ]
        return [c for c in cols if self.complete[c].astype(str).nunique() > 1]

    @cached_property
    def timeseries(self) -> pd.DataFrame | None:
        """The used time-series columns of every complete run, stacked."""
        return self.per_run("timeseries.parquet", TIMESERIES_COLUMNS)

    @cached_property
    def spells(self) -> pd.DataFrame | None:
        """spells.parquet of every complete run, stacked (None for older runs)."""
        return self.per_run("spells.parquet")

    def run_dir(self, run: str) -> Path:
        return self.root if self.kind == "run" else self.root / str(run)

    def config(self, run: str) -> dict[str, Any]:
        """The resolved config.yaml of a run (cached)."""
        if run not in self._configs:
            self._configs[run] = _read_yaml(self.run_dir(run) / "config.yaml")
        return self._configs[run]

    def first_run(self, configuration: str) -> str:
        rows = self.complete[self.complete["configuration"] == configuration]
        return str(rows["run"].iloc[0])

    def summary_json(self, run: str) -> dict[str, Any]:
        return _read_json(self.run_dir(run) / "summary.json")

    def manifest(self, run: str) -> dict[str, Any]:
        return _read_json(self.run_dir(run) / "manifest.json")

    def per_run(self, name: str, columns: Iterable[str] | None = None) -> pd.DataFrame | None:
        """One Parquet output of every complete run, stacked with ``run`` and
        ``configuration`` columns; None when no run has the file (older runs)."""
        cols = None if columns is None else list(columns)
        frames = []
        for run, configuration in zip(
            self.complete["run"], self.complete["configuration"], strict=True
        ):
            df = _read_parquet(self.run_dir(run) / name, cols)
            if df is None:
                continue
            for c in df.columns:
                if isinstance(df[c].dtype, pd.CategoricalDtype):
                    df[c] = df[c].astype(str)
            df["run"] = str(run)
            df["configuration"] = configuration
            frames.append(df)
        if not frames:
            return None
        return pd.concat(frames, ignore_index=True)

    def months(self) -> tuple[int, int]:
        """Run length and burn-in (months) of the baseline configuration."""
        cfg = self.config(self.first_run(self.baseline)).get("run", {})
        return int(cfg.get("months", 0)), int(cfg.get("burn_in", 0))


def _load_run(root: Path) -> Results:
    summary = _read_json(root / "summary.json")
    manifest = _read_json(root / "manifest.json")
    config = _read_yaml(root / "config.yaml")
    regime = config.get("regime", {}) or {}
    if not (manifest and summary):
        raise ResultsError(f"{root} is a run directory without a finished run (no manifest)")
    label = str(manifest.get("label") or config.get("run", {}).get("label") or "run")
    row: dict[str, Any] = {
        "run": ".",
        "status": "complete",
        "error": None,
        "configuration": label,
        "seed": manifest.get("seed", config.get("seed")),
        "replicate": manifest.get("replicate", 0),
        "eligibility": regime.get("eligibility"),
        "delivery": regime.get("delivery"),
        "financing": regime.get("financing"),
        "config_hash": manifest.get("config_hash"),
        "commit": (manifest.get("code") or {}).get("commit"),
        **flatten(summary),
    }
    return Results(root, "run", pd.DataFrame([row]), None, label)


def _load_sweep(root: Path) -> Results:
    runs = pd.read_parquet(root / "summary.parquet")
    comparison = pd.read_parquet(root / "comparison.parquet")
    runs["run"] = runs["run"].astype(str)
    if "baseline" in comparison.columns and len(comparison):
        baseline = str(comparison["baseline"].iloc[0])
    else:
        baseline = str(runs["configuration"].iloc[0])
    return Results(root, "sweep", runs, comparison, baseline)


def load(path: str | Path) -> Results:
    """A run directory (has summary.json) or an aggregated sweep directory (has
    summary.parquet and comparison.parquet from ``python -m sim.aggregate``)."""
    root = Path(path)
    if not root.is_dir():
        raise ResultsError(f"{root} is not a directory")
    if all((root / f).exists() for f in SWEEP_FILES):
        return _load_sweep(root)
    if (root / "summary.json").exists() or (root / "manifest.json").exists():
        return _load_run(root)
    if (root / "multirun.yaml").exists() or (root / "0").is_dir():
        raise ResultsError(
            f"{root} looks like a sweep that has not been aggregated: "
            f"run `python -m sim.aggregate {root}` first"
        )
    raise ResultsError(f"{root} holds neither a run (summary.json) nor a sweep (summary.parquet)")


def finite(x: object) -> bool:
    """True for a real number that is not NaN or infinite."""
    try:
        return math.isfinite(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
