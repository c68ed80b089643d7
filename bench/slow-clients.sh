#!/usr/bin/env bash
# Slow clients: SLOW connections (1,000 by default; half drip request bodies, half read
# nothing of a CSV), kept up for DURATION seconds, against the release server over
# Postgres with the benchmark data (bench/server.sh); meanwhile new readers' /healthz
# and page are timed (p50/p99/max). Loopback only, bounded in time. The server runs
# with Leptos.toml's [server] settings (MAX_CONNECTIONS=768 sets a lower cap, to see
# new readers wait in the kernel's backlog behind the slow ones).
#   bash bench/slow-clients.sh
#   SLOW=2000 DURATION=60 bash bench/slow-clients.sh
SLOW=${SLOW:-1000}
export BENCH_MAX_CONNECTIONS=${MAX_CONNECTIONS:-}
source "$(dirname "$0")/server.sh"
echo "==> release server, max_connections ${BENCH_MAX_CONNECTIONS:-as in Leptos.toml}; RSS $(server_rss)"
python3 bench/slow-clients.py "$BASE" --slow "$SLOW" --duration "${DURATION:-30}"
echo "==> server RSS after: $(server_rss); its open files now: $(ls /proc/$SERVER_PID/fd | wc -l)"
