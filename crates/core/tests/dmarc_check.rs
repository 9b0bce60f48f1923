//! The DMARC check's findings on small zones: policy advice, record
//! problems, failures, report authorization, bad input.

use futures::executor::block_on;
use maildoctor_core::dmarc::{check_dmarc, Policy, PolicySource};
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::finding::Severity;

const ZONE: &str = r#"
_dmarc.good.test        TXT "v=DMARC1; p=reject; rua=mailto:dmarc@good.test"
sub.good.test           A   81.2.69.171
_dmarc.monitor.test     TXT "v=DMARC1; p=none"
_dmarc.monitorrua.test  TXT "v=DMARC1; p=none; rua=mailto:d@monitorrua.test"
_dmarc.quar.test        TXT "v=DMARC1; p=quarantine; sp=none; rua=mailto:d@quar.test"
_dmarc.nop.test         TXT "v=DMARC1; adkim=s"
_dmarc.noprua.test      TXT "v=DMARC1; rua=mailto:d@noprua.test"
_dmarc.legacy.test      TXT "v=DMARC1; p=reject; pct=50; rua=mailto:d@legacy.test"
_dmarc.badrua.test      TXT "v=DMARC1; p=reject; rua=dmarc@badrua.test"
_dmarc.case.test        TXT "v=dmarc1; p=reject"
_dmarc.mention.test     TXT "our DMARC policy: v=DMARC1; p=reject"
_dmarc.mention.test     TXT "google-site-verification=abc"
_dmarc.split.test       TXT "v=DMARC1; p=rej" "ect; rua=mailto:d@split.test"
_dmarc.fail.test        FAULT servfail
_dmarc.testing.test     TXT "v=DMARC1; p=reject; t=y; rua=mailto:d@testing.test"
_dmarc.ext.test         TXT "v=DMARC1; p=reject; rua=mailto:x@reports.example"
ext.test._report._dmarc.reports.example TXT "v=DMARC1"
_dmarc.extno.test       TXT "v=DMARC1; p=reject; rua=mailto:x@reports.example"
_dmarc.extfail.test     TXT "v=DMARC1; p=reject; rua=mailto:x@broken.example"
extfail.test._report._dmarc.broken.example FAULT timeout
_dmarc.wild.test        TXT "v=DMARC1; p=reject; rua=mailto:x@reportsvc.example"
*._report._dmarc.reportsvc.example TXT "v=DMARC1"
_dmarc.wildno.test      TXT "v=DMARC1; p=reject; rua=mailto:x@blocked.example"
*._report._dmarc.blocked.example TXT "v=DMARC1"
wildno.test._report._dmarc.blocked.example TXT "not a dmarc record"
_dmarc.badsp.test       TXT "v=DMARC1; p=reject; sp=bogus; rua=mailto:d@badsp.test"
_dmarc.badspnorua.test  TXT "v=DMARC1; p=reject; np=never"
_dmarc.two.test         TXT "v=DMARC1; p=reject"
_dmarc.two.test         TXT "v=DMARC1; p=none"
"#;

fn resolver() -> MemoryResolver {
    MemoryResolver::from_zone_text(ZONE).unwrap()
}

#[test]
fn findings_per_situation() {
    use Severity::*;
    let cases: Vec<(&str, Vec<(&str, Severity)>)> = vec![
        ("good.test", vec![("dmarc.ok", Ok)]),
        // RFC 9989 §4.10.1: a subdomain inherits the organizational domain's record.
        ("sub.good.test", vec![("dmarc.inherited", Info), ("dmarc.ok", Ok)]),
        // p=none without rua is "monitoring nothing".
        ("monitor.test", vec![("dmarc.no-rua", Warning), ("dmarc.p-none", Warning)]),
        ("monitorrua.test", vec![("dmarc.p-none", Warning)]),
        // §4.7 sp / np advice.
        ("quar.test", vec![("dmarc.np-missing", Info), ("dmarc.ok", Ok), ("dmarc.sp-weaker", Info)]),
        // §4.10.1: no p and no rua → no DMARC processing at all; with rua → treated as p=none.
        ("nop.test", vec![("dmarc.missing-p", Error)]),
        ("noprua.test", vec![("dmarc.missing-p", Warning), ("dmarc.p-none", Warning)]),
        // Appendix C.5.2: pct is gone.
        ("legacy.test", vec![("dmarc.legacy-tag", Warning), ("dmarc.ok", Ok)]),
        // §4.10.1: an invalid sp or np makes the whole record p=none (with rua) or void (without).
        ("badsp.test", vec![("dmarc.p-none", Warning), ("dmarc.syntax", Error)]),
        ("badspnorua.test", vec![("dmarc.syntax", Error)]),
        ("badrua.test", vec![("dmarc.no-rua", Info), ("dmarc.ok", Ok), ("dmarc.rua-not-mailto", Error)]),
        // §4.8: version is case-sensitive; the look-alike is ignored, so there is no record.
        ("case.test", vec![("dmarc.none", Warning), ("dmarc.syntax", Error)]),
        // §4.10 step 2: TXT that only mentions DMARC is not a DMARC record.
        ("mention.test", vec![("dmarc.none", Warning)]),
        // Character-strings are joined before parsing.
        ("split.test", vec![("dmarc.ok", Ok)]),
        // SERVFAIL is "could not ask", never "no record".
        ("fail.test", vec![("dmarc.lookup-failed", Warning)]),
        ("testing.test", vec![("dmarc.testing", Info)]),
        ("ext.test", vec![("dmarc.external-authorized", Ok), ("dmarc.ok", Ok)]),
        ("extno.test", vec![("dmarc.external-unauthorized", Warning), ("dmarc.ok", Ok)]),
        ("extfail.test", vec![("dmarc.lookup-failed", Warning), ("dmarc.ok", Ok)]),
        // RFC 9990 §4: report services publish the authorization as a wildcard
        // (RFC 4592), which authorizes every domain without a name of its own there.
        ("wild.test", vec![("dmarc.external-authorized", Ok), ("dmarc.ok", Ok)]),
        ("wildno.test", vec![("dmarc.external-unauthorized", Warning), ("dmarc.ok", Ok)]),
        // §4.10 step 2: several records at one name → none applies.
        ("two.test", vec![("dmarc.multiple", Error), ("dmarc.none", Warning)]),
        ("nothing.test", vec![("dmarc.none", Warning)]),
        // Bad input: a public suffix is checked, with a clear warning.
        ("co.uk", vec![("dmarc.none", Warning), ("dmarc.public-suffix", Warning)]),
    ];
    for (domain, want) in cases {
        let report = block_on(check_dmarc(&resolver(), domain));
        let mut got: Vec<(&str, Severity)> = report.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect();
        got.sort();
        let mut want = want;
        want.sort();
        assert_eq!(got, want, "{domain}\n{}", report.why);
        for f in &report.findings {
            assert!(!f.message.is_empty());
            if f.severity > Severity::Info && f.code != "dmarc.public-suffix" {
                assert!(!f.evidence.is_empty(), "{domain}: {} has no evidence", f.code);
            }
        }
    }
}

#[test]
fn report_fields() {
    let r = resolver();
    let report = block_on(check_dmarc(&r, "Sub.Good.Test."));
    assert_eq!(report.domain, "sub.good.test");
    assert_eq!(report.found_at.as_deref(), Some("good.test"));
    assert_eq!(report.org_domain.as_deref(), Some("good.test"));
    assert_eq!(report.policy_source, Some(PolicySource::OrganizationalDomain));
    assert_eq!(report.applied_policy, Some(Policy::Reject));
    assert_eq!(report.record_text.as_deref(), Some("v=DMARC1; p=reject; rua=mailto:dmarc@good.test"));
    assert_eq!(report.record.as_ref().and_then(|r| r.p), Some(Policy::Reject));
    let names: Vec<&str> = report.lookups.iter().map(|l| l.name.as_str()).collect();
    // The walk, then the MX question that shows sub.good.test exists, so sp (not np) applies (RFC 9989 §4.10.1).
    assert_eq!(names, ["_dmarc.sub.good.test", "_dmarc.good.test", "_dmarc.test", "sub.good.test"]);
    assert!(report.why.contains("organizational domain"), "{}", report.why);

    let badsp = block_on(check_dmarc(&r, "badsp.test"));
    assert_eq!(badsp.applied_policy, Some(Policy::None));
    let f = badsp.findings.iter().find(|f| f.code == "dmarc.syntax").unwrap();
    assert!(f.message.contains("whole record as p=none"), "{}", f.message);
    assert_eq!(block_on(check_dmarc(&r, "badspnorua.test")).applied_policy, None);

    let none = block_on(check_dmarc(&r, "nothing.test"));
    assert!(none.record.is_none() && none.found_at.is_none() && none.applied_policy.is_none());
    assert!(none.why.contains("No DMARC record applies"), "{}", none.why);

    let failed = block_on(check_dmarc(&r, "fail.test"));
    assert!(failed.why.contains("failed"), "{}", failed.why);
    assert!(failed.findings[0].message.contains("SERVFAIL"));
}

#[test]
fn record_findings_point_into_the_record() {
    let report = block_on(check_dmarc(&resolver(), "legacy.test"));
    let text = report.record_text.clone().unwrap();
    let f = report.findings.iter().find(|f| f.code == "dmarc.legacy-tag").unwrap();
    assert_eq!(&text[f.span.clone().unwrap()], "pct=50");
    assert_eq!(f.rfc.map(|r| r.rfc), Some(9989));
}

#[test]
fn lookalike_and_multiple_findings_show_the_records() {
    let report = block_on(check_dmarc(&resolver(), "two.test"));
    let f = report.findings.iter().find(|f| f.code == "dmarc.multiple").unwrap();
    assert_eq!(f.evidence[0].records.len(), 2);
    assert!(report.why.contains("more than one"), "{}", report.why);
    let report = block_on(check_dmarc(&resolver(), "case.test"));
    let f = report.findings.iter().find(|f| f.code == "dmarc.syntax").unwrap();
    assert!(f.message.contains("v=dmarc1"), "{}", f.message);
}

#[test]
fn the_walk_asks_two_names_per_round_trip() {
    use maildoctor_core::dns::stepped::{run_in_rounds, SteppedResolver};
    use std::rc::Rc;
    // sub.good.test → (sub.good.test, good.test), then (test): 2 rounds for 3 names.
    let r = Rc::new(SteppedResolver::new(resolver()));
    let (report, rounds) = run_in_rounds(r.clone(), |r| async move { check_dmarc(&r, "sub.good.test").await });
    assert_eq!(report.unwrap().found_at.as_deref(), Some("good.test"));
    assert_eq!(rounds.len(), 2);
    // External authorization comes one round after the walk: good.test has no external rua.
    let r = Rc::new(SteppedResolver::new(resolver()));
    let (report, rounds) = run_in_rounds(r.clone(), |r| async move { check_dmarc(&r, "ext.test").await });
    assert_eq!(report.unwrap().external.len(), 1);
    assert_eq!(rounds.len(), 2);
}

mod hostile_answers {
    use super::*;
    use maildoctor_core::dns::RData;
    use maildoctor_core::mx::check_mx;
    use maildoctor_core::ptr::{check_ptr, PtrRole, PtrTarget};
    use proptest::prelude::*;

    proptest! {
        /// Whatever the TXT records hold, the DMARC check reports, never panics.
        #[test]
        fn dmarc_check_survives_any_txt(
            strings in proptest::collection::vec(proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..3), 0..3),
            prefix in prop_oneof![Just(""), Just("v=DMARC1;"), Just("v=DMARC1; p=reject; rua=")],
            domain in "[a-z]{1,5}(\\.[a-z]{1,5}){0,9}",
        ) {
            let mut r = MemoryResolver::new();
            for mut s in strings {
                if let Some(first) = s.first_mut() {
                    first.splice(0..0, prefix.bytes());
                }
                r.add(&format!("_dmarc.{domain}"), 300, RData::Txt(s));
            }
            let report = block_on(check_dmarc(&r, &domain));
            prop_assert!(report.lookups.len() <= 8 + report.external.len());
        }

        /// Arbitrary MX exchanges and PTR names do not break the MX and PTR checks.
        #[test]
        fn mx_and_ptr_survive_any_names(exchange in "\\PC{0,30}", ptr in "\\PC{0,30}") {
            let mut r = MemoryResolver::new();
            r.add("x.test", 300, RData::Mx { preference: 5, exchange: exchange.clone() });
            r.add(&exchange, 300, RData::A("81.2.69.172".parse().unwrap()));
            r.add("172.69.2.81.in-addr.arpa", 300, RData::Ptr(ptr.clone()));
            r.add(&ptr, 300, RData::A("81.2.69.172".parse().unwrap()));
            let _ = block_on(check_mx(&r, "x.test"));
            let t = PtrTarget { ip: "81.2.69.172".parse().unwrap(), role: PtrRole::Sender };
            let report = block_on(check_ptr(&r, &[t]));
            prop_assert_eq!(report.results.len(), 1);
        }
    }
}
