//! Reads what a person pastes after a deferral — an SMTP reply, a Postfix,
//! Exim or Exchange log line, a Microsoft 365 NDR, or a whole RFC 3464 bounce
//! with headers, MIME parts and transcripts — and pulls out the codes, the
//! hosts, the domains, every recipient and what they mean.
//!
//! How a bounce is read: MIME transfer encodings are undone ([`mime`]);
//! header fields other than the DSN's own are blanked so version numbers
//! never become statuses ([`mask`]); every reply is found and the failure
//! that explains the text is chosen ([`scan`]); each recipient gets its own
//! status ([`recipients`]); text without a code is read from its words
//! ([`words`]), and said so.
//!
//! Never panics and never guesses wildly: text without an SMTP status (and
//! without a recognisable connection failure or wording) is [`NoStatusFound`].
//! Linear in the paste: every pass looks at each line once.

mod extract;
mod mask;
pub mod meanings;
mod mime;
pub mod provider;
pub mod recipients;
mod scan;
pub mod status;
pub mod words;

use std::fmt;
use std::net::IpAddr;

use crate::input::IdnaMapper;

pub use provider::Provider;
pub use recipients::Recipient;
pub use status::EnhancedStatus;
pub use words::Wording;

use extract::{after_ci, field, find_ci, first_email, strip_type};

/// Longest text we read. A bounce with an attached message can be huge and
/// the status is near the top, but a multi-recipient report can be long:
/// 1 MiB, read in one linear pass (see the 1 MB test in tests/smtp_reader.rs).
const MAX_INPUT: usize = 1024 * 1024;

/// What kind of text the reply came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Source {
    /// A bare SMTP reply such as `421 4.4.2 Timeout`.
    Reply,
    PostfixLog,
    EximLog,
    /// Microsoft Exchange / Microsoft 365 non-delivery report text.
    ExchangeNdr,
    /// A bounce or delay notification (RFC 3464 DSN or a mailer's own text).
    Bounce,
    /// Anything else that still contained a status.
    Text,
}

/// The SMTP stage the failure happened in (RFC 5321 §3: greeting, EHLO, MAIL, RCPT, DATA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Phase {
    /// Opening the TCP connection.
    Connect,
    /// Waiting for the server's 220 banner.
    Greeting,
    Ehlo,
    StartTls,
    MailFrom,
    RcptTo,
    /// The DATA command itself.
    Data,
    /// Sending the message body.
    Body,
    /// After the final `.`, waiting for the server to accept the message.
    EndOfData,
}

impl Phase {
    pub fn describe(self) -> &'static str {
        match self {
            Phase::Connect => "while opening the connection",
            Phase::Greeting => "while waiting for the server's greeting",
            Phase::Ehlo => "during EHLO/HELO",
            Phase::StartTls => "during STARTTLS",
            Phase::MailFrom => "after MAIL FROM",
            Phase::RcptTo => "after RCPT TO",
            Phase::Data => "after the DATA command",
            Phase::Body => "while sending the message body",
            Phase::EndOfData => "after the end of the message (waiting for the server to accept it)",
        }
    }
}

/// A connection-level failure named in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Symptom {
    Timeout,
    ConnectionRefused,
    /// Closed, reset or dropped mid-conversation.
    ConnectionLost,
    Unreachable,
    DnsFailure,
    TlsFailure,
}

impl Symptom {
    pub fn describe(self) -> &'static str {
        match self {
            Symptom::Timeout => "the connection timed out",
            Symptom::ConnectionRefused => "the connection was refused",
            Symptom::ConnectionLost => "the connection was closed or reset mid-conversation",
            Symptom::Unreachable => "the server could not be reached (no route)",
            Symptom::DnsFailure => "a DNS lookup failed",
            Symptom::TlsFailure => "TLS (STARTTLS) failed or was required",
        }
    }
}

/// Everything read from the pasted text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SmtpReply {
    /// RFC 5321 reply code, e.g. 421.
    pub basic_code: Option<u16>,
    /// RFC 3463 enhanced status code, e.g. 4.4.2.
    pub enhanced: Option<EnhancedStatus>,
    /// The reply's words, continuation lines joined.
    pub text: String,
    /// The receiving server we talked to.
    pub remote_host: Option<String>,
    pub remote_ip: Option<IpAddr>,
    pub recipient_domain: Option<String>,
    pub sender_domain: Option<String>,
    /// Our own sending IP, when the remote quoted it (Gmail, Yahoo and Microsoft do).
    pub sending_ip: Option<IpAddr>,
    pub provider: Option<Provider>,
    /// The big provider that sent the mail and wrote this bounce or NDR
    /// (Gmail's "Delivery incomplete", a Microsoft 365 NDR), when it is not
    /// the receiving side: its own network is not the problem.
    pub sent_via: Option<Provider>,
    /// The RFC 3463 / RFC 5248 registry meaning (or RFC 5321's for a bare code).
    pub meaning: String,
    /// The provider's documented meaning, when we know it.
    pub provider_meaning: Option<String>,
    pub phase: Option<Phase>,
    pub symptom: Option<Symptom>,
    pub source: Source,
    /// RFC 3464 Action (`delayed`, `failed`, …) of a bounce.
    pub action: Option<String>,
    /// How the text was read ("your server reported 451 4.4.0; the remote had said …").
    pub notes: Vec<String>,
    /// Every recipient the bounce reports on, each with its own action,
    /// status and diagnostic (RFC 3464 per-recipient fields, or Postfix's
    /// `<address>: …` paragraphs). Empty for a bare reply or log line.
    pub recipients: Vec<Recipient>,
    /// When the text has no code: what its words say (a delay notice, user
    /// unknown, mailbox full, host unknown). Never turned into a code.
    pub words: Option<Wording>,
}

/// Nothing in the text looked like an SMTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoStatusFound;

impl fmt::Display for NoStatusFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no SMTP status found in this text")
    }
}

impl std::error::Error for NoStatusFound {}

fn clip(text: &str) -> &str {
    if text.len() <= MAX_INPUT {
        return text;
    }
    let mut end = MAX_INPUT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

/// Reads an SMTP reply, log line or bounce; `idna` maps a sender or
/// recipient domain written in Unicode to its A-labels.
pub fn parse_reply(text: &str, idna: &dyn IdnaMapper) -> Result<SmtpReply, NoStatusFound> {
    let text = clip(text).replace("\r\n", "\n").replace('\r', "\n");
    let mut notes = Vec::new();
    let text = match mime::decode(&text) {
        Some((decoded, parts)) => {
            notes.push(format!("Decoded {parts} MIME part(s) (quoted-printable or base64) before reading."));
            decoded
        }
        None => text,
    };
    let lower = text.to_ascii_lowercase();
    // Codes are only looked for where a status can be (module mask).
    let masked = mask::mask_headers(&text);
    let fields = extract::dsn_fields(&text);
    let source = classify(&lower, &fields);
    let recipients = read_recipients(&fields, &masked);
    let primary = primary(&recipients);
    if primary.is_some_and(|r| r.diagnostic_type.as_deref().is_some_and(|t| t != "smtp")) {
        notes.push("The Diagnostic-Code is not of type smtp (RFC 3464 §2.3.6): its number is no SMTP reply (for X-Unix, a program's exit status).".to_string());
    }

    let segment = remote_segment(&masked, primary, &mut notes);
    let code = read_code(segment.as_deref(), &masked, &fields, primary, &mut notes);
    let Code { basic_code, enhanced, text: mut reply_text } = code;
    if reply_text.is_empty() {
        reply_text = segment.as_deref().map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).unwrap_or_default();
    }
    let symptom = symptom(&lower);
    let action = primary
        .and_then(|r| r.action.clone())
        .or_else(|| field(&fields, "action").map(|a| a.trim().to_ascii_lowercase()));
    let words = if basic_code.is_none() && enhanced.is_none() { words::read(&lower, action.as_deref()) } else { None };
    if basic_code.is_none() && enhanced.is_none() {
        match (symptom, words) {
            (None, None) => return Err(NoStatusFound),
            (Some(_), _) => {
                notes.push("No SMTP code in the text; read the connection failure it describes.".to_string())
            }
            (None, Some(_)) => notes.push("No SMTP code in the text; read from its words.".to_string()),
        }
    }

    let (remote_host, remote_ip) = remote(&masked, &fields, primary, &reply_text);
    let sending_ip = extract::ips(&reply_text).into_iter().find(|ip| Some(*ip) != remote_ip);
    let recipient_domain = primary
        .map(|r| r.address.clone())
        .or_else(|| recipient(&text, &fields))
        .and_then(|a| extract::domain_of(&a, idna));
    let sender_domain = sender(&text, &fields).and_then(|a| extract::domain_of(&a, idna));

    let receiver =
        remote_host.as_deref().and_then(provider::from_host).or_else(|| provider::from_reply_shape(&reply_text));
    let text_provider = provider::from_text(&lower);
    let writer = writer(&text, &fields);
    // Markers of the provider that wrote the bounce (its help links, its
    // host names) say who sent it, not who refused it.
    let provider = receiver
        .or(text_provider.filter(|p| writer.is_none_or(|w| w != *p)))
        .or_else(|| recipient_domain.as_deref().and_then(provider::from_mailbox_domain));
    let sent_via = writer
        .or(text_provider)
        .filter(|p| matches!(source, Source::Bounce | Source::ExchangeNdr) && Some(*p) != receiver);
    let provider_meaning = provider.and_then(|p| provider::provider_meaning(p, basic_code, enhanced, &reply_text));

    let meaning = match (enhanced, basic_code, symptom) {
        (None, None, Some(s)) => format!("No SMTP code: {}", s.describe()),
        _ => recipients::meaning_of(basic_code, enhanced, words),
    };

    Ok(SmtpReply {
        basic_code,
        enhanced,
        text: reply_text,
        remote_host,
        remote_ip,
        recipient_domain,
        sender_domain,
        sending_ip,
        provider,
        sent_via,
        meaning,
        provider_meaning,
        phase: phase(&lower),
        symptom,
        source,
        action,
        notes,
        recipients,
        words,
    })
}

/// The per-recipient groups of a DSN, else Postfix's or Exim's paragraphs.
fn read_recipients(fields: &[(String, String)], masked: &str) -> Vec<Recipient> {
    let from_dsn = recipients::from_dsn(fields);
    if !from_dsn.is_empty() {
        return from_dsn;
    }
    let postfix = recipients::from_postfix_body(masked);
    if !postfix.is_empty() {
        return postfix;
    }
    recipients::from_exim_body(masked)
}

/// The recipient the headline speaks for: the first that failed, else the
/// first delayed, else the first.
fn primary(recipients: &[Recipient]) -> Option<&Recipient> {
    let with = |a: &str| recipients.iter().find(|r| r.action.as_deref() == Some(a));
    with("failed").or_else(|| with("delayed")).or_else(|| recipients.first())
}

/// The reply code, enhanced status and words the text is about.
struct Code {
    basic_code: Option<u16>,
    enhanced: Option<EnhancedStatus>,
    text: String,
}

fn read_code(
    segment: Option<&str>,
    masked: &str,
    fields: &[(String, String)],
    primary: Option<&Recipient>,
    notes: &mut Vec<String>,
) -> Code {
    let mut candidates = segment.map(scan::replies).unwrap_or_default();
    if candidates.is_empty() {
        candidates = scan::replies(masked);
    }
    let chosen = scan::choose(&candidates);
    let found = chosen.and_then(|(i, _)| candidates.get(i));
    if let Some((inner, Some(outer))) =
        chosen.and_then(|(i, w)| Some((candidates.get(i)?, w.and_then(|w| candidates.get(w)))))
    {
        notes.push(format!(
            "The report says {} {}; the reply inside it: {} {} {}",
            outer.code,
            outer.enhanced.map(|e| e.to_string()).unwrap_or_default(),
            inner.code,
            inner.enhanced.map(|e| e.to_string()).unwrap_or_default(),
            inner.text
        ));
    }
    let basic_code = found.map(|f| f.code);
    let reply_enhanced = found.and_then(|f| f.enhanced);
    // Status contexts only: the reply, the DSN's Status (RFC 3464 §2.3.4),
    // Postfix's dsn=, a code at the start of a line or after '#'.
    let options = [
        reply_enhanced,
        primary.and_then(|r| r.status),
        field(fields, "status").and_then(extract::status_value),
        after_ci(masked, "dsn=").and_then(extract::status_value),
        segment.and_then(extract::find_line_status),
        extract::find_line_status(masked),
    ];
    let enhanced = recipients::pick_status(basic_code, &options);
    if let (Some(r), Some(e)) = (reply_enhanced, enhanced) {
        if r != e {
            notes.push(format!("The reply's own {r} is generic; the report's more specific {e} is used."));
        }
    }
    if basic_code.is_some_and(|c| enhanced.is_some_and(|e| u16::from(e.class) != c / 100)) {
        notes.push("Reply code and enhanced status disagree on temporary/permanent; servers retry by the reply code (RFC 3463 §2).".to_string());
    }
    Code { basic_code, enhanced, text: found.map(|f| f.text.clone()).unwrap_or_default() }
}

/// The provider that wrote the bounce: its Reporting-MTA (RFC 3464 §2.2.2),
/// or the mailer daemon in its `From:`.
fn writer(text: &str, fields: &[(String, String)]) -> Option<Provider> {
    let reporting = field(fields, "reporting-mta")
        .map(strip_type)
        .and_then(|v| v.split_whitespace().next())
        .and_then(provider::from_host);
    reporting.or_else(|| {
        text.lines()
            .map(|l| (l, l.to_ascii_lowercase()))
            .find(|(_, l)| {
                l.starts_with("from:")
                    && ["mailer-daemon", "postmaster", "mail delivery", "microsoftexchange"]
                        .iter()
                        .any(|m| l.contains(m))
            })
            .and_then(|(l, _)| first_email(l))
            .and_then(|a| provider::from_address_or_host(&a))
    })
}

fn classify(lower: &str, fields: &[(String, String)]) -> Source {
    let has = |n: &str| fields.iter().any(|(f, _)| f == n);
    if lower.contains("remote server returned")
        || lower.contains("diagnostic information for administrators")
        || lower.contains("generating server:")
    {
        Source::ExchangeNdr
    } else if has("status")
        || has("diagnostic-code")
        || has("final-recipient")
        || lower.contains("this is the mail system at host")
        || lower.contains("undelivered mail returned")
        || lower.contains("delivery status notification")
        || lower.contains("mail delivery failed")
        || lower.contains("delivery incomplete")
        || lower.contains("message not delivered")
        // Exim's and sendmail's bounce bodies.
        || lower.contains("created automatically by mail delivery software")
        || lower.contains("transcript of session follows")
    {
        Source::Bounce
    } else if lower.contains("postfix/") || (lower.contains("status=") && lower.contains("dsn=")) {
        Source::PostfixLog
    } else if lower.contains("smtp error from remote mail server")
        || (lower.contains(" r=") && lower.contains(" t="))
        || lower.contains(" == ")
    {
        Source::EximLog
    } else if extract::reply_head(lower.trim_start()).is_some() {
        Source::Reply
    } else {
        Source::Text
    }
}

/// The part of the text that holds the remote server's reply.
fn remote_segment(text: &str, primary: Option<&Recipient>, notes: &mut Vec<String>) -> Option<String> {
    // Exchange: `451 4.4.0 Primary target IP address responded with: "421 4.4.2 …"`.
    if let Some(at) = find_ci(text, "responded with:") {
        let after = text.get(at + "responded with:".len()..).unwrap_or("").trim_start();
        let inner = after.strip_prefix('"').and_then(|r| r.split('"').next()).unwrap_or(after);
        let outer = text.get(..at).and_then(|t| t.lines().last()).unwrap_or("");
        if let Some(o) = scan::replies(outer.trim_start_matches(|c: char| !c.is_ascii_digit())).first() {
            notes.push(format!(
                "Your side reported {} {}; the receiving server had answered: {}",
                o.code,
                o.enhanced.map(|e| e.to_string()).unwrap_or_default(),
                inner.trim()
            ));
        }
        return Some(inner.to_string());
    }
    // RFC 3464 §2.3.6: only an `smtp` Diagnostic-Code is the remote's reply.
    if let Some(r) = primary.filter(|r| r.diagnostic_type.as_deref().is_none_or(|t| t == "smtp")) {
        if let Some(d) = r.diagnostic.as_deref() {
            return Some(d.to_string());
        }
    }
    if let Some(after) = after_ci(text, "remote server returned") {
        let after = after.trim_start().trim_start_matches(['\'', '"']);
        let line = after.lines().next().unwrap_or("");
        return Some(line.trim_end().trim_end_matches(['\'', '"']).to_string());
    }
    // Postfix: `host mx[ip] said: 421 … (in reply to RCPT TO command)`.
    if let Some(after) = after_ci(text, " said:") {
        let end = find_ci(after, "(in reply to").unwrap_or(after.len());
        return after.get(..end).map(|s| s.trim().to_string());
    }
    // Exim: `SMTP error from remote mail server after RCPT TO:<x>: 421 …`, or
    // the reply on the next lines (`host … [ip]: 550 …`), up to a blank line.
    if let Some(after) = after_ci(text, "smtp error from remote mail server") {
        let end = after.find("\n\n").unwrap_or(after.len()).min(4096);
        let mut end = end;
        while !after.is_char_boundary(end) {
            end -= 1;
        }
        return after.get(..end).map(|s| s.trim().to_string());
    }
    // Postfix without a reply: `status=deferred (connect to …: Connection timed out)`.
    if let Some(after) = after_ci(text, "status=") {
        if let Some(open) = after.find('(') {
            let inner = after.get(open + 1..).unwrap_or("");
            let inner = inner.rsplit_once(')').map(|(i, _)| i).unwrap_or(inner);
            return Some(inner.trim().to_string());
        }
    }
    None
}

fn remote(
    text: &str,
    fields: &[(String, String)],
    primary: Option<&Recipient>,
    reply_text: &str,
) -> (Option<String>, Option<IpAddr>) {
    let mut host = primary.and_then(|r| r.remote_host.clone());
    let mut ip = None;
    if let Some(mta) = field(fields, "remote-mta") {
        let value = strip_type(mta);
        if let Some((h, i)) = extract::host_bracket_ip(value) {
            host = host.or(Some(h));
            ip = i;
        } else {
            let word = value.split_whitespace().next().unwrap_or("").trim_end_matches('.');
            if host.is_none() && extract::is_host_name(word) {
                host = Some(word.to_ascii_lowercase());
            }
            ip = extract::ips(value).into_iter().next();
        }
    }
    if host.is_none() {
        if let Some((h, i)) = extract::host_bracket_ip(text) {
            host = Some(h);
            ip = ip.or(i);
        }
    }
    // Gmail: "[mx.example.com. 192.0.2.1: timed out]".
    if host.is_none() {
        if let Some((h, i)) = extract::bracket_host_space_ip(text) {
            host = Some(h);
            ip = ip.or(Some(i));
        }
    }
    // Exchange: "The last endpoint attempted was 192.0.2.1:25".
    if ip.is_none() {
        if let Some(after) = after_ci(text, "endpoint attempted was") {
            ip = extract::ips(after.lines().next().unwrap_or("")).into_iter().next();
        }
    }
    // Microsoft's own replies end in "[front-end host name]" (sometimes
    // followed by a timestamp inside the bracket).
    if host.is_none() {
        host = reply_text
            .rsplit('[')
            .next()
            .and_then(|t| t.split(']').next())
            .and_then(|t| t.split_whitespace().next())
            .filter(|h| extract::is_host_name(h) && provider::from_host(h).is_some())
            .map(|h| h.to_ascii_lowercase());
    }
    (host, ip)
}

fn recipient(text: &str, fields: &[(String, String)]) -> Option<String> {
    for name in ["final-recipient", "original-recipient"] {
        if let Some(a) = field(fields, name).and_then(|v| first_email(strip_type(v))) {
            return Some(a);
        }
    }
    for marker in ["to=<", "rcpt to:<", " == ", " ** ", " -> "] {
        if let Some(a) = after_ci(text, marker).and_then(|r| first_email(r.split_whitespace().next().unwrap_or(""))) {
            return Some(a);
        }
    }
    for marker in [
        "failed to these recipients",
        "couldn't be delivered to",
        "could not be delivered to",
        // Gmail's own bounces.
        "wasn't delivered to",
        "was not delivered to",
        "your message to ",
        "delivery to the following recipient",
        "following address",
    ] {
        if let Some(a) = after_ci(text, marker).and_then(|r| first_email(r.get(..r.len().min(400)).unwrap_or(r))) {
            return Some(a);
        }
    }
    // Postfix bounce body: "<bob@example.com>: host mx[…] said: …".
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with('<') && l.contains(">:") && l.contains('@'))
        .and_then(first_email)
        .or_else(|| {
            // Exchange NDR: the address on the line before "Remote Server returned".
            let at = find_ci(text, "remote server returned")?;
            text.get(..at)?.lines().rev().take(3).find_map(first_email)
        })
}

fn sender(text: &str, fields: &[(String, String)]) -> Option<String> {
    for name in ["x-postfix-sender", "x-original-sender"] {
        if let Some(a) = field(fields, name).and_then(|v| first_email(strip_type(v))) {
            return Some(a);
        }
    }
    for marker in ["from=<", "f=<", " <= ", "mail from:<"] {
        if let Some(a) = after_ci(text, marker).and_then(|r| first_email(r.split_whitespace().next().unwrap_or(""))) {
            return Some(a);
        }
    }
    // A bounce is addressed to the original sender.
    let lower = text.to_ascii_lowercase();
    let from_daemon = lower.lines().any(|l| {
        l.starts_with("from:")
            && (l.contains("mailer-daemon") || l.contains("postmaster") || l.contains("mail delivery"))
    });
    if from_daemon {
        return text.lines().find(|l| l.to_ascii_lowercase().starts_with("to:")).and_then(first_email);
    }
    None
}

fn phase(lower: &str) -> Option<Phase> {
    const PHASES: &[(&str, Phase)] = &[
        ("end of data", Phase::EndOfData),
        ("message body", Phase::Body),
        ("sending data", Phase::Body),
        ("data command", Phase::Data),
        ("after data", Phase::Data),
        ("rcpt to", Phase::RcptTo),
        ("mail from", Phase::MailFrom),
        ("starttls", Phase::StartTls),
        ("tls handshake", Phase::StartTls),
        ("initial server greeting", Phase::Greeting),
        ("initial connection", Phase::Greeting),
        ("server greeting", Phase::Greeting),
        ("ehlo", Phase::Ehlo),
        ("helo", Phase::Ehlo),
        ("connect to ", Phase::Connect),
        ("requests to connect", Phase::Connect),
        ("connection refused", Phase::Connect),
        ("cannot connect", Phase::Connect),
    ];
    PHASES.iter().find(|(m, _)| lower.contains(m)).map(|(_, p)| *p)
}

fn symptom(lower: &str) -> Option<Symptom> {
    const SYMPTOMS: &[(&str, Symptom)] = &[
        ("dns query failed", Symptom::DnsFailure),
        ("host or domain name not found", Symptom::DnsFailure),
        ("name service error", Symptom::DnsFailure),
        ("temporary failure in name resolution", Symptom::DnsFailure),
        ("point to non-existent hosts", Symptom::DnsFailure),
        ("connection refused", Symptom::ConnectionRefused),
        ("no route to host", Symptom::Unreachable),
        ("network is unreachable", Symptom::Unreachable),
        ("host unreachable", Symptom::Unreachable),
        ("timed out", Symptom::Timeout),
        ("timeout", Symptom::Timeout),
        ("lost connection", Symptom::ConnectionLost),
        ("connection reset", Symptom::ConnectionLost),
        ("connection dropped", Symptom::ConnectionLost),
        ("connection closed", Symptom::ConnectionLost),
        ("closed connection", Symptom::ConnectionLost),
        ("broken pipe", Symptom::ConnectionLost),
        ("cannot start tls", Symptom::TlsFailure),
        ("tls handshake", Symptom::TlsFailure),
        ("certificate", Symptom::TlsFailure),
        ("tls required", Symptom::TlsFailure),
        ("requires tls", Symptom::TlsFailure),
    ];
    SYMPTOMS.iter().find(|(m, _)| lower.contains(m)).map(|(_, s)| *s)
}
