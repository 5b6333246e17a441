"""Schema of the regime layer: how income support is aligned with ALMPs.

The working paper's Table 3 defines three degrees of alignment (integration, coordination,
cooperation) on three functions (eligibility, delivery, financing). ``RegimeConfig`` names
the degree of each function as a plain string, so any of the 27 mixes is a command-line
override (``regime.eligibility=integration``) and a mid-run reform is a dated value of the
same string. The parameters of every degree's mechanism are always present under
``mechanisms``; only the selected degree's act. No degree is better by assumption: each
mechanism has costs and losses set in YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..fields import REQUIRED, flag, par, prob, sub

DEGREES = ("integration", "coordination", "cooperation")
FUNCTIONS = ("eligibility", "delivery", "financing")


def degree(doc: str):
    return field(default=REQUIRED, metadata={"doc": doc, "choices": DEGREES})


@dataclass
class IntegratedEligibility:
    """Integration: qualifying for a benefit enrols you in services and programmes."""

    enrolment: float = prob("share of new benefit claimants enrolled automatically", "share")
    benefit_enrolment: float = prob(
        "monthly probability the single window enrols a person entitled to a benefit it "
        "knows of (a job loser; a household with an open case)"
    )


@dataclass
class CoordinatedEligibility:
    """Coordination: a shared information system refers people who meet the criteria."""

    sensitivity: float = prob(
        "probability the shared system flags an eligible job seeker in a review", "probability"
    )
    false_positive: float = prob(
        "probability it flags a job seeker who does not meet the criteria", "probability"
    )
    review_months: int = par("months between reviews of the register", lo=1, hi=24, unit="months")
    register_upkeep: float = par(
        "monthly cost of keeping the shared register (data entry, matching, maintenance) "
        "per 1,000 people aged 15+",
        lo=0.0,
        unit="currency/month",
    )


@dataclass
class CooperativeEligibility:
    """Cooperation: people must find and apply to each programme on their own."""

    self_referral: float = prob(
        "monthly probability an eligible job seeker who knows of a programme applies"
    )
    informed_digital: float = prob(
        "probability a digitally literate job seeker knows of the programme", "probability"
    )
    informed_other: float = prob(
        "probability a job seeker without digital literacy knows of it", "probability"
    )
    self_claim: float = prob(
        "monthly probability an informed person entitled to a benefit applies for it, "
        "where no agency refers them (any degree)"
    )


@dataclass
class EligibilityMechanisms:
    integration: IntegratedEligibility = sub(IntegratedEligibility)
    coordination: CoordinatedEligibility = sub(CoordinatedEligibility)
    cooperation: CooperativeEligibility = sub(CooperativeEligibility)


@dataclass
class DeliveryRoute:
    """How a referral travels from the referring agency to the provider."""

    delay_months: int = par(
        "months between referral and arrival at the provider", lo=0, hi=24, unit="months"
    )
    leakage: float = prob("probability a referral is lost between agencies", "probability")
    intakes: int = par(
        "intakes a referred person goes through (1 = one intake; more = the same data asked again)",
        lo=1,
        hi=5,
        unit="intakes",
    )
    drop_off: float = prob("probability of dropping out at each further intake", "probability")


@dataclass
class IntegratedDelivery(DeliveryRoute):
    """The single window: one intake and one case, at a price."""

    window_cost: float = par(
        "monthly running cost of the single window (its set-up amortised) per 1,000 people "
        "aged 15+",
        lo=0.0,
        unit="currency/month",
    )
    case_time: float = par(
        "extra counsellor time a client meeting takes when one case covers benefits and "
        "employment (a counsellor holds contacts_per_counsellor / (1 + case_time) meetings)",
        lo=0.0,
        hi=3.0,
        unit="share",
    )


@dataclass
class CoordinatedDelivery(DeliveryRoute):
    co_location: bool = flag("services share premises: leakage is reduced")
    co_location_effect: float = prob(
        "relative reduction of leakage when services are co-located", "share"
    )


@dataclass
class DeliveryMechanisms:
    integration: IntegratedDelivery = sub(IntegratedDelivery)
    coordination: CoordinatedDelivery = sub(CoordinatedDelivery)
    cooperation: DeliveryRoute = sub(DeliveryRoute)


@dataclass
class FinancingMechanisms:
    almp_budget: float = par(
        "programme budget per month per 1,000 people aged 15+ (separate budgets); by "
        "default ${almp_budget:}, the economy's ALMP share of GDP less the counsellors' cost",
        lo=0.0,
        unit="currency/month per 1,000",
    )
    seat_cover: float = par(
        "programme places at full occupancy cost this multiple of the programme budget "
        "(above 1: money binds before seats); with budget_share it sizes the seats",
        lo=0.0,
        hi=100.0,
        unit="ratio",
    )
    pooled_envelope: str = field(
        default=REQUIRED,
        metadata={
            "doc": "integration: matched (the ALMP budget plus last budget year's benefit "
            "bill: the same money as separate budgets, moved by benefit savings) or fixed "
            "(pooled_budget)",
            "choices": ("matched", "fixed"),
        },
    )
    pooled_budget: float = par(
        "pooled benefits + ALMP budget per month per 1,000 people aged 15+ (integration, "
        "pooled_envelope: fixed)",
        lo=0.0,
        unit="currency/month per 1,000",
    )
    realign_months: int = par(
        "coordination: months between policy-level re-alignments of the ALMP budget",
        lo=1,
        hi=60,
        unit="months",
    )
    realign_to_demand: float = prob(
        "coordination: share of the unmet demand of the last period added at re-alignment",
        "share",
    )
    year_months: int = par(
        "cooperation: months in a budget year (caps reset)", lo=1, hi=24, unit="months"
    )
    reimbursement: bool = flag(
        "Danish rule: central government reimburses the local service's benefit costs at a "
        "rate that falls as the client's spell lengthens"
    )
    reimbursement_from: list[float] = par(
        "spell (months) from which each reimbursement rate applies, ascending",
        lo=0.0,
        hi=600.0,
        unit="months",
    )
    reimbursement_rate: list[float] = par(
        "central reimbursement rate for each step", lo=0.0, hi=1.0, unit="share"
    )


@dataclass
class MechanismsConfig:
    eligibility: EligibilityMechanisms = sub(EligibilityMechanisms)
    delivery: DeliveryMechanisms = sub(DeliveryMechanisms)
    financing: FinancingMechanisms = sub(FinancingMechanisms)


@dataclass
class QueueConfig:
    abandon: float = prob("monthly probability a person on a waiting list gives up")
    intake_cost: float = par("administrative cost of one intake", lo=0.0, unit="currency")
    referral_cost: float = par("administrative cost of one referral", lo=0.0, unit="currency")
    referral_buffer: float = par(
        "referrals to a programme in a month at most this multiple of the places it expects "
        "(free seats and expected completions, less those waiting or on the way; 0 = no cap)",
        lo=0.0,
        hi=20.0,
        unit="ratio",
    )


@dataclass
class RegimeConfig:
    eligibility: str = degree("degree of alignment of eligibility")
    delivery: str = degree("degree of alignment of delivery")
    financing: str = degree("degree of alignment of financing")
    equal_envelope: bool = flag(
        "hold total public spending (benefits, ALMPs, administration) at the level of the "
        "baseline world (envelope_baseline, same seed); ALMP money is the residual"
    )
    envelope_baseline: str = degree("degree of every function in the equal envelope's baseline")
    queue: QueueConfig = sub(QueueConfig)
    mechanisms: MechanismsConfig = sub(MechanismsConfig)


# --------------------------------------------------------------------------- programmes
KINDS = ("training", "job_search", "wage_subsidy", "public_works", "self_employment")
TARGETS = ("unemployed", "informal")


@dataclass
class ProgrammeConfig:
    """One active labour market programme: who it is for, what it costs, what it does.

    Kinds: *training* (basic, vocational, reskilling; in the ``training`` state, searching
    less), *job_search* (intensive assistance and intermediation while unemployed),
    *wage_subsidy* (a voucher that makes a formal hire cheaper, then a subsidy paid to the
    employer), *public_works* (a state of its own, paid a wage), *self_employment* (a course
    and grant after which participants may start own-account work). With ``target:
    informal`` a training programme is recognition of prior learning for informal workers,
    who keep working while assessed.
    """

    kind: str = field(default=REQUIRED, metadata={"doc": "kind of programme", "choices": KINDS})
    enabled: bool = flag("whether the programme runs")
    weight: float = par(
        "relative chance of referral here among the programmes a person is eligible for",
        lo=0.0,
        hi=100.0,
    )
    target: str = field(default=REQUIRED, metadata={"doc": "who it serves", "choices": TARGETS})
    min_spell_months: int = par(
        "unemployment spell before eligibility", lo=0, hi=600, unit="months"
    )
    min_age: int = par("youngest eligible age", lo=15, hi=100, unit="years")
    max_age: int = par("oldest eligible age", lo=15, hi=100, unit="years")
    max_skill: float = prob("highest eligible skill index", "skill")
    uncertified_only: bool = flag("only people whose skill is not certified")
    claimants_only: bool = flag("only benefit claimants (UI or social assistance)")
    duration_months: int = par("length of participation", lo=1, hi=36, unit="months")
    seats_per_1000: float = par(
        "places per 1,000 people aged 15+ (0 = no limit); by default ${almp_seats:}, "
        "seat_cover x the programme budget x budget_share / (cost_per_month + stipend)",
        lo=0.0,
        hi=1000.0,
        unit="places per 1,000",
    )
    budget_share: float = prob(
        "share of the programme budget its places are sized for (the catalogue's mix)",
        "share",
    )
    cost_per_month: float = par(
        "provider cost per participant-month", lo=0.0, unit="currency/participant-month"
    )
    dropout: float = prob("monthly hazard of dropping out")
    lock_in: float = par(
        "search effort while participating, relative to the unemployed (below 1: lock-in; "
        "above 1: job-search assistance)",
        lo=0.0,
        hi=5.0,
        unit="ratio",
    )
    hire_bonus: float = par(
        "rise in log hiring weight while participating (intermediation; for wage subsidies, "
        "formal vacancies only)",
        lo=0.0,
        hi=10.0,
        unit="log points",
    )
    stipend: float = par(
        "paid to participants each month (training stipend, public-works wage)",
        lo=0.0,
        unit="currency/month",
    )
    completion_cash: float = par(
        "paid once on completion (conditional cash transfer)", lo=0.0, unit="currency"
    )
    skill_gain: float = par("skill-index gain on completion", lo=0.0, hi=1.0, unit="skill")
    certification: float = prob("probability completion certifies the skill", "probability")
    digital: float = prob("probability completion confers digital literacy", "probability")
    subsidy_rate: float = prob("wage subsidy as a share of the wage, paid to the employer", "share")
    subsidy_months: int = par(
        "months the wage subsidy is paid after a formal hire", lo=0, hi=60, unit="months"
    )
    start_business: float = prob("probability a completer starts own-account work", "probability")
    network_bonus: float = par(
        "wage subsidies: rise in log hiring weight in later job search for a person whose "
        "subsidised job lasted the whole subsidy (contacts and a reference from the employer)",
        lo=0.0,
        hi=10.0,
        unit="log points",
    )
