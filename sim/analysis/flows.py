"""Flow arithmetic: where Markov-chain theory gives the answer, the engine must give it too.

Shared by the test suite (tests/test_flow_arithmetic.py asserts on these measurements)
and ``python -m sim.validate``. Transitions are decided from start-of-month states, so
with job finding f and separation s in the same step the two-state steady state is
u = s / (s + f) and completed spells are geometric with mean 1/f.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

#: the two-state textbook model: a frozen population (no demography), no inactivity, no
#: programmes, in the homogeneous economy (configs/economy/homogeneous.yaml)
HOMOGENEOUS = (
    "economy=homogeneous",
    "policy=no_benefits",
    "population.demography.enabled=false",
    "population.demography.school_leaving=1.0",
    "population.initial_informality=0.0",
    "population.disability_share=0.0",
    "population.carer_share=[0.0,0.0]",
)
S = 0.031  # separation probability of the homogeneous economy (Shimer's US average)
THETA = 0.5  # its fixed tightness


def urn_ball_job_finding(tightness: float, applicants: float) -> float:
    """Job-finding probability when A identical applicants each pick one of V = tightness*A
    vacancies at random and each vacancy hires one of its applicants."""
    v = tightness * applicants
    return v / applicants * (1.0 - (1.0 - 1.0 / v) ** applicants)


def batch_se(series: np.ndarray, batches: int = 10) -> float:
    """Standard error of a time-series mean from batch means (batches much longer than the
    autocorrelation time 1/(s+f) ~ 2 months are close to independent)."""
    y = series[: len(series) // batches * batches].reshape(batches, -1).mean(axis=1)
    return float(y.std(ddof=1) / np.sqrt(batches))


@dataclass
class TwoState:
    """Measured against theory in the two-state textbook economy."""

    f: float  # urn-ball job finding at the mean number of applicants
    u: float
    u_se: float
    job_finding: float
    job_finding_se: float
    separation: float
    separation_se: float
    spell_mean: float
    spell_se: float  # of a geometric(f) mean over the spells observed
    spells: int
    chi_pvalue: float  # goodness of fit of the spell distribution to geometric(f)

    @property
    def u_theory(self) -> float:
        return S / (S + self.f)


def two_state(*overrides: str, months: int = 200, burn_in: int = 50) -> TwoState:
    """``python -m sim population=textbook economy=homogeneous``, followed month by month
    to collect completed spells."""
    from ..config import load
    from ..model import LabourMarket
    from ..states import State

    cfg = load(
        "population=textbook",
        "economy=homogeneous",
        f"run.months={months}",
        f"run.burn_in={burn_in}",
        *overrides,
    )
    model = LabourMarket(cfg)
    w = model.workers
    spells: list[np.ndarray] = []
    first, last = 20, months - 50  # complete cohorts: all end within the run (1 - 0.57**50)
    for month in range(cfg.run.months):
        unemployed = w.state == State.UNEMPLOYED
        spell = w.spell.copy()
        model.step()
        placed = unemployed & (w.state == State.FORMAL)
        start = month - spell[placed]
        keep = (start >= first) & (start < last)
        spells.append(spell[placed][keep])
    ts = model.timeseries()
    post = ts[ts.month >= cfg.run.burn_in]
    f = urn_ball_job_finding(THETA, post.n_unemployed.mean())
    u_t = (post.n_unemployed / (post.n_unemployed + post.n_formal)).to_numpy()
    jf, sr = post.job_finding_rate.to_numpy(), post.separation_rate.to_numpy()
    durations = np.concatenate(spells)
    k = np.arange(1, 8)
    expected = np.append(stats.geom.pmf(k, f), stats.geom.sf(7, f))
    observed = np.append(np.bincount(durations, minlength=8)[1:8], (durations >= 8).sum())
    chi = stats.chisquare(observed, expected * observed.sum())
    return TwoState(
        f=f,
        u=float(u_t.mean()),
        u_se=batch_se(u_t),
        job_finding=float(jf.mean()),
        job_finding_se=batch_se(jf),
        separation=float(sr.mean()),
        separation_se=batch_se(sr),
        spell_mean=float(durations.mean()),
        spell_se=float(np.sqrt(1 - f) / f / np.sqrt(durations.size)),
        spells=int(durations.size),
        chi_pvalue=float(chi.pvalue),
    )


def stationary(p: np.ndarray) -> np.ndarray:
    vals, vecs = np.linalg.eig(p.T)
    v = np.real(vecs[:, np.argmin(np.abs(vals - 1))])
    return v / v.sum()


#: formal, informal, unemployed and inactive (discouraged) with fixed probabilities
MULTI = {"s_f": 0.02, "s_i": 0.05, "phi": 0.4, "r_fi": 0.01, "r_if": 0.02, "d": 0.05, "x": 0.1}
#: 0.004 absolute: month-to-month s.d. of each share is < 0.003 with ~30,000 movers, and
#: with autocorrelation times of 10-30 months the s.e. of the mean over 180 months is
#: < 0.001; 0.004 allows 4 s.e. while a wrong matrix (e.g. ignoring the competing-risk
#: order) shifts shares by more than 0.01
MULTI_TOLERANCE = 0.004


def multi_state(*overrides: str, size: int = 40_000) -> tuple[np.ndarray, np.ndarray]:
    """Simulated and stationary shares of (formal, informal, unemployed, inactive).

    Processes act in LOOP_ORDER on workers who have not moved yet, each with its own draw,
    so the effective one-month matrix follows from the order: separations first, then
    matching, then formality, then inactivity."""
    from ..config import load
    from ..model import LabourMarket
    from ..states import InactiveReason, State

    m = MULTI
    cfg = load(
        *HOMOGENEOUS,
        f"population.size={size}",
        "run.months=240",
        "run.burn_in=60",
        "population.initial_informality=0.5",
        f"economy.sectors.all.separation_formal={m['s_f']}",
        f"economy.sectors.all.separation_informal={m['s_i']}",
        f"economy.sectors.all.formal_vacancy_share={m['phi']}",
        f"economy.formality.informalisation={m['r_fi']}",
        f"economy.formality.formalisation={m['r_if']}",
        "economy.inactivity.discouraged_after=0",
        f"economy.inactivity.discouraged_entry={m['d']}",
        f"economy.inactivity.discouraged_exit={m['x']}",
        *overrides,
    )
    model = LabourMarket(cfg)
    model.run()
    ts = model.timeseries()
    post = ts[ts.month >= cfg.run.burn_in]
    f = urn_ball_job_finding(cfg.economy.tightness, post.n_unemployed.mean())
    s_f, s_i, phi, r_fi, r_if, d, x = (
        m[k] for k in ("s_f", "s_i", "phi", "r_fi", "r_if", "d", "x")
    )
    p = np.array(
        [
            [0, (1 - s_f) * r_fi, s_f, 0],
            [(1 - s_i) * r_if, 0, s_i, 0],
            [f * phi, f * (1 - phi), 0, (1 - f) * d],
            [0, 0, x, 0],
        ]
    )
    np.fill_diagonal(p, 1 - p.sum(axis=1))
    pi = stationary(p)
    # those still in education never move (the population is frozen): leave them out
    w = model.workers
    in_school = int(
        ((w.state == State.INACTIVE) & (w.inactive_reason == InactiveReason.EDUCATION)).sum()
    )
    shares = post[["n_formal", "n_informal", "n_unemployed", "n_inactive"]].astype(float)
    shares = shares.assign(n_inactive=shares.n_inactive - in_school)
    shares = shares.div(shares.sum(axis=1), axis=0).mean().to_numpy()
    return shares, pi
