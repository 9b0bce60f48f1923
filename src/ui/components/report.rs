//! The report: verdict line, progress, then one section per check.

use std::rc::Rc;

use yew::prelude::*;

use super::builders::Builders;
use super::diagnosis::{causes, check_yourself};
use super::dmarc::{dmarc_section, dmarc_status};
use super::generated::{generated_records, Generated};
use super::ptr::{ptr_section, ptr_status};
use super::records::{mx_section, mx_status, txt_section, txt_status};
use super::section::Status;
use super::spf::{spf_section, spf_status};
use crate::ui::idna;
use crate::ui::state::{CheckId, Report, Slot};
use maildoctor_core::diagnosis::{diagnose, Diagnosis, DiagnosisInput};
use maildoctor_core::finding::Finding;
use maildoctor_core::generate::dmarc::{fix_dmarc, DmarcFixInput};
use maildoctor_core::generate::spf::{fix_spf, SpfFixInput};

/// The diagnosis from the answers so far (the engine works with partial input).
pub fn diagnosis_of(report: &Report) -> Option<Diagnosis> {
    let request = report.request.as_ref()?;
    let mut sender: Vec<Finding> = Vec::new();
    sender.extend(report.mx.done().iter().flat_map(|r| r.findings.iter().cloned()));
    sender.extend(report.spf.done().iter().flat_map(|r| r.findings.iter().cloned()));
    sender.extend(report.dmarc.done().iter().flat_map(|r| r.findings.iter().cloned()));
    sender.extend(report.ptr.done().iter().flat_map(|r| r.findings.iter().cloned()));
    let recipient = report.recipient_mx.done();
    let recipient_findings = recipient.map(|r| r.findings.clone()).unwrap_or_default();
    let recipient_hosts: Vec<String> =
        recipient.map(|r| r.hosts.iter().map(|h| h.name.clone()).collect()).unwrap_or_default();
    Some(diagnose(&DiagnosisInput {
        sender_domain: &request.domain.ascii,
        sender_findings: &sender,
        recipient_domain: request.recipient.as_ref().map(|r| r.ascii.as_str()),
        recipient_findings: &recipient_findings,
        recipient_mx_hosts: &recipient_hosts,
        sending_ip: request.sending_ip,
        reply: request.reply.as_ref(),
    }))
}

/// Corrected SPF and DMARC records, when the generators change something.
pub fn generated_of(report: &Report) -> Vec<Generated> {
    let Some(request) = &report.request else {
        return Vec::new();
    };
    let domain = request.domain.ascii.as_str();
    let mut out = Vec::new();
    if let Some(spf) = report.spf.done() {
        // A record we could not fetch is not a record to fix.
        if spf_status(spf) != Status::Unknown {
            let mx_hosts: Vec<String> =
                report.mx.done().map(|m| m.hosts.iter().map(|h| h.name.clone()).collect()).unwrap_or_default();
            let fix =
                fix_spf(&SpfFixInput { domain, report: spf, mx_hosts: &mx_hosts, sending_ip: request.sending_ip });
            if !fix.changes.is_empty() {
                out.push(Generated {
                    kind: "spf",
                    title: "SPF record".into(),
                    record: fix.registrar,
                    changes: fix.changes,
                    warnings: fix.warnings,
                });
            }
        }
    }
    if let Some(dmarc) = report.dmarc.done() {
        if dmarc_status(dmarc) != Status::Unknown {
            let fix = fix_dmarc(&DmarcFixInput { domain, report: dmarc, rua: None, idna: idna::page() });
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
    }
    out
}

fn of<T>(slot: &Slot<T>, f: fn(&T) -> Status) -> Option<Status> {
    match slot {
        Slot::Off => None,
        Slot::Pending => Some(Status::Pending),
        Slot::Done(v) => Some(f(v)),
    }
}

/// A section's badge as the report currently stands (`None`: not part of this run).
pub fn status_of(report: &Report, check: CheckId) -> Option<Status> {
    match check {
        CheckId::Mx => of(&report.mx, mx_status),
        CheckId::Spf => of(&report.spf, spf_status),
        CheckId::Dmarc => of(&report.dmarc, dmarc_status),
        CheckId::Ptr => of(&report.ptr, ptr_status),
        CheckId::Txt => of(&report.txt, txt_status),
        CheckId::RecipientMx => of(&report.recipient_mx, mx_status),
    }
}

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub report: Rc<Report>,
    pub on_retry: Callback<CheckId>,
}

#[function_component(ReportView)]
pub fn report_view(props: &ReportProps) -> Html {
    let report = &props.report;
    let Some(request) = &report.request else {
        return html! {};
    };
    let name = if request.domain.unicode != request.domain.ascii {
        format!("{} ({})", request.domain.unicode, request.domain.ascii)
    } else {
        request.domain.ascii.clone()
    };
    let (answered, asked) = report.progress();
    let progress = if report.in_flight() {
        format!("Checking {name}: {answered} of {asked} checks answered…")
    } else {
        format!("All {asked} checks of {name} answered.")
    };
    let retry = props.on_retry.clone();
    let diagnosis = diagnosis_of(report);
    let verdict = diagnosis.as_ref().map(|d| capitalize(&d.verdict)).unwrap_or_default();
    let manual = diagnosis.as_ref().map(|d| d.check_yourself.clone()).unwrap_or_default();
    html! {
        <div id="report" class="report">
            { verdict_line(report, &name, verdict) }
            <p id="progress" class="progress" role="status" aria-live="polite">{ progress }</p>
            if let Some(d) = &diagnosis {
                { causes(d, report.in_flight()) }
            }
            <CheckView check={CheckId::Mx} report={report.clone()} on_retry={retry.clone()} />
            <CheckView check={CheckId::Spf} report={report.clone()} on_retry={retry.clone()} />
            <CheckView check={CheckId::Dmarc} report={report.clone()} on_retry={retry.clone()} />
            <CheckView check={CheckId::Ptr} report={report.clone()} on_retry={retry.clone()} />
            <CheckView check={CheckId::Txt} report={report.clone()} on_retry={retry.clone()} />
            if report.is_on(CheckId::RecipientMx) {
                <CheckView check={CheckId::RecipientMx} report={report.clone()} on_retry={retry.clone()} />
            }
            { generated_records(&generated_of(report)) }
            <Builders domain={request.domain.ascii.clone()} />
            { check_yourself(&manual) }
        </div>
    }
}

#[derive(Properties)]
pub struct CheckViewProps {
    pub check: CheckId,
    pub report: Rc<Report>,
    pub on_retry: Callback<CheckId>,
}

impl PartialEq for CheckViewProps {
    /// The same section as long as its own answer is the same one (an answer is
    /// a new `Rc`). The retry callback is made anew on every render of the
    /// page but always asks the same thing, so it is not compared.
    fn eq(&self, other: &Self) -> bool {
        self.check == other.check && self.report.same_slot(&other.report, self.check)
    }
}

/// One check's section. A component, unlike the other parts of the report,
/// so that when an answer lands only its own section is rendered and
/// reconciled again, not every section of the report.
#[function_component(CheckView)]
pub fn check_view(props: &CheckViewProps) -> Html {
    let (report, retry) = (&props.report, &props.on_retry);
    match props.check {
        CheckId::Mx => mx_section(CheckId::Mx, &report.mx, retry),
        CheckId::Spf => spf_section(&report.spf, retry),
        CheckId::Dmarc => dmarc_section(&report.dmarc, retry),
        CheckId::Ptr => ptr_section(&report.ptr, retry),
        CheckId::Txt => txt_section(&report.txt, retry),
        CheckId::RecipientMx => mx_section(CheckId::RecipientMx, &report.recipient_mx, retry),
    }
}

/// The verdict is a sentence: it starts with a capital. It is English and
/// starts with an ASCII letter, so ASCII case mapping is exact (and keeps
/// core's Unicode case tables out of the wasm build).
fn capitalize(text: &str) -> String {
    let mut out = text.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// The one line a person reads first: the diagnosis once every answer is in,
/// with a colour (and words) for the worst section.
fn verdict_line(report: &Report, name: &str, text: String) -> Html {
    let statuses: Vec<Status> = CheckId::ALL.iter().filter_map(|&c| status_of(report, c)).collect();
    let has = |s: Status| statuses.contains(&s);
    if report.in_flight() {
        return html! { <p id="verdict" class="verdict pending">{ format!("Checking {name}…") }</p> };
    }
    let (class, label) = if has(Status::Fail) {
        ("fail", "Problems found")
    } else if has(Status::Unknown) {
        ("unknown", "Some checks could not be asked")
    } else if has(Status::Warn) {
        ("warn", "Warnings")
    } else {
        ("pass", "DNS looks right")
    };
    html! {
        <p id="verdict" class={classes!("verdict", class)}>
            <span class="verdict-label">{ format!("{label} · {name}") }</span>
            <span class="verdict-text">{ text }</span>
        </p>
    }
}
