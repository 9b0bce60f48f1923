//! What the rules ask about the input: which finding codes are present on
//! which side, and what the reply says.

use std::net::IpAddr;

use super::DiagnosisInput;
use crate::finding::{Code, Finding};
use crate::smtp::{Phase, Provider, SmtpReply, Symptom};

pub struct Facts<'a> {
    pub input: &'a DiagnosisInput<'a>,
    pub reply: Option<&'a SmtpReply>,
    /// Reply text, provider meaning and notes, lower case.
    said: String,
}

impl<'a> Facts<'a> {
    pub fn new(input: &'a DiagnosisInput<'a>) -> Facts<'a> {
        let reply = input.reply;
        let said = reply
            .map(|r| format!("{} {} {}", r.text, r.provider_meaning.as_deref().unwrap_or(""), r.notes.join(" ")))
            .unwrap_or_default()
            .to_ascii_lowercase();
        Facts { input, reply, said }
    }

    /// Sender-side findings with any of these codes.
    pub fn sender(&self, codes: &[Code]) -> Vec<&'a Finding> {
        self.input.sender_findings.iter().filter(|f| codes.contains(&f.code)).collect()
    }

    /// Recipient-side findings with any of these codes.
    pub fn recipient(&self, codes: &[Code]) -> Vec<&'a Finding> {
        self.input.recipient_findings.iter().filter(|f| codes.contains(&f.code)).collect()
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

    /// The reply's words contain any of these (lower case) phrases.
    pub fn says(&self, phrases: &[&str]) -> bool {
        phrases.iter().any(|p| self.said.contains(p))
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
