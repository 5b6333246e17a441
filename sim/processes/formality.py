"""Formality transitions within a job: informal jobs formalise, formal jobs informalise."""

from __future__ import annotations

import numpy as np

from ..population import sector_wages, wage_offer
from ..process import Process
from ..states import LastJob, State


class Formality(Process):
    name = "formality"

    def setup(self, model) -> None:
        self.sector_wage, self.informal_ratio = sector_wages(model.cfg)

    def step(self, model) -> None:
        w, mv, f = model.workers, model.moves, model.cfg.economy.formality
        u = model.uniform(self.name)
        p_up = np.where(w.certified, f.formalisation * f.certified_multiplier, f.formalisation)
        up = np.flatnonzero(mv.free(State.INFORMAL) & (u < p_up))
        down = np.flatnonzero(mv.free(State.FORMAL) & (u < f.informalisation))
        skill_return = model.cfg.economy.hiring.skill_return
        for idx, formal, to in ((up, True, State.FORMAL), (down, False, State.INFORMAL)):
            w.wage[idx] = wage_offer(
                self.sector_wage,
                self.informal_ratio,
                skill_return,
                w.sector[idx],
                w.skill[idx],
                np.full(idx.size, formal),
            )
            w.last_job[idx] = LastJob.FORMAL if formal else LastJob.INFORMAL
            mv.move(idx, to)
        model.flows["new_formalisations"] += up.size
        model.flows["new_informalisations"] += down.size
