# Sourced by the benchmarks: builds the release site (a no-op when up to date), starts
# a throwaway Postgres seeded with bench/seed-postgres.sql (or uses BENCH_DATABASE_URL),
# and starts the release server on PORT (BENCH_SERVER_BIN: another server binary, e.g.
# one built with another profile). Sets BASE (its URL) and SERVER_PID; everything
# it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
PORT=${PORT:-3100}

bash scripts/setup.sh --bench >/dev/null
export PATH="$root/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
echo "==> release build (a no-op when up to date)"
bash scripts/build-site.sh >/tmp/tickerboard-bench-build.log 2>&1 \
  || { cat /tmp/tickerboard-bench-build.log; exit 1; }

cleanup=()
trap 'for c in "${cleanup[@]}"; do eval "$c" || true; done' EXIT
if [ -z "${BENCH_DATABASE_URL:-}" ]; then
  eval "$(PG_DURABLE=1 bash scripts/throwaway-postgres.sh start)"
  cleanup+=("bash '$root/scripts/throwaway-postgres.sh' stop '$PG_THROWAWAY_DIR'")
  BENCH_DATABASE_URL=$TEST_DATABASE_URL
  echo "==> migrate and seed a throwaway Postgres (5 symbols x 5,000 days, 500 headlines)"
  DATABASE_URL=$BENCH_DATABASE_URL cargo run -q --locked -p ingest -- migrate >/dev/null
  psql=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | head -1)
  "${psql:-psql}" -q "$BENCH_DATABASE_URL" -f bench/seed-postgres.sql >/dev/null
fi

bench_work=$(mktemp -d /tmp/tickerboard-bench.XXXXXX)
cleanup+=("rm -rf '$bench_work'")
cp Leptos.toml "$bench_work/"
if [ -n "${BENCH_MAX_CONNECTIONS:-}" ]; then
  sed -i "s/^max_connections = .*/max_connections = $BENCH_MAX_CONNECTIONS/" "$bench_work/Leptos.toml"
fi
(cd "$bench_work" && DATABASE_URL=$BENCH_DATABASE_URL LEPTOS_SITE_ROOT="$root/target/site" \
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" RUST_LOG=warn exec "${BENCH_SERVER_BIN:-$root/target/release/server}" \
  >"$bench_work/server.log" 2>&1) &
SERVER_PID=$!
cleanup+=("kill $SERVER_PID")
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 100); do
  curl -fs "$BASE/healthz" >/dev/null && break
  sleep 0.1
done
curl -fs -o /dev/null "$BASE/?symbol=TSLA" || { cat "$bench_work/server.log"; exit 1; }

# The server's resident memory right now.
server_rss() { awk '/VmRSS/ {printf "%.1f MiB", $2 / 1024}' "/proc/$SERVER_PID/status"; }
