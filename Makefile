# Two commands for a fresh machine: `make serve` (demo county on 127.0.0.1:5000) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: install serve serve-prod test bench translations messages

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/flask translations

# The catalogues carry no header, which babel reads as a fuzzy catalogue: --use-fuzzy compiles
# it anyway. Entries are never fuzzy (`make messages` does no fuzzy matching; a test checks).
translations: $(BIN)/flask
	$(BIN)/pybabel compile --use-fuzzy -d webapp/translations --statistics 2>&1 | tail -n 2

serve: install
	$(BIN)/flask --app webapp db upgrade
	$(BIN)/flask --app webapp demo
	$(BIN)/flask --app webapp run --host 127.0.0.1 --port 5000

# As a county serves it: gunicorn with several workers (gunicorn.conf.py) and the one scheduler
# process, on the demo SQLite file or on DATABASE_URL. Ctrl-C stops both.
serve-prod: install
	$(BIN)/flask --app webapp db upgrade
	$(BIN)/flask --app webapp demo
	@$(BIN)/flask --app webapp scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py

# The suite on SQLite, then again on PostgreSQL when one answers on 127.0.0.1:5432.
test: install
	$(BIN)/pytest
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== again on PostgreSQL ($(PG_TEST_URL))"; \
		TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest; \
	else \
		echo "== PostgreSQL not reachable at $(PG_TEST_URL): SQLite only"; \
	fi

bench: install
	$(BIN)/python -m bench

# After changing interface text: refresh the catalogues, then translate the new zh_CN entries.
messages: $(BIN)/flask
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k N_ -k lazy_pgettext:1c,2 -k _lp:1c,2 --no-location --omit-header -o webapp/translations/messages.pot .
	for locale in zh_CN en; do \
		$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations -l $$locale --omit-header --ignore-obsolete --no-fuzzy-matching; \
	done
