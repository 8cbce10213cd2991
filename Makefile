# Schakel — the two commands: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL server the second test run uses (trust auth on the development machines and CI).
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/schakel

.PHONY: setup run test test-sqlite test-postgres test-browser lint checks messages bench worker clean

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	touch $@

var:
	mkdir -p var

## setup: virtual environment, exact dependencies, translations, database, reference and demo data
setup: $(VENV)/.installed | var
	$(MANAGE) compilemessages --ignore=.venv -v 0
	$(MANAGE) migrate --no-input -v 0
	$(MANAGE) load_shipped_data
	$(MANAGE) seed_demo
	$(MANAGE) collectstatic --no-input -v 0

## run: set up, then serve on http://$(HOST):$(PORT) with the embedded task worker beside it
run: setup
	@echo "Schakel: http://$(HOST):$(PORT)/  (demo accounts: see README.md)"
	trap 'kill 0' EXIT; \
	$(MANAGE) run_huey --workers 1 --quiet & \
	$(MANAGE) runserver $(HOST):$(PORT)

## worker: the task worker and scheduler on its own (production: see docs/operations.md)
worker: setup
	$(MANAGE) run_huey

chromium:
	@command -v /usr/bin/chromium >/dev/null || { \
	  echo "Installing Debian chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

checks: $(VENV)/.installed | var
	DJANGO_SETTINGS_MODULE=schakel.conf.test $(MANAGE) makemigrations --check --dry-run -v 1
	$(MANAGE) compilemessages --ignore=.venv -v 0
	DJANGO_SETTINGS_MODULE=schakel.conf.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=schakel.conf.test $(MANAGE) check_instruments

test-sqlite: $(VENV)/.installed chromium | var
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(VENV)/bin/pytest -n 2 -q

test-postgres: $(VENV)/.installed chromium | var
	@echo "== test suite on PostgreSQL ($(PG_TEST_URL)) =="
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -n 2 -q; \
	else \
	  echo "SKIPPED: no PostgreSQL server reachable at $(PG_TEST_URL); the PostgreSQL run did not happen."; \
	fi

## test: lint, migrations check, translations, then the whole suite on SQLite and on PostgreSQL
test: lint checks test-sqlite test-postgres

## bench: every benchmark (bench/run.py and bench/bench_*.py); results in bench/results/
bench: setup
	$(PY) bench/run.py
	for script in bench/bench_*.py; do [ -e "$$script" ] && $(PY) "$$script"; done; true

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
