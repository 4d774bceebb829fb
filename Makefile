# Two commands matter on a fresh machine: `make demo` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DCW_WAREHOUSE_PATH ?= $(CURDIR)/data/warehouse.duckdb
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home

.PHONY: install demo test lint ui clean

install: $(STAMP)

# Reinstall whenever pyproject.toml changes; the stamp keeps repeated runs instant.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/python -m dagster_project.demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check connectors dagster_project tests
	$(BIN)/ruff format --check connectors dagster_project tests

ui: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev  # reads [tool.dagster] in pyproject.toml

clean:
	rm -rf data/warehouse.duckdb data/warehouse.duckdb.wal data/published data/scorecards data/hr data/quality data/bench data/dagster_home
