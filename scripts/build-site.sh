#!/usr/bin/env bash
# Builds the release site: the server binary, and target/site with the wasm, its
# loader, the stylesheet and public/, hashed and precompressed. The same steps
# `cargo leptos build --release` takes for this project (cargo-leptos 0.3.11 reading
# Cargo.toml's [[workspace.metadata.leptos]]), done by the well-kept tools themselves,
# so a first build needs no cargo-leptos (17 minutes to compile on a 2-core machine):
#
#   0. the server: cargo build -p server --bin server --release --no-default-features
#   1. the wasm: cargo +NIGHTLY build -p frontend --lib --target wasm32-unknown-unknown
#      --profile wasm-release --no-default-features -Z build-std=std,panic_abort
#      (NIGHTLY: frontend/wasm-toolchain; cargo-leptos builds it with the stable
#      toolchain, without the size flags)
#   2. wasm-bindgen --target=web --out-name=tickerboard --no-typescript into
#      target/site/pkg; tickerboard_bg.wasm renamed tickerboard.wasm (what Leptos'
#      hydration script loads)
#   3. wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int (binaryen)
#   4. the loader minified (esbuild; cargo-leptos uses swc, the same transform)
#   5. style/main.css → pkg/tickerboard.css (lightningcss, --minify, browsers "defaults")
#   6. public/ copied into target/site
#   7. each pkg file renamed stem.HASH.ext (HASH: MD5, base64url without padding) and
#      target/release/hash.txt ("js: …", "wasm: …", "css: …"), which the server reads
#   9. brotli and gzip copies of the static files (the server sends them as they are)
#
# Both cargo builds get the LEPTOS_* variables cargo-leptos sets (LEPTOS_OUTPUT_NAME is
# read at compile time). Each step is skipped when its output is newer than its
# inputs, so a second run with nothing changed takes seconds. `scripts/check-site.py`
# checks the result (run by the tests); `cargo leptos watch` stays the edit-reload loop.
#
#   bash scripts/build-site.sh [--site-only]   (--site-only: no server binary; the
#   Lambda zip builds its own, scripts/build-lambdas.sh)
set -euo pipefail
site_only=false
case "${1:-}" in
  "") ;;
  --site-only) site_only=true ;;
  *) echo "usage: $0 [--site-only]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
root=$PWD
tools="$root/end2end/node_modules/.bin"
export PATH="$tools:$HOME/.cargo/bin:$PATH"   # npm's wasm-opt first
site=target/site
pkg=$site/pkg
name=tickerboard
step() { echo "==> $*"; }

export LEPTOS_OUTPUT_NAME=$name LEPTOS_SITE_ROOT=$site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=frontend \
  LEPTOS_BIN_DIR=server LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true \
  LEPTOS_HASH_FILE_NAME=hash.txt

# wasm-bindgen-cli, exactly the version in Cargo.lock (its own lock file names a crate
# the registry no longer has, so no --locked), installed in the background while cargo
# builds the server and the wasm (a first run: 2 min 17 s that now overlap).
wb_version=$(grep -A1 'name = "wasm-bindgen"$' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')
wb_log=target/wasm-bindgen-install.log
mkdir -p target
if wasm-bindgen --version 2>/dev/null | grep -q "$wb_version"; then
  wb_pid=""
else
  step "installing wasm-bindgen-cli $wb_version in the background (a few minutes, once; $wb_log)"
  cargo install -q wasm-bindgen-cli --version "$wb_version" > "$wb_log" 2>&1 &
  wb_pid=$!
fi

if ! $site_only; then
  step "the server (profile release)"
  cargo build --locked -p server --bin server --release --no-default-features
fi

# The wasm is built by a pinned nightly (frontend/wasm-toolchain), its standard library
# compiled with it (-Z build-std): a panic is an immediate trap (no panic machinery, no
# messages), panic locations and `{:?}` formatting are left out. 159,002 → 140,712 B
# brotli (README, "Speed"). The server, the tests and `cargo leptos watch` keep the
# stable toolchain of rust-toolchain.toml. Installed once (minimal profile and rust-src:
# ~10 s).
wasm_toolchain=$(tr -d ' \n' < frontend/wasm-toolchain)
if ! rustup run "$wasm_toolchain" rustc --version >/dev/null 2>&1 \
  || [ ! -d "$(rustup run "$wasm_toolchain" rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
  step "installing $wasm_toolchain with rust-src, for the wasm (once)"
  rustup toolchain install "$wasm_toolchain" --profile minimal --component rust-src
fi
step "the wasm (profile wasm-release, $wasm_toolchain)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
  cargo "+$wasm_toolchain" build --locked -p frontend --lib --target wasm32-unknown-unknown \
  --profile wasm-release --no-default-features -Z build-std=std,panic_abort
if [ -n "$wb_pid" ]; then
  wait "$wb_pid" || { cat "$wb_log"; echo "installing wasm-bindgen-cli failed"; exit 1; }
fi
wasm=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
stamp=target/site-build.stamp   # the inputs of the last front end made

front_inputs() { ls -l --time-style=+%s "$wasm" style/main.css; find public -type f -exec ls -l --time-style=+%s {} +; }
if [ -f "$stamp" ] && [ -f target/release/hash.txt ] && cmp -s <(front_inputs) "$stamp"; then
  step "the front end is up to date"
else
  rm -rf "$pkg"
  mkdir -p "$pkg"
  step "wasm-bindgen, wasm-opt -Oz"
  wasm-bindgen --target=web --out-name=$name --no-typescript --out-dir="$pkg" "$wasm"
  mv "$pkg/${name}_bg.wasm" "$pkg/$name.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$pkg/$name.wasm" -o "$pkg/$name.wasm"
  step "the loader (esbuild --minify), the stylesheet (lightningcss)"
  esbuild "$pkg/$name.js" --minify --format=esm --log-level=warning --outfile="$pkg/$name.min.js"
  mv "$pkg/$name.min.js" "$pkg/$name.js"
  lightningcss --minify --targets defaults style/main.css -o "$pkg/$name.css"
  step "public/ → $site, hashed names, target/release/hash.txt"
  find "$site" -maxdepth 1 -type f -delete 2>/dev/null || true
  cp -R public/. "$site/"
  mkdir -p target/release
  python3 - "$pkg" "$name" target/release/hash.txt <<'EOF'
import base64, hashlib, os, sys
pkg, name, hash_file = sys.argv[1:]
lines = []
for ext in ("js", "wasm", "css"):
    path = os.path.join(pkg, f"{name}.{ext}")
    with open(path, "rb") as f:
        digest = hashlib.md5(f.read()).digest()
    tag = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    os.rename(path, os.path.join(pkg, f"{name}.{tag}.{ext}"))
    lines.append(f"{ext}: {tag}\n")
with open(hash_file, "w") as f:
    f.writelines(lines)
EOF
  front_inputs > "$stamp"
fi

step "brotli and gzip copies"
find "$site" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' \) | while read -r f; do
  if [ ! -f "$f.br" ] || [ "$f" -nt "$f.br" ]; then
    brotli -f -q 11 -o "$f.br" "$f"
    gzip -f -k -9 "$f"
  fi
done
# Compressed copies of files that no longer exist (older hashes) go too.
find "$site" -type f \( -name '*.br' -o -name '*.gz' \) | while read -r c; do
  [ -f "${c%.*}" ] || rm -f "$c"
done
$site_only || step "built: target/release/server"
step "built: $site ($(cat target/release/hash.txt | tr '\n' ' '))"
