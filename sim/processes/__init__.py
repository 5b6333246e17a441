"""Monthly processes and the one order they run in.

``LOOP_ORDER`` is the documented sequence of a month. Transition processes come first and
decide from the start-of-month snapshot; where two could move the same worker, the earlier
one wins. Income and poverty are computed after all moves, on the month's final states.
"""

from __future__ import annotations

from ..policy.casework import CaseManagement, Monitoring
from ..policy.programmes import Programmes
from ..policy.referrals import Referrals
from ..process import Process
from .clock import Clock
from .demography import Demography
from .formality import Formality
from .inactivity import Inactivity
from .income import HouseholdIncome, UnemploymentInsurance
from .matching import Matching
from .own_account import OwnAccount
from .search import JobSearch
from .separations import Separations
from .vacancies import Vacancies

LOOP_ORDER: tuple[type[Process], ...] = (
    Demography,  # deaths and entrants, retirement, school leaving
    Separations,  # job losses by sector and formality
    CaseManagement,  # registration, profiling, counsellor meetings, action plans
    JobSearch,  # who applies this month (effort, lock-in, on-the-job search)
    Monitoring,  # job-search obligations: strikes and benefit sanctions
    Vacancies,  # vacancy stock: expiry, then new vacancies by free entry on a match's value
    Matching,  # searchers meet vacancies (matching function); employers accept or reject
    OwnAccount,  # own-account earnings under crowding; idle job seekers may start one
    Formality,  # informal jobs formalise, formal jobs informalise
    Inactivity,  # care, disability, discouragement; returns to search
    Programmes,  # participation: dropout, completion and its effects, wage subsidies
    Referrals,  # regime layer: eligibility route, delivery pipeline, waiting list, admission
    UnemploymentInsurance,  # entitlement on job loss; monthly payments
    HouseholdIncome,  # wages, contributions, pensions, social assistance, poverty
    Clock,  # ageing, durations, contribution record
)

__all__ = ["LOOP_ORDER", "Process"]
