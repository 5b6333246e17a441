"""The only Hydra entry point: ``python -m sim [overrides]`` and ``python -m sim -m ...``.

Before Hydra runs anything, every job the command line describes is composed and validated.
A bad key or type, or any bad value of a single run, stops the program with one line naming
the key, the value and what is allowed, and exit status 2, without a traceback and before
any simulation starts. In a sweep, a job whose value is out of range is reported at once and
then listed as failed, while the other jobs run; the sweep exits 2 at the end.

In a sweep each job skips itself when its run directory is already complete for the same
config (resume), and a job that fails leaves ``error.json`` instead of stopping the others.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from . import entry, io, sweep
from .config import CONFIG_DIR, ConfigError, describe_error, from_omegaconf, register
from .runtime import tune_allocator

EXIT_CONFIG = 2
EXIT_FAILED_RUNS = 1
#: set by ``precheck`` when every job of the sweep is already complete: its directory
ALL_COMPLETE: dict[str, Path] = {}

register()


def _fail(message: str) -> None:
    print(f"sim: config error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_CONFIG)


def _is_group(key: str, roots: list[Path] | tuple[Path, ...] = (CONFIG_DIR,)) -> bool:
    """Whether ``key`` picks a config group file (``regime=integration``)."""
    return any((root / key.replace(".", "/")).is_dir() for root in roots)


def _check_jobs(
    jobs: list[list[str]], cmd: entry.Command | None = None
) -> tuple[list[tuple[list[str], str]], list]:
    """Validate every job; return those with values out of range (each with its message),
    and every job's validated ``Config`` (None for the bad ones).

    Hydra composes a job in about 0.4 s, too slow for a thousand jobs, so jobs are composed
    once per combination of config-group choices and their plain values are then set on a
    copy (the same typed, struct-mode config Hydra would build), about 10 ms a job. A key
    or type error in any job stops the whole command (exit 2): Hydra could not compose it.
    """
    from hydra import compose
    from hydra.core.override_parser.overrides_parser import OverridesParser

    cmd = cmd or entry.Command(argv=[])
    roots = cmd.config_roots
    parser = OverridesParser.create()
    bases: dict[tuple[str, ...], DictConfig] = {}
    bad, configs = [], []
    for job in jobs:
        try:
            parsed = parser.parse_overrides(job)
            simple = all(not (o.is_add() or o.is_delete() or o.is_force_add()) for o in parsed)
            if simple:
                groups = tuple(
                    o.input_line for o in parsed if _is_group(o.get_key_element(), roots)
                )
                if groups not in bases:
                    bases[groups] = compose(config_name=cmd.config_name, overrides=list(groups))
                cfg = bases[groups].copy()
                for o in parsed:
                    if not _is_group(o.get_key_element(), roots):
                        OmegaConf.update(cfg, o.get_key_element(), o.value(), merge=True)
            else:
                cfg = compose(config_name=cmd.config_name, overrides=job)
            configs.append(from_omegaconf(cfg))
        except ConfigError as exc:
            bad.append((job, str(exc)))
            configs.append(None)
        except Exception as exc:
            _fail(f"{describe_error(exc)} (in the job {' '.join(job)})")
    return bad, configs


def complete_jobs(sweep_dir: Path, jobs: list[list[str]], configs: list) -> tuple[list[int], int]:
    """The jobs of this plan whose run directory is already complete for the same config
    and code (any code under --resume-any-code): what the sweep will skip. Empty when the
    directory holds another plan (those runs are redone or left out, never reused). Also
    returns how many of them another code version made (kept by --resume-any-code)."""
    plan = sweep.read_plan(sweep_dir)
    if plan is None or plan.get("jobs") != jobs:
        return [], 0
    now = io.code_label(io.code_version())
    any_code = os.environ.get(entry.RESUME_ENV) == "1"
    done, other = [], 0
    for i, config in enumerate(configs):
        run_dir = sweep_dir / str(i)
        if config is None or not io.is_complete(run_dir):
            continue
        manifest = io.read_json(run_dir / io.MANIFEST)
        if manifest.get("config_hash") != io.config_hash(config):
            continue
        same = io.code_label(manifest.get("code")) == now
        if same or any_code:
            done.append(i)
            other += not same
    return done, other


def other_sweeps_runs(sweep_dir: Path, configs: list) -> list[int]:
    """The jobs whose run directory holds a finished run of another config: launching
    would replace it (runs beyond this plan are left alone, and left out)."""
    replaced = []
    for i, config in enumerate(configs):
        run_dir = sweep_dir / str(i)
        if not io.is_complete(run_dir):
            continue
        made = io.read_json(run_dir / io.MANIFEST).get("config_hash")
        if config is None or made != io.config_hash(config):
            replaced.append(i)
    return replaced


def _hydra_value(cfg: DictConfig, key: str) -> tuple[bool, object]:
    """``(True, value)`` of a Hydra setting, or ``(False, None)`` when it cannot be resolved
    before Hydra runs (a resolver that needs the job): then Hydra checks it itself."""
    try:
        return True, OmegaConf.select(cfg, key)
    except Exception:
        return False, None


def _without_hydra(cfg: DictConfig) -> DictConfig:
    from omegaconf import open_dict

    with open_dict(cfg):
        cfg.pop("hydra", None)
    return cfg


def precheck(argv: list[str] | entry.Command) -> list[tuple[list[str], str]]:
    """Check and compose every job of this command line before anything runs.

    Hydra's flags, the YAML of the config directories, the override syntax, the output
    directory and the launcher's settings are checked first (``sim.entry``); then a single
    run with a bad value, or any job Hydra could not compose, exits 2 here. For a sweep,
    the jobs with values out of range are returned (and reported) so that the others can
    still run."""
    try:
        cmd = argv if isinstance(argv, entry.Command) else entry.parse(argv)
        if cmd.passthrough:
            return []
        entry.check_config_dirs(cmd)
        entry.check_override_syntax([*cmd.overrides, *cmd.hydra_overrides])
    except ConfigError as exc:
        _fail(str(exc))
    from hydra import compose
    from hydra.core.override_parser.overrides_parser import OverridesParser

    with entry.hydra_context(cmd):
        try:
            if not cmd.multirun:
                cfg = compose(
                    config_name=cmd.config_name,
                    overrides=[*cmd.overrides, *cmd.hydra_overrides],
                    return_hydra_config=True,
                )
                known, run_dir = _hydra_value(cfg, "hydra.run.dir")
                if known:
                    entry.check_output_dir("hydra.run.dir", run_dir)
                from_omegaconf(_without_hydra(cfg))
                return []
            parsed = OverridesParser.create().parse_overrides(cmd.overrides)
            fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
            hydra_cfg = compose(
                config_name=cmd.config_name,
                overrides=[*fixed, *cmd.hydra_overrides],
                return_hydra_config=True,
            )
            known, sweep_dir = _hydra_value(hydra_cfg, "hydra.sweep.dir")
            extras = entry.preset_with_overrides(cmd)
            if known and extras:  # another sweep than the preset's: never in its directory
                sweep_dir = entry.own_directory(sweep_dir, extras)
                own = f"hydra.sweep.dir='{sweep_dir}'"
                cmd.hydra_overrides.append(own)
                cmd.argv.append(own)
                print(
                    f"[sweep] the preset with {' '.join(extras)} is another sweep: "
                    f"its own directory {sweep_dir}",
                    flush=True,
                )
            if known:
                entry.check_output_dir("hydra.sweep.dir", sweep_dir)
            entry.check_sweep_subdir(hydra_cfg.hydra.sweep)
            entry.check_launcher(hydra_cfg.hydra.get("launcher"))
            params = hydra_cfg.hydra.sweeper.params or {}
            jobs = sweep.plan(cmd.overrides, {k: str(v) for k, v in params.items()})
            if not jobs:
                empty = [o.input_line for o in parsed if o.is_sweep_override()]
                empty = [
                    e
                    for e in empty
                    if not list(
                        OverridesParser.create().parse_overrides([e])[0].sweep_string_iterator()
                    )
                ]
                _fail(
                    "the sweep has no jobs: "
                    + (f"{', '.join(empty)} gives no values" if empty else "an axis is empty")
                )
        except ConfigError as exc:
            _fail(str(exc))
        except Exception as exc:
            _fail(describe_error(exc))
        bad, configs = _check_jobs(jobs, cmd)
    if known:
        replaced = other_sweeps_runs(Path(sweep_dir), configs)
        if replaced and not cmd.replace_other_runs:
            i = replaced[0]
            was = io.read_json(Path(sweep_dir) / str(i) / io.MANIFEST).get("overrides", [])
            _fail(
                f"{sweep_dir} holds {len(replaced)} finished run(s) of another sweep that this "
                f"one would replace (run {i}: {' '.join(was) or 'the defaults'}; now: "
                f"{' '.join(jobs[i]) or 'the defaults'}): keep them with "
                f"hydra.sweep.dir=ANOTHER_DIR, or replace them with {entry.REPLACE_OTHER_RUNS}"
            )
        done, other = complete_jobs(Path(sweep_dir), jobs, configs)
        if done:
            kept = f"; {other} made by other code: kept, --resume-any-code" if other else ""
            print(
                f"[sweep] {len(done)} of {len(jobs)} jobs already complete in {sweep_dir} "
                f"(same config, same code): skipped{kept}",
                flush=True,
            )
        if len(done) == len(jobs):  # nothing to launch
            ALL_COMPLETE["sweep_dir"] = Path(sweep_dir)
    if bad and len(bad) == len(jobs):
        _fail(
            bad[0][1]
            + (f" (every one of the {len(jobs)} jobs is invalid)" if len(jobs) > 1 else "")
        )
    for job, message in bad:
        print(
            f"sim: config error in the job {' '.join(job)}: {message}; "
            f"it will be listed as failed, the other jobs run",
            file=sys.stderr,
        )
    return bad


def _progress_bar(months: int):
    """A per-run progress bar on a terminal (nothing when output is redirected)."""
    from tqdm import tqdm

    return tqdm(total=months, unit="month", desc="simulating", leave=False, disable=None)


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _app(cfg: DictConfig) -> dict | None:
    hc = HydraConfig.get()
    if hc.mode == RunMode.MULTIRUN:
        return _sweep_job(cfg, Path(hc.runtime.output_dir), list(hc.overrides.task))
    from .runner import run

    try:
        config = from_omegaconf(cfg)
    except ConfigError as exc:
        _fail(str(exc))
    out_dir = Path(hc.runtime.output_dir)
    start = time.perf_counter()
    try:
        with _progress_bar(config.run.months) as bar:
            result = run(config, out_dir, lambda _m: bar.update(1), list(hc.overrides.task))
    except OSError as exc:  # a full disk, a directory made read-only meanwhile, ...
        print(f"sim: error: cannot write the run directory {out_dir}: {exc}", file=sys.stderr)
        raise SystemExit(EXIT_CONFIG) from None
    elapsed = time.perf_counter() - start
    months = config.run.months
    print(f"run directory: {out_dir}")
    print(
        f"simulated {config.population.size:,} workers x {months} months in {elapsed:.1f} s "
        f"({elapsed / (config.population.size * months) * 1e9:.0f} ns per worker-month)"
    )
    print(headline_table(result.summary))
    return result.summary


def _sweep_job(cfg: DictConfig, out_dir: Path, overrides: list[str]) -> dict | None:
    """One job of a sweep: skip it when complete for the same config and code, never let
    its failure stop the others."""
    name = f"job {out_dir.name} ({' '.join(overrides) or 'no overrides'})"
    start = time.perf_counter()
    skipped = False
    try:
        config = from_omegaconf(cfg)
        kept = _resumable(out_dir, config)
        if kept is not None:  # the sweep's first line counted it; say only what is unusual
            skipped = True
            if kept:
                print(f"{name}: complete, skipped{kept}")
            return io.read_json(out_dir / "summary.json")
        from .runner import run  # the model's imports only for a job that runs

        sweep.clear_failure(out_dir)
        result = run(config, out_dir, overrides=overrides)
        print(f"{name}: done in {time.perf_counter() - start:.1f} s")
        return result.summary
    except Exception as exc:
        try:
            sweep.record_failure(out_dir, overrides, exc)
        except OSError as err:
            print(f"{name}: could not write {sweep.ERROR}: {err}", file=sys.stderr)
        print(f"{name}: FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None
    finally:
        state = None if skipped else sweep.progress(out_dir.parent)
        if state is not None:
            print(state.line(), flush=True)


def _resumable(out_dir: Path, config) -> str | None:
    """Why a complete run directory may be kept (``""``, or a note when it was made by other
    code and ``--resume-any-code`` keeps it), or None when the job must run: no complete run,
    another config, or another code version (commit, or uncommitted changes)."""
    if not io.is_complete(out_dir):
        return None
    manifest = io.read_json(out_dir / io.MANIFEST)
    if manifest.get("config_hash") != io.config_hash(config):
        return None
    recorded, now = io.code_label(manifest.get("code")), io.code_label(io.code_version())
    if recorded == now:
        return ""
    if os.environ.get(entry.RESUME_ENV) == "1":
        return f" (made by code {recorded[:20]}, not {now[:20]}: kept, --resume-any-code)"
    print(f"job {out_dir.name}: complete but made by code {recorded[:20]}, now {now[:20]}: redone")
    return None


HEADLINES = (
    ("poverty_headcount", "poverty headcount (FGT0)", "{:.1%}"),
    ("poverty_gap", "poverty gap (FGT1)", "{:.3f}"),
    ("child_poverty_headcount", "child poverty headcount", "{:.1%}"),
    ("unemployment_rate", "unemployment rate", "{:.1%}"),
    ("informality_rate", "informality rate", "{:.1%}"),
    ("youth_neet_rate", "youth NEET rate", "{:.1%}"),
    ("ltu_share", "long-term unemployed share", "{:.1%}"),
    ("placement_rate_6m", "placed within 6 months", "{:.1%}"),
    ("benefit_coverage_unemployed", "unemployed with income support", "{:.1%}"),
    ("spend_benefits", "income support per month", "{:,.0f}"),
    ("spend_almp", "ALMP spending per month", "{:,.0f}"),
    ("spend_admin", "administration per month", "{:,.0f}"),
    ("spend_total", "total spending per month", "{:,.0f}"),
    ("cost_per_placement", "cost per placement", "{:,.0f}"),
)


def headline_table(summary: dict) -> str:
    """The headline outcomes as an aligned text table."""
    width = max(len(label) for _, label, _ in HEADLINES)
    lines = [f"headline outcomes (mean over months {summary['burn_in']}+):"]
    for key, label, fmt in HEADLINES:
        lines.append(f"  {label:<{width}}  {fmt.format(summary[key]):>12}")
    return "\n".join(lines)


def main() -> None:
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    tune_allocator()
    if any(a in ("-h", "--help") for a in sys.argv[1:]):  # our page; Hydra's: --hydra-help
        from .help import text

        print(text(), end="")
        raise SystemExit(0)
    if sys.argv[1:] == ["--scenarios"]:
        from .scenarios import listing

        print(listing(), end="")
        raise SystemExit(0)
    try:
        cmd = entry.parse(sys.argv[1:])
    except ConfigError as exc:
        _fail(str(exc))
    if cmd.resume_any_code:  # every job sees it, whatever the launcher (Hydra sets it)
        os.environ[entry.RESUME_ENV] = "1"
    bad = precheck(cmd)  # may give a preset sweep with other overrides its own directory
    sys.argv = [sys.argv[0], *cmd.argv]
    if cmd.resume_any_code:
        sys.argv.append(f"++hydra.job.env_set.{entry.RESUME_ENV}=1")
    from .aggregate import LAST_SWEEP

    if ALL_COMPLETE:  # a complete sweep: aggregate, launch nothing
        from .aggregate import finish_sweep

        finish_sweep(ALL_COMPLETE["sweep_dir"])
    else:
        _app()

    if LAST_SWEEP.get("error"):
        raise SystemExit(EXIT_CONFIG)
    if LAST_SWEEP.get("failed"):
        raise SystemExit(EXIT_CONFIG if bad else EXIT_FAILED_RUNS)


if __name__ == "__main__":
    main()
