#!/usr/bin/env bash
# A bounded fuzzing pass over every parser of untrusted input (see fuzz/README.md):
# builds the stable harness of fuzz/ (its own workspace and Cargo.lock), runs each
# target's seeds and then mutants up to FUZZ_RUNS inputs per target (default 20000,
# a few seconds in all), and prints one line per target with inputs and crashes.
# Exits non-zero when any input crashed; the inputs are saved under fuzz/artifacts/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root/fuzz"
runs=${FUZZ_RUNS:-20000}
cargo build --release --locked --quiet --bin stable-fuzz
cargo run --release --locked --quiet --bin stable-fuzz -- --target all --runs "$runs" --seed "${FUZZ_SEED:-1592613873}"
