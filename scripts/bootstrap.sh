#!/usr/bin/env bash
# The one prerequisites step (`make bootstrap`; `make test`, `make demo` and .ci/run run it first).
#
#   scripts/bootstrap.sh [--check [--quiet]] [SUITE...]
#
# Checks every tool the given make targets need (all of `make test` when none are given) and
# prints one screen: each tool present or missing, what needs it, and the command that installs
# it. Run as root where apt-get exists (CI, this project's machines), it then installs the
# missing Debian packages itself and starts PostgreSQL/Redis when they are installed but down;
# otherwise (a laptop without root) it stops at that screen, before anything else has run.
# --check only reports (exit 1 when something needed is missing); --quiet prints the screen only
# then (make targets that need a root-installed tool use that).
set -euo pipefail
cd "$(dirname "$0")/.."

# test-compat (drf-spectacular's own suite) needs python3.11 and PyPI, like test-packaging: it
# downloads the drf-spectacular sdist and builds its venv under tests/compat/.cache.
ALL_SUITES="check docs test-pg test-compat test-migration test-errors test-auth test-fuzz test-load test-packaging
test-generators test-frontend tox actionlint bench-check bench-schema-check test-typesync bench-typesync-check demo"
check_only=0 quiet=0
suites=()
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    --quiet) quiet=1 ;;
    -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) suites+=("$arg") ;;
  esac
done
[ ${#suites[@]} -gt 0 ] || read -r -a suites <<<"$(echo $ALL_SUITES)"
PG_HOST=127.0.0.1 PG_PORT=5432 NODE_MIN=22.18.0
can_apt=0
[ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && can_apt=1

# needs SUITE...: is any of them among the selected suites?
needs() {
  local wanted have
  for wanted in "$@"; do
    for have in "${suites[@]}"; do [ "$wanted" = "$have" ] && return 0; done
  done
  return 1
}

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

ping_redis() {
  (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 reply <&3 &&
    [[ "$reply" == +PONG* ]]) 2>/dev/null
}

pg_trust() {
  command -v psql >/dev/null 2>&1 &&
    PGCONNECT_TIMEOUT=3 psql -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc \
      'show server_version' 2>/dev/null | cut -d' ' -f1
}

chromium_path() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

# One row per tool: status, tool, detail, needed by, how to install (apt package or command).
rows=() missing_apt=() missing_other=0
row() { rows+=("$1|$2|$3|$4|$5"); }

check_all() {
  rows=() missing_apt=() missing_other=0
  local v pythons=() minor dir

  if v=$(python3.11 -c 'import sys; print(sys.version.split()[0])' 2>/dev/null); then
    row ok python3.11 "$v" "every target (.venv)" ""
  else
    row missing python3.11 "not on PATH" "every target (.venv)" "apt-get install -y python3.11-venv"
    missing_apt+=(python3.11-venv)
  fi

  if needs tox; then
    for minor in 3.10 3.12 3.13; do
      if dir=$(scripts/pythons-path.sh | tr ':' '\n' | grep "/$minor\." | head -1) && [ -n "$dir" ]; then
        pythons+=("$(basename "$(dirname "$dir")")")
      elif command -v "python$minor" >/dev/null 2>&1; then
        pythons+=("$minor")
      else
        row missing "python$minor" "not in pyenv or on PATH" "make tox" "pyenv install $minor"
        missing_other=1
      fi
    done
    [ ${#pythons[@]} -gt 0 ] && row ok "Pythons for tox" "${pythons[*]}" "make tox" ""
  fi

  if needs test-frontend test-generators test-errors test-packaging check demo test-typesync bench-typesync-check; then
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
      v=$(node --version)
      if version_ge "${v#v}" "$NODE_MIN"; then
        row ok "node, npm" "$v, npm $(npm --version)" "front end, generators, types" ""
      else
        row ok "node, npm" "$v, npm $(npm --version) (< $NODE_MIN: make brings Node 22 from npm)" \
          "front end, generators, types" ""
      fi
    else
      row missing "node, npm" "not on PATH" "front end, generators, types" \
        "apt-get install -y nodejs npm"
      missing_apt+=(nodejs npm)
    fi
  fi

  if needs test-pg test-auth test-errors test-fuzz test-load bench-check tox; then
    if v=$(pg_trust) && [ -n "$v" ]; then
      row ok PostgreSQL "$v on $PG_HOST:$PG_PORT, user postgres, trust auth" \
        "test-pg, errors, fuzz, load, bench, tox" ""
    elif command -v pg_ctlcluster >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1; then
      row down PostgreSQL "installed, not answering on $PG_HOST:$PG_PORT with trust auth" \
        "test-pg, errors, fuzz, load, bench, tox" "scripts/ensure-postgres.sh"
    else
      row missing PostgreSQL "not installed" "test-pg, errors, fuzz, load, bench, tox" \
        "apt-get install -y postgresql (then trust auth for 127.0.0.1 in pg_hba.conf)"
      missing_apt+=(postgresql)
    fi
  fi

  if needs test-auth; then
    if ping_redis; then
      row ok Redis "answers on 127.0.0.1:6379" "test-auth" ""
    elif command -v redis-server >/dev/null 2>&1; then
      row down Redis "installed, not running" "test-auth" "scripts/ensure-redis.sh"
    else
      row missing Redis "not installed" "test-auth" "apt-get install -y redis-server"
      missing_apt+=(redis-server)
    fi
  fi

  if needs test-frontend; then
    if v=$(chromium_path); then
      row ok chromium "$v" "test-frontend (Playwright)" ""
    else
      row missing chromium "no /usr/bin/chromium (or CHROMIUM_PATH)" "test-frontend (Playwright)" \
        "apt-get install -y chromium"
      missing_apt+=(chromium)
    fi
  fi

  if needs test-load bench-check; then
    if command -v wrk >/dev/null 2>&1; then
      row ok wrk "$(command -v wrk)" "test-load, bench-check" ""
    else
      row missing wrk "not on PATH" "test-load, bench-check" "apt-get install -y wrk"
      missing_apt+=(wrk)
    fi
  fi
}

print_screen() {
  local line status tool detail by how
  echo "Prerequisites of: ${suites[*]}" | fold -s -w 96
  for line in "${rows[@]}"; do
    IFS='|' read -r status tool detail by how <<<"$line"
    printf '  %-7s %-15s %s  [%s]\n' "$status" "$tool" "$detail" "$by"
    [ -n "$how" ] && printf '  %-7s %-15s -> %s\n' "" "" "$how"
  done
  return 0
}

downs() { printf '%s\n' "${rows[@]}" | grep -c '^down|' || true; }

check_all
if [ ${#missing_apt[@]} -eq 0 ] && [ "$missing_other" = 0 ] && [ "$(downs)" = 0 ]; then
  [ "$quiet" = 1 ] || { print_screen; echo "All prerequisites present."; }
  exit 0
fi
print_screen
if [ "$check_only" = 1 ]; then
  echo "Missing prerequisites: run the commands above, or \`make bootstrap\` as root." >&2
  exit 1
fi
if [ "$missing_other" != 0 ]; then
  echo "Install what is missing above (no apt package for it), then run make again." >&2
  exit 1
fi
if [ ${#missing_apt[@]} -gt 0 ]; then
  if [ "$can_apt" != 1 ]; then
    echo "Missing system packages; as root (sudo) run:" >&2
    echo "  apt-get update && apt-get install -y ${missing_apt[*]}" >&2
    echo "or choose suites that do not need them: make test SUITES=\"...\" (see CONTRIBUTING.md)." >&2
    exit 1
  fi
  echo "Installing: ${missing_apt[*]}"
  # Wait for another apt run (a neighbour's install) instead of failing on the dpkg lock.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "${missing_apt[@]}" >/dev/null
  if printf '%s\n' "${missing_apt[@]}" | grep -qx postgresql; then
    # A fresh Debian cluster asks local TCP clients for a password; the suites connect as
    # postgres without one.
    for hba in /etc/postgresql/*/main/pg_hba.conf; do
      sed -i -E 's#^(host\s+all\s+all\s+(127\.0\.0\.1/32|::1/128)\s+)\S+#\1trust#' "$hba"
    done
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main restart || true
  fi
fi
needs test-pg test-auth test-errors test-fuzz test-load bench-check tox && scripts/ensure-postgres.sh
needs test-auth && scripts/ensure-redis.sh
check_all
if [ ${#missing_apt[@]} -eq 0 ] && [ "$missing_other" = 0 ] && [ "$(downs)" = 0 ]; then
  echo "All prerequisites present now."
  exit 0
fi
print_screen
echo "Still missing after the install (see above)." >&2
exit 1
