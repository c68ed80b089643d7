#!/usr/bin/env bash
# Load benchmark: the page, the server function and /healthz under wrk, against the
# release server over Postgres with the benchmark data (see bench/server.sh). Prints
# req/s, p50/p99 and errors for each, and the server's memory. Run it on a quiet
# machine (no build running).
#   bash bench/load.sh
#   DURATION=10 CONNECTIONS=128 BENCH_DATABASE_URL=postgres://… bash bench/load.sh
source "$(dirname "$0")/server.sh"
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-256}
API_CONNECTIONS=${API_CONNECTIONS:-64}

run() { # label, connections, url, [form body]
  local line
  line=$(WRK_BODY=${4:-} wrk -t2 -c"$2" -d"${DURATION}s" --latency \
    -H 'Accept-Encoding: br' -s bench/wrk-report.lua "$3" | grep '^RESULT')
  printf '%-32s %4d conns  %s\n' "$1" "$2" "${line#RESULT }"
}

echo "==> wrk, ${DURATION} s each, brotli accepted; server RSS at start $(server_rss)"
run "GET /?symbol=TSLA (page)" "$CONNECTIONS" "$BASE/?symbol=TSLA"
run "POST /api/dashboard (server fn)" "$API_CONNECTIONS" "$BASE/api/dashboard" "symbol=TSLA"
run "GET /healthz" "$CONNECTIONS" "$BASE/healthz"
echo "==> server RSS after: $(server_rss)"
