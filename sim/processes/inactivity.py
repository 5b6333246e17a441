"""Inactivity entry and exit: care, discouragement after long spells, disability; and the
outreach of a single point of contact, which orients discouraged people back to registration.

Entry hazards compete for the same worker through one draw (cumulative thresholds), so the
probabilities are exactly those configured. All hazards are small, so only workers whose
draw falls below the largest possible hazard are examined (thinning: same result, a
fraction of the work).
"""

from __future__ import annotations

import numpy as np

from ..policy.casework import ORIENTED
from ..process import Process
from ..states import LABOUR_FORCE, InactiveReason, State


class Inactivity(Process):
    name = "inactivity"

    def step(self, model) -> None:
        w, mv, p = model.workers, model.moves, model.cfg.economy.inactivity
        cm = model.cfg.policy.case_management
        outreach = cm.outreach if cm.enabled else 0.0
        u = model.uniform(self.name)
        entry_max = p.care_entry + p.disability_onset + p.discouraged_entry
        exit_max = max(p.care_exit, p.discouraged_exit + outreach, p.disability_exit)
        cand = np.flatnonzero(u < max(entry_max, exit_max))
        cand = cand[~mv.moved[cand]]
        s0, uc = mv.state0[cand], u[cand]

        act = LABOUR_FORCE[s0]
        a_idx, ua = cand[act], uc[act]
        p_care = np.where(w.carer[a_idx], p.care_entry, 0.0)
        p_dis = p_care + np.where(w.disabled[a_idx], 0.0, p.disability_onset)
        long_spell = (s0[act] == State.UNEMPLOYED) & (w.idle[a_idx] >= p.discouraged_after)
        p_disc = p_dis + np.where(long_spell, p.discouraged_entry, 0.0)
        care = ua < p_care
        dis = ~care & (ua < p_dis)
        disc = ~care & ~dis & (ua < p_disc)
        for mask, reason, key in (
            (care, InactiveReason.CARE, "care"),
            (dis, InactiveReason.DISABILITY, "disability"),
            (disc, InactiveReason.DISCOURAGED, "discouraged"),
        ):
            idx = a_idx[mask]
            w.inactive_reason[idx] = reason
            w.ui_left[idx] = 0
            mv.move(idx, State.INACTIVE)
            model.flows[f"new_inactive_{key}"] += idx.size
        w.disabled[a_idx[dis]] = True

        ina = s0 == State.INACTIVE
        i_idx = cand[ina]
        reason = w.inactive_reason[i_idx]
        exit_p = np.select(
            [
                reason == InactiveReason.CARE,
                reason == InactiveReason.DISCOURAGED,
                reason == InactiveReason.DISABILITY,
            ],
            [p.care_exit, p.discouraged_exit + outreach, p.disability_exit],
            0.0,
        )
        returns = uc[ina] < exit_p
        back = i_idx[returns]
        # outreach of a single point of contact: the extra returners come back oriented to
        # the employment service and register at their next intake
        oriented = (
            returns & (reason == InactiveReason.DISCOURAGED) & (uc[ina] >= p.discouraged_exit)
        )
        w.registered[i_idx[oriented]] = ORIENTED
        model.flows["new_outreach_returns"] += int(oriented.sum())
        w.inactive_reason[back] = InactiveReason.NONE
        w.spell[back] = 0
        mv.move(back, State.UNEMPLOYED)
        model.flows["new_reactivations"] += back.size
