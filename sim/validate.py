"""``python -m sim.validate [overrides]``: the evidence suite in one command, written to
``validation.md`` (``sim.analysis.validate``)."""

from .analysis.validate import main

if __name__ == "__main__":
    raise SystemExit(main())
