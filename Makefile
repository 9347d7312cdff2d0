# Every target creates the virtual environment it needs, so that on a fresh
# machine with only python3, pip and npm, `make demo` and `make test` work.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv demo test lint typecheck regen update-spec sandbox bench clean

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

test: venv node_modules lint typecheck
	$(BIN)/pytest

lint: venv
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: venv
	$(BIN)/mypy

regen: venv
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/regen.sh

# Prism, the independent mock of the contract tests, pinned in package-lock.json.
node_modules: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Rebuild openapi.yaml from a full Shippo OpenAPI document, re-apply
# spec/corrections.overlay.yaml, regenerate and print the API change.
UPSTREAM ?= ../shared/upstream/shippo-public-api-2024-06-24.yaml

update-spec: venv
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python scripts/update_spec.py $(UPSTREAM)

sandbox: venv
	$(BIN)/shippo-track sandbox --port 8765

# Benchmarks (not part of `make test`): per-call time against raw httpx and the
# official SDK, async throughput, import and parse time, then the CLI batch run.
# They rewrite the tables in docs/benchmarks.md; about 6 minutes on 2 cores.
bench: venv
	cd bench && ../$(BIN)/python run.py
	cd bench && ../$(BIN)/python batch_bench.py --memory-rows 10000

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
