"""Demography: deaths and their replacement by entrants, school leaving, retirement."""

from __future__ import annotations

import numpy as np

from ..population import ENTRY_AGE_MONTHS, draw_sector, draw_traits, monthly_mortality
from ..process import Process
from ..states import InactiveReason, LastJob, State


class Demography(Process):
    """Keeps the population stationary: every death frees a slot for a 15-year-old entrant
    of the same household, who starts in education."""

    name = "demography"

    def setup(self, model) -> None:
        self.mortality = monthly_mortality(model.cfg).astype(np.float32)

    def step(self, model) -> None:
        w, mv, d = model.workers, model.moves, model.cfg.population.demography
        model.entrants = np.zeros(0, np.intp)  # slots re-initialised this month
        if not d.enabled:
            return
        u = model.uniform("demography")
        q = self.mortality[w.age // 12]
        died = np.flatnonzero(u < q)
        self._replace(model, died)

        pension_age = d.pension_age_years * 12
        retire = np.flatnonzero((w.age >= pension_age) & (mv.state0 != State.RETIRED) & ~mv.moved)
        if retire.size:
            pen = model.cfg.policy.pension
            contributed = w.contribution_months(64, retire)
            w.pension[retire] = np.where(
                contributed >= pen.min_contribution_months,
                pen.replacement_rate * w.wage[retire],
                pen.social_pension,
            )
            w.inactive_reason[retire] = InactiveReason.NONE
            w.ui_left[retire] = 0
            mv.move(retire, State.RETIRED)
        model.flows["new_retirements"] += retire.size

        pupils = np.flatnonzero(w.inactive_reason == InactiveReason.EDUCATION)
        pupils = pupils[~mv.moved[pupils]]
        # survivors' draws are uniform on [q, 1): rescaled, they decide school leaving
        u_school = (u[pupils] - q[pupils]) / (1.0 - q[pupils])
        aged_out = w.age[pupils] >= d.school_leaving_age_max * 12
        leavers = pupils[aged_out | (u_school < d.school_leaving)]
        w.inactive_reason[leavers] = InactiveReason.NONE
        w.spell[leavers] = 0
        mv.move(leavers, State.UNEMPLOYED)
        model.flows["new_school_leavers"] += leavers.size

    def _replace(self, model, idx: np.ndarray) -> None:
        """Re-initialise dead workers' slots as new entrants (drawn in slot order: deaths do
        not depend on policy, so two regimes with the same seed get the same entrants)."""
        model.flows["new_deaths"] += idx.size
        model.entrants = idx
        if idx.size == 0:
            return
        w, mv = model.workers, model.moves
        mv.replace(idx)
        rng = model.streams.generator("demography.entrants", model.month)
        w.age[idx] = ENTRY_AGE_MONTHS - 1  # the clock ages everyone by a month at the end
        for name, values in draw_traits(
            model.cfg, rng, np.full(idx.size, ENTRY_AGE_MONTHS)
        ).items():
            getattr(w, name)[idx] = values
        w.disabled[idx] = False
        w.state[idx] = State.INACTIVE
        w.inactive_reason[idx] = InactiveReason.EDUCATION
        w.last_job[idx] = LastJob.NONE
        w.months_in_state[idx] = 0
        w.spell[idx] = 0
        w.contrib[idx] = 0
        w.wage[idx] = 0.0
        w.ui_left[idx] = 0
        w.ui_amount[idx] = 0.0
        w.subsidy_left[idx] = 0
        w.last_programme[idx] = -1
        w.participation_end[idx] = -1
        w.spell_kinds[idx] = 0
        w.denied[idx] = False
        w.network[idx] = 0.0
        w.subsidy_prog[idx] = -1
        w.pension[idx] = 0.0
        # pending referrals, waiting-list places and programme places are closed by the
        # regime layer and the programmes this month (as lapsed / left), so their accounting
        # sees the death
        w.sector[idx] = draw_sector(model.cfg, rng, idx.size)
        if model.treatment is not None:  # an experiment treats slots: entrants inherit it
            model.treatment.give_skill(w, idx)
        mv.moved[idx] = True
