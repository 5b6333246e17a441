"""Labour-market states, life stages and groups: the vocabulary every module shares.

States are small integers so worker arrays stay compact; adding a state (public employment
programmes arrive with the regimes) means adding one member here and its flags below.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class State(IntEnum):
    """Labour-market state of a worker at the start of a month."""

    FORMAL = 0  # employed, contributing to social insurance
    INFORMAL = 1  # employed (wage or own-account), not contributing
    UNEMPLOYED = 2  # without work and searching
    TRAINING = 3  # enrolled in a training programme (searches less: lock-in)
    INACTIVE = 4  # out of the labour force: education, care, discouraged, disability
    RETIRED = 5  # at or beyond pension age, left the labour force
    PUBLIC_WORKS = 6  # in a public employment programme, paid a wage, still job-seeking


N_STATES = len(State)
STATE_NAMES = [s.name.lower() for s in State]

#: pseudo-states used only in transition records: a death leaves to EXIT, its replacement
#: (a school-age entrant in the same slot) arrives from ENTRY.
EXIT = N_STATES
ENTRY = N_STATES + 1
FLOW_NAMES = [*STATE_NAMES, "exit", "entry"]

LABOUR_FORCE = np.array([s not in (State.INACTIVE, State.RETIRED) for s in State])
#: the unemployed and programme participants, who keep a job-seeking spell running.
JOB_SEEKER = np.array([s in (State.UNEMPLOYED, State.TRAINING, State.PUBLIC_WORKS) for s in State])


class InactiveReason(IntEnum):
    """Why an inactive worker is out of the labour force (decides the exit hazard)."""

    NONE = 0
    EDUCATION = 1
    CARE = 2
    DISCOURAGED = 3
    DISABILITY = 4


class LifeStage(IntEnum):
    """Life stages of the working paper's Table 1, by age in completed years."""

    YOUTH = 0  # 15-24, school-to-work transition
    PRIME = 1  # 25-54
    OLDER = 2  # 55-64, near pensionable age
    PENSION = 3  # 65+


LIFE_STAGE_NAMES = [s.name.lower() for s in LifeStage]
LIFE_STAGE_BOUNDS_YEARS = (25, 55, 65)


def life_stage(age_months: np.ndarray) -> np.ndarray:
    """Life stage of each worker from age in months (vectorised)."""
    stage = (age_months >= LIFE_STAGE_BOUNDS_YEARS[0] * 12).view(np.int8).copy()
    for bound in LIFE_STAGE_BOUNDS_YEARS[1:]:
        stage += (age_months >= bound * 12).view(np.int8)
    return stage


class Sex(IntEnum):
    MALE = 0
    FEMALE = 1


SEX_NAMES = [s.name.lower() for s in Sex]


class LastJob(IntEnum):
    """Formality of the worker's current or most recent job: the 'formality' breakdown."""

    NONE = 0
    FORMAL = 1
    INFORMAL = 2


LAST_JOB_NAMES = ["never_employed", "formal", "informal"]

# Formality of the worker's current work (the distributional breakdown): a formal job, an
# informal job, or no job now (public works counts as no job: it is a programme).
FORMALITY_NAMES = ["formal", "informal", "not_employed"]
assert State.FORMAL == 0 and State.INFORMAL == 1 and min(State) == 0


def formality(state: np.ndarray) -> np.ndarray:
    """Index into ``FORMALITY_NAMES`` of each worker's current work (formal and informal are
    states 0 and 1; every other state is 'not employed')."""
    return np.minimum(state, 2)


HOUSEHOLD_TYPE_NAMES = [
    "one_adult",
    "one_adult_with_children",
    "several_adults",
    "several_adults_with_children",
]


def household_type(adults: np.ndarray, children: np.ndarray) -> np.ndarray:
    """Index into ``HOUSEHOLD_TYPE_NAMES``: one or several people aged 15+, with or without
    children under 15."""
    return (adults > 1).astype(np.intp) * 2 + (children > 0)
