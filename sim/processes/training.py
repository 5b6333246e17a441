"""The baseline training programme: referral, course, dropout, completion.

The employment service refers unemployed workers whose spell has reached
``min_spell_months``; the provider runs the course for ``duration_months`` at
``cost_per_month``; completers gain skill and may be certified and return to search (their
spell continues). While enrolled, search effort is lower (lock-in, in ``search``).
"""

from __future__ import annotations

import numpy as np

from ..states import State
from .base import Process


class Training(Process):
    name = "training"

    def step(self, model) -> None:
        w, mv, t = model.workers, model.moves, model.cfg.policy.training
        u = model.uniform(self.name)
        enrolled = np.flatnonzero(mv.free(State.TRAINING))
        drop = u[enrolled] < t.dropout
        w.training_left[enrolled] -= 1
        done = ~drop & (w.training_left[enrolled] <= 0)
        completers, dropouts = enrolled[done], enrolled[drop]
        if completers.size:
            w.skill[completers] = np.minimum(1.0, w.skill[completers] + t.skill_gain)
            # the completers' draws are uniform on [dropout, 1): rescaled, they decide
            # certification without another stream
            rescaled = (u[completers] - t.dropout) / max(1.0 - t.dropout, 1e-12)
            cert = rescaled < t.certification
            w.certified[completers[cert]] = True
        w.training_left[dropouts] = 0
        mv.move(completers, State.UNEMPLOYED)
        mv.move(dropouts, State.UNEMPLOYED)
        model.flows["new_training_completions"] += completers.size
        model.flows["new_training_dropouts"] += dropouts.size

        if t.enabled:
            eligible = mv.free(State.UNEMPLOYED) & (w.spell >= t.min_spell_months)
            starts = np.flatnonzero(eligible & (u < t.referral))
            cap = model.training_provider.seats
            if cap:
                room = max(cap - int((w.state == State.TRAINING).sum()), 0)
                starts = starts[:room]
            w.training_left[starts] = t.duration_months
            mv.move(starts, State.TRAINING)
            model.flows["new_training_starts"] += starts.size
            model.employment_service.tally("referrals", starts.size)
            model.employment_service.tally(
                "spend_admin_referrals", starts.size * model.cfg.policy.admin.cost_per_referral
            )
