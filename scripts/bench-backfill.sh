#!/usr/bin/env bash
# Runs the backfill benchmark (ingest/examples/backfill_bench.rs) in release mode
# against a throwaway Postgres (fsync on, like a real server) and a SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
started=""
if [ -z "${BENCH_POSTGRES_URL:-}" ]; then
  eval "$(PG_DURABLE=1 bash scripts/throwaway-postgres.sh start)"
  started=$PG_THROWAWAY_DIR
  export BENCH_POSTGRES_URL=$TEST_DATABASE_URL
fi
trap '[ -n "$started" ] && bash scripts/throwaway-postgres.sh stop "$started"' EXIT
cargo run --locked --release -p ingest --example backfill_bench
