"""Typed configuration schema and validation.

The dataclasses below are the schema Hydra composes the YAML in ``configs/`` against: an
unknown key or a value of the wrong type fails at composition. Every numeric field also
carries its allowed range, unit and meaning as metadata; ``validate`` checks the ranges and
the few cross-field rules and raises ``ConfigError`` with one line naming the key, the
value and what is allowed. The model only ever sees a validated ``Config``.
"""

from __future__ import annotations

import math
import re
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from .fields import INF, REQUIRED, ConfigError, flag, par, prob, sub
from .outputs import PROGRAMME_MEASURES, TARGETABLE, targetable
from .policy.schema import ProgrammeConfig, RegimeConfig

__all__ = ["INF", "REQUIRED", "Config", "ConfigError", "flag", "par", "prob", "sub"]


# --------------------------------------------------------------------------- population
@dataclass
class DemographyConfig:
    enabled: bool = flag(
        "ageing, deaths, entrants, retirement and school leaving (false freezes "
        "the population: textbook checks)"
    )
    mortality_at_15: float = prob("annual probability of death at age 15", "per year")
    mortality_growth: float = par(
        "Gompertz growth of annual mortality per year of age", lo=0.0, hi=0.5, unit="1/year"
    )
    max_age_years: int = par("age at which every remaining worker leaves", lo=66, hi=110)
    school_leaving: float = prob(
        "monthly hazard that a 15-24 year-old in education leaves school to search"
    )
    school_leaving_age_max: int = par(
        "age (years) by which every young person has left school", lo=15, hi=30
    )
    pension_age_years: int = par("statutory pension age", lo=50, hi=75, unit="years")


@dataclass
class PopulationConfig:
    size: int = par("number of worker slots (people aged 15+)", lo=1, hi=50_000_000)
    adults_per_household: list[float] = par(
        "probabilities of 1, 2, 3, 4... people aged 15+ per household",
        lo=0.0,
        hi=1.0,
    )
    children_per_household: float = par(
        "mean number of children under 15 per household (Poisson)", lo=0.0, hi=10.0
    )
    female_share: float = prob("share of women", "share")
    skill_beta: list[float] = par(
        "Beta(a, b) distribution of the skill index in [0, 1]", lo=0.01, hi=100.0
    )
    certified_share: float = prob("share with a certified skill at mean skill", "share")
    digital_share: list[float] = par(
        "digital literacy by life stage (youth, prime, older, 65+)",
        lo=0.0,
        hi=1.0,
    )
    disability_share: float = prob("share with a disability at the start", "share")
    carer_share: list[float] = par("share with care responsibilities (men, women)", lo=0.0, hi=1.0)
    region_shares: list[float] = par(
        "population share of each region (one entry per region, summing to 1); each region "
        "has its own employment-service office",
        lo=0.0,
        hi=1.0,
        unit="share",
    )
    initial_unemployment: float = prob("share of the labour force unemployed at start", "share")
    initial_informality: float = prob("share of employment informal at start", "share")
    demography: DemographyConfig = sub(DemographyConfig)


# --------------------------------------------------------------------------- economy
@dataclass
class SectorConfig:
    employment_share: float = prob("share of initial jobs", "share")
    vacancy_share: float = prob("share of vacancies posted (before normalising)", "share")
    formal_vacancy_share: float = prob("share of this sector's vacancies that are formal", "share")
    separation_formal: float = prob("monthly separation hazard of formal jobs")
    separation_informal: float = prob("monthly separation hazard of informal jobs")
    wage_formal: float = par("formal monthly wage at skill 0", lo=0.0, unit="currency/month")
    informal_wage_ratio: float = par(
        "informal wage relative to formal, same skill", lo=0.0, hi=5.0, unit="ratio"
    )
    skill_requirement: float = prob(
        "mean skill required by this sector's formal vacancies", "skill"
    )
    productivity: float = par(
        "monthly output of a formal job at skill 0 and demand 1 (free-entry mode)",
        lo=0.0,
        unit="currency/month",
    )
    informal_productivity: float = par(
        "output of an informal wage job relative to a formal one, same skill (free-entry mode)",
        lo=0.0,
        hi=5.0,
        unit="ratio",
    )


@dataclass
class SearchConfig:
    effort_unemployed: float = prob("probability an unemployed worker applies in a month")
    effort_informal: float = prob(
        "probability an informal worker applies for a formal job in a month"
    )
    benefit_response: float = par(
        "fall in search effort per unit of the UI replacement ratio, at least "
        "exhaustion_horizon months of entitlement left (moral hazard)",
        lo=0.0,
        hi=1.0,
        unit="effort per replacement ratio",
    )
    exhaustion_horizon: int = par(
        "months before exhaustion over which effort rises back to its unpaid level",
        lo=1,
        hi=120,
        unit="months",
    )
    monitoring_threat: float = par(
        "relative rise of search effort of a client under monitoring (ex-ante sanction effect)",
        lo=0.0,
        hi=10.0,
        unit="ratio",
    )
    post_sanction: float = par(
        "relative rise of search effort while a sanction runs (ex-post effect, on top of "
        "the lost benefit)",
        lo=0.0,
        hi=10.0,
        unit="ratio",
    )
    discouragement: float = par(
        "relative fall in search effort per month of spell", lo=0.0, hi=1.0, unit="1/month"
    )
    own_sector: float = prob(
        "probability an applicant targets a vacancy in their own sector", "probability"
    )


@dataclass
class HiringConfig:
    mismatch_penalty: float = par(
        "fall in log hiring weight per unit of skill shortfall", lo=0.0, hi=100.0, unit="1/skill"
    )
    certified_premium: float = par(
        "extra hiring weight of a certified applicant for a formal job",
        lo=0.0,
        hi=100.0,
        unit="ratio",
    )
    scarring: float = par(
        "fall in log hiring weight per month of idle search (not programme months)",
        lo=0.0,
        hi=1.0,
        unit="1/month",
    )
    no_experience_penalty: float = par(
        "fall in log hiring weight for applicants who have never worked",
        lo=0.0,
        hi=20.0,
        unit="log points",
    )
    informal_requirement: float = prob("mean skill required by informal vacancies", "skill")
    requirement_spread: float = par(
        "s.d. of vacancy skill requirements around their mean", lo=0.0, hi=1.0, unit="skill"
    )
    skill_return: float = par(
        "log-productivity (fixed mode: log-wage) gain per unit of skill",
        lo=0.0,
        hi=10.0,
        unit="log points/skill",
    )


@dataclass
class FormalityConfig:
    formalisation: float = prob("monthly hazard that an informal job becomes formal")
    certified_multiplier: float = par(
        "formalisation hazard multiplier for certified workers", lo=0.0, hi=100.0, unit="ratio"
    )
    informalisation: float = prob("monthly hazard that a formal job becomes informal")
    cost_response: float = par(
        "free-entry mode: elasticity of the formalisation hazard (and, inverted, of "
        "informalisation) to the value of a formal job relative to an informal one",
        lo=0.0,
        hi=20.0,
        unit="ratio",
    )
    reference_ratio: float = par(
        "free-entry mode: formal/informal job-value ratio at which the two hazards take "
        "their base values",
        lo=0.01,
        hi=100.0,
        unit="ratio",
    )


@dataclass
class InactivityConfig:
    care_entry: float = prob("monthly hazard that a carer leaves the labour force")
    care_exit: float = prob("monthly hazard that a carer returns to search")
    discouraged_after: int = par(
        "spell length after which unemployed workers may give up", lo=0, hi=600, unit="months"
    )
    discouraged_entry: float = prob("monthly hazard of giving up search after that")
    discouraged_exit: float = prob("monthly hazard that a discouraged worker searches again")
    disability_onset: float = prob("monthly hazard of disability or work injury")
    disability_exit: float = prob("monthly hazard that an inactive disabled worker searches")


@dataclass
class LabourDemandConfig:
    """Vacancy stock, matching function, free entry and wage bargaining (docs/model.md)."""

    mode: str = field(
        default=REQUIRED,
        metadata={
            "doc": "free_entry: a vacancy stock created by free entry on the value of a match "
            "and a matching function; fixed_tightness: tightness x demand vacancies per "
            "applicant, lapsing monthly (textbook checks)",
            "choices": ("free_entry", "fixed_tightness"),
        },
    )
    matching_efficiency: float = par(
        "scale mu of the Cobb-Douglas matching function m = mu S^eta V^(1-eta)",
        lo=0.0,
        hi=10.0,
    )
    matching_elasticity: float = prob(
        "elasticity eta of meetings with respect to searchers", "elasticity"
    )
    vacancy_expiry: float = prob("monthly probability an open vacancy is withdrawn")
    posting_cost: float = par(
        "recruiting cost of an open vacancy per month, in months of the sector's formal "
        "output at skill 0 (enters the bargained wage through c theta)",
        lo=0.0,
        hi=100.0,
        unit="months of output",
    )
    creation_cost: float = par(
        "marginal cost of creating a job (equipping and posting a vacancy) at the reference "
        "flow, in months of the cell's output at skill 0",
        lo=0.0,
        hi=1000.0,
        unit="months of output",
    )
    posting_elasticity: float = par(
        "elasticity of new vacancies to the expected value of a vacancy (convex creation "
        "costs; infinite = pure free entry)",
        lo=0.01,
        hi=100.0,
        unit="elasticity",
    )
    posting_scale: float = par(
        "new vacancies a month per 1,000 people aged 15+ when the expected value of a "
        "vacancy equals the creation cost, split over sectors by vacancy_share",
        lo=0.0,
        hi=1000.0,
        unit="vacancies per 1,000 per month",
    )
    discount: float = par("monthly discount factor of firms", lo=0.5, hi=1.0, unit="ratio")
    bargaining_power: float = prob("worker's Nash bargaining weight phi", "share")
    home_production: float = par(
        "flow value of not working, before benefits (the outside option)",
        lo=0.0,
        unit="currency/month",
    )
    expectation_weight: float = prob(
        "weight of the latest month in firms' expectations of fill rates and job values",
        "share",
    )
    unprofitable_separation: float = prob(
        "monthly hazard that a job whose output has fallen below its labour cost ends"
    )
    tenure_return: float = par(
        "annual wage and output growth with tenure in a formal job (firm-specific capital, "
        "lost on displacement)",
        lo=0.0,
        hi=0.5,
        unit="log points/year",
    )
    tenure_cap_years: int = par(
        "years of tenure after which it no longer raises wages", lo=0, hi=50, unit="years"
    )
    min_wage: float = par(
        "minimum monthly wage of formal jobs (0 = none)", lo=0.0, unit="currency/month"
    )
    informal_enforcement: float = prob(
        "expected cost of informality to an employer: penalties as a share of the wage bill",
        "share",
    )


@dataclass
class OwnAccountConfig:
    """Own-account work: an informal outside option with free entry and crowding."""

    entry: float = prob(
        "largest monthly probability an idle unemployed worker starts own-account work"
    )
    earnings: float = par(
        "own-account earnings at skill 0 when the own-account share equals reference_share",
        lo=0.0,
        unit="currency/month",
    )
    crowding: float = par(
        "elasticity of own-account earnings to the own-account share of people aged 15+ "
        "not retired",
        lo=0.0,
        hi=10.0,
        unit="elasticity",
    )
    reference_share: float = prob(
        "own-account share of people aged 15+ not retired at which earnings equal `earnings`",
        "share",
    )


@dataclass
class EconomyConfig:
    tightness: float = par(
        "fixed_tightness mode: vacancies posted per active job seeker at demand 1",
        lo=0.0,
        hi=100.0,
        unit="vacancies/applicant",
    )
    demand_index: float = par(
        "labour demand index: scales output per job (free entry) or vacancies per applicant "
        "(fixed tightness); shocks move it",
        lo=0.0,
        hi=10.0,
    )
    separation_multiplier: float = par(
        "multiplier on every separation hazard (shocks raise it)",
        lo=0.0,
        hi=100.0,
        unit="ratio",
    )
    gdp_per_adult_month: float = par(
        "GDP per person aged 15+ per month, in the model's currency: states the economy's "
        "size, so the dashboards show spending as a share of GDP (0: not stated)",
        lo=0.0,
        hi=1e9,
        unit="currency/month",
    )
    almp_share_gdp: float = par(
        "public spending on active labour market policy (programmes and the employment "
        "service's counsellors) as a share of GDP: sizes the programme budget and seats",
        lo=0.0,
        hi=0.05,
        unit="share of GDP",
    )
    sectors: dict[str, SectorConfig] = field(default_factory=dict)
    labour_demand: LabourDemandConfig = sub(LabourDemandConfig)
    own_account: OwnAccountConfig = sub(OwnAccountConfig)
    search: SearchConfig = sub(SearchConfig)
    hiring: HiringConfig = sub(HiringConfig)
    formality: FormalityConfig = sub(FormalityConfig)
    inactivity: InactivityConfig = sub(InactivityConfig)


# --------------------------------------------------------------------------- policy
@dataclass
class UnemploymentInsuranceConfig:
    enabled: bool = flag("whether the instrument operates")
    contribution_rate: float = prob(
        "social-insurance contribution rate on formal wages (employer + employee)", "share"
    )
    employee_share: float = prob("share of contributions paid out of the worker's wage", "share")
    window_months: int = par(
        "look-back window for the contribution record", lo=1, hi=64, unit="months"
    )
    min_contribution_months: int = par(
        "months contributed within the window to qualify", lo=0, hi=64, unit="months"
    )
    replacement_rate: float = prob("benefit as a share of the last wage", "share")
    floor: float = par("minimum monthly benefit", lo=0.0, unit="currency/month")
    ceiling: float = par("maximum monthly benefit", lo=0.0, unit="currency/month")
    max_duration_months: int = par("maximum benefit duration", lo=0, hi=120, unit="months")
    takeup: float = prob(
        "share of households whose members claim an entitlement once they are reached "
        "(persistent per household: hassle and stigma)",
        "share",
    )


@dataclass
class SocialAssistanceConfig:
    enabled: bool = flag("whether the instrument operates")
    guarantee_share: float = par(
        "income guaranteed per equivalent adult by top-up, as a share of the poverty line",
        lo=0.0,
        hi=2.0,
        unit="share of the line",
    )
    takeup: float = prob(
        "share of eligible households that claim once reached (persistent per household)",
        "share",
    )


@dataclass
class CaseManagementConfig:
    """Case management by the employment service (policy brief, section 2)."""

    enabled: bool = flag("whether the employment service manages cases")
    registration: float = prob(
        "probability a job seeker without benefits registers (claimants always do)", "probability"
    )
    counsellors_per_1000: float = par(
        "counsellors per 1,000 people aged 15+", lo=0.0, hi=100.0, unit="counsellors per 1,000"
    )
    contacts_per_counsellor: float = par(
        "client meetings a counsellor holds in a month", lo=0.0, hi=1000.0, unit="meetings/month"
    )
    max_caseload: float = par(
        "hire counsellors up to this many clients each (0 = fixed staff; 100 = advanced SPOC)",
        lo=0.0,
        hi=10000.0,
        unit="clients per counsellor",
    )
    counsellor_cost: float = par("monthly cost of a counsellor", lo=0.0, unit="currency/month")
    intake_cost: float = par(
        "cost of a registration intake and needs assessment", lo=0.0, unit="currency"
    )
    profiling: str = field(
        default=REQUIRED,
        metadata={"doc": "profiling method", "choices": ("caseworker", "rules", "statistical")},
    )
    caseworker_noise: float = par(
        "s.d. of a caseworker's error on the risk score", lo=0.0, hi=10.0, unit="score"
    )
    statistical_noise: float = par(
        "s.d. of a statistical model's error on the risk score", lo=0.0, hi=10.0, unit="score"
    )
    rules_spell_months: int = par(
        "rules-based profiling: spell at which a client is high-risk", lo=0, hi=120, unit="months"
    )
    high_risk_share: float = prob(
        "share of clients profiled as high-risk (routed to counsellors, seen more often)", "share"
    )
    high_risk_intensity: float = par(
        "meetings a high-risk client gets per meeting of another client",
        lo=0.0,
        hi=100.0,
        unit="ratio",
    )
    max_meetings: float = par(
        "most counsellor meetings a client can have in a month",
        lo=0.0,
        hi=30.0,
        unit="meetings/month",
    )
    meeting_returns: float = prob(
        "effect of each further meeting in a month relative to the one before", "ratio"
    )
    contact_effort_gain: float = par(
        "relative rise of search effort from one counsellor meeting in a month",
        lo=0.0,
        hi=10.0,
        unit="ratio",
    )
    contact_match_gain: float = par(
        "rise in log hiring weight from one meeting that month (better-targeted applications)",
        lo=0.0,
        hi=10.0,
        unit="log points",
    )
    multi_channel: bool = flag(
        "an online self-service channel that digitally literate clients not profiled "
        "high-risk may choose"
    )
    online_convenience: float = par(
        "logit of choosing online over a counsellor when both do equally well (time saved)",
        lo=-20.0,
        hi=20.0,
        unit="logit",
    )
    online_need: float = par(
        "rise in the value of a counsellor meeting per point of risk score (need)",
        lo=0.0,
        hi=10.0,
        unit="per score point",
    )
    channel_noise: float = par(
        "scale of the taste shock in the channel choice (larger: less responsive)",
        lo=0.01,
        hi=100.0,
        unit="meeting doses",
    )
    online_contact: float = prob("monthly probability an online client uses the service")
    online_effect: float = prob(
        "effect of an online contact relative to a meeting with a counsellor", "ratio"
    )
    online_cost: float = par("cost of an online contact", lo=0.0, unit="currency")
    sanction_after: int = par(
        "consecutive monitored failures to search before a sanction", lo=1, hi=12, unit="months"
    )
    sanction_months: int = par(
        "months of benefit suspension per sanction", lo=0, hi=24, unit="months"
    )
    office_staffing: str = field(
        default=REQUIRED,
        metadata={
            "doc": "how counsellors are spread over the regional offices: in proportion to "
            "the region's population, the same number per office, or moved each month to "
            "follow each office's clients",
            "choices": ("population", "equal", "caseload"),
        },
    )
    outreach: float = prob(
        "monthly probability a discouraged inactive person is oriented back to registration "
        "(single point of contact, minimum level)"
    )
    shared_history: float = prob(
        "share of a repeated intake's burden (its cost and its drop-off) avoided because "
        "agencies share the client's case history (single point of contact)",
        "share",
    )
    reserved_places: float = prob(
        "share of each month's programme places reserved for clients with an open case at "
        "the employment service (single point of contact, intermediate level)",
        "share",
    )


@dataclass
class InformalCoverageConfig:
    """Extending protection to informal workers (policy brief, section 6): the two tracks and
    the contribution staircase."""

    track: str = field(
        default=REQUIRED,
        metadata={
            "doc": "none; formalisation (extension through formalisation: a subsidy that speeds "
            "formalisation); independent (extension independent of status: assistance for "
            "informal job losers)",
            "choices": ("none", "formalisation", "independent"),
        },
    )
    formalisation_boost: float = par(
        "formalisation track: multiplier on the formalisation hazard",
        lo=1.0,
        hi=20.0,
        unit="ratio",
    )
    formalisation_subsidy: float = par(
        "formalisation track: one-off public subsidy per job formalised",
        lo=0.0,
        unit="currency",
    )
    assistance: float = par(
        "independent track: monthly assistance to informal job losers",
        lo=0.0,
        unit="currency/month",
    )
    assistance_months: int = par(
        "independent track: months of assistance", lo=0, hi=60, unit="months"
    )
    staircase: bool = flag(
        "informal workers may contribute voluntarily at a reduced rate, building a record that "
        "qualifies them for unemployment insurance"
    )
    staircase_rate: float = prob("reduced contribution rate on informal earnings", "share")
    staircase_takeup: float = prob("monthly probability an informal worker contributes")


@dataclass
class DisplacementConfig:
    """Support for displaced workers: severance and early retirement of older workers."""

    severance_months_per_year: float = par(
        "severance paid on losing a formal job, in months of wage per year of tenure",
        lo=0.0,
        hi=12.0,
        unit="months of wage per year",
    )
    severance_max_months: float = par("cap on severance", lo=0.0, hi=60.0, unit="months of wage")
    early_retirement_age: int = par(
        "displaced formal workers from this age may retire early", lo=40, hi=75, unit="years"
    )
    early_retirement: float = prob(
        "probability a displaced worker of that age takes early retirement", "probability"
    )
    early_pension_reduction: float = prob(
        "reduction of the contributory pension for retiring early", "share"
    )


@dataclass
class PensionConfig:
    replacement_rate: float = prob("contributory pension as a share of last wage", "share")
    min_contribution_months: int = par(
        "months contributed in the look-back window to get a contributory pension",
        lo=0,
        hi=64,
        unit="months",
    )
    social_pension: float = par("non-contributory pension", lo=0.0, unit="currency/month")


@dataclass
class AdminConfig:
    cost_per_claim_month: float = par(
        "benefit administration per beneficiary-month", lo=0.0, unit="currency"
    )


@dataclass
class PovertyConfig:
    line: str = field(default=REQUIRED, metadata={"choices": ("anchored", "relative", "absolute")})
    relative_share: float = prob("relative line as a share of median equivalised income", "share")
    absolute_line: float = par("absolute poverty line", lo=0.0, unit="currency/month")
    equivalence_adult: float = par(
        "weight of each further person aged 15+ (OECD-modified)", lo=0.0, hi=1.0
    )
    equivalence_child: float = par("weight of each child (OECD-modified)", lo=0.0, hi=1.0)


@dataclass
class ParticipationConfig:
    """Programme rules from practice: how often one person may take part."""

    once_per_spell: bool = flag(
        "a person starts each kind of programme (training, job search, wage subsidy, public "
        "works, self-employment) at most once per job-seeking spell; another kind may follow "
        "after the cooldown, as in an activation ladder"
    )
    cooldown_months: int = par(
        "months after a participation ends before the person may be referred again (any "
        "spell; 0 = none)",
        lo=0,
        hi=600,
        unit="months",
    )
    completion_signal: float = prob(
        "share of a completer's idle-search months that no longer count against them "
        "(employers read the programme as recent activity; search morale returns)",
        "share",
    )


@dataclass
class PolicyConfig:
    unemployment_insurance: UnemploymentInsuranceConfig = sub(UnemploymentInsuranceConfig)
    social_assistance: SocialAssistanceConfig = sub(SocialAssistanceConfig)
    programmes: dict[str, ProgrammeConfig] = field(default_factory=dict)
    participation: ParticipationConfig = sub(ParticipationConfig)
    case_management: CaseManagementConfig = sub(CaseManagementConfig)
    displacement: DisplacementConfig = sub(DisplacementConfig)
    informal_coverage: InformalCoverageConfig = sub(InformalCoverageConfig)
    pension: PensionConfig = sub(PensionConfig)
    admin: AdminConfig = sub(AdminConfig)
    poverty: PovertyConfig = sub(PovertyConfig)


# --------------------------------------------------------------------------- run
@dataclass
class RunConfig:
    months: int = par("months simulated after set-up", lo=1, hi=1200, unit="months")
    burn_in: int = par(
        "months discarded before outcomes are averaged", lo=0, hi=1200, unit="months"
    )
    replicate: int = par("replicate index combined with the seed", lo=0, hi=2**31 - 1)
    label: str = field(default=REQUIRED, metadata={"doc": "name of the scenario"})


@dataclass
class DatedValue:
    """One dated parameter change: from ``month`` on, the parameter at ``path`` is ``value``."""

    month: int = par("first month (0-based) the value applies", lo=0, hi=1200, unit="month")
    path: str = field(default=REQUIRED, metadata={"doc": "dotted parameter path"})
    value: Any = REQUIRED


@dataclass
class ShockChange:
    """One part of a shock: from ``start`` to ``end`` (months after burn-in) the parameter at
    ``target`` is multiplied by, or raised by, ``change`` relative to the value it would
    otherwise have (the baseline and any reform), with the shape ``shape``."""

    target: str = field(
        default=REQUIRED,
        metadata={
            "doc": "dotted parameter path; '*' stands for every entry of a mapping "
            "(economy.sectors.*.separation_informal)"
        },
    )
    start: int = par(
        "first month of the change, counted from the end of burn-in", lo=0, hi=1200, unit="month"
    )
    end: int = par(
        "month the change is over, counted from the end of burn-in (a ramp has reached its "
        "full size); must exceed start",
        lo=1,
        hi=1200,
        unit="month",
    )
    change: float = par(
        "the multiplier (mode multiply) or the amount added (mode add) at full size",
        lo=-1e9,
        hi=1e9,
        unit="ratio or parameter unit",
    )
    mode: str = field(
        default="multiply",
        metadata={"doc": "how the change acts on the value", "choices": ("multiply", "add")},
    )
    shape: str = field(
        default="step",
        metadata={
            "doc": "step: full size from start until end, then back to the baseline; ramp: "
            "grows linearly from nothing at start to full size at end and stays "
            "(a permanent change); recovery: full size at start, fading linearly to "
            "nothing at end",
            "choices": ("step", "ramp", "recovery"),
        },
    )


@dataclass
class ShockConfig:
    """A named schedule of changes (``configs/shock/``): it composes with any scenario and
    reform (sim/shocks.py)."""

    about: str = field(default="", metadata={"doc": "what the shock represents, and its source"})
    changes: list[ShockChange] = field(default_factory=list)


@dataclass
class CalibrationTarget:
    """A moment the scenario should reproduce, with its data value, tolerance and source
    (``python -m sim.check`` compares runs with it; every summary reports it)."""

    value: float = par("data value of the moment", unit="unit of the outcome")
    tolerance: float = par(
        "largest acceptable absolute gap between simulated and data value (about two "
        "standard errors of the data, or the spread of comparable economies)",
        lo=0.0,
    )
    tolerance_basis: str = field(
        default=REQUIRED,
        metadata={
            "doc": "where the tolerance comes from (required; a tolerance wider than "
            "a third of the value must say why)"
        },
    )
    moment: str = field(
        default=REQUIRED,
        metadata={"doc": "kind of moment", "choices": ("stock", "flow", "rate", "duration")},
    )
    window: str = field(
        default=REQUIRED,
        metadata={"doc": "months the moment averages over (the simulation: after burn-in)"},
    )
    group: str = field(default=REQUIRED, metadata={"doc": "who the moment is about"})
    weight: float = par("weight of the moment in a calibration objective", lo=0.0, hi=1e6)
    source: str = field(default=REQUIRED, metadata={"doc": "document the value comes from"})
    location: str = field(
        default=REQUIRED, metadata={"doc": "where in the document (table, page, indicator)"}
    )


@dataclass
class Config:
    seed: int = par("seed of every random stream", lo=0, hi=2**32 - 1)
    population: PopulationConfig = sub(PopulationConfig)
    economy: EconomyConfig = sub(EconomyConfig)
    policy: PolicyConfig = sub(PolicyConfig)
    run: RunConfig = sub(RunConfig)
    regime: RegimeConfig = sub(RegimeConfig)
    targets: dict[str, CalibrationTarget] = field(
        default_factory=dict,
        metadata={"doc": "calibration targets keyed by summary outcome (dotted path)"},
    )
    reforms: list[DatedValue] = field(
        default_factory=list,
        metadata={
            "doc": "dated parameter changes applied to a copy of this baseline (see sim/params.py)"
        },
    )
    shocks: dict[str, ShockConfig] = field(
        default_factory=dict,
        metadata={"doc": "named shocks: relative, dated changes on top of the reforms"},
    )


#: fields that hold a list of a dataclass, and how the error message describes an item
LISTS: dict[str, tuple[type, str]] = {
    "reforms": (DatedValue, "{month, path, value}"),
    "changes": (ShockChange, "{target, start, end, change, mode, shape}"),
}

#: fields that map free names to a dataclass
MAPPINGS: dict[str, type] = {
    "sectors": SectorConfig,
    "programmes": ProgrammeConfig,
    "targets": CalibrationTarget,
    "shocks": ShockConfig,
}


# --------------------------------------------------------------------------- validation
def _fmt(value: Any) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _num(x: float) -> str:
    return f"{int(x):,}".replace(",", "_") if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"


def _allowed(meta: dict, integer: bool = False) -> str:
    lo, hi = meta.get("lo", -INF), meta.get("hi", INF)
    kind = "an integer" if integer else "a number"
    if lo == 0.0 and hi == 1.0 and meta.get("unit", "").startswith(("prob", "share")):
        return f"a {meta['unit'].split()[0]} in [0, 1]"
    if hi == INF:
        return f"{kind} >= {_num(lo)}"
    return f"{kind} in [{_num(lo)}, {_num(hi)}]"


def _check_number(key: str, value: Any, meta: dict, integer: bool = False) -> None:
    wrong_type = isinstance(value, bool) or not isinstance(value, int | float)
    if wrong_type or (integer and not float(value).is_integer()):
        raise ConfigError(
            f"{key} = {_fmt(value)} is not allowed: must be {_allowed(meta, integer)}"
        )
    if not math.isfinite(value) or not (meta["lo"] <= value <= meta["hi"]):
        raise ConfigError(
            f"{key} = {_fmt(value)} is out of range: must be {_allowed(meta, integer)}"
        )


def _walk(obj: Any, prefix: str) -> None:
    for f in fields(obj):
        key = f"{prefix}{f.name}"
        value = getattr(obj, f.name)
        meta = dict(f.metadata)
        if is_dataclass(value):
            _walk(value, key + ".")
        elif isinstance(value, dict):
            for name, item in value.items():
                if is_dataclass(item):
                    _walk(item, f"{key}.{name}.")
        elif isinstance(value, list) and value and is_dataclass(value[0]):
            for i, item in enumerate(value):
                _walk(item, f"{key}[{i}].")
        elif "choices" in meta:
            if value not in meta["choices"]:
                raise ConfigError(
                    f"{key} = {_fmt(value)} is not allowed: must be one of {list(meta['choices'])}"
                )
        elif value == REQUIRED:
            raise ConfigError(f"{key} is missing: set it in the YAML or as an override ({key}=...)")
        elif meta.get("bool"):
            if not isinstance(value, bool):
                raise ConfigError(f"{key} = {_fmt(value)} is not allowed: must be true or false")
        elif isinstance(value, list) and "lo" in meta:
            if not value:
                raise ConfigError(f"{key} = [] is not allowed: must be a non-empty list")
            for i, item in enumerate(value):
                _check_number(f"{key}[{i}]", item, meta)
        elif "lo" in meta:
            _check_number(key, value, meta, integer=f.type in ("int", int))


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ConfigError(message)


def validate(cfg: Config) -> Config:
    """Check every range and cross-field rule; return ``cfg`` or raise ``ConfigError``."""
    _walk(cfg, "")
    pop, eco, pol, run = cfg.population, cfg.economy, cfg.policy, cfg.run
    for name, target in cfg.targets.items():
        _require(
            targetable(name, cfg.policy.programmes),
            f"targets.{name} is not allowed: must name a summary outcome, one of "
            f"{', '.join(sorted(TARGETABLE))}, or programmes.<programme>.<measure> with a "
            f"measure of {', '.join(PROGRAMME_MEASURES)}",
        )
        _require(
            bool(target.tolerance_basis.strip()),
            f"targets.{name}.tolerance_basis is empty: say where the tolerance comes from",
        )
    _require(
        run.burn_in < run.months,
        f"run.burn_in = {run.burn_in} is not allowed: must be less than run.months = {run.months}",
    )
    for key, probs in (("population.adults_per_household", pop.adults_per_household),):
        _require(
            abs(sum(probs) - 1.0) < 1e-6,
            f"{key} = {probs} is not allowed: probabilities must sum to 1 (they sum to "
            f"{sum(probs):.6g})",
        )
    _require(
        len(pop.skill_beta) == 2,
        f"population.skill_beta = {pop.skill_beta} is not allowed: must be [a, b]",
    )
    _require(
        1 <= len(pop.region_shares) <= 100 and abs(sum(pop.region_shares) - 1.0) < 1e-6,
        f"population.region_shares = {pop.region_shares} is not allowed: 1 to 100 shares "
        f"summing to 1 (they sum to {sum(pop.region_shares):.6g})",
    )
    _require(
        len(pop.digital_share) == 4,
        f"population.digital_share = {pop.digital_share} is "
        "not allowed: must list 4 shares (youth, prime, older, 65+)",
    )
    _require(
        len(pop.carer_share) == 2,
        f"population.carer_share = {pop.carer_share} is not "
        "allowed: must list 2 shares (men, women)",
    )
    _require(
        len(eco.sectors) >= 1, "economy.sectors = {} is not allowed: needs at least one sector"
    )
    _require(len(eco.sectors) <= 100, "economy.sectors has more than 100 sectors")
    emp = sum(s.employment_share for s in eco.sectors.values())
    _require(emp > 0, f"economy.sectors.*.employment_share sum to {emp:g}: must be > 0")
    _require(len(pol.programmes) <= 20, "policy.programmes has more than 20 programmes")
    for name, prog in pol.programmes.items():
        _require(
            re.fullmatch(r"[a-z][a-z0-9_]*", name) is not None,
            f"policy.programmes.{name} is not allowed: names are lower-case identifiers",
        )
        _require(
            prog.min_age <= prog.max_age,
            f"policy.programmes.{name}.min_age = "
            f"{prog.min_age} is not allowed: must be <= max_age = {prog.max_age}",
        )
    fin = cfg.regime.mechanisms.financing
    _require(
        len(fin.reimbursement_from) == len(fin.reimbursement_rate)
        and list(fin.reimbursement_from) == sorted(fin.reimbursement_from),
        f"regime.mechanisms.financing.reimbursement_from = {fin.reimbursement_from} is not "
        f"allowed: must be ascending, one entry per reimbursement_rate",
    )
    ui = pol.unemployment_insurance
    _require(
        ui.min_contribution_months <= ui.window_months,
        f"policy.unemployment_insurance.min_contribution_months = {ui.min_contribution_months} "
        f"is not allowed: must be <= window_months = {ui.window_months}",
    )
    _require(
        ui.floor <= ui.ceiling,
        f"policy.unemployment_insurance.floor = {ui.floor:g} is not allowed: must be <= ceiling "
        f"= {ui.ceiling:g}",
    )
    _require(
        pop.demography.school_leaving_age_max < pop.demography.pension_age_years,
        "population.demography.school_leaving_age_max must be below pension_age_years",
    )
    _require(
        pop.demography.pension_age_years < pop.demography.max_age_years,
        "population.demography.pension_age_years must be below max_age_years",
    )
    for name, shock in cfg.shocks.items():
        for i, ch in enumerate(shock.changes):
            _require(
                ch.end > ch.start,
                f"shocks.{name}.changes[{i}].end = {ch.end} is not allowed: must exceed "
                f"start = {ch.start}",
            )
            _require(
                cfg.run.burn_in + ch.start < cfg.run.months,
                f"shocks.{name}.changes[{i}].start = {ch.start} is not allowed: burn-in + start "
                f"must be less than run.months = {cfg.run.months} (burn-in {cfg.run.burn_in})",
            )
    if cfg.reforms or cfg.shocks:
        from .params import DatedParams  # reforms and shocks are validated by applying them

        DatedParams(cfg)
    return cfg


def from_dict(data: dict) -> Config:
    """Build a validated ``Config`` from a complete plain mapping (as ``to_dict`` returns
    it, or a run's ``config.yaml``), without Hydra. The defaults live in the YAML files, not
    in the schema, so a missing key raises ``ConfigError``; to start from the default
    scenario and change a few values use ``load("population.size=1000", ...)``.

    Unknown keys raise ``ConfigError``: the same contract as Hydra composition.
    """
    return validate(_build(Config, data, ""))


def _build(cls: type, data: dict, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(
            f"{prefix.rstrip('.') or 'config'} = {_fmt(data)} is not allowed: must be a mapping"
        )
    known = {f.name: f for f in fields(cls)}
    for key in data:
        if key not in known:
            raise ConfigError(f"{prefix}{key} is not a known key: allowed keys are {sorted(known)}")
    kwargs = {}
    for name, f in known.items():
        if name not in data:
            continue
        value = data[name]
        default = (
            f.default_factory()
            if f.default_factory is not MISSING  # type: ignore[misc]
            else f.default
        )
        if is_dataclass(default):
            value = _build(type(default), value, f"{prefix}{name}.")
        elif name in MAPPINGS:
            value = {k: _build(MAPPINGS[name], v, f"{prefix}{name}.{k}.") for k, v in value.items()}
        elif name in LISTS:
            item, shape = LISTS[name]
            if not isinstance(value, list):
                raise ConfigError(
                    f"{prefix}{name} = {_fmt(value)} is not allowed: must be a list of {shape}"
                )
            value = [_build(item, v, f"{prefix}{name}[{i}].") for i, v in enumerate(value)]
        kwargs[name] = value
    return cls(**kwargs)


def to_dict(cfg: Any) -> Any:
    """Plain nested dict of a config (for hashing and writing ``config.yaml``)."""
    if is_dataclass(cfg):
        return {f.name: to_dict(getattr(cfg, f.name)) for f in fields(cfg)}
    if isinstance(cfg, dict):
        return {k: to_dict(v) for k, v in cfg.items()}
    if isinstance(cfg, list | tuple):
        return [to_dict(v) for v in cfg]
    return cfg


# --------------------------------------------------------------------------- Hydra glue
CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def load(*overrides: str) -> Config:
    """The validated config that ``python -m sim <overrides>`` would run, composed from
    ``configs/`` through Hydra's compose API (for tests, benchmarks and notebooks)."""
    from hydra import compose, initialize_config_dir

    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return from_omegaconf(compose(config_name="config", overrides=list(overrides)))


def register() -> None:
    """Register the schema with Hydra's ConfigStore as ``base_config``, and the resolvers
    that size programme money and seats from the economy's ALMP share of GDP."""
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    ConfigStore.instance().store(name="base_config", node=Config)
    if not OmegaConf.has_resolver("almp_budget"):
        OmegaConf.register_new_resolver("almp_budget", _almp_budget)
        OmegaConf.register_new_resolver("almp_seats", _almp_seats)


def programme_budget(share: float, gdp: float, counsellors: float, counsellor_cost: float):
    """Programme budget per month per 1,000 people aged 15+: the ALMP share of GDP (which
    counts the employment service, OECD category 1) less what the counsellors cost."""
    return max(share * gdp * 1000.0 - counsellors * counsellor_cost, 0.0)


def _almp_budget(*, _root_) -> float:
    cm = _root_.policy.case_management
    return programme_budget(
        float(_root_.economy.almp_share_gdp),
        float(_root_.economy.gdp_per_adult_month),
        float(cm.counsellors_per_1000),
        float(cm.counsellor_cost),
    )


def _almp_seats(*, _parent_, _root_) -> float:
    """Places per 1,000 for the programme ``_parent_``: ``seat_cover`` x the programme
    budget x its ``budget_share`` over its monthly cost per place."""
    f = _root_.regime.mechanisms.financing
    unit = float(_parent_.cost_per_month) + float(_parent_.stipend)
    money = float(f.seat_cover) * float(f.almp_budget) * float(_parent_.budget_share)
    return round(money / unit, 6) if unit > 0 else 0.0


def from_omegaconf(cfg: Any) -> Config:
    """A composed Hydra/OmegaConf config -> validated ``Config`` (raises ``ConfigError``)."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    try:
        plain = OmegaConf.to_container(cfg, resolve=True, throw_on_missing=True)
    except OmegaConfBaseException as exc:
        raise ConfigError(describe_error(exc)) from None
    plain.pop("hydra", None)
    return from_dict(plain)


def describe_error(exc: BaseException) -> str:
    """One line naming the key, the value and what is allowed, from a Hydra/OmegaConf error."""
    from omegaconf.errors import (
        ConfigAttributeError,
        ConfigKeyError,
        MissingMandatoryValue,
        OmegaConfBaseException,
    )

    chain, e = [], exc
    while e is not None and len(chain) < 10:
        chain.append(e)
        e = e.__cause__ or e.__context__
    for err in chain:
        if isinstance(err, ConfigError):
            return str(err)
    for err in chain:
        if not isinstance(err, OmegaConfBaseException) or not err.full_key:
            continue
        key = _qualified(err.full_key, chain)
        if "does not support deletion" in str(err):
            return f"{key} cannot be deleted: it is a parameter of the schema; set a value instead"
        if "is not a subclass of" in str(err):
            kind = str(err).split("is not a subclass of ")[1].split(".")[0]
            return (
                f"{key} is not allowed: a new entry needs every field of a {kind} at once "
                f"(e.g. '+{key}={{...}}' with all of {_keys_at(key.rsplit('.', 1)[0] + '.x')})"
            )
        if isinstance(err, MissingMandatoryValue):
            return f"{key} is missing: set it in the YAML or as an override ({key}=...)"
        if isinstance(err, ConfigKeyError | ConfigAttributeError):
            parent = key.rsplit(".", 1)[0] if "." in key else ""
            allowed = _keys_at(parent)
            hint = (
                f": allowed keys under {parent or 'the top level'} are {allowed}" if allowed else ""
            )
            return f"{key} is not a known key{hint}"
        first = (err.msg or str(err)).splitlines()[0]
        meta = _field_meta(key)
        allowed = f": must be {_allowed(meta, meta['_int'])}" if "lo" in meta else ""
        return f"{key} = {err.value!r} is not allowed{allowed} ({first})"
    text = str(exc).split("Config search path")[0]
    missing = re.search(r"Could not find '([^/']+)/([^']*)'", text)
    options = re.search(r"Available options in '[^']+':\s*((?:\s*\S+)+)", text)
    if missing and options:  # Hydra lists a group's options one per line
        group, given = missing.groups()
        names = ", ".join(options.group(1).split())
        return f"{group}={given} is not an option of {group}: options are {names}"
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return "; ".join(lines) if lines else type(exc).__name__


def _qualified(key: str, chain: list[BaseException]) -> str:
    """An OmegaConf error's key, made absolute: inside a list or a new mapping entry
    OmegaConf names only the last part (``month`` for ``reforms=[{month: x, ...}]``)."""
    found = re.search(r"(?:Error merging override|Could not override) '?([^=' ]+)", str(chain[0]))
    if found is None:
        return key
    given = found.group(1).lstrip("+~")
    if key == given or key.startswith(given + ".") or key.startswith(given + "["):
        return key
    parts = given.split(".")
    if key in parts:
        return ".".join(parts[: parts.index(key) + 1])
    return f"{given}[...].{key}"


def _schema_at(path: str) -> Any:
    """The schema dataclass at a dotted path (``economy.sectors.<name>`` is a sector,
    ``policy.programmes.<name>`` a programme)."""
    cls: Any = Config
    parts = [p for p in re.sub(r"\[[^\]]*\]", "", path).split(".") if p]
    i = 0
    while i < len(parts):
        f = {f.name: f for f in fields(cls)}.get(parts[i]) if is_dataclass(cls) else None
        if f is None:
            return None
        if f.name in LISTS:
            cls, i = LISTS[f.name][0], i + 1  # each item of the list
            continue
        if f.name in MAPPINGS:
            if i + 1 == len(parts):
                return None  # the mapping of names itself
            cls, i = MAPPINGS[f.name], i + 2
            continue
        default = f.default_factory() if f.default_factory is not MISSING else None  # type: ignore[misc]
        if not is_dataclass(default):
            return None
        cls, i = type(default), i + 1
    return cls


def _keys_at(path: str) -> list[str]:
    cls = _schema_at(path)
    return [f.name for f in fields(cls)] if cls is not None else []


def _field_meta(key: str) -> dict:
    parent, _, name = key.rpartition(".")
    cls = _schema_at(parent)
    f = {f.name: f for f in fields(cls)}.get(name) if cls is not None else None
    return {**f.metadata, "_int": f.type in ("int", int)} if f is not None else {}
