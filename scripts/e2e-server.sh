#!/usr/bin/env bash
# Starts the release server for the end-to-end tests: the built site from target/, a
# fresh zero-setup SQLite file (so the demo data) in a temp dir, port E2E_PORT.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/tickerboard-e2e.XXXXXX)
cp "$root/Leptos.toml" "$work/"
cd "$work"
unset DATABASE_URL
export LEPTOS_SITE_ROOT="$root/target/site"
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3000}"
exec "$root/target/release/server"
