"""``python -m sim.evaluate programme=NAME [overrides]``: the randomised evaluation of one
programme, run inside the model (``sim.trial``).

Every replicate runs two worlds from the same seed: the trial (a random ``control_share``
of the people referred to the programme is barred from it for the spell) and then the
world without the programme (everyone referred to it is barred; as many are identified a
month as the trial referred). The trial gives the effect of
the offer, treated against controls; the second world gives displacement, the controls
against the referred of a world without the programme. Results go to Hydra's run
directory (``hydra.run.dir=...``): ``evaluation.parquet``, ``evaluation.json`` and the
dashboard page ``evaluation.html``.

Options besides the model's overrides (defaults in brackets):
``programme=NAME`` (required: a programme of the catalogue), ``evaluation.control_share``
[0.2], ``evaluation.horizon`` [36 months], ``evaluation.replicates`` [1],
``evaluation.jobs`` [2 processes].
"""

from __future__ import annotations

import dataclasses
import json
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import ConfigError
from ..states import LIFE_STAGE_NAMES, SEX_NAMES
from ..trial import CONTROL, LTU_MONTHS, N_CELLS, OUTCOMES, TREATED

HORIZONS = (6, 12, 24, 36)  # months after assignment in the printed table
Z95 = 1.959963984540054


@dataclass(frozen=True)
class Options:
    programme: str
    control_share: float = 0.2
    horizon: int = 36
    replicates: int = 1
    jobs: int = 2


RANGES = {
    "control_share": (float, 0.01, 0.99, "a share in [0.01, 0.99]"),
    "horizon": (int, 1, 120, "months in [1, 120]"),
    "replicates": (int, 1, 1000, "an integer in [1, 1000]"),
    "jobs": (int, 1, 256, "an integer in [1, 256]"),
}


def parse_options(argv: list[str]) -> tuple[Options, list[str]]:
    """Split the evaluation's own options from the model's overrides (one-line errors)."""
    values: dict[str, object] = {}
    rest = []
    for arg in argv:
        key, eq, value = arg.partition("=")
        if eq and key == "programme":
            values["programme"] = value
        elif eq and key.startswith("evaluation."):
            name = key.removeprefix("evaluation.")
            if name not in RANGES:
                raise ConfigError(
                    f"{key}: no such option (allowed: programme, "
                    + ", ".join(f"evaluation.{k}" for k in RANGES)
                    + ")"
                )
            kind, lo, hi, allowed = RANGES[name]
            try:
                number = kind(value)
            except ValueError:
                raise ConfigError(f"{key}={value}: must be {allowed}") from None
            if not lo <= number <= hi:
                raise ConfigError(f"{key}={value}: must be {allowed}")
            values[name] = number
        else:
            rest.append(arg)
    if "programme" not in values:
        raise ConfigError("programme: required, e.g. programme=vocational")
    return Options(**values), rest  # type: ignore[arg-type]


def design_for(config, options: Options, closed: bool):
    """The trial design of this config: the programme's index and the enrolment window
    (from the end of burn-in to ``horizon`` months before the end)."""
    from ..policy.programmes import ProgrammeTable
    from ..trial import TrialDesign

    table = ProgrammeTable(config)
    if options.programme not in table.names:
        raise ConfigError(
            f"programme={options.programme}: not in the catalogue (allowed: "
            + ", ".join(table.names)
            + ")"
        )
    k = table.names.index(options.programme)
    if not table.enabled[k]:
        raise ConfigError(
            f"programme={options.programme}: the programme is switched off "
            f"(policy.programmes.{options.programme}.enabled=false)"
        )
    start, end = config.run.burn_in, config.run.months - options.horizon
    if end <= start:
        raise ConfigError(
            f"run.months={config.run.months}: must exceed run.burn_in + evaluation.horizon "
            f"= {start + options.horizon} (enrolment runs from the end of burn-in to "
            f"{options.horizon} months before the end)"
        )
    return TrialDesign(k, options.control_share, start, end, options.horizon, closed)


def run_world(args: tuple) -> dict:
    """One world of one replicate: the model with the trial attached; its totals and its
    referrals to the programme by month (``quota``, for the closed world: the trial
    world's)."""
    config, options, replicate, closed, *rest = args
    from ..model import LabourMarket
    from ..trial import Trial

    cfg = dataclasses.replace(config, run=dataclasses.replace(config.run, replicate=replicate))
    model = LabourMarket(cfg)
    design = design_for(cfg, options, closed)
    if rest and rest[0] is not None:
        design = dataclasses.replace(design, quota=tuple(int(q) for q in rest[0]))
    model.trial = Trial(design, model.workers.n)
    model.run()
    referrals = np.zeros(cfg.run.months, dtype=np.int64)
    referrals[: model.trial.referrals.size] = model.trial.referrals[: cfg.run.months]
    return {**model.trial.totals(), "referrals": referrals}


def run_pair(args: tuple) -> tuple[dict, dict]:
    """Both worlds of one replicate: the trial, then the world without the programme
    identifying as many people a month as the trial referred."""
    config, options, replicate = args
    trial = run_world((config, options, replicate, False))
    closed = run_world((config, options, replicate, True, trial["referrals"]))
    return trial, closed


def simulate(config, options: Options) -> tuple[dict, dict]:
    """Pooled totals over replicates of the trial world and of the closed world
    (replicates run in parallel; the two worlds of one replicate in turn)."""
    tasks = [(config, options, config.run.replicate + r) for r in range(options.replicates)]
    if options.jobs == 1 or len(tasks) == 1:
        results = [run_pair(t) for t in tasks]
    else:
        with ProcessPoolExecutor(max_workers=min(options.jobs, len(tasks))) as pool:
            results = list(pool.map(run_pair, tasks))
    return _pool([a for a, _ in results]), _pool([b for _, b in results])


def _pool(totals: list[dict]) -> dict:
    return {k: sum(t[k] for t in totals) for k in totals[0]}


def _groups() -> tuple[tuple[str, np.ndarray], ...]:
    """Subgroups as masks over the cells (life stage x sex x long-term unemployed)."""
    cells = np.arange(N_CELLS)
    ltu = cells % 2
    sex = (cells // 2) % len(SEX_NAMES)
    stage = cells // (2 * len(SEX_NAMES))
    out = [("all", np.ones(N_CELLS, bool))]
    out += [(f"life stage: {s}", stage == i) for i, s in enumerate(LIFE_STAGE_NAMES)]
    out += [(f"sex: {s}", sex == i) for i, s in enumerate(SEX_NAMES)]
    out += [
        (f"long-term unemployed ({LTU_MONTHS}+ months) at assignment", ltu == 1),
        (f"unemployed under {LTU_MONTHS} months at assignment", ltu == 0),
    ]
    return tuple(out)


GROUPS = _groups()


def _moments(totals: dict, arm: int, mask: np.ndarray):
    """n, means and variances per (outcome, horizon) of one arm over the cells ``mask``."""
    n = totals["n"][:, arm, mask].sum(axis=-1).astype(np.float64)
    s = totals["sums"][:, :, arm, mask].sum(axis=-1)
    q = totals["squares"][:, :, arm, mask].sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = s / n
        var = np.maximum(q / n - mean**2, 0.0) * n / np.maximum(n - 1, 1)
    return n, mean, var


def table(trial: dict, closed: dict) -> pd.DataFrame:
    """Rows of horizon x group x outcome for the two comparisons, with 95% intervals
    (normal, from the two samples' variances: persons are the units)."""
    rows = []
    comparisons = (
        ("treated vs control", trial, TREATED, trial, CONTROL),
        ("displacement: control vs no programme", trial, CONTROL, closed, CONTROL),
    )
    horizon = trial["n"].shape[0]
    for name, a_tot, a_arm, b_tot, b_arm in comparisons:
        for group, mask in GROUPS:
            na, ma, va = _moments(a_tot, a_arm, mask)
            nb, mb, vb = _moments(b_tot, b_arm, mask)
            with np.errstate(invalid="ignore", divide="ignore"):
                se = np.sqrt(va / na + vb / nb)
            for k, outcome in enumerate(OUTCOMES):
                for h in range(horizon):
                    eff = ma[k, h] - mb[k, h]
                    rows.append(
                        {
                            "comparison": name,
                            "horizon_months": h + 1,
                            "group": group,
                            "outcome": outcome,
                            "treated_mean": ma[k, h],
                            "control_mean": mb[k, h],
                            "effect": eff,
                            "ci_low": eff - Z95 * se[k, h],
                            "ci_high": eff + Z95 * se[k, h],
                            "n_treated": int(na[h]),
                            "n_control": int(nb[h]),
                        }
                    )
    df = pd.DataFrame(rows)
    df = df[(df.n_treated > 1) & (df.n_control > 1)].reset_index(drop=True)  # empty groups
    for c in ("comparison", "group", "outcome"):
        df[c] = pd.Categorical(df[c], categories=list(dict.fromkeys(df[c])))
    return df


#: the columns of ``evaluation.parquet`` (docs/outputs.md is generated from this)
COLUMNS = {
    "comparison": "`treated vs control` (the effect of the offer) or `displacement: control vs "
    "no programme` (the controls against the referred of the world without the programme)",
    "horizon_months": "months after the month of assignment (1 to `evaluation.horizon`)",
    "group": "`all`, `life stage: ...`, `sex: ...`, or long-term unemployment at assignment",
    "outcome": "`employed`, `formal`, `earnings` (wage if employed, else 0), "
    "`benefit_receipt` (UI, or a household paid social assistance), `benefits` (UI plus "
    "the household's social assistance per person), `in_programme`, `other_programme`",
    "treated_mean": "mean of the first side (the offered; for displacement the controls)",
    "control_mean": "mean of the second side (the controls; for displacement the referred "
    "of the world without the programme)",
    "effect": "treated_mean - control_mean",
    "ci_low": "95% interval, lower end (normal; persons are the units)",
    "ci_high": "95% interval, upper end",
    "n_treated": "persons followed on the first side at this horizon",
    "n_control": "persons followed on the second side at this horizon",
}

LABELS = {
    "employed": ("employed", "pp", 100.0),
    "formal": ("formal job", "pp", 100.0),
    "earnings": ("earnings / month", "", 1.0),
    "benefit_receipt": ("receives UI or SA", "pp", 100.0),
    "benefits": ("benefits / month", "", 1.0),
    "in_programme": ("in the programme", "pp", 100.0),
    "other_programme": ("in another programme", "pp", 100.0),
}


def format_table(df: pd.DataFrame, programme: str, group: str = "all") -> str:
    """The printed table: effects at 6, 12, 24 and 36 months for one group."""
    horizons = [h for h in HORIZONS if h <= df.horizon_months.max()]
    lines = []
    for comparison in df.comparison.cat.categories:
        sub = df[(df.comparison == comparison) & (df.group == group)]
        n = sub[sub.horizon_months == horizons[0]].iloc[0] if horizons else None
        head = f"{programme}: {comparison} ({group}"
        if n is not None:
            head += f"; n = {n.n_treated:,} and {n.n_control:,} at {horizons[0]} months"
        lines.append(head + ")")
        lines.append(f"  {'outcome':<20}" + "".join(f"{f'{h} months':>26}" for h in horizons))
        for outcome in df.outcome.cat.categories:
            label, unit, scale = LABELS[outcome]
            cells = []
            for h in horizons:
                r = sub[(sub.outcome == outcome) & (sub.horizon_months == h)].iloc[0]
                digits = 1 if unit else 0
                cells.append(
                    f"{r.effect * scale:+.{digits}f} [{r.ci_low * scale:+.{digits}f}, "
                    f"{r.ci_high * scale:+.{digits}f}]"
                )
            lines.append(
                f"  {label + (' (' + unit + ')' if unit else ''):<20}"
                + "".join(f"{c:>26}" for c in cells)
            )
        lines.append("")
    lines.append("effects with 95% intervals; pp = percentage points of the group")
    return "\n".join(lines)


def evaluate(config, options: Options, out_dir: Path) -> pd.DataFrame:
    """Run the evaluation and write its outputs into ``out_dir``."""
    from .. import io

    trial, closed = simulate(config, options)
    df = table(trial, closed)
    out_dir.mkdir(parents=True, exist_ok=True)
    io.write_parquet(out_dir / "evaluation.parquet", df)
    meta = {
        "programme": options.programme,
        "control_share": options.control_share,
        "horizon_months": options.horizon,
        "replicates": options.replicates,
        "enrolment_months": [config.run.burn_in, config.run.months - options.horizon],
        "assigned": {
            "treated": int(trial["assigned"][TREATED]),
            "control": int(trial["assigned"][CONTROL]),
            "no_programme_world": int(closed["assigned"][CONTROL]),
        },
        "started_programme": {
            "treated": int(trial["started"][TREATED]),
            "control": int(trial["started"][CONTROL]),
            "no_programme_world": int(closed["started"][CONTROL]),
        },
        "seed": config.seed,
        "population_size": config.population.size,
        "code": io.code_version(),
    }
    io.write_json(out_dir / "evaluation.json", meta)
    io.write_text(out_dir / "config.yaml", io.config_yaml(config))
    from dashboards.views.evaluation import page

    io.write_text(out_dir / "evaluation.html", page(df, meta))
    return df


def run_command(config, options: Options, out_dir: Path) -> None:
    df = evaluate(config, options, out_dir)
    print(format_table(df, options.programme))
    meta = json.loads((out_dir / "evaluation.json").read_text())
    t, c = meta["assigned"]["treated"], meta["assigned"]["control"]
    st = meta["started_programme"]["treated"]
    print(
        f"\nassigned: {t:,} offered, {c:,} controls; {st / max(t, 1):.0%} of the offered "
        f"started the programme"
    )
    print(f"evaluation directory: {out_dir}")
    print(f"  {out_dir / 'evaluation.parquet'}\n  {out_dir / 'evaluation.html'}")


def main() -> None:
    """Entry point: our options first, then the model's overrides through Hydra."""
    import logging

    from .. import cli, entry
    from ..runtime import tune_allocator

    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    tune_allocator()
    if any(a in ("-h", "--help") for a in sys.argv[1:]):
        print(__doc__)
        raise SystemExit(0)
    try:
        options, rest = parse_options(sys.argv[1:])
    except ConfigError as exc:
        cli._fail(str(exc))
    try:
        cmd = entry.parse(rest)
    except ConfigError as exc:
        cli._fail(str(exc))
    if cmd.multirun:
        cli._fail("-m: an evaluation is one command; sweep its overrides with a shell loop")
    if not any(o.startswith("hydra.run.dir=") for o in cmd.hydra_overrides):
        own = f"hydra.run.dir=results/evaluations/{options.programme}/${{now:%Y-%m-%d_%H-%M-%S}}"
        cmd.hydra_overrides.append(own)
        cmd.argv.append(own)
    cli.precheck(cmd)
    sys.argv = [sys.argv[0], *cmd.argv]
    _OPTIONS["options"] = options
    _app()


_OPTIONS: dict[str, Options] = {}


def _hydra_app():
    import hydra
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import DictConfig

    from ..config import CONFIG_DIR, from_omegaconf

    @hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
    def app(cfg: DictConfig) -> None:
        from .. import cli

        try:
            config = from_omegaconf(cfg)
            options = _OPTIONS["options"]
            design_for(config, options, closed=False)
        except ConfigError as exc:
            cli._fail(str(exc))
        run_command(config, options, Path(HydraConfig.get().runtime.output_dir))

    return app


def _app() -> None:
    _hydra_app()()
