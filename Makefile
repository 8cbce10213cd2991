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
# The PostgreSQL run shuffles the tests; give TEST_SEED=N to replay an order (printed by the run).
TEST_SEED ?=
TEST_ENV := env DJANGO_SETTINGS_MODULE=schakel.conf.test

.PHONY: setup run test test-sqlite test-postgres test-browser lint checks messages bench worker clean
.PHONY: typecheck typecheck-baseline imports openapi openapi-check messages-check

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

## checks: also types, the layers of the code, the committed API schema and the catalogues
checks: typecheck imports openapi-check messages-check

## imports: the layers of the house as import-linter contracts ([tool.importlinter] in pyproject.toml)
imports: $(VENV)/.installed
	@echo "== import-linter: the layers hold =="
	cd src && ../$(VENV)/bin/lint-imports --config ../pyproject.toml --no-cache

## typecheck: mypy; the errors of today are listed in mypy-baseline.txt, new ones fail
typecheck: $(VENV)/.installed
	@echo "== mypy (against mypy-baseline.txt) =="
	@out=$$(mktemp); trap 'rm -f "$$out"' EXIT; \
	rc=0; $(VENV)/bin/mypy --no-error-summary > "$$out" 2>&1 || rc=$$?; \
	if [ $$rc -gt 1 ]; then cat "$$out"; echo "mypy itself failed (exit $$rc)."; exit $$rc; fi; \
	if $(VENV)/bin/mypy-baseline filter --no-colors < "$$out" > "$$out.filtered"; then \
	  echo "mypy: no new errors ($$(wc -l < mypy-baseline.txt) old ones in mypy-baseline.txt)"; \
	  rm -f "$$out.filtered"; \
	else \
	  cat "$$out.filtered"; rm -f "$$out.filtered"; \
	  echo "mypy: 'new' errors are not in mypy-baseline.txt: type the new code."; \
	  echo "mypy: 'fixed' errors are still listed there: run 'make typecheck-baseline', commit the file."; \
	  exit 1; \
	fi

## typecheck-baseline: rewrite mypy-baseline.txt from today's errors (after fixing errors or moving code)
typecheck-baseline: $(VENV)/.installed
	@out=$$(mktemp); trap 'rm -f "$$out"' EXIT; \
	rc=0; $(VENV)/bin/mypy --no-error-summary > "$$out" 2>&1 || rc=$$?; \
	if [ $$rc -gt 1 ]; then cat "$$out"; echo "mypy itself failed (exit $$rc)."; exit $$rc; fi; \
	$(VENV)/bin/mypy-baseline sync < "$$out"; \
	echo "mypy-baseline.txt: $$(wc -l < mypy-baseline.txt) errors of today"

## openapi: regenerate docs/openapi.yaml, the committed API schema
openapi: $(VENV)/.installed
	$(TEST_ENV) $(MANAGE) spectacular --file docs/openapi.yaml --validate

openapi-check: $(VENV)/.installed
	@echo "== docs/openapi.yaml up to date =="
	@out=$$(mktemp --suffix=.yaml); trap 'rm -f "$$out"' EXIT; \
	$(TEST_ENV) $(MANAGE) spectacular --file "$$out" --validate; \
	if ! cmp -s docs/openapi.yaml "$$out"; then \
	  diff -u --label docs/openapi.yaml --label generated docs/openapi.yaml "$$out" | head -60 || true; \
	  echo "docs/openapi.yaml differs from the API: run 'make openapi' and commit it."; exit 1; \
	fi

## messages: update the translation catalogues (locale/nl, locale/en) from the code
messages: $(VENV)/.installed
	$(TEST_ENV) $(MANAGE) makemessages --locale nl --locale en --no-obsolete \
	  --ignore var --ignore staticfiles --ignore test-results

messages-check: $(VENV)/.installed
	@echo "== translation catalogues up to date =="
	$(PY) tools/check_messages.py

## test-sqlite: the suite in file order on SQLite, with coverage (floor: fail_under in pyproject.toml)
test-sqlite: $(VENV)/.installed chromium | var
	@echo "== test suite on SQLite, with coverage =="
	env -u DATABASE_URL $(VENV)/bin/pytest -n 2 -q --cov --cov-report=

## test-postgres: the suite in random order on PostgreSQL (TEST_SEED=N replays an order)
test-postgres: $(VENV)/.installed chromium | var
	@echo "== test suite on PostgreSQL ($(PG_TEST_URL)), in random order =="
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  seed="$(TEST_SEED)"; [ -n "$$seed" ] || seed=$$(( (RANDOM << 15) | RANDOM )); \
	  echo "Random order, seed $$seed. Replay: make test-postgres TEST_SEED=$$seed"; \
	  DATABASE_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -n 2 -q -p randomly --randomly-seed=$$seed; \
	else \
	  echo "SKIPPED: no PostgreSQL server reachable at $(PG_TEST_URL); the PostgreSQL run did not happen."; \
	fi

## test: lint, checks (migrations, translations, types, API schema, catalogues), then the whole
## suite on SQLite (coverage floor) and on PostgreSQL (random order)
test: lint checks test-sqlite test-postgres

## bench: every benchmark (bench/run.py and bench/bench_*.py); results in bench/results/
bench: setup
	$(PY) bench/run.py
	for script in bench/bench_*.py; do [ -e "$$script" ] && $(PY) "$$script"; done; true

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache .mypy_cache .coverage .coverage.*
