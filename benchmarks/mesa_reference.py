"""Object reference: the engine's core monthly rules written as one Mesa agent per worker.

This is the conventional way to write the model in Mesa: every worker is a ``WorkerAgent``
with scalar attributes, and each month the model loops over the agents once per process,
drawing scalar random numbers from the model's ``random.Random``. It exists for two
reasons: the speed comparison in ``benchmarks.engine`` and the statistical agreement test
(``tests/test_reference_agreement.py``), which checks that the vectorised engine implements
the same rules. It is written to be read, not to be fast.

Same rules, same order and same parameters as ``sim.processes.LOOP_ORDER``: each worker
moves at most once a month, decisions are taken from the start-of-month state and the
earlier process wins. The initial population is drawn by ``sim.population.build`` (same
seed, same people) and copied into the agents. Random streams differ from the engine's, so
the two agree in distribution, not draw by draw. Left out (not needed for the outcomes
compared): transition and cohort records, fiscal tallies, group breakdowns other than youth
unemployment, training seats.
"""

from __future__ import annotations

import math

import mesa
import pandas as pd

from sim.config import Config
from sim.outputs import LTU_MONTHS
from sim.population import ENTRY_AGE_MONTHS, build, monthly_mortality, sector_wages
from sim.random import Streams
from sim.states import LIFE_STAGE_BOUNDS_YEARS, STATE_NAMES, InactiveReason, LastJob, State

FORMAL, INFORMAL, UNEMPLOYED, TRAINING, INACTIVE, RETIRED, PUBLIC_WORKS = (int(s) for s in State)
EDUCATION, CARE, DISCOURAGED, DISABILITY = (int(r) for r in list(InactiveReason)[1:])
NO_JOB, FORMAL_JOB, INFORMAL_JOB = (int(j) for j in LastJob)
MASK64 = (1 << 64) - 1
YOUTH_END = LIFE_STAGE_BOUNDS_YEARS[0] * 12  # age (months) at which youth (15-24) ends
#: per-worker columns of ``sim.workers.Workers`` copied into agent attributes (plus
#: ``reason`` = ``inactive_reason``); ``region`` is not used by any rule here
# fmt: off
ATTRIBUTES = ("age", "sex", "household", "skill", "certified", "digital", "disabled", "carer",
              "sector", "state", "last_job", "months_in_state", "spell", "idle", "contrib", "wage",
              "ui_left", "ui_amount", "programme_left", "pension", "referral_due",
              "waiting_since")

#: time-series columns, named as in ``sim.outputs.TIMESERIES``
COLUMNS = ("month", *(f"n_{s}" for s in STATE_NAMES), "n_workers", "n_labour_force",
           "n_ltu", "applicants", "vacancies", "n_ui_recipients", "unemployment_rate",
           "informality_rate", "unemployment_rate_youth", "ltu_share", "job_finding_rate",
           "poverty_line", "poverty_headcount")
# fmt: on


#: the reference implements the engine issue's rules, the default regime's referral route and
#: one programme (vocational training), not case management or the other programmes: it
#: runs with these overrides, and so does the engine when the two are compared
REFERENCE_OVERRIDES = (
    "economy.labour_demand.mode=fixed_tightness",
    # claiming: every entitled person claims at once (the reference has no claim frictions),
    # and a floating relative line (the anchored line is tested in tests/test_claiming.py)
    "policy.unemployment_insurance.takeup=1.0",
    "regime.mechanisms.eligibility.cooperation.self_claim=1.0",
    "regime.mechanisms.eligibility.cooperation.informed_digital=1.0",
    "regime.mechanisms.eligibility.cooperation.informed_other=1.0",
    "policy.poverty.line=relative",
    # repeated participation is allowed (the reference has no once-per-spell rule or cooldown;
    # those are tested in tests/test_programme_rules.py)
    "policy.participation.once_per_spell=false",
    "policy.participation.cooldown_months=0",
    # no referral cap and no budget re-alignment (the reference has neither; both are
    # tested in tests/test_capacity.py): the ALMP budget is the base budget
    "regime.queue.referral_buffer=0",
    "regime.mechanisms.financing.realign_to_demand=0",
    "policy.case_management.enabled=false",
    "policy.displacement.early_retirement=0.0",
    "policy.displacement.severance_months_per_year=0.0",
    *(
        f"policy.programmes.{name}.enabled=false"
        for name in (
            "public_works",
            "wage_subsidy",
            "basic_skills",
            "digital_reskilling",
            "self_employment",
            "job_search",
            "recognition_of_prior_learning",
        )
    ),
)


def vocational(cfg):
    """The one programme the reference implements: ``policy.programmes.vocational`` (a
    training course in the ``training`` state); every other programme must be disabled."""
    others = [n for n, p in cfg.policy.programmes.items() if p.enabled and n != "vocational"]
    if others:
        raise NotImplementedError(
            f"the reference implements only the vocational programme; disable {others}"
        )
    return cfg.policy.programmes["vocational"]


class WorkerAgent(mesa.Agent):
    """One person aged 15+, with the engine's per-worker columns as scalar attributes."""

    def __init__(self, model: ObjectLabourMarket, **attrs) -> None:
        super().__init__(model)
        self.__dict__.update(attrs)  # ATTRIBUTES and reason: age, sex, skill, state, wage...
        self.state0 = self.state
        self.moved = False
        self.stipend_due = False
        self.ui_paid = False

    # ------------------------------------------------------------------ helpers
    def move(self, to: int) -> None:
        self.state = to
        self.months_in_state = 0
        self.moved = True

    def contribution_months(self, window: int) -> int:
        return (self.contrib & ((1 << window) - 1)).bit_count()

    def wage_offer(self, formal: bool) -> float:
        m = self.model
        wage = m.sector_wage[self.sector] * math.exp(m.skill_return * self.skill)
        return wage if formal else wage * m.informal_ratio[self.sector]

    def enter(self) -> None:
        """Re-initialise this slot as a 15-year-old entrant of the same household, in school."""
        m, pop, rnd = self.model, self.model.cfg.population, self.random
        a, b = pop.skill_beta
        self.age = ENTRY_AGE_MONTHS - 1  # the clock ages everyone at the end of the month
        self.sex = int(rnd.random() < pop.female_share)
        self.skill = rnd.betavariate(a, b)
        self.certified = rnd.random() < min(1.0, pop.certified_share * self.skill * (a + b) / a)
        self.digital = rnd.random() < pop.digital_share[0]
        self.carer = rnd.random() < pop.carer_share[self.sex]
        self.disabled = False
        self.sector = rnd.choices(range(len(m.employment_share)), m.employment_share)[0]
        self.state, self.reason, self.last_job = INACTIVE, EDUCATION, NO_JOB
        self.months_in_state = self.spell = self.contrib = self.ui_left = self.programme_left = 0
        self.idle = 0
        self.wage = self.ui_amount = self.pension = 0.0
        self.moved = True

    # ------------------------------------------------------------------ monthly rules
    def demography(self) -> None:
        m, d, rnd = self.model, self.model.cfg.population.demography, self.random
        if rnd.random() < m.mortality[self.age // 12]:
            self.enter()
        elif self.age >= d.pension_age_years * 12 and self.state != RETIRED:
            pen = m.cfg.policy.pension
            contributed = self.contribution_months(64) >= pen.min_contribution_months
            self.pension = pen.replacement_rate * self.wage if contributed else pen.social_pension
            self.reason = 0
            self.move(RETIRED)
        elif self.state == INACTIVE and self.reason == EDUCATION:
            p = 1.0 if self.age >= d.school_leaving_age_max * 12 else d.school_leaving
            if rnd.random() < p:
                self.reason = self.spell = 0
                self.move(UNEMPLOYED)

    def separations(self) -> None:
        if self.moved or self.state > INFORMAL:
            return
        m = self.model
        if self.random.random() < m.separation[self.state][self.sector] * m.separation_mult:
            self.spell = 0
            self.move(UNEMPLOYED)

    def applies(self) -> bool:
        """Search: does this worker send an application this month?"""
        if self.moved:
            return False
        s = self.model.cfg.economy.search
        if self.state in (UNEMPLOYED, TRAINING):
            effort = s.effort_unemployed * math.exp(-s.discouragement * self.idle)
            if self.ui_left > 0:  # moral hazard, fading over the last months of entitlement
                rr = min(self.ui_amount / max(self.wage, 1.0), 1.0)
                horizon = min(self.ui_left, s.exhaustion_horizon) / s.exhaustion_horizon
                effort *= 1.0 - s.benefit_response * rr * horizon
            if self.state == TRAINING:
                effort *= vocational(self.model.cfg).lock_in
        elif self.state == INFORMAL:
            effort = s.effort_informal
        else:
            return False
        return self.random.random() < effort

    def log_hiring_weight(self, requirement: float, formal: bool) -> float:
        """Skill fit, scarring by idle months, no work experience, certification (formal)."""
        h = self.model.cfg.economy.hiring
        log_w = -h.mismatch_penalty * max(requirement - self.skill, 0.0) - h.scarring * self.idle
        if self.last_job == NO_JOB:  # never worked
            log_w -= h.no_experience_penalty
        if formal and not self.certified:
            log_w -= math.log1p(h.certified_premium)
        return log_w

    def hire(self, sector: int, formal: bool) -> None:
        self.sector = sector
        self.wage = self.wage_offer(formal)
        self.last_job = FORMAL_JOB if formal else INFORMAL_JOB
        self.spell = self.ui_left = self.programme_left = 0
        self.move(FORMAL if formal else INFORMAL)

    def formality(self) -> None:
        if self.moved or self.state > INFORMAL:
            return
        f = self.model.cfg.economy.formality
        if self.state == INFORMAL:
            p = f.formalisation * (f.certified_multiplier if self.certified else 1.0)
        else:
            p = f.informalisation
        if self.random.random() < p:
            formal = self.state == INFORMAL
            self.wage = self.wage_offer(formal)
            self.last_job = FORMAL_JOB if formal else INFORMAL_JOB
            self.move(FORMAL if formal else INFORMAL)

    def inactivity(self) -> None:
        if self.moved or self.state == RETIRED:
            return
        p = self.model.cfg.economy.inactivity
        u = self.random.random()
        if self.state == INACTIVE:
            exit_p = {
                CARE: p.care_exit,
                DISCOURAGED: p.discouraged_exit,
                DISABILITY: p.disability_exit,
            }.get(self.reason, 0.0)
            if u < exit_p:
                self.reason = self.spell = 0
                self.move(UNEMPLOYED)
            return
        # competing entry risks through one draw: care, then disability, then discouragement
        p_care = p.care_entry if self.carer else 0.0
        p_dis = p_care + (0.0 if self.disabled else p.disability_onset)
        long_spell = self.state == UNEMPLOYED and self.idle >= p.discouraged_after
        p_disc = p_dis + (p.discouraged_entry if long_spell else 0.0)
        if u < p_care:
            self.reason = CARE
        elif u < p_dis:
            self.reason, self.disabled = DISABILITY, True
        elif u < p_disc:
            self.reason = DISCOURAGED
        else:
            return
        self.ui_left = self.programme_left = 0
        self.move(INACTIVE)

    def training(self) -> None:
        if self.moved:
            return
        t = vocational(self.model.cfg)
        self.stipend_due = self.state == TRAINING  # paid for every month of participation
        if self.state == TRAINING:
            self.programme_left -= 1
            if self.random.random() < t.dropout:
                self.programme_left = 0
                self.move(UNEMPLOYED)
            elif self.programme_left <= 0:
                self.skill = min(1.0, self.skill + t.skill_gain)
                if self.random.random() < t.certification:
                    self.certified = True
                if self.random.random() < t.digital:
                    self.digital = True
                keep = 1.0 - self.model.cfg.policy.participation.completion_signal
                self.idle = math.floor(self.idle * keep)  # completion is recent activity
                self.move(UNEMPLOYED)  # the job-seeking spell continues
        # who starts a course is decided by the regime layer: ObjectLabourMarket.referrals

    def unemployment_insurance(self) -> None:
        ui = self.model.cfg.policy.unemployment_insurance
        if ui.enabled and self.moved and self.state0 == FORMAL and self.state == UNEMPLOYED:
            contributed = self.contribution_months(ui.window_months)  # on losing a formal job
            if contributed >= ui.min_contribution_months:
                self.ui_left = ui.max_duration_months
                self.ui_amount = min(max(ui.replacement_rate * self.wage, ui.floor), ui.ceiling)
        self.ui_paid = self.state in (UNEMPLOYED, TRAINING) and self.ui_left > 0
        if self.ui_paid:
            self.ui_left -= 1

    def income(self) -> float:
        """Net income this month: wage, pension, unemployment insurance, training stipend."""
        ui = self.model.cfg.policy.unemployment_insurance
        income = self.pension + (self.ui_amount if self.ui_paid else 0.0)
        if self.stipend_due:
            income += vocational(self.model.cfg).stipend
        if self.state == FORMAL:
            income += self.wage * (1.0 - ui.contribution_rate * ui.employee_share)
        elif self.state == INFORMAL:
            income += self.wage
        return income

    def clock(self) -> None:
        if self.model.cfg.population.demography.enabled:  # else a frozen population
            self.age += 1
        self.months_in_state += 1
        self.spell = self.spell + 1 if self.state in (UNEMPLOYED, TRAINING) else 0
        self.idle = (
            self.idle + 1 if self.state == UNEMPLOYED else 0 if self.spell == 0 else self.idle
        )
        self.contrib = ((self.contrib << 1) | (self.state == FORMAL)) & MASK64


class ObjectLabourMarket(mesa.Model):
    """The labour market with one ``WorkerAgent`` per worker, built from the same ``Config``.

    Agents are registered with Mesa as usual; the month loops over ``self.workers``, a plain
    list in slot order, rather than over ``self.agents`` (a weak-reference ``AgentSet``),
    so that the speed comparison measures objects against arrays, not Mesa bookkeeping.
    """

    def __init__(self, cfg: Config) -> None:
        super().__init__(seed=cfg.seed)
        self.cfg = cfg
        self.month = 0
        eco = cfg.economy
        w, hh, _ = build(cfg, Streams(cfg.seed, cfg.population.size, cfg.run.replicate))
        self.mortality = monthly_mortality(cfg).tolist()
        sw, ir = sector_wages(cfg)
        self.sector_wage, self.informal_ratio = sw.tolist(), ir.tolist()
        self.skill_return = eco.hiring.skill_return
        sectors = list(eco.sectors.values())
        self.employment_share = [s.employment_share for s in sectors]
        self.separation = [
            [s.separation_formal for s in sectors],
            [s.separation_informal for s in sectors],
        ]
        self.separation_mult = eco.separation_multiplier
        # vacancy cells (sector, formal), as in sim.processes.vacancies
        self.cells = [(k, formal) for k in range(len(sectors)) for formal in (False, True)]
        self.cell_weight = [
            s.vacancy_share * (s.formal_vacancy_share if formal else 1 - s.formal_vacancy_share)
            for s in sectors
            for formal in (False, True)
        ]
        self.requirement = [s.skill_requirement for s in sectors]
        # households: fixed size, children and take-up draw
        self.hh_equivalence = hh.equivalence.tolist()
        self.hh_persons = hh.persons.tolist()
        self.hh_takeup = hh.takeup_draw.tolist()
        self.last_line = None  # the guarantee is a share of last month's poverty line

        cols = {name: getattr(w, name).tolist() for name in ATTRIBUTES}
        cols["reason"] = w.inactive_reason.tolist()
        self.workers = [WorkerAgent(self, **{k: v[i] for k, v in cols.items()}) for i in range(w.n)]
        self.record: dict[str, float] = {}
        self.datacollector = mesa.DataCollector(
            model_reporters={k: (lambda m, k=k: m.record[k]) for k in COLUMNS}
        )

    def step(self) -> None:
        """One month: the processes of ``sim.processes.LOOP_ORDER`` in turn, agent by agent."""
        self.month = self.steps - 1
        workers = self.workers
        for a in workers:
            a.state0, a.moved, a.youth0 = a.state, False, a.age < YOUTH_END
            a.stipend_due = False
        if self.cfg.population.demography.enabled:
            for a in workers:
                a.demography()
        for a in workers:
            a.separations()
        applicants = [a for a in workers if a.applies()]
        vacancies = self.post_vacancies(len(applicants))
        placements = self.match(applicants, vacancies)
        for a in workers:
            a.formality()
        for a in workers:
            a.inactivity()
        for a in workers:
            a.training()
        self.referrals()
        for a in workers:
            a.unemployment_insurance()
        self.household_income()
        for a in workers:
            a.clock()
        self.finish_month(len(applicants), len(vacancies), placements)
        self.datacollector.collect(self)
        if self.steps >= self.cfg.run.months:
            self.running = False

    def referrals(self) -> None:
        """The default regime (coordination) in plain Python: the shared register flags job
        seekers who meet the criteria (and some who do not); referrals arrive after a delay
        unless lost; arrivals wait in order; seats and the base budget cap starts."""
        cfg, month, rnd = self.cfg, self.month, self.random
        t, reg = vocational(cfg), cfg.regime
        if not t.enabled:
            return
        unit = t.cost_per_month + t.stipend
        if cfg.policy.case_management.enabled:
            raise NotImplementedError(
                "the reference has no case management: run it with "
                "policy.case_management.enabled=false"
            )
        if (reg.eligibility, reg.delivery, reg.financing) != ("coordination",) * 3:
            raise NotImplementedError("the reference implements the coordination regime only")
        if reg.queue.referral_buffer > 0 or reg.mechanisms.financing.realign_to_demand > 0:
            raise NotImplementedError(
                "the reference has no referral cap or budget re-alignment: run it with "
                "regime.queue.referral_buffer=0 and "
                "regime.mechanisms.financing.realign_to_demand=0"
            )
        el = reg.mechanisms.eligibility.coordination
        dl = reg.mechanisms.delivery.coordination
        fin = reg.mechanisms.financing
        free = [a for a in self.workers if a.state == UNEMPLOYED and not a.moved]
        if month % el.review_months == 0:
            for a in free:
                if a.referral_due < 0 and a.waiting_since < 0:
                    meets = (
                        a.idle >= t.min_spell_months  # the rules' clock pauses in programmes
                        and a.skill <= t.max_skill
                        and t.min_age <= a.age // 12 <= t.max_age
                    )
                    p = el.sensitivity if meets else el.false_positive
                    if rnd.random() < p:
                        a.referral_due = month + dl.delay_months
        leakage = dl.leakage * ((1 - dl.co_location_effect) if dl.co_location else 1.0)
        for a in self.workers:
            if a.referral_due == month:
                a.referral_due = -1
                if a.state == UNEMPLOYED and not a.moved and rnd.random() >= leakage:
                    a.waiting_since = month
        queue = []
        for a in self.workers:
            if a.waiting_since < 0:
                continue
            if not (a.state == UNEMPLOYED and not a.moved):
                a.waiting_since = -1  # left unemployment (or died)
            elif a.waiting_since < month and rnd.random() < reg.queue.abandon:
                a.waiting_since = -1
            else:
                queue.append(a)
        queue.sort(key=lambda a: (a.waiting_since, a.unique_id))
        per_1000 = len(self.workers) / 1000
        budget = fin.almp_budget * per_1000  # not re-aligned (see above)
        participants = sum(a.state == TRAINING for a in self.workers)
        seats = math.floor(t.seats_per_1000 * per_1000) if t.seats_per_1000 else math.inf
        by_money = math.floor(budget / unit + 1e-9) if unit else math.inf
        room = int(min(len(queue), max(0, min(seats, by_money) - participants)))
        for a in queue[:room]:
            a.waiting_since = -1
            a.programme_left = t.duration_months
            a.move(TRAINING)

    def post_vacancies(self, n_applicants: int) -> list[tuple[int, bool, float]]:
        """Free entry: tightness x demand x applicants vacancies (sector, formal, requirement)."""
        eco, rnd = self.cfg.economy, self.random
        if sum(self.cell_weight) <= 0:
            return []
        n = math.floor(eco.tightness * eco.demand_index * n_applicants + rnd.random())
        h = eco.hiring
        vacancies = []
        for sector, formal in rnd.choices(self.cells, self.cell_weight, k=n):
            mean = self.requirement[sector] if formal else h.informal_requirement
            req = min(max(mean + h.requirement_spread * rnd.gauss(0.0, 1.0), 0.0), 1.0)
            vacancies.append((sector, formal, req))
        return vacancies

    def match(self, applicants: list[WorkerAgent], vacancies: list) -> int:
        """One application each; each vacancy hires one applicant, weighted by hiring weight.
        Returns the number of job seekers (unemployed or in training) hired."""
        if not vacancies:
            return 0
        rnd, p_own = self.random, self.cfg.economy.search.own_sector
        formal_vacs = [v for v, (_, formal, _) in enumerate(vacancies) if formal]
        by_sector: dict[int, list[int]] = {}
        for v, (sector, _, _) in enumerate(vacancies):
            by_sector.setdefault(sector, []).append(v)
        pools: dict[int, list[WorkerAgent]] = {}
        for a in applicants:
            if a.state == INFORMAL:  # on-the-job search: formal vacancies only
                if not formal_vacs:
                    continue
                v = rnd.choice(formal_vacs)
            elif rnd.random() < p_own and a.sector in by_sector:
                v = rnd.choice(by_sector[a.sector])
            else:
                v = rnd.randrange(len(vacancies))
            pools.setdefault(v, []).append(a)
        placements = 0
        for v, pool in pools.items():
            sector, formal, req = vacancies[v]
            log_w = [a.log_hiring_weight(req, formal) for a in pool]
            top = max(log_w)  # relative weights, so that none underflows to zero
            winner = rnd.choices(pool, [math.exp(x - top) for x in log_w])[0]
            placements += winner.state != INFORMAL
            winner.hire(sector, formal)
        return placements

    def household_income(self) -> None:
        """Household income, social-assistance top-ups and the relative poverty line."""
        pol = self.cfg.policy
        income = [0.0] * len(self.hh_persons)
        for a in self.workers:
            income[a.household] += a.income()
        sa = pol.social_assistance
        persons, pov = self.hh_persons, pol.poverty
        if self.last_line is None:  # month 0: the relative line of incomes before assistance
            pre = [y / e for y, e in zip(income, self.hh_equivalence, strict=True)]
            self.last_line = pov.relative_share * _lower_median(pre, persons)
        guarantee = sa.guarantee_share * self.last_line
        eq = []
        for h, y in enumerate(income):
            gap = guarantee * self.hh_equivalence[h] - y
            if sa.enabled and gap > 0 and self.hh_takeup[h] < sa.takeup:
                y += gap
            eq.append(y / self.hh_equivalence[h])
        total = sum(persons)
        if pov.line == "relative":
            line = pov.relative_share * _lower_median(eq, persons)
        else:
            line = pov.absolute_line
        self.last_line = line
        # topped up to the line is not poor (the engine's rounding tolerance)
        poor = sum(p for y, p in zip(eq, persons, strict=True) if y < line * (1 - 1e-9))
        self.record = {"poverty_line": line, "poverty_headcount": _share(poor, total)}

    def finish_month(self, n_applicants: int, n_vacancies: int, placements: int) -> None:
        """End-of-month stocks and rates (groups by age at the start of the month)."""
        stocks, youth = [0] * len(STATE_NAMES), [0] * len(STATE_NAMES)
        n_paid = n_ltu = seekers0 = 0
        for a in self.workers:
            stocks[a.state] += 1
            youth[a.state] += a.youth0
            n_paid += a.ui_paid
            n_ltu += a.state == UNEMPLOYED and a.spell >= LTU_MONTHS
            seekers0 += a.state0 in (UNEMPLOYED, TRAINING)
        r = self.record
        for name, n in zip(STATE_NAMES, stocks, strict=True):
            r[f"n_{name}"] = n
        employed = stocks[FORMAL] + stocks[INFORMAL]
        labour_force = employed + stocks[UNEMPLOYED] + stocks[TRAINING]
        youth_lf = sum(youth[:INACTIVE])
        r.update(
            month=self.month,
            n_workers=len(self.workers),
            n_labour_force=labour_force,
            n_ltu=n_ltu,
            applicants=n_applicants,
            vacancies=n_vacancies,
            n_ui_recipients=n_paid,
            unemployment_rate=_share(stocks[UNEMPLOYED], labour_force),
            informality_rate=_share(stocks[INFORMAL], employed),
            unemployment_rate_youth=_share(youth[UNEMPLOYED], youth_lf),
            ltu_share=_share(n_ltu, stocks[UNEMPLOYED]),
            job_finding_rate=_share(placements, seekers0),
        )

    def run(self) -> None:
        while self.running:
            self.step()

    def timeseries(self) -> pd.DataFrame:
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        return df[list(COLUMNS)]


def _share(num: float, den: float) -> float:
    return num / den if den > 0 else 0.0


def _lower_median(values: list[float], weights: list[float]) -> float:
    """Lower weighted median (the engine's ``weighted_median``)."""
    total, cum = sum(weights), 0.0
    for y, h in sorted(zip(values, range(len(values)), strict=True)):
        cum += weights[h]
        if cum >= 0.5 * total:
            return y
    return 0.0
