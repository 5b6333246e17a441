"""Sweep throughput: the whole ``sweep=alignment_matrix`` (27 regime mixes x 3 replicates =
81 runs of 100,000 workers x 240 months) through the default launcher on this machine.

    python -m benchmarks.sweep                 # the full 81-run sweep (target: < 15 minutes)
    python -m benchmarks.sweep --size 20000    # a quicker look

The sweep runs as a user would run it (``python -m sim -m sweep=alignment_matrix``, joblib
on every core) into a fresh directory under ``benchmarks/out/``, so nothing is skipped. The
figure is the machine's throughput: worker-months simulated per second of wall time across
all cores (set-up, Hydra composition, writing and aggregation included), and the wall time
against the target. Then, on that sweep: the time to aggregate 1,000 run directories
(copies of its 81, so hashes are checked on real files) and to build its dashboard.
Written to ``benchmarks/out/sweep.md``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
TARGET_MINUTES = 15.0
RUNS, MONTHS = 81, 240


def _reading(sweep_dir: Path, copies: int = 1000) -> list[str]:
    """Seconds to aggregate ``copies`` run directories, and to build the sweep's dashboard."""
    from sim import sweep
    from sim.aggregate import aggregate

    runs = sweep.run_dirs(sweep_dir)
    big = OUT / "aggregate_1000"
    shutil.rmtree(big, ignore_errors=True)
    big.mkdir(parents=True)
    for i in range(copies):
        shutil.copytree(runs[i % len(runs)], big / str(i))
    start = time.perf_counter()
    aggregate(big)
    took_aggregate = time.perf_counter() - start
    shutil.rmtree(big)
    html = OUT / "alignment_matrix.html"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "dashboards", str(sweep_dir), "-o", str(html)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    took_dashboard = time.perf_counter() - start
    return [
        f"- aggregating {copies:,} run directories (`sim.aggregate`, every hash checked): "
        f"{took_aggregate:.1f} s",
        f"- the dashboard of this sweep ({len(runs)} runs): {html.stat().st_size / 1e6:.1f} MB, "
        f"built in {took_dashboard:.1f} s",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="workers per run")
    parser.add_argument("--out", type=Path, default=OUT / "sweep.md")
    args = parser.parse_args(argv)
    sweep_dir = OUT / "alignment_matrix"
    shutil.rmtree(sweep_dir, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "sim",
        "-m",
        "sweep=alignment_matrix",
        f"population.size={args.size}",
        f"hydra.sweep.dir={sweep_dir}",
    ]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return proc.returncode
    summary = pd.read_parquet(sweep_dir / "summary.parquet")
    complete = int((summary["status"] == "complete").sum())
    worker_months = complete * args.size * MONTHS
    rate = worker_months / wall
    cores = os.cpu_count() or 1
    verdict = "met" if wall / 60 < TARGET_MINUTES else "MISSED"
    lines = [
        f"# Sweep throughput ({datetime.date.today()}, {platform.processor() or platform.machine()}"
        f", {cores} cores, Python {platform.python_version()})",
        "",
        f"`{' '.join(['python', *cmd[1:]])}`",
        "",
        "| runs complete | workers x months per run | wall time | worker-months/s (machine) "
        "| ns per worker-month (machine) | target |",
        "|---|---|---|---|---|---|",
        f"| {complete} of {len(summary)} | {args.size:,} x {MONTHS} | {wall / 60:.1f} min "
        f"| {rate / 1e6:.1f} million | {1e9 / rate:.0f} "
        f"| whole sweep < {TARGET_MINUTES:.0f} min: {verdict} |",
        "",
        "Wall time includes Hydra's composition of each job, worker start-up, writing every run "
        "directory and the aggregation at the end.",
    ]
    lines += ["", *_reading(sweep_dir)]
    text = "\n".join(lines) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
