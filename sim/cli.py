"""The only Hydra entry point: ``python -m sim [overrides]`` and ``python -m sim -m ...``.

Before Hydra runs anything, every job the command line describes is composed and validated;
a bad key or value stops the program with one line naming the key, the value and what is
allowed, and exit status 2, without a traceback and before any simulation starts.
"""

from __future__ import annotations

import itertools
import logging
import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from .config import CONFIG_DIR, ConfigError, describe_error, from_omegaconf, register
from .runtime import tune_allocator

EXIT_CONFIG = 2

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


def _expand(overrides: list[str]) -> list[list[str]]:
    """Every job of a sweep as a list of plain overrides (a cartesian product)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(overrides)
    axes = []
    for o in parsed:
        key = o.get_key_element()
        if o.is_sweep_override():
            axes.append([f"{key}={v}" for v in o.sweep_string_iterator()])
        else:
            axes.append([f"{key}={o.get_value_element_as_str()}"])
    return [list(combo) for combo in itertools.product(*axes)]


def precheck(argv: list[str]) -> None:
    """Compose and validate every job of this command line; exit 2 on the first bad one."""
    found = _user_overrides(argv)
    if found is None:
        return
    overrides, multirun = found
    from hydra import compose, initialize_config_dir

    try:
        jobs = _expand(overrides) if multirun else [overrides]
    except Exception as exc:
        _fail(describe_error(exc))
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        for job in jobs:
            try:
                from_omegaconf(compose(config_name="config", overrides=job))
            except ConfigError as exc:
                _fail(str(exc))
            except Exception as exc:
                _fail(describe_error(exc))


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _app(cfg: DictConfig) -> dict:
    from .runner import run

    try:
        config = from_omegaconf(cfg)
    except ConfigError as exc:
        _fail(str(exc))
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    start = time.perf_counter()
    result = run(config, out_dir)
    elapsed = time.perf_counter() - start
    months = config.run.months
    print(f"run directory: {out_dir}")
    print(
        f"simulated {config.population.size:,} workers x {months} months in {elapsed:.1f} s "
        f"({elapsed / (config.population.size * months) * 1e9:.0f} ns per worker-month)"
    )
    print(headline_table(result.summary))
    return result.summary


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
    precheck(sys.argv[1:])
    _app()


if __name__ == "__main__":
    main()
