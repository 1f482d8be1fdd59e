#!/usr/bin/env bash
# Benchmark, not a test (never run by CI): the release server under wrk (-t2 -c32 -d8s, loopback), page by page —
# /healthz (the ceiling), a static file, the anonymous sign-in page, the 403 page anonymous and signed in (the floor of
# a signed-in page: the page frame, its session read and nothing else), a partner's history (and filtered by a period with
# nothing in it) and home, the caisse queue
# (newest first; open only by due date) — after seeding REQUESTS requests into one caisse (two structures: half each)
# on SQLite, or with --database-url on PostgreSQL 1,000,000 requests over 10 caisses. Prints req/s, p99 and ratios.
# Usage: scripts/bench-pages.sh [--database-url URL] [--requests N] [--duration SECONDS]
#        (needs a release build: scripts/build.sh; installs wrk if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
database_url=""
requests=""
duration=8
while [ $# -gt 0 ]; do
  case "$1" in
    --database-url) database_url="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    *) echo "usage: scripts/bench-pages.sh [--database-url URL] [--requests N] [--duration SECONDS]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
if [ -n "$database_url" ]; then
  requests=${requests:-1000000}; caisses=10; label="PostgreSQL"
else
  requests=${requests:-100000}; caisses=1; label="SQLite"
fi
source "$root/scripts/bench-server.sh"
partner=$(session volume.agent0001@example.org)
caisse=$(session volume.caisse01@example.org)
css=$(sed -n 's/^css: //p' "$root/target/release/hash.txt" 2>/dev/null || true)
css_path="/pkg/espace-partenaires${css:+.$css}.css"

# req/s and p99 (ms) of one page; fails if a single answer is not 200, unless the page is expected to answer another
# status (third argument; such a page is checked once before it is measured).
measure() {
  local path="$1" cookie="$2" status="${3:-200}" out
  out=$(wrk -t2 -c32 -d"${duration}s" --latency ${cookie:+-H "Cookie: $cookie"} "$base$path")
  if [ "$status" = 200 ] && grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers on $path:" >&2; echo "$out" >&2; exit 1; fi
  local rps p99
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } print v }' <<<"$out")
  echo "$rps $p99"
}
declare -A rps p99
row() { local key="$1"; shift; read -r "rps[$key]" "p99[$key]" < <(measure "$@"); }
# Every page is checked once before it is measured: signed-in pages must not send the visitor to sign in.
for check in "/partenaire/historique|$partner" "/caisse/file|$caisse"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: ${check#*|}" "$base${check%%|*}")
  [ "$code" = 200 ] || { echo "${check%%|*} answered $code" >&2; exit 1; }
done
# The 403 page, signed in, shows the signed-in frame (the sign-out button).
code=$(curl -s -o "$work/forbidden.html" -w '%{http_code}' -H "Cookie: $partner" "$base/interdit")
{ [ "$code" = 403 ] && grep -q "Se déconnecter" "$work/forbidden.html"; } || { echo "/interdit answered $code, signed out" >&2; exit 1; }
row healthz /healthz ""
row asset "$css_path" ""
row login /login ""
row forbidden /interdit "" 403
row floor /interdit "$partner" 403
row history /partenaire/historique "$partner"
row period "/partenaire/historique?du=2020-01-01&au=2020-12-31" "$partner"
row home /partenaire/demandes "$partner"
row queue /caisse/file "$caisse"
row due "/caisse/file?statut=open&tri=echeance" "$caisse"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo
echo "| what | req/s | p99 (ms) | ratio |"
echo "|---|---|---|---|"
printf '| `/healthz` (the ceiling) | %s | %s | 1 |\n' "${rps[healthz]}" "${p99[healthz]}"
printf '| `%s` (static file) | %s | %s | %s of `/healthz` |\n' "$css_path" "${rps[asset]}" "${p99[asset]}" "$(ratio "${rps[asset]}" "${rps[healthz]}")"
printf '| sign-in page, anonymous | %s | %s | %s of `/healthz` |\n' "${rps[login]}" "${p99[login]}" "$(ratio "${rps[login]}" "${rps[healthz]}")"
printf '| the 403 page, anonymous | %s | %s | %s of `/healthz` |\n' "${rps[forbidden]}" "${p99[forbidden]}" "$(ratio "${rps[forbidden]}" "${rps[healthz]}")"
printf '| the same, signed in: the floor of a signed-in page | %s | %s | %s of the sign-in page |\n' "${rps[floor]}" "${p99[floor]}" "$(ratio "${rps[floor]}" "${rps[login]}")"
printf '| partner history, page 1 | %s | %s | %s of the sign-in page |\n' "${rps[history]}" "${p99[history]}" "$(ratio "${rps[history]}" "${rps[login]}")"
printf '| partner history, a period with nothing in it (2020) | %s | %s | %s |\n' "${rps[period]}" "${p99[period]}" "$(ratio "${rps[period]}" "${rps[login]}")"
printf '| partner home | %s | %s | %s |\n' "${rps[home]}" "${p99[home]}" "$(ratio "${rps[home]}" "${rps[login]}")"
printf '| caisse queue, page 1 | %s | %s | %s |\n' "${rps[queue]}" "${p99[queue]}" "$(ratio "${rps[queue]}" "${rps[login]}")"
printf '| caisse queue by due date, open only | %s | %s | %s |\n' "${rps[due]}" "${p99[due]}" "$(ratio "${rps[due]}" "${rps[login]}")"
