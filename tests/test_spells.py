"""The spell table (``spells.parquet``) against spells recomputed from state histories.

With demography frozen no slot changes hands, so a job-seeking spell is exactly a maximal
run of month-ends spent in a job-seeking state. Recounting those runs from the monthly
state matrix must give the same table cell for cell: start months, life stages at the start,
durations, exit destinations (formal, informal, other), censoring and programme histories.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.model import LabourMarket
from sim.policy.schema import KINDS
from sim.spells import OUTCOMES
from sim.states import JOB_SEEKER, LIFE_STAGE_NAMES, SEX_NAMES, State, life_stage

from .conftest import small


def _reference(
    history: np.ndarray, ages: np.ndarray, sex: np.ndarray, kinds: np.ndarray, burn_in: int
) -> dict:
    """Counts by (start month, stage at the start, sex, duration, exit destination,
    programme history) of seeking runs starting at month >= burn_in.

    ``history[t]`` is every worker's state at the end of month t, ``ages[t]`` their age
    then, ``kinds[t]`` the kind of the programme they are in then (-1 none).
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
                outcome = "censored"
            else:
                now = history[t, i]
                outcome = {State.FORMAL: "formal", State.INFORMAL: "informal"}.get(now, "other")
            taken = sorted({int(k) for k in kinds[start:t, i] if k >= 0})
            programmes = "+".join(KINDS[k] for k in taken) or "none"
            stage = LIFE_STAGE_NAMES[life_stage(np.array([ages[start, i]]))[0]]
            key = (start, stage, SEX_NAMES[sex[i]], t - start, outcome, programmes)
            counts[key] = counts.get(key, 0) + 1
    return counts


def test_spell_table_matches_state_histories():
    burn_in = 6
    cfg = small("population.demography.enabled=false", size=1500, months=36, burn_in=burn_in)
    model = LabourMarket(cfg)
    history, ages, kinds = [], [], []
    t = model.programme_table
    while model.running:
        model.step()
        w = model.workers
        history.append(w.state.copy())
        ages.append(w.age.copy())
        kinds.append(np.where(w.programme >= 0, t.kind[w.programme.astype(np.intp)], -1))
    table = model.spells()
    got = {
        (
            int(r.start_month),
            r.life_stage,
            r.sex,
            int(r.duration_months),
            r.outcome,
            r.programmes,
        ): int(r.count)
        for r in table.itertuples()
    }
    want = _reference(
        np.array(history), np.array(ages), model.workers.sex, np.array(kinds), burn_in
    )
    assert got == want
    assert any(k[-1] != "none" for k in want)  # programme histories were exercised
    assert set(table["outcome"].unique()) <= set(OUTCOMES)
    # every outcome occurs in a run this size, so the comparison above exercised each
    assert set(table["outcome"].unique()) == set(OUTCOMES)
    assert isinstance(table, pd.DataFrame)
