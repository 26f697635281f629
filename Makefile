# Two commands on a fresh machine: `make serve` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# the data folder of `make serve` (store, accounts, secret key): var/ in this checkout
DATA ?= var

.PHONY: serve test lint install chromium virtuoso reference demo clean

$(VENV)/.installed-app: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed-app $@

install: $(VENV)/.installed-app

## chromium: Debian's Chromium for the browser tests (Playwright drives it; it downloads nothing)
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

## virtuoso: Debian's OpenLink Virtuoso for the remote-store tests (they start and stop it
## themselves). Where apt-get cannot install it those tests are skipped, loudly; never in CI.
virtuoso:
	@command -v virtuoso-t >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  { $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends virtuoso-opensource-7-bin >/dev/null; } \
	  || { echo "WARNING: could not install Virtuoso (virtuoso-opensource-7-bin); its tests are skipped (in CI they fail)" >&2; \
	       [ -z "$${CI:-}" ]; }; }

## serve: load ontology, reference and demo data into $(DATA)/store on first run, then serve on :5000
serve: $(VENV)/.installed-app
	$(BIN)/cop-graph --data $(DATA) init --if-empty
	$(BIN)/cop-graph --data $(DATA) serve

## test: lint, audit the dependencies for known vulnerabilities (skipped, in one line, where the
## advisory source cannot be reached) and run every test (unit, doctests, remote-store tests
## against local Oxigraph and Virtuoso servers)
test: $(VENV)/.installed-test chromium virtuoso
	$(BIN)/ruff check .
	$(BIN)/python scripts/audit_dependencies.py
	$(BIN)/pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## reference: regenerate data/reference/ from data/sources/gm/
reference: $(VENV)/.installed-test
	$(BIN)/python scripts/build_reference.py

## demo: regenerate data/demo/ (illustrative data)
demo: $(VENV)/.installed-test
	$(BIN)/python scripts/build_demo.py

clean:
	rm -rf $(VENV) var build dist *.egg-info
