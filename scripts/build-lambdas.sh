#!/usr/bin/env bash
# Builds the Lambda functions (fetch, store, pipeline) with cargo-lambda into
# target/lambda/<name>/bootstrap.zip, for provided.al2023 on arm64 (default) or x86_64,
# and prints each zip's size. cargo-lambda and zig come from PyPI (deploy/requirements-build.txt).
#   bash scripts/build-lambdas.sh [arm64|x86_64]
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-arm64}
case "$arch" in
  arm64) flag=--arm64 ;;
  x86_64) flag=--x86-64 ;;
  *) echo "usage: $0 [arm64|x86_64]" >&2; exit 2 ;;
esac
bash scripts/setup.sh --lambda
export PATH="$PWD/.venv-tools/bin:$HOME/.cargo/bin:$PATH"   # cargo-lambda, and python -m ziglang for zig
cargo lambda build --profile lambda "$flag" --package ingest-lambda --output-format zip
echo "==> $arch zips"
for zip in target/lambda/*/bootstrap.zip; do
  bytes=$(stat -c %s "$zip")
  awk -v z="$zip" -v b="$bytes" 'BEGIN { printf "%-40s %9d bytes (%.1f MB)\n", z, b, b / 1e6 }'
  [ "$bytes" -le 10000000 ] || { echo "$zip is over the 10 MB target" >&2; exit 1; }
done
