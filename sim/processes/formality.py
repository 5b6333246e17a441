"""Formality transitions within a job: informal jobs formalise, formal jobs informalise.

In free-entry mode the hazards answer to the cost of formality (docs/model.md,
"Informality"): with ``R_s`` the expected value of a formal job over an informal one in the
sector (from firms' expectations, so contributions, minimum wages and enforcement all act
through it) relative to ``reference_ratio``, formalisation is ``formalisation R_s^k`` and
informalisation ``informalisation R_s^-k`` (``k = cost_response``); the wage is bargained
again for the new status. Own-account work does not formalise in place. In fixed-tightness
mode the hazards are fixed and the wage is the sector's posted wage.

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
        up_p = f.formalisation * (ic.formalisation_boost if ic.track == "formalisation" else 1.0)
        up_p, down_p = np.atleast_1d(up_p), np.atleast_1d(f.informalisation)
        ratio = self._value_ratio(model)
        if ratio is not None:  # by sector
            ratio = ratio / f.reference_ratio
            up_p = up_p * ratio**f.cost_response
            down_p = down_p * ratio ** (-f.cost_response)
        per_sector = up_p.size > 1
        # thinning: only draws below the largest hazard can move
        top = float(up_p.max()) * max(f.certified_multiplier, 1.0)
        informal = mv.free(State.INFORMAL)
        cand = np.flatnonzero(informal & (u < top))
        cand = cand[~w.own_account[cand]]
        p_c = up_p[w.sector[cand]] if per_sector else np.full(cand.size, up_p[0])
        p_c = np.where(w.certified[cand], p_c * f.certified_multiplier, p_c)
        up = cand[u[cand] < p_c]
        model.voluntary = np.zeros(0, np.intp)
        if ic.staircase:
            stay = np.flatnonzero(informal)
            p_stay = up_p[w.sector[stay]] if per_sector else np.full(stay.size, up_p[0])
            p_stay = np.where(w.certified[stay], p_stay * f.certified_multiplier, p_stay)
            p_stay = np.where(w.own_account[stay], 0.0, p_stay)
            moving = u[stay] < p_stay
            stay, p_stay = stay[~moving], p_stay[~moving]
            again = (u[stay] - p_stay) / np.maximum(1.0 - p_stay, 1e-12)
            model.voluntary = stay[again < ic.staircase_takeup]
        if ic.track == "formalisation":
            model.flows["spend_formalisation_subsidy"] += up.size * ic.formalisation_subsidy
        cand = np.flatnonzero(mv.free(State.FORMAL) & (u < float(down_p.max())))
        p_c = down_p[w.sector[cand]] if per_sector else down_p[0]
        down = cand[u[cand] < p_c]
        for idx, formal, to in ((up, True, State.FORMAL), (down, False, State.INFORMAL)):
            w.wage[idx] = self._wage(model, idx, formal)
            w.last_job[idx] = LastJob.FORMAL if formal else LastJob.INFORMAL
            mv.move(idx, to)
        model.flows["new_formalisations"] += up.size
        model.flows["new_informalisations"] += down.size

    @staticmethod
    def _value_ratio(model) -> np.ndarray | None:
        """Expected value of a formal over an informal job by sector (free-entry mode)."""
        stock = model.vacancy_stock
        if stock is None:
            return None
        formal, informal = stock.value[1::2], stock.value[0::2]
        ratio = np.maximum(formal, 0.0) / np.maximum(informal, 1e-9)
        return np.clip(ratio, 0.1, 10.0)

    def _wage(self, model, idx: np.ndarray, formal: bool) -> np.ndarray:
        w = model.workers
        flags = np.full(idx.size, formal)
        if model.vacancy_stock is None:
            return wage_offer(
                self.sector_wage,
                self.informal_ratio,
                model.cfg.economy.hiring.skill_return,
                w.sector[idx],
                w.skill[idx],
                flags,
            )
        v = model.valuation
        sector = w.sector[idx].astype(np.intp)
        y = v.output(sector, w.skill[idx], flags)
        outside = v.outside_option(np.zeros(idx.size))
        return v.wage(y, sector, flags, outside, model.sector_tightness).astype(np.float32)
