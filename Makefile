# netassess: `make run` serves the demo, `make test` checks everything. `make help` lists all.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT  # settings build SITE_URL (the links in emails) from it

.DEFAULT_GOAL := help
.PHONY: help run test lint format bench worker clean messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed ## Install, migrate, load demo data and serve http://127.0.0.1:$(PORT)
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_instruments
	$(BIN)/python manage.py seed_demo
	@echo "Serving http://127.0.0.1:$(PORT)/ (sign in with the coordinator above; Ctrl+C stops)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: $(VENV)/.installed ## Run a Celery worker with beat (needs REDIS_URL)
	$(BIN)/celery -A netassess worker --beat --loglevel INFO

lint: $(VENV)/.installed-dev ## ruff: lint and formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev ## Apply ruff's formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint ## Lint, then run the whole test suite (set DATABASE_URL and REDIS_URL for real parts)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py compile_translations
	$(BIN)/pytest $(PYTEST_ARGS)

# Where marked strings are looked for: the product, not its tests, benchmarks or
# vendored scripts (tests/test_translations.py runs the same).
MESSAGES_IGNORE := --ignore=tests --ignore=bench --ignore=static/vendor --ignore=staticfiles \
	--ignore=test-artifacts --ignore=locale
LANG_CODE ?= cy

messages: $(VENV)/.installed ## Update locale/$(LANG_CODE) from the marked strings (needs gettext), then translate
	$(BIN)/python manage.py makemessages -l $(LANG_CODE) --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	$(BIN)/python manage.py makemessages -d djangojs -l $(LANG_CODE) --no-obsolete --add-location=file $(MESSAGES_IGNORE)

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/netassess_bench

BENCHMARKS := aggregation web invitations relationships roster

# Every benchmark runs and prints its figures even when an earlier one missed a target;
# the target fails at the end if any did.
bench: $(VENV)/.installed-dev ## Benchmarks on PostgreSQL (BENCH_DATABASE_URL); figures go in docs/performance.md
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench setup
	@failed=""; for name in $(BENCHMARKS); do \
		echo "== $$name"; \
		DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench $$name || failed="$$failed $$name"; \
	done; \
	if [ -n "$$failed" ]; then echo "Missed a target or failed:$$failed"; exit 1; fi; \
	echo "Every benchmark met its targets."

clean: ## Remove the virtualenv, the SQLite file and collected static files
	rm -rf $(VENV) db.sqlite3 staticfiles
