# Parcours — developer commands. GNU make; needs only python3 (3.11+) on a fresh machine.
#   make run               demo server on http://127.0.0.1:8000 (SQLite, development keys, demo data)
#   make run-proconnect    the same, plus sign-in with a local OpenID Connect provider standing for ProConnect
#   make test              the whole suite except the Celery/Redis integration tests
#   make test-integration  tests against a real Celery worker (needs CELERY_BROKER_URL)
#   make lint              ruff check + ruff format --check + the import layers (import-linter)
#   make prod-smoke        the production stack for real (PostgreSQL, Redis, gunicorn, nginx TLS, Celery), driven over HTTPS
#   make bench             Parcours at the size of a large deployment (PostgreSQL; BENCH_SCALE=0.1 for a tenth)
#   make bench-curve       the same, plus the list and detail at 1 %, 10 % and 100 % of the situations
#   make bench-http        gunicorn, PostgreSQL, Celery worker and beat under load over loopback (1, 4, 16, 32 sessions)
#   make clean             remove the virtualenv and caches (keeps var/: demo database and its keys)
#   make clean-data        remove var/ (demo database and development keys, which only work together)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
BENCH_ARGS ?=
DEMO_ENV := DJANGO_DEBUG=1 PARCOURS_DEMO=1

.PHONY: help install run run-proconnect test test-integration lint prod-smoke bench bench-curve bench-http clean clean-data

help:
	@sed -n 's/^#   //p' Makefile

$(PY):
	@test -n "$(PYTHON)" || { echo "python3 introuvable : installez Python 3.11 ou plus récent." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Parcours needs Python 3.11+, $(PYTHON) is older." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

install: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(DEMO_ENV) $(PY) manage.py generate_dev_keys
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo
	@echo "Parcours (démonstration) : http://127.0.0.1:8000  — comptes de démonstration ci-dessus ; Ctrl-C pour arrêter."
	@echo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# The demo server with ProConnect enabled against the local test provider (tests/oidc_provider) on
# PROCONNECT_PORT; its agents are printed below. Open http://127.0.0.1:8000 (the address registered).
PROCONNECT_PORT ?= 8001
PROCONNECT_ENV := PARCOURS_PROCONNECT_ENABLED=1 \
	PARCOURS_PROCONNECT_DISCOVERY_URL=http://127.0.0.1:$(PROCONNECT_PORT)/o/.well-known/openid-configuration \
	PARCOURS_PROCONNECT_CLIENT_ID=parcours-demo PARCOURS_PROCONNECT_CLIENT_SECRET=parcours-demo-secret-not-for-production \
	PARCOURS_PROCONNECT_MFA_ACR=eidas2

run-proconnect: $(STAMP)
	@mkdir -p var
	$(DEMO_ENV) $(PY) manage.py generate_dev_keys
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo
	@echo "Fournisseur d'identité local : http://127.0.0.1:$(PROCONNECT_PORT) — agents (mot de passe agent-demo-2026) :"
	@echo "  agent-azimuts (compte azimuts1, authentification forte), agent-pm (compte pm1, mot de passe seul),"
	@echo "  agent-inconnu (aucun compte Parcours : refusé)."
	@echo "Parcours : http://127.0.0.1:8000/connexion/ → « S'identifier avec ProConnect » ; Ctrl-C pour arrêter."
	@echo
	$(PY) -m tests.oidc_provider.serve $(PROCONNECT_PORT) --demo var/oidc-provider http://127.0.0.1:8000 & provider=$$!; \
		trap 'kill $$provider' EXIT; \
		$(DEMO_ENV) $(PROCONNECT_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# pytest exits 5 when no test ran, which make treats as a failure, as it should.
test: $(STAMP)
	$(PY) -m pytest -m "not celery_integration" $(PYTEST_ARGS)

test-integration: $(STAMP)
	@test -n "$$CELERY_BROKER_URL" \
		|| { echo "make test-integration needs CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/15)." >&2; exit 1; }
	$(PY) -m pytest -m celery_integration $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Needs PostgreSQL, Redis and Debian's nginx running/installed (.ci/run sees to it); about a minute or two.
# PARCOURS_SMOKE_POSTGRES, PARCOURS_SMOKE_REDIS, PARCOURS_SMOKE_NGINX: see deploy/smoke.py.
prod-smoke: $(STAMP)
	$(PY) -m deploy.smoke

# Not part of `make test` or CI (minutes at full size); tests/bench/ keeps its code from rotting.
# The bench creates its own database on BENCH_DATABASE_URL's server and drops it at the end.
bench: $(STAMP)
	$(PY) -m bench $(BENCH_ARGS)

bench-curve: $(STAMP)
	$(PY) -m bench --curve $(BENCH_ARGS)

# Needs PostgreSQL and Redis; about 8 minutes at the default size (10,000 situations). BENCH_HTTP_SCALE,
# BENCH_HTTP_LEVELS, BENCH_HTTP_SECONDS, BENCH_HTTP_WORKERS, BENCH_HTTP_REDIS: see bench/http_load.py.
# Writes its section of bench/results/latest.md; tests/bench/test_http_load.py keeps its code from rotting.
bench-http: $(STAMP)
	$(PY) -m bench.http_load $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-artifacts *.egg-info
	find . -path ./.git -prune -o -name __pycache__ -type d -exec rm -rf {} +

clean-data:
	rm -rf var
