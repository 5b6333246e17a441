"""Textbook checks: the engine reproduces Markov-chain flow arithmetic exactly where theory
gives an answer (the time convention: transitions decided from start-of-month states)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from sim.model import LabourMarket
from sim.states import InactiveReason, State

from .conftest import HOMOGENEOUS, load_config, urn_ball_job_finding

S = 0.031  # separation probability of the homogeneous economy (Shimer's US average)
THETA = 0.5


def _batch_se(series: np.ndarray, batches: int = 10) -> float:
    """Standard error of a time-series mean from batch means (batches much longer than the
    autocorrelation time 1/(s+f) ~ 2 months are close to independent)."""
    y = series[: len(series) // batches * batches].reshape(batches, -1).mean(axis=1)
    return float(y.std(ddof=1) / np.sqrt(batches))


def test_two_state_steady_state_and_geometric_spells():
    """The named textbook economy, as a user runs it:
    ``python -m sim population=textbook economy=homogeneous``."""
    cfg = load_config(
        "population=textbook", "economy=homogeneous", "run.months=200", "run.burn_in=50"
    )
    model = LabourMarket(cfg)
    w = model.workers
    spells: list[np.ndarray] = []
    for month in range(cfg.run.months):
        unemployed = w.state == State.UNEMPLOYED
        spell = w.spell.copy()
        model.step()
        placed = unemployed & (w.state == State.FORMAL)
        # complete cohorts only: spells that started in months [20, 150), which all end
        # within the run with probability 1 - 0.57**50 ~ 1
        start = month - spell[placed]
        keep = (start >= 20) & (start < 150)
        spells.append(spell[placed][keep])
    ts = model.timeseries()
    post = ts[ts.month >= cfg.run.burn_in]
    f = urn_ball_job_finding(THETA, post.n_unemployed.mean())
    u_t = (post.n_unemployed / (post.n_unemployed + post.n_formal)).to_numpy()
    # Tolerances: 4 standard errors of each time-series mean (batch means; ~0.0002 for u),
    # plus 1e-4 for the finite-V corrections of the urn-ball formula.
    assert abs(u_t.mean() - S / (S + f)) < 4 * _batch_se(u_t) + 1e-4
    jf, sr = post.job_finding_rate.to_numpy(), post.separation_rate.to_numpy()
    assert abs(jf.mean() - f) < 4 * _batch_se(jf) + 1e-4
    assert abs(sr.mean() - S) < 4 * _batch_se(sr)

    durations = np.concatenate(spells)
    assert durations.min() >= 1
    # mean of a geometric(f) spell is 1/f; 4 s.e. with s.e. = sqrt(1-f)/f/sqrt(n)
    se = np.sqrt(1 - f) / f / np.sqrt(durations.size)
    assert abs(durations.mean() - 1 / f) < 4 * se
    # shape: chi-square goodness of fit against geometric(f) on 1..7 and 8+
    k = np.arange(1, 8)
    expected_p = np.append(stats.geom.pmf(k, f), stats.geom.sf(7, f))
    observed = np.append(np.bincount(durations, minlength=8)[1:8], (durations >= 8).sum())
    chi = stats.chisquare(observed, expected_p * observed.sum())
    assert chi.pvalue > 1e-3, chi  # a real misfit (e.g. cascading moves) gives p ~ 0


def _stationary(p: np.ndarray) -> np.ndarray:
    vals, vecs = np.linalg.eig(p.T)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1))])
    return v / v.sum()


def test_multi_state_matches_stationary_distribution():
    """Formal, informal, unemployed and inactive (discouraged) with fixed probabilities.

    Processes act in LOOP_ORDER on workers who have not moved yet, each with its own draw,
    so the effective one-month matrix follows from the order: separations first, then
    matching, then formality, then inactivity."""
    s_f, s_i, phi, r_fi, r_if, d, x = 0.02, 0.05, 0.4, 0.01, 0.02, 0.05, 0.1
    cfg = load_config(
        *HOMOGENEOUS,
        "population.size=40000",
        "run.months=240",
        "run.burn_in=60",
        "population.initial_informality=0.5",
        f"economy.sectors.all.separation_formal={s_f}",
        f"economy.sectors.all.separation_informal={s_i}",
        f"economy.sectors.all.formal_vacancy_share={phi}",
        f"economy.formality.informalisation={r_fi}",
        f"economy.formality.formalisation={r_if}",
        "economy.inactivity.discouraged_after=0",
        f"economy.inactivity.discouraged_entry={d}",
        f"economy.inactivity.discouraged_exit={x}",
    )
    model = LabourMarket(cfg)
    model.run()
    ts = model.timeseries()
    post = ts[ts.month >= cfg.run.burn_in]
    f = urn_ball_job_finding(cfg.economy.tightness, post.n_unemployed.mean())
    # order: formal, informal, unemployed, inactive (discouraged)
    p = np.array(
        [
            [0, (1 - s_f) * r_fi, s_f, 0],
            [(1 - s_i) * r_if, 0, s_i, 0],
            [f * phi, f * (1 - phi), 0, (1 - f) * d],
            [0, 0, x, 0],
        ]
    )
    np.fill_diagonal(p, 1 - p.sum(axis=1))
    pi = _stationary(p)
    # those still in education never move (the population is frozen): leave them out
    in_school = int(
        (
            (model.workers.state == State.INACTIVE)
            & (model.workers.inactive_reason == InactiveReason.EDUCATION)
        ).sum()
    )
    shares = post[["n_formal", "n_informal", "n_unemployed", "n_inactive"]].astype(float)
    shares = shares.assign(n_inactive=shares.n_inactive - in_school)
    shares = shares.div(shares.sum(axis=1), axis=0).mean().to_numpy()
    # Tolerance 0.004 absolute: month-to-month s.d. of each share is < 0.003 with ~30,000
    # movers, and with autocorrelation times of 10-30 months the s.e. of the mean over 180
    # months is < 0.001; 0.004 allows 4 s.e. while a wrong matrix (e.g. ignoring the
    # competing-risk order) shifts shares by more than 0.01.
    np.testing.assert_allclose(shares, pi, atol=0.004)
