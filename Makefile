# The two commands: `make demo` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(abspath $(VENV))/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# pyenv keeps 3.10-3.13 side by side; tox finds them on PATH and never downloads one.
PYTHONS_PATH := $(shell scripts/pythons-path.sh 2>/dev/null)
export UV_PYTHON_DOWNLOADS := never
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test test-fast test-pg lint typecheck schema schema-check tox postgres clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

postgres:
	@scripts/ensure-postgres.sh

## The inner loop: the whole Python suite on SQLite (seconds).
test-fast: install
	$(BIN)/pytest -q

test-pg: install postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	PYTHONPATH=testproject:. $(BIN)/mypy

## Regenerate the reviewed golden schema (review the diff before committing).
schema: install
	cd testproject && $(BIN)/python manage.py spectacular --validate --fail-on-warn --file schema.yaml

## The Python x Django matrix (SQLite, and PostgreSQL on the oldest and newest pairs);
## lint and type run directly above, and as `tox -e lint,type`.
tox: install postgres
	PATH="$(PYTHONS_PATH):$$PATH" PG_URL=$(PG_URL) $(BIN)/tox run-parallel -m matrix --parallel 2 --parallel-no-spinner

test: lint typecheck test-fast test-pg tox
	@echo "make test: all suites passed"

DEMO_DB ?= demo.sqlite3
demo: install
	cd testproject && SQLITE_NAME=$(DEMO_DB) $(BIN)/python manage.py migrate --noinput -v0
	cd testproject && SQLITE_NAME=$(DEMO_DB) $(BIN)/python manage.py seed_vacancies --count 200
	@echo ""
	@echo "  API:      http://127.0.0.1:8000/api/vacancies/"
	@echo "  Swagger:  http://127.0.0.1:8000/api/docs/"
	@echo "  Redoc:    http://127.0.0.1:8000/api/redoc/"
	@echo "  Schema:   http://127.0.0.1:8000/api/schema/"
	@echo "  Login:    demo / demo-password"
	@echo ""
	cd testproject && SQLITE_NAME=$(DEMO_DB) $(BIN)/python manage.py runserver 127.0.0.1:8000

clean:
	rm -rf $(VENV) .tox .mypy_cache .ruff_cache .pytest_cache testproject/*.sqlite3
