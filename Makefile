# Summary Care Record investigation suite. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# axe-core for the browser tests, from the npm registry at the version and hash in tests/browser/package-lock.json
AXE := tests/browser/node_modules/axe-core/axe.min.js
PARAMS ?= params/pulse_2010.yaml

.DEFAULT_GOAL := help

$(INSTALLED): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), f"Python 3.11 is needed, found {sys.version.split()[0]}"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name scr --display-name "Python 3 (SCR investigation)"
	touch $@

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else \
	  echo "npm not found: the browser tests' accessibility checks will skip (apt-get install nodejs npm)"; \
	fi

## install: create .venv from the pinned dependencies and install axe-core with npm ci (the other targets do this when needed)
.PHONY: install
install: $(INSTALLED) $(AXE)

## story: run every notebook on the bundled data; writes build/pulse_2010/ (results.json, site/index.html)
.PHONY: story
story: $(INSTALLED)
	$(BIN)/scr run $(PARAMS)

## test: the whole suite: unit tests, papermill runs, nbval on the committed notebooks, JupyterLab, browser
.PHONY: test
test: $(INSTALLED) $(AXE)
	$(BIN)/pytest --nbval --nbval-kernel-name python3 tests notebooks

## test-fast: the tests that start no kernel or browser (unit tests, corpus, guards), in seconds
.PHONY: test-fast
# PYTHONDONTWRITEBYTECODE is cleared so that pytest keeps its rewritten test modules and Python its bytecode
# in __pycache__ (ignored by git): where the shell sets it, every run would compile them again, about 2-3 s
test-fast: $(INSTALLED)
	SCR_TEST_FAST=1 PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -q -p no:nbval -m "not slow and not browser" tests

## bench: time `scr run` (cold, no-op, after a prose edit) against a `jupyter nbconvert` loop; prints the figures
.PHONY: bench
bench: $(INSTALLED)
	$(BIN)/python benchmarks/bench.py

## bench-site: page weight and time to first chart of the story pages in headless Chromium (prints figures)
.PHONY: bench-site
bench-site: $(INSTALLED)
	$(BIN)/python benchmarks/site_benchmark.py

## bench-areas: the area pages' five figures (cold run, what they add, one area's row changed, no-op, page weight)
.PHONY: bench-areas
bench-areas: $(INSTALLED)
	$(BIN)/python benchmarks/areas_benchmark.py

## bench-draft: time `scr draft` on a 2,000-word draft against its 1 s target (prints figures)
.PHONY: bench-draft
bench-draft: $(INSTALLED)
	$(BIN)/python benchmarks/draft_benchmark.py

## bench-params: time and peak memory of refusing hostile params files (YAML aliases, deep nesting, 50 MB)
.PHONY: bench-params
bench-params: $(INSTALLED)
	$(BIN)/python benchmarks/params_limits.py

## bench-read: time and peak memory of `scr check` on far cells, sheets of spaces that misstate their size, blank rows, a zip bomb and 100,000-row files (prints figures)
.PHONY: bench-read
bench-read: $(INSTALLED)
	$(BIN)/python benchmarks/read_limits.py

## lab: open JupyterLab on the notebooks with the project's kernel
.PHONY: lab
lab: $(INSTALLED)
	$(BIN)/jupyter lab --notebook-dir=notebooks

## notebooks: re-execute the committed notebooks in place (after changing them or scr_lib)
.PHONY: notebooks
notebooks: $(INSTALLED)
	$(BIN)/python scripts/execute_notebooks.py

## data: regenerate data/foi_2010/foi_returns_2010.csv (seeded), the follow-up example and tests/corpus/
.PHONY: data
data: $(INSTALLED)
	$(BIN)/python -m tools.synth
	$(BIN)/python -m tools.examples
	$(BIN)/python tests/corpus/make_corpus.py

## example: run the worked example (params/followup_2011.yaml, compared with the bundled run) into build/followup_2011/
.PHONY: example
example: story
	$(BIN)/scr run params/followup_2011.yaml

## lock: re-pin every transitive dependency into requirements.lock from the current .venv
.PHONY: lock
lock: $(INSTALLED)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^scr-investigation' > requirements.lock

## clean: remove build/ (the virtual environment stays)
.PHONY: clean
clean:
	rm -rf build

## help: list the targets
.PHONY: help
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  make /' -e 's/: /\t/'
