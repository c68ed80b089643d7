#!/usr/bin/env bash
# Browser benchmark (bench/browser.mjs) against the release server over the benchmark
# data (see bench/server.sh): cold chart time, bytes, select → redrawn, CLS.
#   bash bench/browser.sh [--runs 5]
source "$(dirname "$0")/server.sh"
node bench/browser.mjs "$BASE/" "$@"
echo "==> server RSS after: $(server_rss)"
