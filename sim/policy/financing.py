"""Financing of programmes: how many people can start each programme this month.

A participant costs ``cost_per_month + stipend`` a month. Places in a programme are the
smallest of the people waiting, its free seats and what the money pays for; programmes
draw on the money in order of priority:

* integration: one pooled budget for benefits and programmes; programmes get what last
  month's benefits left of the pooled envelope (savings on benefits fund programmes);
* coordination: a separate ALMP budget, re-aligned at policy level every
  ``realign_months`` by adding ``realign_to_demand`` of the unmet demand (people left
  waiting, costed at the average participant) of the period just ended;
* cooperation: a separate budget capped per budget year with commitment accounting: a
  course's whole cost is committed when it starts; when the year's cap is committed,
  nobody starts until the next year and waiting lists grow.

The money available for new starts in a month is what the budget leaves after the running
cost of everyone already taking part.
"""

from __future__ import annotations

import math

import numpy as np


class Financing:
    def __init__(self) -> None:
        self.year_start = 0
        self.year_committed = 0.0
        self.budget: float | None = None  # coordination: the current monthly ALMP budget
        self.unmet_sum, self.unmet_months = 0.0, 0
        self.money_left = 0.0

    def begin_month(self, model, participants: np.ndarray) -> None:
        """Set this month's money; ``participants`` per programme (running costs)."""
        t = model.programme_table
        unit = t.cost_per_month + t.stipend
        running = float((participants * unit).sum())
        f = model.cfg.regime.mechanisms.financing
        per_1000 = model.workers.n / 1000.0
        degree = model.cfg.regime.financing
        if degree == "cooperation":
            self._new_year(model.month, f.year_months)
            money = max(f.almp_budget * per_1000 * f.year_months - self.year_committed, 0.0)
            self.money_left = money
        else:
            money = self._monthly(model, per_1000, f, unit, participants)
            self.money_left = max(money - running, 0.0)
        self.unmet = 0
        model.flows["almp_money"] += money

    def places(self, model, k: int, demand: int, participants: int) -> int:
        """Starts allowed in programme ``k`` for ``demand`` people waiting."""
        t = model.programme_table
        per_1000 = model.workers.n / 1000.0
        seats = t.seats_per_1000[k]
        room = math.inf if seats == 0 else max(0, math.floor(seats * per_1000) - participants)
        unit = t.cost_per_month[k] + t.stipend[k]
        if model.cfg.regime.financing == "cooperation":
            unit *= t.duration_months[k]  # commit the whole course
        by_money = math.inf if unit == 0 else math.floor(self.money_left / unit + 1e-9)
        admitted = int(min(demand, room, by_money))
        self.money_left -= admitted * unit
        if model.cfg.regime.financing == "cooperation":
            self.year_committed += admitted * unit
        self.unmet += demand - admitted
        model.flows["new_rationed"] += demand - admitted
        model.flows["n_seats"] += 0 if math.isinf(room) else math.floor(seats * per_1000)
        return admitted

    def end_month(self, model) -> None:
        self.unmet_sum += self.unmet
        self.unmet_months += 1

    def _monthly(self, model, per_1000, f, unit, participants) -> float:
        if model.cfg.regime.financing == "integration":
            envelope = f.pooled_budget * per_1000
            return max(envelope - model.last_spend_benefits, 0.0)
        base, month = f.almp_budget * per_1000, model.month
        if self.budget is None:
            self.budget = base
        if month > 0 and month % f.realign_months == 0:
            unmet = self.unmet_sum / max(self.unmet_months, 1)
            mean_unit = float(unit.mean()) if unit.size else 0.0
            self.budget = base + f.realign_to_demand * unmet * mean_unit
            self.unmet_sum, self.unmet_months = 0.0, 0
        return self.budget

    def _new_year(self, month: int, year_months: int) -> None:
        if month - self.year_start >= year_months:
            self.year_start = month - (month - self.year_start) % year_months
            self.year_committed = 0.0
