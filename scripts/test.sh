#!/usr/bin/env bash
# Command 2 of the README: runs every test. Installs what is missing first (idempotent),
# starts a throwaway Postgres unless TEST_DATABASE_URL is given, stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --test
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

started_pg=""
cleanup() {
  if [ -n "$started_pg" ]; then bash scripts/throwaway-postgres.sh stop "$started_pg"; fi
}
trap cleanup EXIT
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  eval "$(bash scripts/throwaway-postgres.sh start)"
  started_pg=$PG_THROWAWAY_DIR
  echo "==> throwaway Postgres on port $PG_THROWAWAY_PORT"
fi

echo "==> lints"
cargo fmt --all --check
cargo clippy --locked -p store -p app -p server -p ingest -p ingest-lambda --all-targets -- -D warnings
cargo clippy --locked -p frontend --target wasm32-unknown-unknown -- -D warnings

echo "==> unit, store, ingest and HTTP tests (SQLite, Postgres, PgBouncer)"
cargo test --locked -p store -p app -p server -p ingest -p ingest-lambda

echo "==> release build of the site"
bash scripts/build-site.sh
bash scripts/check-site-secrets.sh

echo "==> end-to-end tests in Chromium (desktop 1280x800, phone 390x844)"
(cd end2end && npx playwright test)
