"""Financing of programmes: how many people can start each programme this month.

A participant costs ``cost_per_month + stipend`` a month. Places in a programme are the
smallest of the people waiting, its free seats and what the money pays for; programmes
draw on the money in order of priority:

* integration: one pooled budget for benefits and programmes; programmes get what last
  month's benefits left of the pooled envelope (savings on benefits fund programmes). By
  default the envelope is matched: the ALMP budget (re-aligned as coordination's) plus the
  benefit bill budgeted for the year (last year's mean), so pooling changes how money
  moves, not how much there is;
* coordination: a separate ALMP budget, re-aligned at policy level every
  ``realign_months`` by adding ``realign_to_demand`` of the unmet demand of the period just
  ended: the flow of people refused a month where money, not seats, held starts back (not
  referred for want of an expected place, or arrived and not admitted; each counted once
  until they move), each costed at an average course; not the waiting stock, and not
  demand that more money could not serve;
* cooperation: a separate budget capped per budget year with commitment accounting: a
  course's whole cost is committed when it starts; when the year's cap is committed,
  nobody starts until the next year and waiting lists grow.

The money available for new starts in a month is what the budget leaves after the running
cost of everyone already taking part.

With ``regime.equal_envelope`` the ALMP money is instead what the baseline world's total
spending leaves after this run's other spending (``sim.policy.envelope``), paid by the
same three rules: monthly (integration), re-aligned per period (coordination) or capped
per year (cooperation); and seats grow with the money.
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
        self.benefit_bills: list[float] = []  # integration, matched: benefit bills so far
        self.benefit_base: float | None = None  # the benefit bill budgeted for the year
        self.seat_scale = 1.0  # equal envelope: seats grow with the money
        self.year_cap: float | None = None  # equal envelope, cooperation: this year's cap

    def begin_month(self, model, participants: np.ndarray) -> None:
        """Set this month's money; ``participants`` per programme (running costs)."""
        t = model.programme_table
        unit = t.cost_per_month + t.stipend
        running = float((participants * unit).sum())
        f = model.cfg.regime.mechanisms.financing
        per_1000 = model.workers.n / 1000.0
        degree = model.cfg.regime.financing
        if model.envelope is not None:
            money = self._enveloped(model, per_1000, f, degree)
            self.money_left = max(money - running, 0.0) if degree != "cooperation" else money
        elif degree == "cooperation":
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
        seats = t.seats_per_1000[k] * self.seat_scale
        room = math.inf if seats == 0 else max(0, math.floor(seats * per_1000) - participants)
        unit = t.cost_per_month[k] + t.stipend[k]
        if model.cfg.regime.financing == "cooperation":
            unit *= t.duration_months[k]  # commit the whole course
        by_money = math.inf if unit == 0 else math.floor(self.money_left / unit + 1e-9)
        admitted = int(min(demand, room, by_money))
        self.by_money = by_money < min(demand, room)  # money, not seats, held starts back
        self.money_left -= admitted * unit
        if model.cfg.regime.financing == "cooperation":
            self.year_committed += admitted * unit
        model.flows["new_rationed"] += demand - admitted
        model.flows["n_seats"] += 0 if math.isinf(room) else math.floor(seats * per_1000)
        return admitted

    def refuse(self, n: int) -> None:
        """Record ``n`` people refused this month for want of money: the unmet demand
        coordination re-aligns to."""
        self.unmet += n

    def end_month(self, model) -> None:
        self.unmet_sum += self.unmet
        self.unmet_months += 1

    def _monthly(self, model, per_1000, f, unit, participants) -> float:
        budget = self._almp_budget(model, per_1000, f, unit)
        model.flows["almp_budget"] += budget
        if model.cfg.regime.financing == "integration":
            return max(self._envelope(model, per_1000, f, budget) - model.last_spend_benefits, 0.0)
        return budget

    def _enveloped(self, model, per_1000, f, degree) -> float:
        """Equal envelope: this month's ALMP money by the financing degree's rule, from the
        residual the baseline's spending leaves; sets the seat scale."""
        env = model.envelope
        left = env.residual(model)
        month = model.month
        if degree == "integration":
            monthly = money = left
        elif degree == "coordination":
            if self.budget is None or (month > 0 and month % f.realign_months == 0):
                self.budget = env.period_mean(f.realign_months)
            monthly = money = self.budget
        else:
            if self.year_cap is None or month - self.year_start >= f.year_months:
                self._new_year(month, f.year_months)
                self.year_cap = env.period_mean(f.year_months) * f.year_months
            monthly = self.year_cap / f.year_months
            money = max(self.year_cap - self.year_committed, 0.0)
        model.flows["almp_budget"] += monthly
        model.flows["envelope"] += float(env.target[min(month, env.target.size - 1)])
        self.seat_scale = max(1.0, monthly / max(f.almp_budget * per_1000, 1e-9))
        return money

    def _almp_budget(self, model, per_1000, f, unit) -> float:
        """The ALMP budget this month: the base, re-aligned every ``realign_months`` to the
        demand refused for money. Coordination's separate budget; under integration, the
        ALMP part of the matched envelope, so both degrees hold the same money."""
        base, month = f.almp_budget * per_1000, model.month
        if self.budget is None:
            self.budget = base
        if month > 0 and month % f.realign_months == 0:
            # people refused a month, each costing a course (monthly cost x duration) spread
            # over its months: in steady state that many more starts a month cost this much
            unmet = self.unmet_sum / max(self.unmet_months, 1)
            t = model.programme_table
            course = float((unit * t.duration_months).mean()) if unit.size else 0.0
            self.budget = base + f.realign_to_demand * unmet * course
            self.unmet_sum, self.unmet_months = 0.0, 0
        return self.budget

    def _envelope(self, model, per_1000: float, f, budget: float) -> float:
        """The pooled envelope this month. ``matched``: the ALMP budget (``budget``,
        re-aligned as coordination's is) plus the benefit bill budgeted for the year, which
        is last budget year's mean (the mean so far in the first year). So pooling holds
        the same money as separate budgets in expectation: what benefits spend below the
        budgeted bill funds programmes, and what they spend above it is taken from them."""
        if f.pooled_envelope == "fixed":
            return f.pooled_budget * per_1000
        month = model.month
        if month > 0:
            self.benefit_bills.append(model.last_spend_benefits)
        year = f.realign_months
        if month > 0 and month % year == 0:
            self.benefit_base = float(np.mean(self.benefit_bills[-year:]))
            self.benefit_bills = self.benefit_bills[-year:]
        base = self.benefit_base
        if base is None:  # the first budget year: the bill so far
            base = float(np.mean(self.benefit_bills)) if self.benefit_bills else 0.0
        return budget + base

    def _new_year(self, month: int, year_months: int) -> None:
        if month - self.year_start >= year_months:
            self.year_start = month - (month - self.year_start) % year_months
            self.year_committed = 0.0
