"""Case management by the employment service (policy brief, section 2).

``CaseManagement`` runs before job search each month:

* **registration and intake**: once a job seeker has been unemployed for a month, benefit
  claimants open a case (they must register to claim) and others do with probability
  ``registration``; each intake is a needs assessment that sets a **profiling** score of the
  risk of long-term unemployment, by one of three methods (Campbell 2017): *statistical*
  (the true risk index plus a small error), *caseworker* (a larger error) or *rules* (age and
  spell only). The true risk index is the client's hiring disadvantage in this economy
  (skill shortfall against the average formal requirement, months unemployed, no
  experience), the same terms vacancies weigh when they hire.
* **counsellor meetings**: contact intensity is continuous. Each office's counsellors hold
  ``contacts_per_counsellor`` meetings a month, spread over the clients who see a
  counsellor; the ``high_risk_share`` profiled most at risk get ``high_risk_intensity``
  times the meetings of others, nobody more than ``max_meetings`` (``rules.meeting_intensity``).
  Each meeting raises search effort and the hiring weight of that month's applications
  (intermediation), a further one ``meeting_returns`` times the one before
  (``rules.meeting_dose``); the first agrees an individual action plan with mutual
  obligations. With ``multi_channel``, the digitally literate who are not high-risk choose
  online self-service or a counsellor by their need and by how often the office's
  counsellors saw clients last month (``rules.online_choice``); online, they use the service
  with ``online_contact`` a month, at ``online_cost``, with ``online_effect`` of a meeting.

``Monitoring`` runs after job search: a client with an action plan who met a counsellor
and did not search gets a strike; ``sanction_after`` consecutive strikes suspend the
benefit for ``sanction_months`` (``rules.next_strikes``).
"""

from __future__ import annotations

import numpy as np

from ..process import Process
from ..states import JOB_SEEKER, LastJob, State, life_stage
from . import rules

# case status (``registered``); ORIENTED: brought back by outreach, registers at next intake
UNDECIDED, OPEN, NO_CASE, ORIENTED = 0, 1, 2, 3


def risk_index(model, idx: np.ndarray) -> np.ndarray:
    """Hiring disadvantage of workers ``idx``: minus their log hiring weight for an average
    formal vacancy (0 = no disadvantage)."""
    w, h = model.workers, model.cfg.economy.hiring
    sectors = model.cfg.economy.sectors.values()
    requirement = float(np.mean([s.skill_requirement for s in sectors]))
    shortfall = np.maximum(requirement - w.skill[idx], 0.0)
    never = w.last_job[idx] == LastJob.NONE
    return (
        h.mismatch_penalty * shortfall + h.scarring * w.idle[idx] + h.no_experience_penalty * never
    ).astype(np.float32)


def meetings_per_counsellor(model) -> float:
    """Client meetings a counsellor holds in a month: ``contacts_per_counsellor``, divided
    by ``1 + case_time`` under integrated delivery, where one case covers benefits and
    employment and so each meeting takes longer (the single window's price in staff)."""
    regime = model.cfg.regime
    contacts = model.cfg.policy.case_management.contacts_per_counsellor
    if regime.delivery == "integration":
        contacts /= 1.0 + regime.mechanisms.delivery.integration.case_time
    return contacts


class CaseManagement(Process):
    name = "casework"

    def step(self, model) -> None:
        w, mv, cfg = model.workers, model.moves, model.cfg
        cm = cfg.policy.case_management
        model.contacted = np.zeros(0, dtype=np.intp)
        model.contact_scale = np.zeros(0)
        model.contacted_had_plan = np.zeros(0, dtype=bool)
        # cases close when the job-seeking spell ends (unemployment, training, public works)
        closed = (w.registered != UNDECIDED) & ~JOB_SEEKER[w.state]
        w.registered[closed] = UNDECIDED
        w.iap[closed] = False
        w.strikes[closed] = 0
        if not cm.enabled:
            return
        u = model.uniform(self.name)
        by_draw = self._register(model, u)
        # the registration draw serves the contact draw: claimants did not use it, and for
        # those who registered by the draw, rescaled, it is uniform again
        if by_draw.size:
            u[by_draw] = u[by_draw] / max(cm.registration, 1e-12)
        clients = np.flatnonzero(mv.free(State.UNEMPLOYED) & (w.registered == OPEN))
        region = w.region[clients].astype(np.intp)
        counsellors = self._staff(model, region)  # by regional office
        contacts = meetings_per_counsellor(model)  # fewer when one case does it all
        capacity = counsellors * contacts
        high = self._high_risk(model, clients, region)
        online = self._choose_online(model, clients, region, high)
        n_regions = counsellors.size
        n_high = np.bincount(region[high], minlength=n_regions)
        n_low = np.bincount(region[~high & ~online], minlength=n_regions)
        low_rate, high_rate = rules.meeting_intensity(
            n_low, n_high, capacity, cm.high_risk_intensity, cm.max_meetings
        )
        self.intensity = low_rate  # meetings a client choosing a counsellor can expect
        rate = np.where(high, high_rate[region], np.where(online, 0.0, low_rate[region]))
        meetings = rules.meetings_held(rate, u[clients])
        seen = np.where(online, u[clients] < cm.online_contact, meetings > 0)
        met = clients[seen]
        dose = rules.meeting_dose(meetings, cm.meeting_returns)
        model.contacted = met
        model.contact_scale = np.where(online, cm.online_effect, dose)[seen]
        n_online = int((online & seen).sum())
        model.flows["new_contacts_online"] += n_online
        model.flows["new_counsellor_meetings"] += int(meetings.sum())
        model.employment_service.tally("spend_admin_online", n_online * cm.online_cost)
        model.contacted_had_plan = w.iap[met].copy()  # obligations apply from the next meeting
        first = met[~model.contacted_had_plan]
        w.iap[first] = True
        f = model.flows
        f["n_clients"] += clients.size
        f["counsellors"] += float(counsellors.sum())
        f["new_contacts"] += met.size
        f["new_action_plans"] += first.size
        service = model.employment_service
        service.tally("spend_admin_counsellors", float(counsellors.sum()) * cm.counsellor_cost)
        service.counsellors, service.clients = float(counsellors.sum()), clients.size
        per_office = np.bincount(region, minlength=n_regions)
        for office in model.offices:  # capacity and caseload of each regional office
            office.counsellors = float(counsellors[office.region])
            office.clients = int(per_office[office.region])

    def setup(self, model) -> None:
        n_regions = len(model.offices)
        people = np.bincount(model.workers.region, minlength=n_regions)
        self.population_share = people / max(people.sum(), 1)
        self.intensity = np.ones(n_regions)  # last month's meetings per client, by office

    def _choose_online(self, model, clients, region, high) -> np.ndarray:
        """Digitally literate clients not routed to a counsellor as high-risk choose the
        online channel or a counsellor (``rules.online_choice``): by their need (the risk
        score) and the meetings a counsellor gave last month in their office."""
        w, cm = model.workers, model.cfg.policy.case_management
        able = np.flatnonzero(cm.multi_channel & w.digital[clients] & ~high)
        online = np.zeros(clients.size, dtype=bool)
        if able.size == 0:
            return online
        rate = self.intensity[region[able]]
        whole = np.floor(rate)
        dose = rules.meeting_dose(whole, cm.meeting_returns)
        dose += (rate - whole) * cm.meeting_returns**whole  # the expected dose at that rate
        need = 1.0 + cm.online_need * np.maximum(w.profile[clients[able]], 0.0)
        p = rules.online_choice(
            need,
            dose,
            cm.online_contact * cm.online_effect,
            cm.online_convenience,
            cm.channel_noise,
        )
        u = model.uniform("casework.channel")
        online[able] = u[clients[able]] < p
        return online

    def _staff(self, model, region: np.ndarray) -> np.ndarray:
        """Counsellors of each regional office this month (``office_staffing``), topped up to
        ``max_caseload`` clients each when that cap is set (advanced single point of
        contact: at most 100)."""
        cm, n = model.cfg.policy.case_management, model.workers.n
        n_regions = len(model.offices)
        clients = np.bincount(region, minlength=n_regions)
        if cm.office_staffing == "equal":
            share = np.full(n_regions, 1.0 / n_regions)
        elif cm.office_staffing == "caseload" and clients.sum() > 0:
            share = clients / clients.sum()
        else:
            share = self.population_share
        counsellors = cm.counsellors_per_1000 * n / 1000.0 * share
        if cm.max_caseload > 0:
            counsellors = np.maximum(counsellors, clients / cm.max_caseload)
        return counsellors

    def _register(self, model, u: np.ndarray) -> np.ndarray:
        """Open cases for new job seekers; return those who registered by the draw."""
        w, mv, cm = model.workers, model.moves, model.cfg.policy.case_management
        status = w.registered
        new = np.flatnonzero(
            mv.free(State.UNEMPLOYED)
            & ((status == UNDECIDED) | (status == ORIENTED))
            & (w.spell >= 1)
        )
        claimant = (w.ui_left[new] > 0) | model.sa_claimant_households[w.household[new]]
        claimant |= status[new] == ORIENTED  # they need no draw either
        opens = claimant | (u[new] < cm.registration)
        w.registered[new] = np.where(opens, OPEN, NO_CASE)
        reg = new[opens]
        w.profile[reg] = self._profile(model, reg)
        model.flows["new_registrations"] += reg.size
        model.employment_service.tally("spend_admin_intakes", reg.size * cm.intake_cost)
        return new[opens & ~claimant]

    def _profile(self, model, idx: np.ndarray) -> np.ndarray:
        """Profiling score at intake by the configured method."""
        w, cm = model.workers, model.cfg.policy.case_management
        if cm.profiling == "rules":
            stage = life_stage(w.age[idx])
            at_risk = (stage == 0) | (stage == 2) | (w.idle[idx] >= cm.rules_spell_months)
            return at_risk.astype(np.float32)
        noise = cm.statistical_noise if cm.profiling == "statistical" else cm.caseworker_noise
        rng = model.streams.generator("casework.profiling", model.month)
        return risk_index(model, idx) + (noise * rng.standard_normal(idx.size)).astype(np.float32)

    @staticmethod
    def _high_risk(model, clients: np.ndarray, region: np.ndarray) -> np.ndarray:
        """The ``high_risk_share`` of each office's clients with the highest profiling
        scores (each office ranks its own clients)."""
        share = model.cfg.policy.case_management.high_risk_share
        high = np.zeros(clients.size, dtype=bool)
        score = model.workers.profile[clients]
        for r in range(len(model.offices)):
            mine = np.flatnonzero(region == r)
            k = round(share * mine.size)
            if k > 0:
                high[mine[np.argpartition(-score[mine], k - 1)[:k]]] = True
        return high


class Monitoring(Process):
    """Mutual obligations: monitored clients who did not search get strikes and sanctions."""

    name = "monitoring"

    def step(self, model) -> None:
        w, cm = model.workers, model.cfg.policy.case_management
        met = model.contacted
        if not cm.enabled or met.size == 0:
            return
        searched = np.isin(met, model.applicants, assume_unique=True)
        monitored = model.contacted_had_plan
        strikes, sanctioned = rules.next_strikes(
            w.strikes[met], monitored, searched, cm.sanction_after
        )
        w.strikes[met] = strikes
        hit = met[sanctioned]
        w.sanctioned_until[hit] = model.month + cm.sanction_months
        model.flows["new_sanctions"] += hit.size
