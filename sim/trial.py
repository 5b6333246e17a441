"""An in-model randomised trial of one programme (``python -m sim.evaluate``).

The evidence on ALMPs is stated as randomised or quasi-experimental contrasts between
people offered a programme and comparable people who were not (Card, Kluve and Weber
2018). The trial runs inside the model, so everything else (the labour market, benefits,
other programmes, the regime) runs as usual:

* **Assignment.** Among the people the regime refers to the programme during the enrolment
  window, a random ``control_share`` (one draw per worker slot and month, so common random
  numbers hold) is barred from it for the rest of that spell: the referral is not made, and
  the person is not referred to it again while the spell lasts (they may be referred to
  another programme, as controls of real trials are). The others go on as referred and
  may wait for a place. Each person is assigned once, at their first referral in the
  window (after the referral cap: a referral is an offer of a place the service expects).
  The contrast is the effect of the offer (intention to treat): some of the offered never
  start.
* **Follow-up.** Each assigned person's employment, formality, earnings and benefits are
  recorded at the end of months 1 to ``horizon`` after the month of assignment; a person
  whose slot is taken by an entrant (a death) leaves the sample from then on.
* **The world without the programme** (``closed``): from the start of the window every
  referral to the programme is barred, so nobody takes part, while the same referral
  process still identifies who would have been referred, as many a month as the trial
  world referred (``quota``: its own referral cap would see an empty programme and refer
  more); their outcomes are the reference for displacement (the controls with the
  programme against the referred without it).

Outcomes are kept as sums and sums of squares by (months since assignment, arm, cell),
with cells the life stage at assignment, sex and long-term unemployment at assignment (12
or more idle months), so memory does not grow with the follow-up.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .states import LIFE_STAGE_NAMES, SEX_NAMES, State, life_stage

OUTCOMES = (
    "employed",
    "formal",
    "earnings",
    "benefit_receipt",
    "benefits",
    "in_programme",
    "other_programme",
)
TREATED, CONTROL = 0, 1
LTU_MONTHS = 12
N_CELLS = len(LIFE_STAGE_NAMES) * len(SEX_NAMES) * 2
NONE = -1


@dataclass
class TrialDesign:
    """What the trial evaluates, and how: validated by ``sim.analysis.evaluate``."""

    programme: int  # index in the programme table
    control_share: float
    start: int  # first month of enrolment
    end: int  # enrolment stops before this month
    horizon: int  # months of follow-up
    closed: bool = False  # the world without the programme
    #: the world without the programme: referrals to it per month in the trial world, so
    #: that it identifies as many people a month (None: its own referral cap decides)
    quota: tuple[int, ...] | None = None


class Trial:
    """The trial's state: bars on controls, the assigned persons and their outcome sums."""

    def __init__(self, design: TrialDesign, n_slots: int) -> None:
        self.design = design
        self.assigned = np.zeros(n_slots, dtype=np.bool_)  # ever assigned (once per person)
        self.bar_month = np.full(n_slots, NONE, dtype=np.int32)  # month a bar began
        self.bar_clock = np.zeros(n_slots, dtype=np.int32)  # spell clock then
        self.slot = np.zeros(0, dtype=np.int64)  # assigned persons, in order of assignment
        self.month = np.zeros(0, dtype=np.int32)
        self.arm = np.zeros(0, dtype=np.int8)
        self.cell = np.zeros(0, dtype=np.int8)
        self.alive = np.zeros(0, dtype=np.bool_)
        self.started = np.zeros(0, dtype=np.bool_)  # has started the programme since
        size = design.horizon * 2 * N_CELLS
        self.n = np.zeros(size, dtype=np.int64)
        self.sums = np.zeros((len(OUTCOMES), size))
        self.squares = np.zeros((len(OUTCOMES), size))
        self.referrals = np.zeros(0, dtype=np.int64)  # referrals to it, by month

    # ------------------------------------------------------------ referral hook
    def _clock(self, model, idx: np.ndarray) -> np.ndarray:
        """The spell a bar lasts for: the job-seeking spell, or for a programme serving
        informal workers the spell in informal work."""
        w = model.workers
        if model.programme_table.informal_target[self.design.programme]:
            return w.months_in_state[idx].astype(np.int32)
        return w.spell[idx].astype(np.int32)

    def closes(self, model, k: int) -> bool:
        """Whether programme ``k`` admits nobody this month (the world without it)."""
        d = self.design
        return d.closed and k == d.programme and model.month >= d.start

    def cap(self, model, cap: np.ndarray) -> np.ndarray:
        """The referral cap of this month, with the world without the programme held to
        the trial world's referrals to it (``quota``) from the start of enrolment."""
        d, month = self.design, model.month
        if not d.closed or d.quota is None or month < d.start:
            return cap
        cap = cap.copy()
        cap[d.programme] = d.quota[month] if month < len(d.quota) else 0
        return cap

    def refer(self, model, idx: np.ndarray, chosen: np.ndarray) -> np.ndarray:
        """Assign this month's new referrals to the programme (``idx`` referred to
        ``chosen``) and return which referrals go ahead."""
        d, month = self.design, model.month
        mine = chosen == d.programme
        if self.referrals.size <= month:
            self.referrals = np.pad(self.referrals, (0, month + 1 - self.referrals.size))
        self.referrals[month] += int(mine.sum())
        if not mine.any():
            return np.ones(idx.size, dtype=np.bool_)
        go = np.ones(idx.size, dtype=np.bool_)
        who = idx[mine]
        since = self.bar_month[who]
        clock = self._clock(model, who)
        stop = (since != NONE) & (clock == self.bar_clock[who] + (month - since))
        if d.start <= month < d.end:
            new = ~stop & ~self.assigned[who]
            people = who[new]
            share = 1.0 if d.closed else d.control_share
            control = model.uniform("trial.assignment")[people] < share
            self._enrol(model, people, control)
            barred_now = people[control]
            self.bar_month[barred_now] = month
            self.bar_clock[barred_now] = clock[new][control]
            stop[np.flatnonzero(new)[control]] = True
        if d.closed and month >= d.start:
            stop[:] = True  # nobody takes part in the world without the programme
        go[np.flatnonzero(mine)[stop]] = False
        return go

    def _enrol(self, model, people: np.ndarray, control: np.ndarray) -> None:
        w = model.workers
        self.assigned[people] = True
        stage = life_stage(w.age[people]).astype(np.int64)
        ltu = (w.idle[people] >= LTU_MONTHS).astype(np.int64)
        cell = (stage * len(SEX_NAMES) + w.sex[people]) * 2 + ltu
        self.slot = np.concatenate([self.slot, people.astype(np.int64)])
        self.month = np.concatenate([self.month, np.full(people.size, model.month, np.int32)])
        self.arm = np.concatenate([self.arm, np.where(control, CONTROL, TREATED).astype(np.int8)])
        self.cell = np.concatenate([self.cell, cell.astype(np.int8)])
        self.alive = np.concatenate([self.alive, np.ones(people.size, np.bool_)])
        self.started = np.concatenate([self.started, np.zeros(people.size, np.bool_)])

    # ------------------------------------------------------------ follow-up
    def end_month(self, model) -> None:
        """Record the month's outcomes of everyone followed (call after all processes)."""
        d, w, month = self.design, model.workers, model.month
        entrants = getattr(model, "entrants", None)
        if entrants is not None and entrants.size:
            self.assigned[entrants] = False
            self.bar_month[entrants] = NONE
            self.alive[np.isin(self.slot, entrants)] = False
        if self.slot.size == 0:
            return
        h = month - self.month
        follow = np.flatnonzero(self.alive & (h >= 1) & (h <= d.horizon))
        in_prog = w.programme == d.programme
        self.started[self.alive & (h <= d.horizon) & in_prog[self.slot]] = True
        if follow.size == 0:
            return
        s = self.slot[follow]
        state = w.state[s]
        employed = (state == State.FORMAL) | (state == State.INFORMAL)
        ui = np.zeros(w.n)
        paid = model.ui_paid
        ui[paid] = w.ui_amount[paid]
        hh = w.household[s]
        sa = model.sa_top_up[hh] / model.households.persons[hh]
        benefits = ui[s] + sa
        values = np.stack(
            [
                employed,
                state == State.FORMAL,
                np.where(employed, w.wage[s], 0.0),
                benefits > 0,
                benefits,
                in_prog[s],
                (w.programme[s] != NONE) & ~in_prog[s],  # substitution into other programmes
            ]
        ).astype(np.float64)
        index = ((h[follow] - 1) * 2 + self.arm[follow]) * N_CELLS + self.cell[follow]
        size = self.n.size
        self.n += np.bincount(index, minlength=size)
        for k in range(len(OUTCOMES)):
            self.sums[k] += np.bincount(index, weights=values[k], minlength=size)
            self.squares[k] += np.bincount(index, weights=values[k] ** 2, minlength=size)

    def totals(self) -> dict[str, np.ndarray]:
        """The accumulated sums, shaped (horizon, arm, cell) and (outcome, horizon, arm,
        cell), for pooling across replicates."""
        shape = (self.design.horizon, 2, N_CELLS)
        return {
            "n": self.n.reshape(shape),
            "sums": self.sums.reshape((len(OUTCOMES), *shape)),
            "squares": self.squares.reshape((len(OUTCOMES), *shape)),
            "assigned": np.bincount(self.arm, minlength=2),
            "started": np.bincount(self.arm[self.started], minlength=2),
        }
