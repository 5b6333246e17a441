"""Dated parameters: the configuration in force in a given month.

A reform is data, as in PolicyEngine: a list of ``{month, path, value}`` changes
(``Config.reforms``) applied cumulatively to a copy of the baseline. ``DatedParams.at(t)``
returns the ``Config`` in force in month ``t``; the model asks for it at the start of every
month and re-derives its tables when it changes. A regime switch mid-run (cooperation until
month 60, integration after) is just a dated value.

Only parameters that act during the run may change: the seed, the run settings and the
initial population (everything under ``population`` except ``population.demography``) are
fixed at set-up.
"""

from __future__ import annotations

import bisect
import copy
from dataclasses import fields, is_dataclass, replace
from typing import Any

from .config import Config, ConfigError, validate

FIXED_AT_SETUP = ("seed", "run.", "reforms", "population.")
CHANGEABLE_UNDER_FIXED = ("population.demography.",)


def _fixed(path: str) -> bool:
    if path.startswith(CHANGEABLE_UNDER_FIXED):
        return False
    return any(path == p.rstrip(".") or path.startswith(p) for p in FIXED_AT_SETUP)


def apply(cfg: Config, path: str, value: Any) -> Config:
    """A copy of ``cfg`` with the leaf parameter at dotted ``path`` set to ``value``."""
    if _fixed(path):
        raise ConfigError(f"{path} cannot change during a run: it is fixed at set-up")
    new = copy.deepcopy(cfg)
    parts = path.split(".")
    node: Any = new
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, dict):
            if part not in node:
                raise ConfigError(
                    f"{path} is not a known parameter: {'.'.join(parts[:i])} has "
                    f"no entry {part!r} (entries: {sorted(node)})"
                )
            if last:
                raise ConfigError(f"{path} is a group of parameters: name one of its leaves")
            node = node[part]
            continue
        names = [f.name for f in fields(node)] if is_dataclass(node) else []
        if part not in names:
            where = ".".join(parts[:i]) or "the top level"
            raise ConfigError(
                f"{path} is not a known parameter: allowed keys under {where} are {names}"
            )
        if last:
            current = getattr(node, part)
            if is_dataclass(current) or isinstance(current, dict):
                raise ConfigError(f"{path} is a group of parameters: name one of its leaves")
            setattr(node, part, value)
        else:
            node = getattr(node, part)
    return new


class DatedParams:
    """The baseline and its dated changes; ``at(month)`` is the config in force."""

    def __init__(self, cfg: Config) -> None:
        changes = sorted(enumerate(cfg.reforms), key=lambda item: (item[1].month, item[0]))
        base = replace(cfg, reforms=[])
        self.months: list[int] = [0]
        self.configs: list[Config] = [base]
        current = base
        for i, change in changes:
            where = f"reforms[{i}] ({change.path} from month {change.month})"
            if change.month >= cfg.run.months:
                raise ConfigError(
                    f"{where}: month {change.month} is not allowed: must be less "
                    f"than run.months = {cfg.run.months}"
                )
            try:
                current = validate(apply(current, change.path, change.value))
            except ConfigError as exc:
                raise ConfigError(f"{where}: {exc}") from None
            if change.month == self.months[-1]:
                self.configs[-1] = current
            else:
                self.months.append(change.month)
                self.configs.append(current)
        # report the full config (with its reforms) as the one in force, for the record
        self.configs = [replace(c, reforms=cfg.reforms) for c in self.configs]

    def at(self, month: int) -> Config:
        """The configuration in force in ``month`` (the same object until it changes)."""
        return self.configs[bisect.bisect_right(self.months, month) - 1]

    def version(self, month: int) -> int:
        """How many distinct parameter sets have come into force by ``month`` (0 = baseline)."""
        return bisect.bisect_right(self.months, month) - 1
