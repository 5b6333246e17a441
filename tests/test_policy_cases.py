"""Policy rules checked against YAML cases of input and expected output (OpenFisca style):
``tests/policy_cases/*.yaml``. The rules are the functions the simulation itself calls."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.policy import rules

CASES = [
    pytest.param(case, id=f"{path.stem}: {case['name']}")
    for path in sorted((Path(__file__).parent / "policy_cases").glob("*.yaml"))
    for case in yaml.safe_load(path.read_text())
]


@pytest.mark.parametrize("case", CASES)
def test_policy_case(case):
    rule = getattr(rules, case["rule"])
    got = rule(**case["input"], **case["parameters"])
    expected = case["expected"]
    if isinstance(got, tuple):
        for g, e in zip(got, expected, strict=True):
            np.testing.assert_allclose(np.asarray(g, dtype=float), np.asarray(e, dtype=float))
    else:
        np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(expected, dtype=float))


def test_there_are_cases_for_every_rule():
    covered = {c.values[0]["rule"] for c in CASES}
    public = {
        n
        for n in dir(rules)
        if not n.startswith("_")
        and callable(getattr(rules, n))
        and getattr(rules, n).__module__ == rules.__name__
    }
    assert public <= covered, f"rules without YAML cases: {sorted(public - covered)}"
