"""Field helpers for the configuration schema: every parameter carries its allowed range,
unit and meaning as dataclass metadata, and has no value in code (values live in YAML)."""

from __future__ import annotations

import math
from dataclasses import field
from typing import Any

INF = math.inf
REQUIRED: Any = "???"  # OmegaConf's marker of a mandatory value


class ConfigError(ValueError):
    """An invalid configuration value; the message is one line for the user."""


def par(doc: str, *, lo: float = -INF, hi: float = INF, unit: str = "") -> Any:
    """A required numeric parameter with its allowed closed range [lo, hi], unit and meaning.

    Values live in the YAML under ``configs/`` only; ``???`` marks them required here.
    """
    return field(default=REQUIRED, metadata={"doc": doc, "lo": lo, "hi": hi, "unit": unit})


def prob(doc: str, unit: str = "probability per month") -> Any:
    return par(doc, lo=0.0, hi=1.0, unit=unit)


def flag(doc: str) -> Any:
    return field(default=REQUIRED, metadata={"doc": doc, "bool": True})


def sub(factory: Any) -> Any:
    return field(default_factory=factory)
