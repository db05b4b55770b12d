# The two commands: `make demo` and `make test`; `make check` is the inner loop (and the
# pre-commit hook). Everything else is a step of those. `make bootstrap` checks (and as root
# installs) the prerequisites; `make test` and `make demo` run it first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(abspath $(VENV))/bin
# The PostgreSQL database every PostgreSQL suite derives its own from (test_*, *_<pid>, tox's
# *_<env>), and the Redis database of `make test-auth` (not REDIS_URL: make exports command-line
# variables, and every other suite must keep its in-process cache).
PG_URL ?= postgres://postgres@127.0.0.1:5432/postgres
AUTH_REDIS_URL ?= redis://127.0.0.1:6379/1
# pyenv keeps 3.10-3.13 side by side; tox finds them on PATH and never downloads one.
PYTHONS_PATH := $(shell scripts/pythons-path.sh 2>/dev/null)
export UV_PYTHON_DOWNLOADS := never
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The testproject refuses to start with DEBUG off and no secret key: a random one per make run
# (tokens from `make demo` end with it). Set DJANGO_SECRET_KEY to keep one across runs.
ifndef DJANGO_SECRET_KEY
export DJANGO_SECRET_KEY := make-$(shell od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
endif

.PHONY: frontend-install frontend-templates scaffold-templates frontend-check frontend-build test-frontend
.PHONY: redis test-auth bootstrap node check unit actionlint dist
.PHONY: bench bench-check bench-typesync bench-typesync-check test-typesync
.PHONY: test-errors install demo test test-fast test-pg lint typecheck schema schema-check tox postgres clean docs docs-reference test-packaging test-generators bench-schema bench-schema-check

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## Prerequisites of the selected suites on one screen, present or missing, with the command that
## installs each; as root with apt-get it installs the missing system packages and starts
## PostgreSQL/Redis (scripts/bootstrap.sh). Suites that need a root-installed tool (chromium,
## wrk) check for it with `bootstrap.sh --check` and say so.
bootstrap:
	@scripts/bootstrap.sh $(SUITES)

needs-%:
	@scripts/bootstrap.sh --check --quiet $*

postgres:
	@scripts/ensure-postgres.sh

redis:
	@scripts/ensure-redis.sh

## Node >= 22.18 at .node/bin/node: the machine's when new enough, else the npm package of
## Node 22 for this platform (scripts/ensure-node.sh). Node tools run with it first on PATH.
NODE_BIN := $(abspath .node)/bin
WITH_NODE := PATH="$(NODE_BIN):$$PATH"
$(NODE_BIN)/node:
	@scripts/ensure-node.sh

node: $(NODE_BIN)/node

## The inner loop and the pre-commit hook (about a minute): lint, format, types, the SQLite suite.
check: lint typecheck unit

## The unit suite on SQLite: pyproject's addopts deselect the integration suites below, which
## each select their own marker. tox runs exactly this selection.
unit: install
	$(BIN)/pytest -q -p no:cacheprovider

test-fast: unit

## The unit suite on PostgreSQL.
test-pg: install postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider

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
## Orval and hey-api need Node >= 22.18 (`make node`).
GEN := tests/generators
$(GEN)/node_modules/.installed: $(GEN)/package-lock.json | $(NODE_BIN)/node
	cd $(GEN) && $(WITH_NODE) npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-generators: install $(GEN)/node_modules/.installed
	$(WITH_NODE) $(BIN)/pytest -q -p no:cacheprovider -m generators tests/test_generators.py

## The error envelope end to end: a table of bad requests through gunicorn on PostgreSQL
## (DEBUG off, its own database), the hardening attacks with their timings printed (issue 14),
## and openapi-fetch's `error` types compiled against the schema.
TS_ERRORS := tests/ts_errors
$(TS_ERRORS)/node_modules/.installed: $(TS_ERRORS)/package-lock.json
	cd $(TS_ERRORS) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-errors: install postgres $(TS_ERRORS)/node_modules/.installed
	PG_URL=$(PG_URL) $(BIN)/pytest -q -s -p no:cacheprovider -m errors_integration \
		tests/test_errors_server.py tests/test_hardening_server.py tests/test_errors_typescript.py

## Schema generation and serving on a synthetic 200-viewset project; fails on a missed target
## (sync_types <= 0.25x spectacular, repeated GET >= 100x faster, 304). `bench-schema` records
## the figures in benchmarks/RESULTS.md; `bench-schema-check`, in `make test`, only gates.
bench-schema: install
	$(BIN)/python benchmarks/schema/run.py

bench-schema-check: install
	$(BIN)/python benchmarks/schema/run.py --no-record --boots 2

## API latency ratios on PostgreSQL, 1,000 seeded vacancies in their own database:
## TypedModelViewSet (no hand-written optimization) vs plain DRF (naive and hand-optimized) vs
## django-ninja, reads and writes interleaved in one run; then wrk 20 s per target against
## gunicorn on 127.0.0.1:$(BENCH_PORT) and its workers' peak RSS. Writes benchmarks/RESULTS.md
## (commit it).
BENCH_DB_URL ?= postgres://postgres@127.0.0.1:5432/typed_api_bench
BENCH_PORT ?= 8301

bench: install postgres needs-bench-check
	DATABASE_URL=$(BENCH_DB_URL) $(BIN)/python benchmarks/api/run.py --port $(BENCH_PORT)

## The gate in `make test` (about 2-3 min): fails if TypedModelViewSet's median latency is over
## the ratios of GATES in benchmarks/api/run.py (lists: 0.90x hand-optimized DRF, 1.00x
## django-ninja; retrieve: 0.90x and 1.12x; writes: 1.10x hand-optimized DRF); wrk 3 s per
## target.
bench-check: install postgres needs-bench-check
	DATABASE_URL=$(BENCH_DB_URL) $(BIN)/python benchmarks/api/run.py --check --port $(BENCH_PORT)

## The documentation site, warnings as errors; the generated reference pages must be current.
docs: install
	$(BIN)/python scripts/gen_docs_reference.py --check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

## Regenerate docs/reference/ from django_typed_api/conf.py, presets.py and errors/catalogue.py (commit the result).
docs-reference: install
	$(BIN)/python scripts/gen_docs_reference.py

## sdist + wheel into dist/ and `twine check --strict`: the release workflow publishes what this
## builds, after `make test-packaging` has tested these very files.
dist: install
	rm -rf dist
	$(BIN)/python -m build --installer uv --outdir dist .
	$(BIN)/twine check --strict dist/*

## `make dist`, then the wheel in fresh venvs (a minimal project runs the management commands)
## and the README quickstart and getting-started guide run as written, install line included.
test-packaging: dist
	DIST_DIR=dist $(BIN)/pytest -q -m packaging -p no:cacheprovider \
		tests/test_packaging.py tests/test_docs_quickstart.py

## The workflow files in .github/workflows/ (actionlint, from the dev extra).
actionlint: install
	$(BIN)/actionlint -shellcheck= -pyflakes= .github/workflows/*.yml

## The Python x Django matrix (SQLite, and PostgreSQL on the oldest and newest pairs), each
## env running the unit suite exactly as `make unit` selects it; lint and type run in `make
## check`, and as `tox -e lint,type`.
tox: install postgres
	PATH="$(PYTHONS_PATH):$$PATH" PG_URL=$(PG_URL) $(BIN)/tox run-parallel -m matrix --parallel 2 --parallel-no-spinner

## ---- Svelte templates, the SvelteKit front end and its browser tests ----------------------
## templates/svelte is copied (manage.py typed_api_svelte, as a user would) into the front end
## and into a SvelteKit 2 and a SvelteKit 3 scaffold; all three must pass svelte-check with
## --fail-on-warnings; then the front end is built and driven in Debian's chromium against
## Django. SvelteKit 3 needs Node >= 22.17 (`make node`). Everything installs from the
## committed lockfiles (npm ci). chromium is Debian's (`make bootstrap` installs it as root).
FRONTEND := testproject/frontend
SCAFFOLDS := tests/svelte_scaffolds
NPM_CI := npm ci --no-audit --no-fund --loglevel=error
E2E_PORT ?= 8501

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json | $(NODE_BIN)/node
	cd $(FRONTEND) && $(WITH_NODE) $(NPM_CI)
	touch $@

$(SCAFFOLDS)/kit3/node_modules/.installed: $(SCAFFOLDS)/kit3/package-lock.json | $(NODE_BIN)/node
	cd $(SCAFFOLDS)/kit3 && $(WITH_NODE) $(NPM_CI)
	touch $@

$(SCAFFOLDS)/kit2/node_modules/.installed: $(SCAFFOLDS)/kit2/package-lock.json
	cd $(SCAFFOLDS)/kit2 && $(NPM_CI)
	touch $@

frontend-install: $(FRONTEND)/node_modules/.installed $(SCAFFOLDS)/kit2/node_modules/.installed $(SCAFFOLDS)/kit3/node_modules/.installed

## The templates into the front end (git-ignored copies); its types are the committed ones
## that `manage.py sync_types` writes (generated here only if missing).
frontend-templates: install $(FRONTEND)/node_modules/.installed
	cd testproject && $(BIN)/python manage.py typed_api_svelte --dest frontend/src/lib --examples --force --no-scripts >/dev/null
	test -f $(FRONTEND)/src/lib/api/backend-api-schema.d.ts || (cd testproject && $(WITH_NODE) $(BIN)/python manage.py sync_types)

## The templates and freshly synced types into both scaffolds (a scratch schema file each).
scaffold-templates: install $(SCAFFOLDS)/kit2/node_modules/.installed $(SCAFFOLDS)/kit3/node_modules/.installed
	for kit in kit2 kit3; do \
		dir=$(abspath $(SCAFFOLDS))/$$kit; \
		rm -rf $$dir/src/lib && \
		(cd testproject && $(BIN)/python manage.py typed_api_svelte --dest $$dir/src/lib --examples --force --no-scripts >/dev/null && \
		 $(WITH_NODE) $(BIN)/python manage.py sync_types --skip-checks --schema-file $$dir/schema.yaml \
			--types-file $$dir/src/lib/api/backend-api-schema.d.ts >/dev/null) || exit 1; \
	done

frontend-check: frontend-templates scaffold-templates
	cd $(SCAFFOLDS)/kit2 && npm run -s check
	cd $(SCAFFOLDS)/kit3 && $(WITH_NODE) npm run -s check
	cd $(FRONTEND) && $(WITH_NODE) npm run -s check

## Both modes: the single-page app Django serves (build/) and the SvelteKit server that renders
## in front of Django (build-ssr/, FRONTEND_MODE=ssr). docs/concepts/svelte.md compares them.
frontend-build: frontend-templates
	cd $(FRONTEND) && $(WITH_NODE) npm run -s build
	cd $(FRONTEND) && $(WITH_NODE) npm run -s build:ssr

## svelte-check (Kit 2, Kit 3, the app), vite build (both modes), the renamed-field type-safety
## test, the resource layer's worked example (docs/concepts/resource-layer.md, its line count
## printed), then Playwright: the SPA against gunicorn + the built app on 127.0.0.1:$(E2E_PORT),
## the SSR mode against the SvelteKit server on $(E2E_PORT)+2 in front of gunicorn on
## $(E2E_PORT)+3. Screenshots go to testproject/frontend/e2e/screenshots/ (git-ignored).
test-frontend: needs-test-frontend frontend-check frontend-build
	$(WITH_NODE) $(BIN)/pytest -q -s -p no:cacheprovider -m frontend tests/test_typed_api_svelte_typesafety.py \
		tests/test_docs_resource_layer.py
	cd $(FRONTEND) && $(WITH_NODE) PYTHON=$(BIN)/python E2E_PORT=$(E2E_PORT) npx playwright test


## Edit -> types latency (issue 15): `sync_types --watch` on a copy of the testproject, a
## serializer edited N times, timed until the types file changes, against the seed's loop
## (sync_types --schema-only + openapi-typescript's CLI through npx) measured in the same run.
## Prints medians; fails when the watch median is over 1.5 s. `bench-typesync` also records the
## table in benchmarks/RESULTS.md; `bench-typesync-check`, in `make test`, is the gate (fewer rounds).
## `sync_types --watch` and runserver's type sync on a copy of the testproject (2-4 min):
## an edit reaches the types, a broken file is one line and keeps the previous files.
test-typesync: install $(FRONTEND)/node_modules/.installed
	$(WITH_NODE) $(BIN)/pytest -q -p no:cacheprovider -m typesync tests/test_sync_types_watch.py

bench-typesync: install $(FRONTEND)/node_modules/.installed
	$(WITH_NODE) $(BIN)/python benchmarks/typesync/run.py --rounds 10 --baseline-rounds 3 --record

bench-typesync-check: install $(FRONTEND)/node_modules/.installed
	$(WITH_NODE) $(BIN)/python benchmarks/typesync/run.py --rounds 5 --baseline-rounds 1

## Schema fuzzing (about 3.5 min): schemathesis, every operation and every check, anonymous and
## with a JWT, seed fixed, 90 s per run, against gunicorn on a fresh seeded PostgreSQL database
## (tests/test_fuzz.py; what is narrowed and why: tests/fuzz/). FUZZ_MAX_SECONDS=N changes the bound,
## FUZZ_SEED=N the seed (explore elsewhere; a failure prints the seed that reproduces it).
.PHONY: test-fuzz
test-fuzz: install postgres
	PG_URL=$(PG_URL) $(BIN)/pytest -q -s -p no:cacheprovider -m fuzz tests/test_fuzz.py

## Load (about 30 s): wrk on list, retrieve and create (JWT, unique titles) against gunicorn with
## 4 workers on PostgreSQL, 5 s each; zero socket errors, zero non-2xx. `make load`: 20 s each,
## throughput written to benchmarks/RESULTS.md (commit it).
.PHONY: test-load load
test-load: install postgres needs-test-load
	PG_URL=$(PG_URL) LOAD_SECONDS=5 $(BIN)/pytest -q -s -p no:cacheprovider -m load tests/test_load.py

load: install postgres needs-test-load
	PG_URL=$(PG_URL) LOAD_SECONDS=20 LOAD_RECORD=1 $(BIN)/pytest -q -s -p no:cacheprovider -m load tests/test_load.py

## JWT auth on Redis (127.0.0.1:6379/1): the whole auth suite with the denylist and throttle
## counters in Redis, and two gunicorn processes sharing it (tests/test_auth_redis.py); then
## attacks and outages through gunicorn on PostgreSQL (tests/test_auth_hardening.py, about
## 2 min: a private redis-server and PostgreSQL cluster on ports 9440-9499 that it stops).
test-auth: install redis postgres
	REDIS_URL=$(AUTH_REDIS_URL) $(BIN)/pytest -q -p no:cacheprovider \
		tests/test_auth.py tests/test_auth_cookie.py tests/test_auth_throttle.py \
		tests/test_auth_schema.py tests/test_auth_checks.py tests/test_auth_revocation.py
	REDIS_URL=$(AUTH_REDIS_URL) PG_URL=$(PG_URL) $(BIN)/pytest -q -s -p no:cacheprovider \
		-m auth_redis tests/test_auth_redis.py tests/test_auth_hardening.py

## ---- make test ---------------------------------------------------------------------------
## Everything CI runs. After the prerequisites, the venv and Node, scripts/run_suites.py runs
## SUITES $(JOBS) at a time, longest first, each into build/test-logs/SUITE.log (printed whole
## when it ends, with its time); the suites in ALONE run after them, one at a time, on a quiet
## CPU: the timing gates, and the fuzzer (it must generate 1,000 cases within its 90 s bounds).
## `make test SUITES="check test-pg"` runs a selection (and checks only its prerequisites).
SUITES ?= tox test-frontend test-packaging check test-pg test-compat test-errors test-auth test-migration \
	test-generators docs test-load actionlint test-fuzz bench-check bench-schema-check \
	test-typesync bench-typesync-check
ALONE := test-fuzz bench-check bench-schema-check bench-typesync-check
JOBS ?= 2

test: bootstrap install node
	$(BIN)/python scripts/run_suites.py --jobs $(JOBS) $(addprefix --alone ,$(ALONE)) $(SUITES)

DEMO_DB ?= demo.sqlite3
## `make demo` (MODE=spa): Django serves the built single-page app and the API on :8000.
## `make demo MODE=ssr`: the SvelteKit server renders on :3000 in front of Django on :8000
## (refresh-cookie mode, so the user is signed in while the server renders).
MODE ?= spa
demo: SUITES := demo
demo: bootstrap install frontend-build
	@case "$(MODE)" in spa|ssr) ;; *) echo "MODE must be spa or ssr, not $(MODE)" >&2; exit 2;; esac
	cd testproject && SQLITE_NAME=$(DEMO_DB) $(BIN)/python manage.py migrate --noinput -v0
	cd testproject && SQLITE_NAME=$(DEMO_DB) $(BIN)/python manage.py seed_vacancies --count 200
	@echo ""
	@if [ "$(MODE)" = ssr ]; then \
	  echo "  Front end: http://127.0.0.1:3000/   (SvelteKit server, rendering in front of Django)"; \
	  echo "  API:      http://127.0.0.1:3000/api/vacancies/  (passed on to Django on :8000)"; \
	else \
	  echo "  Front end: http://127.0.0.1:8000/   (SvelteKit single-page app, served by Django)"; \
	  echo "  API:      http://127.0.0.1:8000/api/vacancies/"; \
	fi
	@echo "  Swagger:  http://127.0.0.1:8000/api/docs/"
	@echo "  Redoc:    http://127.0.0.1:8000/api/redoc/"
	@echo "  Schema:   http://127.0.0.1:8000/api/schema/"
	@echo "  Login:    demo / demo-password"
	@echo ""
	@if [ "$(MODE)" = ssr ]; then \
	  cd testproject && trap 'kill $$django 2>/dev/null' EXIT INT TERM; \
	  SQLITE_NAME=$(DEMO_DB) TESTPROJECT_SSR=1 $(BIN)/python manage.py runserver 127.0.0.1:8000 & django=$$!; \
	  PORT=3000 HOST=127.0.0.1 ORIGIN=http://127.0.0.1:3000 DJANGO_ORIGIN=http://127.0.0.1:8000 \
	    $(WITH_NODE) node frontend/build-ssr; \
	else \
	  cd testproject && SQLITE_NAME=$(DEMO_DB) $(BIN)/python manage.py runserver 127.0.0.1:8000; \
	fi

clean:
	rm -rf $(VENV) .tox .mypy_cache .ruff_cache .pytest_cache .node build dist testproject/*.sqlite3

## drf-spectacular's own test suite (sdist of the installed version, in its own venv under
## tests/compat/.cache) run stock and with TypedAutoSchema, with and without the preset; every
## difference from stock must be explained in tests/compat/expectations.yaml. See its README.
## Needs PyPI (the sdist, the peer venv) on the first run; reuses its baselines after (~1 min).
.PHONY: test-compat
test-compat: install
	$(BIN)/pytest -q -p no:cacheprovider -m compat tests/compat

## docs/migrating.md, executed (about 2.5 min; 4.5 min on a busy machine):
## tests/existing_project, an ordinary DRF project, adopts django-typed-api step by step; each
## step keeps `check`, schema generation and a table of requests working, and the project's own
## changes (tests/existing_project/changes/) are made where the guide says. The names table in
## docs/migrating.md must be the generated one: MIGRATION_WRITE_TABLE=1 make test-migration
## rewrites it.
.PHONY: test-migration
test-migration: install
	$(BIN)/pytest -q -s -p no:cacheprovider -m migration tests/test_migration_guide.py
