"""Drawing the initial population and new entrants from the population config."""

from __future__ import annotations

import numpy as np

from .config import Config
from .households import Households
from .random import Streams
from .states import InactiveReason, LastJob, State, life_stage
from .workers import Workers

ENTRY_AGE_MONTHS = 15 * 12


def monthly_mortality(cfg: Config) -> np.ndarray:
    """Monthly death probability by age in completed years (index 0..max_age)."""
    d = cfg.population.demography
    years = np.arange(d.max_age_years + 1)
    annual = np.minimum(1.0, d.mortality_at_15 * np.exp(d.mortality_growth * (years - 15)))
    monthly = 1.0 - (1.0 - annual) ** (1.0 / 12.0)
    monthly[d.max_age_years :] = 1.0
    monthly[:15] = 0.0
    return monthly


def stationary_age_weights(cfg: Config) -> np.ndarray:
    """Weights over ages in months (from 15) of a stationary population with these deaths."""
    q = monthly_mortality(cfg)
    max_m = cfg.population.demography.max_age_years * 12
    months = np.arange(ENTRY_AGE_MONTHS, max_m)
    hazard = q[months // 12]
    survival = np.concatenate([[1.0], np.cumprod(1.0 - hazard)[:-1]])
    return survival / survival.sum()


def wage_offer(
    cfg_sector_wage: np.ndarray,
    informal_ratio: np.ndarray,
    skill_return: float,
    sector: np.ndarray,
    skill: np.ndarray,
    formal: np.ndarray,
) -> np.ndarray:
    """Monthly wage of a job: sector base x skill return x informal discount."""
    base = cfg_sector_wage[sector] * np.exp(skill_return * skill)
    return np.where(formal, base, base * informal_ratio[sector]).astype(np.float32)


def draw_traits(cfg: Config, rng: np.random.Generator, age: np.ndarray) -> dict[str, np.ndarray]:
    """Sex, skill, certification, digital literacy and care duty for a set of people."""
    pop = cfg.population
    n = age.size
    sex = (rng.random(n) < pop.female_share).astype(np.int8)
    a, b = pop.skill_beta
    skill = rng.beta(a, b, n).astype(np.float32)
    mean_skill = a / (a + b)
    certified = rng.random(n) < np.minimum(1.0, pop.certified_share * skill / mean_skill)
    digital = rng.random(n) < np.asarray(pop.digital_share)[life_stage(age)]
    carer = rng.random(n) < np.asarray(pop.carer_share)[sex]
    return {"sex": sex, "skill": skill, "certified": certified, "digital": digital, "carer": carer}


def draw_sector(cfg: Config, rng: np.random.Generator, n: int) -> np.ndarray:
    """Sectors in proportion to their employment shares."""
    shares = np.array([s.employment_share for s in cfg.economy.sectors.values()])
    return rng.choice(shares.size, size=n, p=shares / shares.sum()).astype(np.int8)


def build(cfg: Config, streams: Streams) -> tuple[Workers, Households, dict]:
    """The initial population: households, worker traits and starting states."""
    pop = cfg.population
    eco = cfg.economy
    rng = streams.setup("population")
    n = pop.size

    # households: adults per household until the slots are filled
    probs = np.asarray(pop.adults_per_household, dtype=float)
    sizes = rng.choice(np.arange(1, probs.size + 1), size=n, p=probs / probs.sum())
    ends = np.cumsum(sizes)
    n_hh = int(np.searchsorted(ends, n) + 1)
    sizes = sizes[:n_hh].copy()
    sizes[-1] -= ends[n_hh - 1] - n
    children = np.minimum(rng.poisson(pop.children_per_household, n_hh), 12)
    hh = Households(sizes, children, rng.random(n_hh))
    hh.set_scale(cfg.policy.poverty.equivalence_adult, cfg.policy.poverty.equivalence_child)
    shares = np.asarray(pop.region_shares, dtype=np.float64)
    hh_region = rng.choice(shares.size, size=n_hh, p=shares / shares.sum())

    w = Workers(n)
    w.household[:] = np.repeat(np.arange(n_hh, dtype=np.int32), sizes)
    w.region[:] = hh_region[w.household]
    ages = stationary_age_weights(cfg)
    w.age[:] = ENTRY_AGE_MONTHS + rng.choice(ages.size, size=n, p=ages)
    for name, values in draw_traits(cfg, rng, w.age).items():
        getattr(w, name)[:] = values
    w.disabled[:] = rng.random(n) < pop.disability_share

    sector_names = list(eco.sectors)
    w.sector[:] = draw_sector(cfg, rng, n)

    # starting states; the burn-in lets the dynamics settle from here
    d = pop.demography
    years = w.age // 12
    u_state = rng.random(n)
    state = np.full(n, State.UNEMPLOYED, dtype=np.int8)
    reason = np.zeros(n, dtype=np.int8)
    in_school_p = (1.0 - d.school_leaving) ** ((w.age - ENTRY_AGE_MONTHS).clip(0))
    school = (years < d.school_leaving_age_max) & (rng.random(n) < in_school_p)
    inac = eco.inactivity
    care_share = inac.care_entry / max(inac.care_entry + inac.care_exit, 1e-12)
    care = ~school & w.carer & (rng.random(n) < care_share)
    disabled_out = ~school & ~care & w.disabled & (rng.random(n) < 0.5)
    active = ~(school | care | disabled_out)
    employed = active & (u_state >= pop.initial_unemployment)
    informal = employed & (rng.random(n) < pop.initial_informality)
    state[employed & ~informal] = State.FORMAL
    state[informal] = State.INFORMAL
    state[school | care | disabled_out] = State.INACTIVE
    reason[school] = InactiveReason.EDUCATION
    reason[care] = InactiveReason.CARE
    reason[disabled_out] = InactiveReason.DISABILITY
    retired = years >= d.pension_age_years
    state[retired] = State.RETIRED
    reason[retired] = InactiveReason.NONE
    w.state[:] = state
    w.inactive_reason[:] = reason

    w.months_in_state[:] = rng.integers(0, 60, n)
    if eco.labour_demand.mode == "free_entry":
        # job tenure of the initial jobs: completed spells of their separation hazard, and
        # the returns to formal tenure already earned (so burn-in need not build them)
        sep = np.array([s.separation_formal for s in eco.sectors.values()])[w.sector]
        tenure = rng.geometric(np.clip(sep, 1e-3, 1.0)).clip(max=30_000)
        w.months_in_state[employed] = tenure[employed]
    formal_now = state == State.FORMAL
    w.wage[:] = _initial_wages(cfg, w, formal_now | (state != State.INFORMAL))
    if eco.labour_demand.mode == "free_entry":
        # part of the informal work is own-account: enough for the reference share
        informal_now = np.flatnonzero(state == State.INFORMAL)
        active = int((state != State.RETIRED).sum())
        p_oa = min(1.0, eco.own_account.reference_share * active / max(informal_now.size, 1))
        oa = informal_now[rng.random(informal_now.size) < p_oa]
        w.own_account[oa] = True
        base = eco.own_account.earnings * eco.demand_index
        w.wage[oa] = (base * np.exp(eco.hiring.skill_return * w.skill[oa])).astype(np.float32)
    prior_formal = rng.random(n) >= pop.initial_informality
    had_job = employed | retired | (state == State.UNEMPLOYED)
    w.last_job[:] = np.where(
        had_job, np.where(prior_formal, LastJob.FORMAL, LastJob.INFORMAL), LastJob.NONE
    )
    w.last_job[formal_now] = LastJob.FORMAL
    w.last_job[state == State.INFORMAL] = LastJob.INFORMAL
    w.contrib[formal_now] = np.uint64(2**64 - 1)
    unemployed = state == State.UNEMPLOYED
    w.spell[unemployed] = rng.geometric(0.25, unemployed.sum()).clip(max=60)
    w.months_in_state[unemployed] = w.spell[unemployed]
    w.idle[unemployed] = w.spell[unemployed]  # nobody is in a programme at the start
    pen = cfg.policy.pension
    contributory = retired & (rng.random(n) >= pop.initial_informality)
    w.pension[:] = np.where(contributory, pen.replacement_rate * w.wage, pen.social_pension)
    w.pension[~retired] = 0.0
    info = {"sector_names": sector_names, "households": n_hh}
    return w, hh, info


def sector_wages(cfg: Config) -> tuple[np.ndarray, np.ndarray]:
    sectors = list(cfg.economy.sectors.values())
    return (
        np.array([s.wage_formal for s in sectors], dtype=np.float64),
        np.array([s.informal_wage_ratio for s in sectors], dtype=np.float64),
    )


def _initial_wages(cfg: Config, w: Workers, formal: np.ndarray) -> np.ndarray:
    """Wages of the initial jobs (and last jobs): the posted wage rule in fixed-tightness
    mode; in free-entry mode the Nash wage at a tightness guess (burn-in settles it)."""
    eco = cfg.economy
    if eco.labour_demand.mode == "fixed_tightness":
        sector_wage, informal_ratio = sector_wages(cfg)
        return wage_offer(
            sector_wage, informal_ratio, eco.hiring.skill_return, w.sector, w.skill, formal
        )
    from .processes.wages import JobValuation

    v = JobValuation(cfg)
    sector = w.sector.astype(np.intp)
    y = v.output(sector, w.skill, formal)
    theta = np.full(v.productivity.size, 0.3)
    # outside option: home production plus what own-account work would pay (the option
    # most job seekers have), which brings the starting wages close to their steady state
    oa = eco.own_account.earnings * eco.demand_index * np.exp(eco.hiring.skill_return * w.skill)
    wage = v.wage(y, sector, formal, v.outside_option(oa), theta)
    years = np.minimum(w.months_in_state // 12, v.tenure_cap)
    return (wage * np.where(formal, np.exp(v.tenure_return * years), 1.0)).astype(np.float32)
