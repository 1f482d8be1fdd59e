#!/usr/bin/env bash
# Benchmark, not a test (never run by CI): generates N requests on a throwaway PostgreSQL with `server seed volume`,
# then prints how long the history's keyset queries take for one structure (first page, deep page, filters, search).
# Usage: scripts/bench-history.sh [N=1000000] [STRUCTURES=10]   (needs a release build: scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-1000000}
structures=${2:-10}
work=$(mktemp -d /tmp/ep-bench.XXXXXX)
chmod 755 "$work"
trap 'scripts/pg-test-cluster.sh stop "$work/pg"; rm -rf "$work"' EXIT
eval "$(scripts/pg-test-cluster.sh start "$work/pg")"
db="${TEST_POSTGRES_URL%/*}/ep_bench"
psql "$TEST_POSTGRES_URL" -qc "CREATE DATABASE ep_bench"
export DATABASE_URL="$db" DATA_DIR="$work/data"
target/release/server migrate >/dev/null
echo "==> seed volume: $requests requests over $structures structures"
time target/release/server seed volume --requests "$requests" --caisses 10 --structures "$structures" 2>/dev/null
psql "$db" -qAt -c "ANALYZE"
s=$(psql "$db" -qAt -c "SELECT structure_id FROM requests LIMIT 1")
deep=$(psql "$db" -qAt -c "SELECT id FROM requests WHERE structure_id='$s' ORDER BY id DESC OFFSET $((requests / structures * 6 / 10)) LIMIT 1")
open="('submitted','in_progress','awaiting_partner','appointment_scheduled')"
while IFS='|' read -r label where; do
  ms=$(psql "$db" -qAt -c "EXPLAIN ANALYZE SELECT * FROM requests WHERE structure_id='$s' $where ORDER BY id DESC LIMIT 21" \
    | sed -n 's/Execution Time: //p')
  printf '%-40s %s\n' "$label" "$ms"
done <<EOF
first page|
deep page (60 % down)|AND id < '$deep'
open requests, deep page|AND status IN $open AND id < '$deep'
kind + status|AND kind = 'appointment' AND status = 'withdrawn'
assuré name contains|AND beneficiary_search LIKE '%MARTIN%'
EOF
