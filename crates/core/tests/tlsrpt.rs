//! TLS-RPT (RFC 8460 §3): the record parser (table, round trip, properties) and
//! the check on a small zone.

use futures::executor::block_on;
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::finding::Severity;
use maildoctor_core::tlsrpt::{check_tlsrpt, TlsRptErrorKind as K, TlsRptRecord};

#[test]
fn record_table() {
    let ok = [
        ("v=TLSRPTv1; rua=mailto:reports@example.com", 1),
        ("v=TLSRPTv1;rua=https://reporting.example.com/v1/tlsrpt;", 1),
        ("v=TLSRPTv1; rua=mailto:a@example.com, https://r.example.net/x", 2),
    ];
    for (text, n) in ok {
        let r: TlsRptRecord = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(r.rua.len(), n, "{text}");
        assert_eq!(r.to_string().parse::<TlsRptRecord>(), Ok(r), "{text}");
    }
    let bad = [
        ("v=TLSRPTv2; rua=mailto:a@b.c", K::NotTlsRptV1, 0),
        ("v=TLSRPTv1", K::MissingRua, 10),
        ("v=TLSRPTv1; rua=", K::BadUri, 16),
        ("v=TLSRPTv1; rua=reports@example.com", K::BadUri, 16),
        ("v=TLSRPTv1; rua=mailto:a@example.com,http://x.example", K::BadUri, 37),
        ("v=TLSRPTv1; rua=mailto:a@example.com, mailto:", K::BadUri, 38),
        ("v=TLSRPTv1; rua=mailto:a@b.c; rua=mailto:d@e.f", K::DuplicateField, 30),
        ("v=TLSRPTv1; rua =mailto:a@b.c", K::MalformedField, 12),
        ("v=TLSRPTv1; rua=mailto:a@b.c; -x=1", K::BadExtension, 30),
    ];
    for (text, kind, offset) in bad {
        let e = text.parse::<TlsRptRecord>().unwrap_err();
        assert_eq!((e.kind, e.offset), (kind, offset), "{text}: {e}");
    }
}

const ZONE: &str = r#"
_smtp._tls.good.test   TXT "v=TLSRPTv1; rua=mailto:tls@good.test"
_smtp._tls.split.test  TXT "v=TLSRPTv1; rua=mailto:" "tls@split.test"
_smtp._tls.bad.test    TXT "v=TLSRPTv1; rua=tls@bad.test"
_smtp._tls.two.test    TXT "v=TLSRPTv1; rua=mailto:a@two.test"
_smtp._tls.two.test    TXT "v=TLSRPTv1; rua=mailto:b@two.test"
_smtp._tls.down.test   FAULT servfail
_smtp._tls.down.test   EDE 22 "no reachable authority"
"#;

#[test]
fn check_on_zones() {
    use Severity::*;
    let r = MemoryResolver::from_zone_text(ZONE).unwrap();
    let cases = [
        ("good.test", "tlsrpt.ok", Ok),
        ("split.test", "tlsrpt.ok", Ok),
        ("bad.test", "tlsrpt.syntax", Error),
        ("two.test", "tlsrpt.multiple", Error),
        // TLS-RPT missing.
        ("missing.test", "tlsrpt.none", Info),
        ("down.test", "tlsrpt.lookup-failed", Warning),
    ];
    for (domain, code, severity) in cases {
        let report = block_on(check_tlsrpt(&r, domain));
        let got: Vec<_> = report.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect();
        assert_eq!(got, vec![(code, severity)], "{domain}");
        assert_eq!(report.lookups[0].name, format!("_smtp._tls.{domain}"));
        assert_eq!(report.record.is_some(), severity == Ok, "{domain}");
    }
    let down = block_on(check_tlsrpt(&r, "down.test"));
    assert!(down.findings[0].message.contains("couldn't ask — the resolver says: No Reachable Authority (22)"));
    let bad = block_on(check_tlsrpt(&r, "bad.test"));
    assert_eq!(bad.findings[0].marked_subject().map(|(_, m, _)| m), Some("tls@bad.test"));
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn uri() -> impl Strategy<Value = String> {
        prop_oneof![
            ("[a-z0-9.+-]{1,10}", "[a-z0-9-]{1,10}\\.[a-z]{2,5}").prop_map(|(l, d)| format!("mailto:{l}@{d}")),
            ("[a-z0-9-]{1,10}\\.[a-z]{2,5}", "[a-z0-9/_-]{0,12}").prop_map(|(h, p)| format!("https://{h}/{p}")),
        ]
    }

    proptest! {
        #[test]
        fn records_round_trip(rua in prop::collection::vec(uri(), 1..4)) {
            let r = TlsRptRecord { rua, extensions: vec![] };
            prop_assert_eq!(r.to_string().parse::<TlsRptRecord>(), Ok(r));
        }

        #[test]
        fn errors_point_inside_the_text(text in "(v=TLSRPTv1|rua=|mailto:|https://|[;,=@ a-z.])*") {
            if let Err(e) = text.parse::<TlsRptRecord>() { prop_assert!(e.offset <= text.len()); }
        }
    }
}
