"""The vectorised engine agrees with the one-object-per-worker Mesa reference.

``benchmarks.mesa_reference.ObjectLabourMarket`` re-implements the engine's monthly rules
agent by agent with scalar draws, from the same ``Config``. Both are run at small N for the
same seeds and their post-burn-in means are compared.

Design. For a given seed both models start from the identical population
(``sim.population.build``), while their monthly dynamics use unrelated random streams. The
per-seed difference object - engine is therefore an independent draw for each seed, with
the noise of the initial population removed (it dominates the retired and inactive shares
at this N). The test requires, for every outcome,

    |mean difference| <= 4 x SE(mean difference) + 2% of the engine's level,

with the SE estimated from the spread of the per-seed differences. Why these numbers:

* 4 SE: with 6 seeds the SE has 5 degrees of freedom (a t distribution), so |t| > 4 happens
  with probability ~1% per outcome even when the models agree; 4 keeps the false-alarm
  rate low across the outcomes while any real difference of a few SE is still caught.
* 2% floor: the models are not numerically identical even in distribution at the 1e-6
  level (the engine stores skill, wages and hazards in float32 and draws float32 uniforms;
  the reference uses float64), and a 6-seed SE is itself noisy (it can come out small by
  chance). 2% of the level is below the seed-to-seed spread of one run at this N and below
  the effect of each rule omission listed next.

Calibration and power (checked by hand when writing this test, default economy). Without
changes, three further batches of 6 seeds and the seeds below all pass, the largest
|difference| being 0.46 of its tolerance (44 comparisons). Changing a parameter in the
reference model only (same seeds), i.e. leaving a rule out of it, gives |difference| /
tolerance of: training switched off -> training share 4.7; unemployment insurance off ->
UI recipient share 8.4; no-experience hiring penalty 0 -> youth unemployment rate 2.4 and
LTU share 1.9; search discouragement 0 -> job-finding rate 1.7; pension age 65 -> 66 ->
retired share 1.6; formalisation hazard 0 -> informality rate 1.2. Each of these makes the
test fail. Below 1 at this N (not detected): no discouraged exits to inactivity (LTU share
0.94), no scarring (0.76), no own-sector targeting (0.53). Unemployment itself is pinned by
the free entry of vacancies and moves little when one rule is dropped; it is still
compared because it catches errors in the core flows. The slow-marked
``test_agreement_detects_a_missing_rule`` repeats the two clearest checks.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # plain `pytest` does not put the repository root on the path
    sys.path.insert(0, str(ROOT))

from benchmarks import load_config  # noqa: E402
from benchmarks.mesa_reference import REFERENCE_OVERRIDES, ObjectLabourMarket  # noqa: E402
from sim.model import LabourMarket  # noqa: E402

N, MONTHS, BURN_IN = 2500, 120, 48
SEEDS = (101, 102, 103, 104, 105, 106)
Z = 4.0  # standard errors of the per-seed mean difference
REL_FLOOR = 0.02  # share of the engine's level always tolerated

# outcome -> how it is computed from the post-burn-in monthly rows
OUTCOMES = {
    "unemployment_rate": lambda p: p["unemployment_rate"].mean(),
    "informality_rate": lambda p: p["informality_rate"].mean(),
    "inactive_share": lambda p: p["n_inactive"].mean() / N,
    "retired_share": lambda p: p["n_retired"].mean() / N,
    "training_share": lambda p: p["n_training"].mean() / N,
    "ui_recipient_share": lambda p: p["n_ui_recipients"].mean() / N,
    "unemployment_rate_youth": lambda p: p["unemployment_rate_youth"].mean(),
    "ltu_share": lambda p: p["ltu_share"].mean(),
    "job_finding_rate": lambda p: p["job_finding_rate"].mean(),
    "poverty_headcount": lambda p: p["poverty_headcount"].mean(),
    "poverty_line": lambda p: p["poverty_line"].mean(),
}


def _config(*overrides: str):
    return load_config(
        [
            f"population.size={N}",
            f"run.months={MONTHS}",
            f"run.burn_in={BURN_IN}",
            *REFERENCE_OVERRIDES,
            *overrides,
        ]
    )


def _outcomes(model_cls, cfg) -> tuple[np.ndarray, list[str]]:
    """Post-burn-in means, one row per seed (columns as OUTCOMES); and the time-series columns."""
    rows, columns = [], []
    for seed in SEEDS:
        model = model_cls(dataclasses.replace(cfg, seed=seed))
        model.run()
        ts = model.timeseries()
        columns = list(ts.columns)
        post = ts[ts["month"] >= BURN_IN]
        assert len(post) == MONTHS - BURN_IN
        rows.append([f(post) for f in OUTCOMES.values()])
    return np.array(rows), columns


def _disagreement(engine: np.ndarray, obj: np.ndarray) -> dict[str, tuple[float, float]]:
    """Outcome -> (mean paired difference, tolerance) for the outcomes outside tolerance."""
    diff = obj - engine  # per seed: same initial population, independent dynamics
    mean = diff.mean(axis=0)
    se = diff.std(axis=0, ddof=1) / np.sqrt(len(SEEDS))
    tol = Z * se + REL_FLOOR * np.abs(engine.mean(axis=0))
    return {
        name: (float(m), float(t))
        for name, m, t in zip(OUTCOMES, mean, tol, strict=True)
        if abs(m) > t
    }


@pytest.fixture(scope="module")
def runs():
    cfg = _config()
    engine, engine_cols = _outcomes(LabourMarket, cfg)
    obj, obj_cols = _outcomes(ObjectLabourMarket, cfg)
    return {"engine": engine, "object": obj, "engine_cols": engine_cols, "object_cols": obj_cols}


def test_reference_reports_engine_columns(runs):
    missing = set(runs["object_cols"]) - set(runs["engine_cols"])
    assert not missing, f"reference columns not named as in the engine: {sorted(missing)}"


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_reference_agrees_with_engine(runs, outcome):
    k = list(OUTCOMES).index(outcome)
    engine, obj = runs["engine"][:, k], runs["object"][:, k]
    bad = _disagreement(runs["engine"], runs["object"])
    assert outcome not in bad, (
        f"{outcome}: engine {engine.mean():.5g}, object reference {obj.mean():.5g}, "
        f"difference {bad[outcome][0]:+.5g} beyond tolerance {bad[outcome][1]:.5g} "
        f"(per seed: engine {np.round(engine, 5).tolist()}, object {np.round(obj, 5).tolist()})"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("override", "outcome"),
    [
        ("policy.programmes.vocational.enabled=false", "training_share"),
        ("policy.unemployment_insurance.enabled=false", "ui_recipient_share"),
    ],
)
def test_agreement_detects_a_missing_rule(runs, override, outcome):
    """The comparison has power: dropping one rule from the reference only is caught."""
    obj, _ = _outcomes(ObjectLabourMarket, _config(override))
    assert outcome in _disagreement(runs["engine"], obj)
