"""View 0, "What this shows": what was run, in plain words, and what came out of it.

A planner opening the page should learn, before any chart, the scenario, how many people
were simulated for how long and how often, what each compared configuration means, what
the three regimes are (working paper, Table 3), and three to six findings written from the
results, each with its interval, or a plain statement that nothing differs.
"""

from __future__ import annotations

import math

from sim import glossary

from ..load import Results, finite
from ..stats import detectable, frontier_beyond_noise
from ..style import COST, HEADLINE, PLACEMENTS, Outcome, esc
from . import View
from .common import compare, money_per_person, scaled

TITLE = "What this shows"
GROUPS = ("economy", "policy", "population", "regime", "spoc", "targets", "run", "sweep")


# --------------------------------------------------------------------------- numbers
def number(value: float, outcome: Outcome, sign: bool = False) -> str:
    """A value in display units with its unit: ``22.41%``, ``+0.30 pp``, ``1,234``."""
    if not finite(value):
        return "n/a"
    d = 0 if outcome.is_money else outcome.decimals
    text = f"{value:{'+' if sign else ''},.{d}f}"
    if outcome.is_rate:
        return f"{text} pp" if sign else f"{text}%"
    if outcome.is_money:
        return f"{text} a month"
    return f"{text} {outcome.diff_unit}" if outcome.unit else text


def interval(low: float, high: float, outcome: Outcome) -> str:
    """``(95% CI -0.42 to -0.18 pp)``."""
    if not (finite(low) and finite(high)):
        return "(no interval: fewer than two seeds)"
    d = outcome.decimals if not outcome.is_money else 0
    unit = "" if outcome.is_money else f" {outcome.diff_unit}"
    return f"(95% CI {low:+,.{d}f} to {high:+,.{d}f}{unit})"


def quoted(configuration: str) -> str:
    """A configuration's plain name as it reads inside a sentence."""
    return f"\u201c{glossary.configuration(configuration)}\u201d"


def money_sentence(results: Results, configuration: str, who: str) -> str:
    spend, per_person, share = money_per_person(results, configuration)
    if not finite(spend):
        return ""
    text = f"{who} spends {spend:,.0f} a month on income support, programmes and administration"
    if finite(per_person):
        text += f", {per_person:,.2f} per person of working age"
    if finite(share):
        text += f", or {share:.2f}% of GDP"
    else:
        text += " (this economy states no GDP, so no share of GDP is shown)"
    return text + "."


# --------------------------------------------------------------------------- setting
def choices(results: Results) -> dict[str, str]:
    """The config groups the baseline's first run was composed from (Hydra's record)."""
    path = results.run_dir(results.first_run(results.baseline)) / ".hydra" / "hydra.yaml"
    if not path.exists():
        return {}
    from omegaconf import OmegaConf

    picked = OmegaConf.select(OmegaConf.load(path), "hydra.runtime.choices") or {}
    return {k: str(v) for k, v in picked.items() if k in GROUPS and v is not None}


def _replicates(results: Results) -> tuple[int, int]:
    per = results.complete.groupby("configuration").size()
    return int(per.min()), int(per.max())


def setting(results: Results) -> list[str]:
    """Sentences saying what was run."""
    cfg = results.config(results.first_run(results.baseline))
    picked = choices(results)
    lines = []
    if picked:
        groups = ", ".join(
            f"{k} {picked[k]}" for k in GROUPS if k in picked and k not in ("run", "sweep")
        )
        lines.append(f"Scenario: {groups} (the config groups; see docs/parameters.md).")
    size = (cfg.get("population") or {}).get("size")
    working = (
        results.complete["population_working_age"].mean()
        if ("population_working_age" in results.complete.columns)
        else math.nan
    )
    if size:
        text = f"Population: {int(size):,} simulated people aged 15 and over"
        if finite(working):
            text += f", about {working:,.0f} of them of working age (15-64) on average"
        lines.append(text + ".")
    months, burn_in = results.months()
    lines.append(
        f"Horizon: {months} months per run; outcomes are monthly averages over months "
        f"{burn_in + 1}-{months}, after a burn-in of {burn_in} months that lets the "
        "economy settle."
    )
    lo, hi = _replicates(results)
    reps = f"{lo}" if lo == hi else f"{lo} to {hi}"
    if results.is_sweep:
        lines.append(
            f"Replicates: {len(results.configurations)} configurations, each run on {reps} "
            "seeds. Every configuration meets the same luck on the same seed (common random "
            "numbers), so differences are taken seed by seed and shown with 95% intervals."
        )
    else:
        lines.append("Replicates: one run on one seed, so no interval can be shown.")
    return lines


def _configuration_table(results: Results) -> str:
    counts = results.complete.groupby("configuration").size()
    rows = []
    for i, c in enumerate(results.configurations, start=1):
        mark = " <strong>(baseline)</strong>" if c == results.baseline else ""
        rows.append(
            f"<tr><td>{i}</td><td>{esc(glossary.configuration(c))}{mark}</td>"
            f"<td><code>{esc(c)}</code></td><td>{int(counts.get(c, 0))}</td></tr>"
        )
    head = "<tr><th>#</th><th>configuration</th><th>as typed</th><th>runs</th></tr>"
    table = f'<table class="data"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="scroll" id="configurations">{table}</div>'


def _regimes() -> str:
    items = "".join(
        f"<dt>{esc(name.capitalize())}</dt><dd>{esc(one)} {esc(two)}</dd>"
        for name, (one, two) in glossary.REGIMES.items()
    )
    functions = "; ".join(f"<em>{esc(k)}</em>: {esc(v)}" for k, v in glossary.FUNCTIONS.items())
    return (
        "<h3>The three regimes</h3>"
        "<p>How income support is aligned with active labour market programmes, set on three "
        f"functions ({functions}). Each function can take any of the three degrees "
        "(working paper, Table 3):</p>"
        f'<dl class="regimes">{items}</dl>'
    )


# --------------------------------------------------------------------------- findings
def _outcome_finding(results: Results, outcome: Outcome) -> str:
    df = scaled(compare(results, outcome.key), outcome)
    if df.empty:
        return ""
    base = df[df["configuration"] == results.baseline]
    others = df[df["configuration"] != results.baseline]
    if base.empty or others.empty:
        return ""
    level = float(base["mean"].iloc[0])
    found = others[
        [detectable(float(r.diff_ci_low), float(r.diff_ci_high)) for r in others.itertuples()]
    ]
    label = outcome.label
    if not any(finite(v) for v in others["diff_ci_low"]):
        return (
            f"{label}: with one seed per configuration there is no interval, so no "
            f"difference from the baseline ({number(level, outcome)}) can be called "
            "detectable; run more replicates (run.replicate=range(5))."
        )
    if found.empty:
        biggest = others.loc[others["diff_mean"].abs().idxmax()]
        return (
            f"{label}: no configuration differs detectably from the baseline "
            f"({number(level, outcome)}); every 95% interval of the paired difference "
            f"contains zero. The largest difference, {quoted(biggest.configuration)}, is "
            f"{number(biggest.diff_mean, outcome, sign=True)} "
            f"{interval(biggest.diff_ci_low, biggest.diff_ci_high, outcome)}."
        )
    up = 1.0 if outcome.higher_is_better else -1.0
    gain = found["diff_mean"] * up
    better, worse = found[gain > 0], found[gain < 0]
    if len(better):
        pick = better.loc[(better["diff_mean"] * up).idxmax()]
        head = (
            f"{label}: {len(better)} of {len(others)} configurations do detectably better "
            f"than the baseline{f' and {len(worse)} worse' if len(worse) else ''}. "
            f"The best, {quoted(pick.configuration)}"
        )
    else:
        pick = worse.loc[(worse["diff_mean"] * up).idxmin()]
        head = (
            f"{label}: no configuration does detectably better than the baseline; "
            f"{len(worse)} of {len(others)} do worse. The worst, {quoted(pick.configuration)}"
        )
    threshold = results.practical.threshold(outcome, level)
    small = (
        f", below the practical threshold of {results.practical.text(outcome)}"
        if abs(float(pick.diff_mean)) < threshold
        else ""
    )
    return (
        f"{head}, has {number(pick['mean'], outcome)} against {number(level, outcome)}: "
        f"{number(pick.diff_mean, outcome, sign=True)} "
        f"{interval(pick.diff_ci_low, pick.diff_ci_high, outcome)}{small}."
    )


def _frontier_finding(results: Results) -> str:
    runs = results.complete
    if COST.key not in runs.columns or PLACEMENTS.key not in runs.columns:
        return ""
    configs = list(results.configurations)
    on = frontier_beyond_noise(runs, COST.key, PLACEMENTS.key, configs, 1.0)
    if not on or len(on) == len(configs):
        return (
            "Cost against placements: no configuration both costs less and places more "
            "than another beyond noise, so none can be called more efficient."
        )

    def listed(indices: list[int]) -> str:
        names = [quoted(configs[i]) for i in indices]
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        return "; ".join(names[:3]) + more

    beaten = [i for i in range(len(configs)) if i not in on]
    if len(on) > len(configs) / 2:
        return (
            f"Cost against placements: only {len(beaten)} of {len(configs)} configurations "
            f"are beaten beyond noise (another costs less and places more): {listed(beaten)}. "
            "The others are too close to rank."
        )
    return (
        f"Cost against placements: {len(on)} of {len(configs)} configurations are efficient "
        f"(no other costs less and places more beyond noise): {listed(sorted(on))}."
    )


def findings(results: Results) -> list[str]:
    """Three to six sentences from the results, each with its interval."""
    if not results.is_sweep or len(results.configurations) < 2:
        row = results.complete.iloc[0]
        level = "; ".join(
            f"{o.label.lower()} {number(float(row[o.key]) * o.scale, o)}"
            for o in HEADLINE
            if o.key in row and finite(row[o.key])
        )
        out = [f"This run: {level}." if level else ""]
        out.append(money_sentence(results, results.baseline, "It"))
        out.append(
            "A single run shows levels, not effects: to compare regimes or reforms, run a "
            "sweep on several seeds (python -m sim -m sweep=regimes)."
        )
        return [s for s in out if s]
    out = [_outcome_finding(results, o) for o in HEADLINE]
    out.append(money_sentence(results, results.baseline, "The baseline"))
    out.append(_frontier_finding(results))
    return [s for s in out if s][:6]


def build(results: Results) -> View:
    view = View("overview", TITLE)
    facts = "".join(f"<li>{esc(s)}</li>" for s in setting(results))
    found = "".join(f"<li>{esc(s)}</li>" for s in findings(results))
    compared = (
        "<h3>The configurations compared</h3>" + _configuration_table(results)
        if results.is_sweep
        else ""
    )
    view.html = (
        f'<ul class="facts">{facts}</ul>'
        f'<h3>Key findings</h3><ul class="findings" id="findings">{found}</ul>'
        f"{compared}{_regimes()}"
    )
    return view
