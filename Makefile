# Two commands set up everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test test-slow test-all lint bench bench-sweep install clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (or make PYTHON=python3)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The three regime presets x 5 replicates at 100,000 workers x 660 months (about 3 minutes on
# 2 cores), a fresh sweep each time; then the planners' dashboard of that sweep.
demo: $(STAMP)
	rm -rf results/demo
	$(PY) -m sim -m sweep=regimes hydra.sweep.dir=results/demo
	$(PY) -m dashboards results/demo -o results/demo/dashboard.html

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -m "not slow"

test-slow: $(STAMP)
	$(PY) -m pytest -q -m slow

test-all: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(STAMP)
	$(PY) -m benchmarks.engine

bench-sweep: $(STAMP)
	$(PY) -m benchmarks.sweep

clean:
	rm -rf $(VENV) build *.egg-info
