"""An individual-level employability gain, for in-model experiments on displacement.

The displacement experiment (``python -m sim.analysis.statics --only displacement``) treats a
random share of workers and compares with an untreated world drawn from the same seed
(Crépon et al. 2013 randomise the same way, across labour markets). The gain acts through
the model's own channels, so its effect on the untreated is an equilibrium outcome:

* ``hiring_gain``: added to the treated applicant's log hiring weight, as counselling and
  intermediation do (the employer accepts them more often, and prefers them);
* ``effort_gain``: proportional extra search effort (more meetings, and more congestion
  for others in the matching function);
* a skill gain is applied to ``workers.skill`` directly, since it also raises output.
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

    def hiring(self, idx: np.ndarray) -> np.ndarray:
        """Log hiring-weight gain of workers ``idx``."""
        return self.hiring_gain * self.treated[idx]

    def effort(self, idx: np.ndarray) -> np.ndarray:
        """Search-effort multiplier of workers ``idx``."""
        return 1.0 + self.effort_gain * self.treated[idx]
