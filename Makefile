# Two commands matter on a fresh machine: `make demo` and `make test`. Both install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DCW_WAREHOUSE_PATH ?= $(CURDIR)/data/warehouse.duckdb
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
export PATH := $(CURDIR)/$(BIN):$(PATH)
MANIFEST := dbt_project/target/manifest.json
# The instance settings (one run at a time: see dagster_project/dagster.yaml), installed into
# $(DAGSTER_HOME) whenever the installed copy differs (an older checkout left an empty one there).
INSTANCE := $(DAGSTER_HOME)/dagster.yaml
DBT_FILES := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds dbt_project/tests -type f 2>/dev/null) dbt_project/dbt_project.yml

.PHONY: install demo test lint ui clean bench instance

SCALE ?= s

install: $(STAMP)

# Reinstall whenever pyproject.toml changes; the stamp keeps repeated runs instant.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The dbt manifest is parsed once here, not on every load of the Dagster definitions.
$(MANIFEST): $(STAMP) $(DBT_FILES)
	cd $(CURDIR) && $(BIN)/dagster-dbt project prepare-and-package --file dagster_project/project.py
	touch $(MANIFEST)

# Private when created: run logs hold the checks' observations, which can name employee ids.
instance:
	mkdir -p -m 700 $(DAGSTER_HOME)
	cmp -s dagster_project/dagster.yaml $(INSTANCE) || cp dagster_project/dagster.yaml $(INSTANCE)

# make demo DEFECTS=all|<kinds>: the same demo with defects planted, a developer's tool (devtools/).
demo: $(MANIFEST) instance
	$(BIN)/python -m $(if $(DEFECTS),devtools.planted_defects --defects $(DEFECTS),dagster_project.demo)

# Two workers, one per core; whole files stay on one worker so that a module's fixtures build once.
test: $(MANIFEST)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# make bench SCALE=s|m|l: extraction, dbt with its checks and publication, two baselines, an incremental run.
bench: $(MANIFEST)
	$(BIN)/python -m devtools.bench --scale $(SCALE)

# The SQL as dbt compiles it (dbt_project/.sqlfluff); dbt's templater opens a scratch database of its own.
lint: $(STAMP)
	$(BIN)/ruff check connectors dagster_project devtools simulator tests
	$(BIN)/ruff format --check connectors dagster_project devtools simulator tests
	mkdir -p data
	cd dbt_project && DCW_WAREHOUSE_PATH=$(CURDIR)/data/sqlfluff.duckdb $(CURDIR)/$(BIN)/sqlfluff lint models tests --processes 2

ui: $(MANIFEST) instance
	$(BIN)/dagster dev  # reads [tool.dagster] in pyproject.toml

clean:
	rm -rf data/warehouse.duckdb data/warehouse.duckdb.wal data/published data/scorecards data/hr data/quality data/logs data/bench data/dagster_home
