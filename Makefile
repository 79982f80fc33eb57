# The commands the README documents. `make run` and `make test` set everything up themselves.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The site in production runs from a virtualenv of its own with the runtime dependencies only
# (no pytest, Playwright, Hypothesis or ruff), so that `make serve` and `make test` never
# install into, or upgrade, each other's environment.
SERVE_VENV := .venv-serve
SERVE_BIN := $(SERVE_VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python >= 3.12: the one .python-version names through pyenv, else the newest on PATH.
PYTHON ?= $(shell for p in "$$(pyenv which python 2>/dev/null)" $$HOME/.pyenv/versions/3.13*/bin/python \
	python3.13 python3.12 python3; do \
	command -v "$$p" >/dev/null 2>&1 && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v "$$p"; break; }; done)

.PHONY: install run serve test test-fast lint format check clean bench load audit audit-tools

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (install it, or pyenv install 3.13)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed

$(SERVE_VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (install it, or pyenv install 3.13)."; exit 1; }
	test -x $(SERVE_BIN)/python || $(PYTHON) -m venv $(SERVE_VENV)
	$(SERVE_BIN)/python -m pip install --quiet --upgrade pip
	$(SERVE_BIN)/python -m pip install --quiet -c constraints.txt .
	touch $@

# The site on an embedded SQLite database with the article and the Historian's travels, at
# http://127.0.0.1:8000/. `populate` loads the fixtures and imports the travels into an empty
# database only: it never overwrites an edit.
run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py populate
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The site in production: gunicorn, whitenoise serving compressed, hashed static files, from
# .venv-serve (the runtime dependencies only). Needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and
# DATABASE_URL (see README, "Deploying"). The site logs one line per request itself (with its
# request id; DJANGO_LOG_FORMAT=json for JSON lines), so gunicorn keeps no access log of its own.
# gunicorn's settings are visits/gunicorn.py: WEB_CONCURRENCY threaded workers of
# GUNICORN_THREADS threads each, with time limits for slow clients.
WEB_CONCURRENCY ?= 2
serve: $(SERVE_VENV)/.installed
	$(SERVE_BIN)/python manage.py check_database
	$(SERVE_BIN)/python manage.py migrate --no-input
	$(SERVE_BIN)/python manage.py collectstatic --no-input --verbosity 0
	WEB_CONCURRENCY=$(WEB_CONCURRENCY) $(SERVE_BIN)/gunicorn -c python:visits.gunicorn \
		--bind $(HOST):$(PORT)

# The whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL).
test: install
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-secret-key} $(BIN)/python -m pytest $(PYTEST_ARGS)

# Everyday work: the suite without the browser, the servers, the many-process and the
# Hypothesis tests (under two minutes); `make test` runs them all.
test-fast: install
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-secret-key} $(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# Every page type through gunicorn as `make serve` runs it (uncached cold and warm, cached
# requests a second with wrk against a static file, the worker settings, Datasette for
# reference) and in process with query counts, on SQLite with 100,000 demo visits and PostgreSQL
# with 1,000,000; generate_demo and import_hsg rates; results in bench-results/.
# BENCH_ARGS=--reuse measures the databases an earlier --keep run left; --quick skips the
# million; --sizes/--engines choose others (see bench/run.py --help). wrk: apt-get install wrk.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Load test: gunicorn on a fresh PostgreSQL database (load_test) with 20,000 demo visits, 32
# clients for 30 s while an editor saves in the admin, then PostgreSQL restarted under load;
# results in bench-results/load.md. LOAD_ARGS=--no-fault skips the restart (bench/load.py --help).
load: install
	$(BIN)/python bench/load.py $(LOAD_ARGS)

# The checkers of the browser tests' audit (tests/browser/test_audit.py), pinned, from the npm
# registry into .audit/ (gitignored): axe-core, and the Nu Html Checker (vnu.jar, run by Java:
# Debian's default-jre-headless). `make audit` adds Lighthouse.
AUDIT := .audit
AUDIT_PACKAGES := axe-core@4.14.1 vnu-jar@26.9.27
LIGHTHOUSE := lighthouse@12.2.3
NPM_INSTALL := npm install --prefix $(AUDIT) --save-exact --ignore-scripts --no-audit --no-fund --loglevel error

$(AUDIT)/.installed: Makefile
	$(NPM_INSTALL) $(AUDIT_PACKAGES)
	touch $@

audit-tools: $(AUDIT)/.installed

# Lighthouse (mobile) on the home page, the visit list and a visit page of the default data,
# served by gunicorn, in Debian's Chromium: accessibility, SEO, best practices and performance,
# printed and written to bench-results/lighthouse.md (bench/lighthouse.py --help).
audit: install audit-tools
	test -x $(AUDIT)/node_modules/.bin/lighthouse || $(NPM_INSTALL) $(AUDIT_PACKAGES) $(LIGHTHOUSE)
	$(BIN)/python bench/lighthouse.py $(AUDIT_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: lint test

clean:
	rm -rf $(VENV) $(SERVE_VENV) $(AUDIT) db.sqlite3 staticfiles .pytest_cache .ruff_cache
