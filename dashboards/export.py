"""Static export of every figure through kaleido v1, which drives a Chrome/Chromium it
finds itself; we point it at the system browser so nothing is downloaded."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .views import Chart

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
WIDTH = 1200


def system_browser() -> str | None:
    """BROWSER_PATH if set, else the first Chrome/Chromium on PATH."""
    if os.environ.get("BROWSER_PATH"):
        return os.environ["BROWSER_PATH"]
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def export(
    charts: list[Chart], out_dir: Path, formats: tuple[str, ...] = ("png", "svg")
) -> list[Path]:
    """Write each chart as ``<id>.<format>``; returns the files written."""
    import kaleido  # optional dependency: only needed for static export

    browser = system_browser()
    if browser is None:
        raise RuntimeError(
            "static export needs Chrome or Chromium: install the 'chromium' package "
            "(apt-get install chromium) or set BROWSER_PATH"
        )
    os.environ["BROWSER_PATH"] = browser  # read by choreographer, kaleido's browser driver
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs, paths = [], []
    for chart in charts:
        fig = chart.figure
        height = int(fig.layout.height or 500)
        for fmt in formats:
            path = out_dir / f"{chart.id}.{fmt}"
            jobs.append(
                {
                    "fig": fig,
                    "path": path,
                    "opts": {"format": fmt, "width": WIDTH, "height": height, "scale": 1},
                }
            )
            paths.append(path)
    errors = kaleido.write_fig_from_object_sync(jobs)
    if errors:
        raise RuntimeError(f"static export failed: {errors[0]!r}")
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise RuntimeError(f"static export wrote no {missing[0]}")
    return paths
