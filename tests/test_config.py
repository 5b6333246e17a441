"""Every config composes and validates; bad input gives one line and exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sim.config import Config, ConfigError, from_dict, to_dict, validate

from .conftest import CONFIG_DIR, ROOT, load_config

# calibrated/ holds parameter files an economy includes (economy/mid_income.yaml), not a
# group of the primary config: composing the economy composes them
GROUP_FILES = sorted(
    p for p in CONFIG_DIR.glob("*/*.yaml") if p.parent.name not in ("hydra", "calibrated")
)


@pytest.mark.parametrize("path", GROUP_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_group_option_composes_and_validates(path):
    cfg = load_config(f"{path.parent.name}={path.stem}")
    assert isinstance(cfg, Config)


def test_defaults_are_the_mid_income_economy():
    cfg = load_config()
    assert cfg.population.size == 100_000 and cfg.run.months == 660
    assert len(cfg.economy.sectors) == 5


def test_from_dict_round_trip():
    cfg = load_config()
    assert from_dict(to_dict(cfg)) == cfg


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (("economy", "search", "own_sector", 1.5), "economy.search.own_sector = 1.5"),
        (("population", "size", -3), "population.size = -3"),
        (("run", "months", 12.5), "run.months = 12.5"),
        (("policy", "poverty", "line", "median"), "policy.poverty.line = 'median'"),
        (("economy", "tightness", "lots"), "economy.tightness = 'lots'"),
    ],
)
def test_validate_names_key_value_and_range(change, needle):
    data = to_dict(load_config())
    *path, value = change
    node = data
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value
    with pytest.raises(ConfigError) as err:
        from_dict(data)
    msg = str(err.value)
    assert needle in msg and "must be" in msg and "\n" not in msg


def test_unknown_key_without_hydra():
    data = to_dict(load_config())
    data["economy"]["tightnes"] = 1.0
    with pytest.raises(ConfigError, match=r"economy\.tightnes is not a known key"):
        from_dict(data)


def test_missing_value_is_reported():
    with pytest.raises(ConfigError, match="is missing"):
        validate(Config())


BAD = [
    (["economy.search.own_sector=1.5"], "economy.search.own_sector = 1.5", "probability in [0, 1]"),
    (["population.size=-5"], "population.size = -5", "integer in [1,"),
    (["population.sizee=5"], "population.sizee is not a known key", "allowed keys"),
    (["population.size=abc"], "population.size = 'abc'", "must be an integer"),
    (["run.burn_in=700"], "run.burn_in = 700", "less than run.months = 660"),
    (["policy=nope"], "policy=nope is not an option of policy", "baseline"),
    # a sweep stops before it starts only when no job could run (else see test_sweeps.py)
    (["-m", "economy.tightness=-2,-1"], "economy.tightness = -2.0", "in [0, 100]"),
    (["-m", "economy.tightness=0.5,abc"], "economy.tightness = 'abc'", "must be a number"),
]


@pytest.mark.parametrize(("args", "key", "allowed"), BAD, ids=[" ".join(b[0]) for b in BAD])
def test_cli_bad_input_one_line_exit_2(args, key, allowed, tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            *args,
            f"hydra.run.dir={tmp_path}/run",
            f"hydra.sweep.dir={tmp_path}/sweep",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("sim: config error: ")
    assert key in lines[0] and allowed in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "run").exists() and not (tmp_path / "sweep").exists()
