#!/usr/bin/env bash
# Command 2 of the README: runs every test. Installs what is missing first (idempotent),
# starts a throwaway Postgres unless TEST_DATABASE_URL is given, stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

started_pg=""
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  eval "$(bash scripts/throwaway-postgres.sh start)"
  started_pg=$PG_THROWAWAY_DIR
  echo "==> throwaway Postgres on port $PG_THROWAWAY_PORT"
fi
cleanup() {
  [ -n "$started_pg" ] && bash scripts/throwaway-postgres.sh stop "$started_pg"
  return 0
}
trap cleanup EXIT

echo "==> unit and store tests (SQLite and Postgres)"
cargo test --locked -p store
