"""Side-by-side speed against an earlier commit, in one invocation.

    python -m benchmarks.compare b34f740 [--size 1000000] [--runs 3] [--months 70] [--skip 10]

Checks the commit out into a temporary git worktree, then alternates fresh single-threaded
subprocesses of the old and the current code (old, new, old, new, ...), each building the
default model at ``--size`` workers and timing its monthly steps after the first
``--skip`` months. Reports ns per worker-month of each run, the mean of each side and the
ratio old / new (above 1: the current code is faster). Alternating runs in one invocation
keep the comparison fair on a shared machine whose speed drifts by +-10%.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TIMER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from sim.config import load
from sim.model import LabourMarket
import sim
assert sim.__file__.startswith(sys.argv[1]), (sim.__file__, sys.argv[1])
n, months, skip = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
cfg = load(f"population.size={n}", f"run.months={months}", "run.burn_in=0")
model = LabourMarket(cfg)
total = 0.0
for m in range(months):
    t = time.perf_counter()
    model.step()
    if m >= skip:
        total += time.perf_counter() - t
print(json.dumps({"ns": total * 1e9 / (n * (months - skip))}))
"""


def _env() -> dict:
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    return env


def _time(tree: Path, n: int, months: int, skip: int) -> float:
    out = subprocess.run(
        [sys.executable, "-c", TIMER, str(tree), str(n), str(months), str(skip)],
        cwd=tree,
        env=_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])["ns"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks.compare",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("commit")
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--months", type=int, default=70)
    ap.add_argument("--skip", type=int, default=10)
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), a.commit],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            old, new = [], []
            for _ in range(a.runs):
                old.append(_time(tree, a.size, a.months, a.skip))
                new.append(_time(ROOT, a.size, a.months, a.skip))
                print(
                    f"  {a.commit}: {old[-1]:.0f}   current: {new[-1]:.0f} ns/worker-month",
                    flush=True,
                )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)],
                cwd=ROOT,
                check=False,
                capture_output=True,
            )
    mo, mn = sum(old) / len(old), sum(new) / len(new)
    print(
        f"| {a.size:,} workers, months {a.skip}-{a.months} | {a.commit}: {mo:.0f} | "
        f"current: {mn:.0f} | old/new {mo / mn:.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
