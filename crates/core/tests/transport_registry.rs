//! The transport-security checks (MTA-STS, TLS-RPT, DANE, BIMI) through the
//! registry: the runner over `MemoryResolver` zones, each answer's status,
//! what they wait for, and what the resolver's reasons (EDE, DNSSEC bogus)
//! give the diagnosis.

#[path = "support/request.rs"]
mod support;

use std::cell::RefCell;
use std::rc::Rc;

use futures::executor::block_on;
use maildoctor_core::check::derive::{diagnosis_of, resolver_findings};
use maildoctor_core::check::report::{Action, Report};
use maildoctor_core::check::request::Request;
use maildoctor_core::check::runner::{run_all, run_check};
use maildoctor_core::check::{Answer, CheckId, Status};
use maildoctor_core::dns::stepped::{run_in_rounds, SteppedResolver};
use maildoctor_core::dns::{Dnssec, MemoryResolver, RecordType, Resolver};

const SHA256: &str = "0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6";

fn request(domain: &str, policy: Option<&str>) -> Rc<Request> {
    Rc::new(Request { mta_sts_policy: policy.map(str::to_string), ..support::domain_request(domain) })
}

/// Runs every check of `request` over `zone` into a report.
fn run(zone: &str, request: Rc<Request>) -> Report {
    let resolver = MemoryResolver::from_zone_text(zone).unwrap();
    let report = RefCell::new(Report::default().reduce(Action::Start(Rc::clone(&request))).unwrap());
    block_on(run_all(&resolver, &request, 1, &|action| {
        let next = report.borrow().reduce(action);
        if let Some(next) = next {
            *report.borrow_mut() = next;
        }
    }));
    report.into_inner()
}

fn codes(report: &Report, check: CheckId) -> Vec<&'static str> {
    report.answer(check).unwrap().report().findings().iter().map(|f| f.code.as_str()).collect()
}

/// A domain with two MX hosts, one outside the policy's patterns.
const STS_ZONE: &str = "sts.test MX 10 mx1.sts.test\n\
     sts.test MX 20 backup.mail-host.test\n\
     mx1.sts.test A 192.0.2.1\n\
     backup.mail-host.test A 192.0.2.2\n\
     _mta-sts.sts.test TXT \"v=STSv1; id=20261205\"\n\
     mta-sts.sts.test A 192.0.2.3\n\
     _dmarc.sts.test TXT \"v=DMARC1; p=none\"\n\
     default._bimi.sts.test TXT \"v=BIMI1; l=https://sts.test/logo.svg\"\n";

const ENFORCE: &str = "version: STSv1\nmode: enforce\nmx: mx1.sts.test\nmx: *.sts.test\nmax_age: 604800\n";

#[test]
fn mta_sts_enforce_with_an_mx_the_policy_leaves_out() {
    let report = run(STS_ZONE, request("sts.test", Some(ENFORCE)));
    assert!(!report.in_flight());
    // MTA-STS in enforce with an MX host the policy does not cover: delivery breaks.
    let mta = codes(&report, CheckId::MtaSts);
    assert!(mta.contains(&"mta-sts.mx-not-covered"), "{mta:?}");
    let Some(Answer::MtaSts(sts)) = report.answer(CheckId::MtaSts) else { panic!() };
    let uncovered = sts.findings.iter().find(|f| f.code == "mta-sts.mx-not-covered").unwrap();
    assert!(
        uncovered.message.starts_with("MX host(s) backup.mail-host.test match no mx: line"),
        "{}",
        uncovered.message
    );
    assert!(sts.curl_command.contains("https://mta-sts.sts.test/.well-known/mta-sts.txt"));
    assert_eq!(report.status(CheckId::MtaSts), Some(Status::Fail));
}

#[test]
fn tls_rpt_missing_is_not_published() {
    let report = run(STS_ZONE, request("sts.test", None));
    // No TLS-RPT record: not published, not a failure.
    assert_eq!(codes(&report, CheckId::TlsRpt), vec!["tlsrpt.none"]);
    assert_eq!(report.status(CheckId::TlsRpt), Some(Status::Absent));
}

#[test]
fn no_tlsa_anywhere_is_dane_not_in_use() {
    let report = run(STS_ZONE, request("sts.test", None));
    assert_eq!(codes(&report, CheckId::Dane), vec!["dane.none"]);
    assert_eq!(report.status(CheckId::Dane), Some(Status::Absent));
}

#[test]
fn bimi_with_dmarc_p_none() {
    let report = run(STS_ZONE, request("sts.test", None));
    // BIMI with DMARC p=none: receivers ignore the record (the DMARC answer was reused).
    assert!(codes(&report, CheckId::Bimi).contains(&"bimi.dmarc-not-enforced"));
    assert_eq!(report.status(CheckId::Bimi), Some(Status::Fail));
}

#[test]
fn a_covering_policy_passes_and_no_policy_asks_for_one() {
    let covering = ENFORCE.replace("mx: *.sts.test", "mx: *.mail-host.test");
    let report = run(STS_ZONE, request("sts.test", Some(&covering)));
    assert!(codes(&report, CheckId::MtaSts).contains(&"mta-sts.mx-covered"));
    assert_eq!(report.status(CheckId::MtaSts), Some(Status::Pass));
    let report = run(STS_ZONE, request("sts.test", None));
    assert!(codes(&report, CheckId::MtaSts).contains(&"mta-sts.policy-not-fetched"));
    // A policy that does not parse is a finding at its line, not an error of the page.
    let report = run(STS_ZONE, request("sts.test", Some("version: STSv1\nmode: sometimes\n")));
    assert!(codes(&report, CheckId::MtaSts).contains(&"mta-sts.policy-syntax"));
}

#[test]
fn tlsa_usage_1_on_an_unsigned_zone_and_usage_3_on_a_signed_one() {
    let zone = format!(
        "plain.test MX 10 mx.plain.test\nmx.plain.test A 192.0.2.1\n\
         _25._tcp.mx.plain.test TLSA 1 1 1 {SHA256}\n\
         signed.test MX 10 mx.signed.test\nmx.signed.test A 192.0.2.2\n\
         _25._tcp.mx.signed.test TLSA 3 1 1 {SHA256}\n_25._tcp.mx.signed.test AD\n"
    );
    let report = run(&zone, request("plain.test", None));
    let dane = codes(&report, CheckId::Dane);
    for code in ["dane.not-authenticated", "dane.pkix-usage", "dane.no-usable-records"] {
        assert!(dane.contains(&code), "{code}: {dane:?}");
    }
    assert_eq!(report.status(CheckId::Dane), Some(Status::Warn));
    let report = run(&zone, request("signed.test", None));
    assert_eq!(codes(&report, CheckId::Dane), vec!["dane.ok"]);
    assert_eq!(report.status(CheckId::Dane), Some(Status::Pass));
    let Some(Answer::Dane(d)) = report.answer(CheckId::Dane) else { panic!() };
    assert_eq!(d.lookups[0].dnssec(), Some(Dnssec::Secure));
}

#[test]
fn bimi_at_enforcement_has_no_dmarc_finding() {
    let zone = STS_ZONE.replace("p=none", "p=reject");
    let report = run(&zone, request("sts.test", None));
    let bimi = codes(&report, CheckId::Bimi);
    assert!(!bimi.iter().any(|c| c.starts_with("bimi.dmarc")), "{bimi:?}");
    // t=y is test mode: not enforcement.
    let zone = STS_ZONE.replace("p=none", "p=reject; t=y");
    assert!(codes(&run(&zone, request("sts.test", None)), CheckId::Bimi).contains(&"bimi.dmarc-not-enforced"));
}

#[test]
fn a_servfail_with_ede_22_says_why_and_feeds_the_diagnosis() {
    let zone = "dark.test FAULT servfail\ndark.test EDE 22 \"at delegation dark.test.\"\n";
    let report = run(zone, request("dark.test", None));
    assert_eq!(report.status(CheckId::Mx), Some(Status::Unknown));
    let Some(Answer::Mx(mx)) = report.answer(CheckId::Mx) else { panic!() };
    let failed = &mx.findings[0];
    assert_eq!(failed.code, "mx.lookup-failed");
    assert!(
        failed.message.contains("the resolver says: No Reachable Authority (22): at delegation dark.test."),
        "{}",
        failed.message
    );
    let diagnosis = diagnosis_of(&report).unwrap();
    let cause = diagnosis.causes.iter().find(|c| c.id == "sender.authority-unreachable").unwrap();
    assert!(cause.finding_codes.iter().any(|c| *c == "dns.no-reachable-authority"));
}

#[test]
fn a_bogus_answer_is_told_apart_from_an_unreachable_one() {
    let zone = "bogus.test TXT \"v=spf1 -all\"\nbogus.test FAULT bogus\nbogus.test EDE 6 \"\"\n\
                down.test FAULT servfail\n";
    let resolver = MemoryResolver::from_zone_text(zone).unwrap();
    let bogus = block_on(resolver.lookup("bogus.test", RecordType::Txt));
    assert!(bogus.bogus && bogus.is_failure());
    assert_eq!(bogus.dnssec(), Some(Dnssec::Bogus));
    assert!(bogus.couldnt_ask().unwrap().contains("DNSSEC validation failed (bogus)"));
    assert!(bogus.status().contains("DNSSEC Bogus (6)"));
    let down = block_on(resolver.lookup("down.test", RecordType::Txt));
    assert!(!down.bogus && down.dnssec().is_none());
    let unsigned = block_on(resolver.lookup("nope.bogus.test", RecordType::Txt));
    assert_eq!(unsigned.dnssec(), Some(Dnssec::Insecure));
    let found: Vec<&str> = resolver_findings(&[down, bogus]).iter().map(|f| f.code.as_str()).collect();
    assert_eq!(found, vec!["dns.dnssec-bogus"]);
}

/// The new checks wait only for answers that are in by the MX check's last
/// round: on the benchmark's zone the report needs no more rounds of
/// dependent queries with them than without them.
#[test]
fn no_extra_round_on_the_critical_path() {
    let zone = include_str!("../../../tests/e2e/zones/broken.zone");
    let rounds = |with_new: bool| {
        let stepped = Rc::new(SteppedResolver::new(MemoryResolver::from_zone_text(zone).unwrap()));
        let request = request("broken.example", Some(ENFORCE));
        let (_, rounds) = run_in_rounds(stepped, |r| async move {
            // The runner's own order (`after`), over a subset of the checks.
            let checks: Vec<CheckId> = CheckId::ALL.into_iter().filter(|c| with_new || !is_new(*c)).collect();
            let chains = checks.iter().filter(|c| c.after().is_none()).map(|&root| {
                let (r, request, checks) = (&r, &request, &checks);
                async move {
                    let first = [run_check(r, request, root, &[]).await];
                    let dependents = checks.iter().filter(|c| c.after() == Some(root));
                    futures::future::join_all(dependents.map(|&c| run_check(r, request, c, &first))).await;
                }
            });
            futures::future::join_all(chains).await;
        });
        rounds.len()
    };
    let (with, without) = (rounds(true), rounds(false));
    assert!(without >= 2, "{without}");
    assert_eq!(with, without, "rounds with the transport checks: {with}, without: {without}");
}

fn is_new(c: CheckId) -> bool {
    [CheckId::TlsRpt, CheckId::Dane, CheckId::MtaSts, CheckId::Bimi].contains(&c)
}
