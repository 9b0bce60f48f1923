//! Diagnosis over the real checks: SPF, DMARC, MX and PTR run against an
//! in-memory zone, then the diagnosis reads their findings and the reply.

use std::net::IpAddr;

use futures::executor::block_on;
use maildoctor_core::check::CheckReport;
use maildoctor_core::diagnosis::{diagnose, Confidence, Diagnosis, DiagnosisInput};
use maildoctor_core::dmarc::check_dmarc;
use maildoctor_core::dns::{Lookup, MemoryResolver};
use maildoctor_core::finding::Finding;
use maildoctor_core::input::NativeIdna;
use maildoctor_core::mx::check_mx;
use maildoctor_core::ptr::{check_ptr, ptr_targets};
use maildoctor_core::smtp::parse_reply;
use maildoctor_core::spf::check_spf;

/// A healthy sender (shop.example, sending from 185.12.64.10) and a healthy recipient (partner.example).
const HEALTHY: &str = r#"
shop.example MX 10 mail.shop.example
mail.shop.example A 185.12.64.10
shop.example TXT "v=spf1 mx ip4:185.12.64.10 -all"
_dmarc.shop.example TXT "v=DMARC1; p=quarantine; rua=mailto:dmarc@shop.example"
10.64.12.185.in-addr.arpa PTR mail.shop.example
partner.example MX 10 mx1.partner.example
partner.example MX 20 mx2.partner.example
mx1.partner.example A 37.120.1.25
mx2.partner.example A 37.120.1.26
"#;

const SENDING_IP: &str = "185.12.64.10";

struct Run {
    diagnosis: Diagnosis,
    sender: Vec<Finding>,
    recipient: Vec<Finding>,
}

fn run(zone: &str, ip: Option<&str>, reply: &str) -> Run {
    let r = MemoryResolver::from_zone_text(zone).unwrap();
    let ip: Option<IpAddr> = ip.map(|s| s.parse().unwrap());
    let (spf, dmarc, smx, rmx) = block_on(async {
        futures::join!(
            check_spf(&r, "shop.example", ip),
            check_dmarc(&r, "shop.example"),
            check_mx(&r, "shop.example"),
            check_mx(&r, "partner.example"),
        )
    });
    // As the page does: the sender domain's MX hosts and the sending IP.
    let ptr = block_on(check_ptr(&r, &ptr_targets(&smx, ip)));
    let lookups: Vec<Lookup> = [spf.lookups(), dmarc.lookups(), smx.lookups(), rmx.lookups(), ptr.lookups()].concat();
    let sender: Vec<Finding> = [spf.findings, dmarc.findings, smx.findings, ptr.findings].concat();
    let recipient = rmx.findings.clone();
    let hosts: Vec<String> = rmx.hosts.iter().map(|h| h.name.clone()).collect();
    let reply = if reply.is_empty() { None } else { Some(parse_reply(reply, &NativeIdna).unwrap()) };
    let diagnosis = diagnose(&DiagnosisInput {
        sender_domain: "shop.example",
        sender_findings: &sender,
        recipient_domain: Some("partner.example"),
        recipient_findings: &recipient,
        recipient_mx_hosts: &hosts,
        sending_ip: ip,
        reply: reply.as_ref(),
        lookups: &lookups,
    });
    Run { diagnosis, sender, recipient }
}

/// `HEALTHY` with lines replaced: (line to drop prefix, replacement lines).
fn zone(edits: &[(&str, &str)]) -> String {
    let mut lines: Vec<String> = HEALTHY.lines().map(str::to_string).collect();
    for (drop, add) in edits {
        if !drop.is_empty() {
            lines.retain(|l| !l.starts_with(drop));
        }
        lines.extend(add.lines().map(str::to_string));
    }
    lines.join("\n")
}

struct Case {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    ip: Option<&'static str>,
    reply: &'static str,
    cause: &'static str,
    confidence: Confidence,
    top: bool,
    /// Finding codes the cause must cite.
    cites: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "healthy DNS, body stalls: path MTU",
        edits: &[],
        ip: Some(SENDING_IP),
        reply: "postfix/smtp[5]: E5: to=<ann@partner.example>, relay=mx1.partner.example[37.120.1.25]:25, dsn=4.4.2, status=deferred (conversation with mx1.partner.example[37.120.1.25] timed out while sending message body)",
        cause: "network.path-mtu",
        confidence: Confidence::Likely,
        top: true,
        cites: &[],
    },
    Case {
        name: "healthy DNS, connect times out: port 25 blocked",
        edits: &[],
        ip: Some(SENDING_IP),
        reply: "postfix/smtp[6]: F6: to=<bob@partner.example>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx1.partner.example[37.120.1.25]:25: Connection timed out)",
        cause: "network.port-25-blocked",
        confidence: Confidence::Likely,
        top: true,
        cites: &[],
    },
    Case {
        name: "Gmail could not connect: their server, not a port-25 block",
        edits: &[],
        ip: None,
        reply: "Delivery incomplete\n\nThere was a temporary problem delivering your message to bob@partner.example. Gmail will retry for 46 more hours.\n\nThe response was:\n\nThe recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx1.partner.example. 37.120.1.25: timed out]",
        cause: "server.overloaded",
        confidence: Confidence::Likely,
        top: true,
        cites: &[],
    },
    Case {
        name: "no PTR for the sending IP, greeting times out (tarpit)",
        edits: &[("10.64.12.185.in-addr.arpa", "")],
        ip: Some(SENDING_IP),
        reply: "postfix/smtp[7]: G7: to=<bob@partner.example>, relay=mx1.partner.example[37.120.1.25]:25, dsn=4.4.2, status=deferred (conversation with mx1.partner.example[37.120.1.25] timed out while receiving the initial server greeting)",
        cause: "sender.ptr",
        confidence: Confidence::Possible,
        top: true,
        cites: &["ptr.missing"],
    },
    Case {
        name: "PTR not forward-confirmed, Gmail says so",
        edits: &[("10.64.12.185.in-addr.arpa", "10.64.12.185.in-addr.arpa PTR host-10.isp.example\nhost-10.isp.example A 185.12.64.99")],
        ip: Some(SENDING_IP),
        reply: "421-4.7.25 The IP address sending this message does not have a PTR record setup, or the corresponding forward DNS entry does not point to the sending IP. - gsmtp",
        cause: "sender.ptr",
        confidence: Confidence::Likely,
        top: true,
        cites: &["ptr.not-confirmed"],
    },
    Case {
        name: "SPF does not list the server, Gmail 4.7.27",
        edits: &[("shop.example TXT", "shop.example TXT \"v=spf1 include:_spf.mailhost.example -all\"\n_spf.mailhost.example TXT \"v=spf1 ip4:91.198.174.0/24 -all\"")],
        ip: Some(SENDING_IP),
        reply: "421-4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message. - gsmtp",
        cause: "sender.spf",
        confidence: Confidence::Likely,
        top: true,
        cites: &["spf.sender-fail"],
    },
    Case {
        name: "two SPF records (PermError), no reply yet",
        edits: &[("", "shop.example TXT \"v=spf1 include:_spf.google.com ~all\"")],
        ip: None,
        reply: "",
        cause: "sender.spf",
        confidence: Confidence::Possible,
        top: true,
        cites: &["spf.multiple"],
    },
    Case {
        name: "no DMARC, Gmail 4.7.32 alignment",
        edits: &[("_dmarc.shop.example", "")],
        ip: Some(SENDING_IP),
        reply: "421-4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp",
        cause: "sender.dmarc",
        confidence: Confidence::Likely,
        top: false,
        cites: &["dmarc.none"],
    },
    Case {
        name: "recipient MX points at a name that does not exist",
        edits: &[("mx1.partner.example", ""), ("mx2.partner.example", ""), ("partner.example MX", "partner.example MX 10 mail.partner.example")],
        ip: Some(SENDING_IP),
        reply: "",
        cause: "server.mx-misconfigured",
        confidence: Confidence::Likely,
        top: true,
        cites: &["mx.target-nxdomain"],
    },
    Case {
        name: "recipient DNS fails (SERVFAIL)",
        edits: &[("partner.example MX", "partner.example FAULT servfail")],
        ip: Some(SENDING_IP),
        reply: "postfix/smtp[8]: H8: to=<bob@partner.example>, relay=none, delay=0.2, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name=partner.example type=MX: Host not found, try again)",
        cause: "server.dns-failing",
        confidence: Confidence::Likely,
        top: true,
        cites: &["mx.lookup-failed"],
    },
    Case {
        name: "recipient publishes a null MX",
        edits: &[("partner.example MX", "partner.example MX 0 .")],
        ip: Some(SENDING_IP),
        reply: "",
        cause: "server.no-mail-server",
        confidence: Confidence::Likely,
        top: true,
        cites: &["mx.null"],
    },
    Case {
        name: "sender's SPF lookups fail, receiver defers with 4.4.3",
        edits: &[("shop.example TXT", "shop.example TXT \"v=spf1 include:_spf.broken.example -all\"\n_spf.broken.example FAULT servfail")],
        ip: Some(SENDING_IP),
        reply: "451 4.4.3 Temporary lookup failure",
        cause: "sender.dns-failing",
        confidence: Confidence::Likely,
        top: true,
        cites: &["spf.sender-temperror"],
    },
];

#[test]
fn causes_from_real_checks() {
    for case in CASES {
        let run = run(&zone(case.edits), case.ip, case.reply);
        let d = &run.diagnosis;
        let ranking: Vec<(&str, u8)> = d.causes.iter().map(|c| (c.id, c.score)).collect();
        let sender: Vec<&str> = run.sender.iter().map(|f| f.code.as_str()).collect();
        let recipient: Vec<&str> = run.recipient.iter().map(|f| f.code.as_str()).collect();
        let ctx = format!("{}: {ranking:?}\n sender {sender:?}\n recipient {recipient:?}", case.name);
        let cause = d.cause(case.cause).unwrap_or_else(|| panic!("missing {} — {ctx}", case.cause));
        assert_eq!(cause.confidence, case.confidence, "{ctx}");
        if case.top {
            assert_eq!(d.causes.first().map(|c| c.id), Some(case.cause), "{ctx}");
        }
        for code in case.cites {
            assert!(
                cause.finding_codes.iter().any(|c| c == code),
                "{} should cite {code}: {:?} — {ctx}",
                case.cause,
                cause.finding_codes
            );
        }
    }
}

#[test]
fn mx_host_ptr_is_not_the_sending_ip_ptr() {
    // The sending IP's PTR is fine; the sender domain's second MX host has none.
    let z = zone(&[("shop.example MX", "shop.example MX 10 mail.shop.example\nshop.example MX 20 backup.shop.example\nbackup.shop.example A 185.12.64.77")]);
    let run = run(&z, Some(SENDING_IP), CASES[0].reply);
    let codes: Vec<&str> = run.sender.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"ptr.missing"), "{codes:?}");
    let c = run.diagnosis.cause("sender.ptr").unwrap();
    assert_eq!(c.confidence, Confidence::Unlikely, "{c:?}");
    assert!(!c.finding_codes.iter().any(|c| *c == "ptr.missing"), "{c:?}");
    // Without a sending IP, MX-host PTR findings do not make a sender cause either.
    let run = run_without_ip(&z);
    assert!(run.diagnosis.cause("sender.ptr").is_none_or(|c| c.confidence == Confidence::Unlikely));
}

fn run_without_ip(z: &str) -> Run {
    run(z, None, "")
}

#[test]
fn big_provider_sender_is_not_port_blocked() {
    let gmail = CASES.iter().find(|c| c.name.starts_with("Gmail could not connect")).unwrap();
    let run = run(HEALTHY, None, gmail.reply);
    assert!(run.diagnosis.cause("network.port-25-blocked").is_none(), "{:?}", run.diagnosis.causes);
}

#[test]
fn healthy_dns_rules_dns_causes_out() {
    let run = run(HEALTHY, Some(SENDING_IP), CASES[0].reply);
    for id in ["sender.spf", "sender.dmarc", "sender.ptr", "server.mx-misconfigured"] {
        let c = run.diagnosis.cause(id).unwrap_or_else(|| panic!("{id}: {:?}", run.diagnosis.causes));
        assert_eq!(c.confidence, Confidence::Unlikely, "{id}");
    }
    let commands: Vec<&str> = run.diagnosis.check_yourself.iter().map(|c| c.command.as_str()).collect();
    assert!(commands.contains(&"nc -vz -w 10 mx1.partner.example 25"), "{commands:?}");
    assert!(commands.contains(&"dig +short -x 185.12.64.10"), "{commands:?}");
}
