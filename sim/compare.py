"""``python -m sim.compare A B``: see ``sim.analysis.compare``."""

from .analysis.compare import main

if __name__ == "__main__":
    raise SystemExit(main())
