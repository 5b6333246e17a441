"""The vacancy stock of the free-entry labour market (docs/model.md, "Labour demand").

Each open vacancy has a sector, a formality and a skill requirement, and remembers the month
it was posted. Every month, before matching:

1. open vacancies are withdrawn with probability ``vacancy_expiry``;
2. firms post new vacancies in each (sector, formality) cell. The expected value of a new
   vacancy is ``Pi = F J / (1 - beta (1 - delta) (1 - F))``: it is filled in a month with
   probability ``F`` (meetings x acceptance), is then worth ``J`` (the mean value of the
   jobs filled), and otherwise waits unless it expires. Posting costs are convex, so the
   flow of new vacancies is ``n = N_ref (Pi / c)^eps`` (``c`` the marginal cost at the
   reference flow ``N_ref``): firms post until the marginal posting cost
   ``c (n / N_ref)^(1/eps)`` equals ``Pi`` (free entry; Pissarides 2000, ch. 1; convex
   creation costs as in Fujita and Ramey 2007). ``eps`` to infinity is textbook free entry.
   ``c`` is ``creation_cost`` months of the cell's output at skill 0: the cost of creating
   a job (equipping it and recruiting), sunk once the vacancy is posted, so it does not enter
   the wage bargain.
3. Firms' ``F`` and ``J`` are expectations: exponentially weighted means of what the last
   months' vacancies of the cell achieved (``expectation_weight``). In a steady state they
   are right on average; ``realised`` keeps, by posting month, the discounted value each
   vacancy actually delivered so that a test can check it.
"""

from __future__ import annotations

import numpy as np

from ..states import State
from .wages import JobValuation


class VacancyBook:
    """The vacancies open this month, sorted by (sector, formality), with lookup offsets."""

    __slots__ = (
        "by_sector",
        "cell_count",
        "cell_start",
        "formal",
        "formal_index",
        "n",
        "posted",
        "requirement",
        "sector",
        "start",
    )

    def __init__(
        self,
        sector: np.ndarray,
        formal: np.ndarray,
        requirement: np.ndarray,
        counts: np.ndarray,
        posted: np.ndarray | None = None,
    ) -> None:
        self.n = sector.size
        self.sector, self.formal, self.requirement = sector, formal, requirement
        self.posted = np.zeros(self.n, np.int16) if posted is None else posted
        self.cell_count = counts.ravel()  # cell 2 s + f
        self.cell_start = np.concatenate([[0], np.cumsum(self.cell_count)[:-1]])
        self.by_sector = counts.sum(axis=1)
        self.start = np.concatenate([[0], np.cumsum(self.by_sector)[:-1]])
        self.formal_index = np.flatnonzero(formal)


class VacancyStock:
    """Open vacancies carried from month to month, and firms' expectations per cell."""

    def __init__(self, model) -> None:
        cfg = model.cfg
        n_sectors = len(cfg.economy.sectors)
        self.n_cells = 2 * n_sectors
        self.sector = np.zeros(0, np.int8)
        self.formal = np.zeros(0, np.bool_)
        self.requirement = np.zeros(0, np.float32)
        self.posted = np.zeros(0, np.int16)
        months = cfg.run.months
        self.expected = np.zeros(months)  # sum of Pi over the vacancies posted each month
        self.n_posted = np.zeros(months, np.int64)
        self.realised = np.zeros(months)  # discounted J delivered, by posting month
        self.setup(model)
        self.fill, self.value = self._initial_expectations(model)
        # start near the stock these expectations sustain: inflow / (expiry + fill)
        flow = self._new_flow()
        leave = self.fill + self.delta - self.fill * self.delta
        start = np.floor(flow / np.maximum(leave, 1e-9)).astype(np.int64)
        rng = model.streams.setup("vacancies")
        self._add(rng, start, month=0)

    def setup(self, model) -> None:
        """Parameter tables (again after a reform)."""
        cfg = model.cfg
        ld, h = cfg.economy.labour_demand, cfg.economy.hiring
        sectors = list(cfg.economy.sectors.values())
        self.valuation = JobValuation(cfg)
        model.valuation = self.valuation
        self.delta, self.beta, self.eps = ld.vacancy_expiry, ld.discount, ld.posting_elasticity
        self.omega = ld.expectation_weight
        share = np.array([s.vacancy_share for s in sectors], dtype=float)
        formal = np.array([s.formal_vacancy_share for s in sectors], dtype=float)
        cells = np.stack([share * (1 - formal), share * formal], axis=1).ravel()  # 2 s + f
        total = cells.sum()
        per_1000 = ld.posting_scale * cfg.population.size / 1000.0
        self.reference_flow = cells / total * per_1000 if total > 0 else cells
        # marginal creation cost by cell, in months of the cell's output at skill 0
        v = self.valuation
        self.cost = np.stack([v.creation_cost * v.informal_ratio, v.creation_cost], 1).ravel()
        req = np.array([s.skill_requirement for s in sectors], dtype=float)
        self.mean_requirement = np.stack([np.full(req.size, h.informal_requirement), req], 1)
        self.mean_requirement = self.mean_requirement.ravel()
        self.spread = h.requirement_spread

    def _initial_expectations(self, model) -> tuple[np.ndarray, np.ndarray]:
        """First-month guesses: half the vacancies filled a month, each job worth the mean
        value of hiring the current unemployed at a bargained wage (burn-in corrects both)."""
        w, v = model.workers, self.valuation
        idle = np.flatnonzero(w.state == State.UNEMPLOYED)
        if idle.size == 0:
            idle = np.arange(w.n)
        value = np.zeros(self.n_cells)
        theta = np.full(v.productivity.size, 0.3)
        for cell in range(self.n_cells):
            s, f = divmod(cell, 2)
            sector = np.full(idle.size, s, np.intp)
            formal = np.full(idle.size, bool(f))
            y = v.output(sector, w.skill[idle], formal)
            wage = v.wage(y, sector, formal, v.outside_option(np.zeros(idle.size)), theta)
            value[cell] = max(float(np.mean(v.value(y, wage, sector, formal))), 0.0)
        return np.full(self.n_cells, 0.5), value

    def expected_value(self) -> np.ndarray:
        """Expected present value of a new vacancy in each cell."""
        f = self.fill
        return f * self.value / (1.0 - self.beta * (1.0 - self.delta) * (1.0 - f))

    def _new_flow(self) -> np.ndarray:
        """New vacancies per cell where the marginal posting cost equals their value."""
        pi = self.expected_value()
        ratio = np.where(self.cost > 0, pi / np.maximum(self.cost, 1e-12), 0.0)
        return self.reference_flow * np.maximum(ratio, 0.0) ** self.eps

    def _add(self, rng: np.random.Generator, counts: np.ndarray, month: int) -> None:
        cell = np.repeat(np.arange(self.n_cells), counts)
        req = self.mean_requirement[cell] + self.spread * rng.standard_normal(cell.size)
        self.sector = np.concatenate([self.sector, (cell // 2).astype(np.int8)])
        self.formal = np.concatenate([self.formal, (cell % 2).astype(np.bool_)])
        self.requirement = np.concatenate(
            [self.requirement, np.clip(req, 0.0, 1.0).astype(np.float32)]
        )
        self.posted = np.concatenate([self.posted, np.full(cell.size, month, np.int16)])

    def step(self, model) -> VacancyBook:
        """Expire, post, and return this month's book of open vacancies."""
        rng = model.streams.generator("vacancies", model.month)
        n_open = self.sector.size
        keep = rng.random(n_open) >= self.delta
        model.flows["new_vacancies_expired"] += int(n_open - keep.sum())
        self._take(keep)
        flow = self._new_flow()
        counts = np.floor(flow + rng.random(self.n_cells)).astype(np.int64)
        pi = self.expected_value()
        self.expected[model.month] += float((counts * pi).sum())
        self.n_posted[model.month] += int(counts.sum())
        self._add(rng, counts, model.month)
        order = np.argsort(self.sector.astype(np.int64) * 2 + self.formal, kind="stable")
        self._take(order)
        cells = np.bincount(self.sector.astype(np.int64) * 2 + self.formal, minlength=self.n_cells)
        f = model.flows
        f["vacancies"] += int(counts.sum())
        f["vacancies_formal"] += int(counts[1::2].sum())
        model.flows_by_sector += counts.reshape(-1, 2).sum(axis=1)
        model.record["vacancy_value"] = (
            float((counts * pi).sum() / counts.sum()) if counts.sum() else 0.0
        )
        return VacancyBook(
            self.sector, self.formal, self.requirement, cells.reshape(-1, 2), self.posted
        )

    def _take(self, sel: np.ndarray) -> None:
        self.sector, self.formal = self.sector[sel], self.formal[sel]
        self.requirement, self.posted = self.requirement[sel], self.posted[sel]

    def filled(self, model, vac: np.ndarray, value: np.ndarray, pool) -> None:
        """Remove the vacancies ``vac`` (book positions) filled at job values ``value``;
        update expectations from this month's fill rates and job values. A cell that hired
        nobody learns instead from ``pool`` (the skills and outside options of this month's
        applicants), valued at its mean requirement, so that no cell's expectations freeze."""
        cell_all = self.sector.astype(np.int64) * 2 + self.formal
        open_ = np.bincount(cell_all, minlength=self.n_cells)
        cell = cell_all[vac]
        hires = np.bincount(cell, minlength=self.n_cells)
        total = np.bincount(cell, weights=value, minlength=self.n_cells)
        age = model.month - self.posted[vac].astype(np.int64)
        self.realised += np.bincount(
            self.posted[vac].astype(np.int64),
            weights=value * self.beta**age,
            minlength=self.realised.size,
        )[: self.realised.size]
        w = self.omega
        seen = open_ > 0
        self.fill[seen] = (1 - w) * self.fill[seen] + w * hires[seen] / open_[seen]
        got = hires > 0
        self.value[got] = (1 - w) * self.value[got] + w * total[got] / hires[got]
        for c in np.flatnonzero(~got):
            self.value[c] = (1 - w) * self.value[c] + w * self._shadow_value(model, c, pool)
        keep = np.ones(self.sector.size, bool)
        keep[vac] = False
        self._take(keep)
        model.flows["new_vacancies_filled"] += vac.size

    def _shadow_value(self, model, cell: int, pool) -> float:
        """Mean value of the jobs a vacancy of ``cell`` would fill from ``pool``: each
        applicant's job value weighted by the chance the employer accepts them."""
        skill, outside, log_weight = pool
        if skill.size == 0:
            return float(self.value[cell])
        v, h = self.valuation, model.cfg.economy.hiring
        s, f = divmod(cell, 2)
        sector = np.full(skill.size, s, np.intp)
        formal = np.full(skill.size, bool(f))
        y = v.output(sector, skill, formal)
        theta = model.sector_tightness
        wage = v.wage(y, sector, formal, outside, theta)
        value = v.value(y, wage, sector, formal)
        shortfall = np.maximum(self.mean_requirement[cell] - skill, 0.0)
        accept = np.minimum(np.exp(log_weight - h.mismatch_penalty * shortfall), 1.0)
        accept = accept * (value > 0)
        return float((accept * value).sum() / accept.sum()) if accept.sum() > 0 else 0.0
