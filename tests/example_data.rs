//! The example report's bundled answers (`src/doh/example.bin`, read by
//! `maildoctor::doh::example`): generated from zone files, never edited by
//! hand, and faithful to them.
//!
//! - The bundle must be what the zones give today. When a check starts asking
//!   something new, or a zone changes, this fails; `MAILDOCTOR_BLESS=1 cargo
//!   test --test example_data` writes the new bundle (that run still has the
//!   old one compiled in, so its other test fails: run it once more without).
//! - The example run over the bundle (the page's own DoH client with
//!   `Provider::Example`: encode, look up, decode) must report exactly what a
//!   run over the zones reports, every question answered from the bundle.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use futures::executor::block_on;
use maildoctor::doh::{example, DohClient, Provider, DEFAULT_TIMEOUT};
use maildoctor::ui::permalink::Permalink;
use maildoctor::ui::request::{FormFields, Request};
use maildoctor::ui::state::{Action, State};
use maildoctor_core::check::derive::Tone;
use maildoctor_core::check::request::ResolverSetting;
use maildoctor_core::check::runner::run_all;
use maildoctor_core::dns::wire::{encode_response, Question, ResponseOptions};
use maildoctor_core::dns::{MemoryResolver, Resolver, SharedResolver};
use maildoctor_core::finding::Finding;
use maildoctor_core::input::NativeIdna;
use yew::Reducible;

const BUNDLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/doh/example.bin");

fn zones() -> MemoryResolver {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut text = String::new();
    for file in ["tests/e2e/zones/broken.zone", "tests/e2e/zones/blocklists.zone", "tests/example.zone"] {
        let zone = std::fs::read_to_string(format!("{root}/{file}")).expect("the example's zone files");
        // The example is answers only: a fault the fixture injects (a timeout) has no DNS message to bundle.
        for line in zone.lines().filter(|l| !l.split_whitespace().any(|w| w == "FAULT")) {
            text.push_str(line);
            text.push('\n');
        }
    }
    MemoryResolver::from_zone_text(&text).expect("the example's zones parse")
}

/// The request the page makes for `#example`.
fn example_request() -> Rc<Request> {
    let fields = FormFields::from_permalink(&Permalink::parse("#example"), String::new());
    Rc::new(fields.validate(&NativeIdna).expect("the example's inputs are valid"))
}

/// A whole run the way the page does it, folded through the reducer.
fn run<R: Resolver>(resolver: &R, request: &Rc<Request>) -> Rc<State> {
    let mut state = Rc::new(State::default()).reduce(Action::Start(Rc::clone(request)));
    let actions = RefCell::new(Vec::new());
    block_on(run_all(resolver, request, state.run, &|a| actions.borrow_mut().push(a)));
    for action in actions.into_inner() {
        state = state.reduce(action);
    }
    assert!(!state.in_flight(), "every check answered");
    state
}

/// The bundle: one response message per question the example run asks, in the order first asked.
fn generate() -> Vec<u8> {
    let zones = zones();
    run(&zones, &example_request());
    let mut asked = Vec::new();
    for question in zones.queries() {
        if !asked.contains(&question) {
            asked.push(question);
        }
    }
    let mut bundle = Vec::new();
    for (name, rtype) in asked {
        let lookup = block_on(zones.lookup(&name, rtype));
        let question = Question { id: 0, name: name.clone(), rtype, recursion_desired: true, checking_disabled: false };
        let options = ResponseOptions {
            authenticated: lookup.authenticated,
            extended_errors: lookup.extended_errors.clone(),
            truncated: false,
        };
        let message = encode_response(&question, &lookup.outcome, options).expect("the example's answers encode");
        bundle.extend(example::entry(&name, rtype, &message).expect("fits the bundle's layout"));
    }
    bundle
}

#[test]
fn the_bundled_answers_are_what_the_zones_give() {
    let fresh = generate();
    if std::env::var_os("MAILDOCTOR_BLESS").is_some() {
        // This build has the old bundle compiled in: the next run checks the new one.
        std::fs::write(BUNDLE, &fresh).expect("write the bundle");
        return;
    }
    assert!(
        example::ANSWERS == fresh.as_slice(),
        "src/doh/example.bin is stale ({} bytes; the zones give {}): run MAILDOCTOR_BLESS=1 cargo test --test example_data, then the test again",
        example::ANSWERS.len(),
        fresh.len()
    );
}

/// Each check's findings, in page order.
fn findings(state: &State) -> Vec<Vec<Finding>> {
    let report = &state.report;
    report.checks().filter_map(|c| report.answer(c)).map(|a| a.report().findings().to_vec()).collect()
}

#[test]
fn the_example_over_the_bundle_reports_what_the_zones_do() {
    let request = example_request();
    assert_eq!(request.resolver, ResolverSetting::Example);
    let over_zones = run(&zones(), &request);
    let client = SharedResolver::new(DohClient::new(Provider::Example, None, DEFAULT_TIMEOUT));
    let over_bundle = run(&client, &request);
    // Every question found its answer in the bundle (a missing one is a network error).
    let attempts = client.inner().attempts();
    assert!(!attempts.is_empty());
    let missing: Vec<_> = attempts.iter().filter(|a| a.result.is_err()).map(|a| (&a.name, a.rtype)).collect();
    assert!(missing.is_empty(), "not in the bundle: {missing:?}");
    assert!(attempts.iter().all(|a| a.provider == "example data"));
    assert_eq!(findings(&over_bundle), findings(&over_zones));
    assert_eq!(over_bundle.derived.headline, over_zones.derived.headline);
    assert_eq!(over_bundle.derived.diagnosis, over_zones.derived.diagnosis);
    assert_eq!(over_bundle.derived.steps, over_zones.derived.steps);
}

#[test]
fn the_example_is_a_broken_domain_deferred_with_421_4_4_2() {
    let request = example_request();
    let reply = request.reply.as_ref().expect("the example's log line is read");
    assert_eq!(reply.basic_code, Some(421));
    assert_eq!(reply.enhanced.map(|e| e.to_string()).as_deref(), Some("4.4.2"));
    assert_eq!(request.recipient.as_ref().map(|r| r.ascii.as_str()), Some(example::RECIPIENT));
    let client = SharedResolver::new(DohClient::new(Provider::Example, None, DEFAULT_TIMEOUT));
    let state = run(&client, &request);
    assert_eq!(state.derived.headline.tone, Tone::Problems);
    assert!(!state.derived.steps.is_empty(), "the example has steps to show");
    // Its sending server is also its mail host: one address, one PTR request.
    let ptr_steps: Vec<_> = state.derived.steps.iter().filter(|s| s.kind == "ptr").collect();
    assert_eq!(ptr_steps.len(), 1, "{ptr_steps:?}");
    assert!(ptr_steps[0].text.contains("your sending server"), "{ptr_steps:?}");
}

#[test]
fn a_question_outside_the_example_is_not_answered() {
    assert!(example::response("broken.example", maildoctor_core::dns::RecordType::Mx).is_some());
    assert!(example::response("BROKEN.example.", maildoctor_core::dns::RecordType::Mx).is_some());
    assert!(example::response("gmail.com", maildoctor_core::dns::RecordType::Mx).is_none());
    let client = DohClient::new(Provider::Example, None, DEFAULT_TIMEOUT);
    let lookup = block_on(client.lookup("gmail.com", maildoctor_core::dns::RecordType::Mx));
    assert!(lookup.is_failure(), "{lookup:?}");
}
