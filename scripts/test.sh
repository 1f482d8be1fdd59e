#!/usr/bin/env bash
# Runs every test: domain unit and property tests, integration tests on SQLite (files in a folder) and on a
# throwaway PostgreSQL (files in a bucket of a throwaway S3-compatible server), a
# short fuzzing run of every domain parser, the end-to-end journeys in Chromium (JavaScript on and off, axe-core)
# against the real server, the API's contract (schemathesis), then the concurrency tier (the release server under load, on SQLite and PostgreSQL) and
# the crash test's short form (kill -9 under submissions, on both).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh test
source scripts/env.sh
# One-shot builds gain nothing from incremental caches, which are large.
export CARGO_INCREMENTAL=0

work=$(mktemp -d /tmp/ep-test.XXXXXX)
chmod 755 "$work"   # the postgres user must reach its cluster folder inside
server_pid=""
smtp_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  [ -z "$smtp_pid" ] || kill "$smtp_pid" 2>/dev/null || true
  scripts/pg-test-cluster.sh stop "$work/pg"
  scripts/s3-test-server.sh stop "$work/s3"
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> PostgreSQL for the integration tests"
pg_env=$(scripts/pg-test-cluster.sh start "$work/pg")   # fails the script if the cluster does not start
eval "$pg_env"
echo "==> An S3-compatible server (moto) for the integration tests' files"
s3_env=$(scripts/s3-test-server.sh start "$work/s3")
eval "$s3_env"

echo "==> Formatting (rustfmt.toml) and lints (clippy, warnings as errors: the server build with its tests, the browser build)"
cargo fmt --all --check
cargo clippy --locked -p app -p migrations -p server --features app/ssr --all-targets -- -D warnings
cargo clippy --locked -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

echo "==> Unit and integration tests (SQLite and PostgreSQL)"
cargo test --locked -p app -p migrations -p server --features app/ssr

echo "==> Fuzzing every domain parser briefly (cargo-fuzz, 10 s a target)"
scripts/fuzz.sh 10

echo "==> End-to-end tests (Chromium)"
scripts/build.sh
# Two distinct free ports, held together while they are chosen: the app's and the SMTP server's.
read -r port smtp_port < <(python3 -c 'import socket; a=socket.socket(); a.bind(("127.0.0.1",0)); b=socket.socket(); b.bind(("127.0.0.1",0)); print(a.getsockname()[1], b.getsockname()[1])')
export DATA_DIR="$work/data" LEPTOS_OUTPUT_NAME=espace-partenaires LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$port" DEMO_PASSWORD=demo-espace-partenaires
# Downloads of more than 20 rows are prepared in the background, so that a journey meets one in the demo data.
export EXPORT_BACKGROUND_ROWS=20
# A real SMTP server (Debian's aiosmtpd) keeps what the app sends in a Maildir the journeys read.
export MAILDIR="$work/maildir"
mkdir -p "$MAILDIR/tmp" "$MAILDIR/new" "$MAILDIR/cur"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$MAILDIR" >"$work/smtp.log" 2>&1 &
smtp_pid=$!
export SMTP_URL="smtp://127.0.0.1:$smtp_port" PUBLIC_URL="http://127.0.0.1:$port"
target/release/server seed demo >"$work/seed.log"
target/release/server >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
(cd end2end && BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 tests/) || {
  echo "--- server log (tail)"; tail -n 60 "$work/server.log"; exit 1; }

# The end-to-end server is done with; the next steps start their own (fresh demo data, own port, own DATA_DIR).
kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""

echo "==> The API against its OpenAPI document (schemathesis: examples, coverage, fuzzing; 2 minutes)"
scripts/api-contract.sh --server target/release/server --max-time 120

echo "==> Concurrency tier: the release server under load (SQLite, then PostgreSQL)"
load_failed=""
scripts/load-test.sh --server target/release/server || load_failed=1
scripts/load-test.sh --server target/release/server --database-url "$TEST_POSTGRES_URL" || load_failed=1
echo "==> Crash test, short form: kill -9 under submissions with files (SQLite, then PostgreSQL with an S3 bucket)"
scripts/crash-test.sh --server target/release/server --count 200 || load_failed=1
scripts/crash-test.sh --server target/release/server --count 200 --database-url "$TEST_POSTGRES_URL" || load_failed=1
[ -z "$load_failed" ] || { echo "the concurrency tier or the crash test failed (figures above)"; exit 1; }
