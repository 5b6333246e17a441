"""Benefit take-up by degree of alignment, the anchored poverty line and the guarantee set
as a share of it (issue 10, parts 1 and 2)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import LabourMarket

from .conftest import small

SIZE, MONTHS, BURN_IN = 12_000, 120, 48


def _run(*overrides: str, months: int = MONTHS):
    m = LabourMarket(small(*overrides, size=SIZE, months=months, burn_in=BURN_IN))
    m.run()
    return m.timeseries()


def _diff_and_se(a, b, batches: int = 8) -> tuple[float, float]:
    """Mean of a - b over the months after burn-in, and its standard error from batch means
    (months are autocorrelated: batches of 9 months are close to independent)."""
    d = (a.to_numpy() - b.to_numpy())[BURN_IN:]
    means = np.array([x.mean() for x in np.array_split(d, batches)])
    return float(d.mean()), float(means.std(ddof=1) / np.sqrt(batches))


@pytest.fixture(scope="module")
def by_eligibility():
    return {
        deg: _run(f"regime.eligibility={deg}")
        for deg in ("integration", "coordination", "cooperation")
    }


@pytest.mark.parametrize(
    ("better", "worse", "key"),
    [
        ("integration", "coordination", "ui_takeup_rate"),
        ("coordination", "cooperation", "ui_takeup_rate"),
        ("coordination", "cooperation", "ui_coverage_unemployed"),
        ("coordination", "cooperation", "sa_takeup_rate"),
        ("coordination", "cooperation", "benefit_coverage_unemployed"),
    ],
)
def test_take_up_follows_the_eligibility_degree(by_eligibility, better, worse, key):
    """The single window enrols entitled people (0.9 a month), the register refers them
    (0.7 x 0.85 after leakage), and under cooperation they must apply alone (0.3 x informed),
    so take-up and the coverage it brings fall in that order. Same seed, so the difference
    is paired; it must exceed 4 standard errors."""
    d, se = _diff_and_se(by_eligibility[better][key], by_eligibility[worse][key])
    assert d > 4 * se, (key, better, worse, d, se)


def test_repeated_intakes_lower_take_up():
    """Cooperation's delivery asks the same data twice; a quarter drop off at the second
    intake, so fewer claims go through than with one intake."""
    one = _run("regime=cooperation", "regime.delivery=integration")
    two = _run("regime=cooperation")
    d, se = _diff_and_se(one.ui_takeup_rate, two.ui_takeup_rate)
    assert d > 4 * se, (d, se)


NO_OWN_FRICTION = (
    "regime.mechanisms.eligibility.cooperation.self_claim=1.0",
    "regime.mechanisms.eligibility.cooperation.informed_digital=1.0",
    "regime.mechanisms.eligibility.cooperation.informed_other=1.0",
)


#: every claim friction off: full take-up, and the single window enrols everyone it knows of
FRICTIONLESS = (
    "policy.unemployment_insurance.takeup=1.0",
    "policy.social_assistance.takeup=1.0",
    "regime=integration",
    "regime.mechanisms.eligibility.integration.benefit_enrolment=1.0",
    *NO_OWN_FRICTION,
)


def test_claiming_without_frictions_is_complete():
    """With every friction off, every entitled person claims in the month of entitlement."""
    ts = _run(*FRICTIONLESS)
    post = ts[ts.month >= BURN_IN]
    assert (post.ui_takeup_rate == 1.0).all()
    assert (post.sa_takeup_rate == 1.0).all()
    # with the defaults, households no agency knows of apply alone, and some never do
    default = _run("regime=integration")
    assert (default[default.month >= BURN_IN].sa_takeup_rate < 0.95).all()


REFORM = (
    "'reforms=[{month: 60, path: policy.unemployment_insurance.contribution_rate, value: 0.35}]'"
)


def test_anchored_line_does_not_move_with_a_reform():
    """The default line is 60% of the median at the end of burn-in (here before the reform at
    month 60), then fixed: a reform changes who is poor, not the line. The floating line
    does move with the same reform, which shows the check can fail."""
    base = _run()
    reform = _run(REFORM.strip("'"))
    anchor_month = BURN_IN - 1
    assert base.poverty_line[anchor_month] == reform.poverty_line[anchor_month]
    after = slice(anchor_month, None)
    assert base.poverty_line[after].nunique() == 1
    assert reform.poverty_line[after].nunique() == 1
    assert reform.poverty_line.iloc[-1] == base.poverty_line.iloc[-1]
    # the floating line of the same reform moves
    float_base = _run("policy.poverty.line=relative")
    float_reform = _run("policy.poverty.line=relative", REFORM.strip("'"))
    assert float_reform.poverty_line[60:].mean() != pytest.approx(
        float_base.poverty_line[60:].mean(), rel=1e-3
    )


def test_anchor_is_set_before_the_first_reform():
    """A reform before the end of burn-in fixes the line the month before it."""
    early = (
        "reforms=[{month: 30, path: policy.unemployment_insurance.contribution_rate, value: 0.35}]"
    )
    ts = _run(early)
    assert ts.poverty_line[29:].nunique() == 1
    assert ts.poverty_line[:29].nunique() > 1  # it floated until then


def test_guarantee_at_the_line_leaves_only_non_claimants_poor():
    """With the guarantee at the line and every friction off, every household below the line
    is topped up to it: nobody is poor after transfers."""
    ts = _run("policy.social_assistance.guarantee_share=1.0", *FRICTIONLESS)
    post = ts[ts.month >= BURN_IN]
    assert (post.poverty_headcount == 0).all()
    assert (post.poverty_headcount_pre_transfer > 0.05).all()
    half = _run("policy.social_assistance.guarantee_share=0.5")
    assert (half[half.month >= BURN_IN].poverty_headcount > 0.05).all()
