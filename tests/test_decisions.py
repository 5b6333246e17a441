"""Sweep outputs for decisions: placements net of the baseline and incremental costs per
additional placement and per person lifted out of poverty, with paired intervals."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.aggregate import compare, decision_table


def _summary(rng: np.random.Generator, spend_gain: float, placed_gain: float, poor_drop: float):
    """Two configurations over 6 seeds: a reform spending ``spend_gain`` more, placing
    ``placed_gain`` more a month and with ``poor_drop`` fewer poor people, with noise that
    is common to both (common random numbers) and a little of its own."""
    rows = []
    for seed in range(6):
        common = rng.normal(0, 50)
        for config, k in (("regime=coordination", 0.0), ("regime=integration", 1.0)):
            rows.append(
                {
                    "run": f"{seed}{config}",
                    "status": "complete",
                    "configuration": config,
                    "seed": seed,
                    "replicate": 0,
                    "override.regime": config.split("=")[1],
                    "spend_total": 10_000 + 20 * common + k * spend_gain + rng.normal(0, 5),
                    "placements_per_month": 100 + common + k * placed_gain + rng.normal(0, 0.5),
                    "people_in_poverty": 900 - common - k * poor_drop + rng.normal(0, 1),
                }
            )
    return pd.DataFrame(rows)


def test_incremental_costs_are_ratios_of_paired_differences():
    rng = np.random.default_rng(3)
    summary = _summary(rng, spend_gain=600.0, placed_gain=4.0, poor_drop=20.0)
    out = compare(summary, "regime=coordination").set_index(["configuration", "outcome"])
    pairs = summary.pivot(index="seed", columns="configuration")
    d = {
        c: (pairs[c]["regime=integration"] - pairs[c]["regime=coordination"]).to_numpy()
        for c in ("spend_total", "placements_per_month", "people_in_poverty")
    }
    net = out.loc[("regime=integration", "net_placements_per_month")]
    assert net["mean"] == pytest.approx(d["placements_per_month"].mean())
    half = stats.t.ppf(0.975, 5) * d["placements_per_month"].std(ddof=1) / np.sqrt(6)
    assert net["ci_high"] - net["mean"] == pytest.approx(half)
    icer = out.loc[("regime=integration", "incremental_cost_per_placement")]
    ratio = d["spend_total"].mean() / d["placements_per_month"].mean()
    assert icer["mean"] == pytest.approx(ratio)
    assert icer["ci_low"] < 150 < icer["ci_high"]  # the true ratio: 600 / 4
    lifted = out.loc[("regime=integration", "incremental_cost_per_person_lifted_out_of_poverty")]
    assert lifted["mean"] == pytest.approx(d["spend_total"].mean() / -d["people_in_poverty"].mean())
    assert lifted["ci_low"] < 30 < lifted["ci_high"]  # 600 / 20
    # the baseline's incremental rows are empty; the gross outcomes stay
    assert np.isnan(out.loc[("regime=coordination", "incremental_cost_per_placement"), "mean"])
    assert ("regime=integration", "placements_per_month") in out.index  # gross, as before
    text = decision_table(compare(summary, "regime=coordination"))
    assert "integration" in text and "cost/extra placement" in text


def test_a_ratio_whose_denominator_is_noise_has_no_interval():
    """With no change in placements, the incremental cost per placement is unbounded."""
    rng = np.random.default_rng(4)
    summary = _summary(rng, spend_gain=600.0, placed_gain=0.0, poor_drop=20.0)
    out = compare(summary, "regime=coordination").set_index(["configuration", "outcome"])
    icer = out.loc[("regime=integration", "incremental_cost_per_placement")]
    assert np.isnan(icer["ci_low"]) and np.isnan(icer["ci_high"])
    text = decision_table(compare(summary, "regime=coordination"))
    row = next(line for line in text.splitlines() if line.startswith("integration"))
    cells = re.split(r"\s{2,}", row.strip())
    assert cells[2] == "-" and cells[3] != "-", cells  # per placement unbounded, per person not
