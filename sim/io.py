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
from collections.abc import Iterable
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


CODE_PATHS = ("sim", "configs")  # the code and configs that decide a run's numbers


def _git(root: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, timeout=10, check=True
    ).stdout


def code_version(root: Path | None = None) -> dict[str, Any]:
    """Package version and, from a git checkout, the commit, whether ``sim/`` or
    ``configs/`` have uncommitted changes, and the SHA-256 of those changes (``diff_hash``:
    the diff against the commit plus every untracked file's path and content), so that two
    runs made from differently edited copies of one commit are told apart."""
    info: dict[str, Any] = {"package": __version__, "commit": None, "dirty": None}
    root = Path(__file__).resolve().parent.parent if root is None else Path(root)
    try:
        commit = _git(root, "rev-parse", "HEAD").decode().strip()
        status = _git(root, "status", "--porcelain", "--", *CODE_PATHS).decode()
        info.update(commit=commit, dirty=bool(status.strip()), diff_hash=None)
        if info["dirty"]:
            h = hashlib.sha256(_git(root, "diff", "HEAD", "--binary", "--", *CODE_PATHS))
            untracked = _git(
                root, "ls-files", "--others", "--exclude-standard", "-z", "--", *CODE_PATHS
            )
            for name in sorted(n for n in untracked.decode().split("\0") if n):
                h.update(b"\0" + name.encode() + b"\0")
                try:
                    h.update(sha256(root / name).encode())
                except OSError:
                    h.update(b"unreadable")
            info["diff_hash"] = h.hexdigest()
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        pass
    return info


def code_label(code: dict[str, Any] | None) -> str:
    """A code version as one string: the commit, ``+dirty.<12 hex of the diff hash>`` when
    it had uncommitted changes, or the package version outside a git checkout."""
    code = code or {}
    if not code.get("commit"):
        return f"package {code.get('package', 'unknown')}"
    label = str(code["commit"])
    if code.get("dirty"):
        label += f"+dirty.{str(code.get('diff_hash') or 'unknown')[:12]}"
    return label


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _tmp_name(path: Path, pid: int) -> Path:
    return path.with_name(f".{path.name}.tmp-{pid}")


def remove_leftovers(directory: Path, names: Iterable[str]) -> list[Path]:
    """Delete the temporary files (``.<name>.tmp-<pid>``) that a process killed while
    writing ``names`` into ``directory`` left behind; return those removed. Call it only
    once the directory is complete, when no other process writes these files."""
    removed = []
    for name in names:
        for tmp in Path(directory).glob(f".{name}.tmp-*"):
            if tmp.name.rsplit("-", 1)[1].isdigit() and tmp.is_file():
                tmp.unlink(missing_ok=True)
                removed.append(tmp)
    return removed


def _atomic(path: Path, write) -> None:
    tmp = _tmp_name(path, os.getpid())
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
    remove_leftovers(out_dir, (*OUTPUT_FILES, MANIFEST))  # of runs killed mid-write before
    return manifest


def is_complete(run_dir: Path) -> bool:
    """A run directory is complete when its manifest exists and every hash matches."""
    run_dir = Path(run_dir)
    try:
        manifest = read_json(run_dir / MANIFEST)
        return all(sha256(run_dir / name) == digest for name, digest in manifest["files"].items())
    except (OSError, ValueError, KeyError):
        return False
