"""``python -m sim.sensitivity [overrides] params=[a,b,...] outcomes=[x,y,...]``: which
parameters matter, by Morris elementary effects (default) or Sobol indices, with SALib.

Each parameter ranges over its value times (1 - range, 1 + range) (``sensitivity.range``,
0.5 by default), cut to the schema's allowed range; ``sensitivity.bounds=[key:lo:hi,...]``
sets a range outright. SALib draws the design (Morris: ``trajectories`` one-at-a-time
paths over a ``levels``-level grid, (k + 1) runs each; Sobol: Saltelli's ``samples``
(k + 2) runs, with second-order terms off), and every design point becomes one run of a
sweep: the point is written as a config file ``points/sensitivity/pNNNNN.yaml`` and the
sweep is ``python -m sim -m --config-dir points +sensitivity=p00000,p00001,...``. So the runs go
through the same launcher as any sweep (``hydra/launcher=slurm`` on a cluster), are
written atomically, and an interrupted screening resumes: run the same command again.
All points use the same seed and replicate (common random numbers), so an elementary
effect is the parameter's, not the luck's.

Morris: mu* (the mean absolute elementary effect, in the outcome's units per the
parameter's whole range) ranks influence, sigma flags non-linearity or interaction;
a parameter whose mu* interval (SALib's bootstrap) includes 0 is inert at this size.
Sobol: first-order S1 and total ST indices with intervals.

Writes into ``results/sensitivity/<name>`` (``sensitivity.name``): ``sensitivity.csv``,
``sensitivity.md`` (the table) and ``sensitivity.html`` (a tornado of mu* and the
mu*-sigma plane per outcome; it opens offline).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..config import ConfigError
from . import options as opts
from .simulate import moment, nest, parameter

#: the 15 most uncertain parameters of the default economy: basis "assumption" in
#: sim/parameter_sources.yaml (no source), and each on a mechanism that can move poverty,
#: placement or cost (labour demand, search, hiring, formality, inactivity, casework)
UNCERTAIN = (
    "economy.labour_demand.creation_cost",
    "economy.labour_demand.home_production",
    "economy.labour_demand.informal_enforcement",
    "economy.labour_demand.vacancy_expiry",
    "economy.search.effort_unemployed",
    "economy.search.discouragement",
    "economy.hiring.mismatch_penalty",
    "economy.hiring.skill_return",
    "economy.hiring.requirement_spread",
    "economy.formality.formalisation",
    "economy.formality.cost_response",
    "economy.inactivity.discouraged_entry",
    "policy.case_management.meeting_returns",
    "policy.case_management.statistical_noise",  # the default profiling's error
    "policy.case_management.high_risk_intensity",
)
#: poverty, placement and cost
OUTCOMES = ("poverty_headcount", "placement_rate_6m", "net_fiscal_cost")

TABLE = {
    "params": opts.Option("list", help="dotted parameter keys (default: the 15 uncertain)"),
    "outcomes": opts.Option("list", help="summary outcomes (default: poverty, placement, cost)"),
    "method": opts.Option("choice", choices=("morris", "sobol"), help="Morris or Sobol"),
    "trajectories": opts.Option("int", 2, 10_000, help="Morris trajectories"),
    "levels": opts.Option("int", 2, 64, help="Morris grid levels (even)"),
    "samples": opts.Option("int", 2, 1_000_000, help="Sobol base samples (a power of 2)"),
    "range": opts.Option("float", 0.01, 0.99, help="relative range round each value"),
    "bounds": opts.Option("list", help="key:lo:hi items setting a range outright"),
    "seed": opts.Option("int", 0, 2**32 - 1, help="seed of the design"),
    "name": opts.Option("str", help="output directory under results/sensitivity"),
    "out": opts.Option("str", help="output directory (overrides name)"),
}


@dataclass
class Options:
    params: list[str] = field(default_factory=lambda: list(UNCERTAIN))
    outcomes: list[str] = field(default_factory=lambda: list(OUTCOMES))
    method: str = "morris"
    trajectories: int = 10
    levels: int = 4
    samples: int = 64
    range: float = 0.5
    bounds: list[str] = field(default_factory=list)
    seed: int = 0
    name: str = "screening"
    out: str = ""

    @property
    def directory(self) -> Path:
        return Path(self.out) if self.out else Path("results/sensitivity") / self.name


def parse_options(argv: list[str]) -> tuple[Options, list[str]]:
    values, rest = opts.parse(argv, "sensitivity", TABLE, aliases=("params", "outcomes"))
    o = Options(**values)  # type: ignore[arg-type]
    if o.method == "morris" and o.levels % 2:
        raise ConfigError(f"sensitivity.levels={o.levels}: must be even (Morris grid)")
    if o.method == "sobol" and o.samples & (o.samples - 1):
        raise ConfigError(f"sensitivity.samples={o.samples}: must be a power of 2 (Sobol)")
    return o, rest


def ranges(cfg, o: Options) -> list[tuple[str, float, float, bool]]:
    """Each parameter's (key, lo, hi, integer): value x (1 -/+ range) within the schema."""
    explicit = {}
    for item in o.bounds:
        key, *ends = item.split(":")
        try:
            explicit[key] = tuple(float(e) for e in ends)
            lo, hi = explicit[key]
        except ValueError:
            raise ConfigError(f"sensitivity.bounds: {item!r} must be key:lo:hi") from None
    out = []
    for key in o.params:
        p = parameter(key, cfg, {key: explicit[key]} if key in explicit else None)
        if key in explicit:
            lo, hi = p.lo, p.hi
        else:
            lo = max(p.lo, p.value * (1 - o.range)) if p.value else p.lo
            hi = min(p.hi, p.value * (1 + o.range)) if p.value else min(p.hi, 1.0)
        if not lo < hi:
            raise ConfigError(
                f"{key} = {p.value:g}: no range to screen (give sensitivity.bounds=[{key}:lo:hi])"
            )
        out.append((key, lo, hi, p.integer))
    return out


def design(o: Options, spec) -> tuple[dict, np.ndarray]:
    problem = {
        "num_vars": len(spec),
        "names": [k for k, *_ in spec],
        "bounds": [[lo, hi] for _, lo, hi, _ in spec],
    }
    if o.method == "morris":
        from SALib.sample import morris

        x = morris.sample(problem, o.trajectories, num_levels=o.levels, seed=o.seed)
    else:
        from SALib.sample import sobol

        x = sobol.sample(problem, o.samples, calc_second_order=False, seed=o.seed)
    for j, (*_, integer) in enumerate(spec):
        if integer:
            x[:, j] = np.round(x[:, j])
    return problem, x


def write_points(directory: Path, spec, x: np.ndarray) -> int:
    """One config file per design point; returns how many. Files of an earlier, other
    design are removed so that the glob sweeps exactly this one."""
    from .. import io

    group = directory / "points" / "sensitivity"
    if group.exists():
        shutil.rmtree(group)
    group.mkdir(parents=True)
    width = max(5, len(str(len(x))))
    for i, row in enumerate(x):
        values = {
            key: (int(v) if integer else float(v))
            for (key, _, _, integer), v in zip(spec, row, strict=True)
        }
        text = "# @package _global_\n" + yaml.safe_dump(nest(values), sort_keys=False)
        io.write_text(group / f"p{i:0{width}d}.yaml", text)
    return len(x)


def launch(directory: Path, rest: list[str]) -> int:
    """The sweep over every point (a subprocess: ``python -m sim -m``)."""
    names = sorted(p.stem for p in (directory / "points" / "sensitivity").glob("p*.yaml"))
    cmd = [
        sys.executable,
        "-m",
        "sim",
        "-m",
        "--config-dir",
        str((directory / "points").resolve()),
        *rest,
        "+sensitivity=" + ",".join(names),
        f"hydra.sweep.dir={(directory / 'runs').resolve()}",
    ]
    shown = [*cmd[2:-2], f"+sensitivity=p...({len(names)} points)", cmd[-1]]
    print("running the design as a sweep:\n  " + " ".join(shown), flush=True)
    return subprocess.call(cmd)


def collect(directory: Path, n: int, outcomes: list[str]) -> np.ndarray:
    """The outcomes of every point in design order, read from its run's summary (each run
    records which point it ran)."""
    y = np.full((n, len(outcomes)), np.nan)
    for manifest in (directory / "runs").glob("*/manifest.json"):
        overrides = json.loads(manifest.read_text()).get("overrides", [])
        point = [o for o in overrides if o.startswith("+sensitivity=")]
        if not point:
            continue
        i = int(point[0].split("=p", 1)[1])
        summary = json.loads((manifest.parent / "summary.json").read_text())
        if i < n:
            y[i] = [moment(summary, k) for k in outcomes]
    missing = np.flatnonzero(np.isnan(y).any(1))
    if missing.size:
        raise ConfigError(
            f"{directory / 'runs'}: {missing.size} of {n} design points have no complete run "
            "(run the same command again to resume)"
        )
    return y


#: the indices SALib reports per parameter, by method
INDICES = {
    "morris": ("mu_star", "mu_star_conf", "mu", "sigma"),
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
}


def analyse(o: Options, problem: dict, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    from SALib.analyze import morris, sobol

    rows = []
    for j, outcome in enumerate(o.outcomes):
        if o.method == "morris":
            r = morris.analyze(problem, x, y[:, j], num_levels=o.levels, seed=o.seed)
        else:
            r = sobol.analyze(problem, y[:, j], calc_second_order=False, seed=o.seed)
        rows += [
            {
                "outcome": outcome,
                "parameter": name,
                **{c: float(r[c][i]) for c in INDICES[o.method]},
            }
            for i, name in enumerate(problem["names"])
        ]
    df = pd.DataFrame(rows)
    key = "mu_star" if o.method == "morris" else "ST"
    df["rank"] = df.groupby("outcome")[key].rank(ascending=False, method="first").astype(int)
    if o.method == "morris":
        df["inert"] = df.mu_star - df.mu_star_conf <= 0
    return df.sort_values(["outcome", "rank"]).reset_index(drop=True)


def markdown(df: pd.DataFrame, o: Options, spec, meta: dict) -> str:
    lines = [
        f"# Sensitivity: {o.method} screening",
        "",
        f"{meta['runs']} runs at {meta['population_size']:,} workers, seed {meta['seed']}, "
        f"replicate {meta['replicate']} (common random numbers); design seed {o.seed}; "
        f"wall time {meta['wall_seconds'] / 60:.1f} min.",
        "",
        "Ranges: " + "; ".join(f"`{k}` [{lo:.4g}, {hi:.4g}]" for k, lo, hi, _ in spec),
        "",
    ]
    for outcome, part in df.groupby("outcome", sort=False):
        lines.append(f"## {outcome}")
        lines.append("")
        if o.method == "morris":
            lines.append("| rank | parameter | mu* | 95% half-width | mu | sigma | inert |")
            lines.append("|---:|---|---:|---:|---:|---:|:--:|")
            for r in part.itertuples():
                lines.append(
                    f"| {r.rank} | `{r.parameter}` | {r.mu_star:.4g} | {r.mu_star_conf:.3g} | "
                    f"{r.mu:.4g} | {r.sigma:.4g} | {'yes' if r.inert else ''} |"
                )
        else:
            lines.append("| rank | parameter | S1 | +/- | ST | +/- |")
            lines.append("|---:|---|---:|---:|---:|---:|")
            for r in part.itertuples():
                lines.append(
                    f"| {r.rank} | `{r.parameter}` | {r.S1:.3f} | {r.S1_conf:.3f} | "
                    f"{r.ST:.3f} | {r.ST_conf:.3f} |"
                )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from .. import cli, io
    from ..config import load
    from ..outputs import TARGETABLE

    argv = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__)
        print("Options:\n" + opts.describe("sensitivity", TABLE, Options().__dict__))
        return 0
    t0 = time.perf_counter()
    try:
        o, rest = parse_options(argv)
        model_overrides = [a for a in rest if not a.lstrip("+~").startswith(("hydra.", "hydra/"))]
        cfg = load(*model_overrides)
        spec = ranges(cfg, o)
        for k in o.outcomes:
            if k not in TARGETABLE:
                raise ConfigError(f"outcomes: {k} is not a summary outcome")
    except ConfigError as exc:
        cli._fail(str(exc))
    directory = o.directory
    problem, x = design(o, spec)
    n = write_points(directory, spec, x)
    print(f"{o.method}: {len(spec)} parameters, {n} runs -> {directory}", flush=True)
    code = launch(directory, rest)
    if code != 0:
        print(
            f"the sweep exited with {code}; run the same command again to resume", file=sys.stderr
        )
        return code
    try:
        y = collect(directory, n, o.outcomes)
    except ConfigError as exc:
        cli._fail(str(exc))
    df = analyse(o, problem, x, y)
    meta = {
        "method": o.method,
        "runs": n,
        "population_size": cfg.population.size,
        "seed": cfg.seed,
        "replicate": cfg.run.replicate,
        "overrides": rest,
        "ranges": {k: [lo, hi] for k, lo, hi, _ in spec},
        "outcomes": o.outcomes,
        "wall_seconds": time.perf_counter() - t0,
        "code": io.code_version(),
    }
    io.write_text(directory / "sensitivity.csv", df.to_csv(index=False))
    io.write_json(directory / "sensitivity.json", meta)
    text = markdown(df, o, spec, meta)
    io.write_text(directory / "sensitivity.md", text + "\n")
    from dashboards.views.sensitivity import page

    io.write_text(directory / "sensitivity.html", page(df, meta))
    print(text)
    print(f"\nsensitivity directory: {directory}\n  {directory / 'sensitivity.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
