"""Own-account work: the informal outside option with free entry (docs/model.md).

Own-account earnings fall as more people crowd in (La Porta and Shleifer 2014; the
own-account margin of Ulyssea 2018):

    y_oa = E D exp(rho skill) (n_oa / (r N))^(-kappa)

with ``n_oa`` own-account workers among ``N`` people aged 15+ not retired and ``r`` the
reference share. Every own-account worker earns the current ``y_oa`` (a market, not a wage
contract). An idle unemployed worker who found no job this month starts own-account work
with probability ``lambda max(0, 1 - z / y_oa)``, ``z`` the outside option (home production
plus any benefit being paid): benefits hold people in search, crowding holds them out, and
when formal hiring collapses the unemployed pile up and part of them flow into own-account
work, so informality rises in a downturn.
"""

from __future__ import annotations

import numpy as np

from ..process import Process
from ..states import LastJob, State


class OwnAccount(Process):
    name = "own_account"

    def step(self, model) -> None:
        if model.vacancy_stock is None:  # fixed-tightness mode: no own-account margin
            return
        w, mv, cfg = model.workers, model.moves, model.cfg
        oa = cfg.economy.own_account
        rho = cfg.economy.hiring.skill_return
        working = np.flatnonzero(w.own_account)
        base = earnings_base(model, working.size)
        w.wage[working] = (base * np.exp(rho * w.skill[working])).astype(np.float32)
        model.record["own_account_earnings"] = base
        if oa.entry <= 0:
            return
        u = model.uniform(self.name)
        cand = np.flatnonzero(u < oa.entry)  # thinning: the draw first, then the state
        cand = cand[(mv.state0[cand] == State.UNEMPLOYED) & ~mv.moved[cand]]
        cand = cand[w.idle[cand] >= 1]
        y = base * np.exp(rho * w.skill[cand])
        benefit = np.where(
            (w.ui_left[cand] > 0) & (w.sanctioned_until[cand] <= model.month),
            w.ui_amount[cand],
            0.0,
        )
        z = model.valuation.outside_option(benefit)
        p = oa.entry * np.maximum(0.0, 1.0 - z / np.maximum(y, 1e-9))
        start = cand[u[cand] < p]
        w.own_account[start] = True
        w.wage[start] = y[u[cand] < p].astype(np.float32)
        w.last_job[start] = LastJob.INFORMAL
        w.spell[start] = 0
        w.idle[start] = 0
        w.ui_left[start] = 0
        mv.move(start, State.INFORMAL)
        model.flows["new_own_account_starts"] += start.size


def earnings_base(model, n_oa: int | None = None) -> float:
    """Own-account earnings at skill 0 this month: ``E D (share / r)^(-kappa)``, the crowding
    factor capped at 10 when almost nobody is own-account (``n_oa``: their number, if
    known)."""
    w, eco = model.workers, model.cfg.economy
    oa = eco.own_account
    if n_oa is None:
        n_oa = int(np.count_nonzero(w.own_account))
    active = w.n - int(np.count_nonzero(model.moves.was(State.RETIRED)))
    share = n_oa / max(active, 1)
    crowd = min((max(share, 1e-9) / max(oa.reference_share, 1e-9)) ** (-oa.crowding), 10.0)
    return oa.earnings * eco.demand_index * crowd


def earnings(model, idx: np.ndarray) -> np.ndarray:
    """Own-account earnings of workers ``idx`` this month."""
    rho = model.cfg.economy.hiring.skill_return
    return (earnings_base(model) * np.exp(rho * model.workers.skill[idx])).astype(np.float32)
