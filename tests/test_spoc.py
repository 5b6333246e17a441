"""The single point of contact (EU LTU recommendation) at its three levels, and the regional
offices of the employment service: each mechanism does what its parameter says."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from sim.model import LabourMarket
from sim.policy.casework import NO_CASE, OPEN, ORIENTED
from sim.policy.referrals import Referrals
from sim.states import InactiveReason, State

from .conftest import small


def _run(*overrides, size=6000, months=48):
    m = LabourMarket(small(*overrides, size=size, months=months))
    m.run()
    return m.timeseries(), m


def test_outreach_returns_discouraged_people_at_its_rate_and_they_register():
    model = LabourMarket(
        small(
            "policy.case_management.outreach=0.2",
            "economy.inactivity.discouraged_entry=0.2",  # a large discouraged stock
            size=6000,
            months=36,
        )
    )
    w, p = model.workers, model.cfg.economy.inactivity
    returned = exposed = registered = oriented_seen = 0
    while model.running:
        discouraged = (w.state == State.INACTIVE) & (
            w.inactive_reason == InactiveReason.DISCOURAGED
        )
        was_oriented = np.flatnonzero(w.registered == ORIENTED)
        model.step()
        r = model.record
        returned += r["new_outreach_returns"]
        exposed += int(discouraged.sum())
        # an oriented person who is still unemployed at the next intake opens a case
        still = was_oriented[(w.state[was_oriented] == State.UNEMPLOYED)]
        oriented_seen += still.size
        registered += int((w.registered[still] == OPEN).sum())
    # the outreach draw is the slice [discouraged_exit, discouraged_exit + outreach) of one
    # uniform; deaths and moves earlier in the month thin the exposed a little (< 2%)
    rate = returned / exposed
    se = np.sqrt(0.2 * 0.8 / exposed)
    assert 0.2 * 0.97 - 4 * se < rate < 0.2 + 4 * se, (rate, p.discouraged_exit)
    assert oriented_seen > 50 and registered == oriented_seen


def test_no_outreach_no_orientation():
    ts, m = _run(size=3000, months=24)
    assert ts.new_outreach_returns.sum() == 0 and not (m.workers.registered == ORIENTED).any()


def test_shared_case_history_spares_repeated_intakes_drop_off_and_cost():
    common = (
        "regime.delivery=cooperation",
        "regime.mechanisms.delivery.cooperation.intakes=2",
        "regime.mechanisms.delivery.cooperation.drop_off=0.4",
        "policy.case_management.shared_history=0.75",
    )
    ts, m = _run(*common, size=8000)
    reached = ts.new_queue_arrivals + ts.new_intake_dropouts
    n = reached.sum()
    p_drop = 0.4 * (1 - 0.75)
    assert abs(ts.new_intake_dropouts.sum() / n - p_drop) < 4 * np.sqrt(p_drop * (1 - p_drop) / n)
    np.testing.assert_array_equal(ts.new_duplicated_intakes, reached)  # still counted
    cost = m.cfg.regime.queue.intake_cost
    # intakes at the provider: the first costs in full, the repeat a quarter
    expected = (ts.new_intakes - 0.75 * ts.new_duplicated_intakes) * cost
    got = m.training_provider.total["spend_admin_intakes"]
    assert got == pytest.approx(expected.sum(), rel=1e-9)


def _reserve_model(share, registered):
    return SimpleNamespace(
        cfg=SimpleNamespace(
            policy=SimpleNamespace(case_management=SimpleNamespace(reserved_places=share))
        ),
        workers=SimpleNamespace(registered=np.asarray(registered, dtype=np.int8)),
        flows={"new_reserved_starts": 0},
    )


def test_reserved_places_go_first_to_clients_then_in_queue_order():
    # six people waiting, queue order = slot order; clients (OPEN) at positions 3 and 5
    registered = [NO_CASE, NO_CASE, NO_CASE, OPEN, NO_CASE, OPEN]
    mine, order = np.arange(6), np.arange(6)
    m = _reserve_model(0.5, registered)
    got = Referrals._reserve(m, mine, order, 4)  # 4 places, 2 reserved
    assert list(got) == [3, 5, 0, 1] and m.flows["new_reserved_starts"] == 2
    m = _reserve_model(0.5, [NO_CASE] * 6)  # no clients waiting: nobody loses a place
    assert list(Referrals._reserve(m, mine, order, 4)) == [0, 1, 2, 3]
    m = _reserve_model(0.0, registered)  # no reservation: plain queue order
    assert list(Referrals._reserve(m, mine, order, 4)) == [0, 1, 2, 3]


def _client_share_of_starts(*overrides) -> tuple[float, int]:
    """Share of programme starters who had an open case, and the reserved starts."""
    model = LabourMarket(small(*overrides, size=6000, months=48))
    w = model.workers
    starts = clients = 0
    while model.running:
        before = w.programme.copy()
        model.step()
        new = np.flatnonzero((before < 0) & (w.programme >= 0))
        starts += new.size
        clients += int((w.registered[new] == OPEN).sum())
    return clients / starts, int(model.timeseries().new_reserved_starts.sum())


def test_reserved_places_raise_the_clients_share_of_starts_when_places_are_scarce():
    # long waiting lists: scarce money, and no referral cap (which would keep them short)
    scarce = ("regime.mechanisms.financing.almp_budget=300", "regime.queue.referral_buffer=0")
    base_share, base_reserved = _client_share_of_starts(*scarce)
    share, reserved = _client_share_of_starts(*scarce, "policy.case_management.reserved_places=1.0")
    assert base_reserved == 0 and reserved > 0
    # the regime's eligibility route refers non-clients too; reserving every place for
    # clients must move the clients' share of starts up by a clear margin (same seed)
    assert share > base_share + 0.05, (base_share, share)


@pytest.mark.parametrize("staffing", ["population", "equal", "caseload"])
def test_regional_offices_share_counsellors_as_configured(staffing):
    model = LabourMarket(
        small(
            f"policy.case_management.office_staffing={staffing}",
            "population.region_shares=[0.55,0.25,0.15,0.05]",
            size=8000,
            months=24,
        )
    )
    total = model.cfg.policy.case_management.counsellors_per_1000 * model.workers.n / 1000
    people = np.bincount(model.workers.region, minlength=4) / model.workers.n
    for _ in range(24):
        model.step()
        staff = np.array([o.counsellors for o in model.offices])
        clients = np.array([o.clients for o in model.offices])
        assert staff.sum() == pytest.approx(total) and clients.sum() == model.record["n_clients"]
        if staffing == "population":
            np.testing.assert_allclose(staff / total, people)
        elif staffing == "equal":
            np.testing.assert_allclose(staff, total / 4)
        else:
            loads = clients / staff
            np.testing.assert_allclose(loads, loads[0])  # the same caseload everywhere
    if staffing == "equal":  # the big region's office is the busiest
        loads = [o.caseload for o in model.offices]
        assert loads[0] == max(loads) and model.record["caseload_max_office"] == max(loads)


def test_max_caseload_caps_every_office():
    ts, m = _run(
        "policy.case_management.counsellors_per_1000=0.01",
        "policy.case_management.max_caseload=100",
        size=6000,
        months=24,
    )
    busy = ts.n_clients > 0
    assert (ts.caseload_max_office[busy] <= 100 + 1e-9).all()
    assert all(o.caseload <= 100 + 1e-9 for o in m.offices)


@pytest.mark.parametrize("level", ["minimum", "intermediate", "advanced"])
def test_spoc_levels_compose_and_run(level):
    ts, m = _run(f"spoc={level}", size=3000, months=24)
    cm = m.cfg.policy.case_management
    assert cm.outreach > 0 and cm.shared_history > 0
    assert (cm.reserved_places > 0) == (level != "minimum")
    assert (cm.max_caseload == 100) == (level == "advanced")
    assert (m.cfg.regime.financing == "integration") == (level == "advanced")
    assert np.isfinite(ts.select_dtypes("number").to_numpy(dtype=float)).all()
