#!/usr/bin/env bash
# Benchmark (not a test): the reference broken-domain report in headless
# Chromium against the fixture DoH server with LATENCY_MS (default 50) per
# query. Last line:
#   report_ms=… bound_ms=… ratio=… queries=… distinct=… gzip_bytes=…
# bound_ms is the critical path (rounds of dependent queries, measured by
# examples/critical_path.rs over the same zone with the app's own runner)
# times the latency. Goals: ratio <= 1.25, queries == distinct, gzip <= 250 KB.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup.sh test
domain=${BENCH_DOMAIN:-broken.example}
gzip_bytes=$(bash scripts/build-release.sh 2>/dev/null | sed -n 's/^shipped gzip bytes: \([0-9]*\).*/\1/p')
[ -n "$gzip_bytes" ] || { echo "bench: the release build failed (run scripts/build-release.sh)" >&2; exit 1; }
cargo build -p doh-fixture --locked
questions=$root/target/bench-questions.json
line=$(cargo run --quiet --release --locked --example critical_path -- \
  --zone tests/e2e/zones/broken.zone --zone tests/e2e/zones/healthy.zone "$domain" --questions "$questions")
echo "native: $line"
rounds=${line#rounds=}
rounds=${rounds%% *}
cd tests/e2e
BENCH_DOMAIN=$domain node bench.mjs "$rounds" "$gzip_bytes" "$questions"
