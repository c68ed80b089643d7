#!/usr/bin/env bash
# Starts the release server for the end-to-end tests: the built site from target/, a
# fresh zero-setup SQLite file (so the demo data) in a temp dir, port E2E_PORT.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# E2E_WORK: where the SQLite file goes (a test ingests into it while a page is open).
work=${E2E_WORK:-$(mktemp -d /tmp/tickerboard-e2e.XXXXXX)}
case $work in /tmp/?*) ;; *) echo "E2E_WORK must be a directory under /tmp" >&2; exit 2 ;; esac
rm -rf "$work" && mkdir -p "$work"
cp "$root/Leptos.toml" "$work/"
cd "$work"
unset DATABASE_URL
export LEPTOS_SITE_ROOT="$root/target/site"
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3000}"
exec "$root/target/release/server"
