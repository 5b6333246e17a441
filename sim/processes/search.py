"""Job search: who applies for a job this month, and with what effort.

Unemployed workers apply with a base effort that falls with benefit receipt (moral hazard)
and with spell length (discouragement); trainees search less (lock-in); informal workers
search on the job for formal vacancies only.
"""

from __future__ import annotations

import numpy as np

from ..states import State
from .base import Process


class JobSearch(Process):
    name = "search"

    def step(self, model) -> None:
        w, mv, s = model.workers, model.moves, model.cfg.economy.search
        u = model.uniform(self.name)
        effort = np.zeros(w.n, dtype=np.float32)
        seekers = mv.free(State.UNEMPLOYED) | mv.free(State.TRAINING)
        idx = np.flatnonzero(seekers)
        e = np.full(idx.size, s.effort_unemployed, dtype=np.float32)
        if s.discouragement > 0:
            e *= np.exp(-s.discouragement * w.spell[idx]).astype(np.float32)
        if s.benefit_effort < 1:
            e[w.ui_left[idx] > 0] *= s.benefit_effort
        e[w.state[idx] == State.TRAINING] *= s.lock_in
        effort[idx] = e
        effort[mv.free(State.INFORMAL)] = s.effort_informal
        applying = u < effort
        model.applicants = np.flatnonzero(applying)
        model.applicant_formal_only = w.state[model.applicants] == State.INFORMAL
        model.flows["applicants"] += model.applicants.size
