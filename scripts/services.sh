#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis the tests use are up on 127.0.0.1 (installing them on a bare
# machine), and prints the DATABASE_URL to use. Sourced by scripts/test.sh.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { [[ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" == PONG ]]; }

if ! command -v pg_ctlcluster >/dev/null || ! command -v redis-server >/dev/null; then
    WITH_SERVICES=1 bash "$(dirname "$0")/setup.sh"
    # A cluster we installed ourselves: let the local test user in without a password, as on CI.
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf | head -1)
    if ! grep -q "portal-tests" "$hba"; then
        sed -i '1i host all postgres 127.0.0.1/32 trust # portal-tests\nhost all postgres ::1/128 trust # portal-tests' "$hba"
    fi
fi
if ! pg_up; then
    echo "启动 PostgreSQL……"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main reload || true
    for _ in $(seq 30); do pg_up && break; sleep 1; done
fi
if ! redis_up; then
    echo "启动 Redis……"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 30); do redis_up && break; sleep 1; done
fi
pg_up || { echo "PostgreSQL 未能启动（127.0.0.1:5432）" >&2; exit 1; }
redis_up || { echo "Redis 未能启动（127.0.0.1:6379）" >&2; exit 1; }
