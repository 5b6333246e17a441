"""Completed and censored job-seeking spells, for survival curves (Kaplan-Meier).

A spell is the run of months a worker spends seeking work (unemployed, in training or in
public works: the states that tick ``spell``). It ends when ``spell`` does not tick on at
the end of a month: a job (formal or informal) or another exit (inactivity, retirement,
death, a new spell after an entrant takes the slot). Spells still running at the end of
the run are right-censored. Only spells that started after burn-in are kept, so the initial
population's inherited durations do not weigh on the curves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .states import JOB_SEEKER, LIFE_STAGE_NAMES, SEX_NAMES, State, life_stage

OUTCOMES = ["job", "other", "censored"]
JOB, OTHER, CENSORED = range(3)


class SpellLog:
    """Counts of spells by (life stage, sex, duration in months, outcome)."""

    def __init__(self, months: int, burn_in: int) -> None:
        self.burn_in = burn_in
        self.max_duration = months + 1
        self.shape = (len(LIFE_STAGE_NAMES), len(SEX_NAMES), self.max_duration, len(OUTCOMES))
        self.counts = np.zeros(int(np.prod(self.shape)), dtype=np.int64)

    def _add(self, month: int, w, idx: np.ndarray, duration: np.ndarray, outcome) -> None:
        """Tally spells of workers ``idx`` that started at ``month - duration``."""
        keep = month - duration.astype(np.int64) >= self.burn_in
        idx, duration = idx[keep], duration[keep]
        if isinstance(outcome, np.ndarray):
            outcome = outcome[keep]
        cell = life_stage(w.age[idx]).astype(np.int64) * len(SEX_NAMES) + w.sex[idx]
        cell = (cell * self.max_duration + np.minimum(duration, self.max_duration - 1)) * len(
            OUTCOMES
        ) + outcome
        self.counts += np.bincount(cell, minlength=self.counts.size)

    def end_month(self, month: int, w, state0: np.ndarray, spell0: np.ndarray) -> None:
        """Record the spells that ended this month (call after the clock has ticked).

        A running spell ticks from ``spell0`` to ``spell0 + 1``; anything else means it ended
        and its completed length is ``spell0`` months (the time convention of placements)."""
        seeking0 = np.flatnonzero(JOB_SEEKER[state0])  # about a tenth of the slots
        ended = seeking0[w.spell[seeking0] != spell0[seeking0] + 1]
        if ended.size == 0:
            return
        now = w.state[ended]
        outcome = np.where((now == State.FORMAL) | (now == State.INFORMAL), JOB, OTHER)
        self._add(month, w, ended, spell0[ended], outcome)

    def censor(self, month: int, w) -> None:
        """Record the spells still running after the last month as censored."""
        running = np.flatnonzero(JOB_SEEKER[w.state] & (w.spell > 0))
        self._add(month + 1, w, running, w.spell[running], CENSORED)

    def table(self) -> pd.DataFrame:
        """The non-empty cells as rows: life_stage, sex, duration_months, outcome, count."""
        nz = np.flatnonzero(self.counts)
        stage, sex, duration, outcome = np.unravel_index(nz, self.shape)
        cat = pd.Categorical.from_codes
        return pd.DataFrame(
            {
                "life_stage": cat(stage, LIFE_STAGE_NAMES),
                "sex": cat(sex, SEX_NAMES),
                "duration_months": duration.astype(np.int16),
                "outcome": cat(outcome, OUTCOMES),
                "count": self.counts[nz],
            }
        )
