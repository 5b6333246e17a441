"""``python -m sim.scenarios`` (or ``python -m sim --scenarios``): the scenario library.

A scenario is a Hydra experiment file in ``scenarios/`` (the config group ``scenario``,
``configs/scenario`` links to it), ``# @package _global_``, headed by comment fields:
``Scenario``, ``Represents``, ``Sources``, ``Targets``, ``Assumptions``, ``Mechanisms``,
``Horizon`` and ``Run``. This module reads those headers, so the listing is the files'
own words and a new file appears in it without code. ``Mechanisms`` lists ``path=value``
checks (``@end``: in the last month, after the reforms; ``*``: any value) that the test
suite applies to the composed configuration.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "scenarios"
FIELDS = ("Scenario", "Represents", "Sources", "Targets", "Assumptions", "Mechanisms",
          "Horizon", "Run")  # fmt: skip
_FIELD = re.compile(r"#\s*(" + "|".join(FIELDS) + r"):\s*(.*)")


def header(path: Path) -> dict[str, str]:
    """The header fields of a scenario file (continuation lines are joined)."""
    out: dict[str, str] = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        m = _FIELD.match(line)
        if m:
            key = m.group(1)
            out[key] = m.group(2).strip()
        elif key and line.startswith("#   "):
            out[key] += " " + line[1:].strip()
    return out


def names(root: Path = ROOT) -> list[str]:
    """Every scenario of the library (file stems), ``none`` first."""
    stems = sorted(p.stem for p in root.glob("*.yaml"))
    return sorted(stems, key=lambda s: s != "none")


def short(text: str, width: int = 100) -> str:
    """The text cut at its first sentence and at ``width`` characters."""
    return textwrap.shorten(
        re.split(r"(?<=[a-z0-9)])\. ", text, maxsplit=1)[0], width, placeholder=" ..."
    )


def listing(root: Path = ROOT) -> str:
    rows = []
    for name in names(root):
        h = header(root / f"{name}.yaml")
        rows.append(
            f"{name}\n    {short(h.get('Represents', '?'))}\n"
            f"    sources: {short(h.get('Sources', '?'))}\n"
            f"    horizon: {h.get('Horizon', '?')}   run: {h.get('Run', '?')}"
        )
    return (
        f"{len(rows)} scenarios in {root} (scenarios/README.md has the table):\n\n"
        + "\n".join(rows)
        + "\n"
    )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args:
        print(f"python -m sim.scenarios takes no arguments (got {' '.join(args)})", file=sys.stderr)
        raise SystemExit(2)
    print(listing(), end="")


if __name__ == "__main__":
    main()
