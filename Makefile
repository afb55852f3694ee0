# Åben Skole-portalen. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
STAMP := $(VENV)/.installed
MANAGE := $(PY) manage.py

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade "uv>=0.5"
	$(UV) pip sync --quiet --python $(PY) requirements.lock
	touch $(STAMP)

install: $(STAMP) ## Create the virtualenv and install the locked dependencies

# axe-core (npm) for the accessibility tests; without npm those tests skip and say why.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: accessibility tests will be skipped"; fi

vendor: node_modules/.installed ## Copy Leaflet (+ markercluster) from node_modules into static/vendor/leaflet (commit it)
	$(PY) scripts/vendor_static.py

lock: | $(PY) ## Re-pin requirements.lock from pyproject.toml
	$(PY) -m pip install --quiet --upgrade "uv>=0.5"
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

PORT ?= 8000

run: install ## Portal with demo data and Celery worker+beat on http://127.0.0.1:8000 (PORT=8010: another port)
	$(PY) scripts/compilemessages.py
	$(MANAGE) migrate --no-input
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(MANAGE) seed_demo
	$(PY) scripts/run.py --port $(PORT)

test: install node_modules/.installed ## Run the tests (SQLite; DATABASE_URL/REDIS_URL when set)
	$(PY) scripts/compilemessages.py
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install ## ruff, bandit, migrations and translations checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -ll -c pyproject.toml -r accounts api associations bookings catalog dashboard devdata geo knowledge municipalities notifications partnerships portal privacy schools screening sso
	$(MANAGE) makemigrations --check --dry-run
	$(PY) scripts/check_translations.py

messages: install ## Update the .po files (Danish and English) after changing UI text
	$(PY) scripts/makemessages.py

worker: install ## A Celery worker against REDIS_URL
	$(VENV)/bin/celery -A portal worker -l info

beat: install ## Celery beat against REDIS_URL
	$(VENV)/bin/celery -A portal beat -l info

.PHONY: help install lock run test lint messages worker beat vendor

bench: install ## Benchmark pages against a minimal view (gunicorn, PostgreSQL, wrk); writes bench/results.json
	@command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }; } || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	$(PY) bench/run.py

bench-reminders: install ## Reminder throughput: 10,000 e-mails through a real Celery worker to a local SMTP server
	$(PY) bench/reminders.py
.PHONY: bench bench-reminders
