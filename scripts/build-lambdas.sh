#!/usr/bin/env bash
# Builds the Lambda functions into target/lambda/<name>/bootstrap.zip, for
# provided.al2023 on arm64 (default) or x86_64, and prints each zip's size:
#   - fetch, store, pipeline: the ingest (ingest-lambda's binaries);
#   - dashboard: the `server` binary as `bootstrap` (it serves through the Lambda
#     Runtime API when it finds one), with the site it serves (site/: the hashed wasm,
#     loader, stylesheet, public/, their brotli copies), hash.txt beside it
#     and Leptos.toml (the dashboard's settings), and deploy/certs/*.crt as certs/ (the
#     database's CA, e.g. Supabase's: sslrootcert=/var/task/certs/supabase-ca.crt).
# cargo-lambda and zig come from PyPI (deploy/requirements-build.txt).
#   bash scripts/build-lambdas.sh [arm64|x86_64]
set -euo pipefail
cd "$(dirname "$0")/.."
arch=${1:-arm64}
case "$arch" in
  arm64) flag=--arm64 ;;
  x86_64) flag=--x86-64 ;;
  *) echo "usage: $0 [arm64|x86_64]" >&2; exit 2 ;;
esac
bash scripts/setup.sh            # the site's tools: wasm32, npm's wasm-opt, esbuild, lightningcss, brotli
bash scripts/setup.sh --lambda   # cargo-lambda, zig, the Linux targets
export PATH="$PWD/.venv-tools/bin:$HOME/.cargo/bin:$PATH"   # cargo-lambda, and python -m ziglang for zig
echo "==> the ingest functions ($arch)"
cargo lambda build --profile lambda "$flag" --package ingest-lambda --output-format zip

echo "==> the dashboard: its site, then the server as bootstrap ($arch)"
bash scripts/build-site.sh --site-only
# The names build-site.sh builds the site with; LEPTOS_OUTPUT_NAME is read at compile time.
LEPTOS_OUTPUT_NAME=tickerboard LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=true \
  cargo lambda build --profile lambda "$flag" --package server --bin server --features lambda
python3 - target/lambda/server/bootstrap target/lambda/dashboard/bootstrap.zip <<'PY'
import os, sys, zipfile
binary, out = sys.argv[1:]
os.makedirs(os.path.dirname(out), exist_ok=True)
with zipfile.ZipFile(out + ".part", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.write(binary, "bootstrap")              # keeps its mode: executable
    z.write("target/release/hash.txt", "hash.txt")
    z.write("Leptos.toml", "Leptos.toml")
    if os.path.isdir("deploy/certs"):
        for name in sorted(os.listdir("deploy/certs")):
            if name.endswith(".crt"):
                z.write(os.path.join("deploy/certs", name), os.path.join("certs", name))
    for folder, _, files in os.walk("target/site"):
        for name in sorted(files):
            path = os.path.join(folder, name)
            # No gzip copies: every browser asks for brotli (and CloudFront forwards it);
            # anything else gets gzip made by the server's compression layer, once, as
            # CloudFront then keeps it. That leaves room under the target below.
            if name.endswith(".gz"):
                continue
            # Already compressed: stored as it is.
            kind = zipfile.ZIP_STORED if name.endswith(".br") else zipfile.ZIP_DEFLATED
            z.write(path, os.path.join("site", os.path.relpath(path, "target/site")), compress_type=kind)
os.replace(out + ".part", out)
PY

echo "==> $arch zips"
for zip in target/lambda/*/bootstrap.zip; do
  bytes=$(stat -c %s "$zip")
  awk -v z="$zip" -v b="$bytes" 'BEGIN { printf "%-40s %9d bytes (%.1f MB)\n", z, b, b / 1e6 }'
  # Our own target, well under Lambda's limits (50 MB zipped, 250 MB unzipped): a
  # function that grows past it should say why. 12 MB since the dashboard draws the
  # chart as a PNG (resvg with text shaping: +1.2 MB zipped).
  [ "$bytes" -le 12000000 ] || { echo "$zip is over the 12 MB target" >&2; exit 1; }
done
