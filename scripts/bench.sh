#!/usr/bin/env bash
# Benchmark (not a test): the reference broken-domain report in headless
# Chromium against the fixture DoH server, at each of BENCH_LATENCIES
# (default "0 20 50" ms injected per query), then a first visit over a
# throttled network (tests/e2e/first-visit.mjs). Prints per latency the report
# time, the transport floor, what the app adds, queries/distinct, the
# critical-path bound and where one profiled run's time went (the page's wasm,
# its JS glue and the DOM/fetch calls it makes, the browser's style, layout and
# paint, GC); then `app_ms_at_0=…`, `first_visit_ms=… warm_ms=… first_paint_ms=…`, and last the
# line for 50 ms:
#   report_ms=… bound_ms=… ratio=… queries=… distinct=… gzip_bytes=…
# bound_ms is the critical path (rounds of dependent queries, measured by
# examples/critical_path.rs over the same zone with the app's own runner)
# times the latency. Goals (issue 20): the app adds <= 10 ms at 0 ms and
# <= 5 % at 50 ms, queries == distinct, first visit <= 400 ms, gzip <= 250 KB.
#
# dist/ is reused when nothing it is built from changed since the last
# benchmark build (target/bench-dist.sha256); BENCH_REBUILD=1 forces a build.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup.sh test
domain=${BENCH_DOMAIN:-broken.example}
latencies=${BENCH_LATENCIES:-0 20 50}

# Everything the release build reads, hashed (tracked or not; target/ and dist/ excluded).
sources_hash() {
  { git ls-files -co --exclude-standard -- Cargo.toml Cargo.lock Trunk.toml index.html static src crates/core \
      scripts/minify-js.mjs scripts/short-names.mjs scripts/wasm-binary.mjs scripts/setup.sh rust-toolchain.toml 2>/dev/null | sort | xargs -r sha256sum; } | sha256sum | cut -c1-64
}
stamp=target/bench-dist.sha256
hash=$(sources_hash)
if [ "${BENCH_REBUILD:-0}" != 1 ] && [ -f dist/index.html ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  echo "bench: reusing dist/ (built from these sources)"
  gzip_bytes=$(bash scripts/size.sh 2>/dev/null | sed -n 's/^shipped gzip bytes: \([0-9]*\).*/\1/p')
else
  gzip_bytes=$(bash scripts/build-release.sh 2>/dev/null | sed -n 's/^shipped gzip bytes: \([0-9]*\).*/\1/p')
  mkdir -p target && echo "$hash" > "$stamp"
fi
[ -n "$gzip_bytes" ] || { echo "bench: the release build failed (run scripts/build-release.sh)" >&2; exit 1; }
# The fixture optimised (profile `fixture`): a debug build's TLS and HTTP/2
# work took CPU from the browser on the same two cores (the floor at 0 ms fell
# from about 75 to 57 ms in the same session, 2026-12-05).
cargo build -p doh-fixture --profile fixture --locked
export DOH_FIXTURE=$root/target/fixture/doh-fixture
questions=$root/target/bench-questions.json
line=$(cargo run --quiet --release --locked --example critical_path -- \
  --zone tests/e2e/zones/broken.zone --zone tests/e2e/zones/healthy.zone "$domain" --questions "$questions")
echo "native: $line"
rounds=${line#rounds=}
rounds=${rounds%% *}
cd tests/e2e
summary=()
last=""
for latency in $latencies; do
  echo "---- latency $latency ms"
  # 21 paired runs at 0 ms, where the goal is a few ms and one run's
  # difference moves by ±15 ms on this VM (with 11, two invocations on one
  # build said 12 and 23 ms); 5 at the others (BENCH_RUNS: all).
  runs=${BENCH_RUNS:-$([ "$latency" = 0 ] && echo 21 || echo 5)}
  out=$(BENCH_RUNS=$runs LATENCY_MS=$latency BENCH_DOMAIN=$domain node bench.mjs "$rounds" "$gzip_bytes" "$questions" | tee /dev/stderr)
  summary+=("$(grep '^latency_ms=' <<<"$out")")
  last=$(tail -1 <<<"$out")
done
echo "---- first visit"
visit=$(node first-visit.mjs | tee /dev/stderr | tail -1)
echo "---- summary"
printf '%s\n' "${summary[@]}"
app0=$(printf '%s\n' "${summary[@]}" | sed -n 's/^latency_ms=0 .* app_ms=\([-0-9]*\) .*/\1/p')
[ -z "$app0" ] || echo "app_ms_at_0=$app0"
echo "$visit"
echo "$last"
