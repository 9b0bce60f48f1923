//! DMARC record vectors: the strict parser, the lenient problem list, spans,
//! and the FromStr/Display round trip. Section numbers are RFC 9989's
//! (draft-ietf-dmarc-dmarcbis-41 numbering).

use maildoctor_core::dmarc::{
    parse_dmarc, version_match, Alignment, DmarcErrorKind, DmarcRecord, FailureOption, Policy, Psd, ReportUri,
    VersionMatch,
};
use proptest::prelude::*;

/// (record text, canonical form it parses to)
const ACCEPTED: &[(&str, &str)] = &[
    // §4.8: dmarc-record = dmarc-version *(dmarc-sep dmarc-tag) [dmarc-sep]
    ("v=DMARC1; p=none", "v=DMARC1; p=none"),
    ("v=DMARC1;p=reject;", "v=DMARC1; p=reject"),
    // §4.8: equals = *WSP "=" *WSP, dmarc-sep = *WSP ";" *WSP
    ("v = DMARC1 ;\tp = quarantine ; ", "v=DMARC1; p=quarantine"),
    // RFC 5234 §2.3: ABNF strings are case-insensitive (only "DMARC1" is %s, case-sensitive): values such as
    // "Reject" are fine. Tag *names* are not (RFC 6376 §3.2): see tag_names_are_case_sensitive.
    ("v=DMARC1; p=Reject; sp=None", "v=DMARC1; p=reject; sp=none"),
    // §4.7: every tag.
    (
        "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=y; adkim=s; aspf=r; \
         rua=mailto:a@example.com,mailto:b@example.net; ruf=mailto:f@example.com; fo=1:d:s",
        "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=y; adkim=s; aspf=r; \
         rua=mailto:a@example.com,mailto:b@example.net; ruf=mailto:f@example.com; fo=1:d:s",
    ),
    // §4.8 dmarc-urilist: *WSP "," *WSP between URIs.
    (
        "v=DMARC1; p=none; rua=mailto:a@example.com , mailto:b@example.com",
        "v=DMARC1; p=none; rua=mailto:a@example.com,mailto:b@example.com",
    ),
    // Tags in any order after v (RFC 9989 dropped RFC 7489's "p second" rule).
    ("v=DMARC1; rua=mailto:a@example.com; p=reject", "v=DMARC1; p=reject; rua=mailto:a@example.com"),
    // Warnings only, still a record: obsolete size suffix (kept so it prints back), legacy tags (Appendix C.5.2),
    // unknown tags ("Unknown tags MUST be ignored", §4.7), non-mailto URI, missing p.
    ("v=DMARC1; p=reject; rua=mailto:a@example.com!10m", "v=DMARC1; p=reject; rua=mailto:a@example.com!10m"),
    ("v=DMARC1; p=none; pct=50; rf=afrf; ri=3600", "v=DMARC1; p=none; pct=50; rf=afrf; ri=3600"),
    ("v=DMARC1; p=none; foo=bar", "v=DMARC1; p=none; foo=bar"),
    ("v=DMARC1; p=none; rua=https://example.com/r", "v=DMARC1; p=none; rua=https://example.com/r"),
    ("v=DMARC1; rua=mailto:a@example.com", "v=DMARC1; rua=mailto:a@example.com"),
    // Historic tags with bad values: a note about a tag receivers ignore, never an invalid record
    // (RFC 9989 Appendix C.5.2 removed them; §4.7 "unknown tags MUST be ignored").
    ("v=DMARC1; p=none; pct=150", "v=DMARC1; p=none"),
    ("v=DMARC1; p=none; ri=daily", "v=DMARC1; p=none"),
    ("v=DMARC1; p=none; psd=u", "v=DMARC1; p=none; psd=u"),
];

/// (record text, error kind, byte offset)
const REJECTED: &[(&str, DmarcErrorKind, usize)] = &[
    ("", DmarcErrorKind::Empty, 0),
    ("   ", DmarcErrorKind::Empty, 0),
    ("v=spf1 -all", DmarcErrorKind::NotDmarc, 0),
    // §4.7: "v" MUST be the first tag.
    ("p=none; v=DMARC1", DmarcErrorKind::NotDmarc, 0),
    // §4.8: dmarc-version = "v" equals %s"DMARC1" — case-sensitive.
    ("v=dmarc1; p=none", DmarcErrorKind::VersionCase, 2),
    ("v=DMARC1 p=none", DmarcErrorKind::NotDmarc, 8),
    ("v=DMARC2; p=none", DmarcErrorKind::NotDmarc, 0),
    // Found by fuzzing: the "not v=DMARC1" span (the first 8 bytes) could end inside a character.
    ("dmarc.x\u{e9}", DmarcErrorKind::NotDmarc, 0),
    // §4.8 dmarc-request
    ("v=DMARC1; p=rejected", DmarcErrorKind::InvalidValue, 12),
    // §4.8 "dmarc-value = %x20-3A / %x3C-7E": the offending character itself is marked (was the whole value).
    ("v=DMARC1; p=nöne", DmarcErrorKind::InvalidCharacter, 13),
    ("v=DMARC1; p=none; sp=block", DmarcErrorKind::InvalidValue, 21),
    ("v=DMARC1; p=none; np=0", DmarcErrorKind::InvalidValue, 21),
    // §4.8 dmarc-psd, dmarc-yorn, dmarc-rors, dmarc-fo
    ("v=DMARC1; p=none; psd=yes", DmarcErrorKind::InvalidValue, 22),
    ("v=DMARC1; p=reject; t=maybe", DmarcErrorKind::InvalidValue, 22),
    ("v=DMARC1; p=none; adkim=x", DmarcErrorKind::InvalidValue, 24),
    ("v=DMARC1; p=none; aspf=relaxed", DmarcErrorKind::InvalidValue, 23),
    ("v=DMARC1; p=none; fo=2", DmarcErrorKind::InvalidValue, 21),
    // RFC 6376 §3.2 (tag-list rules DMARC uses): duplicate tags invalidate the record.
    ("v=DMARC1; p=none; p=reject", DmarcErrorKind::DuplicateTag, 18),
    ("v=DMARC1; p=none; v=DMARC1", DmarcErrorKind::DuplicateTag, 18),
    // §4.8 dmarc-tag = 1*ALPHA equals 1*dmarc-value
    ("v=DMARC1; p", DmarcErrorKind::MalformedTag, 10),
    ("v=DMARC1; p=", DmarcErrorKind::EmptyValue, 10),
    ("v=DMARC1; p1=none", DmarcErrorKind::MalformedTag, 10),
    // §4.6: reporting addresses are URIs; a bare address is not one.
    ("v=DMARC1; p=none; rua=dmarc@example.com", DmarcErrorKind::NotAUri, 22),
    ("v=DMARC1; p=none; rua=mailto:a@example.com,dmarc@example.com", DmarcErrorKind::NotAUri, 43),
    ("v=DMARC1; p=none; ruf=mailto:", DmarcErrorKind::NotAUri, 22),
    ("v=DMARC1; p=none; rua=mailto:nobody", DmarcErrorKind::InvalidValue, 22),
    // §4.7: v "MUST be the first tag in the list" (was accepted with a warning before issue 17).
    (" v=DMARC1; p=none", DmarcErrorKind::LeadingWhitespace, 0),
    // §4.8: dmarc-record = dmarc-version *(dmarc-sep dmarc-tag) [dmarc-sep] — no empty tags (was accepted).
    ("v=DMARC1; p=none;; sp=reject", DmarcErrorKind::EmptyPart, 17),
    // RFC 6376 §3.2: "Tags MUST be interpreted in a case-sensitive manner" (was accepted).
    ("V=DMARC1; P=Reject; SP=None", DmarcErrorKind::VersionCase, 0),
];

#[test]
fn accepted_records_print_canonically_and_round_trip() {
    for (text, canonical) in ACCEPTED {
        let record: DmarcRecord = text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(record.to_string(), *canonical, "{text:?}");
        assert_eq!(canonical.parse::<DmarcRecord>().unwrap(), record, "{text:?}");
    }
}

#[test]
fn rejected_records_say_what_and_where() {
    for (text, kind, offset) in REJECTED {
        let e = text.parse::<DmarcRecord>().expect_err(text);
        assert_eq!((e.kind, e.offset), (*kind, *offset), "{text:?}: {}", e.message);
        assert!(!e.message.is_empty());
        assert!(text.get(e.span.clone()).is_some(), "span {:?} outside {text:?}", e.span);
    }
}

#[test]
fn lenient_parse_lists_every_problem() {
    use DmarcErrorKind::*;
    let cases: &[(&str, &[DmarcErrorKind])] = &[
        // Appendix C.5.2: pct, rf and ri are gone.
        ("v=DMARC1; p=none; pct=100; rf=afrf; ri=86400", &[LegacyTag, LegacyTag, LegacyTag]),
        ("v=DMARC1; rua=mailto:a@example.com!10m", &[SizeSuffix, MissingPolicy]),
        ("v=DMARC1; p=none; rue=mailto:a@example.com", &[UnknownTag]),
        // The repeated tag is said once, after the per-tag problems.
        ("v=DMARC1; p=none; p=reject; sp=x", &[InvalidValue, DuplicateTag]),
        (" v=DMARC1; p=none", &[LeadingWhitespace]),
        // An invalid p is reported once, not also as "missing".
        ("v=DMARC1; p=bogus", &[InvalidValue]),
        ("v=DMARC1; p=none; rua=ftp://example.com/x, bob@example.com", &[NotMailto, NotAUri]),
        ("v=DMARC1", &[MissingPolicy]),
    ];
    for (text, want) in cases {
        let parsed = parse_dmarc(text);
        let kinds: Vec<DmarcErrorKind> = parsed.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, *want, "{text:?}");
        assert!(parsed.record.is_some(), "{text:?}");
    }
    let typo = parse_dmarc("v=DMARC1; p=none; rue=mailto:a@example.com");
    assert!(typo.problems[0].message.contains("Did you mean rua=?"), "{}", typo.problems[0].message);
}

#[test]
fn spans_point_at_the_problem() {
    let text = "v=DMARC1; p=rejected; rua=dmarc@example.com!5m; pct=20";
    let parsed = parse_dmarc(text);
    let spans: Vec<(DmarcErrorKind, &str)> = parsed.problems.iter().map(|p| (p.kind, &text[p.span.clone()])).collect();
    assert_eq!(
        spans,
        [
            (DmarcErrorKind::InvalidValue, "rejected"),
            (DmarcErrorKind::SizeSuffix, "!5m"),
            (DmarcErrorKind::NotAUri, "dmarc@example.com!5m"),
            (DmarcErrorKind::LegacyTag, "pct=20"),
        ]
    );
    // What a receiver keeps: the invalid p and the bad rua are dropped (§4.7), pct stays parsed.
    let record = parsed.record.unwrap();
    assert_eq!((record.p, record.rua.len(), record.pct), (None, 0, Some(20)));
}

#[test]
fn policy_defaults_follow_section_4_7() {
    let r: DmarcRecord = "v=DMARC1; p=reject".parse().unwrap();
    // sp absent → p; np absent → sp → p.
    assert_eq!(
        (r.policy(), r.subdomain_policy(), r.nonexistent_policy()),
        (Some(Policy::Reject), Some(Policy::Reject), Some(Policy::Reject))
    );
    let r: DmarcRecord = "v=DMARC1; p=reject; sp=none".parse().unwrap();
    assert_eq!(r.nonexistent_policy(), Some(Policy::None));
    let r: DmarcRecord = "v=DMARC1; p=none; sp=quarantine; np=reject".parse().unwrap();
    assert_eq!((r.subdomain_policy(), r.nonexistent_policy()), (Some(Policy::Quarantine), Some(Policy::Reject)));
    assert_eq!(
        (r.dkim_alignment(), r.spf_alignment(), r.psd_flag(), r.testing()),
        (Alignment::Relaxed, Alignment::Relaxed, Psd::Unknown, false)
    );
    // §4.10.1: no valid p → p=none if rua has a valid URI, else no DMARC at all.
    let r: DmarcRecord = "v=DMARC1; rua=mailto:a@example.com".parse().unwrap();
    assert_eq!(r.policy(), Some(Policy::None));
    let r: DmarcRecord = "v=DMARC1; adkim=s".parse().unwrap();
    assert_eq!(r.policy(), None);
}

#[test]
fn report_uri_domains() {
    let r: DmarcRecord =
        "v=DMARC1; p=none; rua=mailto:Agg@Reports.Example.NET?subject=x,MAILTO:b@example.com.!1g".parse().unwrap();
    let domains: Vec<Option<String>> = r.rua.iter().map(ReportUri::mailto_domain).collect();
    assert_eq!(domains, [Some("reports.example.net".to_string()), Some("example.com".to_string())]);
    assert_eq!(r.rua[1].size_limit.as_deref(), Some("1g"));
}

#[test]
fn version_recognition_for_discovery() {
    // §4.10 step 2: only TXT records starting with v=DMARC1 count; ones that merely mention DMARC do not.
    let cases = [
        ("v=DMARC1; p=none", VersionMatch::Exact),
        ("v=DMARC1", VersionMatch::Exact),
        ("v = DMARC1;p=none", VersionMatch::Exact),
        ("  v=DMARC1; p=none", VersionMatch::AfterWhitespace),
        ("v=dmarc1; p=none", VersionMatch::WrongCase),
        ("v=DMARC1p=none", VersionMatch::No),
        ("google-site-verification=abc v=DMARC1", VersionMatch::No),
        ("dmarc: v=DMARC1; p=none", VersionMatch::No),
        ("v=spf1 include:_spf.example.com ~all", VersionMatch::No),
        ("", VersionMatch::No),
    ];
    for (text, want) in cases {
        assert_eq!(version_match(text), want, "{text:?}");
    }
}

#[test]
fn builder_makes_records_that_round_trip() {
    let r = DmarcRecord::new(Policy::Reject)
        .with_sp(Policy::Quarantine)
        .with_np(Policy::Reject)
        .with_adkim(Alignment::Strict)
        .with_rua(ReportUri::mailto("dmarc@example.com"))
        .with_ruf(ReportUri::mailto("forensic@example.com"))
        .with_fo(vec![FailureOption::AnyFail])
        .with_testing(true)
        .with_psd(Psd::No);
    let text = r.to_string();
    assert_eq!(
        text,
        "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=y; adkim=s; rua=mailto:dmarc@example.com; \
         ruf=mailto:forensic@example.com; fo=1"
    );
    assert_eq!(text.parse::<DmarcRecord>().unwrap(), r);
    assert!(parse_dmarc(&text).problems.is_empty());
}

fn policy() -> impl Strategy<Value = Policy> {
    prop_oneof![Just(Policy::None), Just(Policy::Quarantine), Just(Policy::Reject)]
}

fn alignment() -> impl Strategy<Value = Alignment> {
    prop_oneof![Just(Alignment::Relaxed), Just(Alignment::Strict)]
}

fn uri() -> impl Strategy<Value = ReportUri> {
    // Host labels neither start nor end with "-" (RFC 1123 §2.1), or the address is not a valid URI.
    ("[a-z0-9.+-]{1,12}", "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?\\.[a-z]{2,6}", proptest::option::of("[0-9]{1,4}[kmgt]?"))
        .prop_map(|(local, domain, size)| ReportUri { uri: format!("mailto:{local}@{domain}"), size_limit: size })
}

fn record() -> impl Strategy<Value = DmarcRecord> {
    (
        proptest::option::of(policy()),
        proptest::option::of(policy()),
        proptest::option::of(policy()),
        proptest::option::of(prop_oneof![Just(Psd::Yes), Just(Psd::No), Just(Psd::Unknown)]),
        proptest::option::of(any::<bool>()),
        proptest::collection::vec(uri(), 0..3),
        proptest::collection::vec(uri(), 0..2),
        proptest::option::of(alignment()),
        proptest::option::of(alignment()),
        // §4.7: "0" and "1" are mutually exclusive; §4.8: d and s "may appear at most once".
        (
            proptest::option::of(prop_oneof![Just(FailureOption::AllFail), Just(FailureOption::AnyFail)]),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(level, d, s)| {
                let extra = [(d, FailureOption::Dkim), (s, FailureOption::Spf)];
                level.into_iter().chain(extra.into_iter().filter(|(on, _)| *on).map(|(_, o)| o)).collect::<Vec<_>>()
            }),
        (proptest::option::of(0u8..=100), proptest::option::of(any::<u32>())),
    )
        .prop_map(|(p, sp, np, psd, t, rua, ruf, adkim, aspf, fo, (pct, ri))| DmarcRecord {
            p,
            sp,
            np,
            psd,
            t,
            rua,
            ruf,
            adkim,
            aspf,
            fo,
            pct,
            rf: None,
            ri,
            unknown: Vec::new(),
        })
}

proptest! {
    #[test]
    fn any_record_round_trips(r in record()) {
        let text = r.to_string();
        prop_assert_eq!(text.parse::<DmarcRecord>().unwrap(), r);
    }

    #[test]
    fn any_text_parses_without_panic_and_reprints_stably(text in "v=DMARC1;[ -~]{0,60}") {
        let parsed = parse_dmarc(&text);
        for p in &parsed.problems {
            prop_assert!(p.span.start <= p.span.end && p.span.end <= text.len());
        }
        if let Ok(r) = text.parse::<DmarcRecord>() {
            prop_assert_eq!(r.to_string().parse::<DmarcRecord>().unwrap(), r);
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,40}") {
        let _ = parse_dmarc(&text);
        let _ = version_match(&text);
    }
}
