//! When the runner's questions leave: a check that waits for another's
//! answer asks what it can beforehand ([`early_questions`]) with the first
//! round, and only the questions that truly wait for an answer come later.
//! Run over the e2e zones with a `SteppedResolver` (one round at a time) and
//! a `SharedResolver` in front of it, as in the page.

use std::rc::Rc;

#[path = "support/request.rs"]
mod support;

use maildoctor_core::check::request::Request;
use maildoctor_core::check::runner::{early_questions, run_all, run_check};
use maildoctor_core::check::{checks_for, CheckId};
use maildoctor_core::dns::stepped::{run_in_rounds, Question, SteppedResolver};
use maildoctor_core::dns::{MemoryResolver, RecordType, SharedResolver};

const ZONES: [&str; 2] =
    [include_str!("../../../tests/e2e/zones/broken.zone"), include_str!("../../../tests/e2e/zones/healthy.zone")];

fn request(domain: &str) -> Request {
    support::domain_request(domain)
}

fn zone() -> MemoryResolver {
    MemoryResolver::from_zone_text(&ZONES.concat()).unwrap()
}

/// The rounds of `run_all`, as the page runs it.
fn rounds_of_run_all(request: Request) -> Vec<Vec<Question>> {
    let stepped = Rc::new(SteppedResolver::new(zone()));
    let (done, rounds) = run_in_rounds(stepped, |r| async move {
        let shared = SharedResolver::new(r);
        run_all(&shared, &request, 1, &|_| {}).await;
    });
    assert!(done.is_some(), "the run did not finish");
    rounds
}

/// The rounds of the checks run in the registry's order with nothing asked
/// beforehand: each dependent starts once its check's answer is in.
fn rounds_without_early(request: Request) -> Vec<Vec<Question>> {
    let stepped = Rc::new(SteppedResolver::new(zone()));
    let (done, rounds) = run_in_rounds(stepped, |r| async move {
        let shared = SharedResolver::new(r);
        let (shared, request) = (&shared, &request);
        let checks = checks_for(request);
        let checks = &checks;
        let chains = checks.iter().filter(|c| c.after().is_none()).map(|&root| async move {
            let first = [run_check(shared, request, root, &[]).await];
            let dependents = checks.iter().copied().filter(|c| c.after() == Some(root));
            futures::future::join_all(dependents.map(|c| run_check(shared, request, c, &first))).await;
        });
        futures::future::join_all(chains).await;
    });
    assert!(done.is_some(), "the run did not finish");
    rounds
}

fn sorted(rounds: &[Vec<Question>]) -> Vec<Question> {
    let mut all: Vec<Question> = rounds.concat();
    all.sort();
    all
}

#[test]
fn questions_asked_early_leave_with_the_first_round() {
    for domain in ["broken.example", "healthy.example"] {
        let rounds = rounds_of_run_all(request(domain));
        let early: Vec<Question> =
            CheckId::ALL.into_iter().flat_map(|c| early_questions(c, &request(domain))).collect();
        assert!(early.len() > 20, "{domain}: {} early questions", early.len());
        for question in &early {
            assert!(rounds[0].contains(question), "{domain}: {question:?} is not in the first round");
        }
    }
}

#[test]
fn asking_early_adds_no_question_and_no_round() {
    for domain in ["broken.example", "healthy.example"] {
        let (with, without) = (rounds_of_run_all(request(domain)), rounds_without_early(request(domain)));
        assert_eq!(sorted(&with), sorted(&without), "{domain}: other questions");
        assert_eq!(with.len(), without.len(), "{domain}: rounds");
        let last = |r: &[Vec<Question>]| r.last().map_or(0, Vec::len);
        assert!(last(&with) < last(&without), "{domain}: last round {} against {}", last(&with), last(&without));
    }
}

/// broken.example's last round: the MX host's address on the IP lists and
/// in reverse DNS, its TLSA record and name, and SPF's deepest includes.
#[test]
fn the_last_round_holds_what_waits_for_the_mx_hosts() {
    let rounds = rounds_of_run_all(request("broken.example"));
    assert_eq!(rounds.len(), 3);
    for (name, rtype) in &rounds[2] {
        let about_the_mx_host = name.starts_with("34.216.184.93.") || name.starts_with("mail.broken.example.");
        let spf_include = name.ends_with(".broken.example") && !name.starts_with('_');
        let tlsa = *rtype == RecordType::Tlsa;
        assert!(about_the_mx_host || spf_include || tlsa, "{name} {rtype} waits for the last round");
    }
}
