"""Shared helpers: configs are composed from the real YAML through Hydra's compose API."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.config import Config, load

ROOT = Path(__file__).resolve().parent.parent
CONFIG_DIR = ROOT / "configs"


def load_config(*overrides: str) -> Config:
    """The validated config that ``python -m sim <overrides>`` would run."""
    return load(*overrides)


def small(
    *overrides: str, size: int = 3000, months: int = 48, burn_in: int | None = None
) -> Config:
    """The default economy at a small size and length (burn-in a quarter of the run)."""
    burn_in = months // 4 if burn_in is None else burn_in
    return load_config(
        "population=small",
        f"population.size={size}",
        f"run.months={months}",
        f"run.burn_in={burn_in}",
        *overrides,
    )


def stated_seats() -> tuple[str, ...]:
    """Overrides that fix every programme's places at their default number, so a test that
    changes the programme budget changes money only (by default places are sized from the
    budget: ``${almp_seats:}``)."""
    progs = load_config().policy.programmes
    return tuple(
        f"policy.programmes.{k}.seats_per_1000={p.seats_per_1000:.6g}" for k, p in progs.items()
    )


# The two-state textbook model (shared with sim.validate)
from sim.analysis.flows import HOMOGENEOUS, urn_ball_job_finding  # noqa: E402, F401


@pytest.fixture(scope="session")
def default_small() -> Config:
    return small()
