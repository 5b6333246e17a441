"""Formality transitions within a job: informal jobs formalise, formal jobs informalise.

Under the formalisation track of ``policy.informal_coverage`` the hazard of formalising is
raised and each formalisation is subsidised; under the contribution staircase, informal
workers who stay informal contribute voluntarily with ``staircase_takeup`` (the same draw,
rescaled), which the clock records in their contribution history.
"""

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
        ic = model.cfg.policy.informal_coverage
        base = f.formalisation * (ic.formalisation_boost if ic.track == "formalisation" else 1.0)
        p_up = np.where(w.certified, base * f.certified_multiplier, base)
        informal = mv.free(State.INFORMAL)
        up = np.flatnonzero(informal & (u < p_up))
        model.voluntary = np.zeros(0, np.intp)
        if ic.staircase:
            stay = np.flatnonzero(informal & (u >= p_up))
            again = (u[stay] - p_up[stay]) / np.maximum(1.0 - p_up[stay], 1e-12)
            model.voluntary = stay[again < ic.staircase_takeup]
        if ic.track == "formalisation":
            model.flows["spend_formalisation_subsidy"] += up.size * ic.formalisation_subsidy
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
