# `make` sets up .venv and builds the edition; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all build test test-tools bench assets clean

all: build

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

assets: $(STAMP)
	@if [ -f package.json ]; then $(MAKE) --no-print-directory node_modules/.stamp; fi
	$(BIN)/python -m edition.render.vendor

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build: $(STAMP) assets
	$(BIN)/edition build

test-tools:
	bash tests/install-tools.sh

test: $(STAMP) assets test-tools
	$(BIN)/python -m pytest -q

bench: $(STAMP) assets
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	bash bench/install-tools.sh
	$(BIN)/python bench/run.py

clean:
	rm -rf build dist
