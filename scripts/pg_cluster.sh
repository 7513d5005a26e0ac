#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on 127.0.0.1 for the tests and benchmarks (Debian's
# `postgresql` package). PostgreSQL refuses to run as root, so as root the cluster belongs
# to `nobody` (runuser); otherwise to the calling user.
#
#   eval "$(scripts/pg_cluster.sh start [DIR])"   # prints: export TIMELINE_TEST_PG=postgresql://...
#   scripts/pg_cluster.sh stop [DIR]
#
# The cluster trusts local TCP connections (a test cluster, never a server of record): the
# superuser is `postgres`, the database `timeline`.
set -euo pipefail
cmd=${1:-}
dir=${2:-${TIMELINE_PG_DIR:-/tmp/timeline-pg}}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
if [ -z "$bin" ]; then
    echo "pg_cluster.sh: no PostgreSQL binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
    exit 2
fi
as() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }
case "$cmd" in
start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown nobody "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # TIMELINE_PG_OPTIONS: more server options (the tests pass "-c fsync=off": a throwaway)
    as "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
        -o "-h 127.0.0.1 -p $port -k $dir ${TIMELINE_PG_OPTIONS:-}" start >/dev/null
    as "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAt -c "CREATE DATABASE timeline" postgres >/dev/null 2>&1 || true
    echo "$port" > "$dir/port"
    echo "export TIMELINE_TEST_PG=postgresql://postgres@127.0.0.1:$port/timeline"
    ;;
stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: pg_cluster.sh start|stop [DIR]" >&2
    exit 2
    ;;
esac
