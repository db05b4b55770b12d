#!/usr/bin/env bash
# Make sure Redis answers on 127.0.0.1:6379: start a throw-away, non-persistent instance when it
# is down. Installing redis-server is scripts/bootstrap.sh's job.
set -euo pipefail

ping_redis() {
  # A plain RESP PING over bash's /dev/tcp: no redis-cli needed.
  (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 reply <&3 &&
    [[ "$reply" == +PONG* ]]) 2>/dev/null
}

if ping_redis; then exit 0; fi
if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is not installed: run make bootstrap (or apt-get install redis-server)." >&2
  exit 1
fi
echo "Redis is down; starting it on 127.0.0.1:6379"
mkdir -p /var/lib/redis /var/log/redis
redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log
for _ in $(seq 1 30); do
  ping_redis && exit 0
  sleep 0.5
done
echo "Redis is not reachable on 127.0.0.1:6379; the Redis suites cannot run." >&2
exit 1
