#!/usr/bin/env bash
# Runs every test of maildoctor, installing what it needs first (see README).
# fmt, clippy (native and wasm32), native tests (incl. the conformance suites),
# a bounded fuzz pass over every parser,
# wasm tests in headless Chromium against the fixture DoH server, the release
# build with its size budget, and the end-to-end browser tests.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/setup.sh test
export CARGO_TERM_COLOR=never

step() { printf '\n==== %s\n' "$*"; }

step "cargo fetch"
cargo fetch --locked

step "the core crate has no browser dependency"
if cargo tree --locked -p maildoctor-core -e normal --prefix none | grep -E '^(yew|web-sys|js-sys|gloo[a-z-]*|wasm-bindgen[a-z-]*) '; then
  echo "maildoctor-core depends on a browser crate (above): keep those in the web app" >&2
  exit 1
fi

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

step "all tests passed"
