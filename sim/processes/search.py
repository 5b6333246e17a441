"""Job search: who applies for a job this month, and with what effort.

Unemployed workers apply with a base effort that falls with benefit receipt (moral hazard)
and with spell length (discouragement); trainees search less (lock-in); informal workers
search on the job for formal vacancies only.
"""

from __future__ import annotations

import numpy as np

from ..process import Process
from ..states import State


class JobSearch(Process):
    name = "search"

    def step(self, model) -> None:
        w, mv, s = model.workers, model.moves, model.cfg.economy.search
        u = model.uniform(self.name)
        seekers = np.flatnonzero(
            mv.free(State.UNEMPLOYED) | mv.free(State.TRAINING) | mv.free(State.PUBLIC_WORKS)
        )
        e = np.full(seekers.size, s.effort_unemployed, dtype=np.float32)
        if s.discouragement > 0:
            e *= np.exp(-s.discouragement * w.spell[seekers]).astype(np.float32)
        if s.benefit_effort < 1:
            e[w.ui_left[seekers] > 0] *= s.benefit_effort
        # programme participants search less while they take part (lock-in)
        e = np.minimum(e * model.programme_table.lock_in_of[w.programme[seekers]], 1.0)
        gain = model.cfg.policy.case_management.contact_effort_gain
        if model.contacted.size and gain > 0:
            pos = np.searchsorted(model.contacted, seekers)
            pos = np.minimum(pos, model.contacted.size - 1)
            met = model.contacted[pos] == seekers
            scale = model.contact_scale[pos[met]]
            e[met] = np.minimum(e[met] * (1.0 + gain * scale), 1.0)
        # on-the-job search: informal workers whose draw is below their effort (thinned)
        on_job = np.flatnonzero(u < s.effort_informal)
        on_job = on_job[(mv.state0[on_job] == State.INFORMAL) & ~mv.moved[on_job]]
        applicants = np.concatenate([seekers[u[seekers] < e], on_job])
        applicants.sort()
        model.applicants = applicants
        model.applicant_formal_only = mv.state0[applicants] == State.INFORMAL
        model.flows["applicants"] += applicants.size
