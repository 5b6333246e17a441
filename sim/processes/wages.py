"""Output, bargained wages and the employer's value of a job (free-entry mode).

Small vectorised functions shared by vacancy creation, matching, formality moves and job
destruction, so every mechanism values a job the same way (docs/model.md, "Wages"):

* output  ``y = D A_s exp(rho skill) exp(g min(tenure, T)) pi_f``  (``pi_f`` = 1 formal,
  ``informal_productivity`` informal);
* labour cost ``w (1 + tau_f)``: employer contributions for formal jobs, the expected
  penalty of informality (``informal_enforcement``) for informal ones;
* Nash wage (Pissarides 2000, ch. 1, with payroll taxes)
  ``w = phi (y + c_s theta_s) / (1 + tau_f) + (1 - phi) z / (1 - tau_ee,f)``, where ``z`` is
  the outside option: home production plus the annuity value of the benefit entitlement
  left; a formal minimum wage binds from below;
* job value ``J = (y - w (1 + tau_f) + subsidy) / (1 - beta (1 - sigma))``.
"""

from __future__ import annotations

import numpy as np


class JobValuation:
    """Per-sector tables for valuing jobs under the parameters in force (rebuilt on reforms)."""

    def __init__(self, cfg) -> None:
        sectors = list(cfg.economy.sectors.values())
        ld, ui = cfg.economy.labour_demand, cfg.policy.unemployment_insurance
        self.productivity = np.array([s.productivity for s in sectors], dtype=np.float64)
        self.informal_ratio = np.array([s.informal_productivity for s in sectors])
        sep = np.array(
            [[s.separation_informal for s in sectors], [s.separation_formal for s in sectors]]
        )  # [formal?, sector]
        self.separation = np.minimum(sep * cfg.economy.separation_multiplier, 1.0)
        self.demand = cfg.economy.demand_index
        self.skill_return = cfg.economy.hiring.skill_return
        self.tenure_return = ld.tenure_return
        self.tenure_cap = ld.tenure_cap_years
        self.beta, self.phi = ld.discount, ld.bargaining_power
        self.home = ld.home_production
        self.min_wage = ld.min_wage
        employer = ui.contribution_rate * (1.0 - ui.employee_share)
        employee = ui.contribution_rate * ui.employee_share
        self.tau = np.array([ld.informal_enforcement, employer])  # [formal?]
        self.tau_worker = np.array([0.0, employee])
        # recruiting cost of a vacancy a month (the wage's c theta term) and the marginal cost
        # of creating a job at the reference flow, in currency, by sector
        self.posting_cost = ld.posting_cost * self.productivity
        self.creation_cost = ld.creation_cost * self.productivity

    def output(
        self, sector: np.ndarray, skill: np.ndarray, formal: np.ndarray, tenure_months=None
    ) -> np.ndarray:
        """Monthly output of jobs in ``sector`` held by workers of ``skill``."""
        y = self.demand * self.productivity[sector] * np.exp(self.skill_return * skill)
        y = np.where(formal, y, y * self.informal_ratio[sector])
        if tenure_months is not None and self.tenure_return > 0:
            years = np.minimum(tenure_months // 12, self.tenure_cap)
            y = y * np.where(formal, np.exp(self.tenure_return * years), 1.0)
        return y

    def wage(
        self,
        output: np.ndarray,
        sector: np.ndarray,
        formal: np.ndarray,
        outside: np.ndarray,
        tightness: np.ndarray,
    ) -> np.ndarray:
        """Nash-bargained monthly gross wage at hire (``tightness`` by sector)."""
        f = formal.astype(np.intp)
        w = self.phi * (output + self.posting_cost[sector] * tightness[sector]) / (1 + self.tau[f])
        w += (1 - self.phi) * outside / (1 - self.tau_worker[f])
        if self.min_wage > 0:
            w = np.where(formal, np.maximum(w, self.min_wage), w)
        return w

    def value(
        self,
        output: np.ndarray,
        wage: np.ndarray,
        sector: np.ndarray,
        formal: np.ndarray,
        subsidy: np.ndarray | float = 0.0,
    ) -> np.ndarray:
        """Employer's present value of a filled job (``subsidy``: its present value)."""
        f = formal.astype(np.intp)
        keep = self.beta * (1.0 - self.separation[f, sector])
        return (output - wage * (1 + self.tau[f])) / (1.0 - keep) + subsidy

    def outside_option(self, benefit: np.ndarray, months_left=None) -> np.ndarray:
        """Flow value of search in the wage bargain: home production plus the annuity value
        of the benefit entitlement left, ``b (1 - beta^L)`` (``months_left`` L; without it
        the benefit counts in full, as a flow this month). A finite entitlement is worth
        little against a job that lasts years, so benefits move bargained wages only a
        little, as reservation wages do in the data."""
        if months_left is None:
            return self.home + benefit
        return self.home + benefit * (1.0 - self.beta ** np.asarray(months_left, np.float64))


def subsidy_value(beta: float, separation: np.ndarray, rate, months, wage) -> np.ndarray:
    """Present value to the employer of a wage subsidy of ``rate x wage`` for ``months``."""
    keep = beta * (1.0 - separation)
    return rate * wage * (1.0 - keep**months) / (1.0 - keep)
