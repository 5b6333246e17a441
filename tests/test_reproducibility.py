"""Same config and seed: byte-identical files. Different seed: different files. Two
policies with the same seed share luck (common random numbers)."""

from __future__ import annotations

import numpy as np

from sim import io
from sim.model import LabourMarket
from sim.runner import run

from .conftest import small


def _bytes(d):
    return {name: (d / name).read_bytes() for name in (*io.OUTPUT_FILES, io.MANIFEST)}


def test_rerun_is_byte_identical_and_seed_matters(tmp_path):
    cfg = small(size=2000, months=30)
    run(cfg, tmp_path / "a")
    run(cfg, tmp_path / "b")
    assert _bytes(tmp_path / "a") == _bytes(tmp_path / "b")
    other = small("seed=7", size=2000, months=30)
    run(other, tmp_path / "c")
    a, c = _bytes(tmp_path / "a"), _bytes(tmp_path / "c")
    for name in ("timeseries.parquet", "transitions.parquet", "summary.json", "config.yaml"):
        assert a[name] != c[name], name


def test_replicate_gives_independent_streams():
    a = LabourMarket(small(size=1500, months=12, burn_in=0))
    b = LabourMarket(small("run.replicate=1", size=1500, months=12, burn_in=0))
    assert not np.array_equal(a.workers.skill, b.workers.skill)


def test_common_random_numbers_across_policies():
    """A policy change does not change who dies or who enters (demography does not depend on
    policy, and every stream is keyed by name and month, not by what was drawn before)."""
    base = LabourMarket(small(size=3000, months=36))
    reform = LabourMarket(
        small(
            "policy.unemployment_insurance.replacement_rate=0.9",
            "regime.mechanisms.eligibility.coordination.sensitivity=0.2",
            size=3000,
            months=36,
        )
    )
    base.run()
    reform.run()
    tb, tr = base.timeseries(), reform.timeseries()
    np.testing.assert_array_equal(tb.new_deaths, tr.new_deaths)
    np.testing.assert_array_equal(base.workers.age, reform.workers.age)
    np.testing.assert_array_equal(base.workers.sex, reform.workers.sex)
    # ...while outcomes do respond to the policy
    assert (tr.spend_ui > tb.spend_ui).sum() > len(tb) // 2
    assert not np.array_equal(tb.new_referrals, tr.new_referrals)


def test_same_draw_for_same_slot():
    m = LabourMarket(small(size=500, months=2, burn_in=0))
    u1 = m.streams.uniform("separations", 5)
    u2 = m.streams.uniform("separations", 5)
    u3 = m.streams.uniform("separations", 6)
    np.testing.assert_array_equal(u1, u2)
    assert not np.array_equal(u1, u3)
    assert u1.shape == (500,) and u1.min() >= 0 and u1.max() < 1
