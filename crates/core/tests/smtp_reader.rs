//! Table tests for the SMTP reply / log / bounce reader over realistic text.

use maildoctor_core::input::NativeIdna;
use maildoctor_core::smtp::{parse_reply, NoStatusFound, Phase, Provider, Source, Symptom};
use proptest::prelude::*;

struct Case {
    name: &'static str,
    text: &'static str,
    basic: Option<u16>,
    enhanced: Option<&'static str>,
    source: Source,
    remote_host: Option<&'static str>,
    remote_ip: Option<&'static str>,
    recipient_domain: Option<&'static str>,
    sender_domain: Option<&'static str>,
    sending_ip: Option<&'static str>,
    provider: Option<Provider>,
    phase: Option<Phase>,
    symptom: Option<Symptom>,
    /// Words the provider meaning (or, when None expected, the RFC meaning) must contain.
    meaning_has: &'static str,
    provider_meaning_has: Option<&'static str>,
}

const BASE: Case = Case {
    name: "",
    text: "",
    basic: None,
    enhanced: None,
    source: Source::Text,
    remote_host: None,
    remote_ip: None,
    recipient_domain: None,
    sender_domain: None,
    sending_ip: None,
    provider: None,
    phase: None,
    symptom: None,
    meaning_has: "",
    provider_meaning_has: None,
};

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "Gmail multi-line 421-4.7.28 pasted from a client",
            text: "421-4.7.28 [203.0.113.42      15] Our system has detected an unusual rate of\n\
                   421-4.7.28 unsolicited mail originating from your IP address. To protect our\n\
                   421-4.7.28 users from spam, mail sent from your IP address has been temporarily\n\
                   421 4.7.28 rate limited. - gsmtp\n",
            basic: Some(421),
            enhanced: Some("4.7.28"),
            source: Source::Reply,
            sending_ip: Some("203.0.113.42"),
            provider: Some(Provider::Gmail),
            meaning_has: "Temporary failure",
            provider_meaning_has: Some("rate-limits your sending IP"),
            ..BASE
        },
        Case {
            name: "Postfix log, Gmail 421-4.7.0 joined on one line (RFC 5321 §4.2.1 continuation)",
            text: "Nov 28 10:01:02 mail postfix/smtp[2211]: 4F1A2C: to=<bob@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, delay=3.1, delays=0.1/0/2.8/0.2, dsn=4.7.0, status=deferred (host gmail-smtp-in.l.google.com[142.250.102.27] said: 421-4.7.0 [198.51.100.7] Our system has detected that this message is suspicious due to the very low reputation of the sending domain. 421-4.7.0 To best protect our users from spam, the message has been blocked. - gsmtp (in reply to end of DATA command))",
            basic: Some(421),
            enhanced: Some("4.7.0"),
            source: Source::PostfixLog,
            remote_host: Some("gmail-smtp-in.l.google.com"),
            remote_ip: Some("142.250.102.27"),
            recipient_domain: Some("gmail.com"),
            sending_ip: Some("198.51.100.7"),
            provider: Some(Provider::Gmail),
            phase: Some(Phase::EndOfData),
            meaning_has: "other or undefined security status",
            provider_meaning_has: Some("very low sending-domain reputation"),
            ..BASE
        },
        Case {
            name: "Postfix log, 4.4.2 timeout while sending the body",
            text: "Nov 28 10:05:00 out postfix/smtp[993]: 7A0B1: to=<ann@partner.example>, relay=mx1.partner.example[192.0.2.25]:25, delay=310, delays=0.02/0/0.4/310, dsn=4.4.2, status=deferred (conversation with mx1.partner.example[192.0.2.25] timed out while sending message body)",
            enhanced: Some("4.4.2"),
            source: Source::PostfixLog,
            remote_host: Some("mx1.partner.example"),
            remote_ip: Some("192.0.2.25"),
            recipient_domain: Some("partner.example"),
            phase: Some(Phase::Body),
            symptom: Some(Symptom::Timeout),
            meaning_has: "bad connection",
            ..BASE
        },
        Case {
            name: "Postfix qmgr+smtp, connect timeout, sender from from=<>",
            text: "postfix/qmgr[11]: 99C: from=<alice@shop.example>, size=2048, nrcpt=1 (queue active)\n\
                   postfix/smtp[12]: 99C: to=<carl@client.example>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx.client.example[198.51.100.20]:25: Connection timed out)",
            enhanced: Some("4.4.1"),
            source: Source::PostfixLog,
            remote_host: Some("mx.client.example"),
            remote_ip: Some("198.51.100.20"),
            recipient_domain: Some("client.example"),
            sender_domain: Some("shop.example"),
            phase: Some(Phase::Connect),
            symptom: Some(Symptom::Timeout),
            meaning_has: "no answer from host",
            ..BASE
        },
        Case {
            name: "Exim, Yahoo TSS04 after RCPT TO",
            text: "2026-11-28 09:12:44 1tAbCd-0004Xy-2Q == dan@yahoo.com R=dnslookup T=remote_smtp defer (-44) H=mta6.am0.yahoodns.net [67.195.204.77]: SMTP error from remote mail server after RCPT TO:<dan@yahoo.com>: 421 4.7.0 [TSS04] Messages from 203.0.113.8 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes",
            basic: Some(421),
            enhanced: Some("4.7.0"),
            source: Source::EximLog,
            remote_host: Some("mta6.am0.yahoodns.net"),
            remote_ip: Some("67.195.204.77"),
            recipient_domain: Some("yahoo.com"),
            sending_ip: Some("203.0.113.8"),
            provider: Some(Provider::Yahoo),
            phase: Some(Phase::RcptTo),
            meaning_has: "security",
            provider_meaning_has: Some("unexpected volume or user complaints"),
            ..BASE
        },
        Case {
            name: "Exim, timeout after end of data, no code",
            text: "2026-11-28 09:20:01 1tAbCe-0001 == eve@slow.example R=dnslookup T=remote_smtp defer (-46) H=mx.slow.example [192.0.2.80]: SMTP timeout after end of data (1843 bytes written): Connection timed out",
            source: Source::EximLog,
            remote_host: Some("mx.slow.example"),
            remote_ip: Some("192.0.2.80"),
            recipient_domain: Some("slow.example"),
            phase: Some(Phase::EndOfData),
            symptom: Some(Symptom::Timeout),
            meaning_has: "timed out",
            ..BASE
        },
        Case {
            name: "Microsoft 365 NDR: 451 4.4.0 wrapping the remote's 421 4.4.2 SocketError",
            text: "Delivery has failed to these recipients or groups:\n\n\
                   frank@contoso.example\n\
                   Diagnostic information for administrators:\n\
                   Generating server: AM9PR01MB1234.eurprd01.prod.exchangelabs.com\n\n\
                   frank@contoso.example\n\
                   Remote Server returned '451 4.4.0 Primary target IP address responded with: \"421 4.4.2 Connection dropped due to SocketError.\" Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts. The last endpoint attempted was 192.0.2.44:25'\n",
            basic: Some(421),
            enhanced: Some("4.4.2"),
            source: Source::ExchangeNdr,
            remote_ip: Some("192.0.2.44"),
            recipient_domain: Some("contoso.example"),
            provider: Some(Provider::Microsoft),
            symptom: Some(Symptom::ConnectionLost),
            meaning_has: "bad connection",
            provider_meaning_has: Some("socket error"),
            ..BASE
        },
        Case {
            name: "Microsoft 4.7.650 IP reputation throttle",
            text: "451 4.7.650 The mail server [203.0.113.9] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]",
            basic: Some(451),
            enhanced: Some("4.7.650"),
            source: Source::Reply,
            remote_host: Some("db5eur03ft012.eop-eur03.prod.protection.outlook.com"),
            sending_ip: Some("203.0.113.9"),
            provider: Some(Provider::Microsoft),
            meaning_has: "not in the IANA registry",
            provider_meaning_has: Some("sending IP for its reputation"),
            ..BASE
        },
        Case {
            name: "RFC 3464 delay DSN from Postfix with a folded Diagnostic-Code",
            text: "From: MAILER-DAEMON@out.sender.example (Mail Delivery System)\n\
                   To: grace@sender.example\n\
                   Subject: Delayed Mail (still being retried)\n\n\
                   This is the mail system at host out.sender.example.\n\n\
                   Reporting-MTA: dns; out.sender.example\n\
                   X-Postfix-Queue-ID: 3A4B5C\n\
                   X-Postfix-Sender: rfc822; grace@sender.example\n\
                   Arrival-Date: Sat, 28 Nov 2026 08:00:00 +0000\n\n\
                   Final-Recipient: rfc822; henry@receiver.example\n\
                   Original-Recipient: rfc822;henry@receiver.example\n\
                   Action: delayed\n\
                   Status: 4.4.2\n\
                   Remote-MTA: dns; mx2.receiver.example\n\
                   Diagnostic-Code: smtp; 421 4.4.2 mx2.receiver.example Error: timeout\n\
                   \x20   exceeded\n\
                   Will-Retry-Until: Sat, 3 Dec 2026 08:00:00 +0000\n",
            basic: Some(421),
            enhanced: Some("4.4.2"),
            source: Source::Bounce,
            remote_host: Some("mx2.receiver.example"),
            recipient_domain: Some("receiver.example"),
            sender_domain: Some("sender.example"),
            symptom: Some(Symptom::Timeout),
            meaning_has: "bad connection",
            ..BASE
        },
        Case {
            name: "Gmail's own delay notification (Gmail is the sender)",
            text: "Delivery incomplete\n\n\
                   There was a temporary problem delivering your message to bob@partner.example. Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.\n\n\
                   The response was:\n\n\
                   The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx1.partner.example. 37.120.1.25: timed out]\n",
            source: Source::Bounce,
            remote_host: Some("mx1.partner.example"),
            remote_ip: Some("37.120.1.25"),
            recipient_domain: Some("partner.example"),
            provider: Some(Provider::Gmail),
            phase: Some(Phase::Connect),
            symptom: Some(Symptom::Timeout),
            meaning_has: "timed out",
            ..BASE
        },
        Case {
            name: "Bare reply with a host name in it",
            text: "  421 4.4.2 mx.example.org Error: timeout exceeded",
            basic: Some(421),
            enhanced: Some("4.4.2"),
            source: Source::Reply,
            symptom: Some(Symptom::Timeout),
            meaning_has: "bad connection",
            ..BASE
        },
        Case {
            name: "Basic code only",
            text: "554 Transaction failed",
            basic: Some(554),
            source: Source::Reply,
            meaning_has: "Transaction failed",
            ..BASE
        },
    ]
}

#[test]
fn reads_realistic_replies_logs_and_bounces() {
    for c in cases() {
        let r = parse_reply(c.text, &NativeIdna).unwrap_or_else(|e| panic!("{}: {e}", c.name));
        let ip = |s: Option<&str>| s.map(|s| s.parse::<std::net::IpAddr>().unwrap());
        assert_eq!(r.basic_code, c.basic, "{}: basic code", c.name);
        assert_eq!(r.enhanced.map(|e| e.to_string()).as_deref(), c.enhanced, "{}: enhanced", c.name);
        assert_eq!(r.source, c.source, "{}: source", c.name);
        assert_eq!(r.remote_host.as_deref(), c.remote_host, "{}: remote host", c.name);
        assert_eq!(r.remote_ip, ip(c.remote_ip), "{}: remote ip", c.name);
        assert_eq!(r.recipient_domain.as_deref(), c.recipient_domain, "{}: recipient", c.name);
        assert_eq!(r.sender_domain.as_deref(), c.sender_domain, "{}: sender", c.name);
        assert_eq!(r.sending_ip, ip(c.sending_ip), "{}: sending ip", c.name);
        assert_eq!(r.provider, c.provider, "{}: provider", c.name);
        assert_eq!(r.phase, c.phase, "{}: phase", c.name);
        assert_eq!(r.symptom, c.symptom, "{}: symptom", c.name);
        assert!(r.meaning.contains(c.meaning_has), "{}: meaning {:?}", c.name, r.meaning);
        match c.provider_meaning_has {
            Some(w) => assert!(
                r.provider_meaning.as_deref().is_some_and(|m| m.contains(w)),
                "{}: provider meaning {:?}",
                c.name,
                r.provider_meaning
            ),
            None => assert_eq!(r.provider_meaning, None, "{}", c.name),
        }
        assert!(!r.text.is_empty() || c.basic.is_none(), "{}: reply text", c.name);
    }
}

#[test]
fn joined_multi_line_text_keeps_only_the_words() {
    let r = parse_reply(cases()[0].text, &NativeIdna).unwrap();
    assert!(r.text.starts_with("[203.0.113.42 15] Our system"), "{}", r.text);
    assert!(!r.text.contains("421"), "{}", r.text);
}

#[test]
fn exchange_note_names_both_replies() {
    let r = parse_reply(cases()[6].text, &NativeIdna).unwrap();
    assert!(r.notes.iter().any(|n| n.contains("451 4.4.0")), "{:?}", r.notes);
}

#[test]
fn who_sent_it() {
    // Gmail and Microsoft wrote these notifications as the sending system …
    assert_eq!(parse_reply(cases()[9].text, &NativeIdna).unwrap().sent_via, Some(Provider::Gmail));
    assert_eq!(parse_reply(cases()[6].text, &NativeIdna).unwrap().sent_via, Some(Provider::Microsoft));
    // … but these are the receiver's own replies.
    assert_eq!(parse_reply(cases()[0].text, &NativeIdna).unwrap().sent_via, None);
    assert_eq!(parse_reply(cases()[1].text, &NativeIdna).unwrap().sent_via, None);
}

#[test]
fn dsn_action_is_read() {
    let r = parse_reply(cases()[8].text, &NativeIdna).unwrap();
    assert_eq!(r.action.as_deref(), Some("delayed"));
}

#[test]
fn garbage_has_no_status() {
    for text in [
        "",
        "   \n\n",
        "hello world",
        "we sold 421 apples and 250 pears",
        "release 4.4.2.1 is out",
        "192.0.2.1",
        "<<<>>>[[[]]]@@@:::;;;",
        "4211 4.4.2x",
    ] {
        assert_eq!(parse_reply(text, &NativeIdna), Err(NoStatusFound), "{text:?}");
    }
    assert_eq!(NoStatusFound.to_string(), "no SMTP status found in this text");
}

#[test]
fn huge_hostile_inputs_are_read_quickly() {
    // Each of these would take minutes with a scan that restarts at every character.
    let inputs = [
        "[".repeat(300_000),
        format!("421 {}", "4.".repeat(150_000)),
        "421-4.4.2 x\n".repeat(30_000),
        "a@".repeat(150_000),
        format!("{}[192.0.2.1]", "a".repeat(300_000)),
        "Status: 4.4.2\n ".repeat(30_000),
        "[a ".repeat(100_000),
    ];
    for text in &inputs {
        let start = std::time::Instant::now();
        let _ = parse_reply(text, &NativeIdna);
        assert!(start.elapsed().as_secs() < 20, "{} bytes took {:?}", text.len(), start.elapsed());
    }
}

proptest! {
    // No panic on any input, and anything found is well-formed.
    #[test]
    fn never_panics(text in "\\PC{0,400}") {
        if let Ok(r) = parse_reply(&text, &NativeIdna) {
            prop_assert!(r.basic_code.is_none_or(|c| (200..600).contains(&c)));
            prop_assert!(!r.meaning.is_empty());
        }
    }

    #[test]
    fn never_panics_on_reply_shaped_noise(
        code in 200u16..600, class in prop::sample::select(vec![2u8, 4, 5]),
        s in 0u16..1000, d in 0u16..1000, tail in "[ -~\\n\\[\\]@<>:;]{0,120}"
    ) {
        let text = format!("{code}-{class}.{s}.{d} {tail}\n{code} {class}.{s}.{d} {tail}");
        let _ = parse_reply(&text, &NativeIdna);
    }
}
