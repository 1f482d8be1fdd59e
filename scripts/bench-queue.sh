#!/usr/bin/env bash
# Benchmark, not a test (never run by CI): generates N requests on a throwaway PostgreSQL with `server seed volume`,
# gives them due dates, then prints how long the caisse queue's keyset queries take for one caisse (every order,
# first and deep pages, filters).
# Usage: scripts/bench-queue.sh [N=1000000] [CAISSES=10]   (needs a release build: scripts/build.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
requests=${1:-1000000}
caisses=${2:-10}
work=$(mktemp -d /tmp/ep-bench.XXXXXX)
chmod 755 "$work"
trap 'scripts/pg-test-cluster.sh stop "$work/pg"; rm -rf "$work"' EXIT
eval "$(scripts/pg-test-cluster.sh start "$work/pg")"
db="${TEST_POSTGRES_URL%/*}/ep_bench"
psql "$TEST_POSTGRES_URL" -qc "CREATE DATABASE ep_bench"
export DATABASE_URL="$db" DATA_DIR="$work/data"
target/release/server migrate >/dev/null
echo "==> seed volume: $requests requests over $caisses caisses"
time target/release/server seed volume --requests "$requests" --caisses "$caisses" --structures $((caisses * 10)) 2>/dev/null
# Due dates spread over the five weeks after each request's creation (the volume seeder leaves them empty).
psql "$db" -qc "UPDATE requests SET due_on = created_at::date + (abs(hashtext(id)) % 35)"
psql "$db" -qAt -c "ANALYZE"
c=$(psql "$db" -qAt -c "SELECT caisse_id FROM requests GROUP BY caisse_id ORDER BY count(*) DESC LIMIT 1")
per_caisse=$(psql "$db" -qAt -c "SELECT count(*) FROM requests WHERE caisse_id='$c'")
deep=$(psql "$db" -qAt -c "SELECT id FROM requests WHERE caisse_id='$c' ORDER BY id DESC OFFSET $((per_caisse * 6 / 10)) LIMIT 1")
deep_due=$(psql "$db" -qAt -c "SELECT due_on || '|' || id FROM requests WHERE caisse_id='$c' ORDER BY due_on, id OFFSET $((per_caisse * 6 / 10)) LIMIT 1")
due=${deep_due%%|*}; due_id=${deep_due#*|}
open="('submitted','in_progress','awaiting_partner','appointment_scheduled')"
echo "==> one caisse holding $per_caisse requests"
while IFS='|' read -r label where order; do
  ms=$(psql "$db" -qAt -c "EXPLAIN ANALYZE SELECT * FROM requests WHERE caisse_id='$c' $where ORDER BY $order LIMIT 26" \
    | sed -n 's/Execution Time: //p')
  printf '%-44s %s\n' "$label" "$ms"
done <<EOF
newest first, first page||id DESC
newest first, deep page (60 % down)|AND id < '$deep'|id DESC
open requests, newest first|AND status IN $open|id DESC
oldest first, first page||id ASC
soonest due, first page|AND due_on IS NOT NULL|due_on ASC, id ASC
soonest due, deep page (60 % down)|AND due_on IS NOT NULL AND (due_on, id) > ('$due', '$due_id')|due_on ASC, id ASC
unassigned, newest first|AND assignee_id IS NULL|id DESC
EOF
