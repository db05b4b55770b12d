#!/usr/bin/env bash
# The SSR end-to-end stack: Django (gunicorn, fresh seeded SQLite, refresh-cookie mode) on
# 127.0.0.1:$((E2E_SSR_PORT + 1)) behind the SvelteKit server (build-ssr/, adapter-node) on
# 127.0.0.1:$E2E_SSR_PORT, which renders the pages and passes /api, /media, /static on.
set -euo pipefail
cd "$(dirname "$0")/../.."  # testproject/
PYTHON=${PYTHON:-../.venv/bin/python}
BIN=$(dirname "$PYTHON")
PORT=${E2E_SSR_PORT:-8503}
DJANGO_PORT=$((PORT + 1))
DATA_DIR=$(mktemp -d)
export SQLITE_NAME="$DATA_DIR/e2e-ssr.sqlite3" MEDIA_ROOT="$DATA_DIR/media" TESTPROJECT_SSR=1
export E2E_LOGIN_THROTTLE_RATE=${E2E_LOGIN_THROTTLE_RATE:-1000/min}
unset DATABASE_URL REDIS_URL E2E_ACCESS_TOKEN_SECONDS
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-e2e-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')}
test -f frontend/build-ssr/index.js || { echo "frontend/build-ssr is missing: run make frontend-build" >&2; exit 1; }
"$PYTHON" manage.py migrate --noinput -v0 --skip-checks
"$PYTHON" manage.py seed_vacancies --count 60 --skip-checks >/dev/null
"$BIN/gunicorn" testproject.wsgi --bind "127.0.0.1:$DJANGO_PORT" --workers 1 --threads 4 \
  --log-level warning &
django=$!
PORT=$PORT HOST=127.0.0.1 ORIGIN="http://127.0.0.1:$PORT" DJANGO_ORIGIN="http://127.0.0.1:$DJANGO_PORT" \
  node frontend/build-ssr &
kit=$!
trap 'kill $kit $django 2>/dev/null; wait $kit $django 2>/dev/null; rm -rf "$DATA_DIR"' EXIT INT TERM
wait -n $kit $django
