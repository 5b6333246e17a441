"""What a run reports: the monthly time-series columns (with their glossary), the month's
record, placement cohorts and the summary of headline outcomes.

Naming follows Covasim: ``n_*`` stocks at the end of the month, ``new_*`` flows during the
month, ``in_*``/``out_*`` state inflows and outflows, ``spend_*`` money paid out in the
month, plain names for rates and shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .states import (
    FORMALITY_NAMES,
    HOUSEHOLD_TYPE_NAMES,
    JOB_SEEKER,
    LABOUR_FORCE,
    LIFE_STAGE_NAMES,
    N_STATES,
    SEX_NAMES,
    STATE_NAMES,
    InactiveReason,
    LastJob,
    State,
    life_stage,
)
from .transitions import in_out

if TYPE_CHECKING:
    from .model import LabourMarket

LTU_MONTHS = 12
COUNTS = (
    "n_",
    "new_",
    "in_",
    "out_",
    "month",
    "params_version",
    "applicants",
    "vacancies",
    "queue_exits",
)
PLACEMENT_WINDOWS = (3, 6, 12)

_GROUPS = [*LIFE_STAGE_NAMES, *SEX_NAMES]
_WORKER_GROUPS = [*_GROUPS, *FORMALITY_NAMES]
# the distributional blocks of the summary: block name -> (groups, measures)
GROUP_BLOCKS = {
    "by_life_stage": (LIFE_STAGE_NAMES, ("unemployment_rate", "informality_rate")),
    "by_sex": (SEX_NAMES, ("unemployment_rate", "informality_rate")),
    "by_formality": (FORMALITY_NAMES, ()),
    "by_household": (HOUSEHOLD_TYPE_NAMES, ()),
}

TIMESERIES: dict[str, str] = {
    "month": "month index, 0-based",
    "params_version": "times the parameters have changed after month 0 (a step marks a reform)",
    **{f"n_{s}": f"workers {s.replace('_', ' ')} at the end of the month" for s in STATE_NAMES},
    "n_workers": "all worker slots (people aged 15+)",
    "n_labour_force": "formal + informal + unemployed + training + public works",
    "n_ltu": f"unemployed with a spell of {LTU_MONTHS}+ months",
    **{f"in_{s}": f"moves into {s} this month (including entrants)" for s in STATE_NAMES},
    **{f"out_{s}": f"moves out of {s} this month (including deaths)" for s in STATE_NAMES},
    "new_deaths": "deaths (each replaced by a 15-year-old entrant of the same household)",
    "new_retirements": "workers reaching pension age",
    "new_school_leavers": "young people leaving education to search",
    "new_separations": "job losses (formal + informal)",
    "new_separations_formal": "formal job losses",
    "new_separations_informal": "informal job losses",
    "new_spells": "job-seeking spells started (entries to unemployment, training or public "
    "works from outside job search)",
    "applicants": "applications sent (one per active searcher)",
    "vacancies": "vacancies posted this month",
    "vacancies_formal": "formal vacancies posted this month",
    "n_vacancies": "vacancies still open at the end of the month, as JOLTS counts them "
    "(fixed-tightness mode: those posted, which lapse)",
    "n_vacancies_formal": "formal vacancies open at the end of the month",
    "new_vacancies_filled": "vacancies filled",
    "new_vacancies_expired": "open vacancies withdrawn (expired)",
    "vacancy_rate": "open vacancies / (open vacancies + employed)",
    "tightness": "open vacancies / job seekers at the start of the month",
    "vacancy_value": "expected value of a new vacancy = its marginal posting cost (mean over "
    "this month's postings) [currency]",
    "new_meetings": "meetings of searchers with vacancies (free-entry matching function)",
    "new_rejections": "meetings that did not become a hire (skill fit, or no surplus)",
    "new_separations_unprofitable": "jobs ended because output fell below labour cost",
    "new_own_account_starts": "job seekers starting own-account work",
    "n_own_account": "own-account workers (part of informal employment)",
    "own_account_earnings": "own-account earnings at skill 0 (falls with crowding) "
    "[currency/month]",
    "mean_wage_formal": "mean monthly wage of formal jobs [currency/month]",
    "mean_wage_informal": "mean monthly earnings of informal work [currency/month]",
    "participation_rate": "labour force aged 15-64 / population aged 15-64",
    "n_working_age": "people aged 15-64 (the denominator of money per person of working age)",
    "broad_unemployment_rate": "(unemployed + in training: programme participants not "
    "working) / labour force",
    **{
        f"n_inactive_{r.name.lower()}": f"inactive workers, reason: {r.name.lower()}"
        for r in list(InactiveReason)[1:]
    },
    "new_hires_formal": "hires into formal jobs",
    "new_hires_informal": "hires into informal jobs",
    "new_placements": "job seekers (unemployed, in training or public works) hired",
    "new_placements_formal": "job seekers hired into formal jobs",
    "new_job_to_job": "informal workers hired into formal jobs",
    "new_formalisations": "informal jobs becoming formal in place",
    "new_informalisations": "formal jobs becoming informal in place",
    "new_inactive_care": "labour-force exits for care",
    "new_inactive_disability": "labour-force exits for disability or work injury",
    "new_inactive_discouraged": "unemployed giving up search after a long spell",
    "new_reactivations": "inactive workers returning to search",
    "new_programme_starts": "people starting a programme (admitted from a waiting list)",
    "new_programme_completions": "programme participations completed",
    "new_programme_dropouts": "programme participations abandoned",
    "new_programme_left": "participations ended by a move (hired, inactive, retired, died)",
    "new_business_starts": "self-employment completers starting own-account work",
    "n_subsidised_jobs": "formal jobs whose wage is subsidised this month",
    "new_referrals": "referrals to programmes made (by the eligibility route of the regime)",
    "new_referrals_automatic": "integration: benefit claimants enrolled automatically",
    "new_referrals_wrongly_flagged": "coordination: referrals of people not meeting the criteria",
    "new_referrals_lapsed": "referrals arriving after the person left unemployment",
    "new_referrals_lost": "referrals lost between agencies (leakage)",
    "new_intake_dropouts": "people dropping off at a further intake",
    "new_intakes": "intakes held for referred people",
    "new_duplicated_intakes": "intakes beyond the first (the same data asked again)",
    "new_queue_arrivals": "referred people joining the provider's waiting list",
    "new_queue_left": "people leaving a waiting list because they left unemployment",
    "new_queue_abandoned": "people giving up on a waiting list",
    "new_rationed": "people left waiting this month for lack of seats or money",
    "new_referrals_capped": "people identified for a programme but not referred: more than "
    "referral_buffer x the places it expects",
    "new_refused": "unmet demand as a flow: people refused a place this month (not referred "
    "for want of an expected place, or arrived and not admitted), each once until they move",
    "almp_budget": "the ALMP budget of the month, re-aligned to the demand refused for money "
    "(coordination's separate budget; the ALMP part of integration's matched envelope; 0 "
    "under cooperation's yearly cap)",
    "new_refused_for_money": "of new_refused, those refused where money rather than seats held "
    "starts back (coordination's budget re-aligns to these)",
    "n_waiting": "people on the provider's waiting list at the end of the month",
    "queue_exits": "people leaving the waiting list (admitted, left or gave up)",
    "queue_wait_months": "months waited, summed over people leaving the waiting list",
    "mean_wait_months": "mean months waited by people leaving the waiting list",
    "almp_money": "money for programme participants this month (financing degree)",
    "n_seats": "programme places summed over programmes with a limit",
    "new_registrations": "job seekers opening a case with the employment service (intakes)",
    "n_clients": "registered unemployed clients at the start of the month",
    "counsellors": "counsellors employed (full-time equivalents)",
    "caseload": "clients per counsellor",
    "caseload_max_office": "clients per counsellor in the busiest regional office",
    "caseload_min_office": "clients per counsellor in the least busy regional office",
    "new_outreach_returns": "discouraged people oriented back to registration by outreach "
    "(single point of contact)",
    "new_reserved_starts": "programme starts on places reserved for employment-service "
    "clients (single point of contact)",
    "new_contacts": "contacts with clients (counsellor meetings and online)",
    "new_contacts_online": "online self-service contacts",
    "contact_rate": "clients in contact (a meeting or online) / clients",
    "new_counsellor_meetings": "counsellor meetings held",
    "meetings_per_client": "counsellor meetings / clients (contact intensity)",
    "new_action_plans": "individual action plans agreed (first meetings)",
    "new_sanctions": "benefit sanctions imposed (consecutive failures to search)",
    "n_ui_suspended": "UI entitlements suspended by a sanction this month",
    "new_ui_claims": "new unemployment-insurance entitlements",
    "n_ui_recipients": "job seekers paid unemployment insurance this month",
    "n_sa_households": "households paid social assistance this month",
    "n_ui_entitled": "job seekers with an unemployment-insurance entitlement, claimed or not",
    "n_ui_claiming": "job seekers who claim their unemployment-insurance entitlement",
    "new_ui_takeups": "entitled job seekers who started to claim UI this month",
    "ui_takeup_rate": "job seekers claiming UI / job seekers entitled to it",
    "n_sa_eligible_households": "households below the social-assistance guarantee",
    "new_sa_takeups": "eligible households that started to claim social assistance this month",
    "sa_takeup_rate": "households paid social assistance / households eligible for it",
    "ui_coverage_unemployed": "unemployed receiving an unemployment benefit, contributory or "
    "not / unemployed (the ILO's definition)",
    "unemployment_rate": "unemployed / labour force",
    "informality_rate": "informal / employed",
    "employment_rate": "employed / population aged 15-64",
    "youth_neet_rate": "youth (15-24) not employed, in education or training / youth",
    "ltu_share": f"unemployed with a spell of {LTU_MONTHS}+ months / unemployed",
    "job_finding_rate": "placements / job seekers at the start of the month",
    "separation_rate": "separations / employed at the start of the month",
    "mean_spell_at_placement": "mean completed spell (months) of job seekers placed",
    **{f"unemployment_rate_{g}": f"unemployment rate, {g}" for g in _GROUPS},
    **{f"informality_rate_{g}": f"informality rate, {g}" for g in _GROUPS},
    "benefit_coverage_unemployed": "unemployed receiving UI or living in an SA household "
    "/ unemployed",
    "income_support_coverage": "people in households receiving any income support / people",
    "poverty_line": "poverty line (currency per equivalent adult per month)",
    "poverty_headcount": "people (children included) below the line / people (FGT0)",
    "poverty_gap": "mean normalised shortfall below the line (FGT1)",
    "poverty_severity": "mean squared normalised shortfall (FGT2)",
    "poverty_headcount_pre_transfer": "poverty headcount before income support (UI, social "
    "assistance, programme stipends and cash)",
    "income_support_coverage_poor": "people poor before transfers who live in a household "
    "receiving income support / people poor before transfers",
    "n_poor": "people (children included) below the poverty line",
    "n_lifted_out_of_poverty": "people (children included) above the line only thanks to "
    "income support",
    "severance_paid": "severance paid by employers to formal job losers (not public spending)",
    "new_early_retirements": "displaced older formal workers retiring early",
    "new_assistance_claims": "informal job losers granted assistance (independent track)",
    "n_voluntary_contributors": "informal workers contributing on the staircase this month",
    "spend_formalisation_subsidy": "subsidies paid for jobs formalised (formalisation track)",
    "child_poverty_headcount": "children below the line / children",
    **{
        f"poverty_headcount_{g}": f"poverty headcount of people aged 15+, {g.replace('_', ' ')}"
        for g in _WORKER_GROUPS
    },
    **{
        f"poverty_headcount_{g}": f"poverty headcount of persons in {g.replace('_', ' ')} "
        "households (people aged 15+ counted as adults)"
        for g in HOUSEHOLD_TYPE_NAMES
    },
    **{
        f"mean_equivalised_income_{g}": "mean equivalised household income of people aged 15+, "
        f"{g.replace('_', ' ')} [currency/month]"
        for g in _WORKER_GROUPS
    },
    **{
        f"mean_equivalised_income_{g}": "mean equivalised income of persons in "
        f"{g.replace('_', ' ')} households [currency/month]"
        for g in HOUSEHOLD_TYPE_NAMES
    },
    "earnings": "gross wages paid",
    "revenue_contributions": "social-insurance contributions collected",
    "spend_ui": "unemployment insurance paid",
    "spend_sa": "social assistance paid",
    "spend_ui_local": "UI cost left to the local service after central reimbursement (Danish "
    "rule; 0 when off)",
    "spend_benefits": "income support paid (UI + SA)",
    "spend_benefit_agency": "benefit agency: income support, claims administration and "
    "formalisation subsidies",
    "spend_employment_service": "employment service: registrations, referrals, counsellors, "
    "online service",
    "spend_providers": "programme providers: programmes and their intakes",
    "n_participants_claimants": "programme participants receiving UI or social assistance",
    "n_participants_non_claimants": "programme participants without benefits",
    **{f"n_participants_{g}": f"programme participants, {g}" for g in LIFE_STAGE_NAMES},
    "spend_pensions": "pensions paid (reported, not in spend_total)",
    "spend_almp": "active labour market programmes: providers, stipends and public-works wages, "
    "completion cash, wage subsidies",
    "spend_programmes": "providers' costs plus stipends and public-works wages",
    "spend_stipends": "stipends and public-works wages paid to participants",
    "spend_completion_cash": "cash paid on completing a programme (conditional transfers)",
    "spend_wage_subsidies": "wage subsidies paid to employers",
    "spend_admin": "administration (benefit claims, intakes, referrals, counsellors, the "
    "single window and the shared register)",
    "spend_admin_window": "running cost of the single window (integrated delivery)",
    "spend_admin_register": "upkeep of the shared register (coordinated eligibility)",
    "spend_total": "spend_benefits + spend_almp + spend_admin + spend_formalisation_subsidy",
    "net_fiscal_cost": "spend_total - revenue_contributions",
    "spend_envelope": "equal envelope: the baseline world's total spending this month (0 "
    "without the option)",
    "envelope_gap": "equal envelope: spend_total - spend_envelope",
}


class Cohorts:
    """Job-seeking spells by the month they started, and how many were placed within
    3, 6 and 12 months: the exact cohort placement rates."""

    def __init__(self, months: int) -> None:
        self.months = months
        self.inflow = np.zeros(months, dtype=np.int64)
        self.placed_within = {k: np.zeros(months, dtype=np.int64) for k in PLACEMENT_WINDOWS}

    def placed(self, month: int, spells: np.ndarray) -> None:
        """Record placements this month of spells of the given completed lengths."""
        start = month - spells.astype(np.int64)
        for k, arr in self.placed_within.items():
            m = (spells <= k) & (start >= 0)
            arr += np.bincount(start[m], minlength=self.months)[: self.months]

    def rate(self, k: int, first: int) -> float:
        """Share of spells started in [first, months - k) placed within k months."""
        last = self.months - k
        inflow = self.inflow[first:last].sum()
        return float(self.placed_within[k][first:last].sum() / inflow) if inflow > 0 else 0.0


def _share(num: float, den: float) -> float:
    return num / den if den > 0 else 0.0


PROGRAMME_COLUMNS = {
    "n_in_{}": "participants in programme {} at the end of the month",
    "new_referrals_{}": "referrals to programme {}",
    "new_starts_{}": "starts in programme {}",
    "new_completions_{}": "completions of programme {}",
    "new_dropouts_{}": "dropouts from programme {}",
    "new_left_{}": "participations of programme {} ended by a move",
    "new_placements_{}": "job seekers placed while in, or within 12 months of completing, {}",
    "new_graduate_placements_{}": "completers of {} placed within 12 months of completing it",
    "spend_{}": "spending on programme {} (providers, stipends, completion cash, subsidies)",
}


SECTOR_COLUMNS = {
    "n_employed_in_{}": "people employed in sector {} (formal, informal wage work)",
    "n_formal_in_{}": "people in formal jobs in sector {}",
    "n_unemployed_from_{}": "unemployed whose last job was in sector {}",
    "vacancies_in_{}": "new vacancies posted in sector {} this month",
}


def columns(programme_names, sector_names=()) -> dict[str, str]:
    """All time-series columns of a run: the fixed ones and those of each programme and
    each sector."""
    out = dict(TIMESERIES)
    for name in programme_names:
        out.update({c.format(name): d.format(name) for c, d in PROGRAMME_COLUMNS.items()})
    for name in sector_names:
        out.update({c.format(name): d.format(name) for c, d in SECTOR_COLUMNS.items()})
    return out


def _record_sectors(model: LabourMarket) -> None:
    """Employment, formal jobs, unemployment by last sector and new vacancies, by sector."""
    w, r, names = model.workers, model.record, model.sector_names
    n = len(names)
    sector = w.sector.astype(np.intp)
    working = (w.state == State.FORMAL) | (w.state == State.INFORMAL)
    employed = np.bincount(sector[working], minlength=n)
    formal = np.bincount(sector[w.state == State.FORMAL], minlength=n)
    idle = (w.state == State.UNEMPLOYED) & (w.last_job != LastJob.NONE)
    unemployed = np.bincount(sector[idle], minlength=n)
    posted = model.flows_by_sector
    for k, name in enumerate(names):
        r[f"n_employed_in_{name}"] = int(employed[k])
        r[f"n_formal_in_{name}"] = int(formal[k])
        r[f"n_unemployed_from_{name}"] = int(unemployed[k])
        r[f"vacancies_in_{name}"] = int(posted[k])


def finish_month(model: LabourMarket) -> np.ndarray:
    """Fill ``model.record`` for the month; return the month's move counts."""
    w, mv, r, f = model.workers, model.moves, model.record, model.flows
    counts = mv.counts()
    inflow, outflow = in_out(counts)
    stocks = np.bincount(w.state, minlength=N_STATES)
    stocks0 = np.bincount(mv.state0, minlength=N_STATES)
    for i, s in enumerate(STATE_NAMES):
        r[f"n_{s}"] = int(stocks[i])
        r[f"in_{s}"] = int(inflow[i])
        r[f"out_{s}"] = int(outflow[i])
    r["n_workers"] = w.n
    employed = int(stocks[State.FORMAL] + stocks[State.INFORMAL])
    unemployed = int(stocks[State.UNEMPLOYED])
    labour_force = int(stocks[LABOUR_FORCE].sum())
    r["n_labour_force"] = labour_force
    ltu = int(((w.state == State.UNEMPLOYED) & (w.spell >= LTU_MONTHS)).sum())
    r["n_ltu"] = ltu

    by = counts.sum(axis=2)
    seeking = [int(s) for s in State if JOB_SEEKER[s]]
    others = [i for i in range(by.shape[0]) if i not in seeking]
    new_spells = int(by[np.ix_(others, seeking)].sum())
    f["new_spells"] += new_spells
    model.cohorts.inflow[model.month] += new_spells

    r["new_spells"] = new_spells
    agency, service, provider = (
        model.benefit_agency,
        model.employment_service,
        model.training_provider,
    )
    r["n_ui_recipients"] = int(agency.month["ui_recipients"])
    r["n_sa_households"] = int(agency.month["sa_households"])
    r["ui_takeup_rate"] = _share(f.get("n_ui_claiming", 0), f.get("n_ui_entitled", 0))
    r["sa_takeup_rate"] = _share(r["n_sa_households"], f.get("n_sa_eligible_households", 0))
    r["spend_ui"] = agency.month["spend_ui"]
    r["spend_sa"] = agency.month["spend_sa"]
    r["spend_benefits"] = r["spend_ui"] + r["spend_sa"]
    r["spend_ui_local"] = r["spend_ui"] - agency.month["spend_ui_central"]
    r["spend_almp"] = (
        f.get("spend_programmes", 0.0)
        + f.get("spend_completion_cash", 0.0)
        + f.get("spend_wage_subsidies", 0.0)
    )
    r["spend_admin"] = (
        agency.month["spend_admin_claims"]
        + service.month["spend_admin_referrals"]
        + service.month["spend_admin_intakes"]
        + service.month["spend_admin_counsellors"]
        + service.month["spend_admin_online"]
        + service.month["spend_admin_window"]
        + service.month["spend_admin_register"]
        + provider.month["spend_admin_intakes"]
    )
    r["spend_admin_window"] = service.month["spend_admin_window"]
    r["spend_admin_register"] = service.month["spend_admin_register"]
    r["caseload"] = _share(f.get("n_clients", 0), f.get("counsellors", 0.0))
    r["contact_rate"] = _share(f.get("new_contacts", 0), f.get("n_clients", 0))
    r["meetings_per_client"] = _share(f.get("new_counsellor_meetings", 0), f.get("n_clients", 0))
    loads = [o.caseload for o in model.offices if o.counsellors > 0]
    r["caseload_max_office"] = max(loads, default=0.0)
    r["caseload_min_office"] = min(loads, default=0.0)
    r["spend_total"] = (
        r["spend_benefits"]
        + r["spend_almp"]
        + r["spend_admin"]
        + f.get("spend_formalisation_subsidy", 0.0)
    )
    r["net_fiscal_cost"] = r["spend_total"] - f.get("revenue_contributions", 0.0)
    model.last_spend_benefits = r["spend_benefits"]
    model.last_spend_other = r["spend_total"] - r["spend_almp"]  # the equal envelope's residual
    r["spend_envelope"] = f.get("envelope", 0.0)
    r["envelope_gap"] = r["spend_total"] - r["spend_envelope"] if model.envelope else 0.0
    r["mean_wait_months"] = _share(f.get("queue_wait_months", 0.0), f.get("queue_exits", 0))
    _record_sectors(model)
    t = model.programme_table
    taking_part = np.flatnonzero(w.programme >= 0)
    enrolled = np.bincount(w.programme[taking_part].astype(np.intp), minlength=t.n)
    for k, name in enumerate(t.names):
        r[f"n_in_{name}"] = int(enrolled[k])
    claimant = (w.ui_left[taking_part] > 0) | model.sa_claimant_households[w.household[taking_part]]
    r["n_participants_claimants"] = int(claimant.sum())
    r["n_participants_non_claimants"] = int((~claimant).sum())
    stages = np.bincount(life_stage(w.age[taking_part]), minlength=len(LIFE_STAGE_NAMES))
    for i, g in enumerate(LIFE_STAGE_NAMES):
        r[f"n_participants_{g}"] = int(stages[i])
    r["spend_benefit_agency"] = (
        r["spend_benefits"]
        + agency.month["spend_admin_claims"]
        + f.get("spend_formalisation_subsidy", 0.0)
    )
    r["spend_employment_service"] = sum(
        v for k, v in service.month.items() if k.startswith("spend_")
    )
    r["spend_providers"] = r["spend_almp"] + provider.month["spend_admin_intakes"]

    r["unemployment_rate"] = _share(unemployed, labour_force)
    _labour_demand(model, r, stocks, stocks0, employed, labour_force)
    r["informality_rate"] = _share(int(stocks[State.INFORMAL]), employed)
    _group_rates(model, r)
    r["ltu_share"] = _share(ltu, unemployed)
    seekers0 = int(stocks0[JOB_SEEKER].sum())
    r["job_finding_rate"] = _share(f.get("new_placements", 0), seekers0)
    r["separation_rate"] = _share(
        f.get("new_separations", 0), int(stocks0[State.FORMAL] + stocks0[State.INFORMAL])
    )
    r["mean_spell_at_placement"] = _share(
        f.get("placement_spell_months", 0.0), f.get("new_placements", 0)
    )
    for key in model.columns:  # every other column is a flow tallied by a process (0 if none)
        value = r.get(key, f.get(key, 0))
        r[key] = round(value) if key.startswith(COUNTS) else float(value)
    return counts


def _labour_demand(model, r: dict, stocks, stocks0, employed: int, labour_force: int) -> None:
    """Vacancies, tightness, wages by formality, broad unemployment, inactivity by reason."""
    w, vb, stock = model.workers, model.vacancies, model.vacancy_stock
    if stock is not None:  # the stock left open at the end of the month (as JOLTS counts)
        n_vac, n_formal = int(stock.sector.size), int(stock.formal.sum())
    else:  # fixed tightness: vacancies lapse, so count those posted
        n_vac, n_formal = int(vb.n), int(vb.formal_index.size)
    r["n_vacancies"] = n_vac
    r["n_vacancies_formal"] = n_formal
    r["vacancy_rate"] = _share(n_vac, n_vac + employed)
    r["tightness"] = _share(n_vac, int(stocks0[JOB_SEEKER].sum()))
    formal_wages, informal_wages = model.wage_bill  # summed by the income process
    r["mean_wage_formal"] = _share(formal_wages, int(stocks[State.FORMAL]))
    r["mean_wage_informal"] = _share(informal_wages, int(stocks[State.INFORMAL]))
    r["n_own_account"] = model.n_own_account
    r["broad_unemployment_rate"] = _share(
        int(stocks[State.UNEMPLOYED]) + int(stocks[State.TRAINING]), labour_force
    )
    # the reason is 0 (none) outside inactivity, so one count over everyone serves
    reasons = np.bincount(w.inactive_reason.view(np.uint8), minlength=len(InactiveReason))
    for reason in list(InactiveReason)[1:]:
        r[f"n_inactive_{reason.name.lower()}"] = int(reasons[reason])
    r.setdefault("vacancy_value", 0.0)
    r.setdefault("own_account_earnings", 0.0)


def _group_rates(model: LabourMarket, r: dict) -> None:
    """Unemployment, informality, employment and NEET rates by life stage and sex."""
    w = model.workers
    n_sex = len(SEX_NAMES)
    stage = life_stage(w.age)  # end of month, like the states counted against it
    sex = w.sex
    grid = np.bincount(
        stage.astype(np.int64) * N_STATES + w.state, minlength=len(LIFE_STAGE_NAMES) * N_STATES
    ).reshape(-1, N_STATES)
    grid_sex = np.bincount(
        sex.astype(np.int64) * N_STATES + w.state, minlength=n_sex * N_STATES
    ).reshape(-1, N_STATES)
    for names, table in ((LIFE_STAGE_NAMES, grid), (SEX_NAMES, grid_sex)):
        for i, g in enumerate(names):
            row = table[i]
            emp = row[State.FORMAL] + row[State.INFORMAL]
            lf = row[LABOUR_FORCE].sum()
            r[f"unemployment_rate_{g}"] = _share(int(row[State.UNEMPLOYED]), int(lf))
            r[f"informality_rate_{g}"] = _share(int(row[State.INFORMAL]), int(emp))
    working_age = grid[:3].sum()
    r["n_working_age"] = int(working_age)
    r["employment_rate"] = _share(
        int(grid[:3, State.FORMAL].sum() + grid[:3, State.INFORMAL].sum()), int(working_age)
    )
    r["participation_rate"] = _share(int(grid[:3][:, LABOUR_FORCE].sum()), int(working_age))
    youth = stage == 0
    in_education = (w.state == State.INACTIVE) & (w.inactive_reason == InactiveReason.EDUCATION)
    neet = youth & ~in_education & ((w.state == State.UNEMPLOYED) | (w.state == State.INACTIVE))
    r["youth_neet_rate"] = _share(int(neet.sum()), int(youth.sum()))


# --------------------------------------------------------------------------- summary
RATE_KEYS = (
    "poverty_headcount",
    "poverty_gap",
    "poverty_severity",
    "child_poverty_headcount",
    "poverty_headcount_pre_transfer",
    "unemployment_rate",
    "informality_rate",
    "employment_rate",
    "youth_neet_rate",
    "ltu_share",
    "job_finding_rate",
    "separation_rate",
    "participation_rate",
    "vacancy_rate",
    "benefit_coverage_unemployed",
    "ui_coverage_unemployed",
    "ui_takeup_rate",
    "sa_takeup_rate",
    "income_support_coverage",
    "income_support_coverage_poor",
)
SPEND_KEYS = (
    "spend_benefits",
    "spend_ui",
    "spend_sa",
    "spend_almp",
    "spend_admin",
    "spend_total",
    "spend_pensions",
    "revenue_contributions",
    "net_fiscal_cost",
)


SCALAR_KEYS = (
    *RATE_KEYS,
    *SPEND_KEYS,
    "placements_per_month",
    "almp_share_gdp",
    "employment_rate_15plus",
    "participation_rate_15plus",
    "people_lifted_out_of_poverty",
    "people_in_poverty",
    "cost_per_person_lifted_out_of_poverty",
    "cost_per_placement",
    *(f"placement_rate_{k}m" for k in PLACEMENT_WINDOWS),
    "mean_wait_months",
)
#: summary outcomes a scenario may set calibration targets on (dotted paths)
TARGETABLE = frozenset(
    [
        *SCALAR_KEYS,
        *(
            f"{block}.{g}.{m}"
            for block, (groups, measures) in GROUP_BLOCKS.items()
            for g in groups
            for m in (*measures, "poverty_headcount", "mean_equivalised_income")
        ),
    ]
)


#: per-programme summary measures (``programmes.<name>.<measure>``): the figures programme
#: evaluations and case studies publish, so a case's documented results can be targets
PROGRAMME_MEASURES = {
    "starts_per_month": "people starting the programme a month",
    "completion_share": "completions per participation ended (completed, dropped out or left)",
    "employed_after_completion": "completers placed in a job (formal or informal) within 12 "
    "months of completing, per completion: the 'employed after training' share of case "
    "studies (a completer placed twice in the window counts twice)",
    "cost_per_start": "spending on the programme per start",
}


def targetable(name: str, programmes=()) -> bool:
    """Whether ``name`` is a summary outcome a target may name (``programmes`` the
    programme names of the configuration)."""
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "programmes":
        return parts[1] in programmes and parts[2] in PROGRAMME_MEASURES
    return name in TARGETABLE


def programme_measures(post, name: str) -> dict:
    """``PROGRAMME_MEASURES`` of programme ``name`` over the months ``post``."""
    starts = float(post[f"new_starts_{name}"].sum())
    done = float(post[f"new_completions_{name}"].sum())
    ended = done + float(post[f"new_dropouts_{name}"].sum() + post[f"new_left_{name}"].sum())
    return {
        "completion_share": _share(done, ended),
        "employed_after_completion": _share(
            float(post[f"new_graduate_placements_{name}"].sum()), done
        ),
        "cost_per_start": _share(float(post[f"spend_{name}"].sum()), starts),
    }


#: how a run responds to its shocks (summary ``shock_response``; shocks start after burn-in)
SHOCK_RESPONSE = {
    "unemployment_rise_peak": "highest unemployment rate after burn-in less its mean over the "
    "12 months before (points of the labour force)",
    "unemployment_peak_month": "months after burn-in at which unemployment peaks",
    "months_to_recover": "months after the peak until unemployment is back within a tenth of "
    "its rise of the pre-shock level (3-month mean; -1: not within the run)",
    "poverty_rise_peak": "highest poverty headcount after burn-in less its median over the 12 "
    "months before (the median: under the floating line of burn-in the headcount jumps in "
    "single months)",
    "informality_rise_peak": "highest informality rate after burn-in less its pre-shock mean",
}


def shock_response(ts, burn_in: int) -> dict:
    """``SHOCK_RESPONSE`` from a run's series: the rise over the 12 months before burn-in
    ends (where shocks start) and how fast unemployment comes back."""
    pre = ts[(ts["month"] >= burn_in - 12) & (ts["month"] < burn_in)]
    post = ts[ts["month"] >= burn_in].reset_index(drop=True)
    out: dict = {}
    for key, col in (("unemployment", "unemployment_rate"), ("informality", "informality_rate")):
        out[f"{key}_rise_peak"] = float(post[col].max() - pre[col].mean()) if len(post) else 0.0
    # poverty against the median of those months: until burn-in ends the line floats, and
    # households topped up exactly to it cross it whenever the median moves (the headcount
    # jumps in single months); the median month is the level the anchored line then holds
    anchor = float(pre["poverty_headcount"].median()) if len(pre) else 0.0
    out["poverty_rise_peak"] = float(post["poverty_headcount"].max() - anchor) if len(post) else 0.0
    u = post["unemployment_rate"].rolling(3, min_periods=1).mean().to_numpy()
    base, rise = float(pre["unemployment_rate"].mean()), out["unemployment_rise_peak"]
    peak = int(post["unemployment_rate"].to_numpy().argmax()) if len(post) else 0
    out["unemployment_peak_month"] = peak
    back = [i for i in range(peak, len(u)) if u[i] - base <= 0.1 * max(rise, 0.0)]
    out["months_to_recover"] = back[0] - peak if back else -1
    return out


def calibration(summary: dict, targets: dict) -> list[dict]:
    """Each target against its simulated value; ``within`` when the gap is in tolerance."""
    rows = []
    for name, t in targets.items():
        value: Any = summary
        for part in name.split("."):
            value = value[part]
        rows.append(
            {
                "name": name,
                "target": t.value,
                "simulated": value,
                "tolerance": t.tolerance,
                "source": t.source,
                "location": t.location,
                "within": bool(abs(value - t.value) <= t.tolerance),
            }
        )
    return rows


def summarise(
    ts, cohorts: Cohorts, burn_in: int, targets: dict | None = None, gdp_per_month: float = 0.0
) -> dict:
    """Headline outcomes averaged over the months after burn-in (``ts`` a DataFrame);
    ``gdp_per_month`` (0 where the economy states none) gives spending as a share of GDP."""
    post = ts[ts["month"] >= burn_in]
    out: dict = {"months_averaged": len(post), "burn_in": burn_in}
    for k in RATE_KEYS:
        out[k] = float(post[k].mean())
    for k in SPEND_KEYS:
        out[k] = float(post[k].mean())  # per month
    placements = float(post["new_placements"].sum())
    out["placements_per_month"] = placements / max(len(post), 1)
    out["population_working_age"] = float(post["n_working_age"].mean())
    out["gdp_per_month"] = gdp_per_month
    # on the base of the ILO's headline ratios (people aged 15+, retired included), to
    # compare with published figures; employment_rate and participation_rate are 15-64
    everyone = post["n_workers"].to_numpy(dtype=float)
    employed = (post["n_formal"] + post["n_informal"]).to_numpy(dtype=float)
    out["employment_rate_15plus"] = float((employed / everyone).mean())
    out["participation_rate_15plus"] = float(
        (post["n_labour_force"].to_numpy(dtype=float) / everyone).mean()
    )
    # as the OECD counts active measures (categories 1-7): the programmes and the
    # employment service that places and refers (registrations, intakes, counsellors)
    active = out["spend_almp"] + float(post["spend_employment_service"].mean())
    out["almp_share_gdp"] = active / gdp_per_month if gdp_per_month > 0 else 0.0
    lifted = float(post["n_lifted_out_of_poverty"].mean())
    support = float(
        (post["spend_benefits"] + post["spend_stipends"] + post["spend_completion_cash"]).mean()
    )
    out["people_lifted_out_of_poverty"] = lifted
    out["people_in_poverty"] = float(post["n_poor"].mean())
    out["cost_per_person_lifted_out_of_poverty"] = support / lifted if lifted > 0 else 0.0
    out["cost_per_placement"] = (
        float(post["spend_almp"].sum() + post["spend_admin"].sum()) / placements
        if placements > 0
        else 0.0
    )
    for k in PLACEMENT_WINDOWS:
        out[f"placement_rate_{k}m"] = cohorts.rate(k, burn_in)
    exits = float(post["queue_exits"].sum())
    out["mean_wait_months"] = float(post["queue_wait_months"].sum()) / exits if exits else 0.0
    referrals = float(post["new_referrals"].sum())
    # losses happen at delivery, ``delay_months`` after a referral is made, so they are
    # divided by the referrals delivered in the same months (lost, dropped off at an
    # intake or arrived), not by the referrals made then: the same flow, the same window
    lost = float(post["new_referrals_lost"].sum())
    delivered = lost + float(post["new_intake_dropouts"].sum() + post["new_queue_arrivals"].sum())
    out["regime"] = {
        "referrals_per_month": referrals / max(len(post), 1),
        "referrals_lost_share": lost / delivered if delivered else 0.0,
        "duplicated_intakes_per_month": float(post["new_duplicated_intakes"].mean()),
        "waiting_list": float(post["n_waiting"].mean()),
        "caseload": float(post["caseload"].mean()),
        "caseload_max_office": float(post["caseload_max_office"].mean()),
        "caseload_min_office": float(post["caseload_min_office"].mean()),
        "outreach_returns_per_month": float(post["new_outreach_returns"].mean()),
        "reserved_starts_per_month": float(post["new_reserved_starts"].mean()),
        "contact_rate": float(post["contact_rate"].mean()),
        "meetings_per_client": float(post["meetings_per_client"].mean()),
        "sanctions_per_month": float(post["new_sanctions"].mean()),
    }
    programmes = [c[len("new_starts_") :] for c in ts.columns if c.startswith("new_starts_")]
    out["programmes"] = {}
    for name in programmes:
        placed = float(post[f"new_placements_{name}"].sum())
        spend = float(post[f"spend_{name}"].sum())
        out["programmes"][name] = {
            "participants": float(post[f"n_in_{name}"].mean()),
            "starts_per_month": float(post[f"new_starts_{name}"].mean()),
            "completions_per_month": float(post[f"new_completions_{name}"].mean()),
            "placements_per_month": placed / max(len(post), 1),
            "spend_per_month": spend / max(len(post), 1),
            "cost_per_placement": spend / placed if placed else 0.0,
            **programme_measures(post, name),
        }
    sectors = [c[len("n_employed_in_") :] for c in ts.columns if c.startswith("n_employed_in_")]
    employed = float((post["n_formal"] + post["n_informal"]).mean())
    out["by_sector"] = {
        name: {
            "employment_share": _share(float(post[f"n_employed_in_{name}"].mean()), employed),
            "formal_share": _share(
                float(post[f"n_formal_in_{name}"].mean()),
                float(post[f"n_employed_in_{name}"].mean()),
            ),
            "unemployed_from": float(post[f"n_unemployed_from_{name}"].mean()),
            "vacancies_per_month": float(post[f"vacancies_in_{name}"].mean()),
        }
        for name in sectors
    }
    for block, (groups, measures) in GROUP_BLOCKS.items():
        keys = (*measures, "poverty_headcount", "mean_equivalised_income")
        out[block] = {g: {m: float(post[f"{m}_{g}"].mean()) for m in keys} for g in groups}
    out["calibration"] = calibration(out, targets or {})
    return out
