"""``python -m sim --help``: a short page of our own. Hydra's full help (484 lines of
config) stays under ``--hydra-help``; the config groups are read from the config directory
so the page never lists an option that is not there."""

from __future__ import annotations

from pathlib import Path

from .config import CONFIG_DIR

PAGE = """\
python -m sim: simulate labour-market transitions under a policy regime that aligns income
support with active labour market programmes; outputs are poverty, placement and cost.

Usage
  python -m sim [group=option ...] [key=value ...]   one run -> results/runs/<date>/<time>/
  python -m sim -m key=a,b [key2=x,y ...]            a sweep of every combination
  python -m sim -m sweep=regimes                     a preset sweep (configs/sweep/);
                                                     the same command again resumes it

Config groups (group=option; the default is marked *)
{groups}

Parameters
  Any parameter is key=value: population.size=1000000 seed=7 run.months=240
  Every parameter, its unit, allowed range, meaning and source: docs/parameters.md
  Bad values stop the command with one line naming the key, the value and the range (exit 2).

Reforms and shocks (changes from a month on, e.g. a 24-month demand shock)
  'reforms=[{{month: 60, path: policy.unemployment_insurance.max_duration_months, value: 12}}]'
  'reforms=[{{month: 300, path: economy.demand_index, value: 0.7}},
            {{month: 324, path: economy.demand_index, value: 1.0}}]'

Sweeps
  hydra.sweep.dir=DIR                 where the runs go (one numbered directory per job)
  hydra.launcher.n_jobs=N             parallel jobs on this machine (joblib)
  hydra/launcher=slurm                submit the jobs to a SLURM cluster (submitit)
  --resume-any-code                   reuse finished runs made by another code version
  --replace-other-runs                let this sweep redo directories holding another's runs
  sweep=NAME plus other overrides     another sweep: its own directory, DIR+overrides
  A sweep skips runs already complete with the same config and code; see README, "The sweep
  directory, the plan and resume".

Scenarios
  Named experiments are config overlays: population=textbook economy=homogeneous (the two-state
  textbook economy), spoc=advanced, policy=no_benefits; see scenarios/README.md.

Other commands
  python -m sim.aggregate DIR          rebuild a sweep's summary and comparison tables
  python -m sim.compare A B            two runs or two sweeps, paired by seed
  python -m sim.reproduce RUN_DIR      re-run one run and check its files byte for byte
  python -m sim.check DIR              a run or sweep against its calibration targets
  python -m dashboards DIR             the planners' dashboard (one offline HTML file)
  python -m sim.analysis.statics       comparative statics, Beveridge curve, displacement
  python -m sim.analysis.caseload      counsellor dose-response and when extra staff pay back
  python -m sim.evaluate programme=P   a randomised trial of programme P inside the model

Options
  -m/--multirun, --config-dir DIR, --config-path DIR, --config-name NAME,
  --cfg job (print the composed config), --info, --hydra-help (Hydra's own help)
"""


def groups(root: Path = CONFIG_DIR) -> str:
    """One line per config group: its options, the default starred."""
    defaults = _defaults(root / "config.yaml")
    lines = []
    for d in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "hydra"):
        options = sorted(f.stem for f in d.glob("*.yaml"))
        shown = [f"{o}*" if defaults.get(d.name) == o else o for o in options]
        lines.append(f"  {d.name + ':':<12} {', '.join(shown)}")
    return "\n".join(lines)


def _defaults(path: Path) -> dict[str, str]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = {}
    for item in data.get("defaults", []):
        if isinstance(item, dict):
            for k, v in item.items():
                if isinstance(v, str):
                    out[k.removeprefix("override ").split("@")[0].strip()] = v
    return out


def text() -> str:
    return PAGE.format(groups=groups())
