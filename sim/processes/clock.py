"""End of month: everyone ages, durations tick, the contribution record shifts."""

from __future__ import annotations

import numpy as np

from ..process import Process
from ..states import JOB_SEEKER, State


class Clock(Process):
    name = "clock"

    def step(self, model) -> None:
        w = model.workers
        if model.cfg.population.demography.enabled:
            w.age += 1
        w.months_in_state += 1
        state = w.state
        seeking = JOB_SEEKER[state]
        w.spell += seeking
        w.spell[~seeking] = 0
        w.contrib <<= np.uint64(1)
        w.contrib |= (state == State.FORMAL).astype(np.uint64)
        voluntary = model.voluntary[w.state[model.voluntary] == State.INFORMAL]
        w.contrib[voluntary] |= np.uint64(1)  # the contribution staircase
