#!/usr/bin/env bash
# Starts an S3-compatible server (moto in server mode, from .tools/python) on a free loopback port, for the tests.
# Usage: eval "$(scripts/s3-test-server.sh start DIR)"   prints `export TEST_S3_ENDPOINT=…` once it answers
#        scripts/s3-test-server.sh stop DIR
set -euo pipefail
cd "$(dirname "$0")/.."
action="${1:?start or stop}"
dir="${2:?a folder for its pid and log}"
case "$action" in
  start)
    mkdir -p "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    .tools/python/bin/moto_server -H 127.0.0.1 -p "$port" >"$dir/moto.log" 2>&1 &
    echo $! >"$dir/moto.pid"
    for _ in $(seq 1 100); do
      if curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1; then
        echo "export TEST_S3_ENDPOINT=http://127.0.0.1:$port"
        exit 0
      fi
      sleep 0.2
    done
    echo "the S3 test server did not start (log: $dir/moto.log)" >&2
    exit 1
    ;;
  stop)
    [ -f "$dir/moto.pid" ] && kill "$(cat "$dir/moto.pid")" 2>/dev/null || true
    rm -f "$dir/moto.pid"
    ;;
esac
