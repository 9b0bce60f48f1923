#!/usr/bin/env bash
# Installs what building and testing maildoctor needs, skipping what is there.
#   scripts/setup.sh build   -> wasm32 target, trunk, wasm-bindgen-cli, wasm-opt (npm binaryen)
#   scripts/setup.sh test    -> the above + Debian chromium/chromium-driver + e2e node modules,
#                               Debian nsd, unbound and dnsdist (the real DoH stack of
#                               scripts/real-doh.sh), python3-venv and check-jsonschema
#                               (PyPI, in target/venv) for the workflow check
# Source-able: exports PATH with the project's tool folders first.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:-build}
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
export PATH="$root/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Builds are offline: trunk must not ask the network for its latest version.
export TRUNK_SKIP_VERSION_CHECK=true

say() { printf '[setup] %s\n' "$*"; }

# The exact wasm-bindgen version of Cargo.lock: wasm-bindgen-cli must match it.
wbg_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
[ -n "$wbg_version" ] || { echo "cannot read the wasm-bindgen version from Cargo.lock" >&2; exit 1; }
grep -q "wasm_bindgen = \"$wbg_version\"" "$root/Trunk.toml" \
  || { echo "Trunk.toml [tools] wasm_bindgen must be \"$wbg_version\" (Cargo.lock)" >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The release wasm builds its own std from source (WASM_RELEASE_ENV below).
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding the rust-src component (std's source, for the release wasm build)"
  rustup component add rust-src
fi

if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (several minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$wbg_version"; then
  say "installing wasm-bindgen-cli $wbg_version"
  # Not --locked: its lock file pins a crate version the registry here lacks.
  cargo install wasm-bindgen-cli --version "$wbg_version" --force
fi

need_apt=()
if [ "$mode" = test ]; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
  # The real DoH stack (scripts/real-doh.sh): authoritative, recursive, DoH front.
  command -v nsd >/dev/null || need_apt+=(nsd)
  command -v unbound >/dev/null || need_apt+=(unbound)
  command -v dnsdist >/dev/null || need_apt+=(dnsdist)
  command -v python3 >/dev/null || need_apt+=(python3)
  python3 -c 'import ensurepip, venv' 2>/dev/null || need_apt+=(python3-venv)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  # nsd and unbound start as system services on port 53 when installed (where
  # systemd runs); the tests start their own on free ports, and a failed start
  # (port 53 taken) would fail the install. policy-rc.d 101 = "do not start
  # services now", only for this install, and only if none is there already.
  policy=/usr/sbin/policy-rc.d
  own_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
  fi
  apt-get update -qq
  apt_status=0
  apt-get install -y -qq "${need_apt[@]}" >/dev/null || apt_status=$?
  [ -z "$own_policy" ] || rm -f "$policy"
  [ "$apt_status" -eq 0 ] || { echo "apt-get install ${need_apt[*]} failed" >&2; exit 1; }
fi
# check-jsonschema (PyPI) validates .github/workflows/*.yml against the GitHub
# workflow schema it ships (--builtin-schema vendor.github-workflows: offline
# once installed). In its own venv under target/, so it works as root on a
# clean Debian machine without touching the system Python (PEP 668).
CHECK_JSONSCHEMA_VERSION=0.39.0
if [ "$mode" = test ]; then
  venv="$root/target/venv"
  if ! "$venv/bin/check-jsonschema" --version 2>/dev/null | grep -q "$CHECK_JSONSCHEMA_VERSION"; then
    say "installing check-jsonschema $CHECK_JSONSCHEMA_VERSION from PyPI into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"
  fi
  export PATH="$venv/bin:$PATH"
fi
# Debian's binaryen (wasm-opt 108) cannot read wasm-bindgen 0.2.130 output;
# trunk takes the first wasm-opt on PATH, so ours must come first (npm binaryen 132).
if [ ! -x "$root/tests/e2e/node_modules/.bin/wasm-opt" ] || [ ! -d "$root/tests/e2e/node_modules/axe-core" ] \
  || [ ! -d "$root/tests/e2e/node_modules/terser" ]; then
  say "installing node modules for wasm-opt, the JS minifier and the e2e tests"
  (cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
wasm-opt --version | grep -q "version 132" || { echo "wasm-opt on PATH is not binaryen 132: $(command -v wasm-opt)" >&2; exit 1; }
# The environment of the release wasm build (trunk build/serve --release; see
# scripts/build-release.sh). The wasm gets its own std, compiled from source
# (cargo -Zbuild-std) with std's `optimize_for_size` and with
# panic=immediate-abort: a panic traps at once, without formatting a message.
# Together about 24 KB less gzip (measured 2026-12-01). A panic still stops the
# page as panic=abort did (static/crash.js then says so on the page); what is
# lost is the panic's own message in the console. These are unstable cargo/rustc features: RUSTC_BOOTSTRAP=1 turns
# them on for this build only, on the stable toolchain (as Firefox and the Linux
# kernel do); it must stay out of the native and test builds, so it is a list
# for `env`, not exported.
WASM_RELEASE_ENV=(
  RUSTC_BOOTSTRAP=1
  CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS=-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
)
# The release build is offline: everything it compiles must be fetched first,
# std's own dependencies too (they come from crates.io, like ours).
fetch_for_release() {
  cargo fetch --locked
  env "${WASM_RELEASE_ENV[@]}" cargo fetch --locked --target wasm32-unknown-unknown
}
say "ready: $(trunk --version), wasm-bindgen $wbg_version, $(wasm-opt --version)"
