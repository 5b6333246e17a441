"""Textbook checks: the engine reproduces Markov-chain flow arithmetic exactly where theory
gives an answer (the time convention: transitions decided from start-of-month states).
The measurements live in ``sim.analysis.flows`` (``python -m sim.validate`` runs them too);
the tolerances are here."""

from __future__ import annotations

import numpy as np

from sim.analysis.flows import MULTI_TOLERANCE, S, multi_state, two_state


def test_two_state_steady_state_and_geometric_spells():
    """The named textbook economy, as a user runs it:
    ``python -m sim population=textbook economy=homogeneous``."""
    m = two_state()
    # Tolerances: 4 standard errors of each time-series mean (batch means; ~0.0002 for u),
    # plus 1e-4 for the finite-V corrections of the urn-ball formula.
    assert abs(m.u - m.u_theory) < 4 * m.u_se + 1e-4
    assert abs(m.job_finding - m.f) < 4 * m.job_finding_se + 1e-4
    assert abs(m.separation - S) < 4 * m.separation_se
    # mean of a geometric(f) spell is 1/f; 4 s.e. with s.e. = sqrt(1-f)/f/sqrt(n)
    assert abs(m.spell_mean - 1 / m.f) < 4 * m.spell_se
    # shape: chi-square goodness of fit against geometric(f) on 1..7 and 8+
    assert m.chi_pvalue > 1e-3, m  # a real misfit (e.g. cascading moves) gives p ~ 0


def test_multi_state_matches_stationary_distribution():
    """Formal, informal, unemployed and inactive (discouraged) with fixed probabilities,
    against the stationary distribution of the one-month matrix the loop order implies."""
    shares, pi = multi_state()
    np.testing.assert_allclose(shares, pi, atol=MULTI_TOLERANCE)
