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


def contact_probability(
    clients, counsellors, contacts_per_counsellor: float, max_caseload: float = 0.0
):
    """Monthly probability a client meets a counsellor: the office's contact capacity over
    its clients, capped at 1 (0 without clients). ``max_caseload`` > 0 hires counsellors up
    to that ratio (the advanced single point of contact: at most 100 clients per counsellor).
    Vectorised over offices; a scalar for scalar inputs."""
    clients = np.asarray(clients, dtype=np.float64)
    counsellors = np.asarray(counsellors, dtype=np.float64)
    if max_caseload > 0:
        counsellors = np.maximum(counsellors, clients / max_caseload)
    capacity = counsellors * contacts_per_counsellor
    p = np.where(clients > 0, np.minimum(1.0, capacity / np.maximum(clients, 1.0)), 0.0)
    return p if p.ndim else float(p)


def reimbursement_rate(spell_months, steps_from, rates) -> np.ndarray:
    """Denmark's "decentralised centralisation": the central government reimburses the local
    service a share of a client's benefit that falls as the spell lengthens; ``rates[i]``
    applies from ``steps_from[i]`` months of spell."""
    spell = np.asarray(spell_months)
    step = np.searchsorted(np.asarray(steps_from, dtype=float), spell, side="right") - 1
    return np.asarray(rates, dtype=float)[np.maximum(step, 0)]
