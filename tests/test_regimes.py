"""The regime layer: every mix runs; each mechanism does what its parameter says."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from sim.model import LabourMarket
from sim.policy.referrals import Referrals
from sim.policy.schema import DEGREES
from sim.states import State

from .conftest import small, stated_seats

MIXES = list(itertools.product(DEGREES, repeat=3))


def _run(*overrides, size=4000, months=48):
    m = LabourMarket(small(*overrides, size=size, months=months))
    m.run()
    return m.timeseries(), m


def _queue_identity(ts: pd.DataFrame) -> None:
    """arrivals = admitted + abandoned + left + waiting, cumulatively, every month."""
    arrivals = ts.new_queue_arrivals.cumsum()
    out = (ts.new_programme_starts + ts.new_queue_abandoned + ts.new_queue_left).cumsum()
    np.testing.assert_array_equal(arrivals, out + ts.n_waiting)
    np.testing.assert_array_equal(ts.queue_exits.cumsum(), out)


@pytest.mark.parametrize(
    ("eligibility", "delivery", "financing"), MIXES, ids=["-".join(m) for m in MIXES]
)
def test_every_mix_runs_with_consistent_queues(eligibility, delivery, financing):
    ts, model = _run(
        f"regime.eligibility={eligibility}",
        f"regime.delivery={delivery}",
        f"regime.financing={financing}",
        size=1500,
        months=30,
    )
    assert np.isfinite(ts.select_dtypes("number").to_numpy(dtype=float)).all()
    _queue_identity(ts)
    assert (
        model.cfg.regime.eligibility,
        model.cfg.regime.delivery,
        model.cfg.regime.financing,
    ) == (eligibility, delivery, financing)


def test_automatic_enrolment_reaches_every_eligible_claimant():
    # without the referral cap (tested in test_capacity.py), which defers some of them
    cfg = small("regime=integration", "regime.queue.referral_buffer=0", size=5000, months=30)
    model = LabourMarket(cfg)
    w, t = model.workers, model.programme_table
    unemployed_programmes = [k for k in range(t.n) if t.enabled[k] and not t.informal_target[k]]
    reached = 0
    for month in range(cfg.run.months):
        model.moves.begin()  # criteria are read from the start-of-month state, as the model does
        claimant = (w.ui_left > 0) | model.sa_claimant_households[w.household]
        idle = (w.referral_prog == -1) & (w.programme == -1)
        idle &= Referrals._may_take_part(model)  # cooldown (once per spell: in the criteria)
        pool = np.flatnonzero((w.state == State.UNEMPLOYED) & idle & claimant)
        meets = np.zeros(pool.size, dtype=bool)
        for k in unemployed_programmes:
            meets |= Referrals._criteria(model, k, pool) & Referrals._allowed(model, k, pool)
        eligible = pool[meets]
        model.step()
        # everyone still unemployed at the end of the month (not hired, not gone) is enrolled:
        # on a waiting list from this month, or already in a programme
        stayed = eligible[~model.moves.moved[eligible]]
        assert ((w.waiting_since[stayed] == month) | (w.programme[stayed] >= 0)).all()
        reached += stayed.size
    assert reached > 100


def test_referral_leakage_matches_its_parameter():
    leakage = 0.3
    ts, _ = _run(
        "regime.delivery=coordination",
        f"regime.mechanisms.delivery.coordination.leakage={leakage}",
        "regime.queue.referral_buffer=0",  # uncapped: enough referrals to measure
        size=8000,
    )
    lost, reached = ts.new_referrals_lost.sum(), ts.new_queue_arrivals.sum()
    n = lost + reached
    # binomial: s.e. = sqrt(p(1-p)/n) ~ 0.006 for n ~ 6,000; allow 4 s.e.
    assert abs(lost / n - leakage) < 4 * np.sqrt(leakage * (1 - leakage) / n)
    assert n > 2000


def test_co_location_reduces_leakage_by_its_effect():
    ts, _ = _run(
        "regime.delivery=coordination",
        "regime.mechanisms.delivery.coordination.leakage=0.4",
        "regime.mechanisms.delivery.coordination.co_location=true",
        "regime.mechanisms.delivery.coordination.co_location_effect=0.5",
        size=8000,
    )
    n = ts.new_referrals_lost.sum() + ts.new_queue_arrivals.sum()
    p = ts.new_referrals_lost.sum() / n
    assert abs(p - 0.2) < 4 * np.sqrt(0.2 * 0.8 / n)


def test_duplicated_intakes_are_counted_and_drop_off_applies():
    ts, _ = _run(
        "regime.delivery=cooperation",
        "regime.mechanisms.delivery.cooperation.intakes=3",
        "regime.mechanisms.delivery.cooperation.drop_off=0.2",
        size=8000,
    )
    reached = ts.new_queue_arrivals + ts.new_intake_dropouts
    np.testing.assert_array_equal(ts.new_intakes, 3 * reached)
    np.testing.assert_array_equal(ts.new_duplicated_intakes, 2 * reached)
    n = reached.sum()
    p_drop = 1 - 0.8**2  # dropping off at the second or the third intake
    assert abs(ts.new_intake_dropouts.sum() / n - p_drop) < 4 * np.sqrt(p_drop * (1 - p_drop) / n)
    assert (ts.new_referrals_lost == 0).all()


def test_integrated_delivery_loses_nobody_and_asks_once():
    ts, _ = _run("regime=integration")
    assert ts.new_referrals_lost.sum() == 0 and ts.new_duplicated_intakes.sum() == 0
    assert ts.new_intake_dropouts.sum() == 0 and ts.new_referrals.sum() > 0


def test_littles_law_on_the_waiting_list():
    """L = lambda W: with people counted at the end of each month they wait, the sum of the
    waiting counts equals the sum of completed waits; over a long stationary stretch the
    time-average count matches arrival rate x mean wait."""
    # uncapped (regime.queue.referral_buffer=0): a waiting list long enough to measure
    ts, _ = _run("regime=coordination", "regime.queue.referral_buffer=0", size=8000, months=120)
    post = ts[ts.month >= 30]
    lam = post.new_queue_arrivals.mean()
    wait = post.queue_wait_months.sum() / post.queue_exits.sum()
    # tolerance 10%: end effects of a 90-month window with mean waits of ~2-3 months, and
    # the month-to-month noise of a queue of a few hundred people
    assert post.n_waiting.mean() == pytest.approx(lam * wait, rel=0.10)
    assert post.n_waiting.mean() > 50  # a real queue


def _unit_costs(model) -> dict[str, float]:
    """Monthly cost of one participant per programme: provider cost plus stipend or wage."""
    t = model.programme_table
    return {n: t.cost_per_month[k] + t.stipend[k] for k, n in enumerate(t.names)}


def test_capped_budget_commits_no_more_than_the_cap_each_year():
    cap_per_1000, size, year = 100.0, 6000, 12
    ts, model = _run(
        "regime=cooperation",
        f"regime.mechanisms.financing.almp_budget={cap_per_1000}",
        "regime.mechanisms.eligibility.cooperation.self_referral=1.0",
        *stated_seats(),  # places at their default number: the cap on money binds
        size=size,
        months=48,
    )
    t, unit = model.programme_table, _unit_costs(model)
    committed = sum(
        ts[f"new_starts_{n}"] * t.duration_months[k] * unit[n] for k, n in enumerate(t.names)
    )
    by_year = committed.groupby(ts.month // year).sum()
    cap = cap_per_1000 * size / 1000 * year
    assert (by_year <= cap + 1e-6).all()
    assert (by_year > 0.8 * cap).all()  # the cap binds: demand exceeds it
    assert ts.new_rationed.sum() > 0


def test_separate_monthly_budget_bounds_programme_spending():
    """With a fixed separate budget, last month's participants (charged this month) fit in it.
    Places are set at twice the default's, so that money, not places, binds."""
    seats = [f"{k}={2 * float(v):.6g}" for k, v in (o.split("=") for o in stated_seats())]
    ts, _ = _run(
        "regime.financing=coordination",
        "regime.mechanisms.financing.almp_budget=150.0",
        "regime.mechanisms.financing.realign_to_demand=0.0",
        *seats,
        size=6000,
    )
    assert (
        ts.spend_programmes.iloc[1:].to_numpy() <= ts.almp_money.iloc[:-1].to_numpy() + 1e-6
    ).all()
    assert ts.new_rationed.sum() > 0
    # the budget binds: spending stays close to it (participants cost 80-430 a month each
    # against a budget of 900, so a month can fall short by a few units)
    assert ts.spend_programmes.iloc[12:].mean() > 0.7 * ts.almp_money.iloc[12:].mean()


def test_pooled_budget_funds_programmes_from_benefit_savings():
    # an envelope above both worlds' benefit bills, so the money left always depends on them
    common = (
        "regime.financing=integration",
        "regime.mechanisms.financing.pooled_envelope=fixed",
        "regime.mechanisms.financing.pooled_budget=60000",
    )
    low, _ = _run(*common, "policy.unemployment_insurance.replacement_rate=0.3")
    high, _ = _run(*common, "policy.unemployment_insurance.replacement_rate=0.8")
    months = low.month >= 2
    assert (high.spend_benefits[months] > low.spend_benefits[months]).all()
    assert (high.almp_money[months] < low.almp_money[months]).all()


def test_budget_identity_every_month():
    ts, model = _run("regime=cooperation")
    cfg, t, unit = model.cfg, model.programme_table, _unit_costs(model)
    # programmes: everyone in a programme at the end of last month and still in it is charged
    # its unit cost; completers get their cash; the parts add up to ALMP spending
    for k, n in enumerate(t.names):
        present = ts[f"n_in_{n}"].shift(1, fill_value=0) - ts[f"new_left_{n}"]
        cash = ts[f"new_completions_{n}"] * t.completion_cash[k]
        if t.subsidy_rate[k] == 0:
            np.testing.assert_allclose(ts[f"spend_{n}"], present * unit[n] + cash, err_msg=n)
    np.testing.assert_allclose(sum(ts[f"spend_{n}"] for n in t.names), ts.spend_almp)
    np.testing.assert_allclose(
        ts.spend_almp,
        ts.spend_programmes + ts.spend_completion_cash + ts.spend_wage_subsidies,
    )
    cm = cfg.policy.case_management
    admin = (
        (ts.n_ui_recipients + ts.n_sa_households) * cfg.policy.admin.cost_per_claim_month
        + ts.new_referrals * cfg.regime.queue.referral_cost
        + ts.new_intakes * cfg.regime.queue.intake_cost
        + ts.new_registrations * cm.intake_cost
        + ts.counsellors * cm.counsellor_cost
        + ts.new_contacts_online * cm.online_cost
    )
    np.testing.assert_allclose(ts.spend_admin, admin)
    # spending by institution adds up to the total; participation breakdowns add up
    np.testing.assert_allclose(
        ts.spend_benefit_agency + ts.spend_employment_service + ts.spend_providers,
        ts.spend_total,
    )
    in_programmes = sum(ts[f"n_in_{n}"] for n in t.names)
    np.testing.assert_array_equal(
        ts.n_participants_claimants + ts.n_participants_non_claimants, in_programmes
    )
    np.testing.assert_array_equal(
        ts.n_participants_youth
        + ts.n_participants_prime
        + ts.n_participants_older
        + ts.n_participants_pension,
        in_programmes,
    )


def test_mid_run_regime_switch_is_a_dated_value():
    """Armenia-style reform: coordinated delivery until month 24, integrated after."""
    ts, _ = _run(
        "regime=coordination", "reforms=[{month: 24, path: regime.delivery, value: integration}]"
    )
    assert ts.new_referrals_lost[ts.month < 24].sum() > 0
    assert ts.new_referrals_lost[ts.month >= 25].sum() == 0
    assert (ts.params_version == (ts.month >= 24)).all()


def test_danish_rule_leaves_part_of_benefit_costs_to_the_local_service():
    on, _ = _run("regime.mechanisms.financing.reimbursement=true")
    off, _ = _run("regime.mechanisms.financing.reimbursement=false")
    assert off.spend_ui_local.sum() == 0
    post = on.month >= 6
    share = on.spend_ui_local[post].sum() / on.spend_ui[post].sum()
    assert 0.2 < share < 0.6  # 20-60% left locally with rates of 80/40/20%
    _queue_identity(on)  # reordering the waiting list keeps its accounting


def test_matched_pooled_envelope_holds_the_same_money_as_separate_budgets():
    """With ``pooled_envelope: matched`` integration's money for programmes is the ALMP
    budget (re-aligned to the demand refused for money, as coordination's) plus the
    budgeted benefit bill minus last month's bill: over years it averages the ALMP budget
    (deviations of benefits from their budgeted bill average out), while each month it
    moves against the benefit bill. The mean of the deviation from the ALMP budget must
    be within 4 standard errors (batch means of 12 months) of 0."""
    ts, _ = _run("regime.financing=integration", size=8000, months=240)
    budget = ts.almp_budget[24:].to_numpy()  # the ALMP budget, re-aligned as coordination's
    dev = ts.almp_money[24:].to_numpy() - budget
    batches = dev[: len(dev) // 12 * 12].reshape(-1, 12).mean(axis=1)
    se = batches.std(ddof=1) / np.sqrt(batches.size)
    assert abs(dev.mean()) < 4 * se, (dev.mean(), se, budget.mean())
    assert dev.std() > 0.05 * budget.mean()  # it does move with the benefit bill
    bills = ts.spend_benefits.to_numpy()
    # a month of higher benefits than the month before leaves less for programmes
    pooled = (ts.almp_money - ts.almp_budget).to_numpy()
    assert np.corrcoef(np.diff(bills[24:-1]), np.diff(pooled[25:]))[0, 1] < -0.5
