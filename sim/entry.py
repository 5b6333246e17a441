"""Checks of everything on a ``python -m sim`` command line that is not a model parameter.

The schema (``sim.config``) checks the parameters. What Hydra itself reads would otherwise
fail with a traceback, or not at all: its flags (``--config-path``, ``--config-dir``,
``--config-name``), the YAML files of the config directories, override syntax, the output
directory and the multirun launcher's settings. Each check here raises ``ConfigError``
with one line naming what is wrong, before Hydra or any simulation starts.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import CONFIG_DIR, ConfigError

#: flags that ask Hydra for something other than a run (help, printing the config, ...)
PASSTHROUGH = {
    "-h",
    "--help",
    "--hydra-help",
    "--version",
    "-c",
    "--cfg",
    "--resolve",
    "-p",
    "--package",
    "-i",
    "--info",
    "-sc",
    "--shell-completion",
    "--experimental-rerun",
}
WITH_VALUE = {"-cp": "config_path", "--config-path": "config_path"}
WITH_VALUE |= {"-cn": "config_name", "--config-name": "config_name"}
WITH_VALUE |= {"-cd": "config_dir", "--config-dir": "config_dir"}
RESUME_ANY_CODE = "--resume-any-code"
#: set (to "1") in every job of a sweep run with --resume-any-code, whatever the launcher
RESUME_ENV = "SIM_RESUME_ANY_CODE"
#: a sweep may replace the finished runs of another sweep in its directory
REPLACE_OTHER_RUNS = "--replace-other-runs"


@dataclass
class Command:
    """A ``python -m sim`` command line, taken apart."""

    argv: list[str]  # what Hydra is given (paths made absolute, our own flag removed)
    overrides: list[str] = field(default_factory=list)  # config overrides, hydra.* aside
    hydra_overrides: list[str] = field(default_factory=list)
    multirun: bool = False
    passthrough: bool = False  # help, --cfg, ...: Hydra answers, nothing runs
    resume_any_code: bool = False
    replace_other_runs: bool = False
    config_path: Path = CONFIG_DIR
    config_name: str = "config"
    config_dir: Path | None = None

    @property
    def config_roots(self) -> list[Path]:
        """The config directories in Hydra's search order."""
        return [self.config_path, *([self.config_dir] if self.config_dir else [])]


def parse(argv: list[str]) -> Command:
    """Split a command line into Hydra's flags and the overrides, and check the flags."""
    cmd = Command(argv=[])
    i = 0
    while i < len(argv):
        arg = argv[i]
        flag, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if arg in ("-m", "--multirun"):
            cmd.multirun = True
        elif arg in (RESUME_ANY_CODE, REPLACE_OTHER_RUNS):
            setattr(cmd, arg.removeprefix("--").replace("-", "_"), True)
            i += 1
            continue
        elif flag in WITH_VALUE:
            if eq:
                value = inline
            elif i + 1 < len(argv):
                i += 1
                value = argv[i]
            else:
                raise ConfigError(f"{flag} needs a value")
            name = WITH_VALUE[flag]
            if name == "config_name":
                cmd.config_name = value.removesuffix(".yaml")
            else:
                setattr(cmd, name, _directory(flag, value))
            cmd.argv += [flag, str(getattr(cmd, name))]
            i += 1
            continue
        elif flag in PASSTHROUGH or arg in PASSTHROUGH:
            cmd.passthrough = True
        elif arg.startswith("-"):
            raise ConfigError(
                f"{arg} is not an option of python -m sim: options are -m/--multirun, "
                f"{RESUME_ANY_CODE}, {REPLACE_OTHER_RUNS}, --config-path, --config-name, "
                "--config-dir and Hydra's --help, --cfg, --info (see --help); "
                "overrides are key=value"
            )
        elif arg.lstrip("+~").startswith(("hydra.", "hydra/")):
            cmd.hydra_overrides.append(arg)
        else:
            cmd.overrides.append(arg)
        cmd.argv.append(arg)
        i += 1
    if any(
        o.replace(" ", "") in ("hydra.mode=MULTIRUN", "hydra.mode=multirun")
        for o in cmd.hydra_overrides
    ):
        cmd.multirun = True  # Hydra's other spelling of -m
    for flag in (RESUME_ANY_CODE, REPLACE_OTHER_RUNS):
        if getattr(cmd, flag.removeprefix("--").replace("-", "_")) and not cmd.multirun:
            raise ConfigError(f"{flag} applies to a sweep: add -m")
    return cmd


def _directory(flag: str, value: str) -> Path:
    """A config directory given on the command line, absolute (relative paths are taken
    from the current directory, not from the package as Hydra would)."""
    path = Path(value).expanduser()
    path = path if path.is_absolute() else Path.cwd() / path
    if not path.is_dir():
        raise ConfigError(f"{flag} {value}: {path} is not a directory")
    return path.resolve()


# --------------------------------------------------------------------------- config files
def check_config_dirs(cmd: Command) -> None:
    """Every YAML file of the config directories parses; the primary config exists; and
    ``--config-dir`` does not hold edited copies that Hydra would silently ignore."""
    for root in cmd.config_roots:
        for path in sorted(root.rglob("*.yaml")):
            _check_yaml(path, root)
    name = f"{cmd.config_name}.yaml"
    if not any((root / name).is_file() for root in cmd.config_roots):
        raise ConfigError(
            f"--config-name {cmd.config_name}: there is no {name} in "
            + " or ".join(str(r) for r in cmd.config_roots)
        )
    if cmd.config_dir is not None:
        for path in sorted(cmd.config_dir.rglob("*.yaml")):
            rel = path.relative_to(cmd.config_dir)
            main = cmd.config_path / rel
            if main.is_file() and main.read_bytes() != path.read_bytes():
                raise ConfigError(
                    f"--config-dir {cmd.config_dir}: {rel} differs from {main}, which Hydra "
                    f"reads first, so the edited copy would be ignored; give a whole edited "
                    f"copy of configs/ as --config-path instead (--config-dir only adds files)"
                )


def _check_yaml(path: Path, root: Path) -> None:
    rel = path.relative_to(root)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{root}/{rel} is not UTF-8 text: byte 0x{exc.object[exc.start]:02x} at offset "
            f"{exc.start}"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{root}/{rel} cannot be read: {exc.strerror}") from None
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ConfigError(f"{root}/{rel}: YAML syntax error{where}: {problem}") from None


@contextlib.contextmanager
def hydra_context(cmd: Command) -> Iterator[None]:
    """Hydra initialised with the search path ``python -m sim`` will use (the primary
    config directory, then ``--config-dir`` before the schema, as Hydra orders them)."""
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_config_search_path
    from hydra.core.config_search_path import SearchPathQuery
    from hydra.core.global_hydra import GlobalHydra

    search_path = create_config_search_path(f"file://{cmd.config_path}")
    if cmd.config_dir is not None:
        search_path.prepend(
            provider="command-line",
            path=f"file://{cmd.config_dir}",
            anchor=SearchPathQuery(provider="schema"),
        )
    GlobalHydra.instance().clear()
    Hydra.create_main_hydra2(task_name="sim", config_search_path=search_path)
    try:
        yield
    finally:
        GlobalHydra.instance().clear()


# --------------------------------------------------------------------------- overrides
def check_override_syntax(overrides: list[str]) -> None:
    """Each override parses on its own and names a key (``=5`` does not)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import OverrideParseException

    parser = OverridesParser.create()
    for o in overrides:
        if not o.lstrip("+~").split("=", 1)[0].strip():
            raise ConfigError(f"{o!r} is not an override: it has no key (write key=value)")
        try:
            parser.parse_overrides([o])
        except OverrideParseException as exc:
            first = str(exc).splitlines()[0].split("; See ")[0]
            raise ConfigError(
                f"{o!r} is not a valid override ({first}); quote values with spaces, "
                "brackets or braces, e.g. 'reforms=[{month: 12, path: ..., value: ...}]'"
            ) from None


# --------------------------------------------------------------------------- outputs
def check_output_dir(key: str, value: Any) -> None:
    """The run or sweep directory can be created and written: not empty, not a regular
    file or inside one, and its nearest existing parent accepts new files."""
    text = "" if value is None else str(value)
    if not text.strip():
        raise ConfigError(f"{key} is empty: give the directory the outputs go to")
    path = Path(text).expanduser()
    path = path if path.is_absolute() else Path.cwd() / path
    if os.path.lexists(path) and not os.path.isdir(path):
        raise ConfigError(f"{key} = {text} is a regular file, not a directory")
    probe = path
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    if not os.path.isdir(probe):
        raise ConfigError(f"{key} = {text} is inside {probe}, a regular file, not a directory")
    try:
        with tempfile.TemporaryFile(dir=probe, prefix=".sim-write-check-"):
            pass
    except OSError as exc:
        raise ConfigError(
            f"{key} = {text} is not writable: cannot create files in {probe} "
            f"({exc.strerror or exc})"
        ) from None


# --------------------------------------------------------------------------- launchers
#: launcher settings that must be whole numbers of at least 1 (submitit, local and SLURM)
AT_LEAST_ONE = (
    "cpus_per_task",
    "tasks_per_node",
    "nodes",
    "timeout_min",
    "array_parallelism",
)


def check_launcher(launcher: Any) -> None:
    """The multirun launcher's settings that Hydra passes on unchecked."""
    if launcher is None:
        return
    target = str(launcher.get("_target_", ""))
    if "joblib" in target.lower():
        n = launcher.get("n_jobs")
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n == 0):
            raise ConfigError(
                f"hydra.launcher.n_jobs = {n!r} is not allowed: must be a whole number of "
                "parallel jobs >= 1, or -1 for one per core (-2 for all but one, ...)"
            )
    if "submitit" in target.lower():
        for key in AT_LEAST_ONE:
            n = launcher.get(key)
            if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
                raise ConfigError(
                    f"hydra.launcher.{key} = {n!r} is not allowed: must be a whole number >= 1"
                )
        mem = launcher.get("mem_gb")
        if mem is not None and (isinstance(mem, bool) or not mem > 0):
            raise ConfigError(f"hydra.launcher.mem_gb = {mem!r} is not allowed: must be > 0")


def check_sweep_subdir(sweep: Any) -> None:
    """Run directories must be named by job number: the plan, resume and the aggregation
    find job ``i`` in directory ``i``."""
    from omegaconf import OmegaConf

    subdir = OmegaConf.to_container(sweep, resolve=False).get("subdir")
    if subdir != "${hydra.job.num}":
        raise ConfigError(
            f"hydra.sweep.subdir = {subdir!r} is not allowed: must be ${{hydra.job.num}} "
            "(job i runs in directory i of the sweep; choose the place with hydra.sweep.dir)"
        )


def preset_with_overrides(cmd: Command) -> list[str]:
    """The overrides a preset sweep (``sweep=NAME``, its directory left to the preset) is
    run with besides the preset: they make another sweep, which gets its own directory."""
    if not any(o.startswith("sweep=") for o in cmd.overrides):
        return []
    if any(h.lstrip("+").startswith("hydra.sweep.dir=") for h in cmd.hydra_overrides):
        return []
    return [o for o in cmd.overrides if not o.startswith("sweep=")]


def own_directory(preset_dir: str | Path, extras: list[str]) -> str:
    """The preset's directory with the extra overrides in its name (``+k=v+k=v``), made
    safe for a file name; a long tail is cut and keeps a hash, so names stay distinct."""
    import hashlib
    import re

    tail = re.sub(r"[^A-Za-z0-9._=,+-]+", "_", "+".join(sorted(extras))).strip("_")
    if len(tail) > 150:
        digest = hashlib.sha256(",".join(sorted(extras)).encode()).hexdigest()[:8]
        tail = f"{tail[:140]}~{digest}"
    return f"{preset_dir}+{tail}"
