"""``python -m sim.sensitivity [overrides] params=[...] outcomes=[...]``: Morris screening
or Sobol indices with SALib, its runs a sweep (``sim.analysis.sensitivity``)."""

from .analysis.sensitivity import main

if __name__ == "__main__":
    raise SystemExit(main())
