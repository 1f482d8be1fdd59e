#!/usr/bin/env bash
# The crash test: N submissions of a request with a file each, from 15 clients at once, against the release server;
# `kill -9` once half were answered; restart. Then every submission answered with its reference must be there with
# its file (scripts/load/crash.py verify), no request may lack its first event, and once the files nothing references
# are swept (`server files sweep --all`, the server stopped) the store and the rows must agree (`server files check`).
#
# Usage: scripts/crash-test.sh [--server PATH] [--database-url URL] [--count N]
#   --database-url URL   none: SQLite and the folder under DATA_DIR; postgres://…: a fresh database on that server,
#                        and the files in a bucket of a throwaway S3-compatible server (moto), as deployed
#   --count N            submissions (default 1000; scripts/test.sh runs a short form)
set -euo pipefail

server_bin=target/release/server
database_url=""
count=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --server) server_bin="$2"; shift 2 ;;
    --database-url) database_url="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
root="$(cd "$(dirname "$0")/.." && pwd)"
case "$server_bin" in /*) ;; *) server_bin="$PWD/$server_bin" ;; esac
cd "$root"
[ -x "$server_bin" ] || { echo "no server binary at $server_bin (scripts/build.sh)" >&2; exit 2; }

work=$(mktemp -d /tmp/ep-crash.XXXXXX)
server_pid=""
pg_db=""
pg_bin=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  [ -z "$pg_db" ] || "$pg_bin/psql" "$database_url" -qAt -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  scripts/s3-test-server.sh stop "$work/s3"
  rm -rf "$work"
}
trap cleanup EXIT

unset DATABASE_URL SMTP_URL PUBLIC_URL OBJECT_STORE_URL
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export DATA_DIR="$work/data" LEPTOS_OUTPUT_NAME=espace-partenaires LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$port" PUBLIC_URL="http://127.0.0.1:$port" DEMO_PASSWORD=demo-espace-partenaires
mkdir -p "$DATA_DIR"
if [ -n "$database_url" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_db="ep_crash_$$_$(date +%s)"
  "$pg_bin/psql" "$database_url" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $pg_db" >/dev/null
  export DATABASE_URL="${database_url%/*}/$pg_db"
  eval "$(scripts/s3-test-server.sh start "$work/s3")"
  curl -fsS -X PUT "$TEST_S3_ENDPOINT/ep-crash" >/dev/null
  export OBJECT_STORE_URL=s3://ep-crash/espace-partenaires AWS_ENDPOINT="$TEST_S3_ENDPOINT" AWS_ALLOW_HTTP=true
  export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
  label="PostgreSQL and an S3 bucket (moto)"
  query() { "$pg_bin/psql" "$DATABASE_URL" -qAt -c "$1"; }
else
  label="SQLite and the folder under DATA_DIR"
  query() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DATA_DIR/espace-partenaires.db" "$1"; }
fi

start_server() {
  "$server_bin" >>"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 150); do
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "the server did not become ready:"; tail -n 40 "$work/server.log"; exit 2
}

echo "==> Crash test on $label: $count submissions with a file each, kill -9 after $((count / 2)) answers"
"$server_bin" seed demo >"$work/seed.log" 2>&1 || { echo "seed failed:"; tail -n 30 "$work/seed.log"; exit 2; }
start_server
status=0
python3 scripts/load/crash.py submit --clients 15 --base-url "http://127.0.0.1:$port" --password "$DEMO_PASSWORD" \
  --server-pid "$server_pid" --count "$count" --kill-after $((count / 2)) --out "$work/answered.json" || status=1
wait "$server_pid" 2>/dev/null || true
server_pid=""

echo "==> Restarted: what was answered must be whole"
start_server
python3 scripts/load/crash.py verify --base-url "http://127.0.0.1:$port" --password "$DEMO_PASSWORD" \
  --answered "$work/answered.json" || status=1
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
server_pid=""

without_event=$(query "SELECT COUNT(*) FROM requests r WHERE NOT EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id)")
without_file=$(query "SELECT COUNT(*) FROM requests r WHERE r.subject LIKE 'Essai de panne %' AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.request_id = r.id)")
echo "requests without their first event: $without_event; crash-test requests without their file: $without_file"
[ "$without_event" = 0 ] && [ "$without_file" = 0 ] || status=1
export RUST_LOG=off
echo "before the sweep: $("$server_bin" files check || true)"
"$server_bin" files sweep --all | sed 's/^/sweep: /'
if ! check=$("$server_bin" files check); then status=1; fi
echo "after the sweep:  $check"
if grep -q 'panicked at' "$work/server.log"; then
  echo "the server panicked:"; grep -A2 'panicked at' "$work/server.log" | head -n 10; status=1
fi
[ "$status" -eq 0 ] && echo "crash test passed" || echo "crash test FAILED"
exit "$status"
