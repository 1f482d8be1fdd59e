#!/usr/bin/env bash
# The concurrency tier: seeds the demo data into a fresh database, starts the release server on a free loopback
# port, runs scripts/load/concurrency.py (a bounded load by users of two caisses, then a burst of wrong passwords
# against the sign-in throttle), prints its figures and fails on dropped connections, 5xx, pages naming another
# request, memory growth, or a throttle that lets more than 5 parallel wrong passwords be checked. Never on speed.
#
# Usage: scripts/load-test.sh [--server PATH] [--database-url URL] [concurrency.py options…]
#   --server PATH        the server binary (default target/release/server, as scripts/build.sh leaves it)
#   --database-url URL   none: SQLite in a temporary DATA_DIR; postgres://user@host:port/db: a fresh database is
#                        created on that server for the run (its name replaces /db) and dropped afterwards
#   e.g. --clients 20 --duration 30 --burst 50 (see scripts/load/concurrency.py --help)
# LOAD_TEST_LOG=path keeps the server's log there; RSS_EVERY=seconds prints the server's memory that often (the soak:
# scripts/soak.sh).
set -euo pipefail

server_bin=target/release/server
database_url=""
load_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server_bin="$2"; shift 2 ;;
    --database-url) database_url="$2"; shift 2 ;;
    *) load_args+=("$1"); shift ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
case "$server_bin" in /*) ;; *) server_bin="$PWD/$server_bin" ;; esac
cd "$root"
[ -x "$server_bin" ] || { echo "no server binary at $server_bin (scripts/build.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/ep-load.XXXXXX)
server_pid=""
pg_db=""
pg_bin=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_db" ]; then
    "$pg_bin/psql" "$database_url" -qAt -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  # LOAD_TEST_LOG=path keeps the server's log after the run.
  [ -z "${LOAD_TEST_LOG:-}" ] || cp "$work/server.log" "$LOAD_TEST_LOG" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Whatever the caller exported for another server (test.sh's end-to-end one) must not leak into this one.
unset DATABASE_URL SMTP_URL PUBLIC_URL
if [ -n "$database_url" ]; then
  case "$database_url" in
    postgres://*|postgresql://*)
      pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
      pg_db="ep_load_$$_$(date +%s)"
      "$pg_bin/psql" "$database_url" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $pg_db" >/dev/null
      export DATABASE_URL="${database_url%/*}/$pg_db"
      db_label="PostgreSQL (${DATABASE_URL})"
      ;;
    *)
      export DATABASE_URL="$database_url"
      db_label="$database_url"
      ;;
  esac
else
  db_label="SQLite (in $work/data)"
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATA_DIR="$work/data" LEPTOS_OUTPUT_NAME=espace-partenaires LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" DEMO_PASSWORD=demo-espace-partenaires
mkdir -p "$DATA_DIR"

echo "==> Concurrency tier on $db_label, server $server_bin"
"$server_bin" seed demo >"$work/seed.log" 2>&1 || { echo "seed failed:"; tail -n 30 "$work/seed.log"; exit 2; }
"$server_bin" >"$work/server.log" 2>&1 &
server_pid=$!
ready=""
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "the server did not become healthy:"; tail -n 40 "$work/server.log"; exit 2
fi

# RSS_EVERY=seconds: the server's resident memory printed at that interval during the run (the soak).
sampler=""
if [ -n "${RSS_EVERY:-}" ]; then
  ( started=$(date +%s)
    while kill -0 "$server_pid" 2>/dev/null; do
      echo "server RSS after $(( $(date +%s) - started )) s: $(awk '/VmRSS/ { printf "%.0f MB", $2 / 1024 }' "/proc/$server_pid/status")"
      sleep "$RSS_EVERY"
    done ) &
  sampler=$!
fi
status=0
python3 "$root/scripts/load/concurrency.py" --base-url "http://127.0.0.1:$port" --server-pid "$server_pid" \
  --password "$DEMO_PASSWORD" "${load_args[@]}" || status=$?

[ -z "$sampler" ] || kill "$sampler" 2>/dev/null || true
panics=$(grep -c 'panicked at' "$work/server.log" || true)
echo "server log: $(wc -l <"$work/server.log") lines, $panics panic(s)"
if [ "$panics" -gt 0 ]; then
  echo "--- distinct panics (up to 5): count, where, message"
  awk '/panicked at/ { where = $0; sub(/.*panicked at /, "", where); getline message; print where " " message }' \
    "$work/server.log" | sort | uniq -c | sort -rn | head -n 5
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "the server process died during the run"; tail -n 40 "$work/server.log"; status=1
fi
if [ "$status" -ne 0 ]; then
  echo "--- server log: distinct errors (up to 10): count, message"
  sed -E 's/\x1b\[[0-9;]*m//g' "$work/server.log" | grep -E ' ERROR |"level":"ERROR"' \
    | sed -E 's/^[0-9TZ:.-]+ +//; s/request\.id=[0-9a-f-]+ ?//g; s/ latency=[0-9.]+ ?[mµn]?s//g' | cut -c1-220 | sort | uniq -c | sort -rn | head -n 10 || true
fi
exit "$status"
