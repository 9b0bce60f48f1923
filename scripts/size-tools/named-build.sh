#!/usr/bin/env bash
# A release wasm with its function names kept, for scripts/size-tools/gzip_map.py:
# the release build's cargo, wasm-bindgen and wasm-opt steps (index.html's flags),
# minus the import renaming of the release hook (which does not move the rest).
#   TDIR=/tmp/size-target scripts/size-tools/named-build.sh TAG    -> /tmp/n/TAG/
# Prints "TAG raw N gzip N" (gzip -9 of the stripped wasm).
set -euo pipefail
tag=${1:?usage: named-build.sh TAG}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
# shellcheck disable=SC1091
source scripts/setup.sh build >/dev/null
tdir=${TDIR:-$root/target}
env "${WASM_RELEASE_ENV[@]}" CARGO_TARGET_DIR="$tdir" cargo build --release --target wasm32-unknown-unknown --offline -q --bin maildoctor
out=/tmp/n/$tag
mkdir -p "$out"
wasm-bindgen --target web --keep-debug --out-dir "$out" "$tdir/wasm32-unknown-unknown/release/maildoctor.wasm"
flags=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html | sed 's/--strip-producers --strip-target-features//')
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"
# shellcheck disable=SC2086
wasm-opt -g $features $flags "$out/maildoctor_bg.wasm" -o "$out/opt.wasm"
# shellcheck disable=SC2086
wasm-opt $features --strip-debug --strip-producers --strip-target-features "$out/opt.wasm" -o "$out/stripped.wasm"
echo "$tag raw $(stat -c %s "$out/stripped.wasm") gzip $(gzip -9 -c "$out/stripped.wasm" | wc -c)"
