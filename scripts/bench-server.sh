# Sourced by the benchmark scripts: the release server on a fresh database (SQLite in a temporary folder, or a new
# PostgreSQL database when `database_url` is set) seeded with `requests` requests over `caisses` caisses, two
# structures a caisse. Needs `root`, `database_url`, `requests`, `caisses`, `label`; sets `work`, `base`,
# `server_pid` and `session EMAIL` (a session cookie); everything is removed on exit.
server_bin="$root/target/release/server"
[ -x "$server_bin" ] || { echo "no server binary at $server_bin (scripts/build.sh)" >&2; exit 2; }
work=$(mktemp -d /tmp/ep-bench.XXXXXX)
server_pid=""
pg_db=""
cleanup() {
  if [ -n "$server_pid" ]; then
    # A server that does not stop within its grace periods is reported, then killed (not waited for forever).
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "the server did not stop within 60 s of SIGTERM: killed; its log ends with" >&2
      tail -n 5 "$work/server.log" >&2 || true
      kill -9 "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  [ -z "$pg_db" ] || psql "$database_url" -qAt -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

unset DATABASE_URL SMTP_URL PUBLIC_URL
if [ -n "$database_url" ]; then
  pg_db="ep_bench_$$"
  psql "$database_url" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $pg_db" >/dev/null
  export DATABASE_URL="${database_url%/*}/$pg_db"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export DATA_DIR="$work/data" LEPTOS_OUTPUT_NAME=espace-partenaires LEPTOS_SITE_ROOT="$root/target/site" LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:$port" DEMO_PASSWORD=demo-espace-partenaires RUST_LOG=warn
mkdir -p "$DATA_DIR"

echo "==> $label: $requests requests over $caisses caisse(s), two structures a caisse"
"$server_bin" migrate >/dev/null 2>&1
"$server_bin" seed volume --requests "$requests" --caisses "$caisses" --structures $((caisses * 2)) 2>/dev/null
"$server_bin" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 150); do curl -fsS "$base/healthz" >/dev/null 2>&1 && break; sleep 0.2; done

# A session cookie for `email`, signed in as the hydrated form does (the `login` server function).
session() {
  local jar="$work/$1.jar"
  curl -fsS -o /dev/null -c "$jar" -b "$jar" -X POST "$base/api/login" -H "Accept: application/json" -H "Origin: $base" \
    -H "Sec-Fetch-Site: same-origin" --data-urlencode "email=$1" --data-urlencode "password=$DEMO_PASSWORD" --data-urlencode "suite="
  # The second step: the code of the demo accounts' app (`server demo-code`, from DEMO_TOTP_SECRET).
  curl -fsS -o /dev/null -c "$jar" -b "$jar" -X POST "$base/api/confirm_code" -H "Accept: application/json" -H "Origin: $base" \
    -H "Sec-Fetch-Site: same-origin" --data-urlencode "code=$("$server_bin" demo-code)"
  awk '$6 ~ /ep_session$/ { print $6 "=" $7 }' "$jar"
}
