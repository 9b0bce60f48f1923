//! GitHub issue 17, "DMARC to the letter": one table per class of departure
//! from the RFC text, each row with the sentence that decides it. Section
//! numbers are RFC 9989's (draft-ietf-dmarc-dmarcbis-41 numbering); RFC 6376
//! §3.2 is the DKIM tag-list syntax RFC 9989 §4.7 adopts.

use futures::executor::block_on;
use maildoctor_core::dmarc::{check_dmarc, parse_dmarc, DmarcErrorKind, DmarcRecord, Existence, Policy, PolicySource};
use maildoctor_core::dns::{MemoryResolver, RData};
use maildoctor_core::finding::Severity;

use DmarcErrorKind::*;

/// (record text, the problem expected, its byte offset, whether receivers still use the record)
type RecordRow = (&'static str, DmarcErrorKind, usize, bool);

fn check_rows(rows: &[RecordRow]) {
    for &(text, kind, offset, used) in rows {
        let parsed = parse_dmarc(text);
        let p = parsed
            .problems
            .iter()
            .find(|p| p.kind == kind)
            .unwrap_or_else(|| panic!("{text:?}: no {kind:?} in {:?}", parsed.problems));
        assert_eq!(p.offset, offset, "{text:?}: {}", p.message);
        assert!(text.get(p.span.clone()).is_some(), "{text:?}: span {:?}", p.span);
        assert_eq!(parsed.valid_record().is_some(), used, "{text:?}: used by receivers?");
        // Every such problem also makes the strict parser fail, or is a mere warning.
        assert!(text.parse::<DmarcRecord>().is_err() || !kind.is_error(), "{text:?}");
    }
}

#[test]
fn duplicate_tags_invalidate_the_whole_record() {
    // RFC 6376 §3.2: "Tags with duplicate names MUST NOT occur within a single tag-list; if a tag name
    // does occur more than once, the entire tag-list is invalid."
    check_rows(&[
        ("v=DMARC1; p=reject; p=none", DuplicateTag, 20, false),
        ("v=DMARC1; p=none; rua=mailto:a@example.com; rua=mailto:b@example.com", DuplicateTag, 44, false),
        ("v=DMARC1; p=reject; v=DMARC1", DuplicateTag, 20, false),
    ]);
    // Said once, even with two repeated tags.
    let parsed = parse_dmarc("v=DMARC1; p=reject; sp=none; p=none; sp=reject");
    assert_eq!(parsed.problems.iter().filter(|p| p.kind == DuplicateTag).count(), 1);
    assert!(parsed.problems[0].message.contains("sp repeat too"), "{}", parsed.problems[0].message);
}

#[test]
fn v_must_be_the_very_first_thing() {
    // §4.7 v: "This tag MUST be the first tag in the list. [...] If the tag is not the first in the list,
    // or the tag is absent, or the value is not "DMARC1", then the entire record MUST be ignored."
    // The ABNF, "dmarc-record = dmarc-version *(dmarc-sep dmarc-tag) [dmarc-sep]", allows nothing before it.
    check_rows(&[
        (" v=DMARC1; p=reject", LeadingWhitespace, 0, false),
        ("\tv=DMARC1; p=reject", LeadingWhitespace, 0, false),
        ("\u{a0}v=DMARC1; p=reject", LeadingWhitespace, 0, false),
        ("\r\nv=DMARC1; p=reject", LeadingWhitespace, 0, false),
        // RFC 6376 §3.2: "Tags MUST be interpreted in a case-sensitive manner": V is not v.
        ("V=DMARC1; p=reject", VersionCase, 0, false),
    ]);
    let lead = parse_dmarc("\u{a0}v=DMARC1; p=reject");
    assert!(lead.problems[0].message.contains("'\\u{a0}'"), "{}", lead.problems[0].message);
}

#[test]
fn whitespace_is_sp_and_htab_only() {
    // RFC 5234 (which §4.8 uses): "WSP = SP / HTAB"; §4.8: "dmarc-value = %x20-3A / %x3C-7E".
    // A no-break space, CR, LF or VT is none of these: the value is invalid, at that character.
    check_rows(&[
        ("v=DMARC1; p=\u{a0}reject", InvalidCharacter, 12, true),
        ("v=DMARC1; p=reject\r\n", InvalidCharacter, 18, true),
        ("v=DMARC1; p=rej\u{b}ect", InvalidCharacter, 15, true),
        ("v=DMARC1; p=re\tject", InvalidCharacter, 14, true),
        ("v=DMARC1; \u{a0}p=reject", InvalidCharacter, 10, true),
        ("v=DMARC1; p=none; adkim=s\n", InvalidCharacter, 25, true),
    ]);
    let parsed = parse_dmarc("v=DMARC1; p=\u{a0}reject");
    assert_eq!(parsed.record.as_ref().and_then(|r| r.p), None, "never silently trimmed");
    assert!(parsed.problems[0].message.contains("'\\u{a0}' at position 13"), "{}", parsed.problems[0].message);
    // SP and HTAB around ";" and "=" are fine (§4.8 dmarc-sep, equals).
    assert!(parse_dmarc("v=DMARC1;\tp =\treject ;").problems.is_empty());
}

#[test]
fn syntax_errors_are_findings_with_offsets() {
    check_rows(&[
        // §4.8: dmarc-record = dmarc-version *(dmarc-sep dmarc-tag) [dmarc-sep]: one trailing ";", no empty tags.
        ("v=DMARC1; ;p=none", EmptyPart, 10, true),
        ("v=DMARC1; p=none;;", EmptyPart, 17, true),
        // §4.8: dmarc-urilist = (dmarc-uri / obs-dmarc-uri) *(*WSP "," *WSP (dmarc-uri / obs-dmarc-uri)).
        ("v=DMARC1; p=none; rua=mailto:a@example.com,", InvalidUri, 42, true),
        ("v=DMARC1; p=none; rua=,mailto:a@example.com", InvalidUri, 22, true),
        // §4.8: dmarc-uri = URI; "URI" is imported from [RFC3986]. "{" and "}" are not URI characters.
        ("v=DMARC1; p=none; rua=mailto:a{b}@example.com", InvalidUri, 30, true),
        // §4.8: "commas (ASCII 0x2C) and exclamation points (ASCII 0x21) MUST be encoded".
        ("v=DMARC1; p=none; rua=mailto:a@!", InvalidUri, 31, true),
        // obs-dmarc-report-size = "!" 1*DIGIT [ "k" / "m" / "g" / "t" ]: "10mb", "10x", "1.5m" are not sizes.
        ("v=DMARC1; p=none; rua=mailto:d@example.net!10mb", InvalidUri, 42, true),
        ("v=DMARC1; p=none; rua=mailto:d@example.net!10x", InvalidUri, 42, true),
        ("v=DMARC1; p=none; rua=mailto:d@example.net!1.5m", InvalidUri, 42, true),
        ("v=DMARC1; p=none; rua=mailto:d@exa_mple..net", InvalidUri, 22, true),
    ]);
    // An invalid URI never reaches the record, so nothing ever queries "example.net!10mb".
    let parsed = parse_dmarc("v=DMARC1; p=none; rua=mailto:d@example.net!10mb,mailto:ok@example.org!10m");
    let rua = &parsed.record.unwrap().rua;
    assert_eq!(rua.len(), 1);
    assert_eq!(rua[0].mailto_domain().as_deref(), Some("example.org"));
}

#[test]
fn fo_options() {
    // §4.7 fo: "This tag can include one or more of the values shown here, with the exception that "0"
    // and "1" are mutually exclusive." §4.8: dmarc-afrf = "d" / "s" ; each may appear at most once in dmarc-fo.
    check_rows(&[
        ("v=DMARC1; p=none; fo=0:1", InvalidValue, 21, true),
        ("v=DMARC1; p=none; fo=1:d:0", InvalidValue, 21, true),
        ("v=DMARC1; p=none; fo=d:d", InvalidValue, 21, true),
        ("v=DMARC1; p=none; fo=s:1:s", InvalidValue, 21, true),
    ]);
    for ok in ["fo=0", "fo=1:d:s", "fo=d:s", "fo=s:d:1", "fo=d"] {
        let text = format!("v=DMARC1; p=none; ruf=mailto:f@example.com; {ok}");
        assert!(text.parse::<DmarcRecord>().is_ok(), "{text}");
    }
}

#[test]
fn historic_tags_are_only_warnings() {
    // RFC 9989 Appendix C.5.2 removed pct, rf and ri; §4.7: "Only tags defined in that registry are to be
    // processed; unknown tags MUST be ignored." A bad value of an ignored tag cannot invalidate the record.
    for text in ["v=DMARC1; p=reject; pct=101", "v=DMARC1; p=reject; ri=-5", "v=DMARC1; p=reject; rf="] {
        let parsed = parse_dmarc(text);
        let kinds: Vec<DmarcErrorKind> = parsed.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [LegacyTag], "{text:?}");
        assert_eq!(parsed.problems[0].kind.severity(), Severity::Warning);
        assert!(parsed.problems[0].message.contains("Its value"), "{}", parsed.problems[0].message);
        assert_eq!(text.parse::<DmarcRecord>().map(|r| r.p), Ok(Some(Policy::Reject)), "{text:?}");
    }
}

#[test]
fn tag_names_are_case_sensitive() {
    // RFC 6376 §3.2: "Tags MUST be interpreted in a case-sensitive manner."
    check_rows(&[("v=DMARC1; P=reject; rua=mailto:a@example.com", TagCase, 10, true)]);
    let parsed = parse_dmarc("v=DMARC1; P=reject");
    let p = &parsed.problems[0];
    assert!(p.message.contains("Write p= in lower case"), "{}", p.message);
    assert!(p.message.contains("others accept it"), "{}", p.message);
    assert_eq!(parsed.record.unwrap().p, None, "P= is not p=");
}

const ZONE: &str = r#"
_dmarc.example.com          TXT "v=DMARC1; p=none; sp=quarantine; np=reject; rua=mailto:d@example.com"
www.example.com             A   192.0.2.1
_dmarc.dup.test             TXT "v=DMARC1; p=reject; p=none"
_dmarc.space.test           TXT " v=DMARC1; p=reject"
_dmarc.badp.test            TXT "v=DMARC1; p=block; rua=mailto:d@badp.test"
_dmarc.badpnorua.test       TXT "v=DMARC1; p=block"
_dmarc.badsize.test         TXT "v=DMARC1; p=reject; rua=mailto:d@example.net!10mb"
_dmarc.org.test             TXT "v=DMARC1; p=reject; sp=none; np=reject"
_dmarc.mid.org.test         FAULT servfail
_dmarc.own.org.test         TXT "v=DMARC1; p=quarantine"
_dmarc.flaky.test           TXT "v=DMARC1; p=reject; sp=none; np=reject"
host.flaky.test             FAULT servfail
_dmarc.same.test            TXT "v=DMARC1; p=reject"
host.same.test              FAULT servfail
_dmarc.ext.test             TXT "v=DMARC1; p=reject; rua=mailto:x@reports.example"
ext.test._report._dmarc.reports.example FAULT timeout
_dmarc.extspace.test        TXT "v=DMARC1; p=reject; rua=mailto:x@space.example"
extspace.test._report._dmarc.space.example TXT " v=DMARC1"
"#;

fn resolver() -> MemoryResolver {
    let mut r = MemoryResolver::from_zone_text(ZONE).unwrap();
    r.add("_dmarc.nbsp.test", 300, RData::Txt(vec!["v=DMARC1; p=\u{a0}reject".as_bytes().to_vec()]));
    r.add("_dmarc.nbsprua.test", 300, RData::Txt(vec![b"v=DMARC1; p=reject\r\n; rua=mailto:d@nbsprua.test".to_vec()]));
    r
}

struct Verdict {
    domain: &'static str,
    applied: Option<Policy>,
    found_at: Option<&'static str>,
    /// A finding code that must be there.
    code: &'static str,
    /// Words the finding (or the explanation) must say.
    says: &'static str,
}

#[test]
fn verdicts_on_zones() {
    let rows = [
        // RFC 6376 §3.2 "the entire tag-list is invalid" + §4.10.1 "If a valid DMARC Policy Record is found
        // there": the invalid record gives no policy; nothing valid above it, so no DMARC.
        Verdict { domain: "dup.test", applied: None, found_at: None, code: "dmarc.syntax", says: "invalid as a whole" },
        // §4.10 step 2: "Records that do not start with a "v" tag that identifies the current version of DMARC
        // are discarded."
        Verdict {
            domain: "space.test",
            applied: None,
            found_at: None,
            code: "dmarc.syntax",
            says: "receivers ignore it",
        },
        // §4.10.1: "If a "rua" tag is present and contains at least one syntactically valid reporting URI, the
        // Mail Receiver MUST act as if a record containing "p=none" was retrieved".
        Verdict {
            domain: "badp.test",
            applied: Some(Policy::None),
            found_at: Some("badp.test"),
            code: "dmarc.syntax",
            says: "receivers treat the whole record as p=none",
        },
        Verdict {
            domain: "nbsprua.test",
            applied: Some(Policy::None),
            found_at: Some("nbsprua.test"),
            code: "dmarc.syntax",
            says: "'\\r' at position 19",
        },
        // §4.10.1: "Otherwise, the Mail Receiver applies no DMARC processing to this message."
        Verdict {
            domain: "badpnorua.test",
            applied: None,
            found_at: Some("badpnorua.test"),
            code: "dmarc.syntax",
            says: "receivers apply no DMARC processing",
        },
        Verdict {
            domain: "nbsp.test",
            applied: None,
            found_at: Some("nbsp.test"),
            code: "dmarc.syntax",
            says: "receivers apply no DMARC processing",
        },
        // An invalid URI is not a "syntactically valid reporting URI" either, and is never queried.
        Verdict {
            domain: "badsize.test",
            applied: Some(Policy::Reject),
            found_at: Some("badsize.test"),
            code: "dmarc.invalid-uri",
            says: "is not a size limit",
        },
        // §4.10.1: "the Domain Owner Assessment Policy is taken from the "sp" tag (if any) if the Author Domain
        // exists, or the "np" tag (if any) if the Author Domain does not exist." §3.2.13: "if the response code
        // received for a query for a domain name is NXDOMAIN, then the domain name and any possible subdomains
        // do not exist."
        Verdict {
            domain: "ghost.example.com",
            applied: Some(Policy::Reject),
            found_at: Some("example.com"),
            code: "dmarc.inherited",
            says: "ghost.example.com does not exist",
        },
        Verdict {
            domain: "www.example.com",
            applied: Some(Policy::Quarantine),
            found_at: Some("example.com"),
            code: "dmarc.inherited",
            says: "www.example.com exists",
        },
        // RFC 8020 via §3.2.13: an existing parent (www) does not make an unpublished child exist.
        Verdict {
            domain: "deep.www.example.com",
            applied: Some(Policy::Reject),
            found_at: Some("example.com"),
            code: "dmarc.inherited",
            says: "does not exist",
        },
        // §5.3.6: "If one or more DNS queries required to perform DMARC validation on the message do not
        // complete [...] the Domain Owner Assessment Policy cannot be applied to the message": never the
        // parent's policy.
        Verdict {
            domain: "x.mid.org.test",
            applied: None,
            found_at: None,
            code: "dmarc.lookup-failed",
            says: "Couldn't determine the DMARC policy for x.mid.org.test: the query for _dmarc.mid.org.test",
        },
        // The author domain's own record applies whatever the walk above it says (§4.10.1 "If a valid DMARC
        // Policy Record is found there, then this is the DMARC Policy Record to be applied").
        Verdict {
            domain: "own.org.test",
            applied: Some(Policy::Quarantine),
            found_at: Some("own.org.test"),
            code: "dmarc.ok",
            says: "quarantine",
        },
        // sp and np differ, and the query that tells them apart failed: couldn't determine.
        Verdict {
            domain: "host.flaky.test",
            applied: None,
            found_at: Some("flaky.test"),
            code: "dmarc.lookup-failed",
            says: "Couldn't determine the DMARC policy for host.flaky.test",
        },
        // ...but when sp and np agree, existence does not matter.
        Verdict {
            domain: "host.same.test",
            applied: Some(Policy::Reject),
            found_at: Some("same.test"),
            code: "dmarc.ok",
            says: "reject",
        },
        // RFC 9990 §4 step 5: "If the result of this request is a temporary DNS error of some kind [...]" —
        // the destination has not refused; it could not be asked.
        Verdict {
            domain: "ext.test",
            applied: Some(Policy::Reject),
            found_at: Some("ext.test"),
            code: "dmarc.lookup-failed",
            says: "Couldn't ask whether reports.example accepts reports",
        },
        // RFC 9990 §4 step 6: "the "v=DMARC1" tag is mandatory and MUST appear first in the list. Discard any
        // that do not pass this test."
        Verdict {
            domain: "extspace.test",
            applied: Some(Policy::Reject),
            found_at: Some("extspace.test"),
            code: "dmarc.external-unauthorized",
            says: "has not authorized them",
        },
    ];
    for row in rows {
        let report = block_on(check_dmarc(&resolver(), row.domain));
        let d = row.domain;
        assert_eq!(report.applied_policy, row.applied, "{d}: applied\n{}", report.why);
        assert_eq!(report.found_at.as_deref(), row.found_at, "{d}: found at\n{}", report.why);
        let f = report.findings.iter().find(|f| f.code == row.code && f.message.contains(row.says));
        assert!(
            f.is_some() || (report.why.contains(row.says) && report.findings.iter().any(|f| f.code == row.code)),
            "{d}: no {} saying {:?} in {:#?}\n{}",
            row.code,
            row.says,
            report.findings.iter().map(|f| (f.code.as_str(), &f.message)).collect::<Vec<_>>(),
            report.why
        );
    }
}

#[test]
fn record_findings_are_marked_in_the_record() {
    for (domain, marked) in
        [("badp.test", "block"), ("nbsp.test", "\u{a0}"), ("badsize.test", "!10mb"), ("dup.test", "p=none")]
    {
        let report = block_on(check_dmarc(&resolver(), domain));
        let f = report
            .findings
            .iter()
            .find(|f| matches!(f.code.as_str(), "dmarc.syntax" | "dmarc.invalid-uri"))
            .unwrap_or_else(|| panic!("{domain}"));
        let (_, got, _) = f.marked_subject().unwrap_or_else(|| panic!("{domain}: no span"));
        assert_eq!(got, marked, "{domain}");
        assert!(!f.evidence.is_empty(), "{domain}");
    }
    // The look-alike behind a space is marked too.
    let report = block_on(check_dmarc(&resolver(), "space.test"));
    let f = report.findings.iter().find(|f| f.code == "dmarc.syntax").unwrap();
    assert_eq!(f.marked_subject().map(|(_, m, _)| m), Some(" "));
}

#[test]
fn a_failed_walk_leaves_the_organizational_domain_open() {
    let report = block_on(check_dmarc(&resolver(), "x.mid.org.test"));
    assert_eq!(report.org_domain, None, "{}", report.why);
    assert_eq!(report.policy_source, None);
    assert!(report.why.contains("organizational domain is unknown"), "{}", report.why);
    assert!(report.findings.iter().all(|f| f.code != "dmarc.none"), "a failure is not 'no record'");
    // The own record still applies, but the org domain is not called certain either.
    let report = block_on(check_dmarc(&resolver(), "own.org.test"));
    assert_eq!(report.policy_source, Some(PolicySource::AuthorDomain));
    assert!(report.discovery.org_certain());
    let report = block_on(check_dmarc(&resolver(), "a.own.mid.org.test"));
    assert!(!report.discovery.org_certain());
}

#[test]
fn existence_is_shown_with_its_evidence() {
    let report = block_on(check_dmarc(&resolver(), "ghost.example.com"));
    assert_eq!(report.discovery.existence, Existence::DoesNotExist);
    let f = report.findings.iter().find(|f| f.code == "dmarc.inherited").unwrap();
    assert!(f.evidence.iter().any(|e| e.name == "ghost.example.com"), "{:?}", f.evidence);
    assert!(report.lookups.iter().any(|l| l.name == "ghost.example.com"));
    assert!(report.why.contains("np= policy, since ghost.example.com does not exist"), "{}", report.why);
}

#[test]
fn the_existence_question_rides_with_the_first_round() {
    use maildoctor_core::dns::stepped::{run_in_rounds, SteppedResolver};
    use std::rc::Rc;
    // ghost.example.com: (_dmarc.ghost.example.com, _dmarc.example.com, ghost.example.com MX), then (_dmarc.com).
    let r = Rc::new(SteppedResolver::new(resolver()));
    let (report, rounds) = run_in_rounds(r.clone(), |r| async move { check_dmarc(&r, "ghost.example.com").await });
    assert_eq!(report.unwrap().applied_policy, Some(Policy::Reject));
    assert_eq!(rounds.len(), 2, "{rounds:?}");
}
