#!/usr/bin/env bash
# Installs what is missing, builds the app, loads the demo data into the embedded SQLite file and serves it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
export LEPTOS_OUTPUT_NAME=espace-partenaires LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}" LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
target/release/server seed demo
exec target/release/server
