"""Tiny real runs and sweeps for the dashboard tests (population=small run=short).

A sweep is aggregated with ``python -m sim.aggregate`` when that module exists; until then
``aggregate`` below writes summary.parquet and comparison.parquet to the same spec, from the
run directories' files only.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
# Where `python -m sim` runs (a clean checkout can be pointed at while sim/ is being edited).
SIM_ROOT = Path(os.environ.get("ALMP_SIM_ROOT", ROOT))
TINY = ("population=small", "run=short", "population.size=3000")
XSS = "<script>alert(1)</script>"


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
    if (SIM_ROOT / "sim" / "aggregate.py").exists():
        subprocess.run(
            [sys.executable, "-m", "sim.aggregate", str(out)],
            cwd=SIM_ROOT,
            check=True,
            capture_output=True,
        )
    else:
        aggregate(out)
    return out


def _flatten(d: dict, prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flatten(v, f"{prefix}{k}."))
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out[f"{prefix}{k}"] = float(v)
    return out


def _overrides(run_dir: Path) -> list[str]:
    path = run_dir / ".hydra" / "overrides.yaml"
    if path.exists():
        return list(yaml.safe_load(path.read_text()) or [])
    return []


def aggregate(sweep: Path, baseline: str | None = None) -> None:
    """Stand-in for ``python -m sim.aggregate``: the two tables of the spec."""
    multirun = yaml.safe_load((sweep / "multirun.yaml").read_text())
    task = list(multirun.get("hydra", {}).get("overrides", {}).get("task", []) or [])
    rows = []
    for d in sorted(
        (p for p in sweep.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)
    ):
        cfg = (
            yaml.safe_load((d / "config.yaml").read_text()) if (d / "config.yaml").exists() else {}
        )
        manifest = (
            json.loads((d / "manifest.json").read_text())
            if (d / "manifest.json").exists()
            else None
        )
        overrides = _overrides(d) or task
        kv = dict(o.split("=", 1) for o in overrides if "=" in o)
        swept = {
            k: v
            for k, v in kv.items()
            if k not in ("seed", "run.replicate")
            and not k.startswith("hydra.")
            and k not in ("population", "run")
            and not k.startswith("population.")
        }
        label = " ".join(f"{k}={v}" for k, v in swept.items()) or "default"
        regime = cfg.get("regime", {}) or {}
        row = {
            "run": d.name,
            "status": "complete" if manifest else "failed",
            "error": None if manifest else "no manifest.json",
            "configuration": label,
            "seed": int(cfg.get("seed", 0)),
            "replicate": int((cfg.get("run") or {}).get("replicate", 0)),
            **{f"override.{k}": str(v) for k, v in swept.items()},
            "eligibility": regime.get("eligibility"),
            "delivery": regime.get("delivery"),
            "financing": regime.get("financing"),
            "config_hash": (manifest or {}).get("config_hash"),
            "commit": ((manifest or {}).get("code") or {}).get("commit"),
        }
        if manifest:
            row.update(_flatten(json.loads((d / "summary.json").read_text())))
        rows.append(row)
    summary = pd.DataFrame(rows)
    summary.to_parquet(sweep / "summary.parquet")
    ok = summary[summary["status"] == "complete"]
    configs = list(dict.fromkeys(ok["configuration"]))
    base = baseline or configs[0]
    fixed = set(summary.columns[: summary.columns.get_loc("commit") + 1])
    outcomes = [c for c in ok.columns if c not in fixed]
    meta_cols = ["eligibility", "delivery", "financing"] + [
        c for c in ok.columns if c.startswith("override.")
    ]
    out = []
    keys = ["seed", "replicate"]
    b = ok[ok["configuration"] == base].set_index(keys)
    for c in configs:
        g = ok[ok["configuration"] == c]
        gi = g.set_index(keys)
        meta = g.iloc[0][meta_cols].to_dict()
        for o in outcomes:
            x = g[o].dropna().to_numpy(float)
            common = gi.index.intersection(b.index)
            dx = (gi.loc[common, o] - b.loc[common, o]).dropna().to_numpy(float)
            out.append(
                {
                    "configuration": c,
                    "outcome": o,
                    **_ci(x, ""),
                    **_ci(dx, "diff_"),
                    "baseline": base,
                    "is_baseline": c == base,
                    "n_pairs": len(dx),
                    **meta,
                }
            )
    pd.DataFrame(out).to_parquet(sweep / "comparison.parquet")


def _ci(x: np.ndarray, prefix: str) -> dict[str, float]:
    n = len(x)
    mean = float(x.mean()) if n else math.nan
    half = float(stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n)) if n >= 2 else math.nan
    res = {f"{prefix}mean": mean, f"{prefix}ci_low": mean - half, f"{prefix}ci_high": mean + half}
    if not prefix:
        res = {"n": n, **res, "std": float(x.std(ddof=1)) if n >= 2 else math.nan}
    return res


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


def hostile_copy(sweep: Path, out: Path) -> Path:
    """The sweep with one configuration renamed to a script tag everywhere a label is read
    (summary.parquet, comparison.parquet, each run's manifest label)."""
    import shutil

    shutil.copytree(sweep, out)
    summary = pd.read_parquet(out / "summary.parquet")
    comparison = pd.read_parquet(out / "comparison.parquet")
    victim = [c for c in dict.fromkeys(summary["configuration"])][-1]
    for df in (summary, comparison):
        df["configuration"] = df["configuration"].replace(victim, XSS)
        for col in [c for c in df.columns if c.startswith("override.")]:
            df[col] = df[col].astype(str).replace(victim.split("=", 1)[-1], XSS)
    summary.to_parquet(out / "summary.parquet")
    comparison.to_parquet(out / "comparison.parquet")
    for run in summary["run"]:
        m = out / str(run) / "manifest.json"
        if m.exists():
            data = json.loads(m.read_text())
            data["label"] = XSS
            m.write_text(json.dumps(data))
    return out
