#!/usr/bin/env bash
# Builds the release app into dist/ (installs what it needs first) and prints
# its shipped size (scripts/size.sh, which fails over the budget).
# Extra arguments go to `trunk build`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup.sh build
fetch_for_release
env "${WASM_RELEASE_ENV[@]}" trunk build --release --offline "$@"
bash scripts/size.sh
