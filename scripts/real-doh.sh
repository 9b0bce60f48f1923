#!/usr/bin/env bash
# The real DoH stack of the tests: DNS servers someone else wrote, serving the
# e2e zones, so that the fixture (crates/doh-fixture) and the page's DoH client
# are held against them (crates/doh-fixture/tests/differential.rs, and the e2e
# reference scenarios run a second time with MAILDOCTOR_DOH=real).
#
#   scripts/real-doh.sh start DIR   # prints the env file's lines; DIR/env is sourceable
#   scripts/real-doh.sh stop DIR
#
# The chain is the one a browser's DoH query takes on the Internet:
# - NSD (Debian 4.6), the authoritative server: every zone of tests/e2e/zones
#   merged into one root zone, written by the core's Zone::master_file
#   (doh-fixture --write-master-file).
# - unbound (Debian 1.17), the recursive resolver a DoH provider runs, asking
#   NSD (a stub zone for "."): it follows CNAMEs across names, answers a loop
#   with SERVFAIL, sets RA, sends Extended DNS Errors. No DNSSEC (iterator only).
#   Not unbound's own auth-zone: 1.17 answers a name below an empty
#   non-terminal from a wildcard above it (c.b.wild.example from *.wild.example,
#   tests/e2e/zones/wildcard.zone), where RFC 4592 §3.3.1 and NSD say NXDOMAIN.
# - dnsdist (Debian 1.7, built with DNS-over-HTTPS) in front of it: DoH on
#   https://127.0.0.1:PORT/dns-query, HTTP/2 (h2o), with a self-signed
#   certificate for 127.0.0.1 made as the fixture's h2 listener makes its own
#   (doh-fixture --write-cert; Chromium trusts it by its key hash, REAL_DOH_SPKI)
#   and the CORS header the page needs (customResponseHeaders).
# Ports are free loopback ports picked at start; REAL_AUTH_PORT (NSD),
# REAL_DNS_PORT (unbound) and REAL_DOH_PORT (dnsdist) choose them instead. A port that is taken is a clear error, never a silent
# conflict with something else listening there.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: scripts/real-doh.sh start|stop DIR" >&2; exit 2; }

say() { printf '[real-doh] %s\n' "$*" >&2; }
die() { printf '[real-doh] error: %s\n' "$*" >&2; exit 1; }

stop() {
  for daemon in dnsdist unbound nsd; do
    local pidfile="$dir/$daemon.pid"
    if [ -s "$pidfile" ]; then
      local pid
      pid=$(cat "$pidfile")
      # Only our own daemon: the pid file is ours, and the process must still be that program.
      if kill -0 "$pid" 2>/dev/null && grep -q "$daemon" "/proc/$pid/comm" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
      rm -f "$pidfile"
    fi
  done
}

if [ "$cmd" = stop ]; then
  stop
  exit 0
fi
[ "$cmd" = start ] || die "unknown command $cmd (start or stop)"

for tool in nsd unbound dnsdist python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed (scripts/setup.sh test installs it)"
done
fixture=${CARGO_TARGET_DIR:-$root/target}/debug/doh-fixture
[ -x "$fixture" ] || die "$fixture is missing: run cargo build -p doh-fixture first"

# A free TCP and UDP port on 127.0.0.1, or the one asked for if it is free.
port_free() {
  python3 - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        sys.exit(1)
    finally:
        s.close()
PY
}
pick_port() {
  local wanted=$1 what=$2
  if [ -n "$wanted" ]; then
    port_free "$wanted" || die "port $wanted on 127.0.0.1 (asked for $what) is taken; free it or choose another"
    echo "$wanted"
    return
  fi
  for _ in $(seq 20); do
    local p
    p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    if port_free "$p"; then echo "$p"; return; fi
  done
  die "no free port on 127.0.0.1 for $what"
}

# Waits until something accepts TCP connections on the port, or the daemon dies.
wait_listening() {
  local port=$1 pid=$2 name=$3 log=$4
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      die "$name exited at start (log below):
$(tail -20 "$log")"
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  die "$name did not listen on 127.0.0.1:$port within 10 s (log: $log)"
}

stop
# A start that fails half-way stops what it started.
trap 'status=$?; [ "$status" -eq 0 ] || stop; exit "$status"' EXIT
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
zones=()
for z in "$root"/tests/e2e/zones/*.zone; do zones+=(--zone "$z"); done
"$fixture" "${zones[@]}" --write-master-file "$dir/root.zone"
spki=$("$fixture" --write-cert "$dir" | sed -n 's/^spki=//p')
[ -n "$spki" ] || die "doh-fixture --write-cert printed no spki"

auth_port=$(pick_port "${REAL_AUTH_PORT:-}" "NSD, REAL_AUTH_PORT")
dns_port=$(pick_port "${REAL_DNS_PORT:-}" "unbound, REAL_DNS_PORT")
plain_port=$(pick_port "" "dnsdist's plain DNS listener")
doh_port=$(pick_port "${REAL_DOH_PORT:-}" "dnsdist DoH, REAL_DOH_PORT")
[ "$(printf '%s\n' "$auth_port" "$dns_port" "$plain_port" "$doh_port" | sort -u | wc -l)" = 4 ] \
  || die "REAL_AUTH_PORT, REAL_DNS_PORT and REAL_DOH_PORT must differ"

cat >"$dir/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1@$auth_port
    port: $auth_port
    do-ip6: no
    username: ""
    chroot: ""
    zonesdir: "$dir"
    # No nsd.db, no state kept between runs: the zone file is read at start.
    database: ""
    zonelistfile: "$dir/nsd-zone.list"
    xfrdfile: "$dir/nsd-xfrd.state"
    xfrdir: "$dir"
    pidfile: "$dir/nsd-own.pid"
    logfile: "$dir/nsd.log"
    server-count: 1
    verbosity: 1
remote-control:
    control-enable: no
zone:
    name: "."
    zonefile: "$dir/root.zone"
EOF
rm -f "$dir/nsd-zone.list" "$dir/nsd-xfrd.state"
nsd-checkconf "$dir/nsd.conf" || die "nsd-checkconf refused $dir/nsd.conf"
: >"$dir/nsd.log"
nsd -d -c "$dir/nsd.conf" >>"$dir/nsd.log" 2>&1 &
echo $! >"$dir/nsd.pid"
wait_listening "$auth_port" "$(cat "$dir/nsd.pid")" nsd "$dir/nsd.log"
for _ in $(seq 50); do grep -q "zone . read with success" "$dir/nsd.log" && break; sleep 0.1; done
grep -q "zone . read with success" "$dir/nsd.log" || die "NSD did not load $dir/root.zone (log: $dir/nsd.log)"

cat >"$dir/unbound.conf" <<EOF
server:
    interface: 127.0.0.1
    port: $dns_port
    do-ip6: no
    do-daemonize: no
    use-syslog: no
    logfile: ""
    username: ""
    chroot: ""
    directory: "$dir"
    pidfile: ""
    # No validator: the zones are unsigned, and no trust anchor is loaded.
    module-config: "iterator"
    access-control: 127.0.0.0/8 allow
    # Its only authority is NSD, on this machine, asked over TCP: over UDP, the
    # differential test's bursts of 50 questions at a cold start got a few
    # SERVFAILs (no EDE; most likely lost datagrams making unbound count NSD
    # down for a while); over TCP none, run after run.
    do-not-query-localhost: no
    tcp-upstream: yes
    infra-keep-probing: yes
    # RFC 8914 Extended DNS Errors in its answers, as public resolvers send them.
    ede: yes
    verbosity: 1
stub-zone:
    name: "."
    stub-addr: 127.0.0.1@$auth_port
EOF
unbound-checkconf "$dir/unbound.conf" >/dev/null || die "unbound-checkconf refused $dir/unbound.conf"
unbound -c "$dir/unbound.conf" >"$dir/unbound.log" 2>&1 &
echo $! >"$dir/unbound.pid"
wait_listening "$dns_port" "$(cat "$dir/unbound.pid")" unbound "$dir/unbound.log"

cat >"$dir/dnsdist.conf" <<EOF
-- No security polling (it asks the Internet), no console.
setSecurityPollSuffix("")
setLocal("127.0.0.1:$plain_port")
newServer({address="127.0.0.1:$dns_port", checkInterval=3600})
addDOHLocal("127.0.0.1:$doh_port", "$dir/cert.pem", "$dir/key.pem", "/dns-query",
  {customResponseHeaders={["access-control-allow-origin"]="*", ["timing-allow-origin"]="*"}})
EOF
dnsdist --check-config -C "$dir/dnsdist.conf" >/dev/null || die "dnsdist refused $dir/dnsdist.conf"
dnsdist --supervised --disable-syslog -C "$dir/dnsdist.conf" >"$dir/dnsdist.log" 2>&1 &
echo $! >"$dir/dnsdist.pid"
wait_listening "$doh_port" "$(cat "$dir/dnsdist.pid")" dnsdist "$dir/dnsdist.log"

cat >"$dir/env" <<EOF
REAL_DOH_URL=https://127.0.0.1:$doh_port/dns-query
REAL_DOH_SPKI=$spki
REAL_DOH_CERT=$dir/cert.pem
REAL_DNS_ADDR=127.0.0.1:$dns_port
REAL_AUTH_ADDR=127.0.0.1:$auth_port
EOF
say "NSD $(nsd -v 2>&1 | sed -n 's/^NSD version //p') on 127.0.0.1:$auth_port, unbound $(unbound -V | sed -n 's/^Version //p') on 127.0.0.1:$dns_port, dnsdist $(dnsdist --version | sed -n 's/^dnsdist \([0-9.]*\).*/\1/p') DoH on https://127.0.0.1:$doh_port/dns-query"
cat "$dir/env"
