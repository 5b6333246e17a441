"""Tiny real runs and sweeps for the dashboard tests (population=small run=short).

Sweeps are aggregated with ``python -m sim.aggregate`` (summary.parquet, comparison.parquet).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
# Where `python -m sim` runs (a clean checkout can be pointed at while sim/ is being edited).
SIM_ROOT = Path(os.environ.get("ALMP_SIM_ROOT", ROOT))
TINY = ("population=small", "run=short", "population.size=3000")
XSS = "<script>alert(1)</script>"
FUNCTIONS = ("eligibility", "delivery", "financing")


def run_sim(*args: str, multirun: bool = False) -> None:
    flag = ["-m"] if multirun else []
    subprocess.run(
        [sys.executable, "-m", "sim", *flag, *TINY, *args],
        cwd=SIM_ROOT,
        check=True,
        capture_output=True,
    )


def make_run(out: Path, *overrides: str) -> Path:
    run_sim(*overrides, f"hydra.run.dir={out}")
    return out


def make_sweep(out: Path, *axes: str) -> Path:
    run_sim(*axes, f"hydra.sweep.dir={out}", multirun=True)
    # The multirun's callback aggregates too; running the command checks it stands alone.
    subprocess.run(
        [sys.executable, "-m", "sim.aggregate", str(out)],
        cwd=SIM_ROOT,
        check=True,
        capture_output=True,
    )
    return out


# Built once per test session and shared by the dashboard test modules.
_CACHE: dict[str, Path] = {}
REFORMS = (
    "reforms=[{month: 30, path: economy.demand_index, value: 0.8},"
    " {month: 42, path: economy.demand_index, value: 1.0},"
    " {month: 36, path: policy.unemployment_insurance.max_duration_months, value: 12}]"
)


def shared_run(base: Path) -> Path:
    """A tiny run with a shock (economy.*) and a reform, to mark on the time series."""
    if "run" not in _CACHE:
        _CACHE["run"] = make_run(base / "run", REFORMS)
    return _CACHE["run"]


def shared_sweep(base: Path) -> Path:
    """Three regimes on two seeds (6 tiny runs)."""
    if "sweep" not in _CACHE:
        _CACHE["sweep"] = make_sweep(
            base / "sweep", "seed=1,2", "regime=integration,coordination,cooperation"
        )
    return _CACHE["sweep"]


def hostile_copy(sweep: Path, out: Path, name: str = XSS) -> Path:
    """The sweep with one configuration renamed (to a script tag by default) everywhere a
    label is read (summary.parquet, comparison.parquet, each run's manifest label)."""
    import shutil

    shutil.copytree(sweep, out)
    summary = pd.read_parquet(out / "summary.parquet")
    comparison = pd.read_parquet(out / "comparison.parquet")
    victim = [c for c in dict.fromkeys(summary["configuration"])][-1]
    for df in (summary, comparison):
        df["configuration"] = df["configuration"].replace(victim, name)
        for col in [c for c in df.columns if c.startswith("override.")]:
            df[col] = df[col].astype(str).replace(victim.split("=", 1)[-1], name)
    summary.to_parquet(out / "summary.parquet")
    comparison.to_parquet(out / "comparison.parquet")
    for run in summary["run"]:
        m = out / str(run) / "manifest.json"
        if m.exists():
            data = json.loads(m.read_text())
            data["label"] = name
            m.write_text(json.dumps(data))
    return out


def synthetic_sweep(
    real: Path, out: Path, axes: dict[str, list[str]], seeds: int = 2, spread: float = 0.03
) -> Path:
    """A sweep of every combination of ``axes`` (override path -> values, in the order
    given), made from a real sweep's runs without running the model: each configuration
    borrows a real run's outputs (its directory linked), its outcomes shifted by a few
    percent (``spread``; 0 makes every configuration the same) so that configurations
    differ, and is aggregated by ``sim.aggregate.compare``.

    For layout tests at 10, 27 or 81 configurations, where only the number and names of
    configurations matter and real runs would take minutes."""
    import itertools

    import numpy as np

    from sim import aggregate, sweep

    summary = pd.read_parquet(real / "summary.parquet")
    done = summary[summary["status"] == "complete"].reset_index(drop=True)
    outcomes = aggregate.outcome_columns(done)
    rng = np.random.default_rng(12345)
    out.mkdir(parents=True)
    rows = []
    keys = list(axes)
    for i, combo in enumerate(itertools.product(*(axes[k] for k in keys))):
        overrides = [f"{k}={v}" for k, v in zip(keys, combo, strict=True)]
        shift = 1.0 + spread * rng.standard_normal(len(outcomes))
        for j in range(seeds):
            src = done.iloc[(i * seeds + j) % len(done) if spread else j % len(done)].copy()
            run = str(len(rows))
            (out / run).symlink_to((real / str(src["run"])).resolve(), target_is_directory=True)
            src["run"] = run
            src["seed"], src["replicate"] = 1000 + j, 0
            src["configuration"] = sweep.configuration_label(overrides)
            for c in [c for c in src.index if c.startswith("override.")]:
                src[c] = None
            for k, v in zip(keys, combo, strict=True):
                src[f"override.{k}"] = v
            noise = 1.0 + spread / 6 * rng.standard_normal(len(outcomes))
            src[outcomes] = src[outcomes].astype(float).to_numpy() * shift * noise
            rows.append(src)
    new = pd.DataFrame(rows).reset_index(drop=True)
    new = new.dropna(axis=1, how="all")
    new.to_parquet(out / "summary.parquet")
    aggregate.compare(new).to_parquet(out / "comparison.parquet")
    return out


MIXES = {f"regime.{f}": ["integration", "coordination", "cooperation"] for f in FUNCTIONS}
# ALMP budgets in the order a user might type them: the dashboard must sort them.
BUDGETS = {
    "regime.mechanisms.financing.almp_budget": [
        "6000",
        "500",
        "3000",
        "1500",
        "1000",
        "250",
        "8000",
        "2000",
        "4000",
        "12000",
    ]
}
