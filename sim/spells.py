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

from .policy.schema import KINDS
from .states import JOB_SEEKER, LIFE_STAGE_NAMES, SEX_NAMES, State, life_stage

OUTCOMES = ["formal", "informal", "other", "censored"]
FORMAL, INFORMAL, OTHER, CENSORED = range(4)


def history_names() -> list[str]:
    """Labels of the programme histories: the kinds started in the spell, joined by ``+``,
    or ``none`` (bit ``i`` of ``workers.spell_kinds`` is ``KINDS[i]``)."""
    return [
        "+".join(k for i, k in enumerate(KINDS) if code >> i & 1) or "none"
        for code in range(1 << len(KINDS))
    ]


class SpellLog:
    """Counts of spells by (life stage at the start, sex, duration in months, exit
    destination, programme history), tallied per month of ending, so the start month is
    the month of ending minus the duration. Only non-empty cells are kept: memory grows
    with the distinct cells of each month, not with the number of spells."""

    def __init__(self, months: int, burn_in: int, ageing: bool = True) -> None:
        self.burn_in = burn_in
        self.ageing = ageing  # ages tick monthly (frozen demography: they do not)
        self.max_duration = months + 1
        self.shape = (
            len(LIFE_STAGE_NAMES),
            len(SEX_NAMES),
            self.max_duration,
            len(OUTCOMES),
            1 << len(KINDS),
        )
        self.months: list[np.ndarray] = []
        self.cells: list[np.ndarray] = []
        self.counts: list[np.ndarray] = []

    def _add(self, month: int, w, idx: np.ndarray, duration: np.ndarray, outcome, kinds) -> None:
        """Tally spells of workers ``idx`` that started at ``month - duration``."""
        keep = month - duration.astype(np.int64) >= self.burn_in
        idx, duration, kinds = idx[keep], duration[keep].astype(np.int64), kinds[keep]
        if isinstance(outcome, np.ndarray):
            outcome = outcome[keep]
        if idx.size == 0:
            return
        age0 = w.age[idx].astype(np.int64) - (duration if self.ageing else 0)
        cell = np.ravel_multi_index(
            (
                life_stage(age0).astype(np.int64),
                w.sex[idx].astype(np.int64),
                np.minimum(duration, self.max_duration - 1),
                np.broadcast_to(np.asarray(outcome, np.int64), idx.shape),
                kinds.astype(np.int64),
            ),
            self.shape,
        )
        cells, counts = np.unique(cell, return_counts=True)
        self.months.append(np.full(cells.size, month, np.int32))
        self.cells.append(cells)
        self.counts.append(counts)

    def end_month(
        self, month: int, w, state0: np.ndarray, spell0: np.ndarray, ended_kinds=None
    ) -> None:
        """Record the spells that ended this month (call after the clock has ticked).

        A running spell ticks from ``spell0`` to ``spell0 + 1``; anything else means it ended
        and its completed length is ``spell0`` months (the time convention of placements).
        ``ended_kinds`` are the programme kinds the clock cleared this month (indices,
        values), since the spell's history is gone from ``workers.spell_kinds`` by now."""
        seeking0 = np.flatnonzero(JOB_SEEKER[state0])  # about a tenth of the slots
        ended = seeking0[w.spell[seeking0] != spell0[seeking0] + 1]
        if ended.size == 0:
            return
        now = w.state[ended]
        outcome = np.select([now == State.FORMAL, now == State.INFORMAL], [FORMAL, INFORMAL], OTHER)
        kinds = w.spell_kinds[ended].copy()
        if ended_kinds is not None and ended_kinds[0].size:
            where, values = ended_kinds
            pos = np.minimum(np.searchsorted(where, ended), where.size - 1)
            hit = where[pos] == ended
            kinds[hit] = values[pos[hit]]
        self._add(month, w, ended, spell0[ended], outcome, kinds)

    def censor(self, month: int, w) -> None:
        """Record the spells still running after the last month as censored."""
        running = np.flatnonzero(JOB_SEEKER[w.state] & (w.spell > 0))
        self._add(month + 1, w, running, w.spell[running], CENSORED, w.spell_kinds[running])

    def table(self) -> pd.DataFrame:
        """One row per non-empty cell: start_month, life_stage (at the start), sex,
        duration_months, outcome (exit destination, or censored), programmes (the kinds
        started in the spell) and count."""
        if self.cells:
            months = np.concatenate(self.months).astype(np.int64)
            cells = np.concatenate(self.cells)
            counts = np.concatenate(self.counts)
        else:
            months = cells = counts = np.zeros(0, np.int64)
        stage, sex, duration, outcome, kinds = np.unravel_index(cells, self.shape)
        cat = pd.Categorical.from_codes
        df = pd.DataFrame(
            {
                "start_month": (months - duration).astype(np.int16),
                "life_stage": cat(stage, LIFE_STAGE_NAMES),
                "sex": cat(sex, SEX_NAMES),
                "duration_months": duration.astype(np.int16),
                "outcome": cat(outcome, OUTCOMES),
                "programmes": cat(kinds, history_names()),
                "count": counts.astype(np.int64),
            }
        )
        keys = ["start_month", "life_stage", "sex", "duration_months", "outcome", "programmes"]
        return df.sort_values(keys, kind="stable").reset_index(drop=True)
