#!/usr/bin/env bash
# Builds maildoctor and serves it on http://127.0.0.1:8080 (installs what it needs first).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup.sh build
fetch_for_release
exec env "${WASM_RELEASE_ENV[@]}" trunk serve --release --offline --address 127.0.0.1 --port 8080 "$@"
