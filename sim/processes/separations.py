"""Separations: employed workers lose their jobs at hazards by sector and formality.

A formal job that ends pays severance by tenure (an employer's liability, counted as the
worker's income, not public spending); displaced formal workers close to pension age may
take early retirement with a reduced pension instead of searching.
"""

from __future__ import annotations

import numpy as np

from ..process import Process
from ..states import State


class Separations(Process):
    name = "separations"

    def setup(self, model) -> None:
        sectors = model.cfg.economy.sectors.values()
        # hazard[formality, sector]: row 0 formal, row 1 informal (State values 0 and 1)
        self.hazard = np.array(
            [[s.separation_formal for s in sectors], [s.separation_informal for s in sectors]],
            dtype=np.float32,
        )

    def step(self, model) -> None:
        w, mv = model.workers, model.moves
        model.severance = (np.zeros(0, np.intp), np.zeros(0))
        u = model.uniform(self.name)
        mult = model.cfg.economy.separation_multiplier
        ld = model.cfg.economy.labour_demand
        extra = ld.unprofitable_separation if model.vacancy_stock is not None else 0.0
        base = np.minimum(self.hazard * np.float32(mult), np.float32(1.0))
        # thinning: only draws below the largest hazard can separate anyone
        cand = np.flatnonzero(u < float(base.max()) + extra)
        cand = cand[~mv.moved[cand]]
        s0 = mv.state0[cand]
        for st in (State.FORMAL, State.INFORMAL):
            c = cand[s0 == st]
            b = base[st][w.sector[c]]
            idx = c[u[c] < b + extra]
            if extra > 0 and idx.size:
                # beyond the exogenous hazard, only jobs whose output no longer covers their
                # labour cost end (endogenous job destruction, Mortensen and Pissarides 1994)
                b_idx = base[st][w.sector[idx]]
                beyond = u[idx] >= b_idx
                keep = np.ones(idx.size, bool)
                keep[beyond] = self._unprofitable(model, idx[beyond], st == State.FORMAL)
                model.flows["new_separations_unprofitable"] += int(keep[beyond].sum())
                idx = idx[keep]
            if st == State.FORMAL:
                again = u[idx] / np.maximum(base[st][w.sector[idx]] + extra, 1e-12)
                idx = self._displaced(model, idx, again)
            else:
                model.flows["new_separations"] += idx.size
                model.flows["new_separations_informal"] += idx.size
            w.spell[idx] = 0
            w.idle[idx] = 0
            mv.move(idx, State.UNEMPLOYED)

    @staticmethod
    def _unprofitable(model, idx: np.ndarray, formal: bool) -> np.ndarray:
        """Jobs of workers ``idx`` whose output is below the wage plus the employer's
        contributions (own-account work has no employer: never)."""
        w, v = model.workers, model.valuation
        f = np.full(idx.size, formal)
        y = v.output(w.sector[idx].astype(np.intp), w.skill[idx], f, w.months_in_state[idx])
        cost = w.wage[idx] * (1.0 + v.tau[int(formal)])
        return (y < cost) & ~w.own_account[idx]

    @staticmethod
    def _displaced(model, idx: np.ndarray, again: np.ndarray) -> np.ndarray:
        """Severance and early retirement for formal job losers; returns those who search.
        ``again`` is each one's separation draw rescaled: uniform on [0, 1) again."""
        w, d = model.workers, model.cfg.policy.displacement
        pen = model.cfg.policy.pension
        tenure_years = w.months_in_state[idx] / 12.0
        months = np.minimum(d.severance_months_per_year * tenure_years, d.severance_max_months)
        severance = months * w.wage[idx]
        model.severance = (idx, severance)
        model.flows["severance_paid"] += float(severance.sum())
        # every job loss is a separation, whether the loser searches or retires early
        model.flows["new_separations"] += idx.size
        model.flows["new_separations_formal"] += idx.size
        early = (w.age[idx] >= d.early_retirement_age * 12) & (again < d.early_retirement)
        if not model.cfg.population.demography.enabled:
            early[:] = False  # a frozen population: nobody leaves the labour market
        retire = idx[early]
        if retire.size:
            contributed = w.contribution_months(64, retire) >= pen.min_contribution_months
            full = pen.replacement_rate * w.wage[retire] * (1.0 - d.early_pension_reduction)
            w.pension[retire] = np.where(contributed, full, pen.social_pension)
            model.moves.move(retire, State.RETIRED)
            model.flows["new_early_retirements"] += retire.size
        return idx[~early]
