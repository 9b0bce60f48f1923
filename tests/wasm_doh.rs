//! The real DoH client in headless Chromium against the fixture server
//! (crates/doh-fixture, zone tests/fixtures/doh.zone): answers, every fault,
//! fallback to the second provider, in-flight deduplication.
//!
//! Run with scripts/wasm-test.sh, which starts the fixture and sets
//! DOH_FIXTURE_URL at compile time.

#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use futures::future::join_all;
use maildoctor::doh::{DohClient, DohError, Provider};
use maildoctor_core::dns::{Failure, Lookup, Outcome, RData, RecordType, Resolver, SharedResolver};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The fixture's URL, fixed at compile time; a clear failure (not a skip) when missing.
fn fixture() -> &'static str {
    match option_env!("DOH_FIXTURE_URL") {
        Some(url) => url.trim_end_matches('/'),
        None => panic!("DOH_FIXTURE_URL was not set when this test was compiled: run scripts/wasm-test.sh"),
    }
}

fn healthy() -> Provider {
    Provider::custom(&format!("{}/dns-query", fixture())).unwrap()
}

fn faulty(kind: &str) -> Provider {
    Provider::custom(&format!("{}/fault/{kind}/dns-query", fixture())).unwrap()
}

/// Only the fixture, no second try.
fn single(provider: Provider) -> DohClient {
    DohClient::new(provider, None, Duration::from_millis(1500))
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

async fn fixture_json(path: &str) -> serde_json::Value {
    let url = format!("{}{path}", fixture());
    let body = gloo_net::http::Request::get(&url).send().await.unwrap().text().await.unwrap();
    serde_json::from_str(&body).unwrap()
}

/// The queries for `name` the fixture has received so far.
async fn fixture_log(name: &str) -> Vec<serde_json::Value> {
    let log = fixture_json("/log").await;
    log.as_array().unwrap().iter().filter(|e| e["name"] == name).cloned().collect()
}

fn failure(lookup: &Lookup) -> &Failure {
    match &lookup.outcome {
        Outcome::Failed(f) => f,
        other => panic!("{} {}: expected a failure, got {other:?}", lookup.name, lookup.rtype),
    }
}

#[wasm_bindgen_test]
async fn answers_records_nodata_and_nxdomain() {
    let client = single(healthy());
    let mx = client.lookup("ok.example", RecordType::Mx).await;
    let exchanges: Vec<String> = mx.data().map(RData::to_string).collect();
    assert_eq!(exchanges, vec!["10 mx.ok.example.", "20 mx2.ok.example."]);
    assert!(mx.records().iter().all(|r| r.ttl == 300));
    assert_eq!(mx.answered_by, Some(healthy().name()));

    // Multi-string TXT stays as its strings.
    let txt = client.lookup("ok.example", RecordType::Txt).await;
    assert_eq!(
        txt.data().collect::<Vec<_>>(),
        vec![&RData::Txt(vec![b"v=spf1 ".to_vec(), b"ip4:192.0.2.0/24 -all".to_vec()])]
    );

    let www = client.lookup("www.ok.example", RecordType::A).await;
    assert_eq!(www.cname_chain(), vec!["mx.ok.example"]);
    assert_eq!(www.data().collect::<Vec<_>>(), vec![&RData::A("192.0.2.10".parse().unwrap())]);

    let ptr = client.lookup("10.2.0.192.in-addr.arpa", RecordType::Ptr).await;
    assert_eq!(ptr.data().collect::<Vec<_>>(), vec![&RData::Ptr("mx.ok.example".into())]);

    assert_eq!(client.lookup("ok.example", RecordType::A).await.outcome, Outcome::NoData(vec![]));
    assert_eq!(client.lookup("nope.example", RecordType::A).await.outcome, Outcome::NxDomain);

    // RFC 8484 §4.1 GET with `Accept: application/dns-message`, which is CORS-safelisted:
    // the browser sent no preflight (none of these tests causes one).
    let entries = fixture_log("ok.example").await;
    assert!(entries.len() >= 3, "the fixture logged our queries: {entries:?}");
    for entry in entries {
        assert_eq!(
            (entry["method"].as_str(), entry["accept"].as_str()),
            (Some("GET"), Some("application/dns-message"))
        );
    }
    assert_eq!(fixture_json("/log/preflights").await["count"], 0);
}

#[wasm_bindgen_test]
async fn every_fault_is_its_own_outcome() {
    let client = single(healthy());
    assert_eq!(failure(&client.lookup("servfail.example", RecordType::A).await), &Failure::ServFail);
    assert_eq!(failure(&client.lookup("refused.example", RecordType::A).await), &Failure::Refused);

    let l = client.lookup("http500.example", RecordType::A).await;
    assert!(matches!(failure(&l), Failure::Transport(s) if s.starts_with("HTTP 500")), "{l:?}");
    let l = client.lookup("http429.example", RecordType::A).await;
    assert!(matches!(failure(&l), Failure::Transport(s) if s.starts_with("HTTP 429")), "{l:?}");
    let l = client.lookup("malformed.example", RecordType::A).await;
    assert!(matches!(failure(&l), Failure::Malformed(s) if s.contains("not a DNS message")), "{l:?}");
    let l = client.lookup("content-type.example", RecordType::A).await;
    assert!(matches!(failure(&l), Failure::Malformed(s) if s.contains("text/html")), "{l:?}");
    let l = client.lookup("truncated.example", RecordType::A).await;
    assert!(matches!(failure(&l), Failure::Malformed(s) if s.contains("TC")), "{l:?}");

    // The typed errors behind them; Retry-After is readable because the fixture exposes it.
    let errors: Vec<(String, Result<Outcome, DohError>)> =
        client.attempts().into_iter().map(|a| (a.name, a.result)).collect();
    let error_of = |name: &str| errors.iter().find(|(n, _)| n == name).map(|(_, r)| r.clone()).unwrap();
    assert_eq!(error_of("http500.example"), Err(DohError::HttpStatus(500)));
    assert_eq!(error_of("http429.example"), Err(DohError::RateLimited { retry_after: Some("2".into()) }));
    assert_eq!(error_of("content-type.example"), Err(DohError::ContentType(Some("text/html; charset=utf-8".into()))));
    assert!(matches!(error_of("malformed.example"), Ok(Outcome::Failed(Failure::Malformed(_)))));
}

#[wasm_bindgen_test]
async fn timeout_is_a_timeout_and_arrives_on_time() {
    let client = DohClient::new(healthy(), None, Duration::from_millis(600));
    let started = now_ms();
    let l = client.lookup("timeout.example", RecordType::A).await;
    let took = now_ms() - started;
    assert_eq!(failure(&l), &Failure::Timeout);
    assert!((550.0..3000.0).contains(&took), "took {took} ms");
    assert_eq!(client.attempts()[0].result, Err(DohError::Timeout));
}

#[wasm_bindgen_test]
async fn unreachable_resolver_is_a_network_error() {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    let client = single(Provider::custom("http://127.0.0.1:9/dns-query").unwrap());
    let l = client.lookup("ok.example", RecordType::A).await;
    assert!(matches!(failure(&l), Failure::Transport(s) if s.contains("network error")), "{l:?}");
    assert!(matches!(client.attempts()[0].result, Err(DohError::Network(_))));
}

#[wasm_bindgen_test]
async fn each_provider_failure_falls_back_to_the_other_provider() {
    for kind in ["timeout", "http500", "http429", "malformed", "content-type", "truncated", "servfail"] {
        let client = DohClient::new(faulty(kind), Some(healthy()), Duration::from_millis(600));
        let l = client.lookup("ok.example", RecordType::Mx).await;
        assert_eq!(l.data().count(), 2, "{kind}: {l:?}");
        assert_eq!(l.answered_by, Some(healthy().name()), "{kind}");
        let tried: Vec<String> = client.attempts().into_iter().map(|a| a.provider).collect();
        assert_eq!(tried, vec![faulty(kind).name(), healthy().name()], "{kind}");
    }
}

#[wasm_bindgen_test]
async fn real_answers_are_not_second_guessed() {
    // REFUSED is a decision, NXDOMAIN an answer: neither goes to the other provider.
    let client = DohClient::new(faulty("refused"), Some(healthy()), Duration::from_millis(600));
    let l = client.lookup("ok.example", RecordType::Mx).await;
    assert_eq!((failure(&l), l.answered_by.clone()), (&Failure::Refused, Some(faulty("refused").name())));
    let client = DohClient::new(healthy(), Some(faulty("http500")), Duration::from_millis(600));
    assert_eq!(client.lookup("nope.example", RecordType::A).await.outcome, Outcome::NxDomain);
    assert_eq!(client.attempts().len(), 1);
}

#[wasm_bindgen_test]
async fn when_both_fail_the_more_telling_failure_is_reported() {
    let client = DohClient::new(faulty("servfail"), Some(faulty("http500")), Duration::from_millis(600));
    let l = client.lookup("ok.example", RecordType::Mx).await;
    assert_eq!((failure(&l), l.answered_by.clone()), (&Failure::ServFail, Some(faulty("servfail").name())));
    let client = DohClient::new(faulty("http500"), Some(faulty("timeout")), Duration::from_millis(400));
    let l = client.lookup("ok.example", RecordType::Mx).await;
    assert_eq!((failure(&l), l.answered_by.clone()), (&Failure::Timeout, Some(faulty("timeout").name())));
}

#[wasm_bindgen_test]
async fn identical_questions_of_a_run_are_sent_once() {
    // The page's resolver for a run: the client wrapped in a SharedResolver (ui::Doh).
    let client = SharedResolver::new(single(healthy()));
    let before = fixture_log("dedup.example").await.len();
    // dedup.example answers after 400 ms, so all of these are in flight together.
    let names = ["dedup.example", "DEDUP.example.", "dedup.example", "Dedup.Example", "dedup.example"];
    let lookups = join_all(names.iter().map(|n| client.lookup(n, RecordType::A))).await;
    for (l, n) in lookups.iter().zip(names) {
        assert_eq!(l.name, n);
        assert_eq!(l.data().collect::<Vec<_>>(), vec![&RData::A("192.0.2.41".parse().unwrap())]);
    }
    assert_eq!(fixture_log("dedup.example").await.len() - before, 1, "the fixture saw one query");
    assert_eq!((client.stats().requested, client.stats().issued), (5, 1));
    // Once answered, the run keeps the answer: asked again, nothing is sent.
    client.lookup("dedup.example", RecordType::A).await;
    assert_eq!(fixture_log("dedup.example").await.len() - before, 1);
    // The client alone sends every question (the run's wrapper shares them).
    let bare = single(healthy());
    join_all(names.iter().take(2).map(|n| bare.lookup(n, RecordType::A))).await;
    assert_eq!(fixture_log("dedup.example").await.len() - before, 3);
}

/// A SERVFAIL that stands is asked once more with CD: answered, it is a DNSSEC
/// validation failure (bogus); still SERVFAIL, the resolver just could not answer.
/// Real answers are never asked twice.
#[wasm_bindgen_test]
async fn a_servfail_is_asked_again_with_cd_to_tell_a_bogus_zone() {
    let client = single(healthy());
    let bogus = client.lookup("bogus.example", RecordType::A).await;
    assert_eq!(failure(&bogus), &Failure::ServFail);
    assert!(bogus.bogus, "{bogus:?}");
    assert_eq!(bogus.extended_errors.first().map(|e| e.code), Some(6));
    assert!(bogus.couldnt_ask().unwrap().contains("DNSSEC validation failed (bogus)"));
    assert_eq!(fixture_log("bogus.example").await.len(), 2, "the question, then once with CD");

    let down = client.lookup("servfail.example", RecordType::Mx).await;
    assert!(!down.bogus && down.is_failure());
    let ok = client.lookup("mx2.ok.example", RecordType::A).await;
    assert!(!ok.bogus && !ok.is_failure());
    assert_eq!(fixture_log("mx2.ok.example").await.len(), 1, "an answer is not asked again");
}
