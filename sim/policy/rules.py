"""Policy rules as small vectorised functions of arrays and parameters.

The processes call these functions, and ``tests/policy_cases/*.yaml`` state their expected
outputs for given inputs, in the OpenFisca style: a policy expert can read and extend the
cases without reading the simulation.
"""

from __future__ import annotations

import numpy as np


def ui_qualifies(contribution_months, min_contribution_months: int) -> np.ndarray:
    """Contributory unemployment insurance: enough months contributed in the window."""
    return np.asarray(contribution_months) >= min_contribution_months


def ui_amount(last_wage, replacement_rate: float, floor: float, ceiling: float) -> np.ndarray:
    """Monthly UI benefit: a share of the last wage between a floor and a ceiling."""
    return np.clip(replacement_rate * np.asarray(last_wage, dtype=np.float64), floor, ceiling)


def sa_top_up(household_income, equivalence, guaranteed_income: float) -> np.ndarray:
    """Means-tested social assistance: tops household income up to the guaranteed income
    per equivalent adult (before take-up)."""
    need = guaranteed_income * np.asarray(equivalence, dtype=np.float64)
    return np.maximum(need - np.asarray(household_income, dtype=np.float64), 0.0)


def next_strikes(strikes, monitored, complied, sanction_after: int):
    """Mutual obligations: a monitored client who did not comply gets a strike, one who did
    starts again from zero; ``sanction_after`` consecutive strikes trigger a sanction (and
    reset the count). Returns (strikes, sanctioned)."""
    strikes = np.asarray(strikes, dtype=np.int16)
    monitored = np.asarray(monitored, dtype=bool)
    complied = np.asarray(complied, dtype=bool)
    new = np.where(monitored, np.where(complied, 0, strikes + 1), strikes).astype(np.int16)
    sanctioned = monitored & ~complied & (new >= sanction_after)
    return np.where(sanctioned, 0, new).astype(np.int16), sanctioned


def meeting_intensity(
    clients, priority_clients, capacity, priority_ratio: float, max_meetings: float
):
    """Meetings per client per month in an office (continuous, Hainmueller et al. 2016: the
    caseload sets how often a counsellor sees each client). Counsellors spread ``capacity``
    meetings over their clients; a priority (high-risk) client gets ``priority_ratio`` times
    the meetings of another, and nobody more than ``max_meetings``. Returns (others,
    priority), vectorised over offices; meetings a cap leaves unused go to the other group."""
    n = np.asarray(clients, dtype=np.float64)
    k = np.asarray(priority_clients, dtype=np.float64)
    cap = np.asarray(capacity, dtype=np.float64)
    share = cap / np.maximum(n + priority_ratio * k, 1e-12)
    top = np.where(k > 0, np.minimum(priority_ratio * share, max_meetings), 0.0)
    rest = np.where(n > 0, np.minimum((cap - top * k) / np.maximum(n, 1e-12), max_meetings), 0.0)
    spare = np.where(k > 0, (cap - rest * n) / np.maximum(k, 1e-12), 0.0)
    top = np.minimum(np.maximum(top, spare), max_meetings) * (k > 0)
    return (rest, top) if rest.ndim else (float(rest), float(top))


def meetings_held(intensity, u):
    """Meetings a client has this month: the whole part of the intensity, plus one more
    with probability its fraction (so the mean is the intensity, from one uniform draw)."""
    intensity = np.asarray(intensity, dtype=np.float64)
    whole = np.floor(intensity)
    return (whole + (np.asarray(u) < intensity - whole)).astype(np.int16)


def meeting_dose(meetings, meeting_returns: float):
    """Effect of ``meetings`` in a month in units of one meeting's effect: the k-th meeting
    adds ``meeting_returns**(k-1)`` (diminishing returns to contact intensity)."""
    m = np.asarray(meetings, dtype=np.float64)
    if meeting_returns >= 1.0:
        return m
    return (1.0 - meeting_returns**m) / (1.0 - meeting_returns)


def online_choice(need, counsellor_dose, online_value, convenience: float, noise: float):
    """Probability a digitally literate client chooses online self-service over waiting for
    a counsellor (logit): the convenience of self-service plus the value of the online
    channel (its use times its effect) against the counsellor's expected dose, which weighs
    more the greater the client's need (``need`` = 1 + need weight x risk score)."""
    z = convenience + (online_value - np.asarray(need) * counsellor_dose) / max(noise, 1e-12)
    return 1.0 / (1.0 + np.exp(-z))


def reimbursement_rate(spell_months, steps_from, rates) -> np.ndarray:
    """Denmark's "decentralised centralisation": the central government reimburses the local
    service a share of a client's benefit that falls as the spell lengthens; ``rates[i]``
    applies from ``steps_from[i]`` months of spell."""
    spell = np.asarray(spell_months)
    step = np.searchsorted(np.asarray(steps_from, dtype=float), spell, side="right") - 1
    return np.asarray(rates, dtype=float)[np.maximum(step, 0)]
