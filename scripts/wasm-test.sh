#!/usr/bin/env bash
# Browser tests in headless Chromium: the DoH client (tests/wasm_doh.rs) and
# the page's IDNA mapper, the browser's URL parser (tests/wasm_idna.rs).
#
# Builds the fixture DoH server (crates/doh-fixture), starts it on a free
# port with tests/fixtures/doh.zone, passes its URL to the test build as
# DOH_FIXTURE_URL, runs the tests with wasm-bindgen-test-runner, and stops
# the server on exit. Extra arguments go to `cargo test` (e.g. -- --nocapture).
#
# Needs: the wasm32-unknown-unknown target, wasm-bindgen-test-runner at the
# Cargo.lock version of wasm-bindgen, chromedriver (and chromium) on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in wasm-bindgen-test-runner chromedriver; do
    if ! command -v "$tool" >/dev/null; then
        echo "wasm-test.sh: $tool is not on PATH" >&2
        exit 1
    fi
done

cargo build --quiet -p doh-fixture
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
fixture="$target_dir/debug/doh-fixture"

work=$(mktemp -d)
"$fixture" --zone tests/fixtures/doh.zone --port 0 >"$work/stdout" 2>"$work/stderr" &
fixture_pid=$!
cleanup() {
    kill "$fixture_pid" 2>/dev/null || true
    wait "$fixture_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# The fixture prints exactly one line when it is ready.
line=""
for _ in $(seq 100); do
    line=$(head -n 1 "$work/stdout" 2>/dev/null || true)
    [[ $line == listening* ]] && break
    if ! kill -0 "$fixture_pid" 2>/dev/null; then
        echo "wasm-test.sh: the fixture server exited:" >&2
        cat "$work/stderr" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ $line != listening* ]]; then
    echo "wasm-test.sh: the fixture server did not start in 10 s" >&2
    exit 1
fi

export DOH_FIXTURE_URL="${line#listening }"
echo "wasm-test.sh: fixture at $DOH_FIXTURE_URL"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# The whole browser run, in seconds (the fault tests wait for timeouts on purpose).
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}"
cargo test --target wasm32-unknown-unknown --test wasm_doh --test wasm_idna "$@"
