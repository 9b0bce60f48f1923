//! DMARC generator: fixes over realistic zones, the staged-rollout builder,
//! and the proof — every generated record parses with our parser without a
//! single problem and checks clean when published into the zone.

use futures::executor::block_on;
use maildoctor_core::dmarc::record::parse_dmarc;
use maildoctor_core::dmarc::{check_dmarc, Alignment, DmarcRecord, FailureOption, Policy};
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::finding::Severity;
use maildoctor_core::generate::dmarc::{fix_dmarc, mailto, preview_dmarc, rollout, DmarcBuilder, DmarcFixInput, Stage};
use maildoctor_core::input::NativeIdna;
use proptest::prelude::*;

fn prove(r: &MemoryResolver, domain: &str, text: &str, policy: Policy) {
    let problems = parse_dmarc(text).problems;
    assert!(problems.is_empty(), "{text}: {problems:?}");
    let parsed: DmarcRecord = text.parse().unwrap_or_else(|e| panic!("{text}: {e:?}"));
    assert_eq!(parsed.to_string(), text, "Display round trip");
    let report = block_on(preview_dmarc(r, domain, text));
    let errors: Vec<_> = report.findings.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{text}: {errors:?}");
    assert_eq!(report.applied_policy, Some(policy), "{text}");
    assert_eq!(report.found_at.as_deref(), Some(domain), "{text}");
}

struct FixCase {
    name: &'static str,
    zone: &'static str,
    domain: &'static str,
    rua: Option<&'static str>,
    want: &'static str,
    changes: &'static [&'static str],
    warnings: &'static [&'static str],
}

const FIX_CASES: &[FixCase] = &[
    FixCase {
        name: "no record",
        zone: "example.com MX 10 mx.example.com",
        domain: "example.com",
        rua: None,
        want: "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com",
        changes: &["Created a DMARC record", "Added rua=mailto:dmarc-reports@example.com"],
        warnings: &["Create the mailbox dmarc-reports@example.com", "p=none only monitors"],
    },
    FixCase {
        name: "legacy pct/rf/ri (RFC 9989): partial pct becomes t=y",
        zone: "_dmarc.example.com TXT \"v=DMARC1; p=quarantine; pct=25; rf=afrf; ri=86400; rua=mailto:d@example.com\"",
        domain: "example.com",
        rua: None,
        want: "v=DMARC1; p=quarantine; t=y; rua=mailto:d@example.com",
        changes: &["Replaced pct=25 by t=y", "Removed rf=afrf", "Removed ri=86400"],
        warnings: &[],
    },
    FixCase {
        name: "lower-case version",
        zone: "_dmarc.example.com TXT \"v=dmarc1; p=reject; rua=mailto:d@example.com\"",
        domain: "example.com",
        rua: None,
        want: "v=DMARC1; p=reject; rua=mailto:d@example.com",
        changes: &["Wrote \"v=dmarc1\" as \"v=DMARC1\""],
        warnings: &[],
    },
    FixCase {
        name: "rua without mailto:, given rua kept",
        zone: "_dmarc.example.com TXT \"v=DMARC1; p=none; rua=dmarc@example.com\"",
        domain: "example.com",
        rua: Some("other@example.com"),
        want: "v=DMARC1; p=none; rua=mailto:dmarc@example.com",
        changes: &["Wrote rua address as mailto:dmarc@example.com"],
        warnings: &["p=none only monitors"],
    },
    FixCase {
        name: "two records merged, report addresses gathered",
        zone: "_dmarc.example.com TXT \"v=DMARC1; p=quarantine; rua=mailto:a@example.com\"\n_dmarc.example.com TXT \"v=DMARC1; p=none; rua=mailto:b@example.com\"",
        domain: "example.com",
        rua: None,
        want: "v=DMARC1; p=quarantine; rua=mailto:a@example.com,mailto:b@example.com",
        changes: &["Merged 2 DMARC records"],
        warnings: &[],
    },
    FixCase {
        name: "missing p, unknown tag, non-mailto rua, obsolete size limit",
        zone: "_dmarc.example.com TXT \"v=DMARC1; rua=https://reports.example.com/in,mailto:d@example.com!10m; foo=bar\"",
        domain: "example.com",
        rua: None,
        want: "v=DMARC1; p=none; rua=mailto:d@example.com",
        changes: &["Added p=none", "Removed unknown tag foo=bar", "Removed non-mailto rua", "Removed the size limit"],
        warnings: &[],
    },
    FixCase {
        name: "reports to another domain need its consent",
        zone: "_dmarc.example.com TXT \"v=DMARC1; p=reject; rua=mailto:x@reports.example.net\"",
        domain: "example.com",
        rua: None,
        want: "v=DMARC1; p=reject; rua=mailto:x@reports.example.net",
        changes: &[],
        warnings: &["example.com._report._dmarc.reports.example.net"],
    },
    FixCase {
        name: "subdomain inheriting the organizational domain's record",
        zone: "_dmarc.example.com TXT \"v=DMARC1; p=reject; rua=mailto:d@example.com\"\nshop.example.com MX 10 mx.example.com",
        domain: "shop.example.com",
        rua: None,
        want: "v=DMARC1; p=reject; rua=mailto:d@example.com",
        changes: &["Started from the record of example.com"],
        warnings: &[],
    },
];

#[test]
fn fixes_over_realistic_zones() {
    for case in FIX_CASES {
        let r = MemoryResolver::from_zone_text(case.zone).unwrap();
        let report = block_on(check_dmarc(&r, case.domain));
        let fix = fix_dmarc(&DmarcFixInput {
            domain: case.domain,
            report: &report,
            rua: case.rua,
            idna: &NativeIdna,
            takes_mail: true,
        });
        assert_eq!(fix.text, case.want, "{}: {:#?}", case.name, fix.changes);
        for want in case.changes {
            assert!(
                fix.changes.iter().any(|c| c.what.contains(want)),
                "{}: no change {want:?} in {:#?}",
                case.name,
                fix.changes
            );
        }
        for want in case.warnings {
            assert!(
                fix.warnings.iter().any(|w| w.contains(want)),
                "{}: no warning {want:?} in {:#?}",
                case.name,
                fix.warnings
            );
        }
        assert_eq!(fix.registrar.host_short, "_dmarc");
        assert_eq!(fix.registrar.host_fqdn, format!("_dmarc.{}.", case.domain));
        prove(&r, case.domain, &fix.text, fix.record.p.unwrap());
    }
}

#[test]
fn staged_rollout() {
    let r = MemoryResolver::from_zone_text("example.com MX 10 mx.example.com").unwrap();
    let steps = rollout("example.com", "dmarc@example.com", &NativeIdna);
    let texts: Vec<&str> = steps.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(
        texts,
        vec![
            "v=DMARC1; p=none; rua=mailto:dmarc@example.com",
            "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com",
            "v=DMARC1; p=reject; rua=mailto:dmarc@example.com",
        ]
    );
    assert_eq!(
        steps.iter().map(|s| s.stage).collect::<Vec<_>>(),
        vec![Stage::Monitor, Stage::Quarantine, Stage::Reject]
    );
    for (step, policy) in steps.iter().zip([Policy::None, Policy::Quarantine, Policy::Reject]) {
        assert!(!step.when.is_empty());
        assert_eq!(step.registrar.zone_line, format!("_dmarc.example.com. 3600 IN TXT \"{}\"", step.text));
        prove(&r, "example.com", &step.text, policy);
    }
}

#[test]
fn builder_choices() {
    let b = DmarcBuilder::new(Policy::Reject)
        .sp(Policy::Quarantine)
        .np(Policy::Reject)
        .adkim(Alignment::Strict)
        .rua("mailto:agg@example.com")
        .rua("agg@example.com")
        .ruf("forensic@example.com")
        .fo(vec![FailureOption::AnyFail, FailureOption::Dkim, FailureOption::AnyFail])
        .testing(true)
        .build("Example.com.", &NativeIdna);
    let parsed: DmarcRecord = b.text.parse().unwrap();
    assert_eq!(parsed, b.record);
    assert_eq!(parsed.p, Some(Policy::Reject));
    assert_eq!(parsed.sp, Some(Policy::Quarantine));
    assert_eq!(parsed.np, Some(Policy::Reject));
    assert_eq!(parsed.adkim, Some(Alignment::Strict));
    assert_eq!(parsed.aspf, None, "relaxed is the default and left out");
    assert_eq!(parsed.rua.len(), 1, "duplicates merged");
    assert_eq!(parsed.fo, vec![FailureOption::AnyFail, FailureOption::Dkim]);
    assert_eq!(parsed.t, Some(true));
    assert!(b.notes.iter().any(|n| n.contains("Strict alignment")));
    assert!(b.notes.iter().any(|n| n.contains("failure reports")));
    // sp equal to p is redundant and left out; bad addresses are reported.
    let plain = DmarcBuilder::new(Policy::None)
        .sp(Policy::None)
        .rua("not an address")
        .rua("a,b@example.com")
        .build("example.com", &NativeIdna);
    assert_eq!(plain.text, "v=DMARC1; p=none");
    assert_eq!(plain.notes.iter().filter(|n| n.contains("left out")).count(), 2);
    assert!(plain.notes.iter().any(|n| n.contains("Without rua")));
}

#[test]
fn mailto_addresses() {
    assert_eq!(mailto("MAILTO:Dmarc@Example.COM", &NativeIdna).map(|u| u.uri), Some("mailto:Dmarc@example.com".into()));
    for bad in
        ["", "@example.com", "a@", "a@b", "a;b@example.com", "a!b@example.com", "a@exa mple.com", ".a@example.com"]
    {
        assert_eq!(mailto(bad, &NativeIdna), None, "{bad:?}");
    }
}

fn policy() -> impl Strategy<Value = Policy> {
    prop::sample::select(vec![Policy::None, Policy::Quarantine, Policy::Reject])
}

fn alignment() -> impl Strategy<Value = Alignment> {
    prop::sample::select(vec![Alignment::Relaxed, Alignment::Strict])
}

prop_compose! {
    fn builder()(
        p in policy(), sp in prop::option::of(policy()), np in prop::option::of(policy()),
        adkim in alignment(), aspf in alignment(),
        rua in prop::collection::vec("(mailto:)?[a-z0-9._+-]{1,12}@[a-z]{1,10}\\.(com|net|org|example)", 0..3),
        ruf in prop::collection::vec("[a-zA-Z0-9!;,@. ]{0,20}", 0..2),
        fo in prop::collection::vec(prop::sample::select(vec![FailureOption::AllFail, FailureOption::AnyFail, FailureOption::Dkim, FailureOption::Spf]), 0..4),
        testing in any::<bool>(),
    ) -> DmarcBuilder {
        let mut b = DmarcBuilder::new(p).adkim(adkim).aspf(aspf).fo(fo).testing(testing);
        if let Some(sp) = sp { b = b.sp(sp); }
        if let Some(np) = np { b = b.np(np); }
        for a in rua { b = b.rua(&a); }
        for a in ruf { b = b.ruf(&a); }
        b
    }
}

proptest! {
    // The proof over the builder's inputs: what it builds parses without a single problem and prints back the same.
    #[test]
    fn every_built_record_parses_clean(b in builder()) {
        let build = b.build("example.com", &NativeIdna);
        let problems = parse_dmarc(&build.text).problems;
        prop_assert!(problems.is_empty(), "{}: {:?}", build.text, problems);
        let parsed: DmarcRecord = build.text.parse().map_err(|e| TestCaseError::fail(format!("{}: {e:?}", build.text)))?;
        prop_assert_eq!(&parsed, &build.record);
        prop_assert_eq!(parsed.to_string(), build.text.clone());
        prop_assert_eq!(parsed.policy(), Some(b.policy));
    }

    // fix_dmarc never panics and always yields a clean record, whatever text is published.
    #[test]
    fn any_published_text_fixes_to_a_clean_record(text in "[ -~]{0,80}") {
        let zone = format!("_dmarc.example.com TXT \"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
        let r = MemoryResolver::from_zone_text(&zone).unwrap();
        let report = block_on(check_dmarc(&r, "example.com"));
        let fix = fix_dmarc(&DmarcFixInput { domain: "example.com", report: &report, rua: None, idna: &NativeIdna, takes_mail: true });
        let problems = parse_dmarc(&fix.text).problems;
        prop_assert!(problems.is_empty(), "{:?} → {}: {:?}", text, fix.text, problems);
    }
}

/// Issue 15 §3: no report mailbox is suggested at a domain that takes no
/// mail (null MX, RFC 7505), and external destinations cite RFC 9990 (rua)
/// and RFC 9991 (ruf), not RFC 7489 §7.1.
#[test]
fn rua_advice_never_points_at_a_domain_without_mail() {
    let r = MemoryResolver::from_zone_text("parked.example MX 0 .").unwrap();
    let report = block_on(check_dmarc(&r, "parked.example"));
    let fix = fix_dmarc(&DmarcFixInput {
        domain: "parked.example",
        report: &report,
        rua: None,
        idna: &NativeIdna,
        takes_mail: false,
    });
    assert!(!fix.text.contains("@parked.example"), "{}", fix.text);
    assert!(fix.warnings.iter().any(|w| w.contains("report service") && w.contains("RFC 7505")), "{:#?}", fix.warnings);
    assert!(fix.warnings.iter().all(|w| !w.contains("Create the mailbox")), "{:#?}", fix.warnings);
    // A record that already sends reports there is warned about.
    let r =
        MemoryResolver::from_zone_text("_dmarc.parked.example TXT \"v=DMARC1; p=reject; rua=mailto:d@parked.example\"")
            .unwrap();
    let report = block_on(check_dmarc(&r, "parked.example"));
    let fix = fix_dmarc(&DmarcFixInput {
        domain: "parked.example",
        report: &report,
        rua: None,
        idna: &NativeIdna,
        takes_mail: false,
    });
    assert!(
        fix.warnings.iter().any(|w| w.contains("mailto:d@parked.example") && w.contains("accepts no mail")),
        "{:#?}",
        fix.warnings
    );
}

#[test]
fn external_report_authorisation_cites_rfc_9990_and_9991() {
    let r = MemoryResolver::from_zone_text(
        "_dmarc.example.com TXT \"v=DMARC1; p=reject; rua=mailto:a@reports.example; ruf=mailto:f@failures.example\"",
    )
    .unwrap();
    let report = block_on(check_dmarc(&r, "example.com"));
    let fix = fix_dmarc(&DmarcFixInput {
        domain: "example.com",
        report: &report,
        rua: None,
        idna: &NativeIdna,
        takes_mail: true,
    });
    let all = fix.warnings.join("\n");
    assert!(all.contains("reports.example") && all.contains("RFC 9990 §4"), "{all}");
    assert!(all.contains("failures.example") && all.contains("RFC 9991"), "{all}");
    assert!(!all.contains("7489"), "{all}");
    let cited = |domain: &str| {
        report
            .findings
            .iter()
            .find(|f| f.code == "dmarc.external-unauthorized" && f.message.contains(domain))
            .and_then(|f| f.rfc.as_ref())
            .map(|r| r.rfc)
    };
    assert_eq!(cited("reports.example"), Some(9990));
    assert_eq!(cited("failures.example"), Some(9991));
}
