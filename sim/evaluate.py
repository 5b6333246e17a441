"""``python -m sim.evaluate programme=NAME [overrides]``: the in-model randomised evaluation
of one programme (``sim.analysis.evaluate``; the trial itself is ``sim.trial``)."""

from .analysis.evaluate import main

if __name__ == "__main__":
    main()
