#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster from the machine's binaries and prints its URL.
#   eval "$(bash scripts/throwaway-postgres.sh start)"   # exports TEST_DATABASE_URL, PG_THROWAWAY_DIR
#   bash scripts/throwaway-postgres.sh stop "$PG_THROWAWAY_DIR"
# The cluster lives in a temp dir owned by the `postgres` user when run as root (initdb
# refuses root), listens on loopback only, trusts local connections, and is fsync-free:
# it exists for tests and is thrown away.
set -euo pipefail

find_pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  echo "no PostgreSQL binaries found (apt-get install postgresql)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

cmd=${1:-start}
case "$cmd" in
  start)
    bin=$(find_pg_bin)
    dir=$(mktemp -d /tmp/tickerboard-pg.XXXXXX)
    chmod 755 "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    port=${PG_PORT:-$(free_port)}
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Tests need no durability; a benchmark (PG_DURABLE=1) keeps the server's defaults.
    fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ -n "${PG_DURABLE:-}" ] && fast=""
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $fast -c max_connections=200" \
      start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
    # PgBouncer in transaction mode in front of it, as Supabase's pooler is.
    if command -v pgbouncer >/dev/null; then
      bport=$(free_port)
      cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$port user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bport
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = 4
max_client_conn = 500
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
      [ "$(id -u)" = 0 ] && chown postgres: "$dir/pgbouncer.ini"
      as_owner pgbouncer -d "$dir/pgbouncer.ini" >/dev/null 2>&1 || { cat "$dir/pgbouncer.log" >&2; exit 1; }
      for _ in $(seq 50); do
        python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$bport)))" && break
        sleep 0.1
      done
      echo "export TEST_PGBOUNCER_URL=postgres://postgres@127.0.0.1:$bport/postgres"
    fi
    echo "export PG_THROWAWAY_DIR=$dir"
    echo "export PG_THROWAWAY_PORT=$port"
    ;;
  stop)
    dir=${2:?usage: stop DIR}
    bin=$(find_pg_bin)
    [ -f "$dir/pgbouncer.pid" ] && kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
