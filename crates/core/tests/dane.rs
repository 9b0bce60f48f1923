//! DANE for SMTP (RFC 7672): TLSA presentation parsing (table, round trip,
//! properties) and the check on small zones, signed (AD) and not.

use futures::executor::block_on;
use maildoctor_core::dane::{check_dane, Tlsa, TlsaErrorKind as K};
use maildoctor_core::dns::{MemoryResolver, RecordType};
use maildoctor_core::finding::Severity;

const SHA256: &str = "0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6";

#[test]
fn tlsa_text_table() {
    let t: Tlsa = format!("3 1 1 {}", SHA256.to_lowercase()).parse().unwrap();
    assert_eq!((t.usage, t.selector, t.matching_type, t.data.len()), (3, 1, 1, 32));
    assert_eq!(t.to_string(), format!("3 1 1 {SHA256}"));
    assert!(t.usable_for_smtp());
    // Hex split into groups (RFC 6698 §2.2), tabs.
    assert_eq!("3\t1 1 0C72 AC70".parse::<Tlsa>().unwrap().data, vec![0x0c, 0x72, 0xac, 0x70]);
    let bad = [
        ("3 1", K::BadField, 3),
        ("x 1 1 00", K::BadField, 0),
        ("3 1 256 00", K::BadField, 4),
        ("3 1 1 0g", K::BadHex, 7),
        ("3 1 1 abc", K::BadHex, 6),
    ];
    for (text, kind, offset) in bad {
        let e = text.parse::<Tlsa>().unwrap_err();
        assert_eq!((e.kind, e.offset), (kind, offset), "{text}: {e}");
    }
}

fn zone() -> MemoryResolver {
    MemoryResolver::from_zone_text(&format!(
        "_25._tcp.mx.signed.test   TLSA 3 1 1 {SHA256}\n\
         _25._tcp.mx.signed.test   AD\n\
         _25._tcp.mx.pkix.test     TLSA 1 1 1 {SHA256}\n\
         _25._tcp.mx.short.test    TLSA 3 1 2 {SHA256}\n\
         _25._tcp.mx.short.test    AD\n\
         _25._tcp.mx.plain.test    TLSA 3 1 1 {SHA256}\n\
         _25._tcp.mx.bogus.test    FAULT servfail\n\
         _25._tcp.mx.bogus.test    EDE 6 \"signature expired\"\n\
         mx.none.test              A 192.0.2.1\n"
    ))
    .unwrap()
}

fn codes(hosts: &[&str]) -> Vec<(&'static str, Severity)> {
    let hosts: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
    let report = block_on(check_dane(&zone(), &hosts));
    assert_eq!(report.lookups.len(), hosts.len());
    let mut got: Vec<_> = report.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect();
    got.sort();
    got
}

#[test]
fn check_on_zones() {
    use Severity::*;
    assert_eq!(codes(&["mx.signed.test"]), vec![("dane.ok", Ok)]);
    // TLSA usage 1 on an unsigned zone: unusable twice over.
    assert_eq!(
        codes(&["mx.pkix.test"]),
        vec![("dane.no-usable-records", Warning), ("dane.not-authenticated", Warning), ("dane.pkix-usage", Warning)]
    );
    assert_eq!(codes(&["mx.short.test"]), vec![("dane.bad-digest-length", Error), ("dane.no-usable-records", Warning)]);
    assert_eq!(codes(&["mx.plain.test"]), vec![("dane.not-authenticated", Warning)]);
    assert_eq!(codes(&["mx.bogus.test"]), vec![("dane.lookup-failed", Warning)]);
    assert_eq!(codes(&["mx.none.test", "mx2.none.test"]), vec![("dane.none", Info)]);
    assert_eq!(codes(&[]), vec![]);
}

#[test]
fn asks_every_host_and_says_how_to_compare() {
    let r = zone();
    let hosts = vec!["MX.Signed.Test.".to_string(), "mx.bogus.test".to_string()];
    let report = block_on(check_dane(&r, &hosts));
    assert_eq!(
        r.queries(),
        vec![
            ("_25._tcp.mx.signed.test".to_string(), RecordType::Tlsa),
            ("_25._tcp.mx.bogus.test".to_string(), RecordType::Tlsa)
        ]
    );
    let host = &report.hosts[0];
    assert!(host.authenticated && host.records.len() == 1);
    assert!(host
        .commands
        .iter()
        .any(|c| c.starts_with("openssl s_client -brief -starttls smtp -connect mx.signed.test:25")));
    assert!(host.commands.iter().any(|c| c.contains(&format!("-dane_tlsa_rrdata \"3 1 1 {SHA256}\""))));
    assert!(host.commands.iter().any(|c| c.starts_with("posttls-finger")));
    let failed = report.findings.iter().find(|f| f.code == "dane.lookup-failed").unwrap();
    assert!(failed.message.contains("DNSSEC Bogus (6): signature expired"), "{}", failed.message);
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn tlsa_round_trips(usage: u8, selector: u8, matching_type: u8, data in prop::collection::vec(any::<u8>(), 0..70)) {
            let t = Tlsa { usage, selector, matching_type, data };
            prop_assert_eq!(t.to_string().parse::<Tlsa>(), Ok(t.clone()));
            prop_assert_eq!(t.usable_for_smtp(), t.issues().is_empty());
        }

        #[test]
        fn errors_point_inside_the_text(text in "[0-9a-fA-Fg \\t]{0,30}") {
            if let Err(e) = text.parse::<Tlsa>() { prop_assert!(e.offset <= text.len()); }
        }
    }
}
