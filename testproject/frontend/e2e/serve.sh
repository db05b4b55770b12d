#!/usr/bin/env bash
# The end-to-end server: a fresh SQLite database seeded with 60 vacancies, the built front end
# (build/) and the API on one origin, gunicorn on 127.0.0.1:$E2E_PORT.
# A 3-second access token makes the client's transparent refresh observable; the login
# throttle is loosened because every test signs in from a fresh browser context.
set -euo pipefail
cd "$(dirname "$0")/../.."  # testproject/
PYTHON=${PYTHON:-../.venv/bin/python}
BIN=$(dirname "$PYTHON")
DB_DIR=$(mktemp -d)
trap 'rm -rf "$DB_DIR"' EXIT
export SQLITE_NAME="$DB_DIR/e2e.sqlite3" MEDIA_ROOT="$DB_DIR/media"
export E2E_ACCESS_TOKEN_SECONDS=${E2E_ACCESS_TOKEN_SECONDS:-3}
export E2E_LOGIN_THROTTLE_RATE=${E2E_LOGIN_THROTTLE_RATE:-1000/min}
unset DATABASE_URL REDIS_URL
# DEBUG is off and the testproject refuses to start without a secret key: a random one per run.
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-e2e-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')}
test -f frontend/build/index.html || { echo "frontend/build is missing: run make frontend-build" >&2; exit 1; }
# System checks run in the Python suites; skipping them here saves seconds per command.
"$PYTHON" manage.py migrate --noinput -v0 --skip-checks
"$PYTHON" manage.py seed_vacancies --count 60 --skip-checks >/dev/null
"$BIN/gunicorn" testproject.wsgi --bind "127.0.0.1:${E2E_PORT:-8501}" --workers 1 --threads 4 \
  --access-logfile - --log-level warning &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$DB_DIR"' EXIT INT TERM
wait $server
