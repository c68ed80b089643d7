#!/usr/bin/env bash
# How long a newcomer waits: a fresh clone of this repository, a fresh HOME and
# CARGO_HOME (no crates downloaded, no cargo tools installed; the rustup toolchains
# and the machine's apt packages as they are), then command 1 until the page answers,
# then (with --tests) command 2 in the same clone. Every line the commands print is
# stamped with the minutes:seconds since the start, so the log shows where the time
# went; the last lines sum it up.
#   bash bench/first-run.sh [--tests]      # log in /tmp/tickerboard-first-run.log
# Run it on a quiet machine. It needs ../shared beside the repository for command 2.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
with_tests=false
[ "${1:-}" = "--tests" ] && with_tests=true
work=$(mktemp -d /tmp/tickerboard-first-run.XXXXXX)
log=/tmp/tickerboard-first-run.log
port=${PORT:-3077}

# A HOME with only rustup's proxies on PATH: cargo, rustc and friends, nothing else
# of ~/.cargo/bin (wasm-bindgen, cargo-leptos) and no crates in the registry.
home=$work/home
mkdir -p "$home/.cargo/bin"
rustup_bin=$(command -v rustup || echo "$HOME/.cargo/bin/rustup")
for tool in cargo rustc rustup rustfmt cargo-fmt cargo-clippy clippy-driver rustdoc; do
  ln -s "$rustup_bin" "$home/.cargo/bin/$tool"
done
git clone -q "$repo" "$work/tickerboard"
[ -e "$repo/../shared" ] && ln -s "$(cd "$repo/../shared" && pwd)" "$work/shared"

# The server serve.sh started (it runs as `target/release/server`): the one on $port.
stop_server() {
  local pid
  pid=$(ss -ltnpH "sport = :$port" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2)
  [ -z "$pid" ] || kill "$pid"
}
stamp() { # prefixes each line with the time since $start
  while IFS= read -r line; do
    printf '%02d:%02d %s\n' $(( (SECONDS - start) / 60 )) $(( (SECONDS - start) % 60 )) "$line"
  done
}
run_clean() {
  env -i HOME="$home" CARGO_HOME="$home/.cargo" RUSTUP_HOME="${RUSTUP_HOME:-/root/.rustup}" \
    PATH="$home/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" TERM=dumb "$@"
}

start=$SECONDS
: > "$log"
echo "==> command 1 in $work/tickerboard (log: $log)"
(cd "$work/tickerboard" && run_clean LEPTOS_SITE_ADDR="127.0.0.1:$port" bash scripts/serve.sh) \
  > >(stamp >> "$log") 2>&1 &
serve_pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do
  if ! kill -0 "$serve_pid" 2>/dev/null; then
    tail -20 "$log"; echo "command 1 stopped before the page answered"; exit 1
  fi
  sleep 1
done
first=$((SECONDS - start))
echo "$(printf '%02d:%02d' $((first / 60)) $((first % 60))) the page answers" | tee -a "$log"
stop_server
wait "$serve_pid" 2>/dev/null || true

again_start=$SECONDS
(cd "$work/tickerboard" && run_clean LEPTOS_SITE_ADDR="127.0.0.1:$port" bash scripts/serve.sh) \
  > /dev/null 2>&1 &
serve_pid=$!
until curl -fs -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.2; done
again=$((SECONDS - again_start))
stop_server
wait "$serve_pid" 2>/dev/null || true

tests=""
if $with_tests; then
  tests_start=$SECONDS
  start=$SECONDS
  echo "==> command 2" | tee -a "$log"
  (cd "$work/tickerboard" && run_clean bash scripts/test.sh) > >(stamp >> "$log") 2>&1
  tests=$((SECONDS - tests_start))
  passed=$(grep -o 'test result: ok. [0-9]* passed' "$log" | awk '{s += $4} END {print s}')
  played=$(grep -Eo '[0-9]+ passed \([0-9.]+m?s?\)' "$log" | tail -1)
fi

echo "==> where command 1's time went (first lines of each step):"
grep -E '==> |Finished|added [0-9]+ packages|Installed|the page answers' "$log" | grep -v "^..:.. *$" | head -60
echo "command 1 on a bare machine: the page after $((first / 60)) min $((first % 60)) s"
echo "command 1 again, nothing changed: the page after ${again} s"
if $with_tests; then
  echo "command 2 right after: $((tests / 60)) min $((tests % 60)) s; cargo tests passed: $passed; Playwright: $played"
fi
echo "(the clone, its HOME and target dir: $work; remove it when done)"
