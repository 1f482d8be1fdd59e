# Sourced by the project's scripts: the tools they installed come first on PATH.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/scripts/wasm-opt/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
