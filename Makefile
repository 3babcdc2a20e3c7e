# 规程 Guicheng — `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export GUICHENG_HOME ?= $(CURDIR)/var
# test processes: one per CPU (browser, PostgreSQL and SQLite tests are independent of each other)
TEST_WORKERS ?= auto

.PHONY: run test lint install worker bench clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

run: install            ## database, processes, demo users, server + worker on http://127.0.0.1:8000
	$(BIN)/guicheng init --demo
	$(BIN)/guicheng serve --host 127.0.0.1 --port 8000

lint: install           ## ruff and mypy (settings and caches: pyproject.toml)
	$(BIN)/ruff check --quiet
	$(BIN)/mypy

test: install lint      ## installs system packages when missing, starts a throwaway PostgreSQL, runs everything
	scripts/system-deps.sh
	scripts/with-postgres.sh $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

worker: install
	$(BIN)/guicheng worker

bench: install
	$(BIN)/guicheng bench

clean:
	rm -rf var test-artifacts
