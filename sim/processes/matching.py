"""Matching: job seekers meet vacancies, and employers decide whom to hire.

Free-entry mode (docs/model.md, "Matching"). Each active searcher targets a vacancy: one of
their own sector with probability ``search.own_sector`` (when it has one), else any open
vacancy; informal workers search on the job for formal vacancies only. The searchers
``S_s`` and vacancies ``V_s`` of each sector meet at the Cobb-Douglas rate
``M_s = min(mu S_s^eta V_s^(1-eta), S_s)`` (Petrongolo and Pissarides 2001; ``S_s`` in
efficiency units of search), so a searcher of intensity ``x`` meets with probability
``min(1, x M_s / S_s)`` and a vacancy meets ``M_s / V_s`` applicants on average
(several in a slack market: a month is long for a vacancy), and congestion is real on both
sides. A
meeting becomes a hire only if the employer accepts: with probability
``min(1, exp(log weight))`` (skill shortfall from the vacancy's requirement, missing
certification for a formal job, idle months, no experience; counselling and programme
bonuses raise it) and only if the job is worth having (``J > 0`` at the bargained wage).
A vacancy with several acceptable applicants hires one of them at random; a vacancy whose
applicants do not fit stays open. So more employable searchers raise hiring, not only
change who is hired, and displacement depends on how slack the market is.

Fixed-tightness mode (textbook checks): every applicant applies to one of this month's
vacancies, each vacancy hires one of its applicants by an exponential race on the same
hiring weights, and every vacancy with an applicant is filled.
"""

from __future__ import annotations

import numpy as np

from ..population import sector_wages, wage_offer
from ..process import Process
from ..states import LastJob, State
from .wages import subsidy_value

PLACEMENT_WINDOW_MONTHS = 12


class Matching(Process):
    name = "matching"

    def setup(self, model) -> None:
        self.sector_wage, self.informal_ratio = sector_wages(model.cfg)

    def step(self, model) -> None:
        vb, a = model.vacancies, model.applicants
        model.sector_tightness = np.zeros(len(model.cfg.economy.sectors))
        if model.vacancy_stock is not None:
            self._stock_step(model, vb, a)
            return
        if vb.n == 0 or a.size == 0:
            return
        target = self._targets(model, vb, a)
        valid = target >= 0
        a, target = a[valid], target[valid]
        race = model.uniform("matching.race")[a].astype(np.float64)
        v_formal = vb.formal[target]
        log_weight = self._log_weight(model, a, v_formal)
        log_weight -= model.cfg.economy.hiring.mismatch_penalty * np.maximum(
            vb.requirement[target] - model.workers.skill[a], 0.0
        )
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

    @staticmethod
    def _log_weight(model, a: np.ndarray, v_formal: np.ndarray) -> np.ndarray:
        """Log hiring weight of applicants ``a`` for vacancies of formality ``v_formal``,
        before the skill shortfall (which depends on the vacancy's own requirement)."""
        w, h = model.workers, model.cfg.economy.hiring
        log_weight = -h.scarring * w.idle[a].astype(np.float64)
        gain = model.cfg.policy.case_management.contact_match_gain
        if model.contacted.size and gain > 0:
            pos = np.minimum(np.searchsorted(model.contacted, a), model.contacted.size - 1)
            met = model.contacted[pos] == a
            log_weight += np.where(met, gain * model.contact_scale[pos], 0.0)
        # programmes: intermediation, and wage-subsidy vouchers for formal vacancies
        t, prog = model.programme_table, w.programme[a]
        log_weight += t.bonus_of[prog] * (~t.formal_only_bonus[prog] | v_formal)
        log_weight += w.network[a]  # contacts from a completed subsidised job
        if h.no_experience_penalty > 0:
            log_weight -= h.no_experience_penalty * (w.last_job[a] == LastJob.NONE)
        if h.certified_premium > 0:  # certification counts for formal jobs
            log_weight -= np.log1p(h.certified_premium) * (~w.certified[a] & v_formal)
        if model.treatment is not None:
            log_weight += model.treatment.hiring(a)
        return log_weight

    def _stock_step(self, model, vb, a: np.ndarray) -> None:
        """Free-entry mode: Cobb-Douglas meetings by sector, then employer acceptance."""
        w, cfg, stock = model.workers, model.cfg, model.vacancy_stock
        ld, f = cfg.economy.labour_demand, model.flows
        n_sectors = vb.by_sector.size
        pool_empty = (np.zeros(0), np.zeros(0), np.zeros(0))
        if vb.n == 0 or a.size == 0:
            stock.filled(model, np.zeros(0, np.intp), np.zeros(0), pool_empty)
            return
        target = self._targets(model, vb, a)
        valid = target >= 0
        a, target = a[valid], target[valid]
        draw = model.applicant_draw[valid]  # the search draw rescaled: uniform again
        intensity = model.applicant_intensity[valid]
        sector = vb.sector[target].astype(np.intp)
        # searchers in efficiency units: intensity-weighted
        searchers = np.bincount(sector, weights=intensity, minlength=n_sectors)
        open_ = vb.by_sector.astype(np.float64)
        eta = ld.matching_elasticity
        with np.errstate(divide="ignore", invalid="ignore"):
            meetings = ld.matching_efficiency * searchers**eta * open_ ** (1 - eta)
            meetings = np.minimum(meetings, searchers)
            rate = np.where(searchers > 0, meetings / searchers, 0.0)
            model.sector_tightness = np.where(searchers > 0, open_ / searchers, 0.0)
        met = draw < np.minimum(intensity * rate[sector], 1.0)
        a, target, sector = a[met], target[met], sector[met]
        f["new_meetings"] += a.size

        # the employer's decision: skill fit and the value of the job at the bargained wage
        v = stock.valuation
        v_formal = vb.formal[target]
        log_weight = self._log_weight(model, a, v_formal)
        skill = w.skill[a].astype(np.float64)
        shortfall = np.maximum(vb.requirement[target] - skill, 0.0)
        accept_p = np.minimum(
            np.exp(log_weight - cfg.economy.hiring.mismatch_penalty * shortfall), 1.0
        )
        on_job = model.moves.state0[a] == State.INFORMAL
        benefit = np.where(
            (w.ui_left[a] > 0) & (w.sanctioned_until[a] <= model.month), w.ui_amount[a], 0.0
        )
        outside = np.where(on_job, w.wage[a], v.outside_option(benefit, w.ui_left[a]))
        y = v.output(sector, skill, v_formal)
        wage = v.wage(y, sector, v_formal, outside, model.sector_tightness)
        t, prog = model.programme_table, w.programme[a].astype(np.intp)
        voucher = (prog >= 0) & t.wage_subsidy[prog] & v_formal
        subsidy = np.zeros(a.size)
        if voucher.any():
            k = prog[voucher]
            subsidy[voucher] = subsidy_value(
                v.beta,
                v.separation[1, sector[voucher]],
                t.subsidy_rate[k],
                t.subsidy_months[k],
                wage[voucher],
            )
        value = v.value(y, wage, sector, v_formal, subsidy)
        u = model.uniform("matching.race")[a].astype(np.float64)
        ok = (u < accept_p) & (value > 0)
        f["new_rejections"] += int(a.size - ok.sum())
        pool = (skill, outside, log_weight)
        cand, vac = np.flatnonzero(ok), target[ok]
        if cand.size == 0:
            stock.filled(model, np.zeros(0, np.intp), np.zeros(0), pool)
            return
        # among a vacancy's acceptable applicants, one at random (the rescaled draw)
        key = u[cand] / np.maximum(accept_p[cand], 1e-300)
        order = np.lexsort((key, vac))
        first = order[np.r_[True, vac[order][1:] != vac[order][:-1]]]
        win = cand[first]
        hired, vac = a[win], target[win]
        self._hire(model, hired, vb.sector[vac], vb.formal[vac], wage[win].astype(np.float32))
        stock.filled(model, vac, value[win], pool)

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
        graduates = np.bincount(prog[recent], minlength=t.n)  # completers, after completing
        for k, name in enumerate(t.names):
            model.flows[f"new_placements_{name}"] += int(counts[k])
            model.flows[f"new_graduate_placements_{name}"] += int(graduates[k])

    def _hire(
        self,
        model,
        idx: np.ndarray,
        sector: np.ndarray,
        formal: np.ndarray,
        wage: np.ndarray | None = None,
    ) -> None:
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
        if wage is None:  # fixed-tightness mode: the sector's posted wage for the skill
            wage = wage_offer(
                self.sector_wage,
                self.informal_ratio,
                model.cfg.economy.hiring.skill_return,
                sector,
                w.skill[idx],
                formal,
            )
        w.wage[idx] = wage
        w.last_job[idx] = np.where(formal, LastJob.FORMAL, LastJob.INFORMAL)
        w.own_account[idx] = False
        w.spell[idx] = 0
        w.idle[idx] = 0
        w.network[idx] = 0.0  # the contacts have served: the new job is found
        w.ui_left[idx] = 0
        mv.move(idx[formal], State.FORMAL)
        mv.move(idx[~formal], State.INFORMAL)
