"""Accounting invariants: stocks, flows and conservation of workers, every month."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import LabourMarket
from sim.states import EXIT, STATE_NAMES

from .conftest import small


@pytest.fixture(scope="module")
def run():
    model = LabourMarket(small(size=4000, months=60, burn_in=12))
    model.run()
    return model, model.timeseries(), model.transitions()


def test_stock_flow_identity_every_month(run):
    model, ts, _ = run
    for s in STATE_NAMES:
        stock = ts[f"n_{s}"].to_numpy()
        before = np.concatenate([[model.initial_stocks[STATE_NAMES.index(s)]], stock[:-1]])
        np.testing.assert_array_equal(stock, before + ts[f"in_{s}"] - ts[f"out_{s}"], err_msg=s)


def test_workers_conserved(run):
    model, ts, _ = run
    stocks = ts[[f"n_{s}" for s in STATE_NAMES]].sum(axis=1)
    assert (stocks == model.workers.n).all()
    assert (ts.new_deaths > 0).any()  # the identity is tested with deaths and entrants
    entrants = ts[[f"in_{s}" for s in STATE_NAMES]].sum(axis=1) - ts[
        [f"out_{s}" for s in STATE_NAMES]
    ].sum(axis=1)
    assert (entrants == 0).all()


def test_transitions_table_matches_flows(run):
    _, ts, tr = run
    assert set(tr.columns) == {
        "month",
        "from_state",
        "to_state",
        "life_stage",
        "sex",
        "formality",
        "count",
    }
    assert (tr["count"] > 0).all()
    real = tr[tr.from_state != tr.to_state]
    inflow = (
        real.groupby(["month", "to_state"], observed=False)["count"].sum().unstack(fill_value=0)
    )
    outflow = (
        real.groupby(["month", "from_state"], observed=False)["count"].sum().unstack(fill_value=0)
    )
    for s in STATE_NAMES:
        np.testing.assert_array_equal(inflow[s].reindex(ts.month, fill_value=0), ts[f"in_{s}"])
        np.testing.assert_array_equal(outflow[s].reindex(ts.month, fill_value=0), ts[f"out_{s}"])
    deaths = tr[tr.to_state == "exit"].groupby("month")["count"].sum()
    np.testing.assert_array_equal(deaths.reindex(ts.month, fill_value=0), ts.new_deaths)


def test_spending_is_sum_of_parts(run):
    _, ts, _ = run
    np.testing.assert_allclose(ts.spend_benefits, ts.spend_ui + ts.spend_sa)
    np.testing.assert_allclose(
        ts.spend_total,
        ts.spend_benefits + ts.spend_almp + ts.spend_admin + ts.spend_formalisation_subsidy,
    )
    np.testing.assert_allclose(ts.net_fiscal_cost, ts.spend_total - ts.revenue_contributions)


def test_each_worker_moves_at_most_once_a_month():
    model = LabourMarket(small(size=3000, months=24))
    for _ in range(24):
        model.step()
        counts = model.moves.counts()
        deaths = int(counts[:, EXIT].sum())
        # a death logs two records (exit, entry) for one slot; every other move logs one, so
        # a second move of the same worker in a month would make the log longer than this
        assert counts.sum() == int(model.moves.moved.sum()) + deaths
