"""Case management: caseload sets contact frequency and placement; profiling; sanctions."""

from __future__ import annotations

import numpy as np

from sim.model import LabourMarket
from sim.policy.casework import OPEN, risk_index

from .conftest import small


def _run(*overrides, size=6000, months=48):
    m = LabourMarket(small(*overrides, size=size, months=months))
    m.run()
    return m.timeseries(), m


def test_more_counsellors_mean_more_contacts_and_faster_placement():
    face = "policy.case_management.multi_channel=false"  # counsellors only
    few, _ = _run(face, "policy.case_management.counsellors_per_1000=0.05")
    many, _ = _run(face, "policy.case_management.counsellors_per_1000=1.0")
    post = slice(12, None)
    assert few.caseload[post].mean() > 3 * many.caseload[post].mean()
    assert many.contact_rate[post].mean() > 0.95 > few.contact_rate[post].mean()
    # same seed, same people (common random numbers): the contrast is the counsellors
    assert many.job_finding_rate[post].mean() > few.job_finding_rate[post].mean() + 0.005
    assert many.unemployment_rate[post].mean() < few.unemployment_rate[post].mean()
    assert many.spend_admin[post].mean() > few.spend_admin[post].mean()


def test_advanced_single_point_of_contact_caps_the_caseload():
    ts, _ = _run(
        "policy.case_management.counsellors_per_1000=0.01",
        "policy.case_management.max_caseload=100",
    )
    assert (ts.caseload[ts.n_clients > 0] <= 100 + 1e-9).all()


def test_statistical_profiling_tracks_risk_better_than_caseworkers():
    corr = {}
    for method in ("statistical", "caseworker"):
        _, m = _run(f"policy.case_management.profiling={method}", months=24)
        w = m.workers
        clients = np.flatnonzero(w.registered == OPEN)
        corr[method] = np.corrcoef(w.profile[clients], risk_index(m, clients))[0, 1]
    assert corr["statistical"] > corr["caseworker"] > 0


def test_rules_based_profiling_uses_age_and_spell_only():
    _, m = _run("policy.case_management.profiling=rules", months=24)
    w = m.workers
    clients = np.flatnonzero(w.registered == OPEN)
    assert set(np.unique(w.profile[clients])) <= {0.0, 1.0}


def test_sanctions_suspend_benefits():
    strict = (
        "policy.case_management.sanction_after=1",
        "economy.search.effort_unemployed=0.4",
        "policy.case_management.counsellors_per_1000=1.0",
    )
    ts, m = _run(*strict, "policy.case_management.sanction_months=3")
    lenient, _ = _run(*strict, "policy.case_management.sanction_months=0")
    assert ts.new_sanctions.sum() > 50 and ts.n_ui_suspended.sum() > 0
    assert lenient.n_ui_suspended.sum() == 0
    assert ts.spend_ui.sum() < lenient.spend_ui.sum()
    paid = m.ui_paid
    assert (m.workers.sanctioned_until[paid] <= m.month).all()


def test_no_case_management_means_no_contacts():
    ts, _ = _run("policy.case_management.enabled=false", months=24)
    assert ts.new_contacts.sum() == 0 and ts.new_registrations.sum() == 0
    assert ts.new_sanctions.sum() == 0


def test_online_channel_serves_the_digitally_literate_and_frees_counsellors():
    face, _ = _run("policy.case_management.multi_channel=false")
    multi, m = _run("policy.case_management.multi_channel=true")
    assert face.new_contacts_online.sum() == 0 and multi.new_contacts_online.sum() > 0
    # counsellors' capacity is the same; self-service adds contacts on top
    post = slice(12, None)
    assert multi.contact_rate[post].mean() > face.contact_rate[post].mean()
    # nobody without digital literacy is served online
    online = m.contact_scale < 1
    assert m.workers.digital[m.contacted[online]].all()
