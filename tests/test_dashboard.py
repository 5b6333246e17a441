"""Dashboards without a browser: statistics, the page's contents and safety, the CLI."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboards.__main__ import main
from dashboards.build import build
from dashboards.load import ResultsError, load
from dashboards.stats import frontier_beyond_noise, kaplan_meier, ltu_share, paired, t_interval
from dashboards.style import esc
from tests.dashboard_fixtures import (
    BUDGETS,
    MIXES,
    XSS,
    hostile_copy,
    shared_run,
    shared_sweep,
    synthetic_sweep,
)

VIEWS = (
    "overview",
    "headline",
    "transitions",
    "timeseries",
    "spells",
    "cost",
    "alignment",
    "distribution",
    "provenance",
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp()


@pytest.fixture(scope="module")
def run_dir(base: Path) -> Path:
    return shared_run(base)


@pytest.fixture(scope="module")
def sweep_dir(base: Path) -> Path:
    return shared_sweep(base)


def figures(html: str) -> dict:
    """The figure JSON embedded in a page."""
    m = re.search(r'<script type="application/json" id="dash-figures">(.*?)</script>', html, re.S)
    assert m, "no figure data in the page"
    return json.loads(m.group(1))


# --- statistics -------------------------------------------------------------------------


def test_t_interval_matches_textbook() -> None:
    mean, _lo, hi, n = t_interval(np.array([1.0, 2.0, 3.0]))
    assert (mean, n) == (2.0, 3)
    assert hi - mean == pytest.approx(4.302652729911275 / np.sqrt(3))  # t(0.975, 2) * s/sqrt(n)
    assert np.isnan(t_interval(np.array([5.0]))[1])


def test_paired_difference_uses_common_seeds() -> None:
    runs = pd.DataFrame(
        {
            "configuration": ["a", "a", "b", "b", "b"],
            "seed": [1, 2, 1, 2, 3],
            "replicate": 0,
            "y": [1.0, 2.0, 1.5, 2.5, 100.0],
        }
    )
    out = paired(runs, "y", "a").set_index("configuration")
    assert out.at["b", "diff_mean"] == pytest.approx(0.5)  # seed 3 has no pair
    assert out.at["b", "n_pairs"] == 2
    assert out.at["a", "diff_mean"] == 0.0


def test_kaplan_meier_by_hand() -> None:
    # 100 spells: 50 end at 1 month, 25 at 2, 25 censored at 3 (still running after the
    # last month: they survived 2 exit draws, so they are at risk at 1 and 2, not 3).
    spells = pd.DataFrame(
        {
            "duration_months": [1, 2, 3],
            "outcome": ["job", "other", "censored"],
            "count": [50, 25, 25],
        }
    )
    km = kaplan_meier(spells).set_index("months")
    assert km.survival[0] == 1.0
    assert km.survival[1] == pytest.approx(0.5)  # 50 exits of 100 at risk
    assert km.survival[2] == pytest.approx(0.25)  # 25 of the 50 left
    assert km.at_risk[3] == 0 and km.survival[3] == pytest.approx(0.25)
    assert ltu_share(spells, 2) == pytest.approx(0.5)


def test_kaplan_meier_of_the_textbook_economy_is_geometric() -> None:
    """Against a direct computation: the textbook economy's spells are geometric with the
    urn-ball job-finding rate f, so S(t) = (1 - f)^t. A short window after burn-in leaves
    many spells censored (the case the risk set must get right). Tolerance: 4 Greenwood
    standard errors, plus 0.002 for the error in f (estimated from the mean stock)."""
    from sim.model import LabourMarket

    from .conftest import load_config, urn_ball_job_finding

    cfg = load_config(
        "population=textbook",
        "economy=homogeneous",
        "population.size=60000",
        "run.months=66",
        "run.burn_in=60",
    )
    model = LabourMarket(cfg)
    model.run()
    spells = model.spells()
    assert (spells.outcome == "censored").any()
    ts = model.timeseries()
    f = urn_ball_job_finding(0.5, ts[ts.month >= 50].n_unemployed.mean())
    km = kaplan_meier(spells).set_index("months")
    for t in range(1, 5):
        s = km.survival[t]
        exits = spells[spells.outcome != "censored"]
        d = np.bincount(exits.duration_months, weights=exits["count"], minlength=t + 1)
        n = km.at_risk.to_numpy()
        greenwood = s * np.sqrt(sum(d[j] / (n[j] * (n[j] - d[j])) for j in range(1, t + 1)))
        assert abs(s - (1 - f) ** t) < 4 * greenwood + 0.002, (t, s, (1 - f) ** t)


def test_pooled_difference_by_hand_and_numeric_order() -> None:
    from dashboards.stats import pooled_difference
    from dashboards.views.common import sort_values

    runs = pd.DataFrame(
        {
            "seed": [1, 1, 1, 2, 2, 2, 3, 3, 3],
            "replicate": [0] * 9,
            "configuration": ["base", "a", "b"] * 3,
            "y": [1.0, 2.0, 4.0, 2.0, 2.0, 5.0, 0.0, 3.0, 3.0],
        }
    )
    # per seed, mean over a and b of (member - base): seed 1: (1 + 3) / 2 = 2, seed 2: 1.5,
    # seed 3: 3; mean 13/6, t interval with 2 degrees of freedom
    mean, lo, hi, n = pooled_difference(runs, "y", "base", ["a", "b"])
    x = np.array([2.0, 1.5, 3.0])
    half = 4.302652729911275 * x.std(ddof=1) / np.sqrt(3)
    assert n == 3 and mean == pytest.approx(13 / 6)
    assert (lo, hi) == pytest.approx((13 / 6 - half, 13 / 6 + half))
    assert sort_values(["6000", "500", "3000", "1500", "1000"]) == [
        "500",
        "1000",
        "1500",
        "3000",
        "6000",
    ]
    assert sort_values(["integration", "cooperation"]) == ["integration", "cooperation"]


def test_frontier_drops_only_configurations_beaten_beyond_noise() -> None:
    """c is beaten by b beyond noise (cheaper and better on every seed); a differs from b
    by noise only (b cheaper on two seeds of three, dearer on one), so a stays although
    its mean is dominated; d is dearer but better: it stays."""
    rows = []
    for seed, noise in ((1, 0.0), (2, 0.3), (3, -0.3)):
        for name, cost, effect in (
            ("a", 10.0 + noise, 1.0 - noise),
            ("b", 9.9 - noise, 1.05 + noise),
            ("c", 12.0 + 0.1 * seed, 0.0),
            ("d", 20.0, 3.0 + 0.1 * seed),
        ):
            rows.append((seed, 0, name, cost, effect))
    runs = pd.DataFrame(rows, columns=["seed", "replicate", "configuration", "cost", "y"])
    configs = ["a", "b", "c", "d"]
    assert frontier_beyond_noise(runs, "cost", "y", configs) == [0, 1, 3]
    # lower is better: the same numbers read as poverty make d the worst, beaten by a and b
    assert 3 not in frontier_beyond_noise(runs, "cost", "y", configs, effect_sign=-1.0)


# --- pages ------------------------------------------------------------------------------


def test_run_dashboard_is_self_contained_and_has_every_view(run_dir: Path, tmp_path: Path) -> None:
    out, views = build(run_dir, tmp_path / "run.html")
    html = out.read_text()
    assert [v.id for v in views] == list(VIEWS)
    for v in VIEWS:
        assert f'<section id="{v}"' in html
    # No external script, stylesheet or image: the browser test also checks no request.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)
    assert "Plotly.newPlot" in html and len(html) > 3_000_000  # plotly.js inlined
    figs = figures(html)
    for chart in ("sankey", "stocks", "timeseries", "survival", "ltu", "matrix-objectives"):
        assert chart in figs
    assert "calibration" in figs  # the default scenario defines targets
    # The comparison views explain why they are empty for one run.
    assert "needs a sweep" in html
    for fig in figs.values():
        layout = fig["layout"]
        assert layout["title"]["text"], "every chart has a title"
    assert html.count("<figcaption>") == len(figs)


def test_time_series_marks_shocks_and_reforms(run_dir: Path, tmp_path: Path) -> None:
    out, _ = build(run_dir, tmp_path / "run.html")
    layout = figures(out.read_text())["timeseries"]["layout"]
    notes = " ".join(a.get("text", "") for a in layout["annotations"])
    assert "shock m30: economy.demand_index=0.8" in notes
    assert "reform m36: policy.unemployment_insurance.max_duration_months=12" in notes
    bands = [s for s in layout["shapes"] if s["type"] == "rect" and s.get("x0") == 30]
    assert bands and bands[0]["x1"] == 42  # the shock lasts until demand recovers


def test_sweep_dashboard_compares_configurations(sweep_dir: Path, tmp_path: Path) -> None:
    out, views = build(sweep_dir, tmp_path / "sweep.html")
    figs = figures(out.read_text())
    for chart in ("headline", "cost-effectiveness", "matrix-functions", "distribution"):
        assert chart in figs
    results = load(sweep_dir)
    assert len(results.configurations) == 3
    # seeds are the luck the comparison pairs on, not a swept dimension
    assert results.dimensions == ["override.regime"]
    assert "Swept: Regime." in out.read_text()
    # Headline: 3 outcomes x (means, paired differences), one point per configuration.
    head = figs["headline"]["data"]
    assert len(head) == 6 and all(len(t["y"]) == 3 for t in head)
    # Aggregated before embedding: flows summed by year and averaged over seeds.
    data = next(v.data["sankey"] for v in views if "sankey" in v.data)
    raw = sum(len(pd.read_parquet(sweep_dir / r / "transitions.parquet")) for r in "012345")
    assert len(data["v"]) < raw / 2


def test_provenance_links_each_runs_config(sweep_dir: Path, tmp_path: Path) -> None:
    out, _ = build(sweep_dir, tmp_path / "deep" / "sweep.html")
    html = out.read_text()
    links = re.findall(r'<a href="([^"]+config\.yaml)">', html)
    assert len(links) == 6
    for link in links:
        assert not Path(link).is_absolute()
        assert (out.parent / link).resolve().exists()
    for run in "012345":
        manifest = json.loads((sweep_dir / run / "manifest.json").read_text())
        assert manifest["config_hash"][:12] in html


def test_failed_run_is_listed_and_left_out(sweep_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "sweep"
    shutil.copytree(sweep_dir, copy)
    summary = pd.read_parquet(copy / "summary.parquet")
    summary.loc[summary["run"] == "5", "status"] = "failed"
    summary.loc[summary["run"] == "5", "error"] = "boom <b>"
    summary.to_parquet(copy / "summary.parquet")
    out, _ = build(copy, tmp_path / "sweep.html")
    html = out.read_text()
    assert "5 of 6 runs complete" in html
    assert "boom &lt;b&gt;" in html
    assert len(load(copy).complete) == 5


def test_names_from_configs_are_escaped(sweep_dir: Path, tmp_path: Path) -> None:
    hostile = hostile_copy(sweep_dir, tmp_path / "hostile")
    out, _ = build(hostile, tmp_path / "hostile.html")
    html = out.read_text()
    assert XSS not in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text in tables


def _strings(obj: object) -> list[str]:
    """Every string in a figure's JSON (trace names, labels, titles, hover data)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for v in obj.values() for s in _strings(v)]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def test_differences_whose_interval_contains_zero_are_grey(sweep_dir: Path, tmp_path: Path) -> None:
    """Every paired difference in the headline is coloured as an effect only when its 95%
    interval excludes zero; otherwise it is grey, hollow and says so on hover."""
    from dashboards.style import HEADLINE, NEUTRAL
    from dashboards.views.common import compare

    out, _ = build(sweep_dir, tmp_path / "sig.html")
    head = figures(out.read_text())["headline"]["data"]
    results = load(sweep_dir)
    greys = 0
    for k, outcome in enumerate(HEADLINE):
        diff = head[2 * k + 1]
        df = compare(results, outcome.key)
        for i, row in enumerate(df.itertuples()):
            if row.configuration == results.baseline:
                continue
            contains_zero = not (row.diff_ci_low > 0 or row.diff_ci_high < 0)
            assert (diff["marker"]["color"][i] == NEUTRAL) == contains_zero, (outcome.key, row)
            assert ("no detectable difference" in diff["customdata"][i][1]) == contains_zero
            greys += contains_zero
    assert greys > 0  # two seeds: some intervals must contain zero, or the test is idle


def test_alignment_matrix_greys_noise_and_says_when_functions_cannot_be_separated(
    sweep_dir: Path, tmp_path: Path
) -> None:
    """The regime presets set all three functions together: the view says so and names
    the preset that can separate them. Cells whose interval contains zero, or whose size is
    below the practical threshold, are not coloured; the scale is symmetric, saturates at
    no less than 4x the threshold, and the threshold is stated on the chart."""
    from dashboards.__main__ import main as dash

    out = tmp_path / "m.html"
    assert dash([str(sweep_dir), "-o", str(out), "--practical-pp", "0.5"]) == 0
    html_text = out.read_text()
    assert "cannot separate the functions" in html_text and "sweep=alignment_matrix" in html_text
    heat = figures(html_text)["matrix-functions"]
    trace = heat["data"][0]
    assert trace["zmin"] == -trace["zmax"] and trace["zmax"] >= 4 * 0.5
    assert "0.5 pp" in trace["colorbar"]["title"]["text"]
    z = trace["z"]
    if isinstance(z, dict):  # plotly's typed-array encoding of a numpy array
        import base64

        z = np.frombuffer(base64.b64decode(z["bdata"]), z["dtype"]).reshape(3, 3)
    for zrow, trow in zip(np.asarray(z, dtype=float), trace["text"], strict=True):
        for value, t in zip(zrow, trow, strict=True):
            grey = "no detectable difference" in t or "below 0.5 pp" in t or t == "the baseline"
            assert np.isnan(value) == grey, (value, t)
    assert dash([str(sweep_dir), "-o", str(out), "--practical-pp", "-1"]) == 2


def test_names_are_escaped_for_their_context(sweep_dir: Path, tmp_path: Path) -> None:
    """Issue 15: HTML-escaped text went into Plotly, which does not decode ``&quot;``, so
    a ``"`` showed as ``&quot;`` in legends, titles and hover labels. Plotly gets text with
    only ``& < >`` escaped (which it decodes); the HTML gets HTML escaping."""
    name = 'say "hi" & <b>bye</b>'
    hostile = hostile_copy(sweep_dir, tmp_path / "quoted", name)
    out, _ = build(hostile, tmp_path / "quoted.html")
    html = out.read_text()
    plotly = 'say "hi" &amp; &lt;b&gt;bye&lt;/b&gt;'
    texts = [s for fig in figures(html).values() for s in _strings(fig)]
    assert not [t for t in texts if "&quot;" in t or "&#x27;" in t], "HTML escaping in Plotly text"
    assert any(plotly in t for t in texts)  # legends, axes, hover
    sankey = json.loads(
        re.search(
            r'<script type="application/json" id="dash-data">(.*?)</script>', html, re.S
        ).group(1)
    )["sankey"]["configs"]
    assert any(plotly in c for c in sankey)  # the names in the Sankey's title
    assert "<b>bye" not in html  # nowhere raw in the page
    assert "say &quot;hi&quot; &amp; &lt;b&gt;bye&lt;/b&gt;" in html  # HTML tables, options


def test_cli_writes_and_reports(run_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "d.html"
    assert main([str(run_dir), "-o", str(out)]) == 0
    assert out.exists() and str(out) in capsys.readouterr().out


def test_cli_rejects_unaggregated_sweep(sweep_dir: Path, tmp_path: Path, capsys) -> None:
    copy = tmp_path / "raw"
    shutil.copytree(sweep_dir, copy)
    (copy / "summary.parquet").unlink()
    assert main([str(copy)]) == 2
    assert "sim.aggregate" in capsys.readouterr().err
    with pytest.raises(ResultsError):
        load(tmp_path / "nothing")


# --- plain language (issue 13) ------------------------------------------------------------
def _section(html: str, view: str) -> str:
    m = re.search(rf'<section id="{view}" class="view">(.*?)</section>', html, re.S)
    assert m, f"no section {view}"
    return m.group(1)


def test_what_this_shows_states_the_setting_regimes_and_findings(
    sweep_dir: Path, tmp_path: Path
) -> None:
    from sim import glossary

    out, views = build(sweep_dir, tmp_path / "sweep.html")
    assert views[0].id == "overview"
    text = _section(out.read_text(), "overview")
    assert "Population: 3,000 simulated people aged 15 and over" in text
    assert "each run on 2 seeds" in text and "months per run" in text
    assert "economy mid_income" in text
    for one, two in glossary.REGIMES.values():
        assert esc(one) in text and esc(two) in text
    assert "Regime: integration" in text and "<code>regime=integration</code>" in text
    findings = re.findall(r"<li>(.*?)</li>", text.split('id="findings">')[1].split("</ul>")[0])
    assert 3 <= len(findings) <= 6
    for sentence in findings[:3]:  # poverty, placement, cost: each with its interval
        assert "95% CI" in sentence


def test_findings_say_plainly_when_nothing_differs(sweep_dir: Path, tmp_path: Path) -> None:
    same = synthetic_sweep(sweep_dir, tmp_path / "same", MIXES, spread=0.0)
    out, _ = build(same, tmp_path / "same.html")
    text = _section(out.read_text(), "overview")
    findings = text.split('id="findings">')[1]
    assert findings.count("no configuration differs detectably from the baseline") == 3
    assert "none can be called more efficient" in findings
    # One seed per configuration: no interval, and the findings say so rather than
    # claiming that every interval contains zero.
    single = synthetic_sweep(sweep_dir, tmp_path / "single", BUDGETS, seeds=1)
    out, _ = build(single, tmp_path / "single.html")
    findings = _section(out.read_text(), "overview").split('id="findings">')[1]
    assert findings.count("with one seed per configuration there is no interval") == 3


def test_money_per_person_of_working_age_and_share_of_gdp(sweep_dir: Path, tmp_path: Path) -> None:
    sweep = synthetic_sweep(sweep_dir, tmp_path / "gdp", BUDGETS)
    summary = pd.read_parquet(sweep / "summary.parquet")
    summary["gdp_per_month"] = summary["spend_total"] * 40.0  # spending is 2.5% of GDP
    summary.to_parquet(sweep / "summary.parquet")
    results = load(sweep)
    base = summary[summary["configuration"] == results.baseline]
    per_person = (base["spend_total"].mean()) / base["population_working_age"].mean()
    out, _ = build(sweep, tmp_path / "gdp.html")
    html = out.read_text()
    overview = _section(html, "overview")
    assert f"{per_person:,.2f} per person of working age, or 2.50% of GDP" in overview
    key = _section(html, "cost").split('id="cost-key"')[1]
    assert key.count("<td>2.50%</td>") == 10  # every configuration's share of GDP


def test_calibration_shows_rates_as_percentages(sweep_dir: Path, tmp_path: Path) -> None:
    out, _ = build(sweep_dir, tmp_path / "sweep.html")
    text = _section(out.read_text(), "provenance")
    # targets/mid_income: unemployment 5% +- 1.5 points (0.05 +- 0.015 in summary.json)
    assert "<td>Unemployment rate</td><td>5.0%</td>" in text
    assert "<td>± 1.5 pp</td>" in text
    assert "<td>0.05</td>" not in text
