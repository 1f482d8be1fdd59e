#!/usr/bin/env bash
# Benchmark, not a test (never run by CI): how long the statistics take on the release server, one request at a time
# (the server time a person waits, loopback) — the caisse dashboard over the last 12 months, the same with a year
# chosen, and the public page — after seeding REQUESTS requests into one caisse on SQLite (100,000 by default), or with
# --database-url on PostgreSQL 1,000,000 requests over 10 caisses. Prints the median and the slowest of RUNS answers.
# Targets: the dashboard under 500 ms on SQLite and 300 ms on PostgreSQL, the public page under 100 ms.
# Usage: scripts/bench-stats.sh [--database-url URL] [--requests N] [--runs N]   (needs scripts/build.sh first)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
database_url=""
requests=""
runs=15
while [ $# -gt 0 ]; do
  case "$1" in
    --database-url) database_url="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: scripts/bench-stats.sh [--database-url URL] [--requests N] [--runs N]" >&2; exit 2 ;;
  esac
done
if [ -n "$database_url" ]; then
  requests=${requests:-1000000}; caisses=10; label="PostgreSQL"; target=300
else
  requests=${requests:-100000}; caisses=1; label="SQLite"; target=500
fi
source "$root/scripts/bench-server.sh"
cookie=$(session volume.caisse01@example.org)

# Median and slowest time (ms) of `runs` answers, each checked to be a 200.
timed() {
  local path="$1" times=() code t
  for _ in $(seq 1 "$runs"); do
    read -r code t < <(curl -s -o /dev/null -H "Cookie: $cookie" -w '%{http_code} %{time_total}\n' "$base$path")
    [ "$code" = 200 ] || { echo "$path answered $code" >&2; exit 1; }
    times+=("$t")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 * 1000 } END { printf "%.0f %.0f\n", a[int((NR + 1) / 2)], a[NR] }'
}
year=$(( $(date +%Y) - 1 ))
echo
echo "| what ($label, $requests requests) | median (ms) | slowest of $runs (ms) | target (ms) |"
echo "|---|---|---|---|"
for line in "caisse dashboard, 12 months|/caisse/statistiques|$target" \
  "caisse dashboard, year $year|/caisse/statistiques?periode=annee&annee=$year|$target" \
  "public page|/statistiques/V01|100"; do
  IFS='|' read -r what path goal <<<"$line"
  read -r median slowest < <(timed "$path")
  printf '| %s | %s | %s | %s |\n' "$what" "$median" "$slowest" "$goal"
done
