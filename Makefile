# Every target creates the virtual environment it needs, so that on a fresh
# machine with only python3, pip and npm, `make demo` and `make test` work.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test lint typecheck regen sandbox clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# The main job: track every Shippo test number through the CLI, and run the
# documented Python examples, against an in-process sandbox.
demo: venv
	$(BIN)/python examples/demo.py

test: venv lint typecheck
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: venv
	$(BIN)/mypy

regen: venv
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/regen.sh

sandbox: venv
	$(BIN)/shippo-track sandbox --port 8765

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
