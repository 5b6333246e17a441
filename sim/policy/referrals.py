"""Who reaches a programme, and how: the regime layer's three functions.

Each month, in order:

1. **Eligibility** decides who is referred among people who meet a programme's criteria
   (its target state, spell, age, skill, certification, benefit receipt). A person waits for
   one programme at a time, chosen among those they meet in proportion to ``weight``:
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

A programme switched off by a reform (``enabled: false``) takes nobody new. Its waiting list
is dissolved that month: each person waiting is counted as leaving the list
(``new_queue_left``, with their wait in ``queue_exits``/``queue_wait_months``) and is free to
be referred again, to a programme still open, at the next review. Referrals still on their
way to it lapse on arrival (``new_referrals_lapsed``). Nobody is left on a list that no
longer admits anyone, so the queue identity holds in every month, reforms included:
arrivals - starts - abandoned - left = change in ``n_waiting``.
"""

from __future__ import annotations

import numpy as np

from ..process import Process
from ..processes.income import reimbursement_rate
from ..states import State
from .casework import OPEN
from .financing import Financing

NONE = -1


class Referrals(Process):
    name = "referrals"

    def setup(self, model) -> None:
        if not hasattr(self, "financing"):
            self.financing = Financing()

    def step(self, model) -> None:
        self._running_costs(model)
        t, w = model.programme_table, model.workers
        if not t.enabled.any() and not (
            (w.waiting_since != NONE).any() or (w.referral_due != NONE).any()
        ):
            return  # nothing open and nobody waiting or on the way: no draw, no change
        # one draw per slot serves all three steps: they act on disjoint people (idle, with a
        # referral due, on a waiting list), and the choice of programme reuses the flagging
        # draw rescaled (uniform again given that the person was flagged)
        u = model.uniform(self.name)
        self._identify(model, u)
        self._deliver(model, u)
        self._queue(model, u)

    @staticmethod
    def _running_costs(model) -> None:
        """What the degrees cost to keep up, whatever flows through them: the single window
        (integrated delivery) and the shared register (coordinated eligibility)."""
        regime, per_1000 = model.cfg.regime, model.workers.n / 1000.0
        service = model.employment_service
        if regime.delivery == "integration":
            cost = regime.mechanisms.delivery.integration.window_cost * per_1000
            service.tally("spend_admin_window", cost)
        if regime.eligibility == "coordination":
            cost = regime.mechanisms.eligibility.coordination.register_upkeep * per_1000
            service.tally("spend_admin_register", cost)

    # ------------------------------------------------------------ 1. eligibility
    def _identify(self, model, u: np.ndarray) -> None:
        w, mv, cfg, t = model.workers, model.moves, model.cfg, model.programme_table
        month, regime = model.month, cfg.regime
        if regime.eligibility == "coordination" and (
            month % regime.mechanisms.eligibility.coordination.review_months
        ):
            return
        idle = (w.referral_prog == NONE) & (w.programme == NONE) & self._may_take_part(model)
        delay = getattr(regime.mechanisms.delivery, regime.delivery).delay_months
        referred = np.zeros(t.n, dtype=np.int64)
        cap = self._referral_cap(model)
        if model.trial is not None:
            cap = model.trial.cap(model, cap)
        for informal, base in ((False, State.UNEMPLOYED), (True, State.INFORMAL)):
            progs = np.flatnonzero(t.enabled & (t.informal_target == informal) & (t.weight > 0))
            if progs.size == 0:
                continue
            pool = np.flatnonzero(mv.free(base) & idle)
            allowed = np.stack([self._allowed(model, k, pool) for k in progs])
            keep = allowed.any(axis=0)  # someone who has had every kind this spell: none
            pool, allowed = pool[keep], allowed[:, keep]
            meets = np.stack([self._criteria(model, k, pool) for k in progs]) & allowed
            eligible = meets.any(axis=0)
            # one programme per person, chosen in proportion to the weights of those they
            # meet (a person flagged by mistake gets one of those the rules allow)
            up = u[pool]
            flagged, p_flag = self._route(model, pool, eligible, up)
            weight = t.weight[progs][:, None] * np.where(eligible, meets, allowed)[:, flagged]
            cum = np.cumsum(weight, axis=0)
            again = up[flagged] / np.maximum(p_flag[flagged], 1e-12)  # uniform on [0, 1)
            pick = (cum < again * cum[-1]).sum(axis=0)
            idx, chosen = pool[flagged], progs[np.minimum(pick, progs.size - 1)]
            idx, chosen = self._within_cap(model, idx, chosen, again, cap)
            if model.trial is not None:  # an evaluation's controls are not referred to it
                go = model.trial.refer(model, idx, chosen)
                idx, chosen = idx[go], chosen[go]
            w.referral_prog[idx] = chosen
            w.referral_due[idx] = month + delay
            referred += np.bincount(chosen, minlength=t.n)
            model.flows["new_referrals_wrongly_flagged"] += int((flagged & ~eligible).sum())
        for k, name in enumerate(t.names):
            model.flows[f"new_referrals_{name}"] += int(referred[k])
        n = int(referred.sum())
        model.flows["new_referrals"] += n
        model.employment_service.tally("referrals", n)
        model.employment_service.tally("spend_admin_referrals", n * cfg.regime.queue.referral_cost)

    def _referral_cap(self, model) -> np.ndarray:
        """Referrals each programme may receive this month: ``referral_buffer`` times the
        places it expects (inf without a cap or a seat limit). Expected places are the free
        seats plus as many as left the programme this month (they will free seats again),
        less the people already waiting or on the way; where money bound last month, no
        more than last month's starts. So the service refers in proportion to the places it
        expects, and nobody is referred (and costed) for a place that does not exist."""
        w, t = model.workers, model.programme_table
        buffer = model.cfg.regime.queue.referral_buffer
        seats = np.floor(t.seats_per_1000 * w.n / 1000.0)
        taking_part = w.programme[w.programme != NONE].astype(np.intp)
        participants = np.bincount(taking_part, minlength=t.n)
        queued = w.referral_prog[w.referral_prog != NONE].astype(np.intp)
        pipeline = np.bincount(queued, minlength=t.n)  # waiting, or referred and on the way
        f = model.flows  # this month's ends (hires, dropouts, completions): next month's too
        ending = np.array(
            [
                f[f"new_left_{n}"] + f[f"new_dropouts_{n}"] + f[f"new_completions_{n}"]
                for n in t.names
            ]
        )
        expected = np.maximum(seats - participants + ending - pipeline, 0.0)
        expected = np.where(t.seats_per_1000 > 0, expected, np.inf)
        by_money = getattr(self, "money_bound", None)
        if by_money is not None:
            expected = np.where(by_money, np.minimum(expected, self.last_starts), expected)
        self.expected_places = expected
        if buffer <= 0:  # no cap: the expected places are kept for the record
            return np.full(t.n, np.inf)
        return np.floor(buffer * expected)

    def _within_cap(self, model, idx, chosen, draw, cap) -> tuple[np.ndarray, np.ndarray]:
        """Keep, per programme, at most ``cap`` of this month's referrals, chosen at random
        (the smallest of ``draw``, uniform given the referral); the others are not referred
        this month and count as refused demand."""
        t = model.programme_table
        counts = np.bincount(chosen, minlength=t.n)
        over = counts > cap
        if not over.any():
            return idx, chosen
        order = np.lexsort((draw, chosen))  # by programme, then by draw
        rank = np.empty(idx.size, np.int64)
        starts = np.r_[0, np.cumsum(counts)[:-1]]
        rank[order] = np.arange(idx.size) - np.repeat(starts, counts)
        keep = rank < cap[chosen]
        model.flows["new_referrals_capped"] += int((~keep).sum())
        bound = getattr(self, "money_bound", None)  # last month's, as in the cap
        for_money = False if bound is None else bound[chosen[~keep]]
        self._deny(model, idx[~keep], for_money)
        return idx[keep], chosen[keep]

    @staticmethod
    def _deny(model, idx: np.ndarray, for_money: np.ndarray | bool) -> None:
        """People refused a place this month; those not refused since they last moved
        are the month's new unmet demand (``new_refused``), counted once however often
        they are turned away. Those refused where money, not seats, held starts back are
        the demand coordination's budget re-aligns to (``new_refused_for_money``)."""
        w = model.workers
        fresh = ~w.denied[idx]
        new = idx[fresh]
        w.denied[new] = True
        model.flows["new_refused"] += new.size
        money = int(np.count_nonzero(fresh & for_money))
        model.flows["new_refused_for_money"] += money

    @staticmethod
    def _may_take_part(model) -> np.ndarray:
        """Programme rules from practice: no new referral within ``cooldown_months`` of the
        end of a participation (``once_per_spell`` is a criterion of each programme)."""
        w, rules = model.workers, model.cfg.policy.participation
        ok = np.ones(w.n, dtype=bool)
        if rules.cooldown_months > 0:
            ended = w.participation_end >= 0
            ok &= ~ended | (model.month - w.participation_end >= rules.cooldown_months)
        return ok

    @staticmethod
    def _allowed(model, k: int, pool: np.ndarray) -> np.ndarray:
        """Programme rules from practice: with ``once_per_spell``, nobody in ``pool`` is
        referred to a programme of a kind they have started in this spell, even by mistake."""
        w = model.workers
        if not model.cfg.policy.participation.once_per_spell:
            return np.ones(pool.size, dtype=bool)
        bit = np.uint32(1 << int(model.programme_table.kind[k]))
        return (w.spell_kinds[pool] & bit) == 0

    @staticmethod
    def _criteria(model, k: int, pool: np.ndarray) -> np.ndarray:
        """Who in ``pool`` meets programme ``k``'s eligibility criteria. The spell criterion
        reads the rules' spell clock, which pauses while a person takes part (``idle``:
        months of search outside programmes), so months in a programme do not qualify a
        person for the next one."""
        w, t = model.workers, model.programme_table
        years = w.age[pool] // 12
        ok = (years >= t.min_age[k]) & (years <= t.max_age[k]) & (w.skill[pool] <= t.max_skill[k])
        if not t.informal_target[k]:
            ok &= w.idle[pool] >= t.min_spell_months[k]
        if t.uncertified_only[k]:
            ok &= ~w.certified[pool]
        if t.claimants_only[k]:
            ok &= (w.ui_left[pool] > 0) | model.sa_claimant_households[w.household[pool]]
        return ok

    @staticmethod
    def _route(model, pool: np.ndarray, meets: np.ndarray, u: np.ndarray):
        """Who the eligibility degree refers among ``pool`` (``meets``: the criteria), and
        each person's probability of being referred."""
        w, regime = model.workers, model.cfg.regime
        mech = regime.mechanisms.eligibility
        if regime.eligibility == "coordination":
            c = mech.coordination
            p = np.where(meets, c.sensitivity, c.false_positive)
        else:
            coop = mech.cooperation
            informed = np.where(w.digital[pool], coop.informed_digital, coop.informed_other)
            p = np.where(meets, coop.self_referral * informed, 0.0)
            if regime.eligibility == "integration":
                claimant = (w.ui_left[pool] > 0) | model.sa_claimant_households[w.household[pool]]
                auto = meets & claimant
                # claimants are enrolled with probability ``enrolment``; others find it alone
                p = np.where(auto, mech.integration.enrolment, p)
                model.flows["new_referrals_automatic"] += int((auto & (u < p)).sum())
        return u < p, p

    # ------------------------------------------------------------ 2. delivery
    def _deliver(self, model, u: np.ndarray) -> None:
        w, cfg, month = model.workers, model.cfg, model.month
        due = np.flatnonzero(w.referral_due == month)
        if due.size == 0:
            return
        w.referral_due[due] = NONE
        prog = w.referral_prog[due].astype(np.intp)
        # lapsed: the person left the target state first, or the programme has closed since
        still = self._still_there(model, due, prog) & model.programme_table.enabled[prog]
        model.flows["new_referrals_lapsed"] += int((~still).sum())
        w.referral_prog[due[~still]] = NONE
        due = due[still]
        route = getattr(cfg.regime.mechanisms.delivery, cfg.regime.delivery)
        leakage = route.leakage
        if cfg.regime.delivery == "coordination" and route.co_location:
            leakage *= 1.0 - route.co_location_effect
        # a shared case history (single point of contact) spares part of each repeated
        # intake: the data are not asked again, so fewer drop off and it costs less
        shared = cfg.policy.case_management.shared_history
        drop_off = route.drop_off * (1.0 - shared)
        stay_all = (1.0 - drop_off) ** (route.intakes - 1)
        ud = u[due]
        lost = ud < leakage
        dropped = ~lost & (ud < leakage + (1.0 - leakage) * (1.0 - stay_all))
        arrived = due[~lost & ~dropped]
        w.referral_prog[due[lost | dropped]] = NONE
        reached = int((~lost).sum())
        intakes = reached * route.intakes
        repeated = reached * (route.intakes - 1)
        f = model.flows
        f["new_referrals_lost"] += int(lost.sum())
        f["new_intake_dropouts"] += int(dropped.sum())
        f["new_intakes"] += intakes
        f["new_duplicated_intakes"] += repeated
        f["new_queue_arrivals"] += arrived.size
        cost = (intakes - shared * repeated) * cfg.regime.queue.intake_cost
        model.training_provider.tally("spend_admin_intakes", cost)
        w.waiting_since[arrived] = month

    # ------------------------------------------------------------ 3. queue and admission
    def _queue(self, model, u: np.ndarray) -> None:
        w, mv, cfg, t, month = (
            model.workers,
            model.moves,
            model.cfg,
            model.programme_table,
            model.month,
        )
        f = model.flows
        waiting = np.flatnonzero(w.waiting_since != NONE)
        prog = w.referral_prog[waiting].astype(np.intp)
        # left the target state, or waiting for a programme that has closed (see the top)
        gone = ~self._still_there(model, waiting, prog) | ~t.enabled[prog]
        # people who joined this month cannot give up before their first month of waiting
        abandon = (
            ~gone & (w.waiting_since[waiting] < month) & (u[waiting] < cfg.regime.queue.abandon)
        )
        leaving = waiting[gone | abandon]
        self._exit(model, leaving, month)
        f["new_queue_left"] += int(gone.sum())
        f["new_queue_abandoned"] += int(abandon.sum())
        w.waiting_since[leaving] = NONE
        w.referral_prog[leaving] = NONE

        keep = ~(gone | abandon)
        waiting, prog = waiting[keep], prog[keep]
        enrolled = w.programme[w.programme != NONE].astype(np.intp)
        participants = np.bincount(enrolled, minlength=t.n)
        self.financing.begin_month(model, participants)
        self.money_bound = np.zeros(t.n, dtype=bool)
        self.last_starts = np.zeros(t.n)
        for k in range(t.n):  # money is shared in the order the programmes are listed
            mine = waiting[prog == k]  # closed programmes have nobody left here
            if mine.size == 0:
                continue
            order = self._order(model, mine)
            if model.trial is not None and model.trial.closes(model, k):
                room = 0  # the evaluation's world without the programme: no money committed
            else:
                room = self.financing.places(model, k, mine.size, int(participants[k]))
                self.money_bound[k] = self.financing.by_money
            taken = self._reserve(model, mine, order, room)
            admitted = mine[taken]
            self.last_starts[k] = admitted.size
            new = w.waiting_since[mine] == month  # arrived this month
            left_out = np.ones(mine.size, dtype=bool)
            left_out[taken] = False
            self._deny(model, mine[new & left_out], bool(self.money_bound[k]))
            self._exit(model, admitted, month)
            w.waiting_since[admitted] = NONE
            w.referral_prog[admitted] = NONE
            w.programme[admitted] = k
            w.spell_kinds[admitted] |= np.uint32(1 << int(t.kind[k]))
            w.programme_left[admitted] = int(t.duration_months[k])
            if t.state[k] in (State.TRAINING, State.PUBLIC_WORKS):
                mv.move(admitted, int(t.state[k]))
            f[f"new_starts_{t.names[k]}"] += admitted.size
            f["new_programme_starts"] += admitted.size
            f["n_waiting"] += mine.size - admitted.size
        self.financing.refuse(int(f["new_refused_for_money"]))
        self.financing.end_month(model)
        provider = model.training_provider
        provider.waiting = int(f["n_waiting"])  # its queue
        provider.money = f["almp_money"]  # its budget this month

    @staticmethod
    def _still_there(model, idx: np.ndarray, prog: np.ndarray) -> np.ndarray:
        """Whether people are, unmoved this month, in the state their programme serves."""
        base = np.where(
            model.programme_table.informal_target[prog], State.INFORMAL, State.UNEMPLOYED
        )
        return (model.moves.state0[idx] == base) & ~model.moves.moved[idx]

    @staticmethod
    def _order(model, mine: np.ndarray) -> np.ndarray:
        """First come, first served; under the Danish rule the local service first admits
        those whose benefits it pays most of (lowest central reimbursement), then by arrival."""
        w = model.workers
        if model.cfg.regime.mechanisms.financing.reimbursement:
            rate = reimbursement_rate(model, w.idle[mine])
            return np.lexsort((mine, w.waiting_since[mine], rate))
        return np.lexsort((mine, w.waiting_since[mine]))

    @staticmethod
    def _reserve(model, mine: np.ndarray, order: np.ndarray, room: int) -> np.ndarray:
        """Positions in ``mine`` of the ``room`` people admitted: with ``reserved_places``
        (single point of contact, intermediate level) that share of the places goes first to
        clients with an open case at the employment service, in queue order; places they do
        not take, and the rest, go to everyone in queue order."""
        share = model.cfg.policy.case_management.reserved_places
        if share <= 0 or room <= 0 or room >= mine.size:
            return order[:room]
        client = model.workers.registered[mine[order]] == OPEN
        first = order[client][: int(share * room + 0.5)]  # the share of places, rounded
        taken = np.zeros(mine.size, dtype=bool)
        taken[first] = True
        rest = order[~taken[order]][: room - first.size]
        model.flows["new_reserved_starts"] += first.size
        return np.concatenate([first, rest])

    @staticmethod
    def _exit(model, idx: np.ndarray, month: int) -> None:
        """Record how long people leaving the waiting list (for any reason) had waited."""
        waited = month - model.workers.waiting_since[idx].astype(np.int64)
        model.flows["queue_exits"] += idx.size
        model.flows["queue_wait_months"] += float(waited.sum())
