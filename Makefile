# The one entry point. `make demo` and `make test` work from a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
CSS := linkwork/static/css/linkwork.css
VENDOR := linkwork/static_vendor/.copied
# The translations: one catalogue per language, compiled to .mo with Babel (no GNU
# gettext needed); the .po files are the source, the .mo files are built.
LOCALE := linkwork/locale
PO := $(wildcard $(LOCALE)/*/LC_MESSAGES/django.po)
MO := $(PO:.po=.mo)

# make serves the demo and development, so DEBUG is on (settings.py defaults to off, for
# production) unless the environment or .env says otherwise.
ifeq ($(origin DEBUG),undefined)
ifeq ($(shell grep -sE '^[[:space:]]*DEBUG=' .env),)
export DEBUG := true
endif
endif

.PHONY: install assets demo test lint format bench serve chromium clean audit fuzz load messages compilemessages

# Idempotent: each step re-runs only when its inputs change.
install: assets var/.migrated

# Everything the code and pages need, without touching any database.
assets: $(VENV)/.installed node_modules/.installed $(VENDOR) $(CSS) $(MO) var/.collected

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Linkwork needs Python 3.11 or newer" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# What pages serve from the npm packages, copied into the package (an installed wheel
# carries it).
$(VENDOR): node_modules/.installed linkwork/staticfiles.py $(VENV)/.installed
	$(BIN)/python -m linkwork.staticfiles node_modules
	touch $@

# NHS.UK frontend's Sass, compiled with Linkwork's additions (and without the NHS web font).
$(CSS): linkwork/frontend/linkwork.scss node_modules/.installed
	npm run --silent build:css

# A language's compiled catalogue, rebuilt when its .po changes.
$(LOCALE)/%/LC_MESSAGES/django.mo: $(LOCALE)/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(BIN)/pybabel -q compile -D django -d $(LOCALE) -l $*

compilemessages: $(MO)

# Every marked word in the Python and the templates (babel.cfg) into each language's .po:
# new words arrive untranslated, removed ones are kept commented out (#~). Add a language
# with `make messages NEW_LANGUAGE=ur` (then list it in settings.LANGUAGES).
KEYWORDS := -k gettext_noop -k gettext_lazy -k ngettext_lazy:1,2 -k pgettext_lazy:1c,2 -k npgettext:1c,2,3
messages: $(VENV)/.installed
	@mkdir -p var
	$(BIN)/pybabel -q extract -F babel.cfg $(KEYWORDS) --no-location --sort-output \
	  --project Linkwork --msgid-bugs-address "" -o var/django.pot linkwork
	$(if $(NEW_LANGUAGE),$(BIN)/pybabel init -D django -d $(LOCALE) -i var/django.pot -l $(NEW_LANGUAGE))
	$(BIN)/pybabel update -D django -d $(LOCALE) -i var/django.pot --no-fuzzy-matching \
	  --no-wrap

# Migrations and static files are cheap to re-check; run them every time.
var/.collected: $(VENV)/.installed $(VENDOR) $(CSS) FORCE
	@mkdir -p var
	$(BIN)/linkwork collectstatic --noinput -v 0
	@touch $@

var/.migrated: var/.collected FORCE
	$(BIN)/linkwork migrate --noinput -v 0
	@touch $@

FORCE:

# Debian's chromium drives the browser tests; Playwright never downloads its own.
chromium:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The demo keeps text messages in memory (SMS_BACKEND=locmem) unless told otherwise.
demo: install
	$(BIN)/linkwork demo
	SMS_BACKEND=$${SMS_BACKEND:-locmem} $(BIN)/linkwork runserver 127.0.0.1:$(PORT)

# Production: DEBUG off (SECRET_KEY, ALLOWED_HOSTS, EMAIL_HOST... from the environment or
# .env), static files collected, migrations applied, then gunicorn on PORT.
serve: assets
	DEBUG=false $(BIN)/linkwork collectstatic --noinput -v 0
	DEBUG=false $(BIN)/linkwork migrate --noinput
	DEBUG=false PORT=$(PORT) $(BIN)/gunicorn -c python:linkwork.gunicorn_conf linkwork.wsgi

# The tests create (and drop) their own database, so `make test` migrates nothing.
# One worker per CPU (pytest-xdist), each with its own test database; a file's tests stay
# on one worker (browser tests share a browser per worker). PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= auto
test: assets chromium
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# make bench BENCH="search worklists" runs only those (python -m bench --list).
bench: install
	$(BIN)/python -m bench $(BENCH)

# Known vulnerabilities in the pinned dependencies (pip-audit, npm audit --omit=dev).
audit: $(VENV)/.installed node_modules/.installed
	$(BIN)/python bench/audit.py

# The long schemathesis run (CI runs the same test with a few examples per operation).
fuzz: assets
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} $(BIN)/pytest tests/security/test_api_fuzz.py tests/security/test_api_fuzz_roles.py -q

# 50 people (1-3 s between pages) for 60 s against gunicorn on PostgreSQL (DATABASE_URL):
# bench/load.py (--wait 0 0: saturation).
load: install
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) node_modules static_collected var $(CSS) $(MO)
