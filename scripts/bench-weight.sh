#!/usr/bin/env bash
# Benchmark, not a test (never run by CI): starts the release server on fresh demo data and prints, for a cold visit
# of the sign-in page, the partner home, a submission form, the history and the caisse queue, the bytes on the wire
# and the time until the page is ready on an emulated slow link (end2end/bench/weight.mjs, Chromium).
# Usage: scripts/bench-weight.sh   (needs a release build: scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/ensure-tools.sh test >/dev/null
[ -x target/release/server ] || { echo "no server binary at target/release/server (scripts/build.sh)" >&2; exit 2; }
work=$(mktemp -d /tmp/ep-bench-weight.XXXXXX)
server_pid=""
trap '[ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
unset DATABASE_URL SMTP_URL PUBLIC_URL
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATA_DIR="$work/data" LEPTOS_OUTPUT_NAME=espace-partenaires LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$port" DEMO_PASSWORD=demo-espace-partenaires RUST_LOG=warn
target/release/server seed demo >/dev/null
target/release/server >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
(cd end2end && BASE_URL="http://127.0.0.1:$port" node bench/weight.mjs)
