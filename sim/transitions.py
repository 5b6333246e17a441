"""The month's moves: the only code that writes a worker's ``state``.

Every process decides transitions from the start-of-month snapshot (``state0``) and applies
them through ``Moves.move``. A worker moves at most once a month; when two hazards fire for
the same worker, the process earlier in ``LOOP_ORDER`` wins (competing risks resolved by
order). Each move is logged with the worker's group at the start of the month so that the
transitions table and the in/out flows are counted from the moves themselves, not from a
diff of stocks: the stock-flow identity test then has something to catch.
"""

from __future__ import annotations

import numpy as np

from .states import ENTRY, EXIT, FLOW_NAMES, LAST_JOB_NAMES, LIFE_STAGE_NAMES, N_STATES, SEX_NAMES
from .states import life_stage as _life_stage
from .workers import Workers

N_FLOW = len(FLOW_NAMES)
N_GROUPS = len(LIFE_STAGE_NAMES) * len(SEX_NAMES) * len(LAST_JOB_NAMES)
N_CELLS = N_FLOW * N_FLOW * N_GROUPS


class Moves:
    """Start-of-month snapshot (state, spell, group) and the log of this month's moves."""

    def __init__(self, workers: Workers) -> None:
        self.w = workers
        self.state0 = np.empty(workers.n, dtype=np.int8)
        self.moved = np.zeros(workers.n, dtype=np.bool_)
        self.group0 = np.empty(workers.n, dtype=np.intp)  # intp: bincount needs no cast
        self.spell0 = np.empty(workers.n, dtype=workers.spell.dtype)
        self._masks: dict[int, np.ndarray] = {}
        self._log: list[tuple[np.ndarray, np.ndarray, int]] = []

    def begin(self) -> None:
        """Snapshot the start-of-month state and groups."""
        w = self.w
        np.copyto(self.state0, w.state)
        np.copyto(self.spell0, w.spell)
        self.moved[:] = False
        stage = _life_stage(w.age)
        self.group0[:] = (stage * len(SEX_NAMES) + w.sex) * len(LAST_JOB_NAMES) + w.last_job
        self._masks.clear()
        self._log.clear()

    def was(self, state: int) -> np.ndarray:
        """Mask of workers whose start-of-month state is ``state`` (cached; do not modify)."""
        m = self._masks.get(state)
        if m is None:
            m = self.state0 == state
            self._masks[state] = m
        return m

    def free(self, state: int) -> np.ndarray:
        """Mask of workers in ``state`` at the start of the month who have not moved yet."""
        return self.was(state) & ~self.moved

    def move(self, idx: np.ndarray, to: int, *, from_: np.ndarray | None = None) -> None:
        """Move workers ``idx`` to state ``to`` (their first and only move this month)."""
        if idx.size == 0:
            return
        w = self.w
        src = self.state0[idx] if from_ is None else from_
        self._log.append((idx, src.astype(np.int8), to))
        w.state[idx] = to
        w.months_in_state[idx] = 0
        self.moved[idx] = True

    def replace(self, idx: np.ndarray) -> None:
        """Log a death (state -> exit) and its replacement entrant (entry -> current state)."""
        if idx.size == 0:
            return
        self._log.append((idx, self.state0[idx].astype(np.int8), EXIT))
        self._log.append((idx, np.full(idx.size, ENTRY, np.int8), (-1)))

    def counts(self) -> np.ndarray:
        """Counts of this month's moves by (from, to, group): shape (N_FLOW, N_FLOW, N_GROUPS)."""
        codes = []
        for idx, src, to in self._log:
            dst = self.w.state[idx].astype(np.int64) if to < 0 else np.int64(to)
            codes.append((src.astype(np.int64) * N_FLOW + dst) * N_GROUPS + self.group0[idx])
        if not codes:
            return np.zeros((N_FLOW, N_FLOW, N_GROUPS), dtype=np.int64)
        flat = np.bincount(np.concatenate(codes), minlength=N_CELLS)
        return flat.reshape(N_FLOW, N_FLOW, N_GROUPS)


def in_out(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inflows to and outflows from each real state, from a month's move counts."""
    by = counts.sum(axis=2)
    inflow = by[:, :N_STATES].sum(axis=0) - np.diag(by)[:N_STATES]
    outflow = by[:N_STATES, :].sum(axis=1) - np.diag(by)[:N_STATES]
    return inflow, outflow
