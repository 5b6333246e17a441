"""Command-line options of the analysis commands, given like overrides (``prefix.key=value``).

Each command names its options with a prefix (``calibration.``, ``sensitivity.``) and a
table of kinds and ranges; everything else on the command line is the model's overrides.
Bad values fail with one line naming the key, the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import ConfigError


@dataclass(frozen=True)
class Option:
    kind: str  # int | float | str | list | choice
    lo: float = 0.0
    hi: float = float("inf")
    choices: tuple[str, ...] = ()
    help: str = ""

    def allowed(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "list":
            return "a list [a,b,...]"
        if self.kind == "str":
            return "a string"
        kind = "an integer" if self.kind == "int" else "a number"
        hi = "" if self.hi == float("inf") else f", {self.hi:g}"
        return f"{kind} in [{self.lo:g}{hi or ', inf)'}" + ("]" if hi else "")


def _list(value: str) -> list[str]:
    body = value.strip()
    if body.startswith("[") and body.endswith("]"):
        body = body[1:-1]
    return [v.strip().strip("'\"") for v in body.split(",") if v.strip()]


def parse(
    argv: Sequence[str], prefix: str, table: dict[str, Option], aliases: Sequence[str] = ()
) -> tuple[dict[str, object], list[str]]:
    """Split ``prefix.key=value`` options (and bare ``alias=value`` for the ``aliases``)
    from the rest of the command line."""
    values: dict[str, object] = {}
    rest: list[str] = []
    for arg in argv:
        key, eq, value = arg.partition("=")
        name = key.removeprefix(prefix + ".") if key.startswith(prefix + ".") else None
        if eq and name is None and key in aliases:
            name = key
        if not eq or name is None:
            rest.append(arg)
            continue
        if name not in table:
            raise ConfigError(
                f"{key}: no such option (allowed: "
                + ", ".join(f"{prefix}.{k}" for k in table)
                + ")"
            )
        opt = table[name]
        try:
            if opt.kind == "int":
                number: object = int(value)
            elif opt.kind == "float":
                number = float(value)
            elif opt.kind == "list":
                number = _list(value)
                if not number:
                    raise ValueError
            else:
                number = value
        except ValueError:
            raise ConfigError(f"{key}={value}: must be {opt.allowed()}") from None
        if opt.kind in ("int", "float") and not opt.lo <= number <= opt.hi:  # type: ignore[operator]
            raise ConfigError(f"{key}={value}: must be {opt.allowed()}")
        if opt.kind == "choice" and number not in opt.choices:
            raise ConfigError(f"{key}={value}: must be {opt.allowed()}")
        values[name] = number
    return values, rest


def describe(prefix: str, table: dict[str, Option], defaults: dict[str, object]) -> str:
    """The options as help lines."""
    return "\n".join(
        f"  {prefix}.{k:<14} {opt.help} [{defaults.get(k)!s}]" for k, opt in table.items()
    )
