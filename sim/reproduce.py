"""``python -m sim.reproduce RUN_DIR``: re-run a run and check every output bit for bit.

The run is rebuilt from its ``config.yaml`` (the resolved config, so no Hydra composition
is involved) into a temporary directory, and each output file's SHA-256 is compared with
``manifest.json``. Exit 0 only if every file matches. Otherwise each differing file is named
with what differs: for tables, the columns whose values differ and the largest absolute
differences; for the summary, the outcomes that differ. A warning is printed first when the
code commit or package versions differ from those recorded, since that is the usual cause.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import io
from .aggregate import flatten
from .config import ConfigError, from_dict

EXIT_DIFFERENT, EXIT_USAGE = 1, 2


def provenance_warnings(manifest: dict) -> list[str]:
    """Differences between the recorded code and package versions and the current ones."""
    out = []
    recorded, now = manifest.get("code", {}), io.code_version()
    if recorded.get("commit") != now.get("commit"):
        out.append(f"code commit differs: recorded {recorded.get('commit')}, now {now['commit']}")
    if recorded.get("dirty") or now.get("dirty"):
        same = io.code_label(recorded) == io.code_label(now)
        out.append(
            f"uncommitted changes to sim/ or configs/: recorded dirty={recorded.get('dirty')}, "
            f"now dirty={now.get('dirty')}"
            + (
                " (the same changes)"
                if same
                else f"; recorded {io.code_label(recorded)}, now {io.code_label(now)}"
            )
        )
    versions = io.package_versions()
    for name, version in manifest.get("versions", {}).items():
        if versions.get(name) != version:
            out.append(f"{name} version differs: recorded {version}, now {versions.get(name)}")
    return out


def table_differences(old: pd.DataFrame, new: pd.DataFrame, top: int = 5) -> list[str]:
    """The columns of two tables that differ, largest absolute differences first."""
    if list(old.columns) != list(new.columns):
        gone = sorted(set(old.columns) - set(new.columns))
        added = sorted(set(new.columns) - set(old.columns))
        return [f"columns differ: missing {gone}, new {added}"]
    if len(old) != len(new):
        return [f"row count differs: recorded {len(old)}, now {len(new)}"]
    found = []
    for col in old.columns:
        a, b = old[col], new[col]
        if a.equals(b):
            continue
        if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
            diff = np.abs(a.to_numpy(float) - b.to_numpy(float))
            worst = int(np.nanargmax(diff)) if np.isfinite(diff).any() else 0
            found.append(
                (
                    float(np.nanmax(diff)) if np.isfinite(diff).any() else float("inf"),
                    f"{col}: {int((diff > 0).sum())} rows differ, largest |difference| "
                    f"{diff[worst]:.6g} at row {worst} (recorded {a.iloc[worst]}, "
                    f"now {b.iloc[worst]})",
                )
            )
        else:
            rows = int((a.astype(str) != b.astype(str)).sum())
            found.append((float("inf"), f"{col}: {rows} rows differ"))
    return _largest(found, top, "columns") or [
        "same values, different bytes (encoding or metadata)"
    ]


def json_differences(old: dict, new: dict, top: int = 5) -> list[str]:
    a, b = flatten(old), flatten(new)
    keys = sorted(set(a) | set(b))
    found = []
    for k in keys:
        if a.get(k) != b.get(k):
            if k in a and k in b:
                found.append((abs(a[k] - b[k]), f"{k}: recorded {a[k]!r}, now {b[k]!r}"))
            else:
                found.append((float("inf"), f"{k}: only {'recorded' if k in a else 'now'}"))
    return _largest(found, top, "outcomes") or ["same outcomes, different bytes (formatting)"]


def _largest(found: list[tuple[float, str]], top: int, what: str) -> list[str]:
    """The ``top`` descriptions with the largest differences, and how many more there are."""
    found = sorted(found, key=lambda x: -x[0])
    lines = [text for _, text in found[:top]]
    if len(found) > top:
        lines.append(f"... and {len(found) - top} more {what}")
    return lines


def describe(name: str, old: Path, new: Path) -> list[str]:
    if name.endswith(".parquet"):
        return table_differences(pd.read_parquet(old), pd.read_parquet(new))
    if name.endswith(".json"):
        return json_differences(io.read_json(old), io.read_json(new))
    a = old.read_text(encoding="utf-8").splitlines()
    b = new.read_text(encoding="utf-8").splitlines()
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return [f"line {i + 1}: recorded {x!r}, now {y!r}"]
    return [f"line count differs: recorded {len(a)}, now {len(b)}"]


def reproduce(run_dir: Path, out=None) -> int:
    """Re-run ``run_dir`` and compare; return the exit status."""
    from .runner import run

    out = sys.stdout if out is None else out
    run_dir = Path(run_dir)
    try:
        manifest = io.read_json(run_dir / io.MANIFEST)
        data = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8"))
        cfg = from_dict(data)
    except ConfigError as exc:  # a ValueError too: catch it first
        print(f"sim.reproduce: {run_dir / 'config.yaml'}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, ValueError) as exc:
        print(f"sim.reproduce: {run_dir} is not a run directory: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for warning in provenance_warnings(manifest):
        print(f"warning: {warning}", file=out)
    if io.config_hash(cfg) != manifest.get("config_hash"):
        print("warning: config.yaml does not hash to the manifest's config_hash", file=out)
    with tempfile.TemporaryDirectory(prefix="sim-reproduce-") as tmp:
        run(cfg, tmp, overrides=manifest.get("overrides", []))
        differing = []
        for name, digest in manifest["files"].items():
            old, new = run_dir / name, Path(tmp) / name
            recorded_ok = old.exists() and io.sha256(old) == digest
            rerun_ok = io.sha256(new) == digest
            if recorded_ok and rerun_ok:
                print(f"  same  {name}", file=out)
                continue
            differing.append(name)
            print(f"  DIFF  {name}", file=out)
            if not old.exists():
                print(f"        missing from {run_dir}", file=out)
                continue
            if not recorded_ok:
                print(f"        the file in {run_dir} does not match {io.MANIFEST}", file=out)
            if not rerun_ok:
                print("        the re-run does not match the manifest", file=out)
            for line in describe(name, old, new):
                print(f"        {line}", file=out)
    if differing:
        print(f"not reproduced: {len(differing)} file(s) differ: {', '.join(differing)}", file=out)
        return EXIT_DIFFERENT
    print(f"reproduced: all {len(manifest['files'])} files match their SHA-256", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.reproduce", description=__doc__.split("\n")[0]
    )
    parser.add_argument("run_dir", type=Path)
    args = parser.parse_args(argv)
    return reproduce(args.run_dir)


if __name__ == "__main__":
    raise SystemExit(main())
