"""Dated parameters: a reform is a list of {month, path, value} applied to a copy of the
baseline, taking effect exactly at its month."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.config import ConfigError, DatedValue, to_dict
from sim.model import LabourMarket
from sim.params import DatedParams, apply

from .conftest import small


def _ts(*overrides, months=24):
    m = LabourMarket(small(*overrides, size=2500, months=months, burn_in=2))
    m.run()
    return m.timeseries(), m


def test_reform_takes_effect_exactly_at_its_month_and_not_before():
    base, _ = _ts()
    reform, _ = _ts("reforms=[{month: 12, path: economy.labour_demand.posting_scale, value: 0.0}]")
    assert (reform.vacancies[reform.month >= 12] == 0).all()
    assert (reform.vacancies[reform.month < 12] > 0).all()
    assert (reform.params_version == (reform.month >= 12)).all()
    # common random numbers: before the reform the two runs are the same run
    cols = [c for c in base.columns if c != "params_version"]
    pd.testing.assert_frame_equal(base[cols][base.month < 12], reform[cols][reform.month < 12])
    assert not base[cols][base.month >= 12].equals(reform[cols][reform.month >= 12])


def test_benefit_rule_changes_for_claims_from_the_reform_month():
    rr_new = 0.8
    cfg = small(
        f"reforms=[{{month: 6, path: policy.unemployment_insurance.replacement_rate,"
        f" value: {rr_new}}}]",
        size=4000,
        months=14,
        burn_in=2,
    )
    model = LabourMarket(cfg)
    ui = cfg.policy.unemployment_insurance
    for month in range(cfg.run.months):
        before = model.workers.ui_left.copy()
        model.step()
        w = model.workers
        new_claims = (w.ui_left == ui.max_duration_months - 1) & (before == 0)
        if not new_claims.any():
            continue
        rate = rr_new if month >= 6 else ui.replacement_rate
        expected = np.clip(rate * w.wage[new_claims], ui.floor, ui.ceiling)
        np.testing.assert_allclose(w.ui_amount[new_claims], expected, rtol=1e-6)
    assert model.cfg.policy.unemployment_insurance.replacement_rate == rr_new


def test_later_changes_build_on_earlier_ones_and_same_month_changes_combine():
    cfg = small(
        "reforms=[{month: 5, path: economy.tightness, value: 0.2},"
        " {month: 5, path: economy.demand_index, value: 0.5},"
        " {month: 9, path: economy.tightness, value: 0.9}]",
        months=12,
    )
    params = DatedParams(cfg)
    assert params.months == [0, 5, 9]
    assert params.at(4).economy.tightness == cfg.economy.tightness
    assert (params.at(5).economy.tightness, params.at(5).economy.demand_index) == (0.2, 0.5)
    assert (params.at(11).economy.tightness, params.at(11).economy.demand_index) == (0.9, 0.5)
    assert params.at(0).economy.tightness == cfg.economy.tightness  # baseline untouched


def test_sector_parameters_are_reformable():
    cfg = small(
        "reforms=[{month: 3, path: economy.sectors.agriculture.separation_formal, value: 0.2}]",
        months=6,
    )
    assert DatedParams(cfg).at(3).economy.sectors["agriculture"].separation_formal == 0.2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (DatedValue(3, "economy.tightnes", 0.1), "economy.tightnes is not a known parameter"),
        (DatedValue(3, "economy.tightness", -1.0), "economy.tightness = -1.0 is out of range"),
        (DatedValue(3, "population.size", 10), "population.size cannot change during a run"),
        (DatedValue(3, "seed", 10), "seed cannot change during a run"),
        (DatedValue(99, "economy.tightness", 0.1), "month 99 is not allowed"),
        (DatedValue(3, "economy.search", 0.1), "is a group of parameters"),
        (DatedValue(3, "economy.sectors.mining.wage_formal", 1.0), "no entry 'mining'"),
    ],
)
def test_bad_reforms_are_reported_with_their_index_and_path(change, message):
    cfg = small(months=12)
    cfg.reforms = [DatedValue(1, "economy.demand_index", 0.9), change]
    with pytest.raises(ConfigError) as err:
        DatedParams(cfg)
    assert "reforms[1]" in str(err.value) and message in str(err.value)


def test_apply_does_not_touch_the_baseline():
    cfg = small(months=12)
    before = to_dict(cfg)
    apply(cfg, "policy.social_assistance.takeup", 0.1)
    assert to_dict(cfg) == before


def test_reform_month_zero_applies_from_the_start():
    base, _ = _ts(months=8)
    off, _ = _ts(
        "reforms=[{month: 0, path: policy.programmes.vocational.enabled, value: false}]", months=8
    )
    assert base.new_starts_vocational.sum() > 0
    assert off.new_starts_vocational.sum() == 0
    assert (off.params_version == 0).all()  # a change from month 0 is the starting point
