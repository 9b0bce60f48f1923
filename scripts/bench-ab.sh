#!/usr/bin/env bash
# Compares two release builds (not a test): the benchmark's report at one
# latency, the builds taking turns, so that what the machine is doing at the
# time (on a shared 2-core VM the same floor measured 57 and 146 ms minutes
# apart) weighs on both alike. Each turn is tests/e2e/bench.mjs with
# BENCH_RUNS runs (7), each paired with its own floor pass; the script prints
# every turn's app_ms and, per build, their mean.
#   scripts/bench-ab.sh DIST_A DIST_B [LATENCY_MS (0)] [TURNS (3)]
# Make a build to compare with: scripts/build-release.sh, then cp -r dist /tmp/A.
# A difference under about 5 ms needs more turns (docs/speed.md).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
a=$(cd "${1:?usage: bench-ab.sh DIST_A DIST_B [LATENCY_MS] [TURNS]}" && pwd)
b=$(cd "${2:?usage: bench-ab.sh DIST_A DIST_B [LATENCY_MS] [TURNS]}" && pwd)
latency=${3:-0}
turns=${4:-3}
cd "$root"
source scripts/setup.sh test
cargo build -p doh-fixture --profile fixture --locked
export DOH_FIXTURE=$root/target/fixture/doh-fixture
questions=$root/target/bench-questions.json
line=$(cargo run --quiet --release --locked --example critical_path -- \
  --zone tests/e2e/zones/broken.zone --zone tests/e2e/zones/healthy.zone broken.example --questions "$questions")
rounds=${line#rounds=}
rounds=${rounds%% *}
cd tests/e2e
declare -A sum
for ((turn = 1; turn <= turns; turn++)); do
  for dist in "$a" "$b"; do
    out=$(MAILDOCTOR_DIST=$dist LATENCY_MS=$latency BENCH_RUNS=${BENCH_RUNS:-7} node bench.mjs "$rounds" 0 "$questions" | grep '^latency_ms=')
    app=$(sed -n 's/.* app_ms=\([-0-9]*\) .*/\1/p' <<<"$out")
    spread=$(sed -n 's/.* app_spread_ms=\([-0-9.]*\) .*/\1/p' <<<"$out")
    echo "turn $turn $dist: app_ms=$app ($spread)"
    sum[$dist]=$(( ${sum[$dist]:-0} + app ))
  done
done
for dist in "$a" "$b"; do
  echo "$dist: mean app_ms over $turns turns at $latency ms: $(awk -v s="${sum[$dist]}" -v n="$turns" 'BEGIN { printf "%.1f", s / n }')"
done
