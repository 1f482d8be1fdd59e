#!/usr/bin/env bash
# Builds the release site without cargo-leptos: the server binary, and alongside it the islands' WebAssembly (separate
# target folders, so neither waits for the other's lock) and, when missing, wasm-bindgen-cli; then wasm-bindgen,
# wasm-opt, the stylesheet, hashed names and brotli + gzip copies. Leaves target/release/server, target/site/pkg/ and
# target/release/hash.txt, which the server reads to link the hashed names (and then keeps the files in memory, cached
# for a year by browsers). cargo-leptos stays the tool of `cargo leptos watch` in development.
# Usage: scripts/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh toolchain
source scripts/env.sh
export CARGO_INCREMENTAL=0
name=espace-partenaires
pkg=target/site/pkg
wasm_target=target/front

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "Building the server, and alongside it the islands' WebAssembly"
# Views are type-erased (Leptos's `erase_components`): the server's `app` crate, the build's critical path, compiles in
# half the time. The islands' WebAssembly must be built the same way (the erased server writes the hydration markers
# erased views expect). The server's build is the longest: it runs at normal priority, and the browser's side (the
# WebAssembly, then wasm-bindgen-cli on a bare machine) at the lowest, on whatever core the server's build leaves idle,
# and alone once it is done.
export RUSTFLAGS="--cfg erase_components"
cargo build --locked --release -p server &
server_build=$!
nice -n 19 bash -c "cargo build --locked -p frontend --target wasm32-unknown-unknown --profile wasm-release --target-dir $wasm_target \
  && scripts/ensure-tools.sh wasm-bindgen" &
browser_build=$!
failed=""
wait "$browser_build" || failed="the WebAssembly build (or wasm-bindgen-cli)"
wait "$server_build" || failed="the server build"
[ -z "$failed" ] || { echo "$failed failed" >&2; exit 1; }

say "Binding, optimising, hashing and compressing the browser files"
work=$(mktemp -d /tmp/ep-build.XXXXXX)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name "$name" \
  "$wasm_target/wasm32-unknown-unknown/wasm-release/frontend.wasm"
# The features rustc emits for wasm32 must be named, or wasm-opt breaks the externref table.
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue \
  --enable-sign-ext --enable-mutable-globals "$work/${name}_bg.wasm" -o "$work/$name.wasm"
cp style/main.css "$work/$name.css"

rm -rf "$pkg"
mkdir -p "$pkg"
hashes=""
for ext in css js wasm; do
  hash=$(sha256sum "$work/$name.$ext" | cut -c1-20)
  file="$pkg/$name.$hash.$ext"
  cp "$work/$name.$ext" "$file"
  gzip -9 -k -n "$file"
  brotli -q 11 -k "$file"
  hashes+="$ext: $hash"$'\n'
done
printf '%s' "$hashes" > target/release/hash.txt
ls -l "$pkg"
