"""Income rules: the weighted median, benefit amounts and the poverty measures."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.model import LabourMarket
from sim.processes.income import weighted_median
from sim.states import State

from .conftest import small


def _median_by_sort(values, weights):
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return values[order[np.searchsorted(cum, 0.5 * cum[-1])]]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1e6, allow_nan=False), st.integers(1, 9)), min_size=1, max_size=300
    )
)
def test_weighted_median_equals_full_sort(pairs):
    values = np.array([p[0] for p in pairs])
    weights = np.array([p[1] for p in pairs], dtype=float)
    assert weighted_median(values, weights) == _median_by_sort(values, weights)


def test_weighted_median_large_random():
    rng = np.random.default_rng(1)
    values = rng.lognormal(6, 1, 200_000)
    weights = rng.integers(1, 7, values.size).astype(float)
    assert weighted_median(values, weights) == _median_by_sort(values, weights)


def test_ui_amount_follows_rule_and_poverty_measures_ordered():
    cfg = small(size=4000, months=36)
    model = LabourMarket(cfg)
    model.run()
    w, ui = model.workers, cfg.policy.unemployment_insurance
    entitled = w.ui_left > 0
    assert entitled.any()
    expected = np.clip(ui.replacement_rate * w.wage[entitled], ui.floor, ui.ceiling)
    np.testing.assert_allclose(w.ui_amount[entitled], expected, rtol=1e-6)
    assert (w.ui_left <= ui.max_duration_months).all()
    assert not entitled[(w.state == State.FORMAL) | (w.state == State.INFORMAL)].any()
    ts = model.timeseries()
    # FGT measures: severity <= gap <= headcount
    assert (ts.poverty_severity <= ts.poverty_gap + 1e-12).all()
    assert (ts.poverty_gap <= ts.poverty_headcount + 1e-12).all()
    # social assistance cannot raise poverty
    assert (ts.poverty_headcount <= ts.poverty_headcount_pre_transfer + 1e-12).all()


def test_no_benefits_means_no_spending_and_more_poverty():
    base = LabourMarket(small(size=4000, months=36))
    none = LabourMarket(small("policy=no_benefits", size=4000, months=36))
    base.run()
    none.run()
    tb, tn = base.timeseries(), none.timeseries()
    assert tn.spend_benefits.sum() == 0 and tn.spend_almp.sum() == 0
    assert tn.poverty_gap.mean() > tb.poverty_gap.mean()
