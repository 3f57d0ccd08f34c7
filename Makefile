# Two commands do everything on a fresh Linux machine: `make run` and `make test`.
# Each creates .venv at the repo root and installs what it needs the first time, and
# again whenever pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-postgresql bench lint format screenshot clean

run: $(RUN_STAMP)
	$(BIN)/deployment-tokens

test: $(TEST_STAMP) lint
	$(BIN)/python -m pytest

# The whole suite again, against a throwaway PostgreSQL cluster on loopback that is
# started before and removed after (needs Debian's postgresql package; .ci/run installs it).
test-postgresql: $(TEST_STAMP)
	$(BIN)/python -m tests.postgresql_cluster run -- $(BIN)/python -m pytest --backend=postgresql

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Every benchmark figure against its floor, written to BENCHMARKS.md (under ten minutes;
# the first run also builds the cached databases in benchmarks/.cache).
bench: $(RUN_STAMP)
	$(BIN)/python -m benchmarks

# The README's picture: the main window with sample data, rendered without a display.
screenshot: $(RUN_STAMP)
	$(BIN)/python scripts/screenshot.py

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[postgresql]'
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info benchmarks/.cache
