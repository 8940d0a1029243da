# Two commands for a fresh machine with Python 3.11+ and make:
#   make run   install, migrate, load demo data, serve at http://127.0.0.1:8000
#   make test  install (with test tools), run the whole suite
# The settings default to production (DEBUG off, SECRET_KEY required): `make run` and
# `make migrate` say they are development (DEBUG=1) and use a key made once for this
# checkout, kept in .venv; the tests set development mode in tests/settings.py.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint translations messages install install-dev migrate serve clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Development only: a key of this checkout's own, so sessions survive a restart of `make run`.
DEV_KEY := $(VENV)/dev-secret-key
DEV_ENV = DEBUG=1 SECRET_KEY="$$(cat $(DEV_KEY))"

$(DEV_KEY): | $(BIN)/python
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install translations $(DEV_KEY)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

# .po files are committed; the .mo files Django reads are compiled here (no gettext needed).
translations: install $(DEV_KEY)
	$(DEV_ENV) $(BIN)/python manage.py compile_translations

# Refresh locale/fr's .po files from the marked strings (templates, Python, and static/js
# for the JavaScript catalog). Needs GNU gettext (xgettext, msgmerge), unlike the rest.
messages: install $(DEV_KEY)
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l fr --no-location --ignore=staticfiles --ignore=tests --ignore=bench
	$(DEV_ENV) $(BIN)/python manage.py makemessages -d djangojs -l fr --no-location --ignore=staticfiles --ignore=tests --ignore=bench

run: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT)

test: install-dev lint translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
