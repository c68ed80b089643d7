#!/usr/bin/env bash
# /markets under load (#24): the release server over Postgres with the benchmark data
# (bench/server.sh) and 45 more symbols, 50 × 5,000 days in all. Prints
#   1. misses: each of 50 distinct views (`?vs=<symbol>`, so none is in the page cache)
#      timed once with curl: median, p95, max;
#   2. hits: wrk on /markets, 256 connections, brotli accepted.
# Run it on a quiet machine (no build running).
#   bash bench/markets.sh
#   DURATION=10 bash bench/markets.sh
source "$(dirname "$0")/server.sh"
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-256}
psql=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | head -1)

echo "==> 45 more symbols x 5,000 weekdays (50 in all)"
"${psql:-psql}" -q "$BENCH_DATABASE_URL" >/dev/null <<'SQL'
DELETE FROM daily_prices WHERE source = 'bench-markets';
INSERT INTO daily_prices (symbol, date, open, high, low, close, volume, source)
SELECT 'M' || lpad(n::text, 2, '0'), d.date,
       100 + n + 20 * sin(d.back / (10.0 + n)), 102 + n + 20 * sin(d.back / (10.0 + n)),
       98 + n + 20 * sin(d.back / (10.0 + n)), 100 + n + 20 * sin((d.back + 1) / (10.0 + n)),
       1e6, 'bench-markets'
FROM generate_series(1, 45) AS n
CROSS JOIN (SELECT d::date AS date, row_number() OVER (ORDER BY d DESC) AS back
            FROM generate_series(date '2025-12-31' - 7100, date '2025-12-31', interval '1 day') d
            WHERE extract(isodow FROM d) < 6) d
WHERE d.back <= 5000;
ANALYZE daily_prices;
SQL
symbols=$("${psql:-psql}" -tA "$BENCH_DATABASE_URL" -c "SELECT DISTINCT symbol FROM daily_prices ORDER BY 1")
echo "    $(wc -l <<<"$symbols") symbols, $("${psql:-psql}" -tA "$BENCH_DATABASE_URL" -c "SELECT count(*) FROM daily_prices") bars"

echo "==> misses: 50 views not in the page cache (/markets?vs=SYMBOL), one request each"
times=()
for s in $symbols; do
  t=$(curl -fsS -o /dev/null -H 'Accept-Encoding: br' -w '%{time_total}' "$BASE/markets?vs=$s")
  times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 * 1000 } END {
  printf "    median %.1f ms, p95 %.1f ms, max %.1f ms over %d\n", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.5)], v[NR], NR }'

echo "==> hits: wrk, ${DURATION} s, ${CONNECTIONS} connections, brotli accepted"
line=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H 'Accept-Encoding: br' \
  -s bench/wrk-report.lua "$BASE/markets" | grep '^RESULT')
printf '    GET /markets  %s\n' "${line#RESULT }"
echo "==> server RSS: $(server_rss)"
