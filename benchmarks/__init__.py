"""Benchmarks: the vectorised engine against a one-object-per-worker Mesa reference."""

from __future__ import annotations

from collections.abc import Sequence

from sim.config import Config, load


def load_config(overrides: Sequence[str] = ()) -> Config:
    """The validated default configuration with Hydra overrides, as ``python -m sim``."""
    return load(*overrides)
