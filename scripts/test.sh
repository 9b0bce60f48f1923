#!/usr/bin/env bash
# Runs every test of maildoctor, installing what it needs first (see README).
# fmt, clippy (native and wasm32), native tests (incl. the conformance suites),
# a bounded fuzz pass over every parser,
# wasm tests in headless Chromium against the fixture DoH server, the release
# build with its size budget, the end-to-end browser tests, then the real DoH
# stack (scripts/real-doh.sh): the fixture vs real server differential test and
# the e2e reference scenarios again against it. Prints each stage's wall time.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# Each stage's wall time, printed as it ends and all together at the end.
stage_name=
stage_start=$SECONDS
test_start=$SECONDS
timings=()
end_stage() {
  if [ -n "$stage_name" ]; then
    local took=$((SECONDS - stage_start))
    timings+=("$(printf '%5ds  %s' "$took" "$stage_name")")
    printf -- '---- %s: %ds\n' "$stage_name" "$took"
  fi
}
step() {
  end_stage
  stage_name=$*
  stage_start=$SECONDS
  printf '\n==== %s\n' "$*"
}

step "setup: tools, Debian packages, node modules, check-jsonschema (scripts/setup.sh test)"
source scripts/setup.sh test
export CARGO_TERM_COLOR=never

step "cargo fetch"
cargo fetch --locked

step "the core crate has no browser dependency"
if cargo tree --locked -p maildoctor-core -e normal --prefix none | grep -E '^(yew|web-sys|js-sys|gloo[a-z-]*|wasm-bindgen[a-z-]*) '; then
  echo "maildoctor-core depends on a browser crate (above): keep those in the web app" >&2
  exit 1
fi

step "GitHub workflow schema (check-jsonschema, vendor.github-workflows)"
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

step "rustfmt"
cargo fmt --all -- --check

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "clippy (wasm32: the browser code)"
cargo clippy --target wasm32-unknown-unknown --lib --bins --locked -- -D warnings

step "native tests (library, conformance suites, components, fixture server)"
cargo test --workspace --locked

step "fuzz smoke: every parser of untrusted input, bounded (fuzz/README.md)"
FUZZ_RUNS=${FUZZ_RUNS:-200000} bash scripts/fuzz-smoke.sh

step "wasm tests in headless Chromium against the fixture DoH server"
bash scripts/wasm-test.sh

step "release build (trunk, offline) and size budget"
bash scripts/build-release.sh
step "the release build is byte-reproducible"
bash scripts/reproducible.sh

step "end-to-end tests in headless Chromium"
cargo build -p doh-fixture --locked
(cd tests/e2e && node --test --test-concurrency=1 ./*.test.mjs)

step "real DoH stack: NSD, unbound, dnsdist on free loopback ports (scripts/real-doh.sh)"
real_dir="${CARGO_TARGET_DIR:-$root/target}/real-doh"
trap 'bash "$root/scripts/real-doh.sh" stop "$real_dir"' EXIT
bash scripts/real-doh.sh start "$real_dir"
set -a
# shellcheck disable=SC1091
source "$real_dir/env"
set +a

step "differential test: fixture vs real server"
cargo test -p doh-fixture --locked --test differential -- --ignored --nocapture

step "end-to-end reference scenarios against the real DoH stack"
(cd tests/e2e && MAILDOCTOR_DOH=real node --test --test-concurrency=1 ./report.test.mjs ./wildcard.test.mjs)
bash scripts/real-doh.sh stop "$real_dir"
trap - EXIT

end_stage
printf '\n==== all tests passed\n\nwall time per stage:\n'
printf '%s\n' "${timings[@]}"
printf '%5ds  total\n' "$((SECONDS - test_start))"
