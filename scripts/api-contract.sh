#!/usr/bin/env bash
# The API's contract: starts the release server on a fresh SQLite database with the demo data, creates an API token
# of the CPAM de l'Essonne with every scope, and runs schemathesis against /api/v1/openapi.json (its examples,
# coverage and fuzzing phases, every check: no 5xx, every answer in its documented status, content type and schema,
# invalid input refused, no operation that answers without its token). Bounded in time.
#
# Usage: scripts/api-contract.sh [--server PATH] [--max-time SECONDS]   (default target/release/server, 120 s)
set -euo pipefail

server_bin=target/release/server
max_time=120
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server_bin="$2"; shift 2 ;;
    --max-time) max_time="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
case "$server_bin" in /*) ;; *) server_bin="$PWD/$server_bin" ;; esac
cd "$root"
[ -x "$server_bin" ] || { echo "no server binary at $server_bin (scripts/build.sh)" >&2; exit 2; }
[ -x .tools/python/bin/st ] || { echo "schemathesis is missing (scripts/ensure-tools.sh test)" >&2; exit 2; }

work=$(mktemp -d /tmp/ep-contract.XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

unset DATABASE_URL SMTP_URL PUBLIC_URL OBJECT_STORE_URL
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATA_DIR="$work/data" LEPTOS_OUTPUT_NAME=espace-partenaires LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" DEMO_PASSWORD=demo-espace-partenaires
# schemathesis calls far faster than a back-office tool: the rate limit is tested by the integration tests.
export API_CALLS_PER_MINUTE=1000000
mkdir -p "$DATA_DIR"

echo "==> API contract (schemathesis) against $server_bin"
"$server_bin" seed demo >"$work/seed.log" 2>&1 || { echo "seed failed:"; tail -n 30 "$work/seed.log"; exit 2; }
token=$("$server_bin" api-token create --caisse 091 --name schemathesis --days 1 \
  --scopes requests:read,requests:write,notes:read,appointments:read,structures:read)
"$server_bin" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

status=0
SCHEMATHESIS_HOOKS="$root/scripts/schemathesis/hooks.py" .tools/python/bin/st --config-file scripts/schemathesis/schemathesis.toml run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all \
  --phases examples,coverage,fuzzing \
  --max-time "$max_time" \
  --workers 2 \
  --request-timeout 30 \
  --no-color \
  || status=$?
if grep -qE '"level":"ERROR"| ERROR |panicked' "$work/server.log"; then
  echo "--- server errors:"; grep -E '"level":"ERROR"| ERROR |panicked' "$work/server.log" | tail -n 20
  status=1
fi
exit $status
