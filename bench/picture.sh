#!/usr/bin/env bash
# The chart as a picture (#25): /chart.png over Postgres with the benchmark data
# (bench/server.sh: 5 symbols × 5,000 days). Prints
#   1. misses: 20 distinct views (5 symbols × all / 1Y / candles with RSI / EMA, BB
#      and MACD), none in the page cache, each timed once with curl: median, p95, max,
#      and the PNGs' sizes;
#   2. hits: wrk on one /chart.png, 256 connections.
# Run it on a quiet machine (no build running).
#   bash bench/picture.sh
#   DURATION=10 bash bench/picture.sh
source "$(dirname "$0")/server.sh"
DURATION=${DURATION:-20}
CONNECTIONS=${CONNECTIONS:-256}
psql=$(ls /usr/lib/postgresql/*/bin/psql 2>/dev/null | head -1)
symbols=$("${psql:-psql}" -tA "$BENCH_DATABASE_URL" -c "SELECT DISTINCT symbol FROM daily_prices ORDER BY 1")

echo "==> misses: 20 views not in the page cache, one request each"
times=() sizes=()
for s in $symbols; do
  for view in "" "&range=1Y" "&chart=candles&ind=rsi" "&ind=ema20,bb,macd"; do
    out=$(curl -fsS -o /dev/null -w '%{time_total} %{size_download}' "$BASE/chart.png?symbol=$s$view")
    times+=("${out% *}") sizes+=("${out#* }")
  done
done
printf '%s\n' "${times[@]}" | sort -n | awk '{ v[NR] = $1 * 1000 } END {
  printf "    median %.1f ms, p95 %.1f ms, max %.1f ms over %d\n", v[int((NR + 1) / 2)], v[int(NR * 0.95 + 0.5)], v[NR], NR }'
printf '%s\n' "${sizes[@]}" | sort -n | awk '{ v[NR] = $1 / 1024 } END {
  printf "    PNG sizes: smallest %.1f KiB, largest %.1f KiB\n", v[1], v[NR] }'

first=$(head -1 <<<"$symbols")
echo "==> hits: wrk, ${DURATION} s, ${CONNECTIONS} connections"
line=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
  -s bench/wrk-report.lua "$BASE/chart.png?symbol=$first" | grep '^RESULT')
printf '    GET /chart.png  %s\n' "${line#RESULT }"
echo "==> server RSS: $(server_rss)"
