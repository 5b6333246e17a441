"""``python -m sim.check RUN_OR_SWEEP_DIR``: runs against their calibration targets
(``sim.analysis.check``)."""

from .analysis.check import main

if __name__ == "__main__":
    raise SystemExit(main())
