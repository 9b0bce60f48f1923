//! The DKIM key record parser (RFC 6376 §3.6.1) and the key reader: every
//! tag, every error with its offset, real key shapes, and proptests.

use maildoctor_core::dkim::{
    decode_base64, key_info, DkimKeyRecord, KeyAlgorithm, KeyErrorKind, KeyFormat, KeyRecordErrorKind, KeyType,
};
use proptest::prelude::*;

/// Real keys made with openssl (see tests/data/dkim/README.md).
pub const SPKI_512: &str = include_str!("data/dkim/spki512.b64");
pub const SPKI_1024: &str = include_str!("data/dkim/spki1024.b64");
pub const SPKI_2048: &str = include_str!("data/dkim/spki2048.b64");
pub const SPKI_4096: &str = include_str!("data/dkim/spki4096.b64");
pub const PKCS1_512: &str = include_str!("data/dkim/pkcs1_512.b64");
pub const PKCS1_1024: &str = include_str!("data/dkim/pkcs1_1024.b64");
pub const PKCS1_2048: &str = include_str!("data/dkim/pkcs1_2048.b64");
pub const PKCS1_4096: &str = include_str!("data/dkim/pkcs1_4096.b64");
pub const ED_RAW: &str = include_str!("data/dkim/ed_raw.b64");
pub const ED_SPKI: &str = include_str!("data/dkim/ed_spki.b64");
/// RFC 6376 Appendix C's example key (1024-bit, SubjectPublicKeyInfo).
const RFC_APPENDIX_C: &str = "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwIRP/UC3SBsEmGqZ9ZJW3/DkMoGeLnQg1fWn7/zYtIxN2SnFCjxOCKG9v3b4jYfcTNh5ijSsq631uBItLa7od+v/RtdC2UzJ1lWT947qR+Rcac2gbto/NMqJ0fzfVjH4OuKhitdY9tf6mcwGjaNBcWToIMmPSPDdQPNUYckcQ2QIDAQAB";

fn parse(text: &str) -> DkimKeyRecord {
    text.parse().unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
}

#[test]
fn every_tag() {
    let r = parse("v=DKIM1; h=sha1:sha256; k=rsa; n=for mail; s=email:*; t=y:s; x_future=1; p=AAAA");
    assert!(r.version);
    assert_eq!(r.hashes, ["sha1", "sha256"]);
    assert_eq!(r.key_type, Some(KeyType::Rsa));
    assert_eq!(r.notes.as_deref(), Some("for mail"));
    assert_eq!(r.services, ["email", "*"]);
    assert_eq!(r.flags, ["y", "s"]);
    assert_eq!(r.unknown, vec![("x_future".to_string(), "1".to_string())]);
    assert_eq!(r.public_key, "AAAA");
    assert!(r.is_testing() && r.is_strict_subdomain() && r.allows_email() && r.allows_sha256());

    // Defaults: no v, rsa, all hashes, all services, no flags.
    let r = parse("p=AAAA");
    assert!(!r.version);
    assert_eq!(r.key_type(), KeyType::Rsa);
    assert!(r.allows_email() && r.allows_sha256() && !r.is_testing() && !r.is_revoked());

    type Check = fn(&DkimKeyRecord) -> bool;
    let table: [(&str, Check); 9] = [
        ("v=DKIM1; p=", |r| r.is_revoked()),
        ("v=DKIM1; k=ed25519; p=AAAA", |r| r.key_type() == KeyType::Ed25519),
        ("v=DKIM1; k=dsa; p=AAAA", |r| r.key_type() == KeyType::Other("dsa".into())),
        ("v=DKIM1; h=sha1; p=AAAA", |r| !r.allows_sha256()),
        ("v=DKIM1; h=sha256; p=AAAA", |r| r.allows_sha256()),
        ("v=DKIM1; s=tlsrpt; p=AAAA", |r| !r.allows_email()),
        ("v=DKIM1; t=s; p=AAAA", |r| r.is_strict_subdomain() && !r.is_testing()),
        ("v=DKIM1; t=z; p=AAAA", |r| r.flags == ["z"] && !r.is_testing()),
        // Folded key data, as multi-string TXT joins and zone files show it.
        ("v=DKIM1;\r\n\tp=AA AA\r\n  AA==;", |r| r.public_key == "AAAAAA=="),
    ];
    for (text, ok) in table {
        assert!(ok(&parse(text)), "{text}");
    }
}

#[test]
fn unknown_tags_are_kept_and_ignored() {
    let r = parse("v=DKIM1; g=*; x_y=a b; p=AAAA");
    assert_eq!(r.unknown, vec![("g".to_string(), "*".to_string()), ("x_y".to_string(), "a b".to_string())]);
}

#[test]
fn errors_have_kind_and_offset() {
    use KeyRecordErrorKind::*;
    let cases: &[(&str, KeyRecordErrorKind, usize)] = &[
        ("", Empty, 0),
        ("  \t", Empty, 0),
        ("v=DKIM1; hello; p=AAAA", MalformedTag, 9),
        ("v=DKIM1; 1x=2; p=AAAA", BadTagName, 9),
        ("v=DKIM1; =2; p=AAAA", BadTagName, 9),
        ("v=DKIM1; p=AAAA; p=BBBB", DuplicateTag, 17),
        ("k=rsa; v=DKIM1; p=AAAA", VersionNotFirst, 7),
        ("v=DKIM2; p=AAAA", BadVersion, 2),
        ("v=dkim1; p=AAAA", BadVersion, 2),
        ("v=DKIM1; n=caf\u{e9}; p=AAAA", BadCharacter, 14),
        ("v=DKIM1; p=AA\u{1}A", BadCharacter, 13),
        ("v=DKIM1; h=; p=AAAA", BadValue, 11),
        ("v=DKIM1; h=sha1::sha256; p=AAAA", BadValue, 16),
        ("v=DKIM1; t=y s; p=AAAA", BadValue, 11),
        ("v=DKIM1; k=; p=AAAA", BadValue, 11),
        ("v=DKIM1; k=rsa", MissingKey, 14),
        ("v=DKIM1; p=AAA*", BadBase64, 14),
        ("v=DKIM1; p=\"AAAA\"", BadBase64, 11),
        ("v=DKIM1; p=AAAAA", BadBase64, 16),
        ("v=DKIM1; p=AA=A", BadBase64, 14),
        ("v=DKIM1; p=A===", BadBase64, 12),
    ];
    for &(text, kind, offset) in cases {
        let e = text.parse::<DkimKeyRecord>().unwrap_err();
        assert_eq!((e.kind, e.offset), (kind, offset), "{text:?}: {}", e.message);
        assert!(!e.message.is_empty());
    }
}

#[test]
fn round_trips_through_display() {
    for text in
        ["v=DKIM1; k=rsa; p=AAAA", "v=DKIM1; h=sha256; k=ed25519; n=hi there; s=email; t=y:s; x=1; p=", "p=AAAA"]
    {
        let r = parse(text);
        assert_eq!(r.to_string(), text);
        assert_eq!(parse(&r.to_string()), r);
    }
    assert_eq!(parse(" p = AA AA ; ").to_string(), "p=AAAA");
}

/// (key, k=, algorithm, bits, format): real keys of every size and shape.
#[test]
fn key_sizes_of_real_keys() {
    let table: &[(&str, KeyType, KeyAlgorithm, u32, KeyFormat)] = &[
        (SPKI_512, KeyType::Rsa, KeyAlgorithm::Rsa, 512, KeyFormat::SubjectPublicKeyInfo),
        (SPKI_1024, KeyType::Rsa, KeyAlgorithm::Rsa, 1024, KeyFormat::SubjectPublicKeyInfo),
        (SPKI_2048, KeyType::Rsa, KeyAlgorithm::Rsa, 2048, KeyFormat::SubjectPublicKeyInfo),
        (SPKI_4096, KeyType::Rsa, KeyAlgorithm::Rsa, 4096, KeyFormat::SubjectPublicKeyInfo),
        (PKCS1_512, KeyType::Rsa, KeyAlgorithm::Rsa, 512, KeyFormat::Pkcs1),
        (PKCS1_1024, KeyType::Rsa, KeyAlgorithm::Rsa, 1024, KeyFormat::Pkcs1),
        (PKCS1_2048, KeyType::Rsa, KeyAlgorithm::Rsa, 2048, KeyFormat::Pkcs1),
        (PKCS1_4096, KeyType::Rsa, KeyAlgorithm::Rsa, 4096, KeyFormat::Pkcs1),
        (RFC_APPENDIX_C, KeyType::Rsa, KeyAlgorithm::Rsa, 1024, KeyFormat::SubjectPublicKeyInfo),
        (ED_RAW, KeyType::Ed25519, KeyAlgorithm::Ed25519, 256, KeyFormat::Raw),
    ];
    for (b64, k, algorithm, bits, format) in table {
        let record = parse(&format!("v=DKIM1; k={k}; p={b64}"));
        let info = key_info(&record.key_type(), &record.key_bytes().unwrap()).unwrap();
        assert_eq!((info.algorithm, info.bits, info.format), (*algorithm, *bits, *format), "{k} {bits}");
    }
}

#[test]
fn keys_that_are_not_keys() {
    let bytes = |b64: &str| decode_base64(b64).unwrap();
    let cases: &[(KeyType, Vec<u8>, KeyErrorKind)] = &[
        // An Ed25519 key wrapped in SPKI: RFC 8463 wants the raw 32 bytes.
        (KeyType::Ed25519, bytes(ED_SPKI), KeyErrorKind::BadEd25519),
        (KeyType::Ed25519, bytes(SPKI_1024), KeyErrorKind::BadEd25519),
        // A raw Ed25519 key without k=ed25519.
        (KeyType::Rsa, bytes(ED_RAW), KeyErrorKind::WrongAlgorithm),
        // An Ed25519 SPKI under k=rsa.
        (KeyType::Rsa, bytes(ED_SPKI), KeyErrorKind::WrongAlgorithm),
        (KeyType::Rsa, b"hello, world".to_vec(), KeyErrorKind::NotAKey),
        // A 2048-bit key cut short (a TXT string lost in copying).
        (KeyType::Rsa, bytes(&SPKI_2048[..200]), KeyErrorKind::Truncated),
        (KeyType::Other("dsa".into()), bytes(SPKI_2048), KeyErrorKind::UnknownKeyType),
    ];
    for (k, data, kind) in cases {
        let e = key_info(k, data).unwrap_err();
        assert_eq!(e.kind, *kind, "{k}: {}", e.message);
        assert!(e.offset <= data.len());
    }
}

fn tag_value() -> impl Strategy<Value = String> {
    "[!-:<-~]{0,12}( [!-:<-~]{1,6})?".prop_map(|s| s.trim().to_string())
}

proptest! {
    #[test]
    fn never_panics_and_offsets_are_inside(text in "\\PC{0,80}") {
        match text.parse::<DkimKeyRecord>() {
            Ok(r) => prop_assert_eq!(r.to_string().parse::<DkimKeyRecord>(), Ok(r)),
            Err(e) => {
                prop_assert!(e.offset <= text.len());
                prop_assert!(text.is_char_boundary(e.offset));
            }
        }
    }

    #[test]
    fn parsed_records_round_trip(
        version in any::<bool>(),
        hashes in prop::collection::vec("sha1|sha256|[a-z]{1,5}", 0..3),
        k in prop::option::of("rsa|ed25519|[a-z]{1,6}"),
        notes in prop::option::of(tag_value()),
        flags in prop::collection::vec("y|s|[a-z]", 0..3),
        unknown in prop::collection::vec(("[a-z][a-z0-9_]{0,4}", tag_value()), 0..3),
        key in prop::sample::select(vec!["", "AAAA", SPKI_1024, ED_RAW]),
    ) {
        let mut text = String::new();
        if version { text.push_str("v=DKIM1; "); }
        if !hashes.is_empty() { text.push_str(&format!("h={}; ", hashes.join(":"))); }
        if let Some(k) = &k { text.push_str(&format!("k={k}; ")); }
        if let Some(n) = &notes { text.push_str(&format!("n={n}; ")); }
        if !flags.is_empty() { text.push_str(&format!("t={}; ", flags.join(" : "))); }
        let mut names: Vec<&str> = vec!["v", "h", "k", "n", "t", "p", "s"];
        for (name, value) in &unknown {
            if !names.contains(&name.as_str()) {
                names.push(name);
                text.push_str(&format!("{name}={value}; "));
            }
        }
        text.push_str(&format!("p={key}"));
        let r = parse(&text);
        prop_assert_eq!(r.to_string().parse::<DkimKeyRecord>(), Ok(r));
    }
}
