#!/usr/bin/env bash
# Installs what building and testing tickerboard needs, skipping what is there already.
# Safe to run again and again; quick when everything is installed.
set -euo pipefail
cd "$(dirname "$0")/.."

# The pinned toolchain and the wasm32 target, from rust-toolchain.toml.
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
