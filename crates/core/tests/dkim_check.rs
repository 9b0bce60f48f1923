//! `check_dkim` over in-memory zones: one case per situation of the issue.

use futures::executor::block_on;
use maildoctor_core::dkim::{check_dkim, selectors_to_probe, DkimReport, KeyAlgorithm, SelectorSource, SelectorState};
use maildoctor_core::dns::{Lookup, MemoryResolver, Outcome, RData, Record, RecordType, Resolver};
use maildoctor_core::finding::{Check, Severity};

const SPKI_512: &str = include_str!("data/dkim/spki512.b64");
const SPKI_1024: &str = include_str!("data/dkim/spki1024.b64");
const SPKI_2048: &str = include_str!("data/dkim/spki2048.b64");
const PKCS1_2048: &str = include_str!("data/dkim/pkcs1_2048.b64");
const ED_RAW: &str = include_str!("data/dkim/ed_raw.b64");

/// A TXT line with the record split into 255-octet strings, as published.
fn txt(name: &str, record: &str) -> String {
    let strings: Vec<String> =
        record.as_bytes().chunks(255).map(|c| format!("\"{}\"", String::from_utf8_lossy(c))).collect();
    format!("{name} TXT {}\n", strings.join(" "))
}

fn zone() -> String {
    let mut z = String::new();
    let key = |k: &str| format!("v=DKIM1; k=rsa; p={k}");
    z += &txt("google._domainkey.google.test", &key(SPKI_2048));
    z += &txt("sel2024._domainkey.given.test", &key(PKCS1_2048));
    z += "selector1._domainkey.m365.test CNAME selector1-m365-test._domainkey.contoso.onmicrosoft.com\n";
    z += &txt("selector1-m365-test._domainkey.contoso.onmicrosoft.com", &key(SPKI_2048));
    z += "selector2._domainkey.m365.test CNAME selector2-m365-test._domainkey.contoso.onmicrosoft.com\n";
    z += "contoso.onmicrosoft.com A 81.2.69.160\n";
    z += "selector2-m365-test._domainkey.contoso.onmicrosoft.com A 81.2.69.160\n";
    z += &txt("s1._domainkey.revoked.test", "v=DKIM1; p=");
    z += &txt("s2._domainkey.revoked.test", &key(SPKI_2048));
    z += &txt("k1._domainkey.testing.test", &format!("v=DKIM1; t=y; p={SPKI_2048}"));
    z += &txt("default._domainkey.weak.test", &key(SPKI_512));
    z += &txt("mail._domainkey.weak.test", &key(SPKI_1024));
    z += &txt("google._domainkey.wild.test", &key(SPKI_2048));
    z += &txt("google._domainkey.fail.test", &key(SPKI_2048));
    z += "s2._domainkey.fail.test FAULT servfail\n";
    z += "none.test MX 10 mx.none.test\n";
    z += &txt("google._domainkey.twice.test", &key(SPKI_2048));
    z += &txt("google._domainkey.twice.test", &key(SPKI_1024));
    z += &txt("fm1._domainkey.sha1.test", &format!("v=DKIM1; h=sha1; p={SPKI_2048}"));
    z += &txt("protonmail._domainkey.ed.test", &format!("v=DKIM1; k=ed25519; p={ED_RAW}"));
    z += &txt("zoho._domainkey.badkey.test", &key(&SPKI_2048[..200]));
    z += &txt("dkim._domainkey.badrecord.test", "v=DKIM1; p=MIIB*IjAN");
    z += &txt("s1._domainkey.notemail.test", &format!("v=DKIM1; s=tlsrpt; p={SPKI_2048}"));
    z
}

/// Answers every name under `_domainkey.wild.test` that has no record of its
/// own with one wildcard TXT (MemoryResolver has no wildcards), as
/// `*._domainkey.wild.test TXT "v=DKIM1; p=…"` would.
struct Wildcard(MemoryResolver);

impl Resolver for Wildcard {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let l = self.0.lookup(name, rtype).await;
        if l.outcome == Outcome::NxDomain && name.ends_with("._domainkey.wild.test") && rtype == RecordType::Txt {
            let data = RData::Txt(vec![format!("v=DKIM1; p={SPKI_1024}").into_bytes()]);
            let record = Record { name: name.to_string(), ttl: 300, data };
            return Lookup::new(name, rtype, Outcome::Records(vec![record]));
        }
        l
    }
}

fn run(domain: &str, given: &[&str]) -> DkimReport {
    let resolver = Wildcard(MemoryResolver::from_zone_text(&zone()).unwrap());
    let given: Vec<String> = given.iter().map(|s| s.to_string()).collect();
    block_on(check_dkim(&resolver, domain, &given))
}

fn codes(report: &DkimReport) -> Vec<(&'static str, Severity)> {
    report.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect()
}

fn sel<'a>(report: &'a DkimReport, selector: &str) -> &'a maildoctor_core::dkim::SelectorResult {
    report.selectors.iter().find(|s| s.selector == selector).unwrap()
}

#[test]
fn found_via_a_provider_selector() {
    let r = run("google.test", &[]);
    let g = sel(&r, "google");
    assert_eq!(g.state, SelectorState::Found);
    assert_eq!(g.source, SelectorSource::Provider("Google Workspace"));
    assert_eq!(g.key_info.map(|k| (k.algorithm, k.bits)), Some((KeyAlgorithm::Rsa, 2048)));
    assert_eq!(codes(&r), [("dkim.key-ok", Severity::Ok)]);
    assert!(r.findings.iter().all(|f| f.check() == Check::Dkim && !f.evidence.is_empty()));
    // A good key is not marked as something to fix.
    assert_eq!(r.findings[0].marked_subject(), None);
    // The joined record (two TXT strings) is what the report shows.
    assert!(g.records[0].ends_with(SPKI_2048));
}

#[test]
fn found_via_a_given_selector() {
    let r = run("given.test", &["SEL2024._domainkey.given.test."]);
    let s = &r.selectors[0];
    assert_eq!((s.selector.as_str(), s.source, &s.state), ("sel2024", SelectorSource::Given, &SelectorState::Found));
    assert_eq!(s.key_info.map(|k| k.bits), Some(2048));
    assert_eq!(codes(&r), [("dkim.key-ok", Severity::Ok)]);
}

#[test]
fn found_via_cname_and_shown() {
    let r = run("m365.test", &[]);
    let s = sel(&r, "selector1");
    assert_eq!(s.state, SelectorState::Found);
    assert_eq!(s.cname_chain, ["selector1-m365-test._domainkey.contoso.onmicrosoft.com"]);
    assert_eq!(s.provider, Some("Microsoft 365"));
    // selector2's CNAME leads to a name without TXT: a half-finished setup.
    let s2 = sel(&r, "selector2");
    assert_eq!(s2.state, SelectorState::NotFound);
    assert_eq!(codes(&r), [("dkim.key-ok", Severity::Ok), ("dkim.cname-no-key", Severity::Warning)]);
}

#[test]
fn revoked_testing_weak() {
    let r = run("revoked.test", &[]);
    assert_eq!(codes(&r), [("dkim.revoked", Severity::Warning), ("dkim.key-ok", Severity::Ok)]);
    let f = &r.findings[0];
    assert_eq!(f.marked_subject().map(|(_, m, _)| m), Some(""));

    let r = run("testing.test", &[]);
    assert_eq!(codes(&r), [("dkim.testing", Severity::Warning), ("dkim.key-ok", Severity::Ok)]);
    assert_eq!(r.findings[0].marked_subject().map(|(_, m, _)| m), Some("y"));

    let r = run("weak.test", &[]);
    assert_eq!(codes(&r), [("dkim.key-too-short", Severity::Error), ("dkim.key-1024", Severity::Warning)]);
    assert!(r.findings[0].message.contains("512-bit"), "{}", r.findings[0].message);
    // The key to replace is marked in the record.
    assert!(
        r.findings[0].marked_subject().is_some_and(|(_, m, _)| m.starts_with("MFwwDQYJ")),
        "{:?}",
        r.findings[0].span
    );
}

#[test]
fn a_wildcard_is_detected_and_not_a_key() {
    let r = run("wild.test", &[]);
    assert!(r.wildcard);
    assert_eq!(sel(&r, "google").state, SelectorState::Found, "an explicit record beats the wildcard");
    assert_eq!(sel(&r, "s1").state, SelectorState::Wildcard);
    assert_eq!(r.found().count(), 1);
    assert_eq!(codes(&r), [("dkim.key-ok", Severity::Ok), ("dkim.wildcard", Severity::Warning)]);
    assert!(r.findings[1].message.contains(&r.wildcard_probe));
    // Only the wildcard: nothing found.
    let r = run("nokey.wild.test", &[]);
    assert_eq!(r.found().count(), 0);
    assert!(codes(&r).contains(&("dkim.no-key-found", Severity::Warning)));
}

#[test]
fn servfail_on_one_selector_is_couldnt_ask_for_that_one_only() {
    let r = run("fail.test", &[]);
    assert_eq!(sel(&r, "google").state, SelectorState::Found);
    assert!(matches!(sel(&r, "s2").state, SelectorState::CouldNotAsk(ref why) if why.contains("SERVFAIL")));
    let failed = r.selectors.iter().filter(|s| matches!(s.state, SelectorState::CouldNotAsk(_))).count();
    assert_eq!(failed, 1);
    assert_eq!(codes(&r), [("dkim.key-ok", Severity::Ok), ("dkim.lookup-failed", Severity::Warning)]);
    assert!(r.findings[1].message.contains("(s2)"));
    assert_eq!(r.findings[1].evidence.len(), 1);
}

#[test]
fn nothing_found_is_said_honestly() {
    let r = run("none.test", &[]);
    assert_eq!(codes(&r), [("dkim.no-key-found", Severity::Warning)]);
    let f = &r.findings[0];
    let n = selectors_to_probe(&[]).len();
    assert!(f.message.contains(&format!("among the {n} selectors probed")), "{}", f.message);
    assert!(f.message.contains("google, selector1"), "{}", f.message);
    assert!(f.hint.as_deref().unwrap_or("").contains("Amazon SES"));
}

#[test]
fn record_problems() {
    let cases: &[(&str, &[(&str, Severity)])] = &[
        ("twice.test", &[("dkim.ambiguous", Severity::Error), ("dkim.key-ok", Severity::Ok)]),
        ("sha1.test", &[("dkim.sha1-only", Severity::Error), ("dkim.key-ok", Severity::Ok)]),
        ("ed.test", &[("dkim.key-ok", Severity::Ok), ("dkim.ed25519-only", Severity::Warning)]),
        ("badkey.test", &[("dkim.bad-key", Severity::Error)]),
        ("badrecord.test", &[("dkim.bad-record", Severity::Error)]),
        ("notemail.test", &[("dkim.not-for-email", Severity::Error), ("dkim.key-ok", Severity::Ok)]),
    ];
    for (domain, expected) in cases {
        let r = run(domain, &[]);
        assert_eq!(codes(&r), *expected, "{domain}: {:#?}", r.findings);
    }
    let r = run("badrecord.test", &[]);
    assert_eq!(r.findings[0].marked_subject().map(|(_, m, _)| m), Some("*"));
}

#[test]
fn bad_given_selectors_are_reported_not_probed() {
    let r = run("google.test", &["bad selector", "", "ok-1"]);
    let bad: Vec<_> = r.findings.iter().filter(|f| f.code == "dkim.bad-selector").collect();
    assert_eq!(bad.len(), 2);
    assert_eq!(r.probed[0], "ok-1");
}

#[test]
fn every_selector_goes_out_in_one_round() {
    use maildoctor_core::dns::stepped::{run_in_rounds, SteppedResolver};
    use std::rc::Rc;
    let r = Rc::new(SteppedResolver::new(MemoryResolver::from_zone_text(&zone()).unwrap()));
    let (report, rounds) =
        run_in_rounds(r.clone(), |r| async move { check_dkim(&r, "google.test", &["extra".to_string()]).await });
    let report = report.unwrap();
    assert_eq!(rounds.len(), 1);
    assert_eq!(rounds[0].len(), report.probed.len() + 1, "every selector and the wildcard probe");
    assert_eq!(report.lookups.len(), rounds[0].len());
    assert!(rounds[0].len() <= 30, "{} queries", rounds[0].len());
}
