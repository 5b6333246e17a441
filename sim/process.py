"""The small life cycle every monthly process shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from .model import LabourMarket


class Process:
    """A monthly mechanism: ``setup`` once, then ``step`` each month.

    ``step`` reads the start-of-month snapshot from ``model.moves``, draws from its own
    named stream (``model.uniform(self.name)``: one draw per worker slot), applies moves and
    adds its flows to ``model.flows``.
    """

    name: ClassVar[str] = "process"

    def setup(self, model: LabourMarket) -> None:
        """Precompute tables from the parameters (called once, and after a reform)."""

    def step(self, model: LabourMarket) -> None:
        raise NotImplementedError
