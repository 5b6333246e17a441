"""The training programme's courses: progress, dropout, completion.

Who starts a course is decided by the regime layer (``sim.policy.referrals``). The provider
runs the course for ``duration_months`` at ``cost_per_month``; completers gain skill, may
be certified, and return to search (their spell continues). While enrolled, search effort
is lower (lock-in, in ``search``).
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
