#!/usr/bin/env bash
# Benchmark, not a test (never run by CI): the soak. One release instance on a throwaway PostgreSQL, 200 simulated
# users signed in and browsing every kind of page for 10 minutes (scripts/load-test.sh, concurrency.py's checks all
# on: no error, no mixed-up page), its resident memory printed every minute (target: flat, under 150 MB).
# Usage: scripts/soak.sh [--clients 200] [--duration 600]   (needs scripts/build.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh bench
work=$(mktemp -d /tmp/ep-soak.XXXXXX)
chmod 755 "$work"
trap 'scripts/pg-test-cluster.sh stop "$work/pg"; rm -rf "$work"' EXIT
eval "$(scripts/pg-test-cluster.sh start "$work/pg")"
RSS_EVERY=60 scripts/load-test.sh --server target/release/server --database-url "$TEST_POSTGRES_URL" \
  --clients 200 --duration 600 --burst 0 "$@"
