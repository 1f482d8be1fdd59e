#!/usr/bin/env bash
# Installs whatever this machine lacks to build and test the project; a warm machine skips every step.
# Usage: scripts/ensure-tools.sh [build|dev|test|bench|fuzz|toolchain|wasm-bindgen]   (build: Rust toolchain pieces,
# wasm-bindgen, wasm-opt, brotli; dev: also cargo-leptos, for `cargo leptos watch`; test: also PostgreSQL, Chromium, Node
# deps, moto; fuzz: only cargo-fuzz, for scripts/fuzz.sh; bench: also PostgreSQL and wrk, for the benchmark scripts;
# toolchain: build without wasm-bindgen, and wasm-bindgen: only it — scripts/build.sh compiles it alongside the app)
set -euo pipefail
cd "$(dirname "$0")/.."
need="${1:-build}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$need" != fuzz ] && [ "$need" != toolchain ]; then
  if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen_version" ]; then
    say "Installing wasm-bindgen-cli $bindgen_version (about 2 minutes, once)"
    # Not --locked: its lockfile names a crate version the registry lacks. It runs once per build on a small file:
    # compiled for a short compile, not for speed.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install wasm-bindgen-cli@"$bindgen_version" --force --bin wasm-bindgen
  fi
  [ "$need" != wasm-bindgen ] || exit 0
fi

if [ "$need" = fuzz ]; then
  # scripts/fuzz.sh needs nothing else: the stable toolchain runs cargo-fuzz with RUSTC_BOOTSTRAP=1.
  if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz 0.13.2" ]; then
    say "Installing cargo-fuzz 0.13.2 (about 2 minutes, once)"
    cargo install cargo-fuzz@0.13.2 --locked
  fi
  exit 0
fi

# brotli: the build's compressed copies of the browser files.
apt_packages=(brotli)
if [ "$need" = test ]; then
  apt_packages+=(postgresql chromium python3-aiosmtpd python3-venv)
fi
if [ "$need" = bench ]; then
  apt_packages+=(postgresql wrk)
fi
command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)
missing=()
for pkg in "${apt_packages[@]+"${apt_packages[@]}"}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component-"; then
    say "Adding the $component component"
    rustup component add "$component"
  fi
done

# cargo-leptos only for `cargo leptos watch` in development: scripts/build.sh builds the release without it.
if [ "$need" = dev ] && [ "$(cargo leptos --version 2>/dev/null || true)" != "cargo-leptos 0.3.10" ]; then
  say "Installing cargo-leptos 0.3.10 (about 20 minutes, once)"
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
fi

# wasm-opt for release builds: binaryen from npm, put first on PATH by scripts/env.sh.
if [ ! -x scripts/wasm-opt/node_modules/.bin/wasm-opt ] || [ scripts/wasm-opt/package.json -nt scripts/wasm-opt/node_modules ]; then
  say "Installing binaryen (wasm-opt) from npm"
  (cd scripts/wasm-opt && npm install --no-audit --no-fund --loglevel=error)
fi

if [ "$need" = test ]; then
  # The Python tools (scripts/python-tools.txt) in a venv of their own: .tools/python.
  if [ ! -x .tools/python/bin/moto_server ] || [ ! -x .tools/python/bin/st ] || [ scripts/python-tools.txt -nt .tools/python/installed ]; then
    say "Installing the Python test tools (scripts/python-tools.txt) in .tools/python"
    python3 -m venv .tools/python
    .tools/python/bin/pip install --quiet --disable-pip-version-check -r scripts/python-tools.txt
    touch .tools/python/installed
  fi
  if [ ! -d end2end/node_modules ] || [ end2end/package-lock.json -nt end2end/node_modules ]; then
    say "Installing the end-to-end test dependencies (npm ci)"
    (cd end2end && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
