"""Who reaches a programme, and how: the regime layer's three functions applied to training.

Each month, in order:

1. **Eligibility** decides who is referred among job seekers who meet the programme's
   criteria (unemployed, spell of at least ``training.min_spell_months``):
   integration enrols benefit claimants automatically (others must find the programme
   themselves, as under cooperation); coordination reviews the shared register, flagging
   eligible people with probability ``sensitivity`` and ineligible ones with probability
   ``false_positive``; cooperation leaves it to each person: they apply if they know of
   the programme (more likely when digitally literate) and decide to.
2. **Delivery** carries each referral to the provider: it arrives after ``delay_months``,
   may be lost on the way (``leakage``, lower with co-location) and, with more than one
   intake, the person may drop off at each further intake (``drop_off``); every intake is
   counted and costed. Arrivals join the provider's waiting list.
3. **Financing** and seats decide how many can start: a pooled budget (integration) funds
   programmes with what benefits leave unspent; separate budgets are re-aligned to demand
   periodically (coordination) or capped per budget year, each course's full cost committed
   when it starts (cooperation). Whoever cannot start
   waits, in order of arrival; waiting people give up (``queue.abandon``) or leave when they
   stop being unemployed.

Queue accounting holds every month: arrivals = admitted + abandoned + left + waiting.
"""

from __future__ import annotations

import numpy as np

from ..processes.base import Process
from ..states import State
from .financing import Financing

NONE = -1


class Referrals(Process):
    name = "referrals"

    def setup(self, model) -> None:
        if not hasattr(self, "financing"):
            self.financing = Financing(model)

    def step(self, model) -> None:
        if not model.cfg.policy.training.enabled:
            return
        unemployed = model.moves.free(State.UNEMPLOYED)
        self._identify(model, unemployed, model.uniform(self.name))
        self._deliver(model, unemployed, model.uniform("referrals.delivery"))
        self._queue(model, unemployed, model.uniform("referrals.queue"))

    # ------------------------------------------------------------ 1. eligibility
    def _identify(self, model, unemployed: np.ndarray, u: np.ndarray) -> None:
        w, cfg, month = model.workers, model.cfg, model.month
        regime, mech = cfg.regime, cfg.regime.mechanisms.eligibility
        idle = unemployed & (w.referral_due == NONE) & (w.waiting_since == NONE)
        meets = idle & (w.spell >= cfg.policy.training.min_spell_months)
        if regime.eligibility == "coordination":
            c = mech.coordination
            if month % c.review_months:
                return
            flagged = (meets & (u < c.sensitivity)) | (idle & ~meets & (u < c.false_positive))
            model.flows["new_referrals_wrongly_flagged"] += int((flagged & ~meets).sum())
        else:
            p = mech.cooperation
            informed = np.where(w.digital, p.informed_digital, p.informed_other)
            flagged = meets & (u < p.self_referral * informed)
            if regime.eligibility == "integration":
                claimant = (w.ui_left > 0) | model.sa_claimant_households[w.household]
                auto = meets & claimant
                # one draw serves both routes: claimants are enrolled with probability
                # ``enrolment``, non-claimants must find the programme themselves
                flagged = np.where(auto, u < mech.integration.enrolment, flagged)
                model.flows["new_referrals_automatic"] += int((flagged & auto).sum())
        idx = np.flatnonzero(flagged)
        route = getattr(cfg.regime.mechanisms.delivery, cfg.regime.delivery)
        w.referral_due[idx] = month + route.delay_months
        model.flows["new_referrals"] += idx.size
        model.employment_service.tally("referrals", idx.size)
        model.employment_service.tally(
            "spend_admin_referrals", idx.size * cfg.regime.queue.referral_cost
        )

    # ------------------------------------------------------------ 2. delivery
    def _deliver(self, model, unemployed: np.ndarray, u: np.ndarray) -> None:
        w, cfg, month = model.workers, model.cfg, model.month
        due = np.flatnonzero(w.referral_due == month)
        if due.size == 0:
            return
        w.referral_due[due] = NONE
        still = unemployed[due]
        model.flows["new_referrals_lapsed"] += int((~still).sum())  # left unemployment first
        due = due[still]
        route = getattr(cfg.regime.mechanisms.delivery, cfg.regime.delivery)
        leakage = route.leakage
        if cfg.regime.delivery == "coordination" and route.co_location:
            leakage *= 1.0 - route.co_location_effect
        stay_all = (1.0 - route.drop_off) ** (route.intakes - 1)
        ud = u[due]
        lost = ud < leakage
        dropped = ~lost & (ud < leakage + (1.0 - leakage) * (1.0 - stay_all))
        arrived = due[~lost & ~dropped]
        reached = int((~lost).sum())
        intakes = reached * route.intakes
        model.flows["new_referrals_lost"] += int(lost.sum())
        model.flows["new_intake_dropouts"] += int(dropped.sum())
        model.flows["new_intakes"] += intakes
        model.flows["new_duplicated_intakes"] += reached * (route.intakes - 1)
        model.flows["new_queue_arrivals"] += arrived.size
        model.training_provider.tally("spend_admin_intakes", intakes * cfg.regime.queue.intake_cost)
        w.waiting_since[arrived] = month

    # ------------------------------------------------------------ 3. queue and admission
    def _queue(self, model, unemployed: np.ndarray, u: np.ndarray) -> None:
        w, mv, cfg, month = model.workers, model.moves, model.cfg, model.month
        waiting = np.flatnonzero(w.waiting_since != NONE)
        gone = ~unemployed[waiting]
        # people who joined this month cannot give up before their first month of waiting
        abandon = (
            ~gone & (w.waiting_since[waiting] < month) & (u[waiting] < cfg.regime.queue.abandon)
        )
        leaving = waiting[gone | abandon]
        self._exit(model, leaving, month)
        model.flows["new_queue_left"] += int(gone.sum())
        model.flows["new_queue_abandoned"] += int(abandon.sum())
        w.waiting_since[leaving] = NONE

        waiting = waiting[~(gone | abandon)]
        order = np.lexsort((waiting, w.waiting_since[waiting]))  # first come, first served
        room = self.financing.places(model, waiting.size)
        admitted = waiting[order[:room]]
        self._exit(model, admitted, month)
        w.waiting_since[admitted] = NONE
        w.training_left[admitted] = cfg.policy.training.duration_months
        mv.move(admitted, State.TRAINING)
        model.flows["new_training_starts"] += admitted.size
        model.flows["n_waiting"] += waiting.size - admitted.size

    @staticmethod
    def _exit(model, idx: np.ndarray, month: int) -> None:
        """Record how long people leaving the waiting list (for any reason) had waited."""
        waited = month - model.workers.waiting_since[idx].astype(np.int64)
        model.flows["queue_exits"] += idx.size
        model.flows["queue_wait_months"] += float(waited.sum())
