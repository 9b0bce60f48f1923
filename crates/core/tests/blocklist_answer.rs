//! Reading blocklist answers, for every list in the catalogue: listed codes,
//! refusal codes, NXDOMAIN, NODATA, answers outside 127/8, and the RFC 5782
//! §5 test-entry probe.

use std::net::Ipv4Addr;

use maildoctor_core::blocklist::answer::settle;
use maildoctor_core::blocklist::{
    catalogue, interpret, list_by_id, probe_health, Blocklist, Codes, ProbeHealth, State, CATALOGUE,
};
use maildoctor_core::dns::{Failure, Lookup, Outcome, RData, Record, RecordType};

fn answer(name: &str, addrs: &[&str]) -> Lookup {
    let records =
        addrs.iter().map(|a| Record { name: name.to_string(), ttl: 60, data: RData::A(a.parse().unwrap()) }).collect();
    Lookup::new(name, RecordType::A, Outcome::Records(records))
}

fn outcome(name: &str, o: Outcome) -> Lookup {
    Lookup::new(name, RecordType::A, o)
}

fn list(id: &str) -> &'static Blocklist {
    list_by_id(id).unwrap()
}

fn active() -> impl Iterator<Item = &'static Blocklist> {
    CATALOGUE.iter().filter(|l| l.is_active())
}

#[test]
fn every_documented_code_reads_as_listed_with_its_meaning() {
    for l in active() {
        match l.codes {
            Codes::Table { codes, .. } => {
                assert!(!codes.is_empty(), "{}", l.id);
                for (code, meaning) in codes {
                    let got = interpret(l, &answer("x", &[&code.to_string()]));
                    assert_eq!(got, State::Listed { codes: vec![(*code, meaning.to_string())] }, "{} {code}", l.id);
                }
            }
            Codes::Bitmask { bits } => {
                for (bit, meaning) in bits {
                    let code = Ipv4Addr::new(127, 0, 0, *bit);
                    let got = interpret(l, &answer("x", &[&code.to_string()]));
                    assert_eq!(got, State::Listed { codes: vec![(code, meaning.to_string())] }, "{} {code}", l.id);
                }
            }
        }
    }
}

#[test]
fn every_error_code_reads_as_refused_never_listed() {
    let mut seen = 0;
    for l in active() {
        for (code, meaning) in l.errors {
            let got = interpret(l, &answer("x", &[&code.to_string()]));
            assert_eq!(got, State::Refused { code: Some(*code), meaning: meaning.to_string() }, "{} {code}", l.id);
            seen += 1;
        }
    }
    assert_eq!(seen, 3 + 4 + 1 + 1, "Spamhaus ZEN 3, DBL 4, SURBL 1, URIBL 1");
    // The ones the reference notes single out.
    let zen = list("spamhaus-zen");
    assert!(matches!(interpret(zen, &answer("x", &["127.255.255.254"])), State::Refused { .. }));
    assert!(matches!(interpret(zen, &answer("x", &["127.255.255.255"])), State::Refused { .. }));
    // A refusal mixed with a listing code is still a refusal.
    assert!(matches!(interpret(zen, &answer("x", &["127.0.0.2", "127.255.255.254"])), State::Refused { .. }));
    let uribl = list("uribl");
    match interpret(uribl, &answer("x", &["127.0.0.1"])) {
        State::Refused { meaning, .. } => assert!(meaning.contains("Query Refused")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(interpret(list("spamhaus-dbl"), &answer("x", &["127.0.1.255"])), State::Refused { .. }));
}

#[test]
fn nxdomain_and_nodata_are_not_listed_everywhere() {
    for l in active() {
        assert_eq!(interpret(l, &outcome("x", Outcome::NxDomain)), State::NotListed, "{}", l.id);
        assert_eq!(interpret(l, &outcome("x", Outcome::NoData(vec![]))), State::NotListed, "{}", l.id);
        // A CNAME chain that ends without an A record: no listing either.
        let chain = vec![Record { name: "x".into(), ttl: 1, data: RData::Cname("y".into()) }];
        assert_eq!(interpret(l, &outcome("x", Outcome::Records(chain))), State::NotListed, "{}", l.id);
    }
}

#[test]
fn failures_are_couldnt_ask_never_not_listed() {
    for l in active() {
        for f in [Failure::Timeout, Failure::ServFail, Failure::Refused, Failure::Transport("HTTP 500".into())] {
            let got = interpret(l, &outcome("x", Outcome::Failed(f.clone())));
            assert_eq!(got, State::LookupFailed { failure: f }, "{}", l.id);
        }
    }
}

#[test]
fn answers_outside_loopback_mean_a_rewriting_resolver() {
    for l in active() {
        for addr in ["93.184.215.14", "0.0.0.0", "10.0.0.1"] {
            match interpret(l, &answer("x", &[addr])) {
                State::Unknown { why } => assert!(why.contains("outside 127.0.0.0/8"), "{why}"),
                other => panic!("{} {addr}: {other:?}", l.id),
            }
        }
        // Even next to a real-looking code.
        assert!(matches!(interpret(l, &answer("x", &["127.0.0.2", "198.18.0.1"])), State::Unknown { .. }), "{}", l.id);
    }
}

#[test]
fn loopback_one_is_refused_or_unknown_never_listed() {
    for l in active() {
        let got = interpret(l, &answer("x", &["127.0.0.1"]));
        let refused_by_list = l.errors.iter().any(|(c, _)| *c == Ipv4Addr::new(127, 0, 0, 1));
        match got {
            State::Refused { .. } => assert!(refused_by_list, "{}", l.id),
            State::Unknown { .. } => assert!(!refused_by_list, "{}", l.id),
            other => panic!("{}: {other:?}", l.id),
        }
    }
}

#[test]
fn undocumented_codes_are_unknown_for_closed_code_sets_and_listed_elsewhere() {
    for l in active() {
        let got = interpret(l, &answer("x", &["127.0.0.99"]));
        match l.codes {
            Codes::Table { otherwise: None, .. } => assert!(matches!(got, State::Unknown { .. }), "{}: {got:?}", l.id),
            Codes::Table { otherwise: Some(m), .. } => {
                assert_eq!(
                    got,
                    State::Listed { codes: vec![(Ipv4Addr::new(127, 0, 0, 99), m.to_string())] },
                    "{}",
                    l.id
                )
            }
            // 99 = 64 + 32 + 2 + 1: SURBL knows 64 and 32; URIBL knows 2.
            Codes::Bitmask { .. } => assert!(matches!(got, State::Listed { .. }), "{}: {got:?}", l.id),
        }
    }
    // A bitmask with no known bit at all is unknown.
    assert!(matches!(interpret(list("uribl"), &answer("x", &["127.0.0.64"])), State::Unknown { .. }));
    // Spamhaus: a ZEN code under DBL is not a DBL code.
    assert!(matches!(interpret(list("spamhaus-dbl"), &answer("x", &["127.0.0.2"])), State::Unknown { .. }));
}

#[test]
fn bitmasks_name_every_sub_list() {
    match interpret(list("uribl"), &answer("x", &["127.0.0.14"])) {
        State::Listed { codes } => {
            assert!(codes[0].1.contains("black") && codes[0].1.contains("grey") && codes[0].1.contains("red"))
        }
        other => panic!("{other:?}"),
    }
    match interpret(list("surbl"), &answer("x", &["127.0.0.80"])) {
        State::Listed { codes } => assert!(codes[0].1.contains("MW") && codes[0].1.contains("ABUSE"), "{codes:?}"),
        other => panic!("{other:?}"),
    }
    match interpret(list("surbl"), &answer("x", &["127.0.0.10"])) {
        State::Listed { codes } => assert!(codes[0].1.contains("PH") && codes[0].1.contains("does not document")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn zen_answers_with_several_codes_keep_each_meaning() {
    match interpret(list("spamhaus-zen"), &answer("x", &["127.0.0.2", "127.0.0.4", "127.0.0.10"])) {
        State::Listed { codes } => {
            let m: Vec<&str> = codes.iter().map(|(_, m)| m.split(':').next().unwrap_or("")).collect();
            assert_eq!(m, ["SBL", "XBL", "PBL (set by the ISP)"]);
        }
        other => panic!("{other:?}"),
    }
}

/// What each list's test entries answer when it is healthy.
fn healthy_probe(l: &Blocklist) -> (Lookup, Lookup) {
    let code = match l.codes {
        Codes::Table { codes, .. } => codes[0].0.to_string(),
        Codes::Bitmask { bits } => Ipv4Addr::new(127, 0, 0, bits[0].0).to_string(),
    };
    let listed = format!("{}.{}", l.test_listed, l.zone);
    let unlisted = format!("{}.{}", l.test_unlisted, l.zone);
    (answer(&listed, &[&code]), outcome(&unlisted, Outcome::NxDomain))
}

#[test]
fn probes_for_every_list() {
    for l in active() {
        let (good, nx) = healthy_probe(l);
        assert_eq!(probe_health(l, &good, &nx), ProbeHealth::Healthy, "{}", l.id);
        // The must-be-listed entry is missing: the list does not answer here.
        let missing = outcome(&good.name, Outcome::NxDomain);
        assert!(matches!(probe_health(l, &missing, &nx), ProbeHealth::Broken { .. }), "{}", l.id);
        // The must-not entry is listed: the list (or resolver) says "listed" to everything.
        let everything = answer(&nx.name, &[&healthy_probe(l).0.data().next().unwrap().to_string()]);
        match probe_health(l, &good, &everything) {
            ProbeHealth::Broken { why } => assert!(why.contains("must never be listed"), "{why}"),
            other => panic!("{}: {other:?}", l.id),
        }
        // Timeouts: couldn't check.
        let slow = outcome(&good.name, Outcome::Failed(Failure::Timeout));
        assert_eq!(probe_health(l, &slow, &nx), ProbeHealth::CouldNotAsk { failure: Failure::Timeout }, "{}", l.id);
        // A rewriting resolver: unknown answer for the test entry.
        let rewritten = answer(&nx.name, &["93.184.215.14"]);
        assert!(matches!(probe_health(l, &good, &rewritten), ProbeHealth::Broken { .. }), "{}", l.id);
        // Each refusal code of the list.
        for (code, _) in l.errors {
            let refused = answer(&good.name, &[&code.to_string()]);
            assert!(matches!(probe_health(l, &refused, &nx), ProbeHealth::Refused { .. }), "{} {code}", l.id);
        }
    }
}

#[test]
fn settling_rows_against_the_probe() {
    let spamcop = list("spamcop");
    let barracuda = list("barracuda");
    let broken = ProbeHealth::Broken { why: "test entry missing".into() };
    // A list that failed its test: "not listed" becomes unusable…
    assert!(matches!(settle(spamcop, State::NotListed, &broken), State::Unusable { .. }));
    // …or refused, for a list known to refuse public resolvers.
    match settle(barracuda, State::NotListed, &broken) {
        State::Refused { code: None, meaning } => assert!(meaning.contains("registered")),
        other => panic!("{other:?}"),
    }
    // A timeout of the row itself stays a timeout whatever the probe said.
    let failed = State::LookupFailed { failure: Failure::ServFail };
    assert_eq!(settle(spamcop, failed.clone(), &broken), failed);
    // The probe was refused: every row is refused with the probe's code.
    let zen = list("spamhaus-zen");
    let refused = ProbeHealth::Refused { code: "127.255.255.254".parse().unwrap(), meaning: "public".into() };
    assert!(matches!(settle(zen, State::NotListed, &refused), State::Refused { code: Some(_), .. }));
    // Couldn't check the test entry: not "not listed".
    let could_not = ProbeHealth::CouldNotAsk { failure: Failure::Timeout };
    assert!(matches!(settle(spamcop, State::NotListed, &could_not), State::Unusable { .. }));
    // Healthy: the row's own answer stands.
    assert_eq!(settle(spamcop, State::NotListed, &ProbeHealth::Healthy), State::NotListed);
}

#[test]
fn catalogue_is_complete_and_cited() {
    let ids: Vec<&str> = CATALOGUE.iter().map(|l| l.id).collect();
    for want in [
        "spamhaus-zen",
        "spamhaus-dbl",
        "spamcop",
        "barracuda",
        "uceprotect-1",
        "psbl",
        "mailspike",
        "surbl",
        "uribl",
        "s5h",
        "sorbs",
    ] {
        assert!(ids.contains(&want), "{want} missing");
    }
    assert!(!list("sorbs").is_active());
    for l in CATALOGUE {
        let sources = catalogue::sources(l);
        assert!(!sources.is_empty(), "{} has no source", l.id);
        assert!(sources.iter().all(|s| s.url.starts_with("http") && s.checked.starts_with("20")), "{}", l.id);
        assert!(l.lookup_url.starts_with("http"), "{}", l.id);
        assert!(!l.zone.ends_with('.'), "{}", l.id);
    }
    // Sources only for lists of the catalogue, each once, in its order.
    let sourced: Vec<&str> = catalogue::SOURCES.iter().map(|(id, _)| *id).collect();
    assert_eq!(sourced, ids);
    let refusing: Vec<&str> = CATALOGUE.iter().filter(|l| l.refuses_public_resolvers.is_some()).map(|l| l.id).collect();
    assert_eq!(refusing, ["spamhaus-zen", "spamhaus-dbl", "barracuda", "surbl", "uribl"]);
}
