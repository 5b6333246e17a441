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
import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from . import io, sweep
from .config import CONFIG_DIR, ConfigError, describe_error, from_omegaconf, register
from .runtime import tune_allocator

EXIT_CONFIG = 2
EXIT_FAILED_RUNS = 1

register()


def _fail(message: str) -> None:
    print(f"sim: config error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_CONFIG)


def _user_overrides(argv: list[str]) -> tuple[list[str], bool] | None:
    """The config overrides on a command line and whether it is a multirun; None when the
    command asks Hydra for something other than a run (help, --cfg, shell completion...)."""
    multirun, overrides = False, []
    for arg in argv:
        if arg in ("-m", "--multirun"):
            multirun = True
        elif arg.startswith("-"):
            return None
        elif not arg.startswith(("hydra.", "hydra/", "+hydra", "~hydra")):
            overrides.append(arg)
    return overrides, multirun


def _is_group(key: str) -> bool:
    """Whether ``key`` picks a config group file (``regime=integration``)."""
    return (CONFIG_DIR / key.replace(".", "/")).is_dir()


def _check_jobs(jobs: list[list[str]]) -> list[tuple[list[str], str]]:
    """Validate every job; return those with values out of range (each with its message).

    Hydra composes a job in about 0.4 s, too slow for a thousand jobs, so jobs are composed
    once per combination of config-group choices and their plain values are then set on a
    copy (the same typed, struct-mode config Hydra would build), about 10 ms a job. A key
    or type error in any job stops the whole command (exit 2): Hydra could not compose it.
    """
    from hydra import compose
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    bases: dict[tuple[str, ...], DictConfig] = {}
    bad = []
    for job in jobs:
        try:
            parsed = parser.parse_overrides(job)
            simple = all(not (o.is_add() or o.is_delete() or o.is_force_add()) for o in parsed)
            if simple:
                groups = tuple(o.input_line for o in parsed if _is_group(o.get_key_element()))
                if groups not in bases:
                    bases[groups] = compose(config_name="config", overrides=list(groups))
                cfg = bases[groups].copy()
                for o in parsed:
                    if not _is_group(o.get_key_element()):
                        OmegaConf.update(cfg, o.get_key_element(), o.value(), merge=True)
            else:
                cfg = compose(config_name="config", overrides=job)
            from_omegaconf(cfg)
        except ConfigError as exc:
            bad.append((job, str(exc)))
        except Exception as exc:
            _fail(f"{describe_error(exc)} (in the job {' '.join(job)})")
    return bad


def precheck(argv: list[str]) -> list[tuple[list[str], str]]:
    """Compose and validate every job of this command line before anything runs.

    A single run with a bad value, or any job Hydra could not compose, exits 2 here. For a
    sweep, the jobs with values out of range are returned (and reported) so that the others
    can still run."""
    found = _user_overrides(argv)
    if found is None:
        return []
    overrides, multirun = found
    from hydra import compose, initialize_config_dir
    from hydra.core.override_parser.overrides_parser import OverridesParser

    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        try:
            if not multirun:
                from_omegaconf(compose(config_name="config", overrides=overrides))
                return []
            parsed = OverridesParser.create().parse_overrides(overrides)
            fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
            hydra_cfg = compose(config_name="config", overrides=fixed, return_hydra_config=True)
            params = hydra_cfg.hydra.sweeper.params or {}
            jobs = sweep.plan(overrides, {k: str(v) for k, v in params.items()})
        except ConfigError as exc:
            _fail(str(exc))
        except Exception as exc:
            _fail(describe_error(exc))
        bad = _check_jobs(jobs)
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
    with _progress_bar(config.run.months) as bar:
        result = run(config, out_dir, lambda _m: bar.update(1), list(hc.overrides.task))
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
    """One job of a sweep: skip it when complete, never let its failure stop the others."""
    from .runner import run

    name = f"job {out_dir.name} ({' '.join(overrides) or 'no overrides'})"
    start = time.perf_counter()
    try:
        config = from_omegaconf(cfg)
        if io.is_complete(out_dir) and io.read_json(out_dir / io.MANIFEST).get(
            "config_hash"
        ) == io.config_hash(config):
            print(f"{name}: complete, skipped")
            return io.read_json(out_dir / "summary.json")
        sweep.clear_failure(out_dir)
        result = run(config, out_dir, overrides=overrides)
        print(f"{name}: done in {time.perf_counter() - start:.1f} s")
        return result.summary
    except Exception as exc:
        sweep.record_failure(out_dir, overrides, exc)
        print(f"{name}: FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return None
    finally:
        state = sweep.progress(out_dir.parent)
        if state is not None:
            print(state.line(), flush=True)


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
    bad = precheck(sys.argv[1:])
    _app()
    from .aggregate import LAST_SWEEP

    if LAST_SWEEP.get("failed"):
        raise SystemExit(EXIT_CONFIG if bad else EXIT_FAILED_RUNS)


if __name__ == "__main__":
    main()
