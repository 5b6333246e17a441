"""Dated parameters: the configuration in force in a given month.

A reform is data, as in PolicyEngine: a list of ``{month, path, value}`` changes
(``Config.reforms``) applied cumulatively to a copy of the baseline. ``DatedParams.at(t)``
returns the ``Config`` in force in month ``t``; the model asks for it at the start of every
month and re-derives its tables when it changes. A regime switch mid-run (cooperation until
month 60, integration after) is just a dated value. Shocks (``Config.shocks``,
sim/shocks.py) then act on top of the reforms: relative changes, month by month.

Only parameters that act during the run may change: the seed, the run settings and the
initial population (everything under ``population`` except ``population.demography``) are
fixed at set-up.
"""

from __future__ import annotations

import bisect
import copy
from dataclasses import fields, is_dataclass, replace
from typing import Any

from . import shocks
from .config import Config, ConfigError, validate

FIXED_AT_SETUP = ("seed", "run.", "reforms", "shocks", "population.")
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
    """The baseline, its dated changes (reforms) and its shocks; ``at(month)`` is the
    config in force."""

    def __init__(self, cfg: Config) -> None:
        changes = sorted(enumerate(cfg.reforms), key=lambda item: (item[1].month, item[0]))
        base = replace(cfg, reforms=[], shocks={})
        reformed: list[tuple[int, Config]] = [(0, base)]  # the reforms alone
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
            if change.month == reformed[-1][0]:
                reformed[-1] = (change.month, current)
            else:
                reformed.append((change.month, current))
        self.months, self.configs = [m for m, _ in reformed], [c for _, c in reformed]
        if cfg.shocks:
            self._shock(replace(base, shocks=cfg.shocks))
        # report the full config (with its reforms and shocks) as the one in force
        self.configs = [replace(c, reforms=cfg.reforms, shocks=cfg.shocks) for c in self.configs]

    def _shock(self, cfg: Config) -> None:
        """Put the shocks on top of the reforms: a new parameter set at every month a
        shock's size changes (sim/shocks.py)."""
        for name, shock in cfg.shocks.items():  # every target, even one the run never reaches
            for i, ch in enumerate(shock.changes):
                try:
                    shocks.expand(cfg, ch.target)
                except ConfigError as exc:
                    raise ConfigError(f"shocks.{name}.changes[{i}].target: {exc}") from None
        breaks = sorted(set(self.months) | set(shocks.months(cfg)))
        out_months, out_configs = [], []
        for month in breaks:
            reformed = self.configs[bisect.bisect_right(self.months, month) - 1]
            current = replace(reformed, shocks=cfg.shocks)
            for path, (value, where) in shocks.shocked(current, month).items():
                try:
                    current = apply(current, path, value)
                except ConfigError as exc:
                    raise ConfigError(f"{where}: {exc}") from None
            current = replace(current, shocks={})
            try:
                validate(current)
            except ConfigError as exc:
                raise ConfigError(f"shocks in month {month}: {exc}") from None
            out_months.append(month)
            out_configs.append(current)
        self.months, self.configs = out_months, out_configs

    def at(self, month: int) -> Config:
        """The configuration in force in ``month`` (the same object until it changes)."""
        return self.configs[bisect.bisect_right(self.months, month) - 1]

    def version(self, month: int) -> int:
        """How many distinct parameter sets have come into force by ``month`` (0 = baseline)."""
        return bisect.bisect_right(self.months, month) - 1
