"""Households: the unit poverty is measured on.

Worker slots belong to a household for life; a slot freed by a death is taken by a new
entrant of the same household (a child reaching working age), so household size and the
child count stay stationary. Children under 15 are counted, not simulated.
"""

from __future__ import annotations

import numpy as np

from .states import household_type


class Households:
    __slots__ = (
        "adults",
        "children",
        "claiming",
        "equivalence",
        "kind",
        "n",
        "persons",
        "takeup_draw",
    )

    def __init__(self, adults: np.ndarray, children: np.ndarray, takeup_draw: np.ndarray) -> None:
        self.n = adults.size
        self.adults = adults.astype(np.int16)
        self.children = children.astype(np.int16)
        self.persons = (self.adults + self.children).astype(np.float64)
        self.takeup_draw = takeup_draw.astype(np.float32)  # persistent: hassle and stigma
        self.claiming = np.zeros(self.n, dtype=np.bool_)  # social assistance claimed
        self.equivalence = np.ones(self.n)
        self.kind = household_type(self.adults, self.children)  # fixed: slots stay for life

    def set_scale(self, adult_weight: float, child_weight: float) -> None:
        """Equivalence scale (OECD-modified by default: 1 + 0.5 per further adult + 0.3/child)."""
        self.equivalence = 1.0 + adult_weight * (self.adults - 1) + child_weight * self.children

    def nbytes(self) -> int:
        return sum(getattr(self, s).nbytes for s in self.__slots__ if s != "n")
