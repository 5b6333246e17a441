"""Check runs against their calibration targets: ``python -m sim.check RUN_OR_SWEEP_DIR``.

For a run directory, or each configuration of a sweep (its replicates pooled), every target
of the run's config (``targets``: the moment, its data value, tolerance and source) is set
against the simulated moment: its mean over replicates, a Student-t 95% interval when there
are two or more, the z-score and the verdict. The z-score is the gap in units of the
target's uncertainty: a tolerance is read as about two standard errors of the data, so

    z = (simulated mean - data value) / (tolerance / 2)

and a target **passes** when ``|simulated mean - data value| <= tolerance`` (``|z| <= 2``).

Burn-in is checked, not assumed: for each headline series the averaging window (the months
after burn-in) is split in halves and the difference of their means is compared with its
noise, with the effective sample size corrected for first-order autocorrelation,

    z_drift = (m2 - m1) / sqrt(v1 / n1_eff + v2 / n2_eff),  n_eff = n (1 - rho) / (1 + rho),

pooled over replicates as z / sqrt(R) of their sum. ``|z_drift| > 4`` warns that the burn-in
is too short (the series still drifts). Warnings do not fail the check unless ``--strict``.

Writes ``calibration.json`` into the directory (atomically) and prints the table. Exit
codes: 0 every target passes; 1 a target fails (or, with ``--strict``, a series drifts);
2 the directory cannot be checked.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .. import io, sweep
from .intervals import mean_interval

CALIBRATION = "calibration.json"
HEADLINE = (
    "unemployment_rate",
    "employment_rate",
    "informality_rate",
    "youth_neet_rate",
    "poverty_headcount",
    "ltu_share",
)
DRIFT_Z = 4.0


class CheckError(ValueError):
    """The directory holds no complete run to check."""


@dataclass
class Run:
    path: Path
    configuration: str
    targets: dict
    summary: dict
    burn_in: int


@dataclass
class TargetCheck:
    configuration: str
    target: str
    moment: str
    window: str
    group: str
    data: float
    tolerance: float
    tolerance_basis: str
    source: str
    location: str
    weight: float
    simulated: float
    ci_low: float
    ci_high: float
    replicates: int
    z: float
    passed: bool


@dataclass
class DriftCheck:
    configuration: str
    series: str
    first_half: float
    second_half: float
    z: float
    warn: bool


def _read(run_dir: Path, configuration: str) -> Run:
    cfg = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
    summary = io.read_json(run_dir / "summary.json")
    return Run(run_dir, configuration, cfg.get("targets") or {}, summary, cfg["run"]["burn_in"])


def load_runs(path: Path) -> list[Run]:
    """The complete runs of a run directory or a sweep, each with its configuration label."""
    path = Path(path)
    if not path.is_dir():
        raise CheckError(f"{path} is not a directory")
    if (path / io.MANIFEST).exists():
        if not io.is_complete(path):
            raise CheckError(f"{path}: the run is incomplete (its files do not match the manifest)")
        return [_read(path, "run")]
    if sweep.read_plan(path) is None and not sweep.run_dirs(path):
        raise CheckError(f"{path} is neither a run directory (manifest.json) nor a sweep")
    from ..aggregate import collect

    table = collect(path)
    done = table[table.status == sweep.COMPLETE]
    if done.empty:
        raise CheckError(f"{path}: no complete run to check")
    return [_read(path / r.run, r.configuration) for r in done.itertuples()]


def _value(summary: dict, dotted: str) -> float:
    value = summary
    for part in dotted.split("."):
        value = value[part]
    return float(value)


def _by_configuration(runs: list[Run]) -> dict[str, list[Run]]:
    """The runs of each configuration (its replicates), in order of appearance."""
    by: dict[str, list[Run]] = {}
    for r in runs:
        by.setdefault(r.configuration, []).append(r)
    return by


def check_targets(runs: list[Run]) -> list[TargetCheck]:
    rows = []
    for configuration, group in _by_configuration(runs).items():
        for name, t in group[0].targets.items():
            sims = np.array([_value(r.summary, name) for r in group])
            mean, lo, hi = mean_interval(sims)
            gap = mean - float(t["value"])
            tol = float(t["tolerance"])
            rows.append(
                TargetCheck(
                    configuration,
                    name,
                    t.get("moment", ""),
                    t.get("window", ""),
                    t.get("group", ""),
                    float(t["value"]),
                    tol,
                    t.get("tolerance_basis", ""),
                    t.get("source", ""),
                    t.get("location", ""),
                    float(t.get("weight", 1.0)),
                    mean,
                    lo,
                    hi,
                    int(sims.size),
                    gap / (tol / 2.0) if tol > 0 else (0.0 if gap == 0 else float("inf")),
                    bool(abs(gap) <= tol + 1e-12),
                )
            )
    return rows


def drift_z(series: np.ndarray) -> float:
    """Difference of the two halves' means over its noise (autocorrelation-corrected)."""
    x = np.asarray(series, dtype=np.float64)
    x = x[np.isfinite(x)]
    if x.size < 8:
        return 0.0
    a, b = x[: x.size // 2], x[x.size // 2 :]

    def var_mean(h: np.ndarray) -> float:
        v = h.var(ddof=1)
        if v == 0:
            return 0.0
        d = h - h.mean()
        rho = float(np.clip((d[:-1] * d[1:]).sum() / (d * d).sum(), -0.99, 0.99))
        n_eff = max(h.size * (1 - rho) / (1 + rho), 2.0)
        return v / n_eff

    noise = np.sqrt(var_mean(a) + var_mean(b))
    diff = b.mean() - a.mean()
    if noise == 0:
        return 0.0 if diff == 0 else float(np.sign(diff) * np.inf)
    return float(diff / noise)


def check_drift(runs: list[Run]) -> list[DriftCheck]:
    rows = []
    for configuration, group in _by_configuration(runs).items():
        series = {}
        for r in group:
            ts = pd.read_parquet(r.path / "timeseries.parquet")
            ts = ts[ts.month >= r.burn_in]
            for col in HEADLINE:
                if col in ts:
                    series.setdefault(col, []).append(ts[col].to_numpy(dtype=np.float64))
        for col, xs in series.items():
            zs = [drift_z(x) for x in xs]
            z = float(np.sum(zs) / np.sqrt(len(zs)))
            halves = [(x[: x.size // 2].mean(), x[x.size // 2 :].mean()) for x in xs]
            m1, m2 = np.mean(halves, axis=0)
            rows.append(DriftCheck(configuration, col, float(m1), float(m2), z, abs(z) > DRIFT_Z))
    return rows


def table(targets: list[TargetCheck], drift: list[DriftCheck]) -> str:
    lines = [
        "| configuration | target | source (location) | data | tolerance | simulated "
        "[95% interval] (n) | z | verdict |",
        "|---|---|---|---:|---:|---:|---:|:---:|",
    ]
    for t in targets:
        ci = "" if np.isnan(t.ci_low) else f" [{t.ci_low:.4g}, {t.ci_high:.4g}]"
        wide = " (wide: see basis)" if t.tolerance > abs(t.data) / 3 + 1e-12 else ""
        lines.append(
            f"| {t.configuration} | {t.target} | {t.source} ({t.location}) | {t.data:.4g} | "
            f"±{t.tolerance:.3g}{wide} | {t.simulated:.4g}{ci} ({t.replicates}) | "
            f"{t.z:+.2f} | {'pass' if t.passed else 'FAIL'} |"
        )
    lines += [
        "",
        f"Stationarity over the averaging window (first half against second; warn at |z| > "
        f"{DRIFT_Z:g}):",
        "",
        "| configuration | series | first half | second half | z | verdict |",
        "|---|---|---:|---:|---:|:---:|",
    ]
    for d in drift:
        lines.append(
            f"| {d.configuration} | {d.series} | {d.first_half:.4g} | {d.second_half:.4g} | "
            f"{d.z:+.2f} | {'WARN: burn-in too short?' if d.warn else 'ok'} |"
        )
    return "\n".join(lines)


def _finite(row: dict) -> dict:
    """JSON has no NaN: a missing interval (one replicate) is null."""
    return {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in row.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m sim.check",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("path", help="a run directory or a sweep directory")
    ap.add_argument("--strict", action="store_true", help="a drifting series fails the check")
    a = ap.parse_args(argv)
    try:
        runs = load_runs(Path(a.path))
    except CheckError as e:
        print(f"check: {e}", file=sys.stderr)
        return 2
    targets, drift = check_targets(runs), check_drift(runs)
    print(table(targets, drift))
    out = {
        "targets": [_finite(asdict(t)) for t in targets],
        "stationarity": [_finite(asdict(d)) for d in drift],
        "passed": all(t.passed for t in targets),
        "warnings": [
            f"{d.configuration}: {d.series} drifts (z {d.z:+.1f})" for d in drift if d.warn
        ],
    }
    io.write_json(Path(a.path) / CALIBRATION, out)
    failed = [t for t in targets if not t.passed]
    if not targets:
        print("check: the runs' config defines no targets", file=sys.stderr)
    if failed:
        names = ", ".join(f"{t.target} ({t.configuration})" for t in failed)
        print(f"check: {len(failed)} target(s) fail: {names}", file=sys.stderr)
        return 1
    if a.strict and out["warnings"]:
        print("check: " + "; ".join(out["warnings"]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
