#!/usr/bin/env bash
# What pages that update themselves cost (#25): open pages ask /data-version every 30 s
# with the ETag of its last answer (public/nav.js). Over the release server and the
# benchmark's Postgres (bench/server.sh), prints
#   1. 1,000 open tabs: 34 conditional requests a second (1,000 / 30 s) for 60 s, the
#      answers' statuses, and the server's CPU time against an idle minute before;
#   2. the most 304s it answers: wrk with If-None-Match, 256 connections.
# Run it on a quiet machine (no build running).
#   bash bench/updates.sh
source "$(dirname "$0")/server.sh"
DURATION=${DURATION:-10}
etag=$(curl -fsS -D - -o /dev/null "$BASE/data-version" | tr -d '\r' | awk -F': ' 'tolower($1) == "etag" { print $2 }')
echo "==> /data-version's ETag: $etag"
cpu() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }
ticks=$(getconf CLK_TCK)

echo "==> idle, 60 s"
before=$(cpu); sleep 60; idle=$(( $(cpu) - before ))
echo "==> 1,000 tabs: 34 requests a second with If-None-Match, 60 s"
before=$(cpu)
python3 - "$BASE/data-version" "$etag" <<'PY'
import sys, time, threading, urllib.request, collections
url, etag = sys.argv[1], sys.argv[2]
statuses = collections.Counter()
lock = threading.Lock()
def ask():
    request = urllib.request.Request(url, headers={"If-None-Match": etag})
    try:
        with urllib.request.urlopen(request) as response:
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception:
        status = "error"
    with lock:
        statuses[status] += 1
start = time.monotonic()
for k in range(34 * 60):
    delay = start + k / 34 - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    threading.Thread(target=ask).start()
time.sleep(2)
print("    answers:", dict(statuses))
PY
busy=$(( $(cpu) - before ))
awk -v i="$idle" -v b="$busy" -v t="$ticks" 'BEGIN {
  printf "    server CPU: idle minute %.2f s (%.2f %% of a core), with the tabs %.2f s (%.2f %%)\n", i / t, i / t / 60 * 100, b / t, b / t / 60 * 100 }'

echo "==> the most: wrk, ${DURATION} s, 256 connections, If-None-Match"
line=$(wrk -t2 -c256 -d"${DURATION}s" --latency -H "If-None-Match: $etag" \
  -s bench/wrk-report.lua "$BASE/data-version" | grep '^RESULT')
printf '    GET /data-version  %s\n' "${line#RESULT }"
echo "==> server RSS: $(server_rss)"
