"""Benchmarks: the vectorised engine against a one-object-per-worker Mesa reference."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sim.config import Config

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def load_config(overrides: Sequence[str] = ()) -> Config:
    """The validated default configuration (``configs/config.yaml``) with Hydra overrides,
    e.g. ``["population.size=2000", "run.months=120"]``, composed as ``python -m sim`` does."""
    from hydra import compose, initialize_config_dir

    from sim.config import from_omegaconf, register

    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return from_omegaconf(compose(config_name="config", overrides=list(overrides)))
