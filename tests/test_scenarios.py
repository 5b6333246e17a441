"""The scenario library (scenarios/) and shocks as data (sim/shocks.py).

Every scenario file is found by globbing, so a new scenario is tested without a new test:
it must compose, validate, carry every header field, switch on the mechanisms its header
claims, and run a short horizon. Each shock of configs/shock/ must move the series it
targets in the right direction, from the month it starts, and stop when it ends.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from sim import scenarios, shocks
from sim.config import ConfigError, load, validate
from sim.model import LabourMarket
from sim.params import DatedParams

SCENARIOS = scenarios.names()
SHOCK_DIR = Path(__file__).resolve().parent.parent / "configs" / "shock"


def _value(cfg, path: str):
    return shocks.get(cfg, path)


def _short(cfg, size: int = 1500, burn_in: int = 12, months: int = 40):
    """The scenario on a short horizon: reforms keep their distance from burn-in's end."""
    shift = burn_in - cfg.run.burn_in
    reforms = [replace(r, month=max(r.month + shift, 0)) for r in cfg.reforms]
    run = replace(cfg.run, months=months, burn_in=burn_in)
    pop = replace(cfg.population, size=size)
    return validate(replace(cfg, run=run, population=pop, reforms=reforms))


def test_the_library_lists_every_scenario_file_and_the_cases_of_the_sources() -> None:
    text = scenarios.listing()
    for name in SCENARIOS:
        assert f"\n{name}\n" in f"\n{text}"
    cases = {"armenia_single_agency", "cambodia_training_fund", "ruhr_transition",
             "indonesia_kartu_prakerja", "bc_health_career_access", "jordan_cash_plus_skills",
             "pakistan_bisp", "philippines_covid", "low_income", "mid_income",
             "high_income"}  # fmt: skip
    assert cases <= set(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_composes_states_its_header_and_runs(name: str) -> None:
    path = scenarios.ROOT / f"{name}.yaml"
    assert path.read_text().startswith("# @package _global_\n")
    head = scenarios.header(path)
    missing = [f for f in scenarios.FIELDS if f not in head and f not in ("Targets", "Mechanisms")]
    assert not missing, f"{name}: header lacks {missing}"
    assert head["Run"].startswith("python -m sim")
    cfg = load(f"scenario={name}")
    if name != "none":
        assert cfg.run.label == name
    m = LabourMarket(_short(cfg))
    m.run()
    ts = m.timeseries()
    assert len(ts) == 40 and np.isfinite(ts["unemployment_rate"]).all()
    assert 0 < ts["n_formal"].iloc[-1] + ts["n_informal"].iloc[-1] <= 1500


@pytest.mark.parametrize("name", [n for n in SCENARIOS if "Mechanisms" in scenarios.header(
    scenarios.ROOT / f"{n}.yaml")])  # fmt: skip
def test_case_switches_on_the_mechanisms_it_claims(name: str) -> None:
    cfg = load(f"scenario={name}")
    dated = DatedParams(cfg)
    claims = scenarios.header(scenarios.ROOT / f"{name}.yaml")["Mechanisms"].split()
    assert claims
    for claim in claims:
        path, want = claim.split("=", 1)
        at = cfg
        if want.endswith("@end"):
            want, at = want.removesuffix("@end"), dated.at(cfg.run.months - 1)
        if path.startswith("shocks."):
            assert path.split(".")[1] in cfg.shocks, f"{name}: no shock {path}"
            continue
        got = _value(at, path)
        if want == "*":
            continue
        parsed = {"true": True, "false": False}.get(want, want)
        if isinstance(got, int | float) and not isinstance(got, bool):
            parsed = float(want)
        assert got == parsed, f"{name}: {path} = {got!r}, the header claims {want}"


def test_the_targets_of_cases_and_archetypes_are_reported_by_the_check() -> None:
    for name in ("cambodia_training_fund", "ruhr_transition", "low_income", "high_income"):
        cfg = load(f"scenario={name}")
        assert cfg.targets, name
        m = LabourMarket(_short(cfg, size=800, months=24))
        m.run()
        rows = m.summary()["calibration"]
        assert {r["name"] for r in rows} == set(cfg.targets)
        assert all(np.isfinite(r["simulated"]) for r in rows)


# --------------------------------------------------------------------------- shocks
def test_shape_sizes_step_ramp_recovery() -> None:
    assert [shocks.size("step", 2, 5, t) for t in range(7)] == [0, 0, 1, 1, 1, 0, 0]
    assert [shocks.size("ramp", 2, 6, t) for t in range(8)] == [0, 0, 0, 0.25, 0.5, 0.75, 1, 1]
    assert [shocks.size("recovery", 2, 6, t) for t in range(8)] == [0, 0, 1, 0.75, 0.5, 0.25, 0, 0]


def test_a_shock_is_relative_to_the_reformed_value_and_composes() -> None:
    """A multiplier acts on whatever a reform put in force; two shocks on one parameter
    multiply; additions add after."""
    sep = "target: economy.separation_multiplier"
    cfg = load(
        "run=short",
        "population.size=500",
        "reforms=[{month: 20, path: economy.separation_multiplier, value: 2.0}]",
        f"+shocks={{a: {{changes: [{{{sep}, start: 0, end: 4, change: 1.5}}]}},"
        f" b: {{changes: [{{{sep}, start: 2, end: 4, change: 2.0}},"
        f" {{{sep}, start: 3, end: 4, change: 0.25, mode: add}}]}}}}",
    )
    d = DatedParams(cfg)
    got = [d.at(m).economy.separation_multiplier for m in (19, 20, 23, 24, 26, 27, 28)]
    assert got == pytest.approx([cfg.economy.separation_multiplier, 2.0, 2.0, 3.0, 6.0, 6.25, 2.0])


SEP = "target: economy.separation_multiplier"


@pytest.mark.parametrize(
    "bad, key",
    [
        ("{target: economy.nope, start: 0, end: 3, change: 2}", "economy.nope"),
        (f"{{{SEP}, start: 3, end: 3, change: 2}}", "end = 3"),
        (f"{{{SEP}, start: 0, end: 3, change: -5}}", "separation_multiplier"),
        (f"{{{SEP}, start: 0, end: 3, change: 2, shape: wave}}", "shape"),
        ("{target: run.months, start: 0, end: 3, change: 2}", "fixed at set-up"),
    ],
)
def test_a_bad_shock_fails_with_one_line_naming_it(bad: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load("run=short", f"+shocks={{x: {{changes: [{bad}]}}}}")
    assert key in str(err.value) and "\n" not in str(err.value)


# each shock: the series it must move, the direction, and a month inside its window
SHOCK_EFFECTS = {
    "covid": ("new_separations", +1, 0),
    "sector_decline": ("n_employed_in_manufacturing", -1, 30),
    "green_transition": ("vacancies_in_trade_services", -1, 30),
    "plant_closure": ("new_separations_formal", +1, 0),
}


def test_every_shock_file_is_checked() -> None:
    files = {p.stem for p in SHOCK_DIR.glob("*.yaml")} - {"none"}
    assert files == set(SHOCK_EFFECTS)


@pytest.mark.parametrize("name", sorted(SHOCK_EFFECTS))
def test_shock_moves_its_series_from_its_month_and_ends_when_it_should(name: str) -> None:
    """The same seed with and without the shock (common random numbers): identical before
    the shock's first month, moved in the stated direction inside it, and for a step the
    parameters back to baseline at its end."""
    column, sign, inside = SHOCK_EFFECTS[name]
    base = load("run=short", "population.size=4000")
    cfg = load("run=short", "population.size=4000", f"shock={name}")
    burn = cfg.run.burn_in
    runs = []
    for c in (base, cfg):
        m = LabourMarket(c)
        m.run()
        runs.append(m.timeseries())
    a, b = runs
    before = slice(0, burn)
    assert a.iloc[before].equals(b.iloc[before]), "the shock acted before its first month"
    window = max(ch.end for ch in cfg.shocks[name].changes)
    span = slice(burn, min(burn + inside + 6, cfg.run.months))
    moved = (b[column].iloc[span].sum() - a[column].iloc[span].sum()) * sign
    assert moved > 0, f"{name}: {column} did not move {'up' if sign > 0 else 'down'}"
    d = DatedParams(cfg)
    steps = [ch for ch in cfg.shocks[name].changes if ch.shape == "step"]
    for ch in steps:  # back to the baseline value at the end
        for path in shocks.expand(cfg, ch.target):
            if burn + ch.end < cfg.run.months:
                assert _value(d.at(burn + ch.end), path) == _value(base, path)
                assert _value(d.at(burn + ch.end - 1), path) != _value(base, path)
    assert window > 0


def test_shock_response_reports_the_rise_and_the_recovery() -> None:
    """A COVID-style collapse raises unemployment by several points at its peak, in the
    first months, and the summary says how long it takes to come back."""
    m = LabourMarket(load("run=short", "population.size=3000", "shock=covid"))
    m.run()
    r = m.summary()["shock_response"]
    assert r["unemployment_rise_peak"] > 0.03  # layoffs double for 3 months: ~+8 points at 1e5
    assert 0 <= r["unemployment_peak_month"] <= 6
    assert r["months_to_recover"] == -1 or r["months_to_recover"] > 0
    plain = LabourMarket(load("run=short", "population.size=3000"))
    plain.run()
    assert "shock_response" not in plain.summary()
