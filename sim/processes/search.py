"""Job search: who searches actively this month, and how hard.

Search effort ``e`` (docs/model.md, "Search") is in efficiency units: a worker searches
actively in a month with probability ``min(e, 1)`` (not searching is what monitoring calls
non-compliance) and, when active, with intensity ``max(e, 1)`` (more applications), so the
expected search is ``e``:

    e = e0 exp(-d idle) (1 - psi RR min(L, H) / H) lock_in (1 + contact) (1 + threat) (1 + post)

* ``idle``: months of idle search in the spell (programme months do not discourage);
* ``RR``: the unemployment benefit being paid over the last wage, ``L`` the months of
  entitlement left: moral hazard, fading over the last ``H`` months before exhaustion, so
  exit rates rise as exhaustion nears (Card, Chetty and Weber 2007). A suspended benefit
  pays nothing, so a sanction removes this term;
* ``lock_in``: programme participants search less (or more, for job-search assistance);
* ``contact``: a counsellor meeting this month;
* ``threat``: a client with an action plan is monitored and searches harder (ex-ante effect
  of sanctions); ``post``: a sanctioned client searches harder while the sanction runs
  (ex-post effect; Abbring, van den Berg and van Ours 2005; Lalive, van Ours and
  Zweimueller 2005).

Informal workers search on the job for formal vacancies only. The draw that decides an
active month, rescaled, is kept (``model.applicant_draw``) for the meeting in matching.
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
            e *= np.exp(-s.discouragement * w.idle[seekers]).astype(np.float32)
        e *= benefit_factor(model, seekers)
        if model.treatment is not None:
            e *= model.treatment.effort(seekers).astype(np.float32)
        # programme participants search less while they take part (lock-in)
        e *= model.programme_table.lock_in_of[w.programme[seekers]]
        gain = model.cfg.policy.case_management.contact_effort_gain
        if model.contacted.size and gain > 0:
            pos = np.searchsorted(model.contacted, seekers)
            pos = np.minimum(pos, model.contacted.size - 1)
            met = model.contacted[pos] == seekers
            e[met] *= 1.0 + gain * model.contact_scale[pos[met]]
        if model.cfg.policy.case_management.enabled:
            if s.monitoring_threat > 0:
                e[w.iap[seekers]] *= 1.0 + s.monitoring_threat
            if s.post_sanction > 0:
                e[w.sanctioned_until[seekers] > model.month] *= 1.0 + s.post_sanction
        # on-the-job search: informal workers whose draw is below their effort (thinned)
        on_job = np.flatnonzero(u < s.effort_informal)
        on_job = on_job[(mv.state0[on_job] == State.INFORMAL) & ~mv.moved[on_job]]
        p_active = np.minimum(e, 1.0)
        active = u[seekers] < p_active
        applicants = np.concatenate([seekers[active], on_job])
        p = np.concatenate([p_active[active], np.full(on_job.size, s.effort_informal)])
        order = np.argsort(applicants, kind="stable")
        model.applicants = applicants[order]
        model.applicant_draw = (u[model.applicants] / np.maximum(p[order], 1e-12)).astype(
            np.float64
        )
        # effort beyond 1 is intensity: more applications in an active month
        intensity = np.concatenate([np.maximum(e[active], 1.0), np.ones(on_job.size)])
        model.applicant_intensity = intensity[order].astype(np.float64)
        model.applicant_formal_only = mv.state0[model.applicants] == State.INFORMAL
        model.flows["applicants"] += applicants.size


def benefit_factor(model, idx: np.ndarray) -> np.ndarray:
    """``1 - psi RR min(L, H) / H`` for workers ``idx`` (1 for those paid no benefit)."""
    w, s = model.workers, model.cfg.economy.search
    out = np.ones(idx.size, dtype=np.float32)
    if s.benefit_response <= 0:
        return out
    paid = (w.ui_left[idx] > 0) & (w.sanctioned_until[idx] <= model.month)
    k = idx[paid]
    rr = np.minimum(w.ui_amount[k] / np.maximum(w.wage[k], 1.0), 1.0)
    horizon = np.minimum(w.ui_left[k], s.exhaustion_horizon) / s.exhaustion_horizon
    out[paid] = 1.0 - s.benefit_response * rr * horizon
    return out
