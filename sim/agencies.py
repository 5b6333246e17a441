"""Institutions as Mesa agents: few objects with capacity, caseload, queue and budget.

Workers are arrays; institutions are real ``mesa.Agent`` s because there are few of them
and later policy regimes give them behaviour (queues, rationing, referrals). Each keeps the
month's tallies of clients, payments and costs; the recorder reads them into the outputs.
"""

from __future__ import annotations

from collections import defaultdict

import mesa


class Institution(mesa.Agent):
    """An institution that serves workers and spends money, tallied by month."""

    kind = "institution"

    def __init__(self, model: mesa.Model, name: str) -> None:
        super().__init__(model)
        self.name = name
        self.month: defaultdict[str, float] = defaultdict(float)
        self.total: defaultdict[str, float] = defaultdict(float)

    def begin_month(self) -> None:
        self.month.clear()

    def tally(self, key: str, amount: float) -> None:
        self.month[key] += float(amount)
        self.total[key] += float(amount)

    def spent(self) -> float:
        """Money spent this month (keys starting with 'spend_')."""
        return sum(v for k, v in self.month.items() if k.startswith("spend_"))


class BenefitAgency(Institution):
    """Pays contributory unemployment insurance and means-tested social assistance."""

    kind = "benefit_agency"


class EmploymentService(Institution):
    """Registers job seekers and refers them to programmes (intakes, referrals); its capacity
    is its counsellors, its caseload their clients (set each month by case management)."""

    kind = "employment_service"
    counsellors: float = 0.0
    clients: int = 0


class EmploymentOffice(Institution):
    """A regional office of the employment service: the counsellors posted in one region and
    the clients registered there (set each month by case management). Offices differ in
    caseload when staff are not spread the way job seekers are."""

    kind = "employment_office"

    def __init__(self, model: mesa.Model, name: str, region: int) -> None:
        super().__init__(model, name)
        self.region = region
        self.counsellors = 0.0
        self.clients = 0

    @property
    def caseload(self) -> float:
        return self.clients / self.counsellors if self.counsellors > 0 else 0.0


class TrainingProvider(Institution):
    """Runs programmes: intakes of referred people; its queue is the waiting list and its
    budget the money financing gives it this month (set each month by the regime layer)."""

    kind = "training_provider"
    waiting: int = 0
    money: float = 0.0
