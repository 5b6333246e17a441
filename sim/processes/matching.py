"""Matching: applicants compete for vacancies, a genuine interaction.

Each applicant sends one application: to a vacancy of their own sector with probability
``search.own_sector`` (when there is one), else to any vacancy; informal workers apply only
to formal vacancies. Each vacancy then hires one of its applicants with probability
proportional to a hiring weight (skill fit, certification for formal jobs, scarring from
long spells), drawn as an exponential race. Losers stay where they were. Because a trained
or certified applicant can win a vacancy another would have won, displacement and
deadweight emerge rather than being assumed.
"""

from __future__ import annotations

import numpy as np

from ..population import sector_wages, wage_offer
from ..process import Process
from ..states import LastJob, State

PLACEMENT_WINDOW_MONTHS = 12


class Matching(Process):
    name = "matching"

    def setup(self, model) -> None:
        self.sector_wage, self.informal_ratio = sector_wages(model.cfg)

    def step(self, model) -> None:
        vb, a = model.vacancies, model.applicants
        if vb.n == 0 or a.size == 0:
            return
        w, eco = model.workers, model.cfg.economy
        target = self._targets(model, vb, a)
        valid = target >= 0
        a, target = a[valid], target[valid]
        race = model.uniform("matching.race")[a].astype(np.float64)

        h = eco.hiring
        v_formal = vb.formal[target]
        log_weight = -h.mismatch_penalty * np.maximum(vb.requirement[target] - w.skill[a], 0.0)
        log_weight -= h.scarring * w.spell[a]
        gain = model.cfg.policy.case_management.contact_match_gain
        if model.contacted.size and gain > 0:
            pos = np.minimum(np.searchsorted(model.contacted, a), model.contacted.size - 1)
            met = model.contacted[pos] == a
            log_weight += np.where(met, gain * model.contact_scale[pos], 0.0)
        # programmes: intermediation, and wage-subsidy vouchers for formal vacancies
        t, prog = model.programme_table, w.programme[a]
        log_weight += t.bonus_of[prog] * (~t.formal_only_bonus[prog] | v_formal)
        if h.no_experience_penalty > 0:
            log_weight -= h.no_experience_penalty * (w.last_job[a] == LastJob.NONE)
        if h.certified_premium > 0:
            log_weight += np.log1p(h.certified_premium) * (w.certified[a] & v_formal)
        # exponential race: the smallest E_i / weight_i wins with probability ~ weight_i
        with np.errstate(divide="ignore"):  # a draw of exactly 0 gives E = 0: -inf, it wins
            log_key = np.log(-np.log1p(-race)) - log_weight
        best = np.full(vb.n, np.inf)
        np.minimum.at(best, target, log_key)
        lowest = np.flatnonzero(log_key == best[target])
        # exact ties (equal draws and weights) are broken by slot order: one hire a vacancy
        _, first = np.unique(target[lowest], return_index=True)
        win = lowest[first]
        hired, vac = a[win], target[win]
        formal = vb.formal[vac]
        self._hire(model, hired, vb.sector[vac], formal)

    def _targets(self, model, vb, a: np.ndarray) -> np.ndarray:
        w, p_own = model.workers, model.cfg.economy.search.own_sector
        u = model.uniform("matching.target")[a].astype(np.float64)
        target = np.full(a.size, -1, dtype=np.int64)
        fo = model.applicant_formal_only
        n_formal = vb.formal_index.size
        if n_formal and fo.any():
            target[fo] = vb.formal_index[(u[fo] * n_formal).astype(np.int64)]
        ot = ~fo
        if ot.any():
            uo, sector = u[ot], w.sector[a[ot]]
            own_n = vb.by_sector[sector]
            own = (uo < p_own) & (own_n > 0)
            # reuse the draw: rescaled, it is uniform on [0, 1) within either branch
            r = np.where(uo < p_own, uo / max(p_own, 1e-300), (uo - p_own) / max(1 - p_own, 1e-300))
            r = np.minimum(r, np.nextafter(1.0, 0.0))
            target[ot] = np.where(
                own, vb.start[sector] + (r * own_n).astype(np.int64), (r * vb.n).astype(np.int64)
            )
        return target

    @staticmethod
    def _placements_by_programme(model, placed: np.ndarray) -> None:
        """Placements of people in a programme, or within 12 months of completing one."""
        w, t = model.workers, model.programme_table
        prog = w.programme[placed].astype(np.intp)
        recent = (
            (prog < 0)
            & (w.last_programme[placed] >= 0)
            & (model.month - w.programme_end[placed] <= PLACEMENT_WINDOW_MONTHS)
        )
        prog = np.where(recent, w.last_programme[placed], prog)
        counts = np.bincount(prog[prog >= 0], minlength=t.n)
        for k, name in enumerate(t.names):
            model.flows[f"new_placements_{name}"] += int(counts[k])

    def _hire(self, model, idx: np.ndarray, sector: np.ndarray, formal: np.ndarray) -> None:
        w, mv = model.workers, model.moves
        from_state = mv.state0[idx]
        seeker = from_state != State.INFORMAL
        model.cohorts.placed(model.month, w.spell[idx[seeker]])
        model.flows["new_placements"] += int(seeker.sum())
        model.flows["new_placements_formal"] += int((seeker & formal).sum())
        model.flows["new_job_to_job"] += int((~seeker).sum())
        model.flows["new_hires_formal"] += int(formal.sum())
        model.flows["new_hires_informal"] += int((~formal).sum())
        model.flows["placement_spell_months"] += float(w.spell[idx[seeker]].sum())
        self._placements_by_programme(model, idx[seeker])
        w.sector[idx] = sector
        w.wage[idx] = wage_offer(
            self.sector_wage,
            self.informal_ratio,
            model.cfg.economy.hiring.skill_return,
            sector,
            w.skill[idx],
            formal,
        )
        w.last_job[idx] = np.where(formal, LastJob.FORMAL, LastJob.INFORMAL)
        w.spell[idx] = 0
        w.ui_left[idx] = 0
        mv.move(idx[formal], State.FORMAL)
        mv.move(idx[~formal], State.INFORMAL)
