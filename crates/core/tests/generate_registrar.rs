//! Registrar-ready output: host forms, 255-octet splitting, quoting, zone lines.

use maildoctor_core::dns::zone::Zone;
use maildoctor_core::dns::{RData, RecordType};
use maildoctor_core::generate::{registrar, MAX_STRING};
use proptest::prelude::*;

#[test]
fn host_forms() {
    // (host as typed, domain, short, fqdn)
    let cases = [
        ("@", "example.com", "@", "example.com."),
        ("", "Example.COM.", "@", "example.com."),
        ("example.com.", "example.com", "@", "example.com."),
        ("_dmarc", "example.com", "_dmarc", "_dmarc.example.com."),
        ("_dmarc.example.com", "example.com", "_dmarc", "_dmarc.example.com."),
        ("_DMARC.example.com.", "example.com", "_dmarc", "_dmarc.example.com."),
        ("mail.sub", "example.co.uk", "mail.sub", "mail.sub.example.co.uk."),
    ];
    for (host, domain, short, fqdn) in cases {
        let r = registrar(RecordType::Txt, host, domain, "v=spf1 -all", 3600);
        assert_eq!((r.host_short.as_str(), r.host_fqdn.as_str()), (short, fqdn), "{host} / {domain}");
        assert!(r.notes.iter().any(|n| n.contains(&format!("\"{short}\""))), "{:?}", r.notes);
        assert!(r.notes.iter().any(|n| n.contains(fqdn)), "{:?}", r.notes);
    }
}

#[test]
fn short_value_is_one_string_and_a_zone_line() {
    let r = registrar(RecordType::Txt, "_dmarc", "example.com", "v=DMARC1; p=none; rua=mailto:d@example.com", 3600);
    assert_eq!(r.strings, vec!["v=DMARC1; p=none; rua=mailto:d@example.com"]);
    assert_eq!(r.quoted, "\"v=DMARC1; p=none; rua=mailto:d@example.com\"");
    assert_eq!(r.zone_line, "_dmarc.example.com. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:d@example.com\"");
    assert!(!r.notes.iter().any(|n| n.contains("split")));
}

#[test]
fn long_value_is_split_under_255_octets() {
    let includes: Vec<String> = (0..20).map(|i| format!("include:_spf{i}.sender-service.example")).collect();
    let value = format!("v=spf1 {} ~all", includes.join(" "));
    assert!(value.len() > 600);
    let r = registrar(RecordType::Txt, "@", "example.com", &value, 300);
    assert!(r.strings.len() >= 3);
    assert!(r.strings.iter().all(|s| s.len() <= MAX_STRING));
    assert_eq!(r.strings.concat(), value);
    // Cuts land after spaces, so each piece reads as whole terms.
    assert!(r.strings[..r.strings.len() - 1].iter().all(|s| s.ends_with(' ')));
    assert!(r.notes.iter().any(|n| n.contains("split into")));
    // The zone line reads back, through our zone parser, as the same strings.
    let zone = Zone::parse(&r.zone_line).unwrap();
    let want: Vec<Vec<u8>> = r.strings.iter().map(|s| s.as_bytes().to_vec()).collect();
    assert_eq!(zone.records[0].data, RData::Txt(want));
    assert_eq!(zone.records[0].name, "example.com");
}

#[test]
fn quotes_and_backslashes_are_escaped() {
    let r = registrar(RecordType::Txt, "@", "example.com", "a \"b\" c\\d", 3600);
    assert_eq!(r.quoted, r#""a \"b\" c\\d""#);
    let zone = Zone::parse(&r.zone_line).unwrap();
    assert_eq!(zone.records[0].data, RData::Txt(vec![b"a \"b\" c\\d".to_vec()]));
}

#[test]
fn ttl_warnings() {
    assert!(registrar(RecordType::Txt, "@", "example.com", "x", 60).notes.iter().any(|n| n.contains("very short")));
    assert!(registrar(RecordType::Txt, "@", "example.com", "x", 172_800)
        .notes
        .iter()
        .any(|n| n.contains("over a day")));
    assert!(!registrar(RecordType::Txt, "@", "example.com", "x", 3600).notes.iter().any(|n| n.contains("TTL")));
}

proptest! {
    #[test]
    fn splitting_round_trips(value in "[ -~]{0,1200}", host in "(@|_dmarc|[a-z]{1,10})") {
        let r = registrar(RecordType::Txt, &host, "example.org", &value, 3600);
        prop_assert_eq!(r.strings.concat(), value.clone());
        prop_assert!(r.strings.iter().all(|s| s.len() <= MAX_STRING));
        let zone = Zone::parse(&r.zone_line).unwrap();
        let want: Vec<Vec<u8>> = r.strings.iter().map(|s| s.as_bytes().to_vec()).collect();
        prop_assert_eq!(&zone.records[0].data, &RData::Txt(want));
    }

    #[test]
    fn non_ascii_splits_on_char_boundaries(value in "\\PC{0,400}") {
        let r = registrar(RecordType::Txt, "@", "example.org", &value, 3600);
        prop_assert_eq!(r.strings.concat(), value);
        prop_assert!(r.strings.iter().all(|s| s.len() <= MAX_STRING));
    }
}
