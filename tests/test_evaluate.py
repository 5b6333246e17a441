"""The in-model randomised evaluation (``sim.trial``, ``python -m sim.evaluate``)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.evaluate import COLUMNS, Options, _moments, design_for, run_world, table
from sim.config import load
from sim.model import LabourMarket
from sim.states import State
from sim.trial import CONTROL, N_CELLS, TREATED, Trial

P = "policy.programmes.job_search."
#: the textbook two-state market with one programme whose only effect is a known hiring
#: bonus: no lock-in, no cost or seat limit, one intake with no delay (integration), long
#: enough to last the whole follow-up tested
KNOWN = (
    "population=textbook",
    "economy=homogeneous",
    "regime=integration",
    "population.size=200000",
    "run.months=120",
    "run.burn_in=60",
    P + "enabled=true",
    P + "hire_bonus=0.5",
    P + "lock_in=1.0",
    P + "duration_months=24",
    P + "seats_per_1000=0",
    P + "cost_per_month=0",
    P + "dropout=0",
    P + "min_spell_months=2",
)


def _race(lam: float, share: float, bonus: float) -> tuple[float, float]:
    """Monthly hiring probability of an applicant without and with the bonus in the
    fixed-tightness race: the other applicants at its vacancy are Poisson(``lam``), a share
    ``share`` of them with the bonus, and the vacancy hires with probability proportional to
    the hiring weight (``exp(bonus)`` or 1)."""
    k = np.arange(60)
    plain, boosted = stats.poisson.pmf(k, lam * (1 - share)), stats.poisson.pmf(k, lam * share)
    k1, kb = np.meshgrid(k, k, indexing="ij")
    p = np.outer(plain, boosted)
    eb = np.exp(bonus)
    return float((p / (1 + k1 + eb * kb)).sum()), float((p * eb / (eb * (1 + kb) + k1)).sum())


def _employment_path(first: float, later: float, separation: float, months: int) -> np.ndarray:
    """P(employed) at the end of months 1.. after assignment, unemployed at month 0: the
    first spell ends at rate ``first``, later spells at ``later``, jobs end at
    ``separation`` (a worker moves at most once a month)."""
    u1, e, u2, out = 1.0, 0.0, 0.0, []
    for _ in range(months):
        u1, e, u2 = (
            u1 * (1 - first),
            e * (1 - separation) + u1 * first + u2 * later,
            (u2 * (1 - later) + e * separation),
        )
        out.append(e)
    return np.array(out)


def test_evaluation_recovers_a_known_hiring_gain():
    """A programme whose only effect is a log hiring-weight bonus of 0.5, in the textbook
    fixed-tightness market (tightness 0.5: the others at an applicant's vacancy are
    Poisson(2)). Everyone offered is admitted at once, so the offer raises the monthly
    hiring probability of the first spell from f to f_b, both known from the race given the
    share of participants among applicants (measured: about 3%, which is the only
    displacement: it lowers f and f_b alike). The estimated employment of each arm and
    their difference at 1, 2, 3 and 6 months lie within 4 standard errors of the two-state
    prediction (4 rather than 1.96: 12 comparisons, and the prediction ignores the few
    controls who take part in a later spell, about 0.2 points). The effect itself is more
    than 4 standard errors from zero at 1 to 3 months, so a null estimator fails."""
    cfg = load(*KNOWN)
    options = Options("job_search", control_share=0.2, horizon=12)
    model = LabourMarket(cfg)
    design = design_for(cfg, options, closed=False)
    model.trial = Trial(design, model.workers.n)
    share = []
    while model.running:
        model.step()
        if model.month >= cfg.run.burn_in:
            unemployed = model.workers.state == State.UNEMPLOYED
            share.append(np.mean(model.workers.programme[unemployed] == design.programme))
    eco = cfg.economy
    f, f_b = _race(1.0 / (eco.tightness * eco.demand_index), float(np.mean(share)), 0.5)
    s = eco.sectors["all"].separation_formal * eco.separation_multiplier
    treated_path = _employment_path(f_b, f, s, 12)
    control_path = _employment_path(f, f, s, 12)

    totals = model.trial.totals()
    cells = np.ones(N_CELLS, bool)
    nt, mt, vt = _moments(totals, TREATED, cells)
    nc, mc, vc = _moments(totals, CONTROL, cells)
    assert nt[0] > 5000 and nc[0] > 1500, (nt[0], nc[0])
    rows = table(totals, totals)
    est = rows[
        (rows.comparison == "treated vs control")
        & (rows.group == "all")
        & (rows.outcome == "employed")
    ].set_index("horizon_months")
    for h in (1, 2, 3, 6):
        i = h - 1
        se_t, se_c = np.sqrt(vt[0, i] / nt[i]), np.sqrt(vc[0, i] / nc[i])
        se = np.hypot(se_t, se_c)
        assert abs(mt[0, i] - treated_path[i]) < 4 * se_t, (h, mt[0, i], treated_path[i])
        assert abs(mc[0, i] - control_path[i]) < 4 * se_c, (h, mc[0, i], control_path[i])
        predicted = treated_path[i] - control_path[i]
        effect = est.loc[h, "effect"]
        assert abs(effect - predicted) < 4 * se, (h, effect, predicted, se)
        # the table's interval is the same standard error
        assert est.loc[h, "ci_high"] - est.loc[h, "ci_low"] == pytest.approx(2 * 1.96 * se, 1e-3)
        if h <= 3:
            assert predicted > 4 * se, (h, predicted, se)


def _small(*extra: str):
    return load("population.size=20000", "run.months=300", "run.burn_in=180", *extra)


def test_controls_are_barred_for_the_spell_and_the_closed_world_admits_nobody():
    """A control never starts the programme in the spell of assignment; the treated do;
    with the programme closed nobody starts it after the start of enrolment."""
    cfg = _small()
    options = Options("job_search", control_share=0.5, horizon=24)
    for closed in (False, True):
        model = LabourMarket(cfg)
        design = design_for(cfg, options, closed)
        trial = model.trial = Trial(design, model.workers.n)
        violations, starts = 0, 0
        while model.running:
            model.step()
            w = model.workers
            in_k = w.programme == design.programme
            if closed and model.month >= design.start:
                starts += int((in_k & (w.programme_left == design_months(model, design))).sum())
            on = trial.bar_month != -1
            barred = on & (
                w.spell.astype(np.int64) == trial.bar_clock + (model.month - trial.bar_month)
            )
            violations += int((barred & in_k).sum())
        assert violations == 0
        if closed:
            assert starts == 0
            assert trial.totals()["started"].sum() == 0
        else:
            arm = trial.arm
            assert (arm == CONTROL).sum() > 300
            started = trial.started
            assert started[arm == TREATED].mean() > 0.2  # the offer is taken up
            assert started[arm == CONTROL].mean() < 0.5 * started[arm == TREATED].mean()


def design_months(model, design) -> int:
    """A participant's months left in the month they start."""
    return int(model.programme_table.duration_months[design.programme])


def test_assignment_is_random_among_the_referred():
    """The control share is the configured one within 4 binomial standard errors, and the
    arms are balanced on life stage and long-term unemployment at assignment."""
    cfg = _small()
    totals = run_world((cfg, Options("vocational", control_share=0.3, horizon=24), 0, False))
    n = totals["assigned"].sum()
    share = totals["assigned"][CONTROL] / n
    assert abs(share - 0.3) < 4 * np.sqrt(0.3 * 0.7 / n), (share, n)
    month1 = totals["n"][0]  # (arm, cell) at month 1
    mix = month1 / month1.sum(axis=1, keepdims=True)
    ltu_t, ltu_c = mix[TREATED, 1::2].sum(), mix[CONTROL, 1::2].sum()
    nt, nc = month1.sum(axis=1)
    p = (ltu_t * nt + ltu_c * nc) / (nt + nc)
    # <=: with nobody long-term unemployed at assignment in either arm the two are equal
    assert abs(ltu_t - ltu_c) <= 4 * np.sqrt(p * (1 - p) * (1 / nt + 1 / nc))


def _evaluate(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.evaluate", *args, f"hydra.run.dir={tmp_path}"],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_command_writes_the_evaluation_and_prints_the_table(tmp_path):
    out = tmp_path / "ev"
    r = _evaluate(
        out,
        "programme=job_search",
        "population.size=10000",
        "run.months=260",
        "run.burn_in=180",
        "evaluation.horizon=36",
        "evaluation.jobs=1",
    )
    assert r.returncode == 0, r.stderr
    assert "treated vs control" in r.stdout and "36 months" in r.stdout
    df = pd.read_parquet(out / "evaluation.parquet")
    assert set(df.comparison) == {"treated vs control", "displacement: control vs no programme"}
    assert set(df.horizon_months) == set(range(1, 37))
    assert list(df.columns) == list(COLUMNS)  # as docs/outputs.md lists them
    assert (df.ci_low <= df.effect).all() and (df.effect <= df.ci_high).all()
    groups = set(df.group)
    assert {"all", "sex: female", "life stage: youth"} <= groups
    assert any(g.startswith("unemployed under 12 months") for g in groups)  # by LTU status
    html = (out / "evaluation.html").read_text()
    assert "Randomised evaluation: job_search" in html and "<script src" not in html
    assert (out / "evaluation.json").exists()


def test_help_describes_the_command():
    r = subprocess.run(
        [sys.executable, "-m", "sim.evaluate", "--help"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert "programme=NAME" in r.stdout and "evaluation.control_share" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("programme=nonesuch",), "programme=nonesuch: not in the catalogue"),
        ((), "programme: required"),
        (("programme=vocational", "evaluation.control_share=1.5"), "evaluation.control_share=1.5"),
        (("programme=vocational", "evaluation.colour=red"), "evaluation.colour: no such option"),
        (("programme=vocational", "run.months=200", "run.burn_in=180"), "run.months=200"),
        (("programme=vocational", "population.size=-3"), "population.size"),
    ],
)
def test_bad_evaluation_input_fails_in_one_line(tmp_path, args, message):
    r = _evaluate(tmp_path / "bad", *args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr


@pytest.mark.slow
def test_default_catalogue_has_the_card_kluve_weber_profile():
    """Card, Kluve and Weber (2018): training locks participants in, then pays off later;
    job-search assistance acts early and fades; private-sector wage subsidies have the
    largest medium-run effects. At 100,000 workers x 2 replicates (the trial world only)
    the offer's effect, with 95% intervals, must show: vocational training below zero in
    employment at 6 months and above zero in earnings at 24 and 36 months; job-search
    assistance above zero at 6 months and under a third of that at 24; wage subsidies above
    zero in formal employment at 24 months, and above both others in it. The parameters
    that carry it: the programmes' ``lock_in`` and duration (lock-in), ``skill_gain`` and
    ``certification`` (training's later earnings), ``hire_bonus`` (job search, wage
    subsidies) and the wage subsidy's ``network_bonus``. Not tested, because the model
    does not produce it yet (issue 10 is open): larger effects for the long-term unemployed
    and for women, and public works as the weakest (too few participants at this size)."""
    from concurrent.futures import ProcessPoolExecutor

    cfg = load("population.size=100000")
    progs = ("vocational", "job_search", "wage_subsidy")
    tasks = [(cfg, Options(p), r, False) for p in progs for r in range(2)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        out = list(pool.map(run_world, tasks))
    pooled = {
        p: {k: out[2 * i][k] + out[2 * i + 1][k] for k in out[2 * i]} for i, p in enumerate(progs)
    }
    effect = {}
    for p, totals in pooled.items():
        rows = table(totals, totals)
        rows = rows[(rows.comparison == "treated vs control") & (rows.group == "all")]
        effect[p] = rows.set_index(["outcome", "horizon_months"])
    voc, jsa, ws = effect["vocational"], effect["job_search"], effect["wage_subsidy"]
    assert voc.loc[("employed", 6), "ci_high"] < 0  # lock-in
    assert voc.loc[("earnings", 24), "ci_low"] > 0 and voc.loc[("earnings", 36), "ci_low"] > 0
    assert jsa.loc[("employed", 6), "ci_low"] > 0  # early
    assert abs(jsa.loc[("employed", 24), "effect"]) < jsa.loc[("employed", 6), "effect"] / 3
    assert ws.loc[("formal", 24), "ci_low"] > 0
    others = max(voc.loc[("formal", 24), "effect"], jsa.loc[("formal", 24), "effect"])
    assert ws.loc[("formal", 24), "effect"] > others


def test_the_world_without_the_programme_identifies_as_many_people_a_month():
    """The closed world is held to the trial world's referrals to the programme each month
    (its own cap would see an empty programme and refer more): never more, and nearly all
    of them found."""
    from sim.analysis.evaluate import run_pair

    cfg = _small()
    trial, closed = run_pair((cfg, Options("vocational", horizon=24), 0))
    start = cfg.run.burn_in
    a, b = trial["referrals"][start:], closed["referrals"][start:]
    assert a.sum() > 300
    assert (b <= a).all()
    assert b.sum() >= 0.9 * a.sum(), (a.sum(), b.sum())
