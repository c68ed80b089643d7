#!/usr/bin/env bash
# Command 1 of the README: installs what is missing, builds, and serves the dashboard
# at http://127.0.0.1:3000 (LEPTOS_SITE_ADDR to change). With no DATABASE_URL it uses
# ./tickerboard.db, filled with demo data the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-site.sh
export LEPTOS_SITE_ROOT="$PWD/target/site"
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
echo "==> open http://$LEPTOS_SITE_ADDR"
exec target/release/server
