# Two commands for a fresh clone: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): each has its own test database with the demo loaded once.
WORKERS ?= 2
# The typed layers that mypy checks (make check, pre-commit).
TYPED := $(wildcard apps/*/selectors.py apps/*/services.py apps/*/params.py)

.PHONY: run test test-fast check format messages clean-db bench bench-reports backup restore

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "taybinh needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_demo_admin
	$(PY) scripts/run_with_worker.py $(HOST):$(PORT)  # the web server and the task worker (db_worker)

# Everything, on test databases built afresh (--create-db): CI runs this, and a stale database
# kept from an earlier run can never decide the result.
test: $(VENV)/.test-installed
	$(PY) -m pytest -n $(WORKERS) --create-db

# The edit loop: no browser and no crawl, test databases reused from the previous run.
test-fast: $(VENV)/.test-installed
	$(PY) -m pytest -n $(WORKERS) -m "not browser and not slow"

# Static checks, as CI and pre-commit run them.
check: $(VENV)/.test-installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy $(TYPED)
	$(VENV)/bin/djlint templates --lint
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_messages.py

# Rewrite the Python code in the project's format and apply ruff's safe fixes.
format: $(VENV)/.test-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Rebuild the Vietnamese catalogue after changing user-facing strings.
messages: $(VENV)/.test-installed
	$(PY) manage.py makemessages -l vi --no-location --ignore '.venv/*' --ignore '.data/*' --ignore 'staticfiles/*' --ignore 'test-artifacts/*'
	$(PY) manage.py compilemessages -l vi --ignore '.venv/*'

# Stop and delete the project-local database server (only when DATABASE_URL is unset).
clean-db:
	-$(PY) -c 'from taybinh.embedded_db import stop; from pathlib import Path; stop(Path(".data"))'
	rm -rf .data

# The benchmark (README.md, "Benchmark"): SCALE=province|district, BENCH_DATABASE_URL, BENCH_LOAD_SECONDS, …
# The load run needs wrk (a Debian package): installed here when missing and run as root.
bench: $(VENV)/.run-installed
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get install -y -qq wrk >/dev/null; } \
		|| echo "wrk not found: the load run will be skipped (apt-get install wrk)"
	@# The report PDFs as production lays them out (README, Deploying): Liberation Serif, fonts subset by HarfBuzz.
	@{ fc-list 2>/dev/null | grep -qi "Liberation Serif" && ldconfig -p | grep -q libharfbuzz-subset; } \
		|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
			&& apt-get install -y -qq fonts-liberation libharfbuzz-subset0 >/dev/null; } \
		|| echo "fonts-liberation or libharfbuzz-subset0 missing: report PDFs will be slower than in production"
	$(PY) -m bench.run

# The period report as HTML, PDF and XLSX, in-process on the database of DATABASE_URL (README.md, "Benchmark").
bench-reports: $(VENV)/.run-installed
	$(PY) -m bench.reports

# Backups (README.md, "Backups"): the database of DATABASE_URL (pg_dump, custom format) and MEDIA_ROOT
# (tar), dated, into backups/; `make restore FILE=backups/taybinh-….dump` puts both back.
backup: $(VENV)/.run-installed
	$(PY) scripts/backup.py

restore: $(VENV)/.run-installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/taybinh-YYYYMMDD-HHMMSS.dump"; exit 2; }
	$(PY) scripts/restore.py "$(FILE)"
