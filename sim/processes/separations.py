"""Separations: employed workers lose their jobs at hazards by sector and formality."""

from __future__ import annotations

import numpy as np

from ..process import Process
from ..states import State


class Separations(Process):
    name = "separations"

    def setup(self, model) -> None:
        sectors = model.cfg.economy.sectors.values()
        # hazard[formality, sector]: row 0 formal, row 1 informal (State values 0 and 1)
        self.hazard = np.array(
            [[s.separation_formal for s in sectors], [s.separation_informal for s in sectors]],
            dtype=np.float32,
        )

    def step(self, model) -> None:
        w, mv = model.workers, model.moves
        u = model.uniform(self.name)
        for st in (State.FORMAL, State.INFORMAL):
            hit = mv.free(st) & (
                u < self.hazard[st][w.sector] * model.cfg.economy.separation_multiplier
            )
            idx = np.flatnonzero(hit)
            w.spell[idx] = 0
            mv.move(idx, State.UNEMPLOYED)
            model.flows["new_separations"] += idx.size
            model.flows[f"new_separations_{st.name.lower()}"] += idx.size
