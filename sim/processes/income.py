"""Income: wages, contributions, pensions, unemployment insurance and social assistance,
summed by household and equivalised; then household poverty.

Income of month t is earned in the state a worker holds after month t's transitions.
"""

from __future__ import annotations

import numpy as np

from ..policy import claiming, rules
from ..policy.casework import OPEN
from ..process import Process
from ..states import (
    FORMALITY_NAMES,
    HOUSEHOLD_TYPE_NAMES,
    LIFE_STAGE_NAMES,
    N_STATES,
    SEX_NAMES,
    State,
    formality,
    life_stage,
)


def reimbursement_rate(model, spell: np.ndarray) -> np.ndarray:
    """Central share of clients' benefit costs under the configured financing."""
    fin = model.cfg.regime.mechanisms.financing
    if not fin.reimbursement:
        return np.ones(spell.size)
    return rules.reimbursement_rate(spell, fin.reimbursement_from, fin.reimbursement_rate)


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """Exact lower weighted median of non-negative ``values`` with frequency ``weights``.

    A full sort costs O(n log n) every month; instead values are binned by the top bits of
    their IEEE-754 representation (for non-negative doubles the bit pattern read as an
    integer is monotone in the value: bins of 1/256 relative width), the bin holding the
    median is found from a weighted histogram, and only that bin is sorted. The result is
    identical to sorting everything.
    """
    total = float(weights.sum())
    if values.size == 0 or total <= 0:
        return 0.0
    top = float(values.max())
    if top <= 0:
        return 0.0
    floor = np.float64(top * 2.0**-24)  # everything below shares the first bin
    bits = np.maximum(values, floor).view(np.int64) >> 44
    b = bits - (floor.view(np.int64) >> 44)
    hist = np.bincount(b, weights=weights)
    cum = np.cumsum(hist)
    half = 0.5 * total
    k = int(np.searchsorted(cum, half))
    before = cum[k - 1] if k > 0 else 0.0
    inside = np.flatnonzero(b == k)
    order = np.argsort(values[inside], kind="stable")
    within = before + np.cumsum(weights[inside][order])
    j = min(int(np.searchsorted(within, half)), order.size - 1)
    return float(values[inside][order[j]])


class UnemploymentInsurance(Process):
    """Entitlement on job loss from the contribution record; monthly payment while seeking."""

    name = "unemployment_insurance"

    def step(self, model) -> None:
        w, mv, ui = model.workers, model.moves, model.cfg.policy.unemployment_insurance
        state = w.state
        # entitlement is assessed when a job ends in unemployment: a formal one, or an
        # informal one under the contribution staircase (the record decides)
        ic = model.cfg.policy.informal_coverage
        lost_job = mv.moved & (state == State.UNEMPLOYED)
        from_informal = np.flatnonzero(lost_job & mv.was(State.INFORMAL))
        lost = np.flatnonzero(lost_job & mv.was(State.FORMAL))
        if ic.staircase:
            lost = np.union1d(lost, from_informal)
        if ui.enabled and lost.size:
            months = w.contribution_months(ui.window_months, lost)
            new = lost[rules.ui_qualifies(months, ui.min_contribution_months)]
            w.ui_left[new] = 0
            w.ui_pending[new] = ui.max_duration_months  # entitled; claimed below, or not
            w.ui_amount[new] = rules.ui_amount(
                w.wage[new], ui.replacement_rate, ui.floor, ui.ceiling
            )
            model.flows["new_ui_claims"] += new.size
        if ic.track == "independent" and ic.assistance_months > 0:
            # extension independent of status: assistance for informal job losers without UI
            helped = from_informal[w.ui_left[from_informal] == 0]
            w.ui_left[helped] = ic.assistance_months
            w.ui_amount[helped] = ic.assistance
            model.flows["new_assistance_claims"] += helped.size
        seeking = (state == State.UNEMPLOYED) | (state == State.TRAINING)
        self._claim(model, seeking)
        entitled = np.flatnonzero(seeking & (w.ui_left > 0))
        w.ui_left[entitled] -= 1  # a sanction suspends payment; the entitlement still runs
        suspended = w.sanctioned_until[entitled] > model.month
        paid = entitled[~suspended]
        model.flows["n_ui_suspended"] += int(suspended.sum())
        model.ui_paid = paid
        agency = model.benefit_agency
        n_paid = paid.size
        agency.tally("ui_recipients", n_paid)
        agency.tally("spend_ui", float(w.ui_amount[paid].sum(dtype=np.float64)))
        rate = reimbursement_rate(model, w.idle[paid])  # the rules' spell clock
        agency.tally("spend_ui_central", float((w.ui_amount[paid] * rate).sum()))
        agency.tally("spend_admin_claims", n_paid * model.cfg.policy.admin.cost_per_claim_month)

    @staticmethod
    def _claim(model, seeking: np.ndarray) -> None:
        """Entitled job seekers who do not claim yet start to, with the regime's claim
        probability (``sim.policy.claiming``); an unclaimed entitlement runs down all the
        same, and ends when the person stops seeking."""
        w, ui, hh = model.workers, model.cfg.policy.unemployment_insurance, model.households
        w.ui_pending[~seeking] = 0
        pending = np.flatnonzero(w.ui_pending > 0)
        n_entitled = pending.size + int(np.count_nonzero(seeking & (w.ui_left > 0)))
        if pending.size:
            willing = hh.takeup_draw[w.household[pending]] < ui.takeup
            # the contribution record tells the agencies of every job loser's entitlement
            known = np.ones(pending.size, dtype=np.bool_)
            p = claiming.claim_probability(model, known, w.digital[pending])
            claims = willing & (model.uniform("claiming")[pending] < p)
            now = pending[claims]
            w.ui_left[now] = w.ui_pending[now]
            w.ui_pending[now] = 0
            w.ui_pending[pending[~claims]] -= 1
            model.flows["new_ui_takeups"] += now.size
        model.flows["n_ui_entitled"] += n_entitled
        model.flows["n_ui_claiming"] += int(np.count_nonzero(seeking & (w.ui_left > 0)))


class HouseholdIncome(Process):
    """Household income, social-assistance top-ups and poverty measures (FGT 0, 1, 2)."""

    name = "income"

    def step(self, model) -> None:
        w, hh, pol = model.workers, model.households, model.cfg.policy
        ui = pol.unemployment_insurance
        state = w.state
        # net wage share by state: formal workers pay the employee share of contributions
        net_share = np.zeros(N_STATES)
        net_share[State.FORMAL] = 1.0 - ui.contribution_rate * ui.employee_share
        net_share[State.INFORMAL] = 1.0
        # pensions are non-zero only for the retired (set at retirement, cleared at entry)
        income = w.wage * net_share[state] + w.pension
        got, amount = model.programme_income  # stipends, public-works wages, completion cash
        income[got] += amount
        laid_off, severance = model.severance
        income[laid_off] += severance
        paid = model.ui_paid  # indices of UI recipients this month
        income[paid] += w.ui_amount[paid]
        formal_wages = _total(w.wage, state == State.FORMAL)
        informal_wages = _total(w.wage, state == State.INFORMAL)
        model.wage_bill = (formal_wages, informal_wages)  # for mean wages in the record
        model.flows["revenue_contributions"] += formal_wages * ui.contribution_rate
        model.flows["spend_pensions"] += float(w.pension.sum(dtype=np.float64))
        model.flows["earnings"] += formal_wages + informal_wages
        voluntary = model.voluntary[state[model.voluntary] == State.INFORMAL]
        if voluntary.size:  # the contribution staircase: a reduced rate on informal earnings
            paid_in = w.wage[voluntary] * pol.informal_coverage.staircase_rate
            income[voluntary] -= paid_in
            model.flows["revenue_contributions"] += float(paid_in.sum())
            model.flows["n_voluntary_contributors"] += voluntary.size

        hh_income = np.bincount(w.household, weights=income, minlength=hh.n)
        hh_ui = np.zeros(hh.n, dtype=np.bool_)
        hh_ui[w.household[paid]] = True
        sa = pol.social_assistance
        top_up = np.zeros(hh.n)
        line = self._line_for_guarantee(model, hh_income, hh_ui)
        if sa.enabled and sa.guarantee_share > 0 and line > 0:
            gap = rules.sa_top_up(hh_income, hh.equivalence, sa.guarantee_share * line)
            claim = self._claim(model, gap > 0, hh_ui)
            top_up = np.where(claim, gap, 0.0)
        else:
            hh.claiming[:] = False
        agency = model.benefit_agency
        model.sa_claimant_households = top_up > 0
        model.sa_top_up = top_up
        n_claims = int((top_up > 0).sum())
        agency.tally("sa_households", n_claims)
        agency.tally("spend_sa", float(top_up.sum()))
        agency.tally("spend_admin_claims", n_claims * pol.admin.cost_per_claim_month)
        eq_income = (hh_income + top_up) / hh.equivalence
        # before income support: without UI, programme payments and social assistance
        transfers = np.zeros(hh.n)  # float even when nobody is paid (bincount of nothing: int)
        transfers += np.bincount(w.household[paid], weights=w.ui_amount[paid], minlength=hh.n)
        transfers += np.bincount(w.household[got], weights=amount, minlength=hh.n)
        eq_pre = np.maximum(hh_income - transfers, 0.0) / hh.equivalence
        self._poverty(model, eq_income, eq_pre, top_up > 0, hh_ui)

    def setup(self, model) -> None:
        if not hasattr(self, "line"):
            self.line = None  # the line of the month just ended (None before month 0)
            self.anchor = None  # the anchored line, once fixed
            reforms = [r.month for r in model.cfg.reforms if r.month > 0]
            # anchored at the end of burn-in, or before the first reform if that is earlier
            self.anchor_month = min([model.cfg.run.burn_in, *reforms]) - 1

    def _line_for_guarantee(self, model, hh_income, hh_ui) -> float:
        """The line the guarantee is a share of: last month's line (this month's depends on
        the top-ups themselves). In month 0, the relative line of incomes before assistance."""
        if self.line is not None:
            return self.line
        pov, hh = model.cfg.policy.poverty, model.households
        if pov.line == "absolute":
            return pov.absolute_line
        return pov.relative_share * weighted_median(hh_income / hh.equivalence, hh.persons)

    def _claim(self, model, eligible: np.ndarray, hh_ui: np.ndarray) -> np.ndarray:
        """Households paid social assistance this month: those still eligible keep their
        claim; eligible others start one with the regime's claim probability
        (``sim.policy.claiming``). The agencies know of a household's entitlement when a
        member has an open case at the employment service or claims UI."""
        w, hh = model.workers, model.households
        keep = hh.claiming & eligible
        new = np.flatnonzero(
            eligible & ~hh.claiming & (hh.takeup_draw < model.cfg.policy.social_assistance.takeup)
        )
        if new.size:
            case = np.bincount(w.household, weights=w.registered == OPEN, minlength=hh.n) > 0
            digital = np.bincount(w.household, weights=w.digital, minlength=hh.n) > 0
            known = case[new] | hh_ui[new]
            p = claiming.claim_probability(model, known, digital[new])
            # one draw per household slot, whoever claims: common random numbers hold
            u = model.streams.generator("claiming.households", model.month).random(
                hh.n, dtype=np.float32
            )
            start = new[u[new] < p]
            keep[start] = True
            model.flows["new_sa_takeups"] += start.size
        hh.claiming = keep
        model.flows["n_sa_eligible_households"] += int(eligible.sum())
        return keep

    def _poverty(self, model, eq_income, eq_pre, sa_paid, ui_paid_hh) -> None:
        w, hh, pov = model.workers, model.households, model.cfg.policy.poverty
        if pov.line == "absolute":
            line = pov.absolute_line
        elif pov.line == "anchored" and self.anchor is not None:
            line = self.anchor  # held fixed in real terms (the model's money is real)
        else:  # relative, or anchored before the anchor is set (it floats until then)
            line = pov.relative_share * weighted_median(eq_income, hh.persons)
        if model.month == self.anchor_month:
            self.anchor = line
        self.line = line
        r = model.record
        r["poverty_line"] = line
        if line > 0:
            # a household topped up exactly to the line is not poor: the tolerance absorbs
            # the rounding of (income + gap) / equivalence
            short = np.maximum(1.0 - eq_income / line, 0.0)
            short[short < 1e-9] = 0.0
            short_pre = np.maximum(1.0 - eq_pre / line, 0.0)
            short_pre[short_pre < 1e-9] = 0.0
        else:
            short = short_pre = np.zeros(hh.n)
        poor, poor_pre = short > 0, short_pre > 0
        persons = hh.persons.sum()
        n_poor, n_poor_pre = _total(hh.persons, poor), _total(hh.persons, poor_pre)
        r["poverty_headcount"] = _share(n_poor, persons)
        r["poverty_gap"] = _share(float((hh.persons * short).sum()), persons)
        r["poverty_severity"] = _share(float((hh.persons * short**2).sum()), persons)
        r["poverty_headcount_pre_transfer"] = _share(n_poor_pre, persons)
        children = hh.children.astype(np.float64)
        r["child_poverty_headcount"] = _share(_total(children, poor), float(children.sum()))
        _group_poverty(r, w, hh, poor, eq_income, line)
        # protection: any income support (UI or a social-assistance household)
        unemployed = np.flatnonzero(w.state == State.UNEMPLOYED)
        ui_now = np.zeros(w.n, dtype=np.bool_)
        ui_now[model.ui_paid] = True
        supported = ui_now[unemployed] | sa_paid[w.household[unemployed]]
        r["benefit_coverage_unemployed"] = _share(float(supported.sum()), float(unemployed.size))
        # the ILO's measure (SDG 1.3.1): receiving an unemployment benefit, UI or assistance
        r["ui_coverage_unemployed"] = _share(
            float(ui_now[unemployed].sum()), float(unemployed.size)
        )
        hh_supported = sa_paid | ui_paid_hh
        r["income_support_coverage"] = _share(_total(hh.persons, hh_supported), persons)
        r["income_support_coverage_poor"] = _share(
            _total(hh.persons, poor_pre & hh_supported), n_poor_pre
        )
        r["n_poor"] = n_poor
        r["n_lifted_out_of_poverty"] = n_poor_pre - n_poor


def _total(weights: np.ndarray, mask: np.ndarray) -> float:
    """Sum of ``weights`` where ``mask``: a product and numpy's pairwise sum, about four
    times faster than boolean indexing here (and, unlike a BLAS dot product, the same bits
    whatever the thread count)."""
    return float((weights * mask).sum())


def _group_poverty(r: dict, w, hh, poor: np.ndarray, eq_income: np.ndarray, line: float) -> None:
    """Poverty headcount and mean equivalised income by life stage, sex, formality (of the
    people aged 15+ who hold the slots now) and household type (of all persons).

    One cell code per worker, (stage, sex, formality), serves every worker margin: three
    bincounts over the workers, not three per group. The household values are gathered to
    the workers once (poor there means below ``line``, as for ``poor``).
    """
    shape = (len(LIFE_STAGE_NAMES), len(SEX_NAMES), len(FORMALITY_NAMES))
    cell = life_stage(w.age).astype(np.intp)
    cell *= shape[1]
    cell += w.sex
    cell *= shape[2]
    cell += formality(w.state)
    n_cells = shape[0] * shape[1] * shape[2]
    eq_workers = eq_income[w.household]
    income = np.bincount(cell, weights=eq_workers, minlength=n_cells).reshape(shape)
    # size and poor count in one pass: code 2 * cell + poor
    cell *= 2
    cell += eq_workers < line * (1.0 - 1e-9)  # as ``poor``: at the line is not poor
    both = np.bincount(cell, minlength=2 * n_cells).reshape(*shape, 2)
    size, n_poor = both.sum(axis=-1), both[..., 1]
    for axis, names in enumerate((LIFE_STAGE_NAMES, SEX_NAMES, FORMALITY_NAMES)):
        others = tuple(a for a in range(3) if a != axis)
        g_size, g_poor, g_income = (x.sum(axis=others) for x in (size, n_poor, income))
        for k, name in enumerate(names):
            r[f"poverty_headcount_{name}"] = _share(float(g_poor[k]), float(g_size[k]))
            r[f"mean_equivalised_income_{name}"] = _share(float(g_income[k]), float(g_size[k]))
    n_types = len(HOUSEHOLD_TYPE_NAMES)
    by_poor = np.bincount(2 * hh.kind + poor, weights=hh.persons, minlength=2 * n_types)
    persons, poor_persons = by_poor.reshape(n_types, 2).sum(axis=1), by_poor[1::2]
    income_persons = np.bincount(hh.kind, weights=hh.persons * eq_income, minlength=n_types)
    for k, name in enumerate(HOUSEHOLD_TYPE_NAMES):
        r[f"poverty_headcount_{name}"] = _share(float(poor_persons[k]), float(persons[k]))
        r[f"mean_equivalised_income_{name}"] = _share(float(income_persons[k]), float(persons[k]))


def _share(num: float, den: float) -> float:
    """A ratio that is 0 when the denominator is empty (degenerate economies stay finite)."""
    return num / den if den > 0 else 0.0
