//! Why was the mail deferred? Ranked causes from the DNS findings and the
//! pasted reply, with the evidence each rests on and the fix.
//!
//! Honest about 421 4.4.2: RFC 3463 §3.5 X.4.2 "Bad connection" means the
//! connection opened and then broke or timed out. DNS can rule causes in or
//! out; what a browser cannot test (TCP to port 25, STARTTLS, firewalls,
//! load, sending rate) becomes "check yourself" with the exact commands.
//!
//! Works with partial input: every rule reads only what is there, so the
//! result sharpens as check results arrive.

mod facts;
mod hosted;
mod manual;
mod rules;

pub(crate) use rules::SPF_BROKEN;

use std::fmt;
use std::net::IpAddr;

use crate::dns::Lookup;
use crate::finding::{Code, Finding};
use crate::smtp::SmtpReply;

/// Everything the diagnosis reads. Every field but `sender_domain` may be empty.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiagnosisInput<'a> {
    pub sender_domain: &'a str,
    /// SPF, DMARC, PTR and MX findings about the sending domain / IP.
    pub sender_findings: &'a [Finding],
    pub recipient_domain: Option<&'a str>,
    /// MX findings about the recipient domain (the one that deferred us).
    pub recipient_findings: &'a [Finding],
    /// The recipient's MX host names, most preferred first.
    pub recipient_mx_hosts: &'a [String],
    pub sending_ip: Option<IpAddr>,
    pub reply: Option<&'a SmtpReply>,
    /// Every lookup of the run, both sides: tells a resolver the page could
    /// not reach (transport errors) from a domain whose DNS fails.
    pub lookups: &'a [Lookup],
}

/// Where the cause lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum CauseGroup {
    /// The recipient's servers or DNS.
    ServerSide,
    /// Between the two servers.
    Network,
    /// The sender's servers, DNS or sending habits.
    SenderSide,
}

impl fmt::Display for CauseGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CauseGroup::ServerSide => "Receiving server",
            CauseGroup::Network => "Network",
            CauseGroup::SenderSide => "Your side",
        })
    }
}

/// How sure we are. Ordered `Unlikely < Possible < Likely`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Confidence {
    Unlikely,
    Possible,
    Likely,
}

impl Confidence {
    /// Scores are 0–100: 70 and up is likely, below 35 unlikely.
    pub fn from_score(score: u8) -> Confidence {
        match score {
            70.. => Confidence::Likely,
            35..=69 => Confidence::Possible,
            _ => Confidence::Unlikely,
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Likely => "likely",
            Confidence::Possible => "possible",
            Confidence::Unlikely => "unlikely",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cause {
    /// Stable identifier of the cause (`"network.path-mtu"`), for tests and the UI.
    pub id: &'static str,
    pub group: CauseGroup,
    pub title: String,
    pub confidence: Confidence,
    /// 0–100; causes are ranked by it.
    pub score: u8,
    /// Why we think so, in plain words.
    pub why: Vec<String>,
    /// The finding codes this rests on.
    pub finding_codes: Vec<Code>,
    /// What to do, step by step.
    pub fix: Vec<String>,
}

/// Something to test from the sending server, which a browser cannot do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ManualCheck {
    pub what: String,
    pub why: String,
    /// The exact command, filled in with the person's hosts.
    pub command: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnosis {
    /// One line.
    pub verdict: String,
    /// Most likely first.
    pub causes: Vec<Cause>,
    pub check_yourself: Vec<ManualCheck>,
    /// The hosted provider the mail leaves through (Microsoft 365, Google
    /// Workspace), when the run shows one: `check_yourself` then holds its
    /// admin pages instead of commands for a server of one's own.
    pub hosted_by: Option<&'static str>,
    /// Every question failed before reaching the DNS resolver: nothing is
    /// known about the domains yet (the verdict says so; never the domain's fault).
    pub resolver_unreachable: bool,
}

impl Diagnosis {
    pub fn cause(&self, id: &str) -> Option<&Cause> {
        self.causes.iter().find(|c| c.id == id)
    }

    pub fn likely(&self) -> impl Iterator<Item = &Cause> {
        self.causes.iter().filter(|c| c.confidence == Confidence::Likely)
    }
}

/// Ranks the causes that fit the findings and the reply.
pub fn diagnose(input: &DiagnosisInput) -> Diagnosis {
    let facts = facts::Facts::new(input);
    let mut causes: Vec<Cause> = rules::all(&facts).into_iter().filter(|c| c.score > 0).collect();
    // Stable sort: equal scores keep rule order (server, network, sender).
    crate::rank::sort_by_rank(&mut causes, |c| -i64::from(c.score));
    let verdict = verdict(&facts, &causes);
    let hosted = hosted::hosted_sender(&facts);
    let check_yourself = match hosted {
        Some(h) => hosted::steps(h),
        None => manual::checks(&facts, &causes),
    };
    Diagnosis {
        verdict,
        causes,
        check_yourself,
        hosted_by: hosted.map(|h| h.name),
        resolver_unreachable: facts.resolver_unreachable(),
    }
}

/// Every cause the engine knows, by id, in rule order.
pub fn cause_ids() -> Vec<&'static str> {
    let input = DiagnosisInput::default();
    rules::all(&facts::Facts::new(&input)).into_iter().map(|c| c.id).collect()
}

fn verdict(facts: &facts::Facts, causes: &[Cause]) -> String {
    let code = facts.code_label();
    let lead = match (&code, facts.is_bad_connection()) {
        (Some(c), true) => format!("{c} means the connection opened and then timed out or broke; "),
        (Some(c), false) => format!("{c}: "),
        (None, _) => String::new(),
    };
    if facts.resolver_unreachable() {
        let domain = if facts.input.sender_domain.is_empty() { "the domain" } else { facts.input.sender_domain };
        return uppercase_first(&format!(
            "{lead}this page could not reach the DNS resolver, so nothing is known about {domain} yet. Check this device's connection (VPN, proxy or content blocker) or choose another resolver, then check again."
        ));
    }
    let top = causes.iter().find(|c| c.confidence == Confidence::Likely);
    let sentence = match top {
        Some(c) => format!("{lead}most likely cause: {}.", lowercase_first(&c.title)),
        None if facts.has_anything() => match causes.iter().find(|c| c.confidence == Confidence::Possible) {
            Some(c) => format!(
                "{lead}no finding proves the cause; the strongest lead: {}. Fix that, then run the checks below from your server.",
                lowercase_first(&c.title)
            ),
            // Say "both sides" only when the recipient's DNS was checked too.
            None if facts.recipient_checked() => format!(
                "{lead}DNS looks fine on both sides, so the cause is likely the network path or server load: run the checks below from your server."
            ),
            None => format!(
                "{lead}your domain's DNS looks fine, so the cause is likely the network path, the recipient's side or server load: add the recipient domain and run the checks below from your server."
            ),
        },
        None => "Not enough to go on yet: add the recipient domain, your server's IP or the error text.".to_string(),
    };
    uppercase_first(&sentence)
}

// The sentences are English and start with an ASCII letter (names in them are
// A-labels): ASCII case mapping is exact here and keeps core's Unicode case
// tables out of the wasm build.
fn uppercase_first(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// "Mail server unreachable" → "mail server unreachable", but "SPF ..." stays.
fn lowercase_first(s: &str) -> String {
    let mut out = s.to_string();
    if s.as_bytes().get(1).is_some_and(u8::is_ascii_lowercase) {
        if let Some(first) = out.get_mut(..1) {
            first.make_ascii_lowercase();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{lowercase_first, uppercase_first};

    #[test]
    fn first_letter_case() {
        assert_eq!(uppercase_first("most likely cause: x."), "Most likely cause: x.");
        assert_eq!(uppercase_first(""), "");
        assert_eq!(uppercase_first("ümlaut"), "ümlaut");
        assert_eq!(lowercase_first("Mail server unreachable"), "mail server unreachable");
        // An acronym keeps its capitals.
        assert_eq!(lowercase_first("SPF lookup limit"), "SPF lookup limit");
        assert_eq!(lowercase_first("A"), "A");
        assert_eq!(lowercase_first(""), "");
    }
}
