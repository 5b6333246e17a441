"""Aggregate a sweep directory into ``summary.parquet`` and ``comparison.parquet``.

``python -m sim.aggregate SWEEP_DIR [--baseline KEY=VALUE ...]`` rebuilds both files from
the run directories alone (it reads each run's ``manifest.json`` and ``summary.json``, never
the model), so it works on results copied from a cluster; ``AggregateCallback`` runs it at
the end of every Hydra multirun.

- ``summary.parquet``: one row per run: ``run``, ``status`` (complete / failed / missing),
  ``error``, ``configuration`` (the overrides that vary across the sweep, seeds aside),
  ``seed``, ``replicate``, one ``override.<key>`` column per override key, the resolved
  ``eligibility``, ``delivery`` and ``financing``, ``config_hash``, ``commit``, and every
  numeric outcome of ``summary.json`` flattened with dots.
- ``comparison.parquet``: one row per (configuration, outcome): the mean across seeds and
  its 95% confidence interval (Student t), and the paired difference against the baseline
  configuration over the runs that share a (seed, replicate): common random numbers make
  the paired interval much narrower than the difference of two separate intervals.

The baseline is the configuration whose varying overrides all take the default values of
``configs/config.yaml`` (e.g. the coordination preset), unless ``--baseline`` names one.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hydra.experimental.callback import Callback
from scipy import stats

from . import io, sweep

SUMMARY, COMPARISON = "summary.parquet", "comparison.parquet"
REGIME_COLUMNS = ("eligibility", "delivery", "financing")
#: the outcomes of the terminal table (names, units and scales from sim.glossary)
TABLE = (
    "poverty_headcount",
    "placement_rate_6m",
    "unemployment_rate",
    "spend_total",
    "cost_per_placement",
)
WIDTH = 100  # a wider table switches to one row per configuration and outcome
LAST_SWEEP: dict[str, Any] = {}  # counts of the last sweep aggregated here, or its error


# --------------------------------------------------------------------------- summary
def flatten(summary: dict, prefix: str = "") -> dict[str, float]:
    """Numeric leaves of a summary as ``{dotted.path: value}`` (lists such as
    ``calibration`` are left out: they are not outcomes to average)."""
    out: dict[str, float] = {}
    for key, value in summary.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int | float):
            out[f"{prefix}{key}"] = float(value)
    return out


def _read_run(run_dir: Path, planned: list[str] | None) -> dict[str, Any]:
    state, foreign = sweep.job_state(run_dir, planned)
    row: dict[str, Any] = {"run": run_dir.name, "status": state, "error": None}
    row["_foreign"] = foreign
    overrides = planned or []
    if state == sweep.COMPLETE:
        manifest = io.read_json(run_dir / io.MANIFEST)
        overrides = manifest.get("overrides", overrides)
        code = manifest.get("code") or {}
        row.update(
            seed=manifest["seed"],
            replicate=manifest["replicate"],
            config_hash=manifest["config_hash"],
            commit=code.get("commit"),
            code_version=io.code_label(code),
            **manifest.get("regime", {}),
        )
        row.update(flatten(io.read_json(run_dir / "summary.json")))
    elif state == sweep.FAILED:
        failure = io.read_json(run_dir / sweep.ERROR)
        overrides = failure.get("overrides", overrides)
        row["error"] = failure.get("error")
    row["_overrides"] = overrides
    return row


def collect(sweep_dir: Path) -> pd.DataFrame:
    """One row per job of the sweep's plan (``sweep.json``; see the module docstring).

    Run directories outside the plan (numbered beyond it, or holding another job's run)
    are left out and listed, by name, in ``attrs["outside"]``. Without a plan (a directory
    of runs put together by hand) every numbered run directory is read.
    """
    sweep_dir = Path(sweep_dir)
    plan = sweep.read_plan(sweep_dir)
    found = [d.name for d in sweep.run_dirs(sweep_dir)]
    if plan is not None:
        jobs: list[list[str]] | None = plan["jobs"]
        names = [str(i) for i in range(len(jobs))]
        outside = [n for n in found if int(n) >= len(jobs)]
    else:
        jobs, names, outside = None, found, []

    def read(name: str) -> dict[str, Any]:
        return _read_run(sweep_dir / name, jobs[int(name)] if jobs is not None else None)

    with ThreadPoolExecutor(max_workers=8) as pool:  # file reads and hashing release the GIL
        rows = list(pool.map(read, names))
    outside = sorted([*outside, *(r["run"] for r in rows if r["_foreign"])], key=int)
    for row in rows:
        del row["_foreign"]
        for o in row.pop("_overrides"):
            key, _, value = o.partition("=")
            row[f"override.{sweep.override_key(key)}"] = value
            if key == "seed" and pd.isna(row.get("seed")):
                row["seed"] = int(value)
            if key == "run.replicate" and pd.isna(row.get("replicate")):
                row["replicate"] = int(value)
    df = pd.DataFrame(rows, columns=None if rows else ["run", "status", "error"])
    for col in ("seed", "replicate", "config_hash", "commit", "code_version"):
        if col not in df:
            df[col] = None
    for col in (*REGIME_COLUMNS, "error"):
        if col not in df:
            df[col] = None
    varying = {
        c.removeprefix("override.")
        for c in df.columns
        if c.startswith("override.") and df[c].nunique(dropna=False) > 1
    }
    df.insert(3, "configuration", [_label(r, varying) for r in df.to_dict("records")])
    front = ["run", "status", "error", "configuration", "seed", "replicate"]
    overrides = sorted(c for c in df.columns if c.startswith("override."))
    meta = [*REGIME_COLUMNS, "config_hash", "commit", "code_version"]
    outcomes = [c for c in df.columns if c not in {*front, *overrides, *meta}]
    df = df[front + overrides + meta + outcomes]
    for col in ("seed", "replicate"):
        df[col] = df[col].astype("Int64")
    df.attrs["outside"] = outside
    df.attrs["planned"] = jobs is not None
    return df


def _label(row: dict, varying: set[str]) -> str:
    overrides = [
        f"{k.removeprefix('override.')}={v}"
        for k, v in row.items()
        if k.startswith("override.") and isinstance(v, str)
    ]
    return sweep.configuration_label(overrides, varying)


# --------------------------------------------------------------------------- comparison
def outcome_columns(summary: pd.DataFrame) -> list[str]:
    skip = {"run", "status", "error", "configuration", "seed", "replicate"}
    skip |= {*REGIME_COLUMNS, "config_hash", "commit", "code_version"}
    skip |= {"months_averaged", "burn_in"}
    return [
        c
        for c in summary.columns
        if c not in skip
        and not c.startswith("override.")
        and pd.api.types.is_numeric_dtype(summary[c])
    ]


def _interval(mean: pd.Series, std: pd.Series, n: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Student-t 95% interval of a mean (NaN with fewer than two runs)."""
    dof = (n - 1).where(n > 1)
    half = stats.t.ppf(0.975, dof) * std / np.sqrt(n)
    return mean - half, mean + half


def default_baseline(summary: pd.DataFrame) -> str:
    """The configuration whose varying overrides all take the defaults of config.yaml
    (the first configuration when none does)."""
    done = summary[summary["status"] == sweep.COMPLETE].drop_duplicates("configuration")
    if done.empty:
        return ""
    varying = [
        c
        for c in summary.columns
        if c.startswith("override.")
        and c.removeprefix("override.") not in sweep.SEED_KEYS
        and summary[c].nunique(dropna=False) > 1
    ]
    if varying:
        defaults = _defaults([c.removeprefix("override.") for c in varying])
        for row in done.to_dict("records"):
            if all(_same(row.get(c), defaults[c.removeprefix("override.")]) for c in varying):
                return str(row["configuration"])
    return str(done["configuration"].iloc[0])


def _defaults(keys: Iterable[str]) -> dict[str, Any]:
    """Default value (or group choice) of each key in the composed default config."""
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from .config import CONFIG_DIR, register

    register()
    if GlobalHydra.instance().is_initialized():  # inside a Hydra app (the sweep's callback)
        cfg = compose(config_name="config", return_hydra_config=True)
    else:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            cfg = compose(config_name="config", return_hydra_config=True)
    choices = dict(cfg.hydra.runtime.choices)
    return {k: choices[k] if k in choices else OmegaConf.select(cfg, k) for k in keys}


def _same(override: Any, default: Any) -> bool:
    if override is None or default is None:
        return False
    import yaml

    try:
        return yaml.safe_load(str(override)) == default
    except yaml.YAMLError:
        return str(override) == str(default)


def compare(
    summary: pd.DataFrame, baseline: str | None = None, decisions: bool = True
) -> pd.DataFrame:
    """Mean and 95% CI per configuration and outcome, and the paired difference against
    ``baseline`` (a configuration label; the default baseline when None); with
    ``decisions``, also the decision outcomes against it (``INCREMENTAL``)."""
    done = summary[summary["status"] == sweep.COMPLETE]
    outcomes = outcome_columns(done)
    if done.empty or not outcomes:
        return pd.DataFrame()
    baseline = default_baseline(summary) if baseline is None else baseline
    if baseline not in set(done["configuration"]):
        raise ValueError(
            f"baseline {baseline!r} is not a complete configuration of this sweep: "
            f"one of {sorted(done['configuration'].unique())}"
        )
    grouped = done.groupby("configuration", sort=False)[outcomes]
    level = _long(grouped.mean(), "mean")
    level["std"] = _long(grouped.std(ddof=1), "std")["std"].to_numpy()
    level["n"] = _long(grouped.count(), "n")["n"].to_numpy()
    level["ci_low"], level["ci_high"] = _interval(level["mean"], level["std"], level["n"])

    key = ["seed", "replicate"]
    base = done[done["configuration"] == baseline].drop_duplicates(key)[key + outcomes]
    paired = done[[*key, "configuration", *outcomes]].merge(
        base, on=key, suffixes=("", "\0base"), how="inner"
    )
    diff = paired[outcomes].to_numpy() - paired[[f"{c}\0base" for c in outcomes]].to_numpy()
    diffs = pd.DataFrame(diff, columns=outcomes, index=paired.index)
    diffs["configuration"] = paired["configuration"]
    dg = diffs.groupby("configuration", sort=False)[outcomes]
    d = _long(dg.mean(), "diff_mean")
    d["diff_std"] = _long(dg.std(ddof=1), "s")["s"].to_numpy()
    d["n_pairs"] = _long(dg.count(), "k")["k"].to_numpy()
    d["diff_ci_low"], d["diff_ci_high"] = _interval(d["diff_mean"], d["diff_std"], d["n_pairs"])
    out = level.merge(d, on=["configuration", "outcome"], how="left")
    if decisions:
        out = pd.concat([out, _incremental(diffs, baseline)], ignore_index=True)
    out["n_pairs"] = out["n_pairs"].fillna(0).astype(int)
    out["baseline"] = baseline
    out["is_baseline"] = out["configuration"] == baseline
    describe = [
        c
        for c in done.columns
        if c.startswith("override.") and c.removeprefix("override.") not in sweep.SEED_KEYS
    ] + [c for c in REGIME_COLUMNS if c in done.columns]
    config_cols = done.drop_duplicates("configuration").set_index("configuration")[describe]
    out = out.join(config_cols, on="configuration")
    order = ["configuration", "outcome", "n", "mean", "std", "ci_low", "ci_high", "baseline"]
    order += ["is_baseline", "n_pairs", "diff_mean", "diff_std", "diff_ci_low", "diff_ci_high"]
    return out[order + describe].reset_index(drop=True)


#: decision outcomes against the baseline, from the paired differences of each replicate:
#: (name, numerator, denominator, sign of the denominator); None: a plain difference
INCREMENTAL = (
    ("net_placements_per_month", "placements_per_month", None, 1.0),
    ("incremental_cost_per_placement", "spend_total", "placements_per_month", 1.0),
    (
        "incremental_cost_per_person_lifted_out_of_poverty",
        "spend_total",
        "people_in_poverty",
        -1.0,  # a person lifted out is one fewer in poverty
    ),
)


def _incremental(diffs: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Rows of the decision outcomes (``INCREMENTAL``) per configuration but the baseline.

    Placements net of the baseline are the paired difference of placements. An incremental
    cost is the ratio of mean paired differences, extra public spending over extra
    placements (or fewer people in poverty), with a delta-method Student-t 95% interval
    from the pairs' residuals ``dC - R dP``; when the denominator's own interval includes
    zero the ratio is unbounded (Fieller), and the interval is left empty (NaN)."""
    rows = []
    usable = [i for i in INCREMENTAL if i[1] in diffs and (i[2] is None or i[2] in diffs)]
    for config, g in diffs.groupby("configuration", sort=False):
        if config == baseline:  # no difference from itself: the rows exist, empty
            rows += [
                {"configuration": config, "outcome": name, "n": len(g), "n_pairs": len(g)}
                for name, *_ in usable
            ]
            continue
        n = len(g)
        for name, num, den, sign in usable:
            dc = g[num].to_numpy(float)
            row = {"configuration": config, "outcome": name, "n": n, "n_pairs": n}
            t = stats.t.ppf(0.975, n - 1) if n > 1 else math.nan
            if den is None:
                mean, sd = dc.mean(), dc.std(ddof=1) if n > 1 else math.nan
                half = t * sd / math.sqrt(n)
            else:
                dp = sign * g[den].to_numpy(float)
                mp = dp.mean()
                sp = dp.std(ddof=1) if n > 1 else math.nan
                mean = dc.mean() / mp if mp != 0 else math.nan
                bounded = n > 1 and abs(mp) > t * sp / math.sqrt(n)
                sd = (dc - mean * dp).std(ddof=1) / abs(mp) if bounded else math.nan
                half = t * sd / math.sqrt(n)
            row.update(mean=mean, std=sd, ci_low=mean - half, ci_high=mean + half)
            rows.append(row)
    return pd.DataFrame(rows)


def _long(wide: pd.DataFrame, name: str) -> pd.DataFrame:
    return wide.reset_index().melt(id_vars="configuration", var_name="outcome", value_name=name)


# --------------------------------------------------------------------------- command
class MixedCodeError(ValueError):
    """The complete runs of a sweep were made by more than one version of the code."""


def code_versions(summary: pd.DataFrame) -> dict[str, int]:
    """Complete runs per code version (``io.code_label``), most runs first."""
    done = summary[summary["status"] == sweep.COMPLETE]
    return {str(k): int(v) for k, v in done["code_version"].value_counts().items()}


def aggregate(
    sweep_dir: Path, baseline: str | None = None, allow_mixed_code: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write ``summary.parquet`` and ``comparison.parquet`` into ``sweep_dir``.

    Refuses (``MixedCodeError``, nothing written) when the complete runs come from more
    than one code version, unless ``allow_mixed_code``: a comparison across model
    versions would attribute code changes to the configurations."""
    sweep_dir = Path(sweep_dir)
    summary = collect(sweep_dir)
    versions = code_versions(summary)
    if len(versions) > 1 and not allow_mixed_code:
        listed = ", ".join(f"{n} run{'s' * (n > 1)} of {v[:20]}" for v, n in versions.items())
        raise MixedCodeError(
            f"{sweep_dir}: the complete runs come from {len(versions)} code versions "
            f"({listed}); re-run the sweep command to redo the old runs with this code, or "
            f"pass --allow-mixed-code to combine them anyway"
        )
    comparison = compare(summary, baseline)
    io.write_parquet(sweep_dir / SUMMARY, summary)
    io.write_parquet(sweep_dir / COMPARISON, comparison)
    io.remove_leftovers(sweep_dir, (SUMMARY, COMPARISON))
    LAST_SWEEP.clear()
    LAST_SWEEP.update(summary["status"].value_counts().to_dict())
    return summary, comparison


def report(sweep_dir: Path, summary: pd.DataFrame, comparison: pd.DataFrame) -> str:
    """Text report: status counts, runs outside the plan, failed runs with their overrides,
    code versions when mixed, and the comparison table."""
    counts = summary["status"].value_counts()
    of = "in the plan" if summary.attrs.get("planned", True) else "found, no sweep.json"
    lines = [
        f"sweep directory: {sweep_dir}",
        f"runs: {counts.get(sweep.COMPLETE, 0)} complete, {counts.get(sweep.FAILED, 0)} "
        f"failed, {counts.get(sweep.MISSING, 0)} missing (of {len(summary)} {of})",
    ]
    outside = summary.attrs.get("outside", [])
    if outside:
        shown = ", ".join(outside[:10]) + (", ..." if len(outside) > 10 else "")
        lines.append(
            f"  {len(outside)} run director{'ies' if len(outside) > 1 else 'y'} outside the "
            f"plan left out ({shown}): from an earlier sweep in the same directory"
        )
    versions = code_versions(summary)
    if len(versions) > 1:
        lines.append(
            "  runs of different code versions combined (--allow-mixed-code): "
            + ", ".join(f"{v[:20]} x{n}" for v, n in versions.items())
        )
    for r in summary[summary["status"] != sweep.COMPLETE].to_dict("records"):
        overrides = [
            f"{k.removeprefix('override.')}={v}"
            for k, v in r.items()
            if k.startswith("override.") and isinstance(v, str)
        ]
        lines.append(f"  {r['status']} run {r['run']} ({' '.join(overrides)}): {r['error'] or ''}")
    if not comparison.empty:
        lines.append(comparison_table(comparison))
        decisions = decision_table(comparison)
        if decisions:
            lines.append(decisions)
    return "\n".join(lines)


def decision_table(comparison: pd.DataFrame) -> str:
    """Per configuration against the baseline: placements net of the baseline and the
    incremental costs (``INCREMENTAL``), each with its 95% interval; "-" where the ratio is
    unbounded (the denominator's interval includes zero)."""
    from . import glossary

    keys = [name for name, *_ in INCREMENTAL]
    rows = comparison[comparison["outcome"].isin(keys)]
    if rows.empty:
        return ""
    heading, names = _name_column(list(dict.fromkeys(comparison["configuration"])))
    terms = [glossary.outcome(k) for k in keys]
    table = [[heading, *(t.short for t in terms)]]
    for config, g in rows.groupby("configuration", sort=False):
        if g["is_baseline"].any():
            continue
        g = g.set_index("outcome")
        cells = [names[config]]
        for t in terms:
            if t.key not in g.index or math.isnan(g.loc[t.key, "mean"]):
                cells.append("-")
                continue
            r = g.loc[t.key]
            if math.isnan(r["ci_low"]):  # unbounded: the denominator is within its noise
                cells.append("-")
                continue
            lo, hi = r["ci_low"] * t.scale, r["ci_high"] * t.scale
            d = t.decimals
            cells.append(f"{r['mean'] * t.scale:+,.{d}f} [{lo:+,.{d}f}, {hi:+,.{d}f}]")
        table.append(cells)
    widths = [max(len(row[j]) for row in table) for j in range(len(table[0]))]
    out = [
        "against the baseline, paired over seeds, with 95% intervals: a cost is the extra\n"
        "public spending a month over the extra placements a month (or the fewer people in\n"
        "poverty); '-' where that change is within its noise (the ratio is unbounded)"
    ]
    for row in table:
        out.append(
            "  ".join(
                f"{c:<{w}}" if j == 0 else f"{c:>{w}}"
                for j, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(out)


def _number(value: float, decimals: int, sign: bool, kilo: bool) -> str:
    """A table number; in thousands (1,533k) for a column of large amounts."""
    if kilo:
        value, decimals, suffix = value / 1000, 0, "k"
    else:
        suffix = ""
    return f"{value:{'+' if sign else ''},.{decimals}f}{suffix}"


def _name_column(configs: list[str]) -> tuple[str, dict[str, str]]:
    """The first column's heading and each configuration's plain name (glossary): when
    one key varies, the heading names it and the rows give only its values."""
    from . import glossary

    items = [[p.partition("=") for p in re.split(r",\s*(?=[\w.+~/]+=)", c)] for c in configs]
    keys = {tuple(k for k, _, _ in row) for row in items if all(eq for _, eq, _ in row)}
    if len(keys) == 1 and len(next(iter(keys))) == 1 and len(items) == len(configs):
        (key,) = next(iter(keys))
        return glossary.parameter(key), {
            c: glossary.configuration(c).split(": ", 1)[-1] for c in configs
        }
    return "configuration", {c: glossary.configuration(c) for c in configs}


def comparison_table(comparison: pd.DataFrame, width: int = WIDTH) -> str:
    """Mean ± 95% half-width of the headline outcomes per configuration, and under it the
    paired difference from the baseline (percentage points for rates). The t interval is
    symmetric, so ``mean ± half`` is the interval. Names and units come from the
    glossary; a table wider than ``width`` is printed one row per configuration and
    outcome instead."""
    from . import glossary

    terms = [glossary.outcome(k) for k in TABLE if k in set(comparison["outcome"])]
    idx = comparison.set_index(["configuration", "outcome"])
    configs = list(dict.fromkeys(comparison["configuration"]))
    baseline = comparison["baseline"].iloc[0]
    heading, names = _name_column(configs)
    names = {c: n + (" (baseline)" if c == baseline else "") for c, n in names.items()}
    kilo = {
        t.key: bool((idx.xs(t.key, level="outcome")["mean"].abs() * t.scale >= 100_000).any())
        for t in terms
    }

    def cell(r: pd.Series, mid: str, low: str, high: str, t, sign: bool) -> str:
        text = _number(r[mid] * t.scale, t.decimals, sign, kilo[t.key])
        if not math.isnan(r[low]):
            text += f" ±{_number((r[high] - r[low]) * t.scale / 2, t.decimals, False, kilo[t.key])}"
        return text + (f" {t.diff_unit}" if t.is_rate and sign else "")

    rows = []  # (configuration, [(mean cell, delta cell or "") per outcome])
    for c in configs:
        out = []
        for t in terms:
            r = idx.loc[(c, t.key)]
            delta = (
                ""
                if r["is_baseline"] or math.isnan(r["diff_mean"])
                else cell(r, "diff_mean", "diff_ci_low", "diff_ci_high", t, True)
            )
            out.append((cell(r, "mean", "ci_low", "ci_high", t, False), delta))
        rows.append((c, out))
    title = (
        "mean ± 95% half-width over seeds; Δ: paired difference vs "
        + (
            base
            if len(base := names[baseline].removesuffix(" (baseline)")) <= 20
            else "the baseline"
        )
        + ", rates in pp"
    )
    first = max(len(x) for x in [heading, "Δ", *names.values()])
    cols = [
        max(len(t.short), *(len(x) for _, out in rows for x in out[j])) for j, t in enumerate(terms)
    ]
    lines = [
        f"{heading:<{first}}  "
        + "  ".join(f"{t.short:>{w}}" for t, w in zip(terms, cols, strict=True))
    ]
    for c, out in rows:
        lines.append(
            f"{names[c]:<{first}}  "
            + "  ".join(f"{m:>{w}}" for (m, _), w in zip(out, cols, strict=True))
        )
        if any(d for _, d in out):
            lines.append(
                f"{'  Δ':<{first}}  "
                + "  ".join(f"{d:>{w}}" for (_, d), w in zip(out, cols, strict=True))
            )
    if max(len(line) for line in lines) <= width:
        return "\n".join([title, *lines])
    # too wide: one row per configuration and outcome
    named = {t.key: t.label + ("" if t.is_rate else f" ({t.unit})") for t in terms}
    label = max(len(x) for x in named.values())
    mean_w = max(len(m) for _, out in rows for m, _ in out)
    long = [title, f"{'':<2}{'outcome':<{label}}  {'mean ± 95%':>{mean_w}}  Δ vs baseline ± 95%"]
    for c, out in rows:
        long.append(names[c])
        for t, (m, d) in zip(terms, out, strict=True):
            long.append(f"  {named[t.key]:<{label}}  {m:>{mean_w}}  {d}".rstrip())
    return "\n".join(long)


class AggregateCallback(Callback):
    """Hydra callback: plan the sweep's progress count at the start, aggregate at the end.

    Hydra turns an exception in a callback into a warning and carries on, so an error is
    printed here as one line and kept in ``LAST_SWEEP["error"]`` (``python -m sim`` then
    exits 2)."""

    def on_multirun_start(self, config, **kwargs: Any) -> None:
        params = config.hydra.sweeper.params or {}
        jobs = sweep.plan(list(config.hydra.overrides.task), {k: str(v) for k, v in params.items()})
        sweep.write_plan(Path(config.hydra.sweep.dir), jobs)

    def on_multirun_end(self, config, **kwargs: Any) -> None:
        finish_sweep(Path(config.hydra.sweep.dir))


def finish_sweep(sweep_dir: Path) -> None:
    """Aggregate a sweep that has ended and print its report; an error is one line, kept
    in ``LAST_SWEEP["error"]`` (``python -m sim`` then exits 2)."""
    import os

    from .entry import RESUME_ENV

    try:
        summary, comparison = aggregate(
            sweep_dir, allow_mixed_code=os.environ.get(RESUME_ENV) == "1"
        )
    except (OSError, ValueError) as exc:
        LAST_SWEEP.clear()
        LAST_SWEEP["error"] = str(exc)
        print(f"sim: error: aggregation of {sweep_dir} failed: {exc}", file=sys.stderr)
        return
    print(report(sweep_dir, summary, comparison), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.aggregate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("sweep_dir", type=Path)
    parser.add_argument(
        "--baseline",
        help="configuration label to compare against (default: the one at config.yaml's defaults)",
    )
    parser.add_argument(
        "--allow-mixed-code",
        action="store_true",
        help="combine complete runs made by different code versions (refused by default)",
    )
    args = parser.parse_args(argv)
    if not args.sweep_dir.is_dir():
        print(f"sim.aggregate: {args.sweep_dir} is not a directory", file=sys.stderr)
        return 2
    if sweep.read_plan(args.sweep_dir) is None and not sweep.run_dirs(args.sweep_dir):
        what = (
            "is a single run, not a sweep directory"
            if (args.sweep_dir / "manifest.json").exists()
            else "is not a sweep directory"
        )
        print(
            f"sim.aggregate: {args.sweep_dir} {what} (no sweep.json and no numbered run "
            f"directories); give the directory a sweep wrote (hydra.sweep.dir)",
            file=sys.stderr,
        )
        return 2
    try:
        summary, comparison = aggregate(args.sweep_dir, args.baseline, args.allow_mixed_code)
    except (OSError, ValueError) as exc:
        print(f"sim.aggregate: {exc}", file=sys.stderr)
        return 2
    print(report(args.sweep_dir, summary, comparison))
    print(f"wrote {args.sweep_dir / SUMMARY} and {args.sweep_dir / COMPARISON}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
