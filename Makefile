# The two commands the README opens with: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit evals bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/translator translate examples/ --out out/

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

evals: $(STAMP)
	$(BIN)/translator eval segmentation
	$(BIN)/translator eval extraction
	$(BIN)/translator eval verifier
	$(BIN)/translator eval renderer

test: lint typecheck unit evals

# Speed benchmarks (not part of `make test`): needs the `bench` extra (the quantulum3 baseline); writes reports/benchmarks.*
$(VENV)/.bench-installed: pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python evals/benchmarks.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
