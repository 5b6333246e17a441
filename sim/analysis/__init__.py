"""Analysis commands: they run or read simulations and judge them (comparative statics,
displacement, the Beveridge curve). ``python -m sim.analysis.statics --help``."""
