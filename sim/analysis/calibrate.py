"""``python -m sim.calibrate [overrides] calibration.params=[a,b] [calibration.trials=N]``:
estimate free parameters by the method of simulated moments (MSM).

The moments are the configuration's targets (``targets``: data value, tolerance, weight),
or, with ``calibration.data=DIR``, the replicate means of the runs in a run or sweep
directory (the data-generating run of an identification check). For parameters theta,

    J(theta) = sum_k  w_k (mbar_k(theta) - d_k)^2 / Omega_k,   mbar_k = (1/R) sum_r m_kr

where ``mbar_k`` averages R replicates ``r = 0..R-1`` with common random numbers (every
trial uses the same R seeds, so J is smooth in theta), ``d_k`` is the data moment and
``w_k`` the target's weight. Omega_k is the variance of the gap ``mbar_k - d_k``:

* ``calibration.weighting=variance``: ``Omega_k = (1 + 1/R) s_k^2``, with ``s_k^2`` the
  variance of moment k across replicates of the data-generating run (``data=DIR``), or,
  without one, across ``calibration.pilot`` replicates at the starting values. The factor
  (1 + 1/R) adds the simulation's own noise, s_k^2 / R, to the data's sampling noise.
* ``calibration.weighting=tolerance``: ``Omega_k = (tol_k / 2)^2 + s_k^2 / R``, the data's
  uncertainty read from the target's tolerance (two standard errors) plus simulation noise.
* ``auto`` (default): ``variance`` when the data are a simulated run (``data=DIR``: its
  replicates measure its sampling noise), ``tolerance`` when they are statistics, whose
  uncertainty (comparability, definitions, years) is far larger than a model run's noise
  and is what the tolerance states.

Optuna's TPE sampler searches the box the schema's ranges give (``calibration.bounds``
narrows it), its first trial the configuration's own values, and the study lives in a
journal file (``calibration.study``; default ``study.journal`` in the output directory),
so a study stopped part way resumes where it stopped, and several workers share one
study: ``calibration.workers=N`` on this machine, or a Hydra multirun
(``-m +calibration_worker=0,1,2,3 hydra/launcher=slurm``), each job a worker.
``calibration.trials`` is the study's total of completed trials.

At the optimum the Jacobian G of the moments is taken by central differences (common
random numbers again), and gives

* the identification table: how many of its standard errors (sqrt Omega_k) each moment
  moves when a parameter moves by a tenth of its range;
* standard errors from the objective's curvature, the MSM sandwich
  ``V = A^-1 G'W Omega W G A^-1`` with ``W = diag(w / Omega)``, ``A = G'WG``.

Writes into the output directory (``hydra.run.dir``; default
``results/calibrations/<calibration.name>``): ``calibrated.yaml`` (``# @package _global_``,
the estimates, to include from a scenario; its header holds the fit per moment and the
study's provenance), ``calibration_fit.json`` (all of it, machine-readable) and
``identification.csv``; ``calibration.write=PATH`` also writes the parameter file there.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from ..config import ConfigError
from . import options as opts
from .simulate import Parameter, Simulator, nest, parameter

ENV = "ALMP_CALIBRATION_OPTIONS"
WORKER_KEY = "calibration_worker"
TABLE = {
    "params": opts.Option("list", help="dotted parameter keys to estimate (required)"),
    "trials": opts.Option("int", 1, 100_000, help="completed trials of the study in total"),
    "replicates": opts.Option("int", 1, 1000, help="R: replicates per trial"),
    "pilot": opts.Option("int", 2, 1000, help="replicates estimating s_k^2 (no data run)"),
    "weighting": opts.Option(
        "choice", choices=("auto", "variance", "tolerance"), help="Omega_k (auto: see above)"
    ),
    "moments": opts.Option("list", help="moments to match (default: every target)"),
    "data": opts.Option("str", help="run or sweep directory whose runs are the data"),
    "bounds": opts.Option("list", help="key:lo:hi items narrowing the schema's ranges"),
    "study": opts.Option("str", help="Optuna journal file (shared by workers)"),
    "name": opts.Option("str", help="study name and default output directory"),
    "seed": opts.Option("int", 0, 2**32 - 1, help="sampler seed"),
    "jobs": opts.Option("int", 1, 256, help="processes per trial (replicates in parallel)"),
    "workers": opts.Option("int", 1, 256, help="local workers sharing the study"),
    "step": opts.Option("float", 1e-4, 0.5, help="finite-difference step, share of range"),
    "write": opts.Option("str", help="also write the parameter file to this path"),
}


@dataclass
class Options:
    params: list[str] = field(default_factory=list)
    trials: int = 40
    replicates: int = 3
    pilot: int = 4
    weighting: str = "auto"
    moments: list[str] = field(default_factory=list)
    data: str = ""
    bounds: list[str] = field(default_factory=list)
    study: str = ""
    name: str = "calibration"
    seed: int = 0
    jobs: int = 2
    workers: int = 1
    step: float = 0.05
    write: str = ""
    command: str = ""  # the command line as typed (for the provenance), set by main

    def bound_map(self) -> dict[str, tuple[float, float]]:
        out = {}
        for item in self.bounds:
            key, *ends = item.split(":")
            try:
                lo, hi = (float(e) for e in ends)
            except ValueError:
                raise ConfigError(
                    f"calibration.bounds: {item!r} must be key:lo:hi, e.g. "
                    "economy.labour_demand.matching_efficiency:0.3:1.2"
                ) from None
            out[key] = (lo, hi)
        return out


def parse_options(argv: list[str]) -> tuple[Options, list[str]]:
    values, rest = opts.parse(argv, "calibration", TABLE)
    o = Options(**values)  # type: ignore[arg-type]
    if not o.params:
        raise ConfigError("calibration.params: required, e.g. calibration.params=[economy.x,...]")
    return o, rest


# --------------------------------------------------------------------------- the problem
@dataclass
class Problem:
    """The moments, their data and weights, and the parameters' box."""

    params: list[Parameter]
    keys: list[str]
    data: np.ndarray
    weight: np.ndarray
    tolerance: np.ndarray
    s2: np.ndarray  # variance of each moment across replicates of the data-generating run
    replicates: int
    weighting: str
    data_source: str

    @property
    def omega(self) -> np.ndarray:
        r = self.replicates
        if self.weighting == "variance":
            return (1 + 1 / r) * self.s2
        return (self.tolerance / 2) ** 2 + self.s2 / r

    def objective(self, mbar: np.ndarray) -> float:
        return float(np.sum(self.weight * (mbar - self.data) ** 2 / self.omega))


def _variance_floor(s2: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """A moment with no spread over replicates (a deterministic one) gets a floor of
    (0.1% of its scale)^2 so that it cannot take the whole weight."""
    return np.maximum(s2, (1e-3 * np.maximum(np.abs(scale), 1e-6)) ** 2)


def build_problem(cfg, o: Options, sim_factory) -> Problem:
    """Targets (or the data run), the parameters and the variances of the moments."""
    params = [parameter(k, cfg, o.bound_map()) for k in o.params]
    for key in o.bound_map():
        if key not in o.params:
            raise ConfigError(f"calibration.bounds: {key} is not in calibration.params")
    if o.data:
        from .check import CheckError, load_runs
        from .simulate import moment

        try:
            runs = load_runs(Path(o.data))
        except CheckError as exc:
            raise ConfigError(f"calibration.data={o.data}: {exc}") from None
        keys = list(o.moments) or sorted(cfg.targets) or sorted(runs[0].targets)
        if not keys:
            raise ConfigError("calibration.data: the configuration names no targets to match")
        for k in keys:
            try:
                moment(runs[0].summary, k)
            except (KeyError, TypeError):
                raise ConfigError(
                    f"calibration.moments: {k} is not an outcome of the runs' summary.json"
                ) from None
        values = np.array([[moment(r.summary, k) for k in keys] for r in runs])
        if len(runs) < 2:
            raise ConfigError(
                f"calibration.data={o.data}: needs two or more replicates to estimate the "
                "moments' variance"
            )
        data, s2 = values.mean(0), values.var(0, ddof=1)
        targets = [cfg.targets.get(k) for k in keys]
        tol = np.array([t.tolerance if t else 0.0 for t in targets])
        weight = np.array([t.weight if t else 1.0 for t in targets])
        source = f"{len(runs)} runs in {o.data}"
    else:
        if not cfg.targets:
            raise ConfigError("targets: the configuration has none to calibrate to (targets=none)")
        keys = list(o.moments) or sorted(cfg.targets)
        for k in keys:
            if k not in cfg.targets:
                raise ConfigError(
                    f"calibration.moments: {k} has no target "
                    f"(targets: {', '.join(sorted(cfg.targets))})"
                )
        data = np.array([cfg.targets[k].value for k in keys])
        tol = np.array([cfg.targets[k].tolerance for k in keys])
        weight = np.array([cfg.targets[k].weight for k in keys])
        with sim_factory(keys) as sim:
            pilot = sim.run([[]], range(1000, 1000 + o.pilot))[0]
        s2 = pilot.var(0, ddof=1)
        source = "targets of the configuration"
    weighting = o.weighting if o.weighting != "auto" else ("variance" if o.data else "tolerance")
    if weighting == "tolerance" and not np.all(tol > 0):
        raise ConfigError("calibration.weighting=tolerance: every moment needs a target tolerance")
    return Problem(
        params, keys, data, weight, tol, _variance_floor(s2, data), o.replicates, weighting, source
    )


# --------------------------------------------------------------------------- the search
def _storage(path: Path):
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    path.parent.mkdir(parents=True, exist_ok=True)
    return JournalStorage(JournalFileBackend(str(path)))


def open_study(path: Path, name: str, seed: int):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna.create_study(
        study_name=name,
        storage=_storage(path),
        sampler=optuna.samplers.TPESampler(seed=seed, multivariate=True, n_startup_trials=10),
        direction="minimize",
        load_if_exists=True,
    )


def completed(study) -> int:
    from optuna.trial import TrialState

    return len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))


def polish_point(study, problem: Problem, done: int, n_global: int) -> dict | None:
    """The next point of the local search after the global phase: a compass search round
    the best trial so far, each parameter up and down by a step that halves every round
    of 2p points (a tenth of the range first). Stateless: the point follows from the
    study alone, so a resumed or shared study carries on the same search."""
    k = done - n_global
    if k < 0 or not study.best_trial:
        return None
    p = len(problem.params)
    rnd, i = divmod(k, 2 * p)
    j, sign = divmod(i, 2)
    par = problem.params[j]
    x = dict(study.best_trial.params)
    h = 0.1 * 0.5**rnd * (par.hi - par.lo)
    v = min(par.hi, max(par.lo, x[par.key] + (h if sign else -h)))
    x[par.key] = round(v) if par.integer else v
    return x


def optimise(study, problem: Problem, sim: Simulator, trials: int, log=print) -> None:
    """Run trials until the study holds ``trials`` completed ones (several workers may
    share it): the first half (at least 10) drawn by TPE over the whole box, the rest a
    compass search round the best point. Each trial prints a line of progress."""
    reps = range(problem.replicates)
    n_global = max(10, trials // 2)
    local = [False]  # whether the coming trial is a point of the compass search

    def objective(trial) -> float:
        t0 = time.perf_counter()
        x = [
            trial.suggest_int(p.key, int(p.lo), int(p.hi))
            if p.integer
            else trial.suggest_float(p.key, p.lo, p.hi)
            for p in problem.params
        ]
        m = sim.run([[p.override(v) for p, v in zip(problem.params, x, strict=True)]], reps)
        mbar = m[0].mean(0)
        value = problem.objective(mbar)
        for k, v in zip(problem.keys, mbar, strict=True):
            trial.set_user_attr(k, float(v))
        done = completed(study) + 1
        best = min(value, study.best_value) if done > 1 else value
        phase = "local" if local[0] else "tpe"
        shown = ", ".join(
            f"{p.key.rsplit('.', 1)[-1]}={v:.4g}" for p, v in zip(problem.params, x, strict=True)
        )
        log(
            f"trial {trial.number:>4} {phase:<5} ({done}/{trials})  J={value:11.3f}"
            f"  best={best:11.3f}  {shown}  [{time.perf_counter() - t0:.1f} s]"
        )
        return value

    if completed(study) >= trials:
        log(f"the study already holds {completed(study)} completed trials: nothing to run")
        return
    if not study.trials:  # a new study starts at the configuration's values (J no worse)
        start = {  # clipped to the box, where bounds exclude the configuration's value
            p.key: (round(v) if p.integer else v)
            for p in problem.params
            for v in [min(p.hi, max(p.lo, p.value))]
        }
        study.enqueue_trial(start, skip_if_exists=True)
    while (done := completed(study)) < trials:
        point = polish_point(study, problem, done, n_global)
        local[0] = point is not None
        if point is not None:
            study.enqueue_trial(point, skip_if_exists=True)
        study.optimize(objective, n_trials=1)


# --------------------------------------------------------------------------- uncertainty
@dataclass
class Local:
    """The moments around the optimum: Jacobian, identification and standard errors."""

    estimate: np.ndarray
    mbar: np.ndarray
    jacobian: np.ndarray  # (moments, params): d mbar_k / d theta_j
    se: np.ndarray
    identification: np.ndarray  # (moments, params): moment change in sqrt(Omega) per 10% range


def local_analysis(problem: Problem, sim: Simulator, x: np.ndarray, step: float) -> Local:
    """Central differences at ``x`` with common random numbers (each side clipped to the
    box), then the MSM sandwich."""
    reps = range(problem.replicates)
    points = [[p.override(v) for p, v in zip(problem.params, x, strict=True)]]
    steps = []
    for j, p in enumerate(problem.params):
        h = step * (p.hi - p.lo)
        lo, hi = max(p.lo, x[j] - h), min(p.hi, x[j] + h)
        if p.integer:
            lo, hi = float(round(lo)), float(round(hi))
            if hi == lo:
                hi = lo + 1
        steps.append((lo, hi))
        for v in (lo, hi):
            xs = x.copy()
            xs[j] = v
            points.append([q.override(u) for q, u in zip(problem.params, xs, strict=True)])
    m = sim.run(points, reps).mean(1)  # (points, moments)
    mbar = m[0]
    g = np.column_stack(
        [(m[2 + 2 * j] - m[1 + 2 * j]) / (hi - lo) for j, (lo, hi) in enumerate(steps)]
    )
    omega = problem.omega
    w = problem.weight / omega
    se = np.full(len(x), np.inf)  # a parameter no moment moves is not identified
    moved = np.flatnonzero(np.any(g != 0, axis=0))
    gm = g[:, moved]
    a = gm.T @ (w[:, None] * gm)
    b = gm.T @ ((w * omega * w)[:, None] * gm)
    try:
        a_inv = np.linalg.inv(a)
        se[moved] = np.sqrt(np.clip(np.diag(a_inv @ b @ a_inv), 0, None))
    except np.linalg.LinAlgError:
        pass  # the moments move the parameters only together: none is identified alone
    ranges = np.array([p.hi - p.lo for p in problem.params])
    ident = g * (0.1 * ranges)[None, :] / np.sqrt(omega)[:, None]
    return Local(x, mbar, g, se, ident)


# --------------------------------------------------------------------------- outputs
def fit_rows(problem: Problem, mbar: np.ndarray) -> list[dict]:
    rows = []
    for k, key in enumerate(problem.keys):
        rows.append(
            {
                "moment": key,
                "data": float(problem.data[k]),
                "simulated": float(mbar[k]),
                "tolerance": float(problem.tolerance[k]),
                "z": float((mbar[k] - problem.data[k]) / np.sqrt(problem.omega[k])),
                "within_tolerance": bool(abs(mbar[k] - problem.data[k]) <= problem.tolerance[k])
                if problem.tolerance[k] > 0
                else None,
                "contribution": float(
                    problem.weight[k] * (mbar[k] - problem.data[k]) ** 2 / problem.omega[k]
                ),
            }
        )
    return rows


def report(problem: Problem, local: Local, best_value: float, meta: dict) -> str:
    lines = ["Estimates (standard errors from the objective's curvature):"]
    for p, x, se in zip(problem.params, local.estimate, local.se, strict=True):
        spread = f"se {se:.3g}" if np.isfinite(se) else "NOT IDENTIFIED: no moment moves it"
        lines.append(
            f"  {p.key:<55} {x:>11.5g}  ({spread}; start {p.value:g}; box [{p.lo:g}, {p.hi:g}])"
        )
    lines.append(f"\nFit at the estimate (J = {best_value:.3f}):")
    lines.append(f"  {'moment':<34}{'data':>10}{'simulated':>11}{'tol':>8}{'z':>8}  in tol")
    for r in fit_rows(problem, local.mbar):
        inside = "" if r["within_tolerance"] is None else ("yes" if r["within_tolerance"] else "NO")
        lines.append(
            f"  {r['moment']:<34}{r['data']:>10.4g}{r['simulated']:>11.4g}{r['tolerance']:>8.3g}"
            f"{r['z']:>8.2f}  {inside}"
        )
    lines.append(
        "\nIdentification: moment change in its standard errors per 10% of each parameter's range"
    )
    short = [p.key.rsplit(".", 1)[-1][:14] for p in problem.params]
    lines.append(f"  {'moment':<34}" + "".join(f"{s:>15}" for s in short))
    for k, key in enumerate(problem.keys):
        lines.append(f"  {key:<34}" + "".join(f"{v:>15.2f}" for v in local.identification[k]))
    lines.append(
        f"\n{meta['trials_completed']} trials, study {meta['study']} ({meta['study_name']})"
    )
    return "\n".join(lines)


def parameter_file(problem: Problem, local: Local, meta: dict) -> str:
    values = {
        p.key: (round(float(x)) if p.integer else float(f"{x:.6g}"))
        for p, x in zip(problem.params, local.estimate, strict=True)
    }
    head = [
        "# @package _global_",
        "# Calibrated parameters: python -m sim.calibrate (the method of simulated moments).",
        f"# Study: {meta['study_name']} in {meta['study']}; {meta['trials_completed']} trials;"
        f" best trial {meta['best_trial']}; J = {meta['objective']:.4g}.",
        f"# Data: {problem.data_source}; R = {problem.replicates} replicates a trial;"
        f" weighting {problem.weighting}.",
        f"# Code: {meta['code'].get('commit', 'unknown')}; written {meta['written']}.",
        f"# Command: {meta['command']}",
        "# Fit per moment (data, simulated, z = gap / sqrt(Omega)):",
    ]
    for r in fit_rows(problem, local.mbar):
        head.append(f"#   {r['moment']}: {r['data']:.4g}, {r['simulated']:.4g}, z {r['z']:.2f}")
    head.append("# Estimates with standard errors:")
    for p, x, se in zip(problem.params, local.estimate, local.se, strict=True):
        head.append(f"#   {p.key}: {x:.6g} (se {se:.3g})")
    return "\n".join(head) + "\n" + yaml.safe_dump(nest(values), sort_keys=False)


def write_outputs(out_dir: Path, problem: Problem, local: Local, meta: dict, write: str) -> None:
    from .. import io

    out_dir.mkdir(parents=True, exist_ok=True)
    text = parameter_file(problem, local, meta)
    io.write_text(out_dir / "calibrated.yaml", text)
    if write:
        io.write_text(Path(write), text)
    fit = {
        **meta,
        "estimates": {
            p.key: {"value": float(x), "se": float(se), "start": p.value, "box": [p.lo, p.hi]}
            for p, x, se in zip(problem.params, local.estimate, local.se, strict=True)
        },
        "fit": fit_rows(problem, local.mbar),
        "identification": {
            key: {p.key: float(v) for p, v in zip(problem.params, row, strict=True)}
            for key, row in zip(problem.keys, local.identification, strict=True)
        },
        "jacobian": local.jacobian.tolist(),
        "weighting": problem.weighting,
        "replicates": problem.replicates,
        "data_source": problem.data_source,
    }
    io.write_json(out_dir / "calibration_fit.json", fit)
    io.write_text(out_dir / "calibration.md", markdown(fit))
    header = "moment," + ",".join(p.key for p in problem.params)
    rows = [
        key + "," + ",".join(f"{v:.6g}" for v in row)
        for key, row in zip(problem.keys, local.identification, strict=True)
    ]
    io.write_text(out_dir / "identification.csv", "\n".join([header, *rows]) + "\n")


def markdown(fit: dict) -> str:
    """The fit, estimates and identification tables of ``calibration_fit.json``."""
    lines = [
        f"Study `{fit['study_name']}`: {fit['trials_completed']} trials (TPE, then a compass "
        f"search), best trial {fit['best_trial']}, J = {fit['objective']:.4g}; "
        f"{fit['population_size']:,} workers, R = {fit['replicates']} replicates a trial, "
        f"weighting `{fit['weighting']}`; data: {fit['data_source']}; code "
        f"`{fit['code'].get('commit', 'unknown')[:12]}`; wall time "
        f"{fit['wall_seconds'] / 60:.0f} min.",
        "",
        "### Fit per moment",
        "",
        "z is the gap in units of sqrt(Omega) (for statistics: half the tolerance, plus the "
        "simulation's noise).",
        "",
        "| moment | data | simulated | tolerance | z | within tolerance | share of J |",
        "|---|---:|---:|---:|---:|:--:|---:|",
    ]
    total = sum(r["contribution"] for r in fit["fit"]) or 1.0
    for r in fit["fit"]:
        inside = (
            "" if r["within_tolerance"] is None else ("yes" if r["within_tolerance"] else "**no**")
        )
        lines.append(
            f"| {r['moment']} | {r['data']:.4g} | {r['simulated']:.4g} | {r['tolerance']:.3g} | "
            f"{r['z']:+.2f} | {inside} | {r['contribution'] / total:.0%} |"
        )
    lines += [
        "",
        "### Estimates",
        "",
        "Standard errors from the objective's curvature (the MSM sandwich at the estimate).",
        "",
        "| parameter | start | estimate | s.e. | box |",
        "|---|---:|---:|---:|---|",
    ]
    for key, e in fit["estimates"].items():
        se = f"{e['se']:.3g}" if math.isfinite(e["se"]) else "not identified"
        lines.append(
            f"| `{key}` | {e['start']:.4g} | {e['value']:.4g} | {se} | "
            f"[{e['box'][0]:.4g}, {e['box'][1]:.4g}] |"
        )
    params = list(fit["estimates"])
    lines += [
        "",
        "### Identification",
        "",
        "How many of its standard errors each moment moves when a parameter moves by a tenth "
        "of its box (central differences at the estimate, common random numbers); `|x| >= 1` "
        "in bold.",
        "",
        "| moment | " + " | ".join(p.rsplit(".", 1)[-1] for p in params) + " |",
        "|---|" + "---:|" * len(params),
    ]
    for moment, row in fit["identification"].items():
        cells = [f"**{row[p]:+.2f}**" if abs(row[p]) >= 1 else f"{row[p]:+.2f}" for p in params]
        lines.append(f"| {moment} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the command
def _worker(args: tuple) -> None:
    """One more local worker on the shared study (a process of its own)."""
    study_path, o, base, problem = args
    study = open_study(Path(study_path), o.name, o.seed + os.getpid())
    with Simulator(base, problem.keys, jobs=1) as sim:
        optimise(study, problem, sim, o.trials, log=lambda s: print("  [worker] " + s, flush=True))


def calibrate(cfg, o: Options, base: list[str], out_dir: Path, worker: int | None = None) -> dict:
    """Search, then (in the first worker) analyse the optimum and write the outputs."""
    from concurrent.futures import ProcessPoolExecutor

    from .. import io

    study_path = Path(o.study) if o.study else out_dir / "study.journal"
    t0 = time.perf_counter()

    def factory(keys):
        return Simulator(base, keys, jobs=o.jobs)

    problem = build_problem(cfg, o, factory)
    study = open_study(study_path, o.name, o.seed + (worker or 0))
    print(
        f"calibrating {len(problem.params)} parameters to {len(problem.keys)} moments "
        f"({problem.data_source}); R = {problem.replicates}; study {study_path}; "
        f"{completed(study)} of {o.trials} trials done",
        flush=True,
    )
    extra = max(o.workers - 1, 0)
    with ProcessPoolExecutor(extra) if extra else contextlib.nullcontext() as pool:
        args = (str(study_path), o, base, problem)
        futures = [pool.submit(_worker, args) for _ in range(extra)]
        with factory(problem.keys) as sim:
            optimise(study, problem, sim, o.trials, log=lambda s: print(s, flush=True))
        for f in futures:
            f.result()
    if worker not in (None, 0):
        return {}
    best = study.best_trial
    x = np.array([best.params[p.key] for p in problem.params], float)
    with factory(problem.keys) as sim:
        local = local_analysis(problem, sim, x, o.step)
    meta = {
        "study": str(study_path),
        "study_name": o.name,
        "trials_completed": completed(study),
        "best_trial": best.number,
        "objective": float(best.value),
        "objective_at_estimate": problem.objective(local.mbar),
        "sampler": f"TPE (multivariate, seed {o.seed})",
        "seed": cfg.seed,
        "population_size": cfg.population.size,
        "code": io.code_version(),
        "written": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": o.command or "python -m sim.calibrate " + " ".join(sys.argv[1:]),
        "overrides": base,
        "wall_seconds": time.perf_counter() - t0,
    }
    write_outputs(out_dir, problem, local, meta, o.write)
    print(report(problem, local, float(best.value), meta))
    print(f"\ncalibration directory: {out_dir}\n  {out_dir / 'calibrated.yaml'}")
    return meta


def main() -> None:
    """Entry point: our options first, then the model's overrides through Hydra."""
    from .. import cli, entry

    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__)
        print("Options:\n" + opts.describe("calibration", TABLE, Options().__dict__))
        raise SystemExit(0)
    try:
        o, rest = parse_options(sys.argv[1:])
        cmd = entry.parse(rest)
    except ConfigError as exc:
        cli._fail(str(exc))
    if cmd.multirun and not any(a.lstrip("+").startswith(WORKER_KEY + "=") for a in cmd.overrides):
        cli._fail(f"-m: a calibration sweeps only its workers, e.g. -m +{WORKER_KEY}=0,1,2,3")
    key = "hydra.sweep.dir=" if cmd.multirun else "hydra.run.dir="
    if not any(a.startswith(key) for a in cmd.hydra_overrides):
        own = f"{key}results/calibrations/{o.name}"
        cmd.hydra_overrides.append(own)
        cmd.argv.append(own)
    if cmd.multirun and not o.study:  # every worker's job shares the sweep directory's study
        given = [a.split("=", 1)[1] for a in cmd.hydra_overrides if a.startswith(key)]
        o.study = str((Path(given[-1]) / "study.journal").resolve())
    o.command = "python -m sim.calibrate " + " ".join(sys.argv[1:])
    os.environ[ENV] = json.dumps(o.__dict__)
    sys.argv = [sys.argv[0], *cmd.argv]
    _hydra_app()()


def _hydra_app():
    import hydra
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import DictConfig, open_dict

    from ..config import CONFIG_DIR, from_omegaconf

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
    def app(cfg: DictConfig) -> None:
        from .. import cli
        from ..runtime import tune_allocator

        tune_allocator()
        o = Options(**json.loads(os.environ[ENV]))
        worker = None
        if WORKER_KEY in cfg:
            worker = int(cfg[WORKER_KEY])
            with open_dict(cfg):
                del cfg[WORKER_KEY]
        hc = HydraConfig.get()
        base = [a for a in hc.overrides.task if not a.lstrip("+").startswith(WORKER_KEY + "=")]
        out_dir = Path(hc.runtime.output_dir)
        if worker is not None:
            out_dir = out_dir.parent  # every worker reports into the sweep directory
        try:
            config = from_omegaconf(cfg)
            calibrate(config, o, base, out_dir, worker)
        except ConfigError as exc:
            cli._fail(str(exc))

    return app


if __name__ == "__main__":
    main()
