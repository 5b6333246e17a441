"""Financing of programmes: how many people can be in training this month.

Places are the smaller of the provider's free seats and what the money pays for, at
``training.cost_per_month`` per participant:

* integration: one pooled budget for benefits and programmes; programmes get what last
  month's benefits left of the pooled envelope (savings on benefits fund programmes);
* coordination: a separate ALMP budget, re-aligned at policy level every
  ``realign_months`` by adding ``realign_to_demand`` of the unmet demand (people left
  waiting) of the period just ended;
* cooperation: a separate budget capped per budget year with commitment accounting: a
  course's whole cost (``duration_months x cost_per_month``) is committed when it starts;
  when the year's cap is committed, nobody starts until the next year and waiting lists
  grow.
"""

from __future__ import annotations

import math

from ..states import State


class Financing:
    def __init__(self, model) -> None:
        self.year_committed = 0.0
        self.year_start = 0
        self.budget: float | None = None  # coordination: the current monthly ALMP budget
        self.waiting_sum = 0.0
        self.waiting_months = 0

    def places(self, model, demand: int) -> int:
        """Admissions allowed this month for ``demand`` people waiting (recorded in flows)."""
        cfg = model.cfg
        t, f = cfg.policy.training, cfg.regime.mechanisms.financing
        per_1000 = model.workers.n / 1000.0
        participants = int((model.workers.state == State.TRAINING).sum())
        seats = math.inf if t.seats_per_1000 == 0 else math.floor(t.seats_per_1000 * per_1000)
        room = max(0, seats - participants)
        if cfg.regime.financing == "cooperation":
            money = self._year_left(model, per_1000, f)
            course = t.duration_months * t.cost_per_month
            room = min(room, math.inf if course == 0 else math.floor(money / course))
        else:
            money = self._monthly(model, per_1000, f)
            if t.cost_per_month > 0:
                room = min(room, max(0, math.floor(money / t.cost_per_month) - participants))
        admitted = int(min(demand, room))
        if cfg.regime.financing == "cooperation":
            self.year_committed += admitted * t.duration_months * t.cost_per_month
        self.waiting_sum += demand - admitted
        self.waiting_months += 1
        model.flows["almp_money"] += money
        model.flows["n_seats"] += 0 if math.isinf(seats) else seats
        model.flows["new_rationed"] += demand - admitted
        return admitted

    def _monthly(self, model, per_1000: float, f) -> float:
        """Money per month for participants: pooled (integration) or re-aligned (coordination)."""
        if model.cfg.regime.financing == "integration":
            envelope = f.pooled_budget * per_1000
            return max(envelope - model.last_spend_benefits, 0.0)
        base, month = f.almp_budget * per_1000, model.month
        if self.budget is None:
            self.budget = base
        if month > 0 and month % f.realign_months == 0:
            unmet = self.waiting_sum / max(self.waiting_months, 1)
            self.budget = (
                base + f.realign_to_demand * unmet * model.cfg.policy.training.cost_per_month
            )
            self.waiting_sum, self.waiting_months = 0.0, 0
        return self.budget

    def _year_left(self, model, per_1000: float, f) -> float:
        """Cooperation: what is left of this budget year's cap to commit."""
        month = model.month
        if month - self.year_start >= f.year_months:
            self.year_start, self.year_committed = (
                month - (month - self.year_start) % f.year_months,
                0.0,
            )
        return max(f.almp_budget * per_1000 * f.year_months - self.year_committed, 0.0)
