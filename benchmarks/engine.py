"""Speed and memory of the vectorised engine, and its speed against the object reference.

    python -m benchmarks.engine                      # 1e4, 1e5, 1e6 workers x 240 months
    python -m benchmarks.engine --sizes 10000 100000 --object-sizes 10000 --object-months 12

Every measurement runs in a fresh Python subprocess (one thread for OpenMP/BLAS), one after
another, so sizes do not share caches, heaps or allocator state. In each subprocess the
configuration is composed first (``configs/``, the default economy, with
``population.size`` and ``run.months`` overridden); then the model is built (set-up, timed
separately) and run month by month, timing each ``step``.

* Engine, ns per worker-month: total time of the months / (workers x months).
* Peak bytes per worker: ``tracemalloc`` peak over set-up and run / workers, in a separate
  run of the same size (tracing slows the engine by about half, so those timings are not
  used). numpy reports its array buffers to ``tracemalloc``, so this counts the worker
  arrays, the households, the month's temporaries and the records; not the interpreter and
  the imported libraries.
* Array bytes per worker: ``model.workers.nbytes()`` / workers (the worker columns alone).
* ``--repeat R`` runs each timing R times (fresh subprocesses) and keeps the fastest.
* Object reference (``benchmarks.mesa_reference``): ns per worker-month over its
  ``--object-months`` months (default 24; it is slow). The ratio object / engine compares it
  with the engine's same first months in the same invocation, at the same size.

The table is printed and written to ``benchmarks/out/engine.md``.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out" / "engine.md"
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)
TARGET_NS = (1_000_000, 200.0)  # engine ns per worker-month at this size, at most
TARGET_RATIO = (100_000, 30.0)  # object / engine speed ratio at this size, at least
TARGET_BYTES = 400.0  # peak bytes per worker at the largest size, at most


# --------------------------------------------------------------------------- one measurement
def measure(kind: str, n: int, months: int) -> dict:
    """Build and run one model in this process.

    ``kind``: "engine" (timings), "memory" (the engine under ``tracemalloc``: peak bytes; its
    timings are not used, tracing slows the engine by about half) or "object" (timings of
    the object reference).
    """
    from benchmarks import load_config
    from sim.runtime import tune_allocator

    tune_allocator()  # as the CLI and sim.runner.run do: keep freed memory for reuse
    overrides = [f"population.size={n}", f"run.months={months}", "run.burn_in=0"]
    if kind in ("object", "same"):
        # the reference implements the core rules, the default regime's route and one
        # programme; "same" is the engine on exactly that configuration (equal work)
        from benchmarks.mesa_reference import REFERENCE_OVERRIDES

        overrides.extend(REFERENCE_OVERRIDES)
    cfg = load_config(overrides)
    if kind == "core":  # the engine without the regime layer: no programmes, no casework
        names = list(load_config(overrides).policy.programmes)
        overrides += [
            "policy.case_management.enabled=false",
            *(f"policy.programmes.{n}.enabled=false" for n in names),
        ]
        cfg = load_config(overrides)
    if kind == "object":
        from benchmarks.mesa_reference import ObjectLabourMarket as Model
    else:  # engine, same, memory, core
        from sim.model import LabourMarket as Model
    gc.collect()
    if kind == "memory":
        tracemalloc.start()
    t0 = time.perf_counter_ns()
    model = Model(cfg)
    setup_ns = time.perf_counter_ns() - t0
    step_ns = []
    while model.running:
        t = time.perf_counter_ns()
        model.step()
        step_ns.append(time.perf_counter_ns() - t)
    out = {"kind": kind, "n": n, "months": len(step_ns), "setup_s": setup_ns / 1e9}
    if kind == "memory":
        out["peak_bytes"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        out["array_bytes"] = model.workers.nbytes()
    else:
        out["step_ns"] = step_ns
    return out


def run_child(kind: str, n: int, months: int) -> dict:
    """``measure`` in a fresh single-threaded subprocess."""
    env = {**os.environ, **dict.fromkeys(THREAD_VARS, "1")}
    cmd = [sys.executable, "-m", "benchmarks.engine", "--child", kind, str(n), str(months)]
    print(
        f"  {kind:6s} {n:>10,} workers x {months} months ...", end="", file=sys.stderr, flush=True
    )
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark subprocess failed: {' '.join(cmd)}")
    print(f" {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fastest(kind: str, n: int, months: int, repeat: int) -> dict:
    """The fastest of ``repeat`` runs (each a fresh subprocess), by total time of the months:
    on a shared machine interference only ever adds time."""
    runs = [run_child(kind, n, months) for _ in range(max(repeat, 1))]
    return min(runs, key=lambda r: sum(r["step_ns"]))


def ns_per_worker_month(result: dict, months: int | None = None) -> float:
    steps = result["step_ns"][:months] if months else result["step_ns"]
    return sum(steps) / (result["n"] * len(steps))


# --------------------------------------------------------------------------- report
def machine() -> dict[str, str]:
    import mesa
    import numpy

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def git(*args: str) -> str:
        try:
            proc = subprocess.run(["git", *args], cwd=ROOT, text=True, capture_output=True)
        except OSError:
            return ""
        return proc.stdout.strip() if proc.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if commit and git("status", "--porcelain", "--untracked-files=no", "--", "sim", "benchmarks"):
        commit += " (with uncommitted changes to sim/ or benchmarks/)"
    return {
        "CPU": f"{cpu} ({os.cpu_count()} logical cores, 1 used)",
        "Python": platform.python_version(),
        "numpy": numpy.__version__,
        "mesa": mesa.__version__,
        "OS": platform.platform(),
        "commit": commit or "unknown",
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
    }


def _fmt(x: float | None, spec: str) -> str:
    return "-" if x is None else format(x, spec)


def report(
    engine: dict[int, dict],
    memory: dict[int, dict],
    objects: dict[int, dict],
    months: int,
    mem_months: int,
    obj_months: int,
    repeat: int = 1,
    same: dict[int, dict] | None = None,
) -> str:
    """The Markdown report. ``same``: the engine run with the reference's configuration
    (the same rules as the object model) over ``obj_months``, for the speed ratio."""
    same = same or {}
    rows = [
        "| workers | set-up s (engine / object) | engine ns/worker-month | engine, same rules "
        "| object ns/worker-month | object / engine | peak bytes/worker | array bytes/worker |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ratios: dict[int, float] = {}
    for n in sorted(engine):
        e, o, m = engine[n], objects.get(n), memory.get(n)
        first = ns_per_worker_month(same[n]) if o and n in same else None
        obj = ns_per_worker_month(o) if o else None
        if o and first:
            ratios[n] = obj / first
        setup = f"{e['setup_s']:.2f}" + (f" / {o['setup_s']:.1f}" if o else "")
        rows.append(
            f"| {n:,} | {setup} | {ns_per_worker_month(e):,.0f} | {_fmt(first, ',.0f')} "
            f"| {_fmt(obj, ',.0f')} | {_fmt(ratios.get(n), '.1f')} "
            f"| {_fmt(m and m['peak_bytes'] / n, ',.0f')} "
            f"| {_fmt(m and m['array_bytes'] / n, ',.0f')} |"
        )
    memory_note = (
        f"Peak bytes: `tracemalloc` peak over set-up and {mem_months} months, in a separate run "
        "(tracing slows the engine) / workers. Array bytes: worker columns "
        "(`Workers.nbytes()`) / workers."
        if mem_months > 0
        else "Memory not measured (--memory-months 0)."
    )
    lines = [
        "# Engine benchmark",
        "",
        f"Engine timed over {months} months ('engine ns/worker-month'). Object reference "
        f"(`benchmarks/mesa_reference.py`, one Mesa agent per worker) timed over {obj_months} "
        f"months; 'engine, same rules' is the engine over the same {obj_months} months with the "
        "reference's configuration (`REFERENCE_OVERRIDES`: no case management, one programme, "
        "no displacement instruments) and 'object / engine' is the object time over that. The "
        "default engine column runs everything. Every run is a "
        "fresh single-threaded subprocess; set-up is timed separately, not in ns/worker-month"
        + (f"; timings are the fastest of {repeat} runs. " if repeat > 1 else ". ")
        + memory_note,
        "",
        *rows,
        "",
        "## Targets",
        "",
        *targets(engine, memory, ratios),
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in machine().items()),
        "",
    ]
    return "\n".join(lines)


def targets(engine: dict[int, dict], memory: dict[int, dict], ratios: dict[int, float]) -> list:
    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    n, limit = TARGET_NS
    line = f"- engine <= {limit:.0f} ns/worker-month at {n:,} workers: "
    if n in engine:
        ns = ns_per_worker_month(engine[n])
        out = [line + f"{ns:,.0f} ({verdict(ns <= limit)})"]
    else:
        out = [line + "not measured"]
    n, limit = TARGET_RATIO
    line = f"- engine >= {limit:.0f}x faster than the object reference at {n:,} workers: "
    out.append(
        line
        + (f"{ratios[n]:.1f}x ({verdict(ratios[n] >= limit)})" if n in ratios else "not measured")
    )
    line = f"- peak <= {TARGET_BYTES:.0f} bytes/worker"
    if memory:
        n = max(memory)
        peak = memory[n]["peak_bytes"] / n
        out.append(line + f" (largest size, {n:,}): {peak:,.0f} ({verdict(peak <= TARGET_BYTES)})")
    else:
        out.append(line + ": not measured")
    return out


# --------------------------------------------------------------------------- command line
def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks.engine",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000],
        help="engine population sizes (default: 10000 100000 1000000)",
    )
    p.add_argument("--months", type=int, default=240, help="engine months (default 240)")
    p.add_argument(
        "--object-sizes",
        type=int,
        nargs="*",
        default=[10_000, 100_000],
        help="object-reference sizes (default: 10000 100000; none to skip); the "
        "engine is also timed at these sizes",
    )
    p.add_argument(
        "--object-months", type=int, default=24, help="object-reference months (default 24)"
    )
    p.add_argument(
        "--memory-months",
        type=int,
        default=None,
        help="months of the traced memory runs (default: --months; 0 to skip)",
    )
    p.add_argument(
        "--repeat", type=int, default=1, help="timing runs per size, the fastest kept (default 1)"
    )
    p.add_argument("--out", type=Path, default=OUT, help=f"Markdown output (default {OUT})")
    p.add_argument("--child", nargs=3, metavar=("KIND", "N", "MONTHS"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.child:
        kind, n, months = args.child
        print(json.dumps(measure(kind, int(n), int(months))))
        return

    obj_months = min(args.object_months, args.months)
    mem_months = args.months if args.memory_months is None else args.memory_months
    sizes = sorted(set(args.sizes) | set(args.object_sizes))
    print(
        f"benchmark: engine {sizes} x {args.months} months, object reference "
        f"{args.object_sizes} x {obj_months} months, memory x {mem_months} months",
        file=sys.stderr,
    )
    engine = {n: fastest("engine", n, args.months, args.repeat) for n in sizes}
    objects = {n: fastest("object", n, obj_months, args.repeat) for n in sorted(args.object_sizes)}
    same = {n: fastest("same", n, obj_months, args.repeat) for n in sorted(args.object_sizes)}
    memory = {n: run_child("memory", n, mem_months) for n in sizes} if mem_months > 0 else {}
    text = report(engine, memory, objects, args.months, mem_months, obj_months, args.repeat, same)
    n = max(sizes)
    core = fastest("core", n, args.months, args.repeat)
    full, bare = ns_per_worker_month(engine[n]), ns_per_worker_month(core)
    layer = (full - bare) / bare
    text += (
        f"\n## Regime layer\n\nAt {n:,} workers the default model (case management, "
        f"programmes, referrals, queues, financing) takes {full:,.0f} ns per worker-month and "
        f"the same model without them {bare:,.0f}: the regime layer adds {full - bare:,.0f} ns, "
        f"{layer:.2f}x the core engine's time (target: at most 2x; "
        f"{'met' if layer <= 2 else 'NOT met'}).\n"
    )
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
