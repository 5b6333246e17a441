"""``LabourMarket``: the Mesa model that owns the workers, institutions and the month loop."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

import mesa
import numpy as np
import pandas as pd

from . import outputs, population
from .agencies import BenefitAgency, EmploymentOffice, EmploymentService, TrainingProvider
from .config import Config
from .params import DatedParams
from .policy import envelope
from .policy.programmes import ProgrammeTable
from .processes import LOOP_ORDER, own_account
from .random import Streams
from .spells import SpellLog
from .states import FLOW_NAMES, LAST_JOB_NAMES, LIFE_STAGE_NAMES, N_STATES, SEX_NAMES
from .transitions import Moves
from .treatment import Treatment


def _report(model: LabourMarket, key: str) -> float:
    """Scalar model reporter: one column of the month's record."""
    return model.record[key]


class LabourMarket(mesa.Model):
    """Workers (arrays) moving between formal work, informal work, unemployment, training,
    inactivity and retirement, month by month, under a baseline income-support policy.

    Seeded through Mesa (``seed``); all simulation draws come from named streams derived
    from the same seed (``sim.random``). ``step`` runs one month: the processes of
    ``LOOP_ORDER`` in turn, then the record is collected by the ``DataCollector``.
    """

    def __init__(self, cfg: Config) -> None:
        super().__init__(seed=cfg.seed)
        self.params = DatedParams(cfg)
        self.cfg = self.params.at(0)
        cfg = self.cfg
        self.month = 0
        self.streams = Streams(cfg.seed, cfg.population.size, cfg.run.replicate)
        self.workers, self.households, info = population.build(cfg, self.streams)
        self.sector_names: list[str] = info["sector_names"]
        self.benefit_agency = BenefitAgency(self, "benefit agency")
        self.employment_service = EmploymentService(self, "employment service")
        self.training_provider = TrainingProvider(self, "training provider")
        self.offices = [
            EmploymentOffice(self, f"employment office, region {r}", r)
            for r in range(len(cfg.population.region_shares))
        ]
        self.moves = Moves(self.workers)
        self.programme_table = ProgrammeTable(cfg)
        self.columns = outputs.columns(self.programme_table.names, self.sector_names)
        self.flows_by_sector = np.zeros(len(self.sector_names), np.int64)  # vacancies posted
        self.programme_income = (np.zeros(0, np.intp), np.zeros(0))
        self.cohorts = outputs.Cohorts(cfg.run.months)
        self.spell_log = SpellLog(
            cfg.run.months, cfg.run.burn_in, cfg.population.demography.enabled
        )
        self.ended_spell_kinds = (np.zeros(0, np.intp), np.zeros(0, np.uint32))
        self.vacancy_stock = None  # free-entry mode: set up by the vacancies process
        self.sector_tightness = np.zeros(len(cfg.economy.sectors))
        self.wage_bill = (0.0, 0.0)  # formal and informal wages paid this month
        self.n_own_account = int(np.count_nonzero(self.workers.own_account))
        self.processes = [cls() for cls in LOOP_ORDER]
        for p in self.processes:
            p.setup(self)
        self.flows: defaultdict[str, float] = defaultdict(float)
        self.sa_claimant_households = np.zeros(self.households.n, dtype=np.bool_)
        self.last_spend_benefits = 0.0
        self.last_spend_other = 0.0  # last month's spending on all but ALMPs (equal envelope)
        self.envelope = None  # the equal envelope (sim.policy.envelope), or None
        if cfg.regime.equal_envelope and not envelope.is_baseline(cfg):
            self.envelope = envelope.Envelope(envelope.baseline_spending(cfg))
        self.contacted = np.zeros(0, dtype=np.intp)  # clients in contact this month (sorted)
        self.contact_scale = np.zeros(0)  # 1 for a counsellor meeting, less online
        self.severance = (np.zeros(0, np.intp), np.zeros(0))  # (job losers, amounts) this month
        self.voluntary = np.zeros(0, np.intp)  # informal workers contributing this month
        self.treatment: Treatment | None = None  # an experiment's employability gain
        self.trial = None  # an in-model randomised trial (sim.trial), or None
        self.sa_top_up = np.zeros(self.households.n)  # social assistance paid this month
        self.record: dict[str, float] = {}
        self.initial_stocks = np.bincount(self.workers.state, minlength=N_STATES)
        self._transitions: list[tuple[int, np.ndarray]] = []
        self.datacollector = mesa.DataCollector(
            model_reporters={k: partial(_report, key=k) for k in self.columns}
        )

    def uniform(self, stream: str) -> np.ndarray:
        """One U[0, 1) draw per worker slot from the named stream for this month."""
        return self.streams.uniform(stream, self.month)

    def step(self) -> None:
        """Simulate one month."""
        self.month = self.steps - 1  # Mesa has already counted this step
        self._apply_dated_params()
        for agent in self.agents:
            agent.begin_month()
        self.moves.begin()
        self.flows.clear()
        self.flows_by_sector[:] = 0
        self.record = {"month": self.month, "params_version": self.params.version(self.month)}
        for process in self.processes:
            process.step(self)
        if self.trial is not None:
            self.trial.end_month(self)
        counts = outputs.finish_month(self)
        self.spell_log.end_month(
            self.month, self.workers, self.moves.state0, self.moves.spell0, self.ended_spell_kinds
        )
        nz = np.flatnonzero(counts)
        self._transitions.append((self.month, np.stack([nz, counts.ravel()[nz]])))
        self.datacollector.collect(self)
        if self.steps >= self.cfg.run.months:
            self.running = False
            self.spell_log.censor(self.month, self.workers)

    def informal_wage(self, idx: np.ndarray) -> np.ndarray:
        """Earnings of own-account work for workers ``idx`` (fixed-tightness mode: the
        informal wage of their sector); free-entry mode marks them own-account."""
        if self.vacancy_stock is not None:
            self.workers.own_account[idx] = True
            return own_account.earnings(self, idx)
        wage, ratio = population.sector_wages(self.cfg)
        w = self.workers
        return population.wage_offer(
            wage,
            ratio,
            self.cfg.economy.hiring.skill_return,
            w.sector[idx],
            w.skill[idx],
            np.zeros(idx.size, bool),
        )

    def _apply_dated_params(self) -> None:
        """Switch to the parameters in force this month; re-derive tables if they changed."""
        cfg = self.params.at(self.month)
        if cfg is self.cfg:
            return
        self.cfg = cfg
        self.programme_table = ProgrammeTable(cfg)
        for process in self.processes:
            process.setup(self)
        pov = cfg.policy.poverty
        self.households.set_scale(pov.equivalence_adult, pov.equivalence_child)

    def run(self, progress=None) -> None:
        """Run all configured months (``progress(month)`` is called after each)."""
        while self.running:
            self.step()
            if progress is not None:
                progress(self.month)

    # ---------------------------------------------------------------- results
    def timeseries(self) -> pd.DataFrame:
        df = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        return df[list(self.columns)]

    def transitions(self) -> pd.DataFrame:
        """Counts of moves per month by from-state, to-state, life stage, sex, formality."""
        shape = (
            len(FLOW_NAMES),
            len(FLOW_NAMES),
            len(LIFE_STAGE_NAMES),
            len(SEX_NAMES),
            len(LAST_JOB_NAMES),
        )
        months, cells, counts = [], [], []
        for month, arr in self._transitions:
            months.append(np.full(arr.shape[1], month, dtype=np.int32))
            cells.append(arr[0])
            counts.append(arr[1])
        flat = np.concatenate(cells) if cells else np.zeros(0, np.int64)
        f, t, st, sx, lj = np.unravel_index(flat, shape)
        cat = pd.Categorical.from_codes
        return pd.DataFrame(
            {
                "month": np.concatenate(months) if months else np.zeros(0, np.int32),
                "from_state": cat(f, FLOW_NAMES),
                "to_state": cat(t, FLOW_NAMES),
                "life_stage": cat(st, LIFE_STAGE_NAMES),
                "sex": cat(sx, SEX_NAMES),
                "formality": cat(lj, LAST_JOB_NAMES),
                "count": np.concatenate(counts) if counts else np.zeros(0, np.int64),
            }
        )

    def spells(self) -> pd.DataFrame:
        """Job-seeking spells that started after burn-in: completed and censored."""
        return self.spell_log.table()

    def summary(self) -> dict:
        # the economy's size where stated (0 otherwise): money as a share of GDP
        gdp = self.cfg.economy.gdp_per_adult_month * self.cfg.population.size
        ts = self.timeseries()
        out = outputs.summarise(ts, self.cohorts, self.cfg.run.burn_in, self.cfg.targets, gdp)
        if self.cfg.shocks:  # how fast people return to work, how far poverty rises
            out["shock_response"] = outputs.shock_response(ts, self.cfg.run.burn_in)
        return out
