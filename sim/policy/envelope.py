"""The equal envelope: compare alignments at the same total public money.

With ``regime.equal_envelope``, a run first simulates its baseline world, the same config
and seed with every function at ``regime.envelope_baseline`` (coordination by default), and
records that world's total public spending month by month (benefits, ALMPs,
administration: ``spend_total``). The run itself then spends the same: benefits and
administration are paid as the regime's rules say (entitlements are not rationed), and the
ALMP money is the residual, the baseline's total less what this run spent on everything
else last month. How that money reaches programmes is the financing degree's business:

* integration (pooled): the residual each month, so savings on benefits fund programmes
  at once;
* coordination (separate budgets re-aligned at policy level): the mean residual of the
  budget period just ended, fixed for the next ``realign_months``;
* cooperation (separate capped budgets): the same yearly amount, committed course by course
  against the year's cap.

Providers expand with their funding: a programme's seats scale with the ALMP money over the
base budget (``almp_budget``) when it is larger, so the money can be spent; they do not
shrink below their stated number when it is smaller (money binds instead). Money that
programmes still leave unspent, because too few people reach them, stays unspent: the
envelope is what the regime may spend, and ``envelope_gap`` < 0 shows what it could not
use. (Spending it on more counsellors was tried and rejected: counsellors repay their
cost in benefit savings, so each month's savings hired more of them, until every client
had the most meetings a month allows; that compared counsellor expansion, not alignment.)

The run's own baseline (its degrees are the baseline's) is unchanged by the option, so a
sweep with ``regime.equal_envelope=true`` compares every mix with the same baseline world.
Where benefits and administration alone exceed the envelope, ALMP money is zero and total
spending stays above it; ``envelope_gap`` in the outputs reports by how much, either way.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .schema import FUNCTIONS


def is_baseline(cfg) -> bool:
    """Whether the run's degrees are the envelope's baseline (the option is then a no-op)."""
    r = cfg.regime
    return all(getattr(r, fn) == r.envelope_baseline for fn in FUNCTIONS)


def baseline_config(cfg):
    """The baseline world's config: every function at ``envelope_baseline``, same seed."""
    r = cfg.regime
    degrees = {fn: r.envelope_baseline for fn in FUNCTIONS}
    return replace(cfg, regime=replace(r, equal_envelope=False, **degrees))


def baseline_spending(cfg) -> np.ndarray:
    """Total public spending per month in the baseline world (``spend_total``)."""
    from ..model import LabourMarket

    model = LabourMarket(baseline_config(cfg))
    model.run()
    return model.timeseries()["spend_total"].to_numpy(dtype=np.float64)


class Envelope:
    """The baseline's spending, and the ALMP money it leaves this run each month."""

    def __init__(self, target: np.ndarray) -> None:
        self.target = np.asarray(target, dtype=np.float64)
        self.residuals: list[float] = []

    def residual(self, model) -> float:
        """This month's envelope less last month's spending on everything but ALMPs."""
        month = min(model.month, self.target.size - 1)
        left = max(float(self.target[month]) - model.last_spend_other, 0.0)
        self.residuals.append(left)
        return left

    def period_mean(self, months: int) -> float:
        """Mean residual over the last ``months`` (the budget period just ended)."""
        recent = self.residuals[-months:]
        return float(np.mean(recent)) if recent else 0.0
