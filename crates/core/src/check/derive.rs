//! What the page shows beyond the answers themselves, computed once per
//! answer batch from the report — never in the view: the diagnosis, the
//! corrected records, and each section's badge.
//!
//! Data flows one way: input → queries → [`Report`] → [`derive`] → view.

use super::report::Report;
use super::{CheckId, Side, Status};
use crate::diagnosis::{diagnose, Diagnosis, DiagnosisInput};
use crate::finding::Code;
use crate::finding::Finding;
use crate::generate::dmarc::{fix_dmarc, DmarcFixInput};
use crate::generate::spf::{fix_spf, SpfFixInput};
use crate::generate::{Change, RegistrarRecord};
use crate::input::IdnaMapper;
use crate::mx::MxCode;
use crate::requirements::{checklist, Checklist, ChecklistInput};

/// One corrected record and what the generator says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// `spf` or `dmarc` (the `data-kind`).
    pub kind: &'static str,
    pub title: String,
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
    /// The headline over the report, from the same badges.
    pub headline: Headline,
    /// Gmail's, Yahoo's and Outlook.com's sender requirements, judged.
    pub requirements: Vec<Checklist>,
}

/// The one line a person reads first: how the report stands as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Headline {
    /// Answers are still out.
    #[default]
    Checking,
    /// A check failed.
    Problems,
    /// No failure, but a check could not be asked.
    CouldNotAsk,
    /// Only warnings.
    Warnings,
    /// Every check passed.
    Fine,
}

impl Headline {
    /// From the badges of a run (the worst decides).
    pub fn of(statuses: &[(CheckId, Status)]) -> Headline {
        let has = |s: Status| statuses.iter().any(|(_, status)| *status == s);
        if has(Status::Pending) {
            Headline::Checking
        } else if has(Status::Fail) {
            Headline::Problems
        } else if has(Status::Unknown) {
            Headline::CouldNotAsk
        } else if has(Status::Warn) {
            Headline::Warnings
        } else {
            Headline::Fine
        }
    }

    /// The `class` of the verdict line.
    pub fn key(self) -> &'static str {
        match self {
            Headline::Checking => "pending",
            Headline::Problems => "fail",
            Headline::CouldNotAsk => "unknown",
            Headline::Warnings => "warn",
            Headline::Fine => "pass",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Headline::Checking => "Checking",
            Headline::Problems => "Problems found",
            Headline::CouldNotAsk => "Some checks could not be asked",
            Headline::Warnings => "Warnings",
            Headline::Fine => "DNS looks right",
        }
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
    let statuses: Vec<(CheckId, Status)> = report.checks().filter_map(|c| Some((c, report.status(c)?))).collect();
    let headline = Headline::of(&statuses);
    Derived {
        diagnosis: diagnosis_of(report),
        generated: generated_of(report, idna),
        statuses,
        headline,
        requirements: requirements_of(report),
    }
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
    let findings_of = |side: Side| -> Vec<Finding> {
        CheckId::ALL
            .into_iter()
            .filter(|c| c.side() == side)
            .filter_map(|c| report.answer(c))
            .flat_map(|a| a.report().findings().iter().cloned())
            .collect()
    };
    let (sender, recipient_findings) = (findings_of(Side::Sender), findings_of(Side::Recipient));
    // Every lookup of the run: the diagnosis tells "the page could not reach
    // its resolver" (transport errors) from "the domain's DNS fails".
    let lookups: Vec<crate::dns::Lookup> =
        report.checks().filter_map(|c| report.answer(c)).flat_map(|a| a.report().lookups()).collect();
    let recipient_hosts: Vec<String> =
        report.recipient_mx().map(|r| r.hosts.iter().map(|h| h.name.clone()).collect()).unwrap_or_default();
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
        let mx_hosts: Vec<String> =
            report.mx().map(|m| m.hosts.iter().map(|h| h.name.clone()).collect()).unwrap_or_default();
        let fix = fix_spf(&SpfFixInput { domain, report: spf, mx_hosts: &mx_hosts, sending_ip: request.sending_ip });
        // Shown also when no valid record could be built: its warning says why.
        if !fix.changes.is_empty() || !fix.valid {
            out.push(Generated {
                kind: "spf",
                title: "SPF record".into(),
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
        let fix = fix_dmarc(&DmarcFixInput { domain, report: dmarc, rua: None, idna, takes_mail });
        if !fix.changes.is_empty() {
            out.push(Generated {
                kind: "dmarc",
                title: "DMARC record".into(),
                record: fix.registrar,
                changes: fix.changes,
                warnings: fix.warnings,
            });
        }
    }
    out
}
