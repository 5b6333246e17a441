"""Writing a run directory that a reviewer can trust.

Every output is written to a temporary name and renamed into place when complete;
``manifest.json`` is written last and holds the SHA-256 of every other file, so a directory
without a manifest (or whose hashes do not match) is not a finished run. Nothing written
depends on the wall clock: the same config and seed give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import __version__
from .config import Config, to_dict

TABLES = ("timeseries", "transitions", "spells")  # each written as <name>.parquet
OUTPUT_FILES = ("config.yaml", *(f"{t}.parquet" for t in TABLES), "summary.json")
MANIFEST = "manifest.json"
PACKAGES = ("numpy", "pandas", "pyarrow", "scipy", "mesa", "hydra-core", "omegaconf", "plotly")


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def config_hash(cfg: Config) -> str:
    """SHA-256 of the canonical JSON of the resolved config."""
    text = json.dumps(to_dict(cfg), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def code_version() -> dict[str, Any]:
    """Package version and, when run from a git checkout, the commit and whether it is dirty."""
    info: dict[str, Any] = {"package": __version__, "commit": None, "dirty": None}
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "sim", "configs"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout
        info.update(commit=commit, dirty=bool(status.strip()))
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(path: Path, text: str) -> None:
    _atomic(path, lambda p: p.write_text(text, encoding="utf-8"))


def write_parquet(path: Path, df: pd.DataFrame) -> None:
    _atomic(path, lambda p: df.to_parquet(p, index=False, engine="pyarrow", compression="zstd"))


def config_yaml(cfg: Config) -> str:
    return yaml.safe_dump(to_dict(cfg), sort_keys=False, default_flow_style=None, width=100)


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, indent=2) + "\n")


def read_json(path: Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_run(
    out_dir: Path,
    cfg: Config,
    tables: dict[str, pd.DataFrame],
    summary: dict,
    overrides: list[str] | tuple[str, ...] = (),
) -> dict:
    """Write all outputs of a run (``tables`` keyed as ``TABLES``), then the manifest; return
    the manifest. ``overrides`` (the command-line overrides that made this config) are kept
    so that a sweep can be aggregated from its run directories alone."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stale = out_dir / MANIFEST
    if stale.exists():
        stale.unlink()  # the directory is not finished until the new manifest lands
    write_text(out_dir / "config.yaml", config_yaml(cfg))
    for name in TABLES:
        write_parquet(out_dir / f"{name}.parquet", tables[name])
    write_json(out_dir / "summary.json", summary)
    manifest = {
        "seed": cfg.seed,
        "replicate": cfg.run.replicate,
        "label": cfg.run.label,
        "config_hash": config_hash(cfg),
        "overrides": list(overrides),
        "regime": {
            "eligibility": cfg.regime.eligibility,
            "delivery": cfg.regime.delivery,
            "financing": cfg.regime.financing,
        },
        "code": code_version(),
        "versions": package_versions(),
        "files": {name: sha256(out_dir / name) for name in OUTPUT_FILES},
    }
    write_json(out_dir / MANIFEST, manifest)
    return manifest


def is_complete(run_dir: Path) -> bool:
    """A run directory is complete when its manifest exists and every hash matches."""
    run_dir = Path(run_dir)
    try:
        manifest = read_json(run_dir / MANIFEST)
        return all(sha256(run_dir / name) == digest for name, digest in manifest["files"].items())
    except (OSError, ValueError, KeyError):
        return False
