#!/usr/bin/env bash
# Benchmark, not a test (never run by CI): what a second instance adds. One PostgreSQL (a throwaway cluster) holding
# REQUESTS requests over 10 caisses; the release server started once, then twice, each instance pinned to a core of
# its own (`taskset`); `wrk` (Debian) asks for the partner history and the caisse queue with a signed-in session for
# SECONDS — one wrk against the lone instance, then one against each of the two at once, with the same connections
# in all. Prints the answers per second and the ratio of two instances to one (target ≥ 1.8 where the machine has
# cores to spare for PostgreSQL and wrk; on 2 cores they share the instances' cores, and the script says so).
# Usage: scripts/bench-instances.sh [--requests N] [--seconds S] [--connections C]   (needs scripts/build.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
requests=100000
seconds=20
connections=32
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) requests="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "usage: scripts/bench-instances.sh [--requests N] [--seconds S] [--connections C]" >&2; exit 2 ;;
  esac
done
scripts/ensure-tools.sh bench
server_bin="$root/target/release/server"
[ -x "$server_bin" ] || { echo "no server binary at $server_bin (scripts/build.sh)" >&2; exit 2; }
work=$(mktemp -d /tmp/ep-instances.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]+"${pids[@]}"}"; do kill "$pid" 2>/dev/null || true; done
  scripts/pg-test-cluster.sh stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT

eval "$(scripts/pg-test-cluster.sh start "$work/pg")"
unset SMTP_URL PUBLIC_URL OBJECT_STORE_URL
export DATABASE_URL="$TEST_POSTGRES_URL" DATA_DIR="$work/data" LEPTOS_OUTPUT_NAME=espace-partenaires
export LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_SITE_PKG_DIR=pkg DEMO_PASSWORD=demo-espace-partenaires RUST_LOG=warn
mkdir -p "$DATA_DIR"
echo "==> PostgreSQL: $requests requests over 10 caisses"
"$server_bin" migrate >/dev/null 2>&1
"$server_bin" seed volume --requests "$requests" --caisses 10 --structures 20 2>/dev/null

# Starts an instance pinned to core $1 on a free port; sets `base` to its address (not in a subshell: its pid is kept).
start() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  LEPTOS_SITE_ADDR="127.0.0.1:$port" taskset -c "$1" "$server_bin" >>"$work/server-$1.log" 2>&1 &
  pids+=($!)
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 150); do curl -fsS "$base/readyz" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "instance on core $1 did not become ready" >&2; exit 2
}
start 0; a=$base
start 1; b=$base

# A session cookie for `email` (the `login` server function, as the hydrated form signs in); good on both instances.
session() {
  local jar="$work/$1.jar"
  curl -fsS -o /dev/null -c "$jar" -X POST "$a/api/login" -H "Accept: application/json" -H "Origin: $a" \
    -H "Sec-Fetch-Site: same-origin" --data-urlencode "email=$1" --data-urlencode "password=$DEMO_PASSWORD" --data-urlencode "suite="
  # The second step: the code of the demo accounts' app (`server demo-code`, from DEMO_TOTP_SECRET).
  curl -fsS -o /dev/null -c "$jar" -b "$jar" -X POST "$a/api/confirm_code" -H "Accept: application/json" -H "Origin: $a" \
    -H "Sec-Fetch-Site: same-origin" --data-urlencode "code=$("$server_bin" demo-code)"
  awk '$6 ~ /ep_session$/ { print $6 "=" $7 }' "$jar"
}
partner=$(session volume.agent0001@example.org)
agent=$(session volume.caisse01@example.org)

# Answers per second of wrk against each base given, at once, `connections` shared among them; fails on errors.
rate() {
  local cookie="$1" path="$2"; shift 2
  local each=$((connections / $#)) outs=() i=0
  for base in "$@"; do
    wrk -t1 -c"$each" -d"${seconds}s" -H "Cookie: $cookie" "$base$path" >"$work/wrk-$i.txt" 2>&1 &
    outs+=($!); i=$((i + 1))
  done
  for pid in "${outs[@]}"; do wait "$pid"; done
  for file in "$work"/wrk-*.txt; do
    if grep -q "Non-2xx\|Socket errors" "$file"; then echo "errors during the run:" >&2; cat "$file" >&2; exit 1; fi
  done
  cat "$work"/wrk-*.txt | awk '/Requests\/sec/ { total += $2 } END { printf "%.0f\n", total }'
  rm -f "$work"/wrk-*.txt
}

echo "==> wrk, $connections connections for ${seconds} s; instance A on core 0, B on core 1 ($(nproc) cores here)"
printf '| page | one instance | two instances | ratio |\n|---|---|---|---|\n'
for pair in "partner:/partenaire/historique" "agent:/caisse/file"; do
  who=${pair%%:*}; path=${pair#*:}
  cookie=${!who}
  one=$(rate "$cookie" "$path" "$a")
  two=$(rate "$cookie" "$path" "$a" "$b")
  printf '| %s | %s/s | %s/s | %s |\n' "$path" "$one" "$two" "$(awk -v a="$one" -v b="$two" 'BEGIN { printf "%.2f×", b / a }')"
done
[ "$(nproc)" -gt 2 ] || echo "(on $(nproc) cores PostgreSQL and wrk run on the instances' cores: the ratio shows what is left for a second instance, not what it adds on a machine sized for it)"
