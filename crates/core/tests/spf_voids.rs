//! Void lookups counted as RFC 7208 §4.6.4 and the reference implementation
//! pyspf count them (issue 15 §4): every query of a term that comes back
//! empty (NODATA or NXDOMAIN) — an `mx` term's MX lookup *and* each of its
//! hosts' address lookups, the PTR lookup of `ptr` / `%{p}` and each PTR name
//! validated — so check_host() and the lookup report agree with pyspf.
//! (pyspf: `query.dns()` counts every empty answer, `dns_mx` fetches every
//! host's addresses before matching; https://github.com/sdgathman/pyspf,
//! read 2026-12-05.)

use std::net::IpAddr;

use futures::executor::block_on;
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::spf::{check_host, check_spf, SpfResult};

fn eval(zone: &str, ip: &str) -> (SpfResult, u32) {
    let r = MemoryResolver::from_zone_text(zone).unwrap();
    let ip: IpAddr = ip.parse().unwrap();
    let e = block_on(check_host(&r, ip, "example.com", "a@example.com", "example.com"));
    (e.result, e.void_lookups)
}

/// (name, zone, client IP, pyspf's result, void lookups counted)
const CASES: &[(&str, &str, &str, SpfResult, u32)] = &[
    (
        "three MX hosts without addresses: the third empty host lookup is over the limit",
        "example.com TXT \"v=spf1 mx -all\"\nexample.com MX 10 a.example.com\nexample.com MX 20 b.example.com\nexample.com MX 30 c.example.com",
        "192.0.2.9",
        SpfResult::PermError,
        3,
    ),
    (
        "two empty MX hosts, a third matches: pyspf fetches all hosts first, two voids, pass",
        "example.com TXT \"v=spf1 mx -all\"\nexample.com MX 10 a.example.com\nexample.com MX 20 b.example.com\nexample.com MX 30 c.example.com\nc.example.com A 192.0.2.9",
        "192.0.2.9",
        SpfResult::Pass,
        2,
    ),
    (
        "a matching host first, then three empty ones: still permerror (all hosts are fetched)",
        "example.com TXT \"v=spf1 mx -all\"\nexample.com MX 10 a.example.com\nexample.com MX 20 b.example.com\nexample.com MX 30 c.example.com\nexample.com MX 40 d.example.com\na.example.com A 192.0.2.9",
        "192.0.2.9",
        SpfResult::PermError,
        3,
    ),
    (
        "ptr: the PTR names that do not resolve are voids",
        "example.com TXT \"v=spf1 ptr a:gone.example.com -all\"\n9.2.0.192.in-addr.arpa PTR x.example.com\n9.2.0.192.in-addr.arpa PTR y.example.com",
        "192.0.2.9",
        SpfResult::PermError,
        3,
    ),
    (
        "ptr with no PTR record: one void",
        "example.com TXT \"v=spf1 ptr -all\"",
        "192.0.2.9",
        SpfResult::Fail,
        1,
    ),
    (
        "%{p}: the PTR lookup behind the macro is a void too",
        "example.com TXT \"v=spf1 exists:%{p}.ok.example.com a:gone1.example.com a:gone2.example.com -all\"",
        "192.0.2.9",
        SpfResult::PermError,
        3,
    ),
    (
        "a healthy mx: no voids",
        "example.com TXT \"v=spf1 mx -all\"\nexample.com MX 10 mail.example.com\nmail.example.com A 192.0.2.9",
        "192.0.2.9",
        SpfResult::Pass,
        0,
    ),
];

#[test]
fn voids_counted_as_pyspf_counts_them() {
    for (name, zone, ip, result, voids) in CASES {
        assert_eq!(eval(zone, ip), (*result, *voids), "{name}");
    }
}

/// The report without a client IP counts the MX hosts' address lookups too
/// (for IPv4 senders), so it says permerror where check_host() does.
#[test]
fn the_lookup_report_counts_mx_host_voids() {
    let zone = CASES[0].1;
    let r = MemoryResolver::from_zone_text(zone).unwrap();
    let report = block_on(check_spf(&r, "example.com", None));
    assert_eq!(report.void_lookups, 3, "{:#?}", report.findings);
    assert!(report.findings.iter().any(|f| f.code == "spf.void-lookups"), "{:#?}", report.findings);
    let zone = CASES[6].1;
    let r = MemoryResolver::from_zone_text(zone).unwrap();
    let report = block_on(check_spf(&r, "example.com", None));
    assert_eq!(report.void_lookups, 0);
}
