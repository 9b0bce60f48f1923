#!/usr/bin/env bash
# Checks that the release build is byte-reproducible: builds dist/ again from
# the same tree and compares every file with the build before it.
# Cheap: cargo's wasm is cached, so the second build reruns only wasm-bindgen,
# wasm-opt, trunk's asset pipeline and the minify hook (about 30 s), which is
# where nondeterminism crept in before (trunk's JS minifier ordered crash.js's
# hoisted constants differently on each run, so its hashed name and index.html
# changed with every build; crash.js is now minified by terser in the hook).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -f dist/index.html ] || { echo "build dist/ first (scripts/build-release.sh)" >&2; exit 1; }
before=$(cd dist && sha256sum -- * | sort)
source scripts/setup.sh build >/dev/null
env "${WASM_RELEASE_ENV[@]}" trunk build --release --offline >/dev/null 2>&1 ||
  { echo "the second release build failed" >&2; exit 1; }
after=$(cd dist && sha256sum -- * | sort)
if [ "$before" != "$after" ]; then
  echo "two release builds of the same tree differ:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
echo "reproducible: two release builds identical ($(echo "$after" | wc -l) files)"
