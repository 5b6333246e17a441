"""Programme rules from practice (issue 10, part 3): what participation does to the clocks."""

from __future__ import annotations

from sim.model import LabourMarket
from sim.states import State

from .conftest import small


def test_scarring_clock_pauses_during_participation():
    """Scarring grows with months of idle search (``idle``). A month spent in a programme
    is not idle: for people in a programme through a whole month, ``idle`` does not tick,
    while it ticks for the unemployed outside programmes (so the check can fail)."""
    m = LabourMarket(small(size=6000, months=60))
    paused = ticked = 0
    for _ in range(60):
        w = m.workers
        before_prog, before_idle = w.programme.copy(), w.idle.copy()
        before_state = w.state.copy()
        m.step()
        stay = (before_prog >= 0) & (w.programme == before_prog)
        assert (w.idle[stay] == before_idle[stay]).all()
        paused += int(stay.sum())
        u = State.UNEMPLOYED
        idle = (before_state == u) & (w.state == u) & (before_prog < 0) & (w.programme < 0)
        idle &= w.spell > 0
        ticked += int((w.idle[idle] == before_idle[idle] + 1).sum())
    assert paused > 100 and ticked > 1000
