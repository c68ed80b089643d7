#!/usr/bin/env bash
# Command 2 of the README: runs every test. Installs what is missing first (idempotent),
# starts a throwaway Postgres unless TEST_DATABASE_URL is given, stops it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

# A first run builds ~9 GB into target/ (debug, release, wasm, the Lambda zip) and
# /tmp holds the throwaway Postgres: say so before a full disk fails a build or a
# database write halfway through with a less clear message.
free_gb=$(df -Pk . | awk 'NR == 2 { print int($4 / 1048576) }')
if [ "${free_gb:-0}" -lt 12 ]; then
  echo "warning: ${free_gb} GB free on $(df -P . | awk 'NR == 2 { print $6 }'); a first run needs ~12 GB" >&2
fi

bash scripts/setup.sh --test
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

started_pg=""
moto_pid=""
cleanup() {
  if [ -n "$started_pg" ]; then bash scripts/throwaway-postgres.sh stop "$started_pg"; fi
  if [ -n "$moto_pid" ]; then kill "$moto_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  eval "$(bash scripts/throwaway-postgres.sh start)"
  started_pg=$PG_THROWAWAY_DIR
  echo "==> throwaway Postgres on port $PG_THROWAWAY_PORT"
fi

if [ -z "${TEST_AWS_ENDPOINT_URL:-}" ]; then
  # moto: SNS, SQS, S3 and SSM on loopback, for the Lambda chain tests. Never AWS.
  moto_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  .venv-tools/bin/moto_server -H 127.0.0.1 -p "$moto_port" >/tmp/tickerboard-moto.log 2>&1 &
  moto_pid=$!
  export TEST_AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port"
  for _ in $(seq 100); do
    python3 -c "import urllib.request; urllib.request.urlopen('$TEST_AWS_ENDPOINT_URL/moto-api/')" 2>/dev/null && break
    sleep 0.2
  done
  echo "==> moto (AWS emulator) on port $moto_port"
fi
# Any AWS SDK call the tests make goes to the emulator, with dummy credentials.
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

echo "==> lints"
cargo fmt --all --check
python3 scripts/check-layout.py
cargo clippy --locked -p store -p app -p server -p ingest -p ingest-lambda --all-targets --features server/lambda -- -D warnings
cargo clippy --locked -p server --all-targets -- -D warnings   # the default build, without the Lambda runtime
cargo clippy --locked -p frontend --target wasm32-unknown-unknown -- -D warnings

bash scripts/lint-deploy.sh

echo "==> unit, store, ingest and HTTP tests (SQLite, Postgres, PgBouncer), Lambda chain (moto)"
cargo test --locked -p store -p app -p server -p ingest -p ingest-lambda --features server/lambda

echo "==> release build of the site"
bash scripts/build-site.sh
python3 scripts/check-site.py
bash scripts/check-site-secrets.sh

echo "==> the container image (Dockerfile's runtime stage), built and run with podman"
bash scripts/test-container.sh

echo "==> end-to-end tests in Chromium (desktop 1280x800, phone 390x844)"
(cd end2end && npx playwright test)
