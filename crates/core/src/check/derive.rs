//! What the page shows beyond the answers themselves, computed once per
//! answer batch from the report — never in the view: the diagnosis, the
//! corrected records, and each section's badge.
//!
//! Data flows one way: input → queries → [`Report`] → [`derive`] → view.

mod steps;

pub use steps::Step;

use super::published::Published;
use super::report::Report;
use super::{CheckId, Side, Status};
use crate::diagnosis::{diagnose, Confidence, Diagnosis, DiagnosisInput};
use crate::dns::Lookup;
use crate::finding::Code;
use crate::finding::{Finding, Severity};
use crate::generate::dmarc::{fix_dmarc, DmarcFixInput};
use crate::generate::spf::{fix_spf, SpfFixInput, MAX_LOOKUPS};
use crate::generate::{Change, RegistrarRecord};
use crate::input::IdnaMapper;
use crate::mx::MxCode;
use crate::requirements::{checklist, Checklist, ChecklistInput};
use crate::smtp::SmtpReply;

/// One corrected record and what the generator says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// `spf` or `dmarc` (the `data-kind`).
    pub kind: &'static str,
    /// "Corrected …" only when the record passes the check it was made for.
    pub title: String,
    /// The record evaluates cleanly (SPF: within the lookup limit).
    pub passes: bool,
    pub record: RegistrarRecord,
    pub changes: Vec<Change>,
    pub warnings: Vec<String>,
}

/// Everything derived from a report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Derived {
    /// `None` before the first run.
    pub diagnosis: Option<Diagnosis>,
    /// Corrected SPF and DMARC records, when the generators change something.
    pub generated: Vec<Generated>,
    /// Each check of the run with its badge, in page order.
    pub statuses: Vec<(CheckId, Status)>,
    /// The verdict over the report, from the same badges and causes.
    pub headline: Headline,
    /// Gmail's, Yahoo's and Outlook.com's sender requirements, judged.
    pub requirements: Vec<Checklist>,
    /// What to do, in order, once every answer is in.
    pub steps: Vec<Step>,
    /// What happens after the steps: caching from the real TTLs, retries, how to confirm.
    pub after: Vec<String>,
    /// What changed in the SPF, DMARC and MX records since the run before
    /// (same domain, "check again"); empty without one.
    pub since_last: Vec<String>,
}

/// How the report stands as a whole: the verdict's colour and label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    /// Answers are still out.
    #[default]
    Checking,
    /// Every question failed to reach the resolver: nothing is known about the domain.
    Unreachable,
    /// A check failed.
    Problems,
    /// No failure, but a check could not be asked.
    CouldNotAsk,
    /// Only warnings.
    Warnings,
    /// Every check passed.
    Fine,
}

impl Tone {
    /// The worst badge decides (a pending one: still checking).
    pub fn of(statuses: &[(CheckId, Status)], unreachable: bool) -> Tone {
        let has = |s: Status| statuses.iter().any(|(_, status)| *status == s);
        if has(Status::Pending) {
            Tone::Checking
        } else if unreachable {
            Tone::Unreachable
        } else if has(Status::Fail) {
            Tone::Problems
        } else if has(Status::Unknown) {
            Tone::CouldNotAsk
        } else if has(Status::Warn) {
            Tone::Warnings
        } else {
            Tone::Fine
        }
    }

    /// The verdict line's `data-tone` (its colour in the stylesheet).
    pub fn key(self) -> &'static str {
        match self {
            Tone::Checking => "pending",
            Tone::Problems => "fail",
            Tone::Unreachable | Tone::CouldNotAsk => "unknown",
            Tone::Warnings => "warn",
            Tone::Fine => "pass",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tone::Checking => "Checking",
            Tone::Unreachable => "Could not reach the DNS resolver",
            Tone::Problems => "Problems found",
            Tone::CouldNotAsk => "Some checks could not be asked",
            Tone::Warnings => "Warnings",
            Tone::Fine => "DNS looks right",
        }
    }
}

/// The verdict a person reads first. One function ([`Headline::of`]) makes
/// it from the same facts the body shows — the badges, the ranked causes,
/// the pasted reply — so it cannot say "looks right" above a failure. What
/// is wrong in the DNS and what caused a deferral are kept apart.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Headline {
    pub tone: Tone,
    /// What is wrong in the DNS: every failing, warning and unasked check by name.
    pub dns: String,
    /// What most likely caused the deferral: only when a reply was pasted.
    /// Quotes the reply's own words, so a cause the receiver names is in it.
    pub cause: Option<String>,
}

/// The longest piece of a reply the verdict quotes.
const QUOTE_MAX: usize = 200;

impl Headline {
    /// `unreachable`: every lookup ended in a transport failure (no network,
    /// a blocked resolver), so nothing is known about the domain.
    pub fn of(
        statuses: &[(CheckId, Status)],
        diagnosis: Option<&Diagnosis>,
        reply: Option<&SmtpReply>,
        unreachable: bool,
    ) -> Headline {
        let tone = Tone::of(statuses, unreachable);
        let named = |want: Status| -> Vec<&str> {
            // A loop, not a filter/map chain collected: smaller in the wasm.
            let mut out = Vec::new();
            for (c, s) in statuses {
                if *s == want {
                    out.push(c.short());
                }
            }
            out
        };
        let dns = match tone {
            Tone::Checking => String::new(),
            Tone::Unreachable => {
                "Nothing is known about the domain yet: check your connection, or choose another resolver.".into()
            }
            _ => {
                let mut parts = Vec::new();
                for (status, lead) in [
                    (Status::Fail, "Problems in "),
                    (Status::Warn, "Warnings in "),
                    (Status::Unknown, "Could not ask about "),
                ] {
                    let names = named(status);
                    if !names.is_empty() {
                        parts.push(format!("{lead}{}.", and_list(&names)));
                    }
                }
                let unchecked = named(Status::NotChecked);
                if parts.is_empty() {
                    let all =
                        if unchecked.is_empty() { "Every check passed." } else { "Every check that could run passed." };
                    parts.push(all.into());
                }
                if !unchecked.is_empty() {
                    parts.push(format!("Not checked: {}.", and_list(&unchecked)));
                }
                parts.join(" ")
            }
        };
        let cause = match (tone, reply) {
            (Tone::Checking | Tone::Unreachable, _) | (_, None) => None,
            (_, Some(r)) => Some(cause_line(r, diagnosis)),
        };
        Headline { tone, dns, cause }
    }
}

/// "421 4.4.2: the error says “…”. Most likely cause: …."
fn cause_line(reply: &SmtpReply, diagnosis: Option<&Diagnosis>) -> String {
    let code = match (reply.basic_code, reply.enhanced) {
        (Some(b), Some(e)) => format!("{b} {e}"),
        (None, Some(e)) => e.to_string(),
        (Some(b), None) => b.to_string(),
        (None, None) => "The error".into(),
    };
    let said = reply.text.trim();
    let mut out = if said.is_empty() {
        format!("{code}: {}.", reply.meaning.trim_end_matches('.'))
    } else {
        format!("{code}: the error says “{}”.", quote(said))
    };
    let causes = diagnosis.map(|d| d.causes.as_slice()).unwrap_or_default();
    let top = |c: Confidence| causes.iter().find(|x| x.confidence == c);
    match (top(Confidence::Likely), top(Confidence::Possible)) {
        (Some(c), _) => out.push_str(&format!(" Most likely cause: {}.", c.title)),
        (None, Some(c)) => out.push_str(&format!(" Possible cause: {}.", c.title)),
        (None, None) => out.push_str(" Nothing in the DNS answers explains it."),
    }
    out
}

/// At most [`QUOTE_MAX`] bytes of `text`, cut at a space, "…" when cut.
fn quote(text: &str) -> String {
    if text.len() <= QUOTE_MAX {
        return text.to_string();
    }
    let mut cut = QUOTE_MAX;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let head = head.rfind(' ').map_or(head, |space| &head[..space]);
    format!("{head}…")
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Derived {
    pub fn status(&self, check: CheckId) -> Option<Status> {
        self.statuses.iter().find(|(c, _)| *c == check).map(|(_, s)| *s)
    }
}

/// Derives the diagnosis, the corrected records and the badges from the
/// answers so far (each works with partial input). `idna` maps names written
/// in Unicode (the page passes the browser's mapper).
pub fn derive(report: &Report, idna: &dyn IdnaMapper) -> Derived {
    let mut statuses: Vec<(CheckId, Status)> = Vec::new();
    for c in report.checks() {
        if let Some(s) = report.status(c) {
            statuses.push((c, s));
        }
    }
    let diagnosis = diagnosis_of(report);
    let reply = report.request.as_ref().and_then(|r| r.reply.as_ref());
    // The diagnosis decides it from every lookup of the run (transport errors only).
    let unreachable = diagnosis.as_ref().is_some_and(|d| d.resolver_unreachable);
    let headline = Headline::of(&statuses, diagnosis.as_ref(), reply, unreachable);
    let generated = generated_of(report, idna);
    let steps = if report.in_flight() { Vec::new() } else { steps::steps(report, &generated) };
    let after = steps::after_publishing(report, &steps);
    let requirements = requirements_of(report);
    let since_last = match (&report.before, Published::of(report)) {
        (Some(before), Some(now)) => now.changes_since(before),
        _ => Vec::new(),
    };
    Derived { diagnosis, generated, statuses, headline, steps, after, requirements, since_last }
}

/// The providers' checklists from the sender checks that answered.
pub fn requirements_of(report: &Report) -> Vec<Checklist> {
    let Some(request) = &report.request else { return Vec::new() };
    let findings = |c: CheckId| report.answer(c).map(|a| a.report().findings());
    checklist(&ChecklistInput {
        spf: findings(CheckId::Spf),
        dkim: findings(CheckId::Dkim),
        dmarc: findings(CheckId::Dmarc),
        ptr: findings(CheckId::Ptr),
        sending_ip: request.sending_ip,
    })
}

/// The diagnosis from the answers so far (the engine works with partial input).
pub fn diagnosis_of(report: &Report) -> Option<Diagnosis> {
    let request = report.request.as_ref()?;
    // One pass over the answers: each side's findings with what the resolver
    // said about that side's DNS (resolver_findings), and every lookup of the
    // run, with which the diagnosis tells "the page could not reach its
    // resolver" (transport errors) from "the domain's DNS fails". The
    // recipient's check comes last (CheckId::ALL), so sender then recipient
    // lookups keep the page order.
    let mut sides: [(Vec<Finding>, Vec<Lookup>); 2] = Default::default();
    for answer in report.checks().filter_map(|c| report.answer(c)) {
        let (findings, lookups) = &mut sides[usize::from(answer.check().side() == Side::Recipient)];
        findings.extend_from_slice(answer.report().findings());
        lookups.extend(answer.report().lookups());
    }
    let [(mut sender, sender_lookups), (mut recipient_findings, recipient_lookups)] = sides;
    sender.extend(resolver_findings(&sender_lookups));
    recipient_findings.extend(resolver_findings(&recipient_lookups));
    let lookups = [sender_lookups, recipient_lookups].concat();
    let recipient_hosts: Vec<String> = report.recipient_mx().map(|r| r.host_names()).unwrap_or_default();
    Some(diagnose(&DiagnosisInput {
        sender_domain: &request.domain.ascii,
        sender_findings: &sender,
        recipient_domain: request.recipient.as_ref().map(|r| r.ascii.as_str()),
        recipient_findings: &recipient_findings,
        recipient_mx_hosts: &recipient_hosts,
        sending_ip: request.sending_ip,
        reply: request.reply.as_ref(),
        lookups: &lookups,
    }))
}

/// Where a new DMARC record sends aggregate reports until the person says.
pub fn report_address(domain: &str) -> String {
    format!("dmarc-reports@{domain}")
}

/// Corrected SPF and DMARC records, when the generators change something.
/// A record we could not fetch is not a record to fix.
pub fn generated_of(report: &Report, idna: &dyn IdnaMapper) -> Vec<Generated> {
    let Some(request) = &report.request else {
        return Vec::new();
    };
    let domain = request.domain.ascii.as_str();
    let answered = |check| report.status(check).is_some_and(|s| s != Status::Unknown);
    let mut out = Vec::new();
    if let Some(spf) = report.spf().filter(|_| answered(CheckId::Spf)) {
        let mx_hosts: Vec<String> = report.mx().map(|m| m.host_names()).unwrap_or_default();
        let fix = fix_spf(&SpfFixInput { domain, report: spf, mx_hosts: &mx_hosts, sending_ip: request.sending_ip });
        // Shown also when no valid record could be built: its warning says why.
        if !fix.changes.is_empty() || !fix.valid {
            // RFC 7208 §4.6.4: over 10 lookups or 2 void lookups is a PermError, so such a record is no fix.
            let passes = fix.valid && fix.lookup_estimate <= MAX_LOOKUPS;
            out.push(Generated {
                kind: "spf",
                title: if passes { "Corrected SPF record" } else { "SPF record: a decision is needed" }.into(),
                passes,
                record: fix.registrar,
                changes: fix.changes,
                warnings: fix.warnings,
            });
        }
    }
    if let Some(dmarc) = report.dmarc().filter(|_| answered(CheckId::Dmarc)) {
        // No report mailbox at a domain that takes no mail (issue 15 §3).
        let takes_mail = report.mx().is_none_or(|m| {
            !m.findings.iter().any(|f| {
                matches!(
                    f.code,
                    Code::Mx(MxCode::Null)
                        | Code::Mx(MxCode::None)
                        | Code::Mx(MxCode::Nxdomain)
                        | Code::Mx(MxCode::NoUsableTarget)
                )
            })
        });
        // The address is named here, so the generator does not tell the person
        // to create that mailbox: the step asks where reports should go. None
        // at a domain that takes no mail: the generator suggests a report service.
        let rua = takes_mail.then(|| report_address(domain));
        let fix = fix_dmarc(&DmarcFixInput { domain, report: dmarc, rua: rua.as_deref(), idna, takes_mail });
        if !fix.changes.is_empty() {
            let title = if dmarc.record.is_some() { "Corrected DMARC record" } else { "New DMARC record" };
            out.push(Generated {
                kind: "dmarc",
                title: title.into(),
                passes: true,
                record: fix.registrar,
                changes: fix.changes,
                warnings: fix.warnings,
            });
        }
    }
    out
}

finding_codes! {
    /// What the resolver said about a domain's DNS as a whole; text form `dns.<name>`.
    pub enum DnsCode: Dns, "dns" {
        DnssecBogus = "dnssec-bogus",
        NoReachableAuthority = "no-reachable-authority",
    }
}

/// What the resolver said about the DNS behind a side's answers, as findings
/// for the diagnosis: an Extended DNS Error 22 (No Reachable Authority) or 23
/// (Network Error) — the domain's authoritative servers did not answer — and
/// a DNSSEC validation failure (bogus). At most one of each, on the first
/// lookup that shows it.
pub fn resolver_findings(lookups: &[Lookup]) -> Vec<Finding> {
    let mut out = Vec::new();
    let unreachable =
        lookups.iter().find(|l| l.is_failure() && l.extended_errors.iter().any(|e| matches!(e.code, 22 | 23)));
    if let Some(l) = unreachable {
        let message = format!(
            "The resolver could not reach the authoritative name servers for {} — {}.",
            l.name,
            l.resolver_says().unwrap_or_default()
        );
        out.push(Finding::new(DnsCode::NoReachableAuthority, Severity::Error, message).rfc(8914, "4.23").evidence(l));
    }
    if let Some(l) = lookups.iter().find(|l| l.bogus) {
        let message = format!(
            "DNSSEC validation fails for {}: the resolver answers only with checking disabled, so every validating \
             resolver (and mail server using one) gets SERVFAIL.",
            l.name
        );
        out.push(Finding::new(DnsCode::DnssecBogus, Severity::Error, message).rfc(4035, "5.5").evidence(l));
    }
    out
}
