"""``python -m sim.calibrate [overrides] calibration.params=[...]``: the method of simulated
moments with Optuna (``sim.analysis.calibrate``)."""

from .analysis.calibrate import main

if __name__ == "__main__":
    main()
