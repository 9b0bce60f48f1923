//! What the rules ask about the input: which finding codes are present on
//! which side, what the reply says, and which questions never reached the
//! resolver.
//!
//! Evidence comes from the reply and the DNS only: the words searched are
//! the reply's own text, never our explanation of it (a provider meaning
//! that quotes "try again later" is our prose, not the server's words); a
//! documented provider code is matched by its code ([`Facts::documented`]).

use std::net::IpAddr;

use super::DiagnosisInput;
use crate::dns::{Failure, Lookup, Outcome};
use crate::finding::{Code, Finding};
use crate::smtp::meanings::{self, CodeMeaning};
use crate::smtp::{Phase, Provider, SmtpReply, Symptom};

pub struct Facts<'a> {
    pub input: &'a DiagnosisInput<'a>,
    pub reply: Option<&'a SmtpReply>,
    /// The reply's own text, lower case.
    said: String,
    /// The provider's documented entry for this reply, if any.
    meaning: Option<CodeMeaning>,
    /// Findings about lookups that never reached the resolver: they say
    /// nothing about the domain, so the DNS rules do not see them.
    pub unasked: Vec<&'a Finding>,
    /// Every lookup of the run ended in a transport error.
    all_failed: bool,
}

fn by_transport(l: &Lookup) -> bool {
    matches!(l.outcome, Outcome::Failed(Failure::Transport(_)))
}

/// A lookup-failed finding whose lookups all failed before reaching the
/// resolver (or every lookup did: then findings without evidence count too).
fn unasked(lookups: &[Lookup], all_failed: bool, f: &Finding) -> bool {
    let failure = f.code.is_lookup_failure();
    let transport = |name: &str, rtype| {
        lookups.iter().any(|l| l.rtype == rtype && l.name.eq_ignore_ascii_case(name) && by_transport(l))
    };
    failure && (all_failed || (!f.evidence.is_empty() && f.evidence.iter().all(|e| transport(&e.name, e.rtype))))
}

impl<'a> Facts<'a> {
    pub fn new(input: &'a DiagnosisInput<'a>) -> Facts<'a> {
        let reply = input.reply;
        let said = reply.map(|r| r.text.to_ascii_lowercase()).unwrap_or_default();
        let meaning = reply.and_then(|r| meanings::lookup(r.provider?, r.basic_code, r.enhanced, &said));
        let all_failed = !input.lookups.is_empty() && input.lookups.iter().all(by_transport);
        // A loop, not a chain filtered and collected (see the MX report's lookups).
        let mut not_asked = Vec::new();
        for f in input.sender_findings.iter().chain(input.recipient_findings) {
            if unasked(input.lookups, all_failed, f) {
                not_asked.push(f);
            }
        }
        Facts { input, reply, said, meaning, unasked: not_asked, all_failed }
    }

    /// Every question of the run failed before reaching the resolver
    /// (offline, a blocked network, CORS): nothing is known about any domain.
    pub fn resolver_unreachable(&self) -> bool {
        self.all_failed
    }

    /// Why the first question could not reach the resolver, as the client said.
    pub fn transport_error(&self) -> Option<&'a str> {
        self.input.lookups.iter().find_map(|l| match &l.outcome {
            Outcome::Failed(Failure::Transport(why)) => Some(why.as_str()),
            _ => None,
        })
    }

    /// Lookups that came back with an answer (records, NODATA or NXDOMAIN).
    pub fn answered_lookups(&self) -> usize {
        self.input.lookups.iter().filter(|l| !matches!(l.outcome, Outcome::Failed(_))).count()
    }

    fn asked(&self, f: &Finding) -> bool {
        !self.unasked.iter().any(|u| std::ptr::eq(*u, f))
    }

    /// Sender-side findings with any of these codes (about questions the resolver got).
    pub fn sender(&self, codes: &[Code]) -> Vec<&'a Finding> {
        self.with_codes(self.input.sender_findings, codes)
    }

    /// Recipient-side findings with any of these codes (about questions the resolver got).
    pub fn recipient(&self, codes: &[Code]) -> Vec<&'a Finding> {
        self.with_codes(self.input.recipient_findings, codes)
    }

    /// The asked-about findings with any of these codes. A loop, not a
    /// filter chain collected per side: smaller in the wasm.
    fn with_codes(&self, findings: &'a [Finding], codes: &[Code]) -> Vec<&'a Finding> {
        let mut out = Vec::new();
        for f in findings {
            if codes.contains(&f.code) && self.asked(f) {
                out.push(f);
            }
        }
        out
    }

    /// The provider documents this reply under one of these codes
    /// (`"5.7.515"`, `"RP-001"`, `"[TSS04]"`, a range as written in the table),
    /// separated by `|` (see [`Facts::says`]).
    pub fn documented(&self, codes: &str) -> bool {
        self.meaning.is_some_and(|m| codes.split('|').any(|code| code == m.code))
    }

    /// The reply's enhanced status has this subject (`7`: security or policy).
    pub fn subject(&self, subject: u16) -> bool {
        self.reply.and_then(|r| r.enhanced).is_some_and(|e| e.subject == subject)
    }

    /// Any recipient MX finding at all (the MX check has answered).
    pub fn recipient_checked(&self) -> bool {
        self.input.recipient_findings.iter().any(|f| matches!(f.code, Code::Mx(_)))
    }

    /// The reply's enhanced code is X.subject.detail.
    pub fn status(&self, subject: u16, detail: u16) -> bool {
        self.reply.and_then(|r| r.enhanced).is_some_and(|e| e.is(subject, detail))
    }

    pub fn status_in(&self, subject: u16, details: std::ops::RangeInclusive<u16>) -> bool {
        self.reply.and_then(|r| r.enhanced).is_some_and(|e| e.subject == subject && details.contains(&e.detail))
    }

    /// The reply's words contain any of these (lower case) phrases, separated
    /// by `|`: one string per call, not a slice of `&str` (8 bytes of pointer and
    /// length per phrase in the wasm; with `documented`: -129 gzip bytes, measured).
    pub fn says(&self, phrases: &str) -> bool {
        phrases.split('|').any(|p| self.said.contains(p))
    }

    pub fn symptom(&self) -> Option<Symptom> {
        self.reply.and_then(|r| r.symptom)
    }

    pub fn phase(&self) -> Option<Phase> {
        self.reply.and_then(|r| r.phase)
    }

    pub fn provider(&self) -> Option<Provider> {
        self.reply.and_then(|r| r.provider)
    }

    /// The big provider that sent the mail and wrote the notification, if any.
    pub fn sent_via(&self) -> Option<Provider> {
        self.reply.and_then(|r| r.sent_via)
    }

    /// The receiving server itself answered with a reply code (as opposed to
    /// our own MTA reporting that it gave up).
    pub fn remote_spoke(&self) -> bool {
        self.reply.is_some_and(|r| r.basic_code.is_some())
    }

    /// X.4.2, or a timeout / broken connection described in words.
    pub fn is_bad_connection(&self) -> bool {
        self.status(4, 2) || matches!(self.symptom(), Some(Symptom::Timeout | Symptom::ConnectionLost))
    }

    /// "421 4.4.2" / "4.4.2" / "421", for the verdict.
    pub fn code_label(&self) -> Option<String> {
        let r = self.reply?;
        match (r.basic_code, r.enhanced) {
            (Some(b), Some(e)) => Some(format!("{b} {e}")),
            (None, Some(e)) => Some(e.to_string()),
            (Some(b), None) => Some(b.to_string()),
            (None, None) => None,
        }
    }

    pub fn sending_ip(&self) -> Option<IpAddr> {
        self.input.sending_ip.or_else(|| self.reply.and_then(|r| r.sending_ip))
    }

    pub fn recipient_domain(&self) -> Option<&'a str> {
        self.input.recipient_domain.or_else(|| self.reply.and_then(|r| r.recipient_domain.as_deref()))
    }

    /// The host to point commands at: their first MX, the host that answered, or the domain.
    pub fn recipient_host(&self) -> Option<&'a str> {
        self.input
            .recipient_mx_hosts
            .first()
            .map(String::as_str)
            .or_else(|| self.reply.and_then(|r| r.remote_host.as_deref()))
            .or_else(|| self.recipient_domain())
    }

    pub fn has_anything(&self) -> bool {
        self.reply.is_some() || !self.input.sender_findings.is_empty() || !self.input.recipient_findings.is_empty()
    }

    /// A sentence quoting the reply, for `why`.
    pub fn reply_says(&self) -> Option<String> {
        let r = self.reply?;
        let code = self.code_label().unwrap_or_default();
        let text: String = r.text.chars().take(160).collect();
        let ellipsis = if r.text.chars().count() > 160 { "…" } else { "" };
        Some(if text.is_empty() {
            format!("The error says {code}: {}.", r.meaning)
        } else {
            format!("The error says {code} \"{text}{ellipsis}\" — {}.", r.meaning)
        })
    }
}
