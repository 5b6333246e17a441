"""Shocks as data: named schedules of relative, dated parameter changes.

A shock (``Config.shocks``, one file each in ``configs/shock/``) is a list of changes
``{target, start, end, change, mode, shape}``. Months count from the end of burn-in, so a
shock composes with any scenario's horizon. Each change acts on the value the parameter
would otherwise have in that month (the baseline and any reform in force), never overwrites
it: ``multiply`` scales it by ``1 + (change - 1) s(t)``, ``add`` raises it by ``change s(t)``,
where the size ``s(t)`` in [0, 1] follows the shape:

* ``step``: 1 from ``start`` until ``end``, 0 outside (a collapse, a plant closure);
* ``ramp``: rises linearly from 0 at ``start`` to 1 at ``end`` and stays (a structural
  decline, a transition);
* ``recovery``: 1 at ``start``, fading linearly to 0 at ``end`` (a recovery).

Several changes to the same parameter compose: the multipliers multiply, then the additions
add. A '*' in a target stands for every entry of a mapping (``economy.sectors.*.x``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

from .fields import ConfigError


def size(shape: str, start: int, end: int, t: int) -> float:
    """How much of a change of ``shape`` acts in month ``t`` (months after burn-in)."""
    if t < start:
        return 0.0
    if shape == "step":
        return 1.0 if t < end else 0.0
    frac = (t - start) / (end - start)
    return min(frac, 1.0) if shape == "ramp" else max(1.0 - frac, 0.0)


def expand(cfg: Any, target: str) -> list[str]:
    """The leaf paths a target names: '*' stands for every key of a mapping."""
    parts = target.split(".")
    out: list[str] = []

    def walk(node: Any, i: int, done: list[str]) -> None:
        if i == len(parts):
            out.append(".".join(done))
            return
        part = parts[i]
        if isinstance(node, dict):
            keys = list(node) if part == "*" else [part]
            for k in keys:
                if k not in node:
                    raise ConfigError(
                        f"{target}: {'.'.join(done)} has no entry {k!r} (entries: {sorted(node)})"
                    )
                walk(node[k], i + 1, [*done, k])
            return
        names = [f.name for f in fields(node)] if is_dataclass(node) else []
        if part not in names:
            where = ".".join(done) or "the top level"
            raise ConfigError(f"{target} is not a known parameter: keys under {where} are {names}")
        walk(getattr(node, part), i + 1, [*done, part])

    walk(cfg, 0, [])
    return out


def get(cfg: Any, path: str) -> Any:
    node = cfg
    for part in path.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def months(cfg: Any) -> list[int]:
    """The absolute months at which some shock's size changes (breakpoints)."""
    burn = cfg.run.burn_in
    out: set[int] = set()
    for shock in cfg.shocks.values():
        for ch in shock.changes:
            if ch.shape == "step":
                out.update((burn + ch.start, burn + ch.end))
            else:
                out.update(range(burn + ch.start, burn + ch.end + 1))
    return sorted(m for m in out if m < cfg.run.months)


def changes_at(cfg: Any, month: int) -> Iterator[tuple[str, str, float, str]]:
    """``(shock name, leaf path, factor or amount, mode)`` for every change acting in the
    absolute ``month`` (the size already applied)."""
    t = month - cfg.run.burn_in
    for name, shock in cfg.shocks.items():
        for i, ch in enumerate(shock.changes):
            s = size(ch.shape, ch.start, ch.end, t)
            if s == 0.0:
                continue
            amount = 1.0 + (ch.change - 1.0) * s if ch.mode == "multiply" else ch.change * s
            for path in expand(cfg, ch.target):
                yield f"shocks.{name}.changes[{i}]", path, amount, ch.mode


def shocked(cfg: Any, month: int) -> dict[str, tuple[Any, str]]:
    """New values of the parameters the shocks move in ``month``: path -> (value, where).
    ``cfg`` is the configuration the reforms put in force that month."""
    mult: dict[str, float] = {}
    add: dict[str, float] = {}
    where: dict[str, str] = {}
    for name, path, amount, mode in changes_at(cfg, month):
        value = get(cfg, path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{name}.target = {path} is not allowed: must name a number")
        table = mult if mode == "multiply" else add
        table[path] = table.get(path, 1.0 if mode == "multiply" else 0.0)
        table[path] = table[path] * amount if mode == "multiply" else table[path] + amount
        where[path] = name
    out = {}
    for path in where:
        base = get(cfg, path)
        value = base * mult.get(path, 1.0) + add.get(path, 0.0)
        out[path] = (round(value) if isinstance(base, int) else float(value), where[path])
    return out
