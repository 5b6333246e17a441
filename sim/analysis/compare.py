"""Compare two runs, or two sweeps, with the aggregate's table.

    python -m sim.compare A B [--baseline A|B]

Each side is a run directory (``manifest.json``) or a sweep directory (its plan's complete
runs). Runs of the two sides are paired by seed and replicate where they share them (a
reform and its baseline run with the same seed see the same luck), so the difference has a
paired interval when each side has several replicates. Two sweeps are compared
configuration by configuration, matching configurations by label; a side with a single
configuration is compared as a whole.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .. import aggregate, glossary, io, sweep


class CompareError(ValueError):
    """A side is neither a run nor a sweep, or the sides share nothing to compare."""


def side(path: Path) -> pd.DataFrame:
    """The complete runs of a run or sweep directory, one row each."""
    if not path.is_dir():
        raise CompareError(f"{path} is not a directory")
    if sweep.read_plan(path) is not None or sweep.run_dirs(path):
        runs = aggregate.collect(path)
    elif (path / io.MANIFEST).exists():
        row = aggregate._read_run(path, None)
        row.pop("_foreign")
        row.pop("_overrides")
        runs = pd.DataFrame([row])
        overrides = io.read_json(path / io.MANIFEST).get("overrides", [])
        label = " ".join(
            o
            for o in overrides
            if o.partition("=")[0] not in sweep.SEED_KEYS and not o.startswith("sweep=")
        )
        runs.insert(3, "configuration", label or "default")
        runs.attrs["overrides"] = [
            o for o in overrides if o.partition("=")[0] not in sweep.SEED_KEYS
        ]
    else:
        raise CompareError(f"{path} is neither a run (manifest.json) nor a sweep directory")
    done = runs[runs["status"] == sweep.COMPLETE]
    if done.empty:
        raise CompareError(f"{path} holds no complete run")
    return done


def compare_sides(a: pd.DataFrame, b: pd.DataFrame, names: tuple[str, str], baseline: int = 0):
    """Comparison tables of side b against side a (or a against b, ``baseline=1``): one per
    configuration label the sides share, or one of the whole sides when either has one
    configuration. Returns [(title, comparison)]."""
    out = []
    configs_a, configs_b = set(a["configuration"]), set(b["configuration"])
    if len(configs_a) == 1 or len(configs_b) == 1:
        pairs = [(None, a, b)]
    else:
        shared = [c for c in dict.fromkeys(a["configuration"]) if c in configs_b]
        if not shared:
            raise CompareError(
                f"{names[0]} and {names[1]} share no configuration label: compare "
                "single runs or sweeps of the same configurations"
            )
        pairs = [(c, a[a.configuration == c], b[b.configuration == c]) for c in shared]
    for label, x, y in pairs:
        rows = pd.concat(
            [x.assign(configuration=names[0]), y.assign(configuration=names[1])],
            ignore_index=True,
        )
        rows["seed"] = rows["seed"].astype("Int64")
        rows["replicate"] = rows["replicate"].astype("Int64")
        # side by side, outcome by outcome: decision ratios belong to a sweep's baseline
        out.append((label, aggregate.compare(rows, names[baseline], decisions=False)))
    return out


def _names(path_a: Path, path_b: Path, a: pd.DataFrame, b: pd.DataFrame) -> tuple[str, str]:
    """Row labels: a side's configuration when it has one, else its directory's name;
    full paths when those would read the same."""

    def name(path: Path, runs: pd.DataFrame) -> str:
        labels = set(runs["configuration"])
        label = labels.pop() if len(labels) == 1 else ""
        return label if label and label != "default" else path.name

    if "overrides" in a.attrs and "overrides" in b.attrs:  # two runs: what tells them apart
        oa, ob = a.attrs["overrides"], b.attrs["overrides"]
        only_a = [o for o in oa if o not in ob and not o.startswith("sweep=")]
        only_b = [o for o in ob if o not in oa and not o.startswith("sweep=")]
        names = (
            f"A: {glossary.configuration(', '.join(only_a)) if only_a else path_a.name}",
            f"B: {glossary.configuration(', '.join(only_b)) if only_b else path_b.name}",
        )
    else:
        names = (
            f"A: {glossary.configuration(name(path_a, a))}",
            f"B: {glossary.configuration(name(path_b, b))}",
        )
    if names[0][3:] == names[1][3:]:
        names = (f"A: {path_a}", f"B: {path_b}")
    return names


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sim.compare", description=__doc__.split("\n")[0])
    ap.add_argument("a", type=Path, help="run or sweep directory")
    ap.add_argument("b", type=Path, help="run or sweep directory")
    ap.add_argument("--baseline", choices=("A", "B"), default="A", help="the side compared against")
    args = ap.parse_args(argv)
    try:
        a, b = side(args.a), side(args.b)
        names = _names(args.a, args.b, a, b)
        tables = compare_sides(a, b, names, 0 if args.baseline == "A" else 1)
    except (CompareError, OSError) as exc:
        print(f"sim.compare: {exc}", file=sys.stderr)
        return 2
    versions = set(a["code_version"].dropna()) | set(b["code_version"].dropna())
    print(f"A = {args.a} ({len(a)} runs), B = {args.b} ({len(b)} runs)")
    if len(versions) > 1:
        print("note: the sides come from different code versions; differences include them")
    for label, comparison in tables:
        if label is not None:
            print(f"\nconfiguration {label}")
        if comparison.empty:
            print("  no outcome to compare")
            continue
        paired = int(comparison["n_pairs"].max()) if "n_pairs" in comparison else 0
        if paired == 0:
            print("  no seed and replicate in common: no paired difference")
        print(aggregate.comparison_table(comparison))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
