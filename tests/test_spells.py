"""The spell table (``spells.parquet``) against spells recomputed from state histories.

With demography frozen no slot changes hands, so a job-seeking spell is exactly a maximal
run of month-ends spent in a job-seeking state. Recounting those runs from the monthly
state matrix must give the same table cell for cell: durations, outcomes and censoring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model import LabourMarket
from sim.spells import OUTCOMES
from sim.states import JOB_SEEKER, LIFE_STAGE_NAMES, SEX_NAMES, State, life_stage

from .conftest import small


def _reference(history: np.ndarray, ages: np.ndarray, sex: np.ndarray, burn_in: int) -> dict:
    """Counts by (stage, sex, duration, outcome) of seeking runs starting at month >= burn_in.

    ``history[t]`` is every worker's state at the end of month t, ``ages[t]`` their age then.
    """
    months = history.shape[0]
    counts: dict = {}
    seeking = JOB_SEEKER[history]
    for i in range(history.shape[1]):
        t = 0
        while t < months:
            if not seeking[t, i]:
                t += 1
                continue
            start = t
            while t < months and seeking[t, i]:
                t += 1
            if start < burn_in or (start == 0):  # month 0 may continue an initial spell
                continue
            if t == months:
                outcome, age = "censored", ages[months - 1, i]
            else:
                now = history[t, i]
                job = now in (State.FORMAL, State.INFORMAL)
                outcome, age = ("job" if job else "other"), ages[t, i]  # age when it ended
            key = (LIFE_STAGE_NAMES[life_stage(np.array([age]))[0]], SEX_NAMES[sex[i]])
            key = (*key, t - start, outcome)
            counts[key] = counts.get(key, 0) + 1
    return counts


def test_spell_table_matches_state_histories():
    burn_in = 6
    cfg = small("population.demography.enabled=false", size=1500, months=36, burn_in=burn_in)
    model = LabourMarket(cfg)
    history, ages = [], []
    while model.running:
        model.step()
        history.append(model.workers.state.copy())
        ages.append(model.workers.age.copy())
    table = model.spells()
    got = {
        (r.life_stage, r.sex, int(r.duration_months), r.outcome): int(r.count)
        for r in table.itertuples()
    }
    want = _reference(np.array(history), np.array(ages), model.workers.sex, burn_in)
    assert got == want
    assert set(table["outcome"].unique()) <= set(OUTCOMES)
    # every outcome occurs in a run this size, so the comparison above exercised each
    assert set(table["outcome"].unique()) == set(OUTCOMES)
    assert isinstance(table, pd.DataFrame)
