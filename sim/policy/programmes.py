"""Participation in active labour market programmes: progress, dropout, completion, effects.

``ProgrammeTable`` turns ``policy.programmes`` into arrays indexed by programme number (the
``programme`` column of the workers), so every rule is one vectorised lookup. Who starts
is decided by the regime layer (``sim.policy.referrals``); ``Programmes`` then runs each
month for everyone taking part:

* participation ends early when a participant leaves the programme's state (hired,
  inactive, retired, died); a wage-subsidy voucher holder hired into a formal job starts
  the subsidy, paid to the employer for ``subsidy_months`` while the job lasts;
* the rest drop out with ``dropout`` or, when the months run out, complete: skill gain,
  certification and digital literacy by their probabilities, the completion cash
  (a conditional transfer), and for self-employment support a chance to start own-account
  work; trainees and public-works participants return to search with their spell running;
* completion counts as recent activity: ``participation.completion_signal`` of the
  completer's idle-search months stop counting against them (scarring, discouragement),
  which helps the long-term unemployed most;
* a wage-subsidy job that lasts the whole subsidy leaves the worker a network
  (``network_bonus``): contacts and a reference that raise the hiring weight in later search;
* participants are paid ``stipend`` each month (the public-works wage, a training stipend),
  which counts as household income.
"""

from __future__ import annotations

import numpy as np

from ..process import Process
from ..states import LastJob, State
from .schema import KINDS

NONE = -1
FIELDS = (
    "weight",
    "min_spell_months",
    "min_age",
    "max_age",
    "max_skill",
    "duration_months",
    "seats_per_1000",
    "cost_per_month",
    "dropout",
    "lock_in",
    "hire_bonus",
    "stipend",
    "completion_cash",
    "skill_gain",
    "certification",
    "digital",
    "subsidy_rate",
    "subsidy_months",
    "start_business",
    "network_bonus",
)


class ProgrammeTable:
    """The programmes of a config as arrays (index = the ``programme`` column's value)."""

    def __init__(self, cfg) -> None:
        progs = cfg.policy.programmes
        self.names = list(progs)
        self.n = len(self.names)
        items = list(progs.values())
        for name in FIELDS:
            setattr(self, name, np.array([getattr(p, name) for p in items], dtype=np.float64))
        self.enabled = np.array([p.enabled for p in items], dtype=bool)
        self.kind = np.array([KINDS.index(p.kind) for p in items], dtype=np.int8)
        self.informal_target = np.array([p.target == "informal" for p in items], dtype=bool)
        self.uncertified_only = np.array([p.uncertified_only for p in items], dtype=bool)
        self.claimants_only = np.array([p.claimants_only for p in items], dtype=bool)
        # the state a participant is in: its own state, or an overlay on the target's state
        own = {
            "training": State.TRAINING,
            "self_employment": State.TRAINING,
            "public_works": State.PUBLIC_WORKS,
        }
        self.state = np.array(
            [
                State.INFORMAL if p.target == "informal" else own.get(p.kind, State.UNEMPLOYED)
                for p in items
            ],
            dtype=np.int8,
        )
        self.wage_subsidy = self.kind == KINDS.index("wage_subsidy")
        # per-month lookups extended by one slot so that programme -1 reads "none"
        self.lock_in_of = np.append(self.lock_in, 1.0).astype(np.float32)
        self.bonus_of = np.append(self.hire_bonus, 0.0)
        self.formal_only_bonus = np.append(self.wage_subsidy, False)


class Programmes(Process):
    name = "programmes"

    def step(self, model) -> None:
        w = model.workers
        self._paid: list[tuple[np.ndarray, np.ndarray]] = []  # (workers, amounts) paid
        self._subsidies(model)
        part = np.flatnonzero(w.programme != NONE)
        if part.size:
            self._participation(model, part, w.programme[part].astype(np.intp))
        idx = [i for i, _ in self._paid]
        model.programme_income = (
            np.concatenate(idx) if idx else np.zeros(0, np.intp),
            np.concatenate([a for _, a in self._paid]) if idx else np.zeros(0),
        )

    def _participation(self, model, part: np.ndarray, prog: np.ndarray) -> None:
        w, mv, t = model.workers, model.moves, model.programme_table
        left = w.state[part] != t.state[prog]
        # a voucher holder hired into a formal job this month: the subsidy starts
        hired = left & t.wage_subsidy[prog] & (w.state[part] == State.FORMAL) & mv.moved[part]
        w.subsidy_prog[part[hired]] = prog[hired]
        w.subsidy_left[part[hired]] = t.subsidy_months[prog[hired]].astype(np.int8)
        self._end(model, part[left], prog[left], "left")

        part, prog = part[~left], prog[~left]
        self._charge(model, part, prog)
        u = model.uniform(self.name)[part]
        w.programme_left[part] -= 1
        drop = (u < t.dropout[prog]) & ~mv.moved[part]
        done = ~drop & (w.programme_left[part] <= 0) & ~mv.moved[part]
        self._end(model, part[drop], prog[drop], "dropouts", back=True)
        self._complete(model, part[done], prog[done], u[done], t)

    def _charge(self, model, part: np.ndarray, prog: np.ndarray) -> None:
        """This month's cost of everyone taking part: provider cost and stipend or wage."""
        t, f = model.programme_table, model.flows
        stipend = t.stipend[prog]
        self._paid.append((part, stipend))
        spend = np.bincount(prog, weights=t.cost_per_month[prog] + stipend, minlength=t.n)
        for k, name in enumerate(t.names):
            f[f"spend_{name}"] += float(spend[k])
        f["spend_programmes"] += float(spend.sum())
        f["spend_stipends"] += float(stipend.sum())

    def _complete(self, model, idx, prog, u, t) -> None:
        w = model.workers
        if idx.size == 0:
            return
        # the completers' draws are uniform on [dropout, 1): rescaled, they decide effects
        r = (u - t.dropout[prog]) / np.maximum(1.0 - t.dropout[prog], 1e-12)
        w.skill[idx] = np.minimum(1.0, w.skill[idx] + t.skill_gain[prog]).astype(np.float32)
        w.certified[idx] |= r < t.certification[prog]
        rng = model.streams.generator("programmes.effects", model.month)
        e = rng.random((2, idx.size))  # digital literacy, business start
        w.digital[idx] |= e[0] < t.digital[prog]
        cash = t.completion_cash[prog]
        self._paid.append((idx, cash))
        business = (e[1] < t.start_business[prog]) & (w.state[idx] == State.TRAINING)
        f = model.flows
        f["spend_completion_cash"] += float(cash.sum())
        for k, name in enumerate(t.names):
            f[f"spend_{name}"] += float(cash[prog == k].sum())
        f["new_business_starts"] += int(business.sum())
        starters = idx[business]
        w.last_job[starters] = LastJob.INFORMAL
        w.wage[starters] = model.informal_wage(starters)
        w.spell[starters] = 0
        model.moves.move(starters, State.INFORMAL)
        w.last_programme[idx] = prog
        w.programme_end[idx] = model.month
        # completion signals recent activity: part of the idle months stop scarring (Kroft,
        # Lange and Notowidigdo 2013: employers read unemployment duration), most for the
        # long-term unemployed, who carry the most
        keep = 1.0 - model.cfg.policy.participation.completion_signal
        w.idle[idx] = np.floor(w.idle[idx] * keep).astype(w.idle.dtype)
        self._end(model, idx, prog, "completions", back=True)

    def _end(self, model, idx, prog, what: str, back: bool = False) -> None:
        """Close participation; trainees and public-works participants return to search."""
        w, t = model.workers, model.programme_table
        counts = np.bincount(prog, minlength=t.n)
        for k, name in enumerate(t.names):
            model.flows[f"new_{what}_{name}"] += int(counts[k])
        model.flows[f"new_programme_{what}"] += idx.size
        w.programme[idx] = NONE
        w.programme_left[idx] = 0
        w.participation_end[idx] = model.month  # the cooldown runs from here
        # a participant who died this month: the entrant in the slot has no past
        entrants = getattr(model, "entrants", None)
        if entrants is not None and entrants.size:
            w.participation_end[np.intersect1d(idx, entrants)] = -1
        if back:
            returning = idx[(w.state[idx] == State.TRAINING) | (w.state[idx] == State.PUBLIC_WORKS)]
            model.moves.move(returning, State.UNEMPLOYED)

    def _subsidies(self, model) -> None:
        """Wage subsidies paid to employers for subsidised formal hires still in the job."""
        w, t = model.workers, model.programme_table
        held = np.flatnonzero(w.subsidy_left > 0)
        if held.size == 0:
            return
        ended = w.state[held] != State.FORMAL
        w.subsidy_left[held[ended]] = 0
        w.subsidy_prog[held[ended]] = NONE
        paid = held[~ended]
        prog = w.subsidy_prog[paid].astype(np.intp)
        amount = t.subsidy_rate[prog] * w.wage[paid]
        w.subsidy_left[paid] -= 1
        # the subsidised job lasted the whole subsidy: the worker keeps the contacts (network)
        through = paid[w.subsidy_left[paid] == 0]
        w.network[through] = t.network_bonus[w.subsidy_prog[through].astype(np.intp)]
        w.subsidy_prog[through] = NONE
        spend = np.bincount(prog, weights=amount, minlength=t.n)
        for k, name in enumerate(t.names):
            model.flows[f"spend_{name}"] += float(spend[k])
        model.flows["spend_wage_subsidies"] += float(amount.sum())
        model.flows["n_subsidised_jobs"] += paid.size
