#!/usr/bin/env bash
# Builds the release server and the wasm site with cargo-leptos, then precompresses the
# static files (the server sends .br/.gz when the browser accepts them).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"   # npm's wasm-opt first

cargo leptos build --release

find target/site -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' \) | while read -r f; do
  if [ ! -f "$f.br" ] || [ "$f" -nt "$f.br" ]; then
    brotli -f -q 11 -o "$f.br" "$f"
    gzip -f -k -9 "$f"
  fi
done
# Compressed copies of files that no longer exist (older hashes) go too.
find target/site -type f \( -name '*.br' -o -name '*.gz' \) | while read -r c; do
  [ -f "${c%.*}" ] || rm -f "$c"
done
