"""Colours, outcome metadata and text escaping shared by every view.

One place decides how an outcome is labelled, which direction is better and how a name
from a config is made safe, so the eight views read alike.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

from sim import glossary

# Okabe-Ito: distinguishable under the common colour-vision deficiencies.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
GAIN = "#0072B2"
LOSS = "#D55E00"
NEUTRAL = "#999999"
FRONTIER = "#D55E00"
# Diverging and sequential scales that stay readable for colour-blind readers.
DIVERGING = "RdBu"
SEQUENTIAL = "Cividis"

STATES = ("formal", "informal", "unemployed", "training", "public_works", "inactive", "retired")
STATE_COLOURS = {
    "formal": "#0072B2",
    "informal": "#E69F00",
    "unemployed": "#D55E00",
    "training": "#009E73",
    "public_works": "#CC79A7",
    "inactive": "#999999",
    "retired": "#56B4E9",
    "entry": "#F0E442",
    "exit": "#000000",
}
LIFE_STAGES = ("youth", "prime", "older", "pension")
SEXES = ("male", "female")
MONEY = glossary.MONEY
Outcome = glossary.Term


def colour(i: int) -> str:
    """The i-th categorical colour (cycles after eight)."""
    return OKABE_ITO[i % len(OKABE_ITO)]


def esc(value: object) -> str:
    """A name from a config made safe as HTML text or an HTML attribute value (tables,
    headings, ``<option>``). Not for Plotly: see ``plot_text``."""
    return html.escape(str(value), quote=True)


def plot_text(value: object) -> str:
    """A name from a config as Plotly label text (legends, axes, titles, hover, Sankey).

    Plotly draws labels as SVG text, not HTML: it reads a few tags of its own (``<b>``,
    ``<br>``, ``<a>``...) and decodes only the entities ``&amp;``, ``&lt;``, ``&gt;`` (and
    numeric ones), not ``&quot;``. So only ``&``, ``<`` and ``>`` are escaped: a ``"``
    shows as ``"``, and ``<script>`` or ``<b>`` shows literally, as typed.
    """
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Practical:
    """The smallest difference worth reporting (practical significance): rates in
    percentage points, money as a percentage of the baseline's level. Set with
    ``python -m dashboards --practical-pp X --practical-money-pct Y``."""

    pp: float = 0.1
    money_pct: float = 1.0

    def text(self, outcome: Outcome) -> str:
        if outcome.is_rate:
            return f"{self.pp:g} pp"
        if outcome.is_money:
            return f"{self.money_pct:g}% of the baseline"
        return "none"

    def threshold(self, outcome: Outcome, baseline_level: float) -> float:
        """The threshold in display units (0 when none applies); ``baseline_level`` is the
        baseline's mean in display units."""
        if outcome.is_rate:
            return self.pp
        if outcome.is_money and math.isfinite(baseline_level):
            return abs(baseline_level) * self.money_pct / 100.0
        return 0.0


# Outcomes are named, scaled and ranked by the glossary the terminal tables use too.
POVERTY = glossary.outcome("poverty_headcount")
PLACEMENT = glossary.outcome("placement_rate_6m")
COST = glossary.outcome("spend_total")
PLACEMENTS = glossary.outcome("placements_per_month")
HEADLINE = (POVERTY, PLACEMENT, COST)
