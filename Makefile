# Two commands do everything on a fresh Debian machine: `make run` and `make test`.
# Each installs the Debian packages it needs and lacks (scripts/install_system_packages.py,
# with sudo when not root), creates .venv at the repo root and installs what it needs the
# first time, and again whenever pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Written last when the venv was made: a venv whose creation failed half-way is never
# trusted, it is made again.
VENV_READY := $(VENV)/.ready
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
SYSTEM_PACKAGES := PYTHON=$(PYTHON) $(PYTHON) scripts/install_system_packages.py
# The desktop app's Qt Linguist catalogs, and the .qm files Qt loads, compiled from them
# (never committed): the source tree's for make run and make test, the wheel's by the build
# (setup.py).
TRANSLATIONS := resources/translations
TS_FILES := $(wildcard $(TRANSLATIONS)/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)
# The sources lupdate reads: ui/ alone (app/ stays English, the command line's contract).
UI_SOURCES = $(shell find ui -name '*.py' | sort)
LUPDATE = $(BIN)/pyside6-lupdate $(UI_SOURCES) -no-obsolete -locations none -source-language en
# The fresh Debian releases `make test-fresh` proves the two commands on.
FRESH_SUITES ?= bookworm trixie

.PHONY: run test test-postgresql test-fresh dist bench lint format screenshot translations clean \
	system-run system-test system-postgresql system-fresh system-bench

run: system-run $(RUN_STAMP) $(QM_FILES)
	$(BIN)/deployment-tokens

# On every core (pytest-xdist). The PostgreSQL pass below stays in one process: its
# databases are named by a counter of the test process.
test: system-test $(TEST_STAMP) $(QM_FILES) lint
	$(BIN)/python -m pytest -n auto

# The whole suite again, against a throwaway PostgreSQL cluster on loopback that is
# started before and removed after (from Debian's postgresql package).
test-postgresql: system-test system-postgresql $(TEST_STAMP) $(QM_FILES)
	$(BIN)/python -m devtools.postgresql_cluster run -- $(BIN)/python -m pytest --backend=postgresql

# The README's two commands on a freshly built minimal Debian of each release in
# FRESH_SUITES, run as a user with sudo (needs root and the package registries; several
# minutes the first time, which builds the cached base system).
test-fresh: system-fresh
	bash scripts/test_fresh.sh $(FRESH_SUITES)

# A wheel and an sdist in dist/, with the icons and the .desktop file inside.
dist: $(TEST_STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Every benchmark figure against its floor, written to BENCHMARKS.md (under ten minutes;
# the first run also builds the cached databases in benchmarks/.cache).
bench: system-run system-postgresql system-bench $(TEST_STAMP)
	$(BIN)/python -m benchmarks

# The README's pictures: the main window with sample data and the Rotate… dialog,
# rendered without a display.
screenshot: system-run $(RUN_STAMP) $(QM_FILES)
	$(BIN)/python scripts/screenshot.py

# Bring the catalogs up to date with ui/'s texts, for a translator to finish in Qt Linguist
# ($(BIN)/pyside6-linguist): new texts come in unfinished, texts gone from the code go.
# The English catalog holds the plural forms only. A new language: add an empty
# $(TRANSLATIONS)/deployment_tokens_<language>.ts (see README, "Languages"), run this.
translations: $(RUN_STAMP)
	@for ts in $(filter-out %_en.ts,$(TS_FILES)); do \
		language=$${ts##*_}; $(LUPDATE) -target-language $${language%.ts} -ts $$ts || exit 1; \
	done
	$(LUPDATE) -pluralonly -target-language en -ts $(TRANSLATIONS)/deployment_tokens_en.ts

# A catalog compiled when missing or older than its .ts.
$(TRANSLATIONS)/%.qm: $(TRANSLATIONS)/%.ts | $(RUN_STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

format: $(TEST_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

system-run:
	@$(SYSTEM_PACKAGES) run
system-test:
	@$(SYSTEM_PACKAGES) run test
system-postgresql:
	@$(SYSTEM_PACKAGES) postgresql
system-fresh:
	@$(SYSTEM_PACKAGES) fresh
system-bench:
	@$(SYSTEM_PACKAGES) bench

$(VENV_READY):
	@$(SYSTEM_PACKAGES) venv
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet --upgrade pip \
		|| { status=$$?; rm -rf $(VENV); exit $$status; }
	touch $@

$(RUN_STAMP): pyproject.toml | $(VENV_READY)
	$(BIN)/python -m pip install --quiet -e '.[postgresql]'
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV_READY)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(RUN_STAMP)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info build dist benchmarks/.cache \
		$(QM_FILES)
