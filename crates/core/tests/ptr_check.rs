//! PTR / forward-confirmed reverse DNS against zone data.

use std::net::IpAddr;

use futures::executor::block_on;
use maildoctor_core::dns::{reverse_name, MemoryResolver, RData};
use maildoctor_core::finding::Severity;
use maildoctor_core::mx::check_mx;
use maildoctor_core::ptr::{check_ptr, parse_sending_ip, ptr_targets, PtrRole, PtrTarget, SendingIpErrorKind};

const ZONE: &str = "
; confirmed
160.69.2.81.in-addr.arpa   PTR mail.good.test
mail.good.test             A   81.2.69.160
; PTR whose name points elsewhere
161.69.2.81.in-addr.arpa   PTR mail.wrong.test
mail.wrong.test            A   81.2.69.99
; PTR whose name does not exist
162.69.2.81.in-addr.arpa   PTR ghost.nowhere.test
; PTR name exists, lookup fails
163.69.2.81.in-addr.arpa   PTR mail.broken.test
mail.broken.test           FAULT timeout
; reverse zone fails
164.69.2.81.in-addr.arpa   FAULT servfail
; two PTRs, one confirms
165.69.2.81.in-addr.arpa   PTR a.multi.test
165.69.2.81.in-addr.arpa   PTR b.multi.test
a.multi.test               A   81.2.69.165
b.multi.test               A   81.2.69.200
; generic, dynamic-looking, but confirmed
166.69.2.81.in-addr.arpa   PTR 81-2-69-166.dsl.isp.test
81-2-69-166.dsl.isp.test   A   81.2.69.166
; no PTR record, but the reverse name exists (NODATA)
167.69.2.81.in-addr.arpa   TXT \"nothing to see\"
; the MX domain for ptr_targets
shop.test                  MX 10 mx.shop.test
mx.shop.test               A   81.2.69.160
mx.shop.test               AAAA 2a02:898:0:20::1
";

fn resolver() -> MemoryResolver {
    let mut r = MemoryResolver::from_zone_text(ZONE).unwrap();
    let v6: IpAddr = "2a02:898:0:20::1".parse().unwrap();
    r.add(&reverse_name(v6), 300, RData::Ptr("mx.shop.test".into()));
    r
}

fn sender(ip: &str) -> PtrTarget {
    PtrTarget { ip: ip.parse().unwrap(), role: PtrRole::Sender }
}

/// (sending IP, expected (code, severity) findings, expected FCrDNS result)
type Case = (&'static str, Vec<(&'static str, Severity)>, Option<bool>);

#[test]
fn one_finding_set_per_situation() {
    use Severity::*;
    let cases: Vec<Case> = vec![
        ("81.2.69.160", vec![("ptr.ok", Ok)], Some(true)),
        // RFC 8601 §3 (iprev): the name must resolve back to the address.
        ("81.2.69.161", vec![("ptr.not-confirmed", Error)], Some(false)),
        ("81.2.69.162", vec![("ptr.not-confirmed", Error)], Some(false)),
        // A failed forward lookup is "unknown", not "not confirmed".
        ("81.2.69.163", vec![("ptr.lookup-failed", Warning)], None),
        ("81.2.69.164", vec![("ptr.lookup-failed", Warning)], None),
        ("81.2.69.165", vec![("ptr.multiple", Warning)], Some(true)),
        ("81.2.69.166", vec![("ptr.generic", Warning)], Some(true)),
        // NXDOMAIN and NODATA on the reverse name are both "missing".
        ("81.2.69.168", vec![("ptr.missing", Error)], None),
        ("81.2.69.167", vec![("ptr.missing", Error)], None),
        ("10.1.2.3", vec![("ptr.private-ip", Warning)], None),
        ("2001:db8::25", vec![("ptr.private-ip", Warning)], None),
    ];
    for (ip, want, confirmed) in cases {
        let report = block_on(check_ptr(&resolver(), &[sender(ip)]));
        let mut got: Vec<(&str, Severity)> = report.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect();
        got.sort();
        let mut want = want;
        want.sort();
        assert_eq!(got, want, "{ip}");
        assert_eq!(report.results[0].confirmed, confirmed, "{ip}");
    }
}

#[test]
fn private_addresses_are_not_queried() {
    let r = resolver();
    let report = block_on(check_ptr(&r, &[sender("192.168.0.10")]));
    assert!(r.queries().is_empty());
    assert!(report.results[0].lookup.is_none());
    assert!(report.findings[0].message.contains("cannot be checked from outside"));
}

#[test]
fn results_carry_names_and_lookups() {
    let report = block_on(check_ptr(&resolver(), &[sender("81.2.69.165")]));
    let res = &report.results[0];
    assert_eq!(res.reverse_name, "165.69.2.81.in-addr.arpa");
    assert_eq!(res.names, ["a.multi.test", "b.multi.test"]);
    assert_eq!(res.forward.len(), 2);
    let missing = block_on(check_ptr(&resolver(), &[sender("81.2.69.168")]));
    let f = &missing.findings[0];
    assert!(f.evidence[0].status.contains("NXDOMAIN"));
    assert_eq!(f.rfc.map(|r| r.to_string()).as_deref(), Some("RFC 1912 §2.1"));
}

#[test]
fn mx_hosts_are_judged_less_harshly_than_the_sender() {
    let t = PtrTarget { ip: "81.2.69.168".parse().unwrap(), role: PtrRole::MxHost("mx.example.test".into()) };
    let report = block_on(check_ptr(&resolver(), &[t]));
    assert_eq!(report.findings[0].code, "ptr.missing");
    assert_eq!(report.findings[0].severity, Severity::Warning);
    assert!(report.findings[0].message.contains("mail host mx.example.test"));
}

#[test]
fn targets_from_mx_and_sender_are_checked_together() {
    let r = resolver();
    let mx = block_on(check_mx(&r, "shop.test"));
    let sender_ip = parse_sending_ip("[81.2.69.160]").unwrap();
    let targets = ptr_targets(&mx, Some(sender_ip));
    let roles: Vec<(String, PtrRole)> = targets.iter().map(|t| (t.ip.to_string(), t.role.clone())).collect();
    assert_eq!(
        roles,
        vec![
            ("81.2.69.160".to_string(), PtrRole::MxHost("mx.shop.test".into())),
            ("2a02:898:0:20::1".to_string(), PtrRole::MxHost("mx.shop.test".into())),
            ("81.2.69.160".to_string(), PtrRole::Sender),
        ]
    );
    let report = block_on(check_ptr(&r, &targets));
    assert_eq!(report.results.len(), 3);
    // IPv6: ip6.arpa PTR → mx.shop.test → AAAA matches.
    assert_eq!(report.results[1].confirmed, Some(true));
    assert!(report.results[1].reverse_name.ends_with(".ip6.arpa"));
    // 81.2.69.160's PTR names mail.good.test, which does resolve back to it.
    assert!(report.results.iter().all(|res| res.confirmed == Some(true)));
    // 81.2.69.160 is the sending server and a mail host: judged once, named as both.
    let ok: Vec<&str> = report.findings.iter().filter(|f| f.code == "ptr.ok").map(|f| f.message.as_str()).collect();
    assert_eq!(ok.len(), 2, "{ok:?}");
    assert_eq!(ok.iter().filter(|m| m.contains("81.2.69.160")).count(), 1, "{ok:?}");
    assert!(ok.iter().any(|m| m.contains("sending server, mail host mx.shop.test")), "{ok:?}");
}

#[test]
fn bad_sending_ip_input_is_an_error_not_a_panic() {
    for (text, kind) in [
        ("mail.example.com", SendingIpErrorKind::HostName),
        ("81.2.69.300", SendingIpErrorKind::NotAnAddress),
        ("", SendingIpErrorKind::Empty),
        ("81.2.69.0/24", SendingIpErrorKind::Network),
    ] {
        let e = parse_sending_ip(text).unwrap_err();
        assert_eq!(e.kind, kind, "{text}");
        assert!(!e.to_string().is_empty());
    }
}

#[test]
fn mx_then_ptr_is_four_round_trips() {
    use maildoctor_core::dns::stepped::{run_in_rounds, SteppedResolver};
    use std::rc::Rc;
    // MX → A/AAAA of all hosts at once → PTR of all addresses at once → forward confirmations at once.
    let r = Rc::new(SteppedResolver::new(resolver()));
    let (report, rounds) = run_in_rounds(r.clone(), |r| async move {
        let mx = check_mx(&r, "shop.test").await;
        check_ptr(&r, &ptr_targets(&mx, Some("81.2.69.165".parse().unwrap()))).await
    });
    assert_eq!(report.unwrap().results.len(), 3);
    assert_eq!(rounds.len(), 4);
}
