#!/usr/bin/env bash
# Fails if the built site (HTML assets, JS, wasm) holds a database URL, a key name's
# value, or a secret from the environment. Run after build-site.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
site=target/site
[ -d "$site/pkg" ] || { echo "no built site in $site: run scripts/build-site.sh" >&2; exit 1; }

# Setting names may appear (the demo banner names DATABASE_URL); values may not.
patterns=('postgres://' 'postgresql://' 'sqlite://' 'apikey=' 'appid=' 'PASSWORD')
for var in DATABASE_URL ALPHAVANTAGE_API_KEY OPENWEATHER_API_KEY TEST_DATABASE_URL; do
  value=${!var:-}
  [ -n "$value" ] && patterns+=("$value")
done
found=0
for p in "${patterns[@]}"; do
  # -a: search the wasm as text too; skip the precompressed copies (same content).
  if grep -r -a -l -F --exclude='*.br' --exclude='*.gz' -- "$p" "$site" >/dev/null 2>&1; then
    echo "secret check: '$p' found in:" >&2
    grep -r -a -l -F --exclude='*.br' --exclude='*.gz' -- "$p" "$site" >&2
    found=1
  fi
done
[ $found = 0 ] || exit 1
echo "secret check: no database URL or key in $(find "$site" -type f ! -name '*.br' ! -name '*.gz' | wc -l) built files"
