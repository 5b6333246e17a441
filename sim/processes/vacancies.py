"""Labour demand: the vacancies open this month, by sector, formality and skill requirement.

Two modes (``economy.labour_demand.mode``):

* ``free_entry`` (default): a persistent stock (``sim.processes.vacancy_stock``). Open
  vacancies expire at a rate; firms post new ones each month until the expected value of a
  vacancy equals the marginal posting cost (free entry with convex posting costs); matching
  fills some and the rest wait.
* ``fixed_tightness`` (textbook checks): firms post ``tightness x demand_index`` vacancies per
  active applicant, split across sectors and formality by the sectors' vacancy shares, and
  unfilled vacancies lapse at the end of the month.
"""

from __future__ import annotations

import numpy as np

from ..process import Process
from .vacancy_stock import VacancyStock


class Vacancies(Process):
    name = "vacancies"

    def setup(self, model) -> None:
        sectors = list(model.cfg.economy.sectors.values())
        share = np.array([s.vacancy_share for s in sectors], dtype=float)
        formal = np.array([s.formal_vacancy_share for s in sectors], dtype=float)
        cells = np.stack([share * (1 - formal), share * formal], axis=1).ravel()  # (sector, formal)
        total = cells.sum()
        self.cell_p = cells / total if total > 0 else cells
        self.requirement = np.array([s.skill_requirement for s in sectors], dtype=float)
        self.fixed = model.cfg.economy.labour_demand.mode == "fixed_tightness"
        if self.fixed:
            model.vacancy_stock = None
        elif getattr(model, "vacancy_stock", None) is None:
            model.vacancy_stock = VacancyStock(model)
        else:  # a reform: same stock, new parameters
            model.vacancy_stock.setup(model)

    def step(self, model) -> None:
        if not self.fixed:
            model.vacancies = model.vacancy_stock.step(model)
            return
        eco = model.cfg.economy
        rng = model.streams.generator(self.name, model.month)
        expected = eco.tightness * eco.demand_index * model.applicants.size
        n = int(np.floor(expected + rng.random())) if self.cell_p.sum() > 0 else 0
        counts = rng.multinomial(n, self.cell_p) if n else np.zeros(self.cell_p.size, np.int64)
        cell = np.repeat(np.arange(counts.size), counts)  # sorted by (sector, formal)
        sector = (cell // 2).astype(np.int8)
        formal = (cell % 2).astype(np.bool_)
        h = eco.hiring
        mean_req = np.where(formal, self.requirement[sector], h.informal_requirement)
        req = np.clip(mean_req + h.requirement_spread * rng.standard_normal(n), 0.0, 1.0)
        model.vacancies = VacancyBook(sector, formal, req.astype(np.float32), counts.reshape(-1, 2))
        model.flows["vacancies"] += n
        model.flows["vacancies_formal"] += int(formal.sum())
        model.flows_by_sector += counts.reshape(-1, 2).sum(axis=1)


class VacancyBook:
    """This month's vacancies, sorted by (sector, formality), with lookup offsets."""

    __slots__ = ("by_sector", "formal", "formal_index", "n", "requirement", "sector", "start")

    def __init__(
        self, sector: np.ndarray, formal: np.ndarray, requirement: np.ndarray, counts: np.ndarray
    ) -> None:
        self.n = sector.size
        self.sector, self.formal, self.requirement = sector, formal, requirement
        self.by_sector = counts.sum(axis=1)
        self.start = np.concatenate([[0], np.cumsum(self.by_sector)[:-1]])
        self.formal_index = np.flatnonzero(formal)
