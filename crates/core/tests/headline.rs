//! The verdict never contradicts the page: over every reference zone and
//! domain, with and without a recipient, and with each kind of pasted reply,
//! the headline ([`Headline::of`] via `derive`) names exactly the checks the
//! badges flag, says "passed" only when nothing is flagged, and quotes a
//! pasted reply's own words. The action list follows the same report.

use std::rc::Rc;

use futures::executor::block_on;
use maildoctor_core::check::derive::{derive, Derived, Tone};
use maildoctor_core::check::report::{Action, Report};
use maildoctor_core::check::request::{Request, ResolverSetting};
use maildoctor_core::check::runner::run_all;
use maildoctor_core::check::Status;
use maildoctor_core::dns::{Failure, Lookup, MemoryResolver, Outcome, RecordType, Resolver};
use maildoctor_core::input::{parse_domain, NativeIdna};
use maildoctor_core::smtp::parse_reply;

fn zones() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/e2e/zones/");
    let mut text = String::new();
    for entry in std::fs::read_dir(dir).expect("the e2e zones") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "zone") {
            text.push_str(&std::fs::read_to_string(path).unwrap());
            text.push('\n');
        }
    }
    text
}

/// Every domain the reference zones hold, and one that does not exist.
const DOMAINS: &[&str] = &[
    "healthy.example",
    "broken.example",
    "servfail.example",
    "slow.example",
    "mx-only.example",
    "no-such-domain.example",
    "xn--bcher-kva.example",
    "blocklisted.example",
];

/// Replies of each kind the reader knows: a timeout logged by Postfix, the
/// providers' own words, a bounce, a greylisting and a mailbox reply.
const REPLIES: &[&str] = &[
    "",
    "postfix/smtp[5]: E5: to=<ann@healthy.example>, relay=mx1.healthy.example[93.184.215.14]:25, dsn=4.4.2, status=deferred (conversation with mx1.healthy.example[93.184.215.14] timed out while sending message body)",
    "421 4.4.2 Bad connection / timeout during transmission",
    "421-4.7.0 [203.0.113.9      15] Our system has detected that this message is\n421-4.7.0 suspicious due to the nature of the content and/or the links within.\n421 4.7.0 To best protect our users from spam, the message has been blocked. - gsmtp",
    "421-4.7.0 [203.0.113.9      15] Our system has detected an unusual rate of\n421 4.7.0 unsolicited mail originating from your IP address. - gsmtp",
    "421-4.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. - gsmtp",
    "421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message. - gsmtp",
    "421-4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp",
    "421 4.7.0 [TSS04] Messages from 203.0.113.8 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
    "450 4.2.0 <bob@healthy.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/healthy.example.html",
    "452 4.2.2 The email account that you tried to reach is over quota. - gsmtp",
    "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Unable to connect to mx.slow.example: Connection timed out>",
];

fn request(domain: &str, recipient: Option<&str>, reply: &str) -> Rc<Request> {
    let reply_text = (!reply.is_empty()).then(|| reply.to_string());
    Rc::new(Request {
        domain: parse_domain(domain, &NativeIdna).unwrap(),
        recipient: recipient.map(|r| parse_domain(r, &NativeIdna).unwrap()),
        sending_ip: None,
        dkim_selectors: Vec::new(),
        reply: reply_text.as_deref().and_then(|t| parse_reply(t, &NativeIdna).ok()),
        smtp_text: reply_text,
        mta_sts_policy: None,
        resolver: ResolverSetting::Cloudflare,
    })
}

fn run<R: Resolver>(resolver: &R, req: Rc<Request>) -> (Report, Derived) {
    run_after(&Report::default(), resolver, req)
}

/// A run that follows `previous` (as "check again" does on the page).
fn run_after<R: Resolver>(previous: &Report, resolver: &R, req: Rc<Request>) -> (Report, Derived) {
    let mut report = previous.reduce(Action::Start(Rc::clone(&req))).unwrap();
    let actions = std::cell::RefCell::new(Vec::new());
    block_on(run_all(resolver, &req, report.run, &|a| actions.borrow_mut().push(a)));
    for action in actions.into_inner() {
        if let Some(next) = report.reduce(action) {
            report = next;
        }
    }
    assert!(!report.in_flight());
    let derived = derive(&report, &NativeIdna);
    (report, derived)
}

/// The sentences no verdict may hold: they say nothing a person can act on.
const EMPTY_PHRASES: &[&str] = &["no finding proves", "run the checks below", "looks fine"];

/// The rule, checked on one run: no word of the headline contradicts a badge.
fn assert_consistent(what: &str, req: &Request, d: &Derived) {
    let h = &d.headline;
    let flagged =
        |s: Status| -> Vec<&str> { d.statuses.iter().filter(|(_, x)| *x == s).map(|(c, _)| c.short()).collect() };
    let (fails, warns, unknown) = (flagged(Status::Fail), flagged(Status::Warn), flagged(Status::Unknown));
    let expected = if !fails.is_empty() {
        Tone::Problems
    } else if !unknown.is_empty() {
        Tone::CouldNotAsk
    } else if !warns.is_empty() {
        Tone::Warnings
    } else {
        Tone::Fine
    };
    assert_eq!(h.tone, expected, "{what}: {h:?} over {:?}", d.statuses);
    for name in fails.iter().chain(&warns).chain(&unknown) {
        assert!(h.dns.contains(name), "{what}: the verdict must name {name}: {}", h.dns);
    }
    let clean = fails.is_empty() && warns.is_empty() && unknown.is_empty();
    assert_eq!(h.dns.contains("passed"), clean, "{what}: {}", h.dns);
    assert_eq!(h.tone.label().contains("right"), clean, "{what}");
    let all = format!("{} {} {}", h.tone.label(), h.dns, h.cause.as_deref().unwrap_or("")).to_lowercase();
    for phrase in EMPTY_PHRASES {
        assert!(!all.contains(phrase), "{what}: {all}");
    }
    match &req.reply {
        None => assert_eq!(h.cause, None, "{what}: no reply, no cause of a deferral"),
        Some(reply) => {
            let cause = h.cause.as_deref().unwrap_or_else(|| panic!("{what}: a reply was pasted"));
            if let Some(e) = reply.enhanced {
                assert!(cause.contains(&e.to_string()), "{what}: {cause}");
            }
            // The receiver's own words (what it names as the cause) are quoted.
            let words: String = reply.text.chars().take(60).collect();
            assert!(cause.contains(words.trim()), "{what}: {cause} lacks {words}");
            let diagnosis = d.diagnosis.as_ref().unwrap();
            if let Some(top) = diagnosis.likely().next() {
                assert!(cause.contains(&top.title), "{what}: {cause} lacks {}", top.title);
            }
        }
    }
}

#[test]
fn the_headline_never_contradicts_the_page() {
    let resolver = MemoryResolver::from_zone_text(&zones()).unwrap();
    let mut runs = 0;
    for domain in DOMAINS {
        for recipient in [None, Some("healthy.example"), Some("broken.example"), Some("servfail.example")] {
            for reply in REPLIES {
                let req = request(domain, recipient, reply);
                let (_, derived) = run(&resolver, Rc::clone(&req));
                let what = format!("{domain} → {recipient:?} with {reply:.40}");
                assert_consistent(&what, &req, &derived);
                runs += 1;
            }
        }
    }
    assert_eq!(runs, DOMAINS.len() * 4 * REPLIES.len());
}

#[test]
fn a_cause_the_reply_names_is_in_the_verdict() {
    let resolver = MemoryResolver::from_zone_text(&zones()).unwrap();
    let (_, d) = run(&resolver, request("healthy.example", None, REPLIES[3]));
    let cause = d.headline.cause.unwrap();
    assert!(cause.contains("content and/or the links"), "{cause}");
    assert!(cause.starts_with("421 4.7.0: the error says"), "{cause}");
    // And the DNS line stays about the DNS.
    assert!(!d.headline.dns.contains("content"));
}

#[test]
fn dns_problems_and_the_deferral_are_told_apart() {
    let resolver = MemoryResolver::from_zone_text(&zones()).unwrap();
    let (_, d) = run(&resolver, request("broken.example", None, REPLIES[2]));
    assert_eq!(d.headline.tone, Tone::Problems);
    assert_eq!(d.headline.dns, "Problems in SPF. Warnings in MX, DMARC, DKIM and Reverse DNS.");
    let cause = d.headline.cause.unwrap();
    assert!(cause.starts_with("421 4.4.2: the error says “Bad connection"), "{cause}");
    // A healthy domain: the DNS line passes, the cause line still speaks.
    let (_, d) = run(&resolver, request("healthy.example", None, REPLIES[1]));
    assert!(d.headline.dns.starts_with("Every check"), "{}", d.headline.dns);
    assert!(d.headline.cause.unwrap().contains("Most likely cause:"));
}

/// A resolver nobody can reach: the browser is offline, or the network blocks it.
struct Offline;

impl Resolver for Offline {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        Lookup::new(name, rtype, Outcome::Failed(Failure::Transport("Failed to fetch".into())))
    }
}

#[test]
fn an_unreachable_resolver_is_not_the_domains_fault() {
    let (_, d) = run(&Offline, request("healthy.example", None, REPLIES[2]));
    assert_eq!(d.headline.tone, Tone::Unreachable);
    assert_eq!(d.headline.tone.label(), "Could not reach the DNS resolver");
    assert!(d.headline.dns.starts_with("Nothing is known about the domain yet"), "{}", d.headline.dns);
    assert_eq!(d.headline.cause, None, "nothing is known: no cause is named");
    assert!(d.steps.is_empty(), "nothing to fix in a domain we could not ask about");
    // A domain whose own servers fail is still the domain's problem.
    let resolver = MemoryResolver::from_zone_text(&zones()).unwrap();
    let (_, d) = run(&resolver, request("servfail.example", None, ""));
    assert_eq!(d.headline.tone, Tone::CouldNotAsk);
}

#[test]
fn the_action_list_per_scenario() {
    let resolver = MemoryResolver::from_zone_text(&zones()).unwrap();
    let kinds = |domain: &str| -> Vec<&'static str> {
        run(&resolver, request(domain, None, "")).1.steps.iter().map(|s| s.kind).collect()
    };
    assert_eq!(kinds("healthy.example"), Vec::<&str>::new());
    assert_eq!(kinds("broken.example"), ["spf", "spf-delete", "dmarc", "mx", "ptr"]);
    assert_eq!(kinds("servfail.example"), Vec::<&str>::new(), "nothing known, nothing to do");
    assert_eq!(kinds("mx-only.example"), ["spf", "dmarc"]);
    // A record that passes asks for no decision first.
    let (_, d) = run(&resolver, request("mx-only.example", None, ""));
    assert!(!d.steps[0].text.contains("First choose"), "{:?}", d.steps[0]);

    let (report, d) = run(&resolver, request("broken.example", None, ""));
    let spf = report.spf().unwrap();
    let [edit, delete, dmarc, mx, ptr] = d.steps.as_slice() else { panic!("{:?}", d.steps) };
    // Which SPF record to edit and which to delete, each shown as published.
    assert_eq!(edit.current, [spf.records[0].clone()]);
    assert_eq!(delete.current, [spf.records[1].clone()]);
    assert!(delete.card.is_none() && edit.card.is_some());
    assert_eq!(d.generated[edit.card.unwrap()].kind, "spf");
    assert_eq!(d.generated[dmarc.card.unwrap()].kind, "dmarc");
    // Where reports go is asked, not a mailbox to create.
    assert!(
        dmarc
            .text
            .starts_with("Add this DMARC record. Its reports go to dmarc-reports@broken.example: a mailbox you read?"),
        "{}",
        dmarc.text
    );
    // Both say what to decide first, and where (no builder on the page: the card says it).
    assert!(dmarc.text.contains("after rua=mailto:"), "{}", dmarc.text);
    let spf_passes = d.generated[edit.card.unwrap()].passes;
    assert_eq!(edit.text.contains("First choose which senders to keep"), !spf_passes, "{}", edit.text);
    let card = &d.generated[dmarc.card.unwrap()];
    assert!(card.warnings.iter().all(|w| !w.contains("Create the mailbox")), "{:?}", card.warnings);
    // The MX finding's own advice, once.
    assert_eq!(mx.text, "Point the MX at host.broken-hosting.example directly.");
    // The reverse-DNS request names the address and the host, ready to send.
    let letter = ptr.letter.as_deref().unwrap();
    assert!(letter.contains("of our IP address 93.184.216.34 to host.broken-hosting.example."), "{letter}");
    assert!(ptr.text.contains("93.184.216.34"), "{}", ptr.text);
    // After publishing: the TTLs the resolver returned (300 s in the zone), not a generic delay.
    assert_eq!(d.after[0], "Receivers may use your old SPF record for up to 5 minutes (its TTL) after you change it.");
    assert!(
        d.after[1].starts_with("Resolvers see a new DMARC record once they forget there was none"),
        "{:?}",
        d.after
    );
    assert!(d.after[2].starts_with("Receivers may use your old MX record for up to 5 minutes"), "{:?}", d.after);
    assert!(d.after.iter().any(|a| a.contains("retries deferred mail for days")));
    assert!(d.after.iter().any(|a| a.contains("Show original")));
    assert!(
        run(&resolver, request("healthy.example", None, "")).1.after.is_empty(),
        "nothing to publish, nothing after"
    );
}

#[test]
fn a_record_card_says_corrected_only_when_it_passes() {
    let resolver = MemoryResolver::from_zone_text(&zones()).unwrap();
    for domain in DOMAINS {
        let (_, d) = run(&resolver, request(domain, None, ""));
        for g in &d.generated {
            if g.title.starts_with("Corrected") {
                assert!(g.passes, "{domain}: {g:?}");
            }
            assert_eq!(g.title.contains("decision is needed"), !g.passes, "{domain}: {}", g.title);
        }
    }
    let (_, d) = run(&resolver, request("broken.example", None, ""));
    // Merged and flattened within 10 lookups (issue 15's generator): a fix, and the card says so.
    assert_eq!(d.generated[0].title, "Corrected SPF record");
    let (_, d) = run(&resolver, request("mx-only.example", None, ""));
    let titles: Vec<&str> = d.generated.iter().map(|g| g.title.as_str()).collect();
    assert_eq!(titles, ["Corrected SPF record", "New DMARC record"]);
}

#[test]
fn which_spf_record_to_edit_does_not_depend_on_the_answer_order() {
    // A real resolver may return the two records in either order (the fixture
    // keeps zone order): the step edits the longer one and deletes the other.
    let long = "v=spf1 a mx include:_spf.mail.example ~all";
    let short = "v=spf1 ip4:192.0.2.0/24 -all";
    for (first, second) in [(long, short), (short, long)] {
        let zone = format!(
            "two.example. 300 MX 10 mail.two.example.\nmail.two.example. 300 A 192.0.2.25\n\
             two.example. 300 TXT \"{first}\"\ntwo.example. 300 TXT \"{second}\"\n\
             _spf.mail.example. 300 TXT \"v=spf1 ip4:198.51.100.0/24 ~all\"\n"
        );
        let resolver = MemoryResolver::from_zone_text(&zone).unwrap();
        let (_, d) = run(&resolver, request("two.example", None, ""));
        let edit = d.steps.iter().find(|s| s.kind == "spf").expect("an SPF step");
        let delete = d.steps.iter().find(|s| s.kind == "spf-delete").expect("a delete step");
        assert_eq!(edit.current, [long.to_string()], "{first} first");
        assert_eq!(delete.current, [short.to_string()], "{first} first");
    }
}

/// A resolver that answers as a real server does for names with nothing of
/// the asked type: with its zone's SOA, here a negative-caching time of 5 minutes.
struct WithSoa(MemoryResolver);

impl Resolver for WithSoa {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let mut lookup = self.0.lookup(name, rtype).await;
        if matches!(lookup.outcome, Outcome::NxDomain | Outcome::NoData(_)) {
            lookup.negative_ttl = Some(300);
        }
        lookup
    }
}

#[test]
fn after_publishing_says_how_long_a_missing_record_stays_missing() {
    // broken.example publishes no DMARC record: the step adds one, and the
    // negative answer's cache time (RFC 2308) says when it will be seen.
    let resolver = WithSoa(MemoryResolver::from_zone_text(&zones()).unwrap());
    let (_, d) = run(&resolver, request("broken.example", None, ""));
    assert!(d.steps.iter().any(|s| s.kind == "dmarc"), "{:?}", d.steps);
    let dmarc = d.after.iter().find(|a| a.contains("DMARC")).expect("a line about DMARC");
    assert!(dmarc.contains("up to 5 minutes, your zone's negative-caching time"), "{dmarc}");
    // Without the SOA (the fixture's answers), the generic sentence stays.
    let plain = MemoryResolver::from_zone_text(&zones()).unwrap();
    let (_, d) = run(&plain, request("broken.example", None, ""));
    let dmarc = d.after.iter().find(|a| a.contains("DMARC")).expect("a line about DMARC");
    assert!(dmarc.contains("the last number of its SOA record"), "{dmarc}");
}

#[test]
fn check_again_says_what_changed_since_the_last_run() {
    let zones = zones();
    let (first, d) = run(&MemoryResolver::from_zone_text(&zones).unwrap(), request("broken.example", None, ""));
    assert!(d.since_last.is_empty(), "a first run has nothing to compare with");
    // The person deletes the second SPF record and adds DMARC, then checks again.
    let fixed = zones.replace("broken.example.                300 TXT   \"v=spf1 ip4:93.184.216.0/24 -all\"\n", "")
        + "\n_dmarc.broken.example. 300 TXT \"v=DMARC1; p=none; rua=mailto:d@broken.example\"\n";
    assert!(!fixed.contains("\"v=spf1 ip4:93.184.216.0/24 -all\""), "the second SPF record is gone");
    let (again, d) =
        run_after(&first, &MemoryResolver::from_zone_text(&fixed).unwrap(), request("broken.example", None, ""));
    assert_eq!(d.since_last.len(), 2, "{:?}", d.since_last);
    assert!(d.since_last[0].starts_with("SPF: v=spf1 a mx include:s1.broken.example"), "{}", d.since_last[0]);
    assert!(d.since_last[0].ends_with("| v=spf1 ip4:93.184.216.0/24 -all → v=spf1 a mx include:s1.broken.example include:s2.broken.example include:s3.broken.example +all"), "{}", d.since_last[0]);
    assert_eq!(d.since_last[1], "DMARC: none → v=DMARC1; p=none; rua=mailto:d@broken.example");
    // Once more with nothing changed: it says so.
    let (_, d) =
        run_after(&again, &MemoryResolver::from_zone_text(&fixed).unwrap(), request("broken.example", None, ""));
    assert_eq!(d.since_last.len(), 1);
    assert!(d.since_last[0].starts_with("No change in the SPF, DMARC and MX records"), "{:?}", d.since_last);
    // Another domain: nothing to compare.
    let (_, d) =
        run_after(&again, &MemoryResolver::from_zone_text(&fixed).unwrap(), request("healthy.example", None, ""));
    assert!(d.since_last.is_empty());
}

/// A server that sends every RRset the other way round, as a real one may
/// (round-robin rotation, RFC 1035 §6.3).
struct Rotated(MemoryResolver);

impl Resolver for Rotated {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let mut lookup = self.0.lookup(name, rtype).await;
        if let Outcome::Records(records) = &mut lookup.outcome {
            records.reverse();
        }
        lookup
    }
}

#[test]
fn check_again_does_not_call_a_rotated_rrset_a_change() {
    // broken.example has two SPF records; the second answer lists them the other way round.
    let zones = zones();
    let (first, d1) = run(&MemoryResolver::from_zone_text(&zones).unwrap(), request("broken.example", None, ""));
    let (again, d) = run_after(
        &first,
        &Rotated(MemoryResolver::from_zone_text(&zones).unwrap()),
        request("broken.example", None, ""),
    );
    assert_eq!(d.since_last.len(), 1, "{:?}", d.since_last);
    assert!(d.since_last[0].starts_with("No change in the SPF, DMARC and MX records"), "{:?}", d.since_last);
    // Nor does the report: "SPF record 1 of 2" is the same record, the same fix
    // is offered. (The evidence shows the records as each answer had them.)
    let said = |r: &Report| -> Vec<String> {
        r.spf().map(|s| s.findings.iter().map(|f| f.message.clone()).collect()).unwrap_or_default()
    };
    assert_eq!(said(&again), said(&first));
    assert_eq!(d.generated, d1.generated);
    assert_eq!(d.steps, d1.steps);
}
