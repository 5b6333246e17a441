"""``python -m sim.calibrate``: the method of simulated moments (issue 11).

The recovery test simulates data at known parameter values, calibrates them back and asks
that each estimate lies within 4 of its standard errors of the truth (the curvature's
standard error; 4 rather than 2 because the data's variance is estimated from 4 replicates
and the search stops at a finite step) and that the standard error is small against the
box (under 5% of its width), so that a test cannot pass on an estimate nobody can
pin down.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from sim.analysis.calibrate import Options, Problem, parse_options, polish_point
from sim.analysis.simulate import nest, parameter
from sim.config import ConfigError, load

from .conftest import ROOT

SMALL = ("population=small", "run=short")
TRUTH = {
    "economy.labour_demand.matching_efficiency": 0.9,
    "economy.formality.informalisation": 0.012,
}
BOUNDS = {
    "economy.labour_demand.matching_efficiency": (0.4, 1.4),
    "economy.formality.informalisation": (0.002, 0.03),
}
MOMENTS = ("unemployment_rate", "job_finding_rate", "informality_rate")


def _sim(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def _calibrate(out, *extra: str, trials: int, params=tuple(TRUTH), data=None):
    bounds = ",".join(f"{k}:{lo}:{hi}" for k, (lo, hi) in BOUNDS.items() if k in params)
    args = [
        "sim.calibrate",
        *SMALL,
        f"calibration.params=[{','.join(params)}]",
        f"calibration.bounds=[{bounds}]",
        f"calibration.moments=[{','.join(MOMENTS)}]",
        f"calibration.trials={trials}",
        "calibration.replicates=2",
        "calibration.name=test",
        f"hydra.run.dir={out}",
        *extra,
    ]
    if data is not None:
        args.append(f"calibration.data={data}")
    return _sim(*args)


@pytest.fixture(scope="module")
def data_run(tmp_path_factory):
    """The data-generating run: 4 replicates at the true values (replicates 100-103, so
    the data share no random numbers with the calibration's replicates 0 and 1)."""
    out = tmp_path_factory.mktemp("data")
    truth = [f"{k}={v}" for k, v in TRUTH.items()]
    r = _sim(
        "sim",
        "-m",
        *SMALL,
        *truth,
        "run.replicate=100,101,102,103",
        f"hydra.sweep.dir={out}",
        "hydra/launcher=basic",
    )
    assert r.returncode == 0, r.stderr[-2000:]
    return out


@pytest.mark.slow
def test_calibration_recovers_known_parameters(tmp_path, data_run):
    out = tmp_path / "cal"
    r = _calibrate(out, trials=40, data=data_run)
    assert r.returncode == 0, r.stderr[-3000:]
    fit = json.loads((out / "calibration_fit.json").read_text())
    for key, truth in TRUTH.items():
        est = fit["estimates"][key]
        lo, hi = BOUNDS[key]
        assert est["se"] < 0.05 * (hi - lo), (key, est)
        assert abs(est["value"] - truth) <= 4 * est["se"], (key, est, truth)
    # the moments each parameter is identified from
    ident = fit["identification"]
    assert abs(ident["informality_rate"]["economy.formality.informalisation"]) > 1
    assert abs(ident["job_finding_rate"]["economy.labour_demand.matching_efficiency"]) > 1
    text = (out / "calibrated.yaml").read_text()
    assert text.startswith("# @package _global_")
    assert "matching_efficiency" in text and "z " in text  # the fit per moment in its header
    # the parameter file is a Hydra experiment file the model composes with
    import yaml

    values = yaml.safe_load(text)
    assert values["economy"]["formality"]["informalisation"] == pytest.approx(
        fit["estimates"]["economy.formality.informalisation"]["value"], rel=1e-5
    )


def test_a_resumed_study_continues_rather_than_restarting(tmp_path, data_run):
    out = tmp_path / "cal"
    params = ("economy.labour_demand.matching_efficiency",)
    first = _calibrate(out, trials=4, params=params, data=data_run)
    assert first.returncode == 0, first.stderr[-3000:]
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    def trials():
        storage = JournalStorage(JournalFileBackend(str(out / "study.journal")))
        study = optuna.load_study(study_name="test", storage=storage)
        return [(t.number, t.params, t.value) for t in study.trials if t.value is not None]

    before = trials()
    assert len(before) == 4
    second = _calibrate(out, trials=6, params=params, data=data_run)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "4 of 6 trials done" in second.stdout
    after = trials()
    assert len(after) == 6 and after[:4] == before  # the first four kept, two more run
    again = _calibrate(out, trials=6, params=params, data=data_run)
    assert "nothing to run" in again.stdout and len(trials()) == 6


def test_bad_options_fail_in_one_line(tmp_path):
    r = _sim("sim.calibrate", *SMALL, "calibration.trials=0", "calibration.params=[x]")
    assert r.returncode != 0 and "calibration.trials=0" in r.stderr
    assert "Traceback" not in r.stderr
    r = _sim(
        "sim.calibrate", *SMALL, "calibration.params=[economy.no_such]", f"hydra.run.dir={tmp_path}"
    )
    assert r.returncode != 0 and "economy.no_such" in r.stderr and "Traceback" not in r.stderr
    with pytest.raises(ConfigError, match=r"calibration\.params: required"):
        parse_options([])
    with pytest.raises(ConfigError, match=r"calibration\.nope"):
        parse_options(["calibration.nope=1"])


def test_bounds_come_from_the_schema():
    cfg = load(*SMALL)
    p = parameter("economy.labour_demand.matching_efficiency", cfg)
    assert (p.lo, p.hi) == (0.0, 10.0) and p.value == cfg.economy.labour_demand.matching_efficiency
    q = parameter("economy.formality.informalisation", cfg)
    assert (q.lo, q.hi) == (0.0, 1.0)  # a probability
    narrowed = parameter(q.key, cfg, {q.key: (0.001, 0.01)})
    assert (narrowed.lo, narrowed.hi) == (0.001, 0.01)
    with pytest.raises(ConfigError, match="inside the schema's range"):
        parameter(q.key, cfg, {q.key: (0.5, 2.0)})
    with pytest.raises(ConfigError, match="not a numeric parameter"):
        parameter("economy.labour_demand.mode", cfg)


def test_the_objective_inflates_the_data_variance_by_one_plus_one_over_r():
    def problem(r, weighting):
        return Problem(
            [],
            ["a"],
            np.array([1.0]),
            np.array([1.0]),
            np.array([0.2]),
            np.array([0.04]),
            r,
            weighting,
            "test",
        )

    gap = np.array([1.2])  # 0.2 off
    assert problem(1, "variance").objective(gap) == pytest.approx(0.04 / (2 * 0.04))
    assert problem(4, "variance").objective(gap) == pytest.approx(0.04 / (1.25 * 0.04))
    # tolerance weighting: the tolerance is two standard errors, plus simulation noise
    assert problem(4, "tolerance").objective(gap) == pytest.approx(0.04 / (0.01 + 0.01))


def test_the_local_search_halves_its_step_each_round():
    class Best:
        def __init__(self) -> None:
            self.params = {"economy.labour_demand.matching_efficiency": 0.5}

    class Study:
        best_trial = Best()

    cfg = load(*SMALL)
    p = parameter(
        "economy.labour_demand.matching_efficiency",
        cfg,
        {"economy.labour_demand.matching_efficiency": (0.0, 1.0)},
    )
    prob = Problem([p], ["a"], np.zeros(1), np.ones(1), np.ones(1), np.ones(1), 1, "variance", "")
    key = p.key
    assert polish_point(Study(), prob, 9, 10) is None  # still the global phase
    assert polish_point(Study(), prob, 10, 10)[key] == pytest.approx(0.4)
    assert polish_point(Study(), prob, 11, 10)[key] == pytest.approx(0.6)
    assert polish_point(Study(), prob, 12, 10)[key] == pytest.approx(0.45)


def test_nest_writes_dotted_keys_as_yaml_mappings():
    assert nest({"a.b.c": 1, "a.b.d": 2, "e": 3}) == {"a": {"b": {"c": 1, "d": 2}}, "e": 3}


def test_options_defaults():
    o, rest = parse_options(["calibration.params=[a,b]", "regime=integration"])
    assert o.params == ["a", "b"] and rest == ["regime=integration"]
    assert isinstance(o, Options) and o.weighting == "auto" and o.replicates == 3


def test_workers_under_a_hydra_launcher_share_one_study(tmp_path, data_run):
    """``-m +calibration_worker=0,1`` with the joblib launcher: two jobs run at once on the
    sweep directory's journal, and together complete the study's trials, not twice as
    many (a worker stops when the study holds them; one in flight may finish after)."""
    out = tmp_path / "sweep"
    r = _sim(
        "sim.calibrate",
        "-m",
        *SMALL,
        "calibration.params=[economy.labour_demand.matching_efficiency]",
        "calibration.bounds=[economy.labour_demand.matching_efficiency:0.4:1.4]",
        f"calibration.moments=[{','.join(MOMENTS)}]",
        "calibration.trials=6",
        "calibration.replicates=1",
        "calibration.jobs=1",
        "calibration.name=test",
        f"calibration.data={data_run}",
        "+calibration_worker=0,1",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        f"hydra.sweep.dir={out}",
    )
    assert r.returncode == 0, r.stderr[-3000:]
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    storage = JournalStorage(JournalFileBackend(str(out / "study.journal")))
    study = optuna.load_study(study_name="test", storage=storage)
    done = [t for t in study.trials if t.value is not None]
    assert 6 <= len(done) <= 7
    assert (out / "calibrated.yaml").exists()
