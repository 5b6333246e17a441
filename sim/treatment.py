"""An individual-level employability gain, for in-model experiments on displacement.

The displacement experiment (``python -m sim.analysis.statics --only displacement``) treats a
random share of workers and compares with an untreated world drawn from the same seed
(Crépon et al. 2013 randomise the same way, across labour markets). The gain acts through
the model's own channels, so its effect on the untreated is an equilibrium outcome:

* ``hiring_gain``: added to the treated applicant's log hiring weight, as counselling and
  intermediation do (the employer accepts them more often);
* ``effort_gain``: proportional extra search effort (more meetings, and more congestion
  for others in the matching function);
* ``skill_gain``: added to ``workers.skill`` (capped at 1), so it also raises output and
  the job's value.

Treatment belongs to worker slots: an entrant who takes a treated slot after a death is
treated too (deaths and entrants do not depend on policy, so both worlds see the same ones),
and so the treated stay a random share (10% by default) of the population throughout a long run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Treatment:
    """Who is treated (a boolean per worker slot) and by how much."""

    treated: np.ndarray
    hiring_gain: float = 0.0
    effort_gain: float = 0.0
    skill_gain: float = 0.0

    def give_skill(self, workers, idx: np.ndarray | None = None) -> None:
        """Add the skill gain to the treated among ``idx`` (all slots when None)."""
        if self.skill_gain == 0:
            return
        sel = np.flatnonzero(self.treated) if idx is None else idx[self.treated[idx]]
        workers.skill[sel] = np.minimum(1.0, workers.skill[sel] + self.skill_gain).astype(
            workers.skill.dtype
        )

    def hiring(self, idx: np.ndarray) -> np.ndarray:
        """Log hiring-weight gain of workers ``idx``."""
        return self.hiring_gain * self.treated[idx]

    def effort(self, idx: np.ndarray) -> np.ndarray:
        """Search-effort multiplier of workers ``idx``."""
        return 1.0 + self.effort_gain * self.treated[idx]
