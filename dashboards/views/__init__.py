"""The eight dashboard views. Each module turns a :class:`~dashboards.load.Results` into a
:class:`View`: charts (Plotly figures with a caption), notes and safe HTML fragments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go


@dataclass
class Chart:
    """One figure with the sentence that tells a planner how to read it."""

    id: str
    figure: go.Figure
    caption: str
    controls: str = ""  # safe HTML (filters) placed above the figure


@dataclass
class View:
    """One numbered section of the page."""

    id: str
    title: str
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # plain text, escaped on output
    html: str = ""  # safe HTML (tables) placed after the charts
    data: dict[str, Any] = field(default_factory=dict)  # data for the page's scripts
