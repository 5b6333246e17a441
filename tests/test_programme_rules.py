"""Programme rules from practice (issue 10, part 3): what participation does to the clocks."""

from __future__ import annotations

import numpy as np

from sim.model import LabourMarket
from sim.policy.referrals import Referrals
from sim.processes.matching import Matching
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


def _repeat_starts(cfg, months: int, window: int = 6) -> tuple[int, int, int]:
    """Run ``cfg`` and count, with a tracker of its own (not the model's flags), programme
    starts (unemployed-target programmes) by people who already started the same programme
    in the same job-seeking spell, starts within ``window`` months of the person's last
    participation ending, and all starts."""
    m = LabourMarket(cfg)
    w, t = m.workers, m.programme_table
    n = w.n
    last_start = np.full((n, t.n), -10_000)
    last_end = np.full(n, -10_000)
    same_spell = soon = starts = 0
    for month in range(months):
        prog0, spell0 = w.programme.copy(), w.spell.copy().astype(int)
        m.step()
        new = np.flatnonzero((w.programme >= 0) & (w.programme != prog0))
        new = new[~t.informal_target[w.programme[new]]]
        # a start this month in the spell that began at month - spell0 (earlier starts in
        # the same spell are later than its first month)
        k = w.programme[new].astype(np.intp)
        same_spell += int((last_start[new, k] > month - spell0[new]).sum())
        soon += int((month - last_end[new] < window).sum())
        starts += new.size
        last_start[new, k] = month
        ended = np.flatnonzero((prog0 >= 0) & (w.programme != prog0))
        last_end[ended] = month
    return same_spell, soon, starts


def test_once_per_spell_holds_and_repeats_happen_without_it():
    """With ``once_per_spell`` nobody starts the same programme twice in one spell;
    without it (and no cooldown) people do, so the check can fail."""
    base = ("policy.participation.cooldown_months=0",)
    once = small(*base, "policy.participation.once_per_spell=true", size=8000, months=72)
    free = small(*base, "policy.participation.once_per_spell=false", size=8000, months=72)
    same, _, starts = _repeat_starts(once, 72)
    assert starts > 300 and same == 0
    same_free, _, _ = _repeat_starts(free, 72)
    assert same_free > 20


def test_cooldown_holds_between_participations():
    """With a 6-month cooldown and no once-per-spell rule, nobody starts within 6 months of
    the end of their last participation; with no cooldown some do."""
    rules = ("policy.participation.once_per_spell=false",)
    cfg = small(*rules, "policy.participation.cooldown_months=6", size=8000, months=72)
    _, soon, starts = _repeat_starts(cfg, 72, window=6)
    assert starts > 300 and soon == 0
    free = small(*rules, "policy.participation.cooldown_months=0", size=8000, months=72)
    _, soon_free, _ = _repeat_starts(free, 72, window=6)
    assert soon_free > 10


def test_spell_criterion_reads_the_paused_clock():
    """A programme's minimum spell counts months of search outside programmes (``idle``),
    not the calendar spell: 20 months of spell with 0 outside programmes do not qualify."""
    m = LabourMarket(small(size=3000, months=12))
    m.step()
    w, t = m.workers, m.programme_table
    k = t.names.index("vocational")
    pool = np.flatnonzero((w.state == State.UNEMPLOYED) & (w.programme < 0))
    pool = pool[(w.age[pool] // 12 >= t.min_age[k]) & (w.age[pool] // 12 <= t.max_age[k])]
    pool = pool[w.skill[pool] <= t.max_skill[k]]
    assert pool.size > 10
    w.spell[pool] = 20
    w.idle[pool] = 0
    assert not Referrals._criteria(m, k, pool).any()
    w.idle[pool] = int(t.min_spell_months[k])
    assert Referrals._criteria(m, k, pool).all()


def test_completed_subsidised_job_leaves_a_network():
    """A wage-subsidy job that lasts the whole subsidy leaves its worker the programme's
    ``network_bonus``, which enters the hiring weight; nobody else has one."""
    cfg = small(size=10000, months=72)
    m = LabourMarket(cfg)
    bonus = cfg.policy.programmes["wage_subsidy"].network_bonus
    assert bonus > 0
    seen = 0
    for _ in range(72):
        m.step()
        net = m.workers.network
        assert np.isin(net[net > 0], np.float32(bonus)).all()
        seen = max(seen, int((net > 0).sum()))
    assert seen > 5
    w = m.workers
    a = np.flatnonzero(w.network > 0)[:5]
    with_net = Matching._log_weight(m, a, np.ones(a.size, bool))
    w.network[a] = 0.0
    without = Matching._log_weight(m, a, np.ones(a.size, bool))
    assert np.allclose(with_net - without, bonus, atol=1e-6)


def test_completion_forgives_part_of_the_idle_months():
    """``completion_signal`` of a completer's idle-search months stop counting (scarring,
    discouragement): with 0.5, a completer who returns to search has at most half the
    idle months they had when they started, plus the month's tick; with 0, the months are
    kept (the clock only paused)."""
    for signal in (0.5, 0.0):
        m = LabourMarket(small(f"policy.participation.completion_signal={signal}", size=6000))
        start_idle = np.zeros(m.workers.n, np.int64)
        checked = kept = 0
        for _ in range(48):
            w = m.workers
            before = w.programme.copy()
            m.step()
            started = (before < 0) & (w.programme >= 0)
            start_idle[started] = w.idle[started]
            done = (before >= 0) & (w.programme < 0) & (w.programme_end == m.month)
            done &= w.state == State.UNEMPLOYED
            done &= start_idle >= 4
            limit = np.floor(start_idle[done] * (1 - signal)) + 1
            assert (w.idle[done] <= limit).all()
            checked += int(done.sum())
            kept += int((w.idle[done] >= start_idle[done]).sum())
        assert checked > 20
        if signal == 0.0:
            assert kept == checked  # nothing forgiven: the months are all there
