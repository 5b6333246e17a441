"""Dashboards in a real browser: Playwright drives the system Chromium (never a
downloaded one). Without Chromium these tests skip, unless ALMP_REQUIRE_BROWSER=1 (set by
.ci/run), where they fail."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboards.build import build
from dashboards.export import export, system_browser
from tests.dashboard_fixtures import (
    BUDGETS,
    MIXES,
    XSS,
    hostile_copy,
    shared_run,
    shared_sweep,
    synthetic_sweep,
)

REQUIRE = os.environ.get("ALMP_REQUIRE_BROWSER") == "1"
RUN_CHARTS = ("sankey", "stocks", "timeseries", "survival", "ltu", "matrix-objectives")
RUN_CHARTS += ("distribution", "calibration")
SWEEP_CHARTS = (*RUN_CHARTS, "headline", "cost-effectiveness", "matrix-functions")
SECTIONS = ("overview", "headline", "transitions", "timeseries", "spells", "cost", "alignment")
SECTIONS += ("distribution", "provenance")


VIEWPORT = 1300
# Every text of every chart, as Plotly drew it: titles (figure, subplot and axis titles,
# annotations) and tick labels (with their axis), boxed relative to the chart's <div>.
TEXT_BOXES = r"""(root) => {
  const out = [];
  document.querySelectorAll(root).forEach(div => {
    const d = div.getBoundingClientRect();
    div.querySelectorAll('text').forEach(t => {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || r.width === 0) { return; }
      const cls = t.getAttribute('class') || '';
      const parent = (t.parentNode.getAttribute && t.parentNode.getAttribute('class')) || '';
      let kind = null;
      if (cls === 'gtitle' || /^[xy].*title$/.test(cls) || cls === 'annotation-text') {
        kind = 'title';
      } else if (/^[xy]\d*tick$/.test(parent)) { kind = 'tick'; }
      if (!kind) { return; }
      const sub = t.closest('g.subplot');
      out.push({fig: div.id || root, kind: kind,
                axis: (sub ? sub.getAttribute('class') : '') + parent,
                text: t.textContent.slice(0, 50), left: r.left - d.left, top: r.top - d.top,
                right: r.right - d.left, bottom: r.bottom - d.top,
                width: d.width, height: d.height});
    });
  });
  return out;
}"""


def _overlap(a: dict, b: dict, tol: float = 1.0) -> bool:
    """Two boxes share more than ``tol`` pixels both ways (touching is fine)."""
    dx = min(a["right"], b["right"]) - max(a["left"], b["left"])
    dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return dx > tol and dy > tol


def layout_problems(page, root: str = ".plot") -> list[str]:
    """What a reader would see as broken: a label cut off at its chart's edge, two titles
    on top of each other, a title over tick labels, or tick labels of one axis overlapping
    (a squeezed category axis); and a page wider than the window. ``root`` selects the
    charts: the page's plot <div>s, or ``svg.main-svg`` for an exported SVG file."""
    boxes = page.evaluate(TEXT_BOXES, root)
    problems = []
    for b in boxes:
        if (
            b["left"] < -1
            or b["top"] < -1
            or b["right"] > b["width"] + 1
            or b["bottom"] > b["height"] + 1
        ):
            problems.append(f"clipped in {b['fig']}: {b['text']!r}")
    by_fig: dict[str, list[dict]] = {}
    for b in boxes:
        by_fig.setdefault(b["fig"], []).append(b)
    for fig, items in by_fig.items():
        titles = [b for b in items if b["kind"] == "title"]
        ticks = [b for b in items if b["kind"] == "tick"]
        for i, a in enumerate(titles):
            problems += [
                f"titles overlap in {fig}: {a['text']!r} / {b['text']!r}"
                for b in titles[i + 1 :] + ticks
                if _overlap(a, b)
            ]
        for i, a in enumerate(ticks):
            problems += [
                f"tick labels overlap in {fig}: {a['text']!r} / {b['text']!r}"
                for b in ticks[i + 1 :]
                if a["axis"] == b["axis"] and _overlap(a, b)
            ]
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > VIEWPORT:
        problems.append(f"the page is {width} px wide in a {VIEWPORT} px window")
    return problems


def _unavailable(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"ALMP_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = system_browser()
    if path is None or not Path(path).exists():
        _unavailable("no system Chromium (apt-get install chromium, or set BROWSER_PATH)")
    return str(path)


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp()


class Page:
    """A dashboard opened offline, with its console errors and any network request."""

    def __init__(self, browser, html: Path) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": VIEWPORT, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(html.resolve().as_uri())
        self.page.wait_for_selector("body[data-ready=true]", timeout=60_000)

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def rendered(self, chart: str) -> bool:
        loc = self.page.locator(f"#fig-{chart}.js-plotly-plot .main-svg")
        return loc.count() > 0

    def sankey_total(self) -> float:
        return self.page.evaluate(
            "() => document.getElementById('fig-sankey').data[0].link.value"
            ".reduce((a, b) => a + b, 0)"
        )


def _check_page(browser, html: Path, charts: tuple[str, ...], shot: Path) -> Page:
    page = Page(browser, html)
    assert page.errors == [], page.errors
    assert page.requests == [], f"the page fetched {page.requests}"
    for section in SECTIONS:
        assert page.page.locator(f"section#{section}").count() == 1
    missing = [c for c in charts if not page.rendered(c)]
    assert not missing, f"charts not rendered: {missing}"
    assert page.page.locator(".js-plotly-plot").count() >= len(charts)
    # A filter changes what is shown: restricting the Sankey to youth shrinks its flows.
    before = page.sankey_total()
    page.page.select_option("#sankey-life", label="youth")
    page.page.wait_for_function(
        "() => document.getElementById('fig-sankey').hasAttribute('data-total')"
    )
    after = page.sankey_total()
    assert 0 < after < before
    title = page.page.locator("#fig-sankey .gtitle").text_content()
    assert "youth" in title
    page.page.select_option("#sankey-life", label="all")
    assert page.sankey_total() == pytest.approx(before, rel=1e-6)
    page.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
    assert page.errors == [], page.errors
    assert layout_problems(page.page) == []
    return page


def test_the_layout_check_sees_clipped_and_overlapping_labels(browser, tmp_path: Path) -> None:
    """The check below can fail: a chart with long category labels on a narrow axis and
    two titles in one place is reported for each fault."""
    import plotly.graph_objects as go

    from dashboards import page as dashboard_page
    from dashboards.views import Chart, View

    names = [f"regime.eligibility=integration, regime.delivery={i}" for i in range(12)]
    fig = go.Figure(go.Bar(x=names, y=list(range(12))))
    fig.update_layout(
        title="A title", margin={"l": 0, "b": 20}, xaxis={"tickangle": 0, "title": "x"}
    )
    fig.add_annotation(text="A title too", x=0, y=1.12, xref="paper", yref="paper")
    cut = go.Figure(go.Bar(y=names[:3], x=[1, 2, 3], orientation="h"))
    cut.update_layout(margin={"l": 10}, yaxis={"automargin": False})
    view = View("headline", "t", charts=[Chart("bad", fig, ""), Chart("cut", cut, "")])
    html = tmp_path / "bad.html"
    html.write_text(dashboard_page.render("bad", [], [view]), encoding="utf-8")
    page = Page(browser, html)
    problems = layout_problems(page.page)
    assert any(p.startswith("tick labels overlap") for p in problems), problems
    assert any(p.startswith("clipped") for p in problems), problems
    assert any(p.startswith("titles overlap") for p in problems), problems


@pytest.mark.parametrize(
    ("name", "axes", "rows"),
    [
        ("mixes", MIXES, 27),
        ("budgets", BUDGETS, 10),
        (
            "mixes-by-duration",
            {**MIXES, "policy.unemployment_insurance.max_duration_months": ["6", "12", "24"]},
            81,
        ),
    ],
)
def test_layouts_hold_for_10_27_and_81_configurations(
    browser, base: Path, tmp_path: Path, name: str, axes: dict, rows: int
) -> None:
    """Issue 13: with 10 or 27 configurations no label is cut off, no title runs into
    another and no category axis is squeezed; swept numbers read in numeric order; 81
    configurations (27 mixes x 3 durations) still fit."""
    sweep = synthetic_sweep(shared_sweep(base), tmp_path / name, axes)
    out, _ = build(sweep, tmp_path / f"{name}.html")
    page = Page(browser, out)
    assert page.errors == [] and page.requests == []
    assert layout_problems(page.page) == []
    assert page.page.locator("#configurations tbody tr").count() == rows
    assert page.page.locator("#cost-key tbody tr").count() == rows
    findings = page.page.locator("#findings li").all_inner_texts()
    assert 3 <= len(findings) <= 6
    # The headline's configuration axis, top to bottom, as drawn.
    ticks = page.page.evaluate(
        "() => [...document.querySelectorAll('#fig-headline .subplot.xy .ytick text')]"
        ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)"
        ".map(t => t.textContent)"
    )
    assert len(ticks) == rows
    if name == "budgets":
        values = [float(t.split(": ")[1].split(" ")[0].replace(",", "")) for t in ticks]
        assert values == sorted(float(v) for v in BUDGETS[next(iter(BUDGETS))])
    elif name == "mixes":
        assert ticks[0] == "E coord · D coord · F coord (baseline)"  # the baseline first
        assert len(set(ticks)) == rows and all("=" not in t for t in ticks)
        assert "E int · D int · F int" in ticks


def test_run_dashboard_in_browser(browser, base: Path, tmp_path: Path) -> None:
    out, _ = build(shared_run(base), tmp_path / "run.html")
    page = _check_page(browser, out, RUN_CHARTS, tmp_path / "run.png")
    assert "needs a sweep" in page.page.locator("section#cost").inner_text()


def test_sweep_dashboard_in_browser(browser, base: Path, tmp_path: Path) -> None:
    out, _ = build(shared_sweep(base), tmp_path / "sweep.html")
    page = _check_page(browser, out, SWEEP_CHARTS, tmp_path / "sweep.png")
    # The configuration filter switches the Sankey to another configuration's flows.
    before = page.sankey_total()
    page.page.select_option("#sankey-config", index=2)
    assert page.sankey_total() != before
    # A plotly menu switches the survival curves to another group.
    page.page.locator("#fig-survival .updatemenu-header-group").click()
    page.page.locator("#fig-survival .updatemenu-item-text", has_text="youth").click()
    visible = page.page.evaluate(
        "() => document.getElementById('fig-survival').data.filter(t => t.visible === true).length"
    )
    assert visible == 3
    # The stocks' slider: a frame carries only bar lengths, and keeps names and hover.
    bars = (
        "() => { const d = document.getElementById('fig-stocks')._fullData[0];"
        " return [Array.from(d.x), d.customdata.length, d.orientation, d.name]; }"
    )
    first = page.page.evaluate(bars)
    last = page.page.evaluate(
        "() => { const f = document.getElementById('fig-stocks')._transitionData._frames;"
        " return f[f.length - 1].name; }"
    )
    page.page.evaluate(
        "(n) => Plotly.animate('fig-stocks', [n], {mode: 'immediate',"
        " frame: {duration: 0, redraw: true}, transition: {duration: 0}})",
        last,
    )
    page.page.wait_for_function(
        "(x0) => Array.from(document.getElementById('fig-stocks')._fullData[0].x)"
        ".some((v, i) => v !== x0[i])",
        arg=first[0],
    )
    moved = page.page.evaluate(bars)
    assert moved[1:] == first[1:] == [3, "h", "formal"]
    assert page.errors == []


def test_script_names_show_as_text(browser, base: Path, tmp_path: Path) -> None:
    hostile = hostile_copy(shared_sweep(base), tmp_path / "hostile")
    out, _ = build(hostile, tmp_path / "hostile.html")
    page = Page(browser, out)
    assert page.dialogs == [] and page.errors == []
    assert XSS in page.page.locator("#provenance-table").inner_text()
    assert XSS in page.page.locator("#fig-headline").text_content()  # chart labels too
    options = page.page.locator("#sankey-config option").all_text_contents()
    assert XSS in options
    page.page.select_option("#sankey-config", label=XSS)
    assert XSS in page.page.locator("#fig-sankey .gtitle").text_content()
    assert page.dialogs == [] and page.errors == []


def test_quotes_and_tags_in_names_show_as_typed(browser, base: Path, tmp_path: Path) -> None:
    """Issue 15: a ``"`` in a name showed as ``&quot;`` in the charts (HTML escaping fed to
    Plotly); now legends, axes and the Sankey title show the name exactly as typed."""
    name = 'say "hi" & <b>bye</b>'
    quoted = hostile_copy(shared_sweep(base), tmp_path / "quoted", name)
    out, _ = build(quoted, tmp_path / "quoted.html")
    page = Page(browser, out)
    assert page.dialogs == [] and page.errors == []
    shown = page.page.locator("#fig-headline").text_content()
    assert name in shown and "&quot;" not in shown
    assert name in page.page.locator("#provenance-table").inner_text()
    page.page.select_option("#sankey-config", label=name)
    title = page.page.locator("#fig-sankey .gtitle").text_content()
    assert name in title and "&quot;" not in title and "&amp;" not in title


def test_export_png_and_svg_through_kaleido(chromium: str, base: Path, tmp_path: Path) -> None:
    if not REQUIRE:
        pytest.importorskip("kaleido")
    _, views = build(shared_run(base), tmp_path / "run.html")
    charts = [c for v in views for c in v.charts]
    files = export(charts, tmp_path / "png")
    assert len(files) == 2 * len(charts)
    for f in files:
        data = f.read_bytes()
        if f.suffix == ".png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
        else:
            assert b"<svg" in data[:2000]
    assert shutil.which("chromium") or os.environ.get("BROWSER_PATH")


def test_exported_figures_are_not_clipped(
    chromium: str, browser, base: Path, tmp_path: Path
) -> None:
    """Issue 13: the demo clipped "gime=cooperation" in --export-png too. The exported SVG
    of each crowded chart of a 27-configuration sweep (the PNG is the same drawing) is
    opened in the browser and given the page's layout check."""
    if not REQUIRE:
        pytest.importorskip("kaleido")
    sweep = synthetic_sweep(shared_sweep(base), tmp_path / "mixes", MIXES)
    _, views = build(sweep, tmp_path / "mixes.html")
    crowded = ("headline", "dimension-effects", "stocks", "cost-effectiveness", "calibration")
    charts = [c for v in views for c in v.charts if c.id in crowded]
    assert len(charts) == len(crowded)
    files = export(charts, tmp_path / "svg", formats=("svg",))
    page = browser.new_page(viewport={"width": VIEWPORT, "height": 900})
    for f in files:
        page.goto(f.resolve().as_uri())
        assert len(page.evaluate(TEXT_BOXES, "svg.main-svg")) > 10, f"no labels found in {f}"
        problems = [p for p in layout_problems(page, "svg.main-svg") if "page is" not in p]
        assert problems == [], (f.name, problems)
    page.close()


def test_evaluation_page_in_browser(browser, tmp_path: Path) -> None:
    """The page of ``python -m sim.evaluate`` opens offline, draws every profile, switches
    group from its menu, and nothing on it is clipped or overlaps."""
    from sim.analysis.evaluate import Options, evaluate
    from sim.config import load

    cfg = load("population.size=8000", "run.months=240", "run.burn_in=180")
    evaluate(cfg, Options("job_search", horizon=36, jobs=1), tmp_path)
    page = Page(browser, tmp_path / "evaluation.html")
    assert page.errors == [], page.errors
    assert page.requests == [], f"the page fetched {page.requests}"
    charts = (
        "employed",
        "formal",
        "earnings",
        "benefit_receipt",
        "in_programme",
        "other_programme",
    )
    missing = [c for c in charts if not page.rendered(f"evaluation-{c}")]
    assert not missing, f"charts not rendered: {missing}"
    assert layout_problems(page.page) == []
    shot = tmp_path / "evaluation.png"
    page.page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 50_000
