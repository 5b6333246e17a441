"""Income-support instruments for displaced workers, and what income support does to poverty."""

from __future__ import annotations

import numpy as np

from sim.model import LabourMarket
from sim.states import State

from .conftest import small


def _run(*overrides, size=6000, months=48):
    m = LabourMarket(small(*overrides, size=size, months=months))
    m.run()
    return m.timeseries(), m


def test_early_retirement_takes_displaced_older_workers_out_of_search():
    on, m = _run(
        "policy.displacement.early_retirement=1.0", "policy.displacement.early_retirement_age=55"
    )
    off, _ = _run("policy.displacement.early_retirement=0.0")
    assert on.new_early_retirements.sum() > 20 and off.new_early_retirements.sum() == 0
    w = m.workers
    early = (w.state == State.RETIRED) & (w.age < 65 * 12)
    assert early.any()
    assert (w.age[early] >= 55 * 12).all()  # nobody retires early below the age
    # the same people (common random numbers): fewer older job seekers with the option
    assert on.unemployment_rate_older[12:].mean() < off.unemployment_rate_older[12:].mean()


def test_severance_follows_tenure_and_is_not_public_spending():
    paid, _ = _run("policy.displacement.severance_months_per_year=1.0")
    none, _ = _run("policy.displacement.severance_months_per_year=0.0")
    assert paid.severance_paid.sum() > 0 and none.severance_paid.sum() == 0
    np.testing.assert_allclose(
        paid.spend_total, paid.spend_benefits + paid.spend_almp + paid.spend_admin
    )


def test_income_support_lifts_people_out_of_poverty():
    ts, _ = _run()
    assert (ts.poverty_headcount <= ts.poverty_headcount_pre_transfer + 1e-12).all()
    assert (ts.n_lifted_out_of_poverty >= 0).all() and ts.n_lifted_out_of_poverty.sum() > 0
    assert ((ts.income_support_coverage_poor >= 0) & (ts.income_support_coverage_poor <= 1)).all()
    none, _ = _run("policy=no_benefits")
    assert none.n_lifted_out_of_poverty.sum() == 0
    assert (none.poverty_headcount == none.poverty_headcount_pre_transfer).all()


def test_formalisation_track_speeds_formalisation_at_a_price():
    none, _ = _run("policy.informal_coverage.track=none")
    track, _ = _run(
        "policy.informal_coverage.track=formalisation",
        "policy.informal_coverage.formalisation_boost=4.0",
    )
    assert track.new_formalisations.sum() > 1.5 * none.new_formalisations.sum()
    assert track.informality_rate[24:].mean() < none.informality_rate[24:].mean()
    assert none.spend_formalisation_subsidy.sum() == 0
    np.testing.assert_allclose(track.spend_formalisation_subsidy, track.new_formalisations * 300.0)


def test_independent_track_pays_informal_job_losers():
    none, _ = _run("policy.informal_coverage.track=none")
    track, _ = _run("policy.informal_coverage.track=independent")
    assert none.new_assistance_claims.sum() == 0
    assert track.new_assistance_claims.sum() > 100
    assert track.spend_ui.sum() > none.spend_ui.sum()
    assert (
        track.benefit_coverage_unemployed[12:].mean() > none.benefit_coverage_unemployed[12:].mean()
    )


def test_contribution_staircase_builds_records_that_qualify_informal_workers():
    off, _ = _run("policy.informal_coverage.staircase=false")
    on, m = _run(
        "policy.informal_coverage.staircase=true",
        "policy.informal_coverage.staircase_takeup=1.0",
        "policy.unemployment_insurance.min_contribution_months=6",
    )
    assert off.n_voluntary_contributors.sum() == 0 and on.n_voluntary_contributors.sum() > 0
    assert on.revenue_contributions.sum() > off.revenue_contributions.sum()
    w = m.workers
    informal = w.state == State.INFORMAL
    assert (w.contribution_months(24)[informal] > 0).mean() > 0.5  # records build up
    assert on.new_ui_claims.sum() > off.new_ui_claims.sum()
