#!/usr/bin/env bash
# Prints the gzip -9 size of what dist/ ships (wasm + js + css + html) and fails over budget.
# The hard budget is 300 000 bytes (room for the new checks); the goal stays 250 000.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dist=${1:-$root/dist}
budget=${SIZE_BUDGET_BYTES:-300000}
goal=250000
total=0
wasm_gzip=0
shopt -s nullglob
files=("$dist"/*.wasm "$dist"/*.js "$dist"/*.css "$dist"/*.html)
[ ${#files[@]} -gt 0 ] || { echo "nothing to measure in $dist: build first" >&2; exit 1; }
for f in "${files[@]}"; do
  n=$(gzip -9 -c "$f" | wc -c)
  if [[ $f == *.wasm ]]; then wasm_gzip=$n; fi
  printf '  %-50s %8d raw %8d gzip\n' "$(basename "$f")" "$(wc -c < "$f")" "$n"
  total=$((total + n))
done
# What each check and page part costs (issue 20: the cost of every feature visible).
cargo_wasm=$root/target/wasm32-unknown-unknown/release/maildoctor.wasm
if [ -f "$cargo_wasm" ] && command -v node >/dev/null; then
  node "$root/scripts/wasm-cost.mjs" "$cargo_wasm" "$wasm_gzip" || echo "(the per-part cost could not be read)"
fi
echo "shipped gzip bytes: $total (goal $goal, budget $budget)"
if [ "$total" -gt "$budget" ]; then
  echo "over the size budget of $budget bytes" >&2
  exit 1
fi
