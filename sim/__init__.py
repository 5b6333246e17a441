"""Agent-based simulation of labour-market transitions under aligned income support and ALMPs."""

__version__ = "0.1.0"
