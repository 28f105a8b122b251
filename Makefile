# Developer and CI commands. `make run` serves the app on http://127.0.0.1:8000/ (PORT=… to change),
# `make test` runs the whole suite, `make lint` checks style, the apps' layers, types and migrations.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: run test lint messages clean soak chaos

# Create the virtualenv and install the pinned requirements; redone only when a
# requirements file changes (the stamp is older than it).
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# Compile translations when the project ships any (locale/ is optional).
messages: $(STAMP)
	@if [ -d locale ]; then $(BIN)/python manage.py compilemessages --ignore=$(VENV); fi

# `make run PORT=8080 HOST=0.0.0.0`; static files are collected first, so DJANGO_DEBUG=0 works too.
# The webhook worker runs beside the web server and stops with it (Ctrl-C stops both).
PORT ?= 8000
HOST ?= 127.0.0.1
run: $(STAMP) messages
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py load_kb
	$(BIN)/python manage.py run_webhooks & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP) messages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# Load and fault test (about 4 minutes, loopback only): two gunicorn servers on one PostgreSQL
# under concurrent reads and edits, then with one server killed and with PostgreSQL restarted.
# Needs PostgreSQL on 127.0.0.1:5432 and pg_ctlcluster; not part of `make test`.
soak: $(STAMP)
	$(BIN)/python scripts/soak.py

# Races and faults (under 5 minutes, loopback only): racing writes of every kind on PostgreSQL and
# on SQLite (gunicorn, 2 workers), an app server killed mid-write, PostgreSQL stalled behind a
# freezing proxy and restarted. Prints a table per database; fails on any missed target.
# Needs PostgreSQL on 127.0.0.1:5432 and pg_ctlcluster; not part of `make test`.
CHAOS_ARGS ?=
chaos: $(STAMP)
	$(BIN)/python scripts/chaos.py $(CHAOS_ARGS)

clean:
	rm -rf .pytest_cache .ruff_cache staticfiles test-results
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name '*.mo' -type f -exec rm -f {} +

# Realistic load at 10,000 roles on PostgreSQL and SQLite (browse, browse while editing, cold) beside
# the project's and a bare Django view's floors (see docs/performance.md). About 10 minutes once the
# databases exist (building them: a few minutes each, once); BENCH_ARGS=--quick: PostgreSQL only,
# ~6 minutes; --hot adds the per-endpoint run. Needs PostgreSQL on 127.0.0.1:5432 (BENCH_POSTGRES) and wrk.
.PHONY: bench
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# Fuzz the API from its own OpenAPI schema with schemathesis (as an editor, 2 workers) on SQLite and
# on PostgreSQL (database kb_fuzz on 127.0.0.1:5432, dropped at the end); loopback only, ~6 minutes.
# Fails on any server error or schema violation. FUZZ_ARGS e.g. `--database sqlite --max-time 60`.
.PHONY: fuzz
FUZZ_ARGS ?=
fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py $(FUZZ_ARGS)

# The search's relevance suite (search/relevance/cases.toml) on SQLite and on PostgreSQL, at seed size and
# with 10,000 demo roles: recall@5, MRR and every miss per database (see docs/search.md). Builds its own
# databases once (.search-eval/, and kb_search_eval* on 127.0.0.1:5432), ~10 minutes the first time.
# SEARCH_EVAL_ARGS e.g. `--roles 0 --database sqlite`, `--strict`, `--fresh`.
.PHONY: search-eval
SEARCH_EVAL_ARGS ?=
search-eval: $(STAMP) messages
	$(BIN)/python scripts/search_eval.py $(SEARCH_EVAL_ARGS)
