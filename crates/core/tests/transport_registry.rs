//! What the resolver's reasons (EDE, DNSSEC bogus) give the checks and the
//! diagnosis, through the registry's runner over `MemoryResolver` zones (the
//! transport-security checks join this file as they join the registry).

use std::cell::RefCell;
use std::rc::Rc;

use futures::executor::block_on;
use maildoctor_core::check::derive::{diagnosis_of, resolver_findings};
use maildoctor_core::check::report::{Action, Report};
use maildoctor_core::check::request::{Request, ResolverSetting};
use maildoctor_core::check::runner::run_all;
use maildoctor_core::check::{Answer, CheckId, Status};
use maildoctor_core::dns::{Dnssec, MemoryResolver, RecordType, Resolver};
use maildoctor_core::input::{parse_domain, NativeIdna};

fn request(domain: &str) -> Rc<Request> {
    Rc::new(Request {
        domain: parse_domain(domain, &NativeIdna).unwrap(),
        recipient: None,
        sending_ip: None,
        dkim_selectors: Vec::new(),
        smtp_text: None,
        reply: None,
        resolver: ResolverSetting::Cloudflare,
    })
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

#[test]
fn a_servfail_with_ede_22_says_why_and_feeds_the_diagnosis() {
    let zone = "dark.test FAULT servfail\ndark.test EDE 22 \"at delegation dark.test.\"\n";
    let report = run(zone, request("dark.test"));
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
