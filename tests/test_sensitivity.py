"""``python -m sim.sensitivity``: Morris screening through SALib, run as a sweep (issue 11).

``economy.tightness`` is inert by construction in the default free-entry labour market (it
is read only in ``fixed_tightness`` mode), and matching efficiency moves every flow, so a
screening that does not rank the first below the second is broken."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from sim.analysis.sensitivity import Options, parse_options, ranges
from sim.config import ConfigError, load

from .conftest import ROOT

INERT = "economy.tightness"
MATTERS = "economy.labour_demand.matching_efficiency"


def _screen(out, *extra):
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sim.sensitivity",
            "population=small",
            "run=short",
            f"params=[{INERT},{MATTERS}]",
            "outcomes=[unemployment_rate,poverty_headcount]",
            "sensitivity.trajectories=3",
            f"sensitivity.out={out}",
            "hydra/launcher=basic",
            *extra,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_morris_ranks_an_inert_parameter_below_one_that_matters(tmp_path):
    out = tmp_path / "screen"
    r = _screen(out)
    assert r.returncode == 0, r.stderr[-3000:]
    df = pd.read_csv(out / "sensitivity.csv")
    for outcome, part in df.groupby("outcome"):
        by = part.set_index("parameter")
        assert by.loc[INERT, "mu_star"] < by.loc[MATTERS, "mu_star"], outcome
        assert bool(by.loc[INERT, "inert"]) and not bool(by.loc[MATTERS, "inert"]), outcome
    assert (out / "sensitivity.html").read_text().count("plotly") > 0
    assert "mu*" in (out / "sensitivity.md").read_text()
    runs = sorted((out / "runs").glob("*/manifest.json"))
    assert len(runs) == 3 * 3  # trajectories x (k + 1)
    # run again: the sweep finds every point complete and redoes none
    stamps = {p: p.stat().st_mtime_ns for p in runs}
    again = _screen(out)
    assert again.returncode == 0, again.stderr[-3000:]
    assert {p: p.stat().st_mtime_ns for p in runs} == stamps


def test_ranges_are_the_value_plus_minus_a_share_within_the_schema():
    cfg = load("population=small")
    o = Options(params=[MATTERS, "economy.formality.informalisation"], range=0.5)
    (_, lo1, hi1, _), (_, lo2, hi2, _) = ranges(cfg, o)
    v = cfg.economy.labour_demand.matching_efficiency
    assert (lo1, hi1) == pytest.approx((0.5 * v, 1.5 * v))
    assert lo2 >= 0 and hi2 <= 1
    o = Options(params=[MATTERS], bounds=[f"{MATTERS}:0.2:0.4"])
    assert ranges(cfg, o)[0][1:3] == (0.2, 0.4)


def test_bad_options_fail_in_one_line():
    with pytest.raises(ConfigError, match="levels=3"):
        parse_options(["sensitivity.levels=3"])
    with pytest.raises(ConfigError, match="power of 2"):
        parse_options(["sensitivity.method=sobol", "sensitivity.samples=6"])
    r = subprocess.run(
        [sys.executable, "-m", "sim.sensitivity", "params=[economy.nope]"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode != 0 and "economy.nope" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_sobol_total_index_of_an_inert_parameter_is_zero(tmp_path):
    """Sobol indices (Saltelli's design, 8 x (2 + 2) runs): the inert parameter's total
    index is exactly 0 (its runs are identical under common random numbers) and below the
    one that matters."""
    out = tmp_path / "sobol"
    r = _screen(out, "sensitivity.method=sobol", "sensitivity.samples=8")
    assert r.returncode == 0, r.stderr[-3000:]
    df = pd.read_csv(out / "sensitivity.csv")
    assert len(list((out / "runs").glob("*/manifest.json"))) == 8 * (2 + 2)
    for outcome, part in df.groupby("outcome"):
        by = part.set_index("parameter")
        assert by.loc[INERT, "ST"] == 0.0, outcome
        assert by.loc[MATTERS, "ST"] > 0.1, outcome
