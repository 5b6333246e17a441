"""``python -m sim --help`` is a short page of our own; Hydra's stays under --hydra-help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _sim(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_help_is_our_own_short_page():
    proc = _sim("--help")
    assert proc.returncode == 0, proc.stderr
    page = proc.stdout
    assert len(page.splitlines()) < 60
    assert "powered by Hydra" not in page
    for must in ("reforms=", "-m sweep=", "Scenarios", "docs/parameters.md", "--hydra-help"):
        assert must in page, must
    # every config group and option on disk, the defaults starred
    for group in (ROOT / "configs").iterdir():
        if group.is_dir() and group.name != "hydra":
            line = next(x for x in page.splitlines() if x.strip().startswith(group.name + ":"))
            for option in group.glob("*.yaml"):
                assert option.stem in line, (group.name, option.stem)
    assert "coordination*" in page and "mid_income*" in page


def test_hydra_help_is_still_there():
    proc = _sim("--hydra-help")
    assert proc.returncode == 0
    assert "Hydra" in proc.stdout
