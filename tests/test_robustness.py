"""Degenerate but legal economies run cleanly; property-based checks over valid ranges."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.model import LabourMarket

from .conftest import small

SHARES = (
    "income_support_coverage_poor",
    "child_poverty_headcount",
    "ltu_share",
    "benefit_coverage_unemployed",
    "income_support_coverage",
)


def _check_clean(ts: pd.DataFrame, summary: dict) -> None:
    numeric = ts.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy(dtype=float)).all(), "NaN or inf in the time series"
    for col in numeric.columns:
        if col.startswith(
            (
                "n_",
                "new_",
                "in_",
                "out_",
                "spend_",
                "revenue_",
                "earnings",
                "vacancies",
                "applicants",
                "poverty_line",
            )
        ):
            assert (numeric[col] >= 0).all(), col
    shares = [
        c
        for c in numeric.columns
        if c.endswith("_rate")
        or "_rate_" in c
        or c.startswith(("poverty_headcount", "poverty_gap", "poverty_severity"))
        or c in SHARES
    ]
    assert len(shares) > 20
    for col in shares:
        assert ((numeric[col] >= 0) & (numeric[col] <= 1)).all(), col
    flat = [v for v in summary.values() if isinstance(v, float)]
    assert np.isfinite(flat).all()


def _run(*overrides, size=1500, months=30):
    m = LabourMarket(small(*overrides, size=size, months=months, burn_in=6))
    m.run()
    return m.timeseries(), m.summary(), m


@pytest.mark.parametrize(
    "overrides",
    [
        ("economy.labour_demand.posting_scale=0.0",),  # no vacancies at all
        ("economy.demand_index=0.0",),
        ("policy=no_benefits", "policy.social_assistance.guarantee_share=0.0"),
        (
            "population.initial_informality=1.0",
            "economy.formality.formalisation=0.0",
            *(
                f"economy.sectors.{s}.formal_vacancy_share=0.0"
                for s in (
                    "agriculture",
                    "manufacturing",
                    "construction",
                    "trade_services",
                    "public_services",
                )
            ),
        ),
        ("population.size=1",),
        ("policy.poverty.line=absolute", "policy.poverty.absolute_line=0.0"),
    ],
    ids=["no-vacancies", "zero-demand", "zero-benefits", "all-informal", "one-worker", "zero-line"],
)
def test_degenerate_economies(overrides):
    ts, summary, _ = _run(*overrides, size=1 if "population.size=1" in overrides else 1500)
    _check_clean(ts, summary)
    if "economy.labour_demand.posting_scale=0.0" in overrides:
        assert ts.new_placements.sum() == 0 and ts.vacancies.sum() == 0
    if "population.initial_informality=1.0" in overrides:
        assert ts.n_formal.iloc[-1] == 0


probability = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    posting=st.floats(0.0, 5.0),
    sep=probability,
    effort=probability,
    rr=probability,
    takeup=probability,
    referral=probability,
    formalise=probability,
    discouraged=probability,
    dropout=probability,
    lock_in=probability,
    demand=st.floats(0.0, 3.0),
)
def test_no_nan_no_negative_shares_in_unit_interval(
    posting, sep, effort, rr, takeup, referral, formalise, discouraged, dropout, lock_in, demand
):
    ts, summary, _ = _run(
        f"economy.labour_demand.posting_scale={posting}",
        f"economy.demand_index={demand}",
        f"economy.sectors.manufacturing.separation_formal={sep}",
        f"economy.sectors.agriculture.separation_informal={sep}",
        f"economy.search.effort_unemployed={effort}",
        f"policy.programmes.vocational.lock_in={lock_in}",
        f"policy.unemployment_insurance.replacement_rate={rr}",
        f"policy.social_assistance.takeup={takeup}",
        f"regime.mechanisms.eligibility.coordination.sensitivity={referral}",
        f"policy.programmes.vocational.dropout={dropout}",
        f"economy.formality.formalisation={formalise}",
        f"economy.inactivity.discouraged_entry={discouraged}",
        size=600,
        months=18,
    )
    _check_clean(ts, summary)
