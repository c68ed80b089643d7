#!/usr/bin/env bash
# The container image, built and run here (podman; no Docker engine, no registry):
#   1. a runtime base made of what distroless/cc-debian12:nonroot holds, taken from this
#      machine's Debian 12: the libraries the binary links (glibc, libgcc), the CA
#      certificates, /etc/passwd with nonroot (65532), /tmp;
#   2. this machine's release build (scripts/build-site.sh) as the image holding /out,
#      laid out as the Dockerfile's build stage leaves it;
#   3. the Dockerfile's runtime stage built on those two (PREBUILT, RUNTIME_IMAGE), and
#      checked: non-root user, health check, port, size;
#   4. the image run: /healthz, the page (zero-setup SQLite in /data), a hashed /pkg file
#      precompressed, `podman healthcheck run`, the process's user, a clean stop on SIGTERM.
# The build stage itself (rust image, setup.sh, build-site.sh) is what a newcomer's
# first command runs; only its base image cannot be pulled here.
# podman runs containers with runc and explicit ulimits: this sandbox refuses crun's
# cgroup setup and raising rlimits to the host's values.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { echo "==> container: $*"; }
command -v podman >/dev/null || { echo "podman is missing: bash scripts/setup.sh --test" >&2; exit 1; }
[ -x target/release/server ] && [ -f target/release/hash.txt ] \
  || { echo "no release build: bash scripts/build-site.sh" >&2; exit 1; }

tag=tb$$
work=$(mktemp -d)
name="tickerboard-test-$tag"
run_flags=(--runtime runc --ulimit nofile=4096:4096 --ulimit nproc=4096:4096)
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman rmi -f "localhost/tickerboard:$tag" "localhost/tickerboard-base:$tag" \
    "localhost/tickerboard-prebuilt:$tag" >/dev/null 2>&1 || true
  rm -rf "$work"
}
[ -n "${KEEP_CONTAINER:-}" ] || trap cleanup EXIT

say "a runtime base like distroless/cc-debian12:nonroot, from this machine's Debian"
base=$work/base
mkdir -p "$base/etc/ssl/certs" "$base/tmp"
chmod 1777 "$base/tmp"
for lib in $(ldd target/release/server | grep -o '/[^ ]*'); do
  mkdir -p "$base$(dirname "$lib")"
  cp -L "$lib" "$base$lib"
done
cp /etc/ssl/certs/ca-certificates.crt "$base/etc/ssl/certs/"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$base/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$base/etc/group"
tar -C "$base" -cf "$work/base.tar" .
podman import -q "$work/base.tar" "localhost/tickerboard-base:$tag" >/dev/null

say "this machine's release build, laid out as the build stage leaves it"
out=$work/prebuilt/out
mkdir -p "$out/app" "$out/data"
cp target/release/server target/release/hash.txt Leptos.toml "$out/app/"
strip "$out/app/server"
cp -R target/site "$out/app/site"
tar -C "$work/prebuilt" -cf "$work/prebuilt.tar" .
podman import -q "$work/prebuilt.tar" "localhost/tickerboard-prebuilt:$tag" >/dev/null

say "podman build (the Dockerfile's runtime stage)"
mkdir -p "$work/context"
podman build -q --format docker --target runtime -f Dockerfile \
  --build-arg "PREBUILT=localhost/tickerboard-prebuilt:$tag" \
  --build-arg "RUNTIME_IMAGE=localhost/tickerboard-base:$tag" \
  -t "localhost/tickerboard:$tag" "$work/context" >/dev/null
inspect() { podman image inspect --format "$1" "localhost/tickerboard:$tag"; }
[ "$(inspect '{{.Config.User}}')" = "65532:65532" ] || { echo "the image runs as root" >&2; exit 1; }
inspect '{{json .Config.Healthcheck.Test}}' | grep -q '"/app/server","healthcheck"' \
  || { echo "no health check: $(inspect '{{json .Config.Healthcheck}}')" >&2; exit 1; }
inspect '{{json .Config.ExposedPorts}}' | grep -q '8080/tcp' || { echo "port 8080 not exposed" >&2; exit 1; }
size=$(inspect '{{.Size}}')
say "image $(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }') (binary stripped: $(stat -c %s "$out/app/server") bytes)"

say "podman run: the page from the zero-setup SQLite file"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
# Host networking: this machine has no container network (no CNI plugins in reach).
podman run -d -q --name "$name" "${run_flags[@]}" --network host \
  -e "LEPTOS_SITE_ADDR=127.0.0.1:$port" "localhost/tickerboard:$tag" >/dev/null
base_url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -fsS "$base_url/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "$base_url/healthz" | grep -qx ok || { podman logs "$name"; echo "/healthz did not answer" >&2; exit 1; }
page=$(curl -fsS "$base_url/?symbol=BTC")
grep -q '<option value="BTC" selected' <<<"$page" || { echo "the page lacks its selector" >&2; exit 1; }
grep -q 'data-testid="price-chart"' <<<"$page" || { echo "the page lacks its chart" >&2; exit 1; }
wasm=$(sed -n 's/^wasm: //p' target/release/hash.txt)
encoding=$(curl -fsS -o /dev/null -w '%header{content-encoding}' -H 'accept-encoding: br' "$base_url/pkg/tickerboard.$wasm.wasm")
[ "$encoding" = br ] || { echo "/pkg wasm came as '$encoding', not br" >&2; exit 1; }
if ! said=$(podman healthcheck run "$name" 2>&1); then echo "the image's health check failed: $said" >&2; exit 1; fi
user=$(podman top "$name" user | tail -n 1 | tr -d ' ')
[ "$user" = nonroot ] || [ "$user" = 65532 ] || { echo "the server runs as '$user'" >&2; exit 1; }
podman stop -t 10 "$name" >/dev/null
code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
[ "$code" = 0 ] || { podman logs "$name" | tail -5; echo "stopped with exit code $code" >&2; exit 1; }
say "ok: built, healthy, served the page and /pkg as nonroot, stopped cleanly"
