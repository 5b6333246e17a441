"""One glossary of the names users read: outcome keys and override paths to plain names
and units, shared by the terminal tables and the dashboards, so both say the same thing.

Keys missing here still get a name: outcomes from their key, override paths from the
parameter's own description in the config schema (``docs/parameters.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

RATE = "%"
MONEY = "currency/month"


@dataclass(frozen=True)
class Term:
    """How an outcome is named and shown: ``display = raw * scale`` in ``unit``;
    ``short`` heads a terminal column; ``higher_is_better`` is None where neither is."""

    key: str
    label: str
    unit: str
    short: str = ""
    scale: float = 1.0
    decimals: int = 1
    higher_is_better: bool | None = None

    @property
    def is_rate(self) -> bool:
        return self.unit == RATE

    @property
    def is_money(self) -> bool:
        return self.unit == MONEY

    @property
    def diff_unit(self) -> str:
        """Differences of rates are percentage points."""
        return "pp" if self.is_rate else self.unit

    @property
    def axis(self) -> str:
        return f"{self.label} ({self.unit})"


def _rate(key: str, label: str, short: str, better: bool | None, decimals: int = 1) -> Term:
    return Term(key, label, RATE, short, 100.0, decimals, better)


def _money(key: str, label: str, short: str, better: bool | None = False) -> Term:
    return Term(key, label, MONEY, short, 1.0, 0, better)


_TERMS = (
    _rate("poverty_headcount", "Poverty headcount", "poverty %", False, 2),
    Term("poverty_gap", "Poverty gap (FGT1)", "index", "poverty gap", 1.0, 4, False),
    Term("poverty_severity", "Poverty severity (FGT2)", "index", "severity", 1.0, 4, False),
    _rate("child_poverty_headcount", "Child poverty headcount", "child pov. %", False, 2),
    _rate("poverty_headcount_pre_transfer", "Poverty before transfers", "pre-transfer %", False),
    _rate("unemployment_rate", "Unemployment rate", "unemployed %", False, 2),
    _rate("informality_rate", "Informal share of employment", "informal %", False),
    _rate("employment_rate", "Employment rate, ages 15-64", "employed %", True),
    _rate("youth_neet_rate", "Youth not in employment, education or training", "NEET %", False),
    _rate("ltu_share", "Long-term unemployed share", "LTU %", False),
    _rate("job_finding_rate", "Monthly job-finding rate", "finding %", True),
    _rate("separation_rate", "Monthly job-separation rate", "separation %", False, 2),
    _rate("participation_rate", "Labour-force participation, ages 15-64", "particip. %", None),
    _rate("vacancy_rate", "Vacancy rate", "vacancy %", None, 2),
    _rate("employment_rate_15plus", "Employment-to-population ratio, 15+", "EPR 15+ %", True),
    _rate("participation_rate_15plus", "Labour-force participation, 15+", "LFPR 15+ %", None),
    _rate("almp_share_gdp", "ALMP spending, share of GDP", "ALMP % GDP", None, 2),
    _rate("benefit_coverage_unemployed", "Unemployed receiving income support", "covered %", True),
    _rate(
        "ui_coverage_unemployed",
        "Unemployed receiving an unemployment benefit (ILO)",
        "ILO cov. %",
        True,
    ),
    _rate("ui_takeup_rate", "Take-up of unemployment insurance", "UI take-up %", True),
    _rate("sa_takeup_rate", "Take-up of social assistance", "SA take-up %", True),
    _rate("income_support_coverage", "Households receiving income support", "support %", True),
    _rate("income_support_coverage_poor", "Poor households receiving support", "poor cov. %", True),
    _rate("placement_rate_3m", "Placed within 3 months", "placed 3m %", True),
    _rate("placement_rate_6m", "Placed within 6 months", "placed 6m %", True),
    _rate("placement_rate_12m", "Placed within 12 months", "placed 12m %", True),
    _rate("participation_rate", "Labour-force participation, ages 15-64", "particip. %", None),
    _money("spend_benefits", "Income support spending", "benefits/mo"),
    _money("spend_ui", "Unemployment insurance spending", "UI/mo"),
    _money("spend_sa", "Social assistance spending", "SA/mo"),
    _money("spend_almp", "Programme (ALMP) spending", "ALMP/mo"),
    _money("spend_admin", "Administration spending", "admin/mo"),
    _money("spend_total", "Public spending", "spend/mo"),
    _money("spend_pensions", "Pensions paid", "pensions/mo"),
    _money("revenue_contributions", "Contributions collected", "contrib/mo", True),
    _money("net_fiscal_cost", "Net fiscal cost", "net cost/mo"),
    Term("cost_per_placement", "Cost per placement", "currency", "cost/placed", 1.0, 0, False),
    Term(
        "cost_per_person_lifted_out_of_poverty",
        "Income support per person lifted out of poverty",
        "currency/month",
        "cost/lifted",
        1.0,
        0,
        False,
    ),
    Term("placements_per_month", "Placements", "people/month", "placed/mo", 1.0, 1, True),
    Term(
        "net_placements_per_month",
        "Placements net of the baseline",
        "people/month",
        "net placed/mo",
        1.0,
        1,
        True,
    ),
    Term(
        "incremental_cost_per_placement",
        "Incremental cost per additional placement",
        "currency",
        "cost/extra placement",
        1.0,
        0,
        False,
    ),
    Term(
        "incremental_cost_per_person_lifted_out_of_poverty",
        "Incremental cost per person lifted out of poverty (a month)",
        "currency",
        "cost/extra person lifted",
        1.0,
        0,
        False,
    ),
    Term("people_in_poverty", "People in poverty", "people", "poor", 1.0, 0, False),
    Term(
        "people_lifted_out_of_poverty",
        "People lifted out of poverty by transfers",
        "people",
        "lifted",
        1.0,
        0,
        True,
    ),
    Term(
        "mean_wait_months", "Mean wait for a programme seat", "months", "wait (mo)", 1.0, 2, False
    ),
    Term("population_working_age", "People of working age (15-64)", "people", "aged 15-64", 1.0, 0),
)
OUTCOMES: dict[str, Term] = {t.key: t for t in _TERMS}

#: override paths (and config groups) -> plain names
PARAMETERS = {
    "regime": "Regime",
    "regime.eligibility": "Eligibility",
    "regime.delivery": "Delivery",
    "regime.financing": "Financing",
    "regime.mechanisms.financing.almp_budget": "ALMP budget",
    "policy": "Policy set",
    "policy.unemployment_insurance.replacement_rate": "UI replacement rate",
    "policy.unemployment_insurance.max_duration_months": "UI maximum duration (months)",
    "economy": "Economy",
    "economy.demand_index": "Labour demand index",
    "population": "Population",
    "population.size": "Population aged 15+",
    "spoc": "Single point of contact",
    "seed": "Seed",
    "run.replicate": "Replicate",
    "sweep": "Sweep preset",
}

#: the regimes in two lines each, from the working paper's Table 3 (000_130ba9d7416620b7,
#: "Degrees of alignment between social protection and skills development")
REGIMES = {
    "integration": (
        "Eligibility for a benefit comes with eligibility for skills and training, and "
        "financing is integrated.",
        "Delivery is seamless from the person's side: one window or one-stop shop.",
    ),
    "coordination": (
        "Eligibility is checked against shared criteria, with information systems that "
        "make referrals between agencies.",
        "Delivery stays separate but is linked by referral pathways, co-location or "
        "delegation; funds are aligned at policy level.",
    ),
    "cooperation": (
        "Agencies share data to analyse outcomes together, but decide eligibility separately.",
        "Delivery and financing are generally separate, with cooperation in chosen areas "
        "and joint reviews of spending.",
    ),
}
#: a regime mix on an axis: E int · D coord · F coop
ABBREVIATIONS = {"integration": "int", "coordination": "coord", "cooperation": "coop"}
FUNCTIONS = {
    "eligibility": "who qualifies for income support and programmes, and on what conditions",
    "delivery": "where and by whom people are served: one office or several",
    "financing": "whose budget pays for programmes, and whether money follows people",
}


def outcome(key: str) -> Term:
    """The glossary's term for an outcome key; a readable fallback from the key itself
    (``programmes.vocational.starts_per_month`` -> "Vocational: starts per month")."""
    if key in OUTCOMES:
        return OUTCOMES[key]
    parts = key.split(".")
    words = [p.replace("_", " ") for p in parts[1:] if p not in ("programmes", "regime")]
    if parts[0] in ("programmes", "regime") and len(parts) > 1:
        label = words[0].capitalize() + (": " + " ".join(words[1:]) if len(words) > 1 else "")
    else:
        label = key.replace("_", " ").replace(".", ": ").capitalize()
    last = parts[-1]
    if last.endswith("share") or last.endswith("rate"):
        return Term(key, label, RATE, last.replace("_", " ")[:14], 100.0, 1)
    unit = "currency/month" if "spend" in last else ("per month" if "per_month" in last else "")
    return Term(key, label, unit, last.replace("_", " ")[:14], 1.0, 1)


@cache
def _schema_docs() -> dict[str, str]:
    from .docs import parameters

    return {path: meta.get("doc", "") for path, meta in parameters()}


def parameter(path: str) -> str:
    """The plain name of an override path: the glossary's, else the parameter's own
    description up to its first colon, semicolon or bracket, else the path."""
    path = path.removeprefix("override.").lstrip("+~")
    if path in PARAMETERS:
        return PARAMETERS[path]
    doc = _schema_docs().get(re.sub(r"\.sectors\.[^.]+\.", ".sectors.<name>.", path), "")
    head = re.split(r"[:;(]", doc, maxsplit=1)[0].strip()
    return head[:1].upper() + head[1:] if head else path


def value_text(text: str) -> str:
    try:
        number = float(text)
    except ValueError:
        return text.replace("_", " ")
    return f"{number:,.0f}" if number == int(number) and abs(number) >= 1000 else f"{number:g}"


def configuration(label: str) -> str:
    """A configuration label (``k=v, k=v`` of its overrides) in plain words: a regime's
    three functions as ``eligibility: X · delivery: Y · financing: Z``, any other override
    as ``Name: value``; ``default`` stays."""
    if label in ("default", "") or "=" not in label:
        return label
    parts = []
    for item in re.split(r",\s*(?=[\w.+~/]+=)", label):
        key, _, value = item.partition("=")
        key = key.strip()
        name = "Regime" if key == "regime" else parameter(key)
        if key.startswith("regime.") and key.count(".") == 1:
            name = name.lower()
        parts.append(f"{name}: {value_text(value.strip())}")
    return " · ".join(parts)


def short(label: str, width: int = 28) -> str:
    """A plain configuration name cut to ``width`` characters for an axis (the full name
    goes in the hover): a regime mix shortens to its three degrees, ``int/coo/coop``."""
    text = configuration(label)
    if len(text) <= width:
        return text
    mix = re.findall(r"(?:eligibility|delivery|financing): (\w+)", text)
    if len(mix) == 3 and text.count("·") == 2:
        return " · ".join(f"{f} {ABBREVIATIONS.get(d, d)}" for f, d in zip("EDF", mix, strict=True))
    return text[: width - 1] + "…"
