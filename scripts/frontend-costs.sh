#!/usr/bin/env bash
# What each front-end mode costs (docs/concepts/svelte.md): time to first byte of /vacancies
# and of its data, and the JavaScript the browser loads, for the SPA (Django serves build/)
# and SSR (the SvelteKit server in build-ssr/ in front of Django). Starts both e2e stacks on
# 127.0.0.1:$PORT (SPA), $PORT+2 (SSR) and $PORT+3 (its Django), measures, stops them.
# Usage: scripts/frontend-costs.sh [PORT] (after `make frontend-build`; needs .node and .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${1:-9261}
ROOT=$PWD
export PATH="$ROOT/.node/bin:$PATH" PYTHON="$ROOT/.venv/bin/python"
cd testproject/frontend
E2E_PORT=$PORT setsid bash e2e/serve.sh >/dev/null 2>&1 & spa=$!
E2E_SSR_PORT=$((PORT + 2)) setsid bash e2e/serve-ssr.sh >/dev/null 2>&1 & ssr=$!
trap 'kill -- -$spa -$ssr 2>/dev/null || true' EXIT
for url in "http://127.0.0.1:$PORT/api/skills/" "http://127.0.0.1:$((PORT + 2))/api/skills/"; do
  for _ in $(seq 120); do curl -sf -o /dev/null "$url" && break; sleep 1; done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ttfb() {  # median time to first byte in ms over 20 requests, after 3 warm-ups
  for _ in 1 2 3; do curl -s -o /dev/null "$1"; done
  for _ in $(seq 20); do curl -s -o /dev/null -w '%{time_starttransfer}\n' "$1"; done |
    awk '{printf "%.1f\n", $1 * 1000}' | median
}
js_of_page() {  # the JavaScript a page's HTML preloads: files, raw KB, gzip KB
  local html dir=$2 raw=0 gz=0 n=0
  html=$(curl -s "$1")
  for f in $(grep -o '_app/immutable/[^"]*\.js' <<<"$html" | sort -u); do
    n=$((n + 1)); raw=$((raw + $(stat -c %s "$dir/$f"))); gz=$((gz + $(gzip -9c "$dir/$f" | wc -c)))
  done
  echo "$n files, $((raw / 1024)) KB, $((gz / 1024)) KB gzipped"
}
all_js() {
  local raw gz
  raw=$(find "$1/_app/immutable" -name '*.js' -exec cat {} + | wc -c)
  gz=$(find "$1/_app/immutable" -name '*.js' -exec cat {} + | gzip -9 | wc -c)
  echo "$((raw / 1024)) KB, $((gz / 1024)) KB gzipped"
}
SPA=http://127.0.0.1:$PORT SSR=http://127.0.0.1:$((PORT + 2))
echo "| | SPA | SSR |"
echo "| --- | --- | --- |"
echo "| first byte of /vacancies (median of 20) | $(ttfb "$SPA/vacancies") ms (the empty shell) | $(ttfb "$SSR/vacancies") ms (the page with its 20 rows) |"
echo "| first byte of the list's data, /api/vacancies/ | $(ttfb "$SPA/api/vacancies/") ms (asked after the JavaScript ran) | in the HTML |"
echo "| HTML of /vacancies | $(curl -s "$SPA/vacancies" | wc -c) bytes | $(curl -s "$SSR/vacancies" | wc -c) bytes |"
echo "| JavaScript /vacancies preloads | $(js_of_page "$SPA/vacancies" build) | $(js_of_page "$SSR/vacancies" build-ssr/client) |"
echo "| all JavaScript of the build | $(all_js build) | $(all_js build-ssr/client) |"
echo "| server side | Django only | + Node $(node --version) (build-ssr: $(du -sk build-ssr | cut -f1) KB) |"
