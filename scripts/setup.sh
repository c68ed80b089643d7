#!/usr/bin/env bash
# Installs what building (and, with --test, testing) tickerboard needs, skipping what is
# there already. Safe to run again and again; a few seconds when all is installed.
#   bash scripts/setup.sh          # toolchain, npm's wasm-opt, esbuild, lightningcss, brotli
#   bash scripts/setup.sh --dev    # also cargo-leptos and wasm-bindgen, for `cargo leptos watch`
#   bash scripts/setup.sh --test   # also Chromium, PostgreSQL, PgBouncer, podman, moto, cfn-lint
#   bash scripts/setup.sh --bench  # what --test installs, and wrk for bench/load.sh
#   bash scripts/setup.sh --lambda # only what building the Lambda zips needs
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "==> $*"; }

CARGO_LEPTOS_VERSION=0.3.11
want_test=false
want_bench=false
want_dev=false
[ "${1:-}" = "--dev" ] && want_dev=true
[ "${1:-}" = "--test" ] && want_test=true
[ "${1:-}" = "--bench" ] && { want_test=true; want_bench=true; }

# Python tools in .venv-tools/, reinstalled when their requirements file changes.
python_tools() {
  local req=$1 stamp=.venv-tools/.installed-$(basename "$1")
  [ -x .venv-tools/bin/pip ] || python3 -m venv .venv-tools
  if [ ! -f "$stamp" ] || ! cmp -s "$req" "$stamp"; then
    say "pip install -r $req (into .venv-tools/)"
    .venv-tools/bin/pip install -q --disable-pip-version-check -r "$req"
    cp "$req" "$stamp"
  fi
}

if [ "${1:-}" = "--lambda" ]; then
  rustup toolchain install >/dev/null 2>&1 || rustup toolchain install
  rustup target add aarch64-unknown-linux-gnu x86_64-unknown-linux-gnu >/dev/null
  python_tools deploy/requirements-build.txt
  exit 0
fi


apt_updated=false
apt_install() {
  if ! $apt_updated; then
    say "apt-get update"
    apt-get update -qq
    apt_updated=true
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. The pinned Rust toolchain and the wasm32 target (rust-toolchain.toml).
rustup toolchain install >/dev/null 2>&1 || rustup toolchain install
export PATH="$HOME/.cargo/bin:$PATH"

# 2. cargo-leptos, only for the edit-reload loop (`cargo leptos watch`): the release
#    build (scripts/build-site.sh) runs the tools it would run, without it.
if $want_dev && ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 17 minutes, once)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi
if $want_dev; then
  wb_version=$(grep -A1 'name = "wasm-bindgen"$' Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')
  wasm-bindgen --version 2>/dev/null | grep -q "$wb_version" \
    || cargo install wasm-bindgen-cli --version "$wb_version"
fi

# 3. wasm-bindgen-cli: scripts/build-site.sh installs it (Cargo.lock's version) while
#    cargo builds the server, so a first run spends no minutes waiting for it alone.

# 4. npm packages: binaryen's wasm-opt (Debian's is too old: its output fails to
#    hydrate), esbuild and lightningcss for the release build, and Playwright (driving
#    Debian's Chromium, never a downloaded browser).
command -v npm >/dev/null || apt_install nodejs npm
if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "npm ci in end2end/"
  (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
fi

# 5. brotli and gzip, to precompress the static files once at build time.
command -v brotli >/dev/null || apt_install brotli

if $want_test; then
  [ -x /usr/bin/chromium ] || apt_install chromium
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
  command -v pgbouncer >/dev/null || apt_install pgbouncer
  # The container image's test (scripts/test-container.sh): podman, with runc.
  command -v podman >/dev/null || apt_install podman
  command -v runc >/dev/null || apt_install runc
  command -v curl >/dev/null || apt_install curl
  python_tools deploy/requirements-tools.txt
fi

if $want_bench; then
  command -v wrk >/dev/null || apt_install wrk
fi
