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
        w.spell *= seeking
        # idle search: unemployed and in no programme (participants are few: unmark them);
        # reset with the spell
        idle = state == State.UNEMPLOYED
        idle[np.flatnonzero(w.programme >= 0)] = False
        w.idle += idle
        w.idle *= seeking
        # once per spell: a new spell starts with a clean slate; the spell table reads the
        # history of the spells that end here
        w.denied &= ~model.moves.moved  # a move (a job, a job loss, ...) is a new situation
        ending = np.flatnonzero(~seeking & (w.spell_kinds != 0))
        model.ended_spell_kinds = (ending, w.spell_kinds[ending])
        w.spell_kinds *= seeking
        w.own_account &= state == State.INFORMAL
        model.n_own_account = int(np.count_nonzero(w.own_account))
        ld = model.cfg.economy.labour_demand
        if ld.mode == "free_entry" and ld.tenure_return > 0 and model.month % 12 == 11:
            # returns to tenure in formal jobs, paid as an annual step (firm-specific capital)
            grows = (state == State.FORMAL) & (w.months_in_state >= 12)
            grows &= w.months_in_state <= 12 * ld.tenure_cap_years
            w.wage[grows] *= np.float32(np.exp(ld.tenure_return))
        w.contrib <<= np.uint64(1)
        w.contrib |= (state == State.FORMAL).astype(np.uint64)
        voluntary = model.voluntary[w.state[model.voluntary] == State.INFORMAL]
        w.contrib[voluntary] |= np.uint64(1)  # the contribution staircase
