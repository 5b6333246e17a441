"""``python -m dashboards RESULTS_PATH [-o FILE.html] [--export-png DIR] [--practical-pp X]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .build import build
from .load import ResultsError
from .style import Practical


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboards",
        description="Build a self-contained HTML dashboard from a run or sweep directory.",
    )
    parser.add_argument("results", type=Path, help="run directory or aggregated sweep directory")
    parser.add_argument(
        "-o", "--output", type=Path, help="HTML file (default RESULTS/dashboard.html)"
    )
    parser.add_argument(
        "--export-png", type=Path, metavar="DIR", help="also write every figure as PNG and SVG"
    )
    parser.add_argument("--no-svg", action="store_true", help="with --export-png: PNG only")
    parser.add_argument(
        "--practical-pp",
        type=float,
        default=Practical.pp,
        help="smallest difference in a rate worth colouring, in percentage points (0.1)",
    )
    parser.add_argument(
        "--practical-money-pct",
        type=float,
        default=Practical.money_pct,
        help="smallest difference in spending worth colouring, in %% of the baseline (1)",
    )
    args = parser.parse_args(argv)
    if args.practical_pp < 0 or args.practical_money_pct < 0:
        print("dashboards: --practical-pp and --practical-money-pct must be >= 0", file=sys.stderr)
        return 2
    practical = Practical(args.practical_pp, args.practical_money_pct)
    start = time.perf_counter()
    try:
        out, views = build(args.results, args.output, practical)
    except ResultsError as exc:
        print(f"dashboards: {exc}", file=sys.stderr)
        return 2
    took = time.perf_counter() - start
    size = out.stat().st_size / 1e6
    print(f"dashboard: {out} ({size:.1f} MB, {took:.1f} s)")
    if args.export_png:
        from .export import export

        charts = [c for v in views for c in v.charts]
        formats = ("png",) if args.no_svg else ("png", "svg")
        try:
            files = export(charts, args.export_png, formats)
        except RuntimeError as exc:
            print(f"dashboards: {exc}", file=sys.stderr)
            return 3
        print(f"figures: {len(files)} files in {args.export_png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
