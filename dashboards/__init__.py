"""Planner dashboards: self-contained Plotly HTML built from run and sweep directories only
(never from model internals)."""
