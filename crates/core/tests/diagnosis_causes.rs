//! Diagnosis table tests: one case per cause, each from the findings a
//! realistic zone produces (built directly here) and a realistic reply.

use maildoctor_core::diagnosis::{cause_ids, diagnose, CauseGroup, Confidence, DiagnosisInput};
use maildoctor_core::dns::{Failure, Lookup, Outcome, RecordType};
use maildoctor_core::finding::{Check, Code, Finding, Severity};
use maildoctor_core::input::NativeIdna;
use maildoctor_core::smtp::parse_reply;

fn finding(code: &'static str) -> Finding {
    // Parsing the text form also checks the table names only codes the checks have.
    let typed: Code = code.parse().unwrap_or_else(|_| panic!("{code} is not a finding code"));
    let severity = if code.ends_with(".ok") || code.ends_with("-pass") { Severity::Ok } else { Severity::Error };
    // PTR findings name the address they are about, as the real check's do.
    let about = if typed.check() == Check::Ptr { format!(" for {SENDING_IP}") } else { String::new() };
    Finding::new(typed, severity, format!("finding {code}{about}"))
}

const SENDING_IP: &str = "203.0.113.7";

struct Case {
    cause: &'static str,
    group: CauseGroup,
    sender: &'static [&'static str],
    recipient: &'static [&'static str],
    reply: &'static str,
    confidence: Confidence,
    /// The cause must rank first.
    top: bool,
    /// Every lookup failed with a transport error (the page was offline).
    offline: bool,
}

const CASES: &[Case] = &[
    Case {
        cause: "server.domain-missing",
        group: CauseGroup::ServerSide,
        sender: &["spf.ok"],
        recipient: &["mx.nxdomain"],
        reply: "postfix/smtp[1]: A1: to=<x@exampel-typo.com>, relay=none, delay=0.1, dsn=4.4.4, status=deferred (Host or domain name not found. Name service error for name=exampel-typo.com type=MX: Host not found, try again)",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "server.no-mail-server",
        group: CauseGroup::ServerSide,
        sender: &[],
        recipient: &["mx.null"],
        reply: "",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "server.mx-misconfigured",
        group: CauseGroup::ServerSide,
        sender: &[],
        recipient: &["mx.target-private", "mx.single"],
        reply: "postfix/smtp[2]: B2: to=<ann@lan-only.example>, relay=mail.lan-only.example[10.0.0.5]:25, dsn=4.4.1, status=deferred (connect to mail.lan-only.example[10.0.0.5]:25: Connection timed out)",
        confidence: Confidence::Likely,
        top: false,
        offline: false,
    },
    Case {
        cause: "server.dns-failing",
        group: CauseGroup::ServerSide,
        sender: &[],
        recipient: &["mx.lookup-failed"],
        reply: "Remote Server returned '451 4.4.0 DNS query failed. The error was: DNS query failed with error: ErrorRetry'",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "server.overloaded",
        group: CauseGroup::ServerSide,
        sender: &[],
        recipient: &["mx.ok", "mx.single"],
        reply: "421 4.4.5 Server busy, try again later.",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "server.greylisting",
        group: CauseGroup::ServerSide,
        sender: &[],
        recipient: &["mx.ok"],
        reply: "450 4.7.1 <bob@small.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/small.example.html",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "server.recipient-mailbox",
        group: CauseGroup::ServerSide,
        sender: &[],
        recipient: &["mx.ok"],
        reply: "452-4.2.2 The email account that you tried to reach is over quota. - gsmtp",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "server.starttls",
        group: CauseGroup::ServerSide,
        sender: &[],
        recipient: &["mx.ok"],
        reply: "postfix/smtp[3]: C3: to=<c@tls.example>, relay=mx.tls.example[192.0.2.60]:25, dsn=4.7.5, status=deferred (Cannot start TLS: handshake failure)",
        confidence: Confidence::Possible,
        top: true,
        offline: false,
    },
    Case {
        cause: "network.path",
        group: CauseGroup::Network,
        sender: &["ptr.ok", "spf.ok"],
        recipient: &["mx.ok"],
        reply: "postfix/smtp[4]: D4: to=<d@far.example>, relay=mx.far.example[198.51.100.4]:25, dsn=4.4.2, status=deferred (conversation with mx.far.example[198.51.100.4] timed out while sending RCPT TO)",
        confidence: Confidence::Possible,
        top: true,
        offline: false,
    },
    Case {
        cause: "network.path-mtu",
        group: CauseGroup::Network,
        sender: &["ptr.ok", "spf.ok"],
        recipient: &["mx.ok"],
        reply: "postfix/smtp[5]: E5: to=<ann@partner.example>, relay=mx1.partner.example[192.0.2.25]:25, dsn=4.4.2, status=deferred (conversation with mx1.partner.example[192.0.2.25] timed out while sending message body)",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "network.port-25-blocked",
        group: CauseGroup::Network,
        sender: &["ptr.ok"],
        recipient: &["mx.ok"],
        reply: "postfix/smtp[6]: F6: to=<carl@client.example>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx.client.example[198.51.100.20]:25: Connection timed out)",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "network.smtp-inspection",
        group: CauseGroup::Network,
        sender: &[],
        recipient: &["mx.ok"],
        reply: "postfix/smtp[7]: G7: to=<g@old.example>, relay=mx.old.example[192.0.2.70]:25, dsn=4.4.2, status=deferred (lost connection with mx.old.example[192.0.2.70] while performing the EHLO handshake)",
        confidence: Confidence::Possible,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.rate-limited",
        group: CauseGroup::SenderSide,
        sender: &["spf.ok", "ptr.ok", "dmarc.ok"],
        recipient: &["mx.ok"],
        reply: "421-4.7.28 [203.0.113.42 15] Our system has detected an unusual rate of\n421-4.7.28 unsolicited mail originating from your IP address.\n421 4.7.28 - gsmtp",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.reputation",
        group: CauseGroup::SenderSide,
        sender: &["spf.ok"],
        recipient: &["mx.ok"],
        reply: "554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.ptr",
        group: CauseGroup::SenderSide,
        sender: &["ptr.not-confirmed", "spf.ok"],
        recipient: &["mx.ok"],
        reply: "421-4.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. - gsmtp",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.spf",
        group: CauseGroup::SenderSide,
        sender: &["spf.sender-fail", "ptr.ok"],
        recipient: &["mx.ok"],
        reply: "421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message. - gsmtp",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.spf",
        group: CauseGroup::SenderSide,
        sender: &["spf.too-many-lookups"],
        recipient: &[],
        reply: "",
        confidence: Confidence::Possible,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.dmarc",
        group: CauseGroup::SenderSide,
        sender: &["dmarc.none", "spf.ok", "ptr.ok"],
        recipient: &["mx.ok"],
        reply: "421-4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp",
        confidence: Confidence::Likely,
        top: false,
        offline: false,
    },
    Case {
        cause: "sender.dkim",
        group: CauseGroup::SenderSide,
        sender: &["dkim.key-too-short", "spf.ok", "dmarc.ok"],
        recipient: &["mx.ok"],
        reply: "421-4.7.30 This message does not pass DKIM authentication. Gmail requires all\n421-4.7.30 bulk email senders to authenticate with DKIM. - gsmtp",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.authentication",
        group: CauseGroup::SenderSide,
        sender: &[],
        recipient: &[],
        reply: "451-4.7.26 This mail has been rate limited because it is unauthenticated. - gsmtp",
        confidence: Confidence::Likely,
        top: false,
        offline: false,
    },
    Case {
        cause: "sender.relay",
        group: CauseGroup::SenderSide,
        sender: &[],
        recipient: &["mx.ok"],
        reply: "454 4.7.1 <bob@elsewhere.example>: Relay access denied",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.domain-unroutable",
        group: CauseGroup::SenderSide,
        sender: &["mx.nxdomain"],
        recipient: &["mx.ok"],
        reply: "450 4.1.8 <alice@shop.example>: Sender address rejected: Domain not found",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.dns-failing",
        group: CauseGroup::SenderSide,
        sender: &["spf.lookup-failed"],
        recipient: &["mx.ok"],
        reply: "451 4.4.3 Temporary lookup failure",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "server.authority-unreachable",
        group: CauseGroup::ServerSide,
        sender: &["spf.ok"],
        recipient: &["mx.lookup-failed", "dns.no-reachable-authority"],
        reply: "postfix/smtp[9]: C3: to=<bo@dark.example>, relay=none, delay=30, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=dark.example type=MX: Host not found, try again)",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.authority-unreachable",
        group: CauseGroup::SenderSide,
        sender: &["spf.lookup-failed", "dns.dnssec-bogus"],
        recipient: &["mx.ok"],
        reply: "451 4.4.3 Temporary lookup failure",
        confidence: Confidence::Likely,
        top: true,
        offline: false,
    },
    Case {
        cause: "sender.too-slow",
        group: CauseGroup::SenderSide,
        sender: &["ptr.ok"],
        recipient: &["mx.ok"],
        reply: "421 4.4.2 mx.example.org Error: timeout exceeded",
        confidence: Confidence::Possible,
        top: false,
        offline: false,
    },
    Case {
        cause: "resolver.unreachable",
        group: CauseGroup::Network,
        sender: &["spf.lookup-failed", "dmarc.lookup-failed", "mx.lookup-failed"],
        recipient: &[],
        reply: "",
        confidence: Confidence::Likely,
        top: true,
        offline: true,
    },
];

/// What the page gets with no network: every question a transport error.
fn offline_lookups() -> Vec<Lookup> {
    [("shop.example", RecordType::Txt), ("_dmarc.shop.example", RecordType::Txt), ("shop.example", RecordType::Mx)]
        .into_iter()
        .map(|(n, t)| Lookup::new(n, t, Outcome::Failed(Failure::Transport("Failed to fetch".into()))))
        .collect()
}

fn findings(codes: &[&'static str]) -> Vec<Finding> {
    codes.iter().map(|c| finding(c)).collect()
}

#[test]
fn one_case_per_cause() {
    for case in CASES {
        let sender = findings(case.sender);
        let recipient = findings(case.recipient);
        let reply = if case.reply.is_empty() { None } else { Some(parse_reply(case.reply, &NativeIdna).unwrap()) };
        let lookups = if case.offline { offline_lookups() } else { Vec::new() };
        let input = DiagnosisInput {
            sender_domain: "shop.example",
            sender_findings: &sender,
            recipient_domain: Some("partner.example"),
            recipient_findings: &recipient,
            recipient_mx_hosts: &[],
            sending_ip: Some(SENDING_IP.parse().unwrap()),
            reply: reply.as_ref(),
            lookups: &lookups,
        };
        let d = diagnose(&input);
        let ranking: Vec<(&str, u8)> = d.causes.iter().map(|c| (c.id, c.score)).collect();
        let cause = d.cause(case.cause).unwrap_or_else(|| panic!("{}: missing; got {ranking:?}", case.cause));
        assert_eq!(cause.group, case.group, "{}", case.cause);
        assert_eq!(cause.confidence, case.confidence, "{}: {ranking:?}", case.cause);
        if case.top {
            assert_eq!(d.causes.first().map(|c| c.id), Some(case.cause), "{}: {ranking:?}", case.cause);
        }
        assert!(!cause.why.is_empty() && !cause.fix.is_empty(), "{}: why and fix", case.cause);
        for code in &cause.finding_codes {
            assert!(
                case.sender.contains(&code.as_str()) || case.recipient.contains(&code.as_str()),
                "{}: {code}",
                case.cause
            );
        }
        // Ranked, and confidence follows the score.
        assert!(d.causes.windows(2).all(|w| w[0].score >= w[1].score), "{}: not ranked", case.cause);
        assert!(!d.verdict.is_empty() && !d.verdict.contains('\n'));
    }
}

#[test]
fn every_cause_is_covered_by_a_case() {
    let covered: std::collections::BTreeSet<&str> = CASES.iter().map(|c| c.cause).collect();
    let known: std::collections::BTreeSet<&str> = cause_ids().into_iter().collect();
    assert_eq!(covered, known);
}

#[test]
fn verdict_is_honest_about_442() {
    let reply = parse_reply(CASES[9].reply, &NativeIdna).unwrap();
    let recipient = findings(&["mx.ok"]);
    let d = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        recipient_findings: &recipient,
        reply: Some(&reply),
        ..Default::default()
    });
    assert!(d.verdict.starts_with("4.4.2 means the connection opened and then timed out or broke"), "{}", d.verdict);
    assert!(d.verdict.contains("large packets"), "{}", d.verdict);
}

#[test]
fn verdict_says_both_sides_only_when_the_recipient_was_checked() {
    let sender = findings(&["mx.ok", "spf.ok", "dmarc.ok", "ptr.ok"]);
    let recipient = findings(&["mx.ok"]);
    let alone =
        diagnose(&DiagnosisInput { sender_domain: "shop.example", sender_findings: &sender, ..Default::default() });
    assert!(!alone.verdict.contains("both sides"), "{}", alone.verdict);
    assert!(alone.verdict.starts_with("Your domain's DNS looks fine"), "{}", alone.verdict);
    let both = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        sender_findings: &sender,
        recipient_domain: Some("big.example"),
        recipient_findings: &recipient,
        ..Default::default()
    });
    assert!(both.verdict.contains("both sides"), "{}", both.verdict);
}

#[test]
fn clean_checks_rule_causes_out() {
    let sender = findings(&["spf.ok", "dmarc.ok", "ptr.ok"]);
    let recipient = findings(&["mx.ok"]);
    let reply = parse_reply(CASES[8].reply, &NativeIdna).unwrap();
    let d = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        sender_findings: &sender,
        recipient_findings: &recipient,
        sending_ip: Some(SENDING_IP.parse().unwrap()),
        reply: Some(&reply),
        ..Default::default()
    });
    for id in ["sender.spf", "sender.dmarc", "sender.ptr", "server.mx-misconfigured"] {
        let c = d.cause(id).unwrap_or_else(|| panic!("{id} should be listed as ruled out"));
        assert_eq!(c.confidence, Confidence::Unlikely, "{id}");
        assert!(c.why.iter().any(|w| w.starts_with("Checked:")), "{id}");
    }
}

#[test]
fn partial_input_fills_in() {
    // Nothing yet.
    let empty = diagnose(&DiagnosisInput { sender_domain: "shop.example", ..Default::default() });
    assert!(empty.causes.is_empty());
    assert!(empty.verdict.starts_with("Not enough to go on"), "{}", empty.verdict);
    // The reply alone already points somewhere …
    let reply = parse_reply("421 4.4.2 mx.example.org Error: timeout exceeded", &NativeIdna).unwrap();
    let first = diagnose(&DiagnosisInput { sender_domain: "shop.example", reply: Some(&reply), ..Default::default() });
    assert!(first.cause("sender.spf").is_none());
    // … and the SPF answer arriving adds its cause.
    let sender = findings(&["spf.none"]);
    let later = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        sender_findings: &sender,
        reply: Some(&reply),
        ..Default::default()
    });
    assert_eq!(later.cause("sender.spf").map(|c| c.confidence), Some(Confidence::Possible));
}

#[test]
fn manual_checks_use_the_real_hosts() {
    let reply = parse_reply(CASES[9].reply, &NativeIdna).unwrap();
    let hosts = vec!["mx1.partner.example".to_string(), "mx2.partner.example".to_string()];
    let ip: std::net::IpAddr = "203.0.113.7".parse().unwrap();
    let d = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        recipient_domain: Some("partner.example"),
        recipient_mx_hosts: &hosts,
        sending_ip: Some(ip),
        reply: Some(&reply),
        ..Default::default()
    });
    let commands: Vec<&str> = d.check_yourself.iter().map(|c| c.command.as_str()).collect();
    for want in [
        "dig +short MX partner.example",
        "nslookup -type=mx partner.example",
        "nc -vz -w 10 mx1.partner.example 25",
        "openssl s_client -starttls smtp -connect mx1.partner.example:25 -servername mx1.partner.example -crlf",
        "swaks --server mx1.partner.example --from postmaster@shop.example --to postmaster@partner.example --quit-after RCPT",
        "sudo traceroute -T -p 25 mx1.partner.example",
        "ping -M do -s 1472 -c 3 mx1.partner.example; tracepath -n mx1.partner.example",
        "dig +short -x 203.0.113.7",
        "dig +short 7.113.0.203.zen.spamhaus.org",
    ] {
        assert!(commands.contains(&want), "missing {want:?} in {commands:#?}");
    }
    assert!(d.check_yourself.iter().all(|c| !c.what.is_empty() && !c.why.is_empty()));
}

const ALL_CODES: &[&str] = &[
    "mx.ok",
    "mx.nxdomain",
    "mx.lookup-failed",
    "mx.none-implicit",
    "mx.none",
    "mx.null",
    "mx.target-cname",
    "mx.target-ip-literal",
    "mx.target-nxdomain",
    "mx.target-no-address",
    "mx.target-private",
    "mx.target-lookup-failed",
    "mx.duplicate",
    "mx.single",
    "mx.no-usable-target",
    "ptr.ok",
    "ptr.missing",
    "ptr.not-confirmed",
    "ptr.generic",
    "ptr.multiple",
    "ptr.private-ip",
    "ptr.lookup-failed",
    "dmarc.ok",
    "dmarc.none",
    "dmarc.multiple",
    "dmarc.syntax",
    "dmarc.missing-p",
    "dmarc.p-none",
    "dmarc.no-rua",
    "dmarc.inherited",
    "dmarc.lookup-failed",
    "dmarc.public-suffix",
    "spf.none",
    "spf.multiple",
    "spf.syntax",
    "spf.too-many-lookups",
    "spf.void-lookups",
    "spf.ptr",
    "spf.all-permissive",
    "spf.no-all",
    "spf.include-no-spf",
    "spf.include-loop",
    "spf.lookup-failed",
    "spf.sender-fail",
    "spf.sender-softfail",
    "spf.sender-pass",
    "spf.sender-temperror",
    "spf.sender-permerror",
    "spf.ok",
];

proptest::proptest! {
    // Any mix of findings and any text: no panic, ranked, one-line verdict, confidence matching the score.
    #[test]
    fn never_panics_and_stays_consistent(
        sender in proptest::sample::subsequence(ALL_CODES.to_vec(), 0..10),
        recipient in proptest::sample::subsequence(ALL_CODES.to_vec(), 0..5),
        text in "\\PC{0,200}",
        hosts in proptest::collection::vec("[a-z]{1,8}\\.example", 0..3),
        with_ip in proptest::bool::ANY,
    ) {
        let sender: Vec<Finding> = sender.into_iter().map(finding).collect();
        let recipient: Vec<Finding> = recipient.into_iter().map(finding).collect();
        let reply = parse_reply(&text, &NativeIdna).ok();
        let ip: std::net::IpAddr = "203.0.113.7".parse().unwrap();
        let d = diagnose(&DiagnosisInput {
            sender_domain: "shop.example",
            sender_findings: &sender,
            recipient_domain: Some("partner.example"),
            recipient_findings: &recipient,
            recipient_mx_hosts: &hosts,
            sending_ip: with_ip.then_some(ip),
            reply: reply.as_ref(),
            lookups: &[],
        });
        proptest::prop_assert!(!d.verdict.is_empty() && !d.verdict.contains('\n'));
        proptest::prop_assert!(d.causes.windows(2).all(|w| w[0].score >= w[1].score));
        for c in &d.causes {
            proptest::prop_assert_eq!(c.confidence, Confidence::from_score(c.score));
            proptest::prop_assert!(!c.why.is_empty(), "{} has no why", c.id);
        }
        proptest::prop_assert!(!d.check_yourself.is_empty());
    }
}

// Issue 15 §3: the diagnosis defects found by trying it, one regression test each.

/// A recognised Gmail 4.7.0 whose documented meaning quotes "Try again later,
/// closing connection": that is our prose, not the server's words, and a
/// policy status is not a busy server.
#[test]
fn our_own_explanation_is_not_evidence() {
    let reply = parse_reply(
        "421 4.7.0 [203.0.113.7      15] Our system has detected that this message is suspicious. - gsmtp",
        &NativeIdna,
    )
    .unwrap();
    assert!(reply.provider_meaning.as_deref().unwrap_or("").contains("Try again later, closing connection"));
    let d = diagnose(&DiagnosisInput { sender_domain: "shop.example", reply: Some(&reply), ..Default::default() });
    assert!(d.cause("server.overloaded").is_none(), "{:?}", d.causes.iter().map(|c| c.id).collect::<Vec<_>>());
    assert!(!d.verdict.contains("down or overloaded"), "{}", d.verdict);
}

#[test]
fn no_network_blames_the_connection_not_the_domain() {
    let sender = offline_findings();
    let lookups = offline_lookups();
    let d = diagnose(&DiagnosisInput {
        sender_domain: "example.com",
        sender_findings: &sender,
        lookups: &lookups,
        ..Default::default()
    });
    assert!(d.resolver_unreachable);
    assert!(d.verdict.contains("could not reach the DNS resolver"), "{}", d.verdict);
    assert!(d.verdict.contains("nothing is known about example.com yet"), "{}", d.verdict);
    assert!(d.verdict.contains("another resolver"), "{}", d.verdict);
    assert!(!d.verdict.to_lowercase().contains("dns is failing"), "{}", d.verdict);
    assert_eq!(d.causes.first().map(|c| c.id), Some("resolver.unreachable"));
    for id in ["sender.dns-failing", "server.dns-failing", "sender.spf", "sender.dmarc"] {
        assert!(d.cause(id).is_none(), "{id} must not be listed: nothing is known yet");
    }
    // Real DNS failures (SERVFAIL) are still the domain's.
    let servfail: Vec<Lookup> = vec![Lookup::new("shop.example", RecordType::Txt, Outcome::Failed(Failure::ServFail))];
    let sender = findings(&["spf.lookup-failed", "dmarc.lookup-failed"]);
    let d = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        sender_findings: &sender,
        lookups: &servfail,
        ..Default::default()
    });
    assert!(!d.resolver_unreachable);
    assert!(d.cause("sender.dns-failing").is_some_and(|c| c.confidence == Confidence::Possible));
}

fn offline_findings() -> Vec<Finding> {
    offline_lookups()
        .iter()
        .zip(["spf.lookup-failed", "dmarc.lookup-failed", "mx.lookup-failed"])
        .map(|(l, code)| finding(code).evidence(l))
        .collect()
}

/// A failed `_dmarc` query is named as such, and one failure among many
/// answers does not lead the verdict with "your domain's DNS is failing".
#[test]
fn a_cause_names_the_lookup_that_failed() {
    let failed = Lookup::new("_dmarc.shop.example", RecordType::Txt, Outcome::Failed(Failure::ServFail));
    let answered = |n: &str, t| Lookup::new(n, t, Outcome::NoData(Vec::new()));
    let lookups = vec![
        failed.clone(),
        answered("shop.example", RecordType::Txt),
        answered("shop.example", RecordType::Mx),
        answered("shop.example", RecordType::A),
    ];
    let sender = vec![finding("dmarc.lookup-failed").evidence(&failed), finding("spf.ok")];
    let d = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        sender_findings: &sender,
        lookups: &lookups,
        ..Default::default()
    });
    let c = d.cause("sender.dns-failing").expect("listed");
    let text = format!("{} {:?}", c.title, c.fix);
    assert!(text.contains("_dmarc.shop.example"), "{text}");
    assert!(!text.contains("SPF"), "a DMARC failure explained as SPF: {text}");
    assert!(c.confidence < Confidence::Possible, "{}", c.score);
    assert!(!d.verdict.to_lowercase().contains("dns is failing"), "{}", d.verdict);
}

/// RFC 5737 documentation addresses are not "private (internal)".
#[test]
fn documentation_addresses_are_not_called_private() {
    let sender = findings(&["ptr.private-ip"]);
    let reply = parse_reply("421 4.7.25 no PTR record for your IP", &NativeIdna).unwrap();
    let d = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        sender_findings: &sender,
        sending_ip: Some(SENDING_IP.parse().unwrap()),
        reply: Some(&reply),
        ..Default::default()
    });
    let fix = d.cause("sender.ptr").expect("listed").fix.join(" ");
    assert!(fix.contains("documentation"), "{fix}");
    assert!(!fix.contains("private"), "{fix}");
    let sender = vec![Finding::new(
        Code::Ptr(maildoctor_core::ptr::PtrCode::PrivateIp),
        Severity::Warning,
        "192.168.1.20 is private",
    )];
    let d = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        sender_findings: &sender,
        sending_ip: Some("192.168.1.20".parse().unwrap()),
        reply: Some(&reply),
        ..Default::default()
    });
    assert!(d.cause("sender.ptr").expect("listed").fix.join(" ").contains("private address"));
}

/// Outlook.com's 5.7.515 is the high-volume authentication requirement,
/// never throttling; its RP-001 is.
#[test]
fn outlook_515_is_authentication_not_throttling() {
    let reply = parse_reply(
        "550 5.7.515 Access denied, sending domain shop.example does not meet the required authentication level. [BN1PEPF00004686.namprd05.prod.outlook.com]",
        &NativeIdna,
    )
    .unwrap();
    let d = diagnose(&DiagnosisInput { sender_domain: "shop.example", reply: Some(&reply), ..Default::default() });
    assert!(d.cause("sender.rate-limited").is_none());
    assert_eq!(d.causes.first().map(|c| c.id), Some("sender.authentication"));
    let reply = parse_reply(
        "421 RP-001 (COL004-MC1F23) Unfortunately, some messages from 203.0.113.9 weren't sent. Please try again. [hotmail-com.olc.protection.outlook.com]",
        &NativeIdna,
    )
    .unwrap();
    let d = diagnose(&DiagnosisInput { sender_domain: "shop.example", reply: Some(&reply), ..Default::default() });
    assert_eq!(d.causes.first().map(|c| c.id), Some("sender.rate-limited"));
}
