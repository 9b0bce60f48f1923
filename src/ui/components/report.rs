//! The report: verdict line, progress, then one section per check.

use std::rc::Rc;

use yew::prelude::*;

use super::dmarc::{dmarc_status, DmarcSection};
use super::ptr::{ptr_status, PtrSection};
use super::records::{mx_status, txt_status, MxSection, TxtSection};
use super::section::Status;
use super::spf::{spf_status, SpfSection};
use crate::ui::state::{CheckId, Report, Slot};

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
    html! {
        <div class="report">
            <Verdict report={Rc::clone(report)} name={name} />
            <p id="progress" class="progress" role="status" aria-live="polite">{ progress }</p>
            <MxSection check={CheckId::Mx} slot={report.mx.clone()} on_retry={retry.clone()} />
            <SpfSection slot={report.spf.clone()} on_retry={retry.clone()} />
            <DmarcSection slot={report.dmarc.clone()} on_retry={retry.clone()} />
            <PtrSection slot={report.ptr.clone()} on_retry={retry.clone()} />
            <TxtSection slot={report.txt.clone()} on_retry={retry.clone()} />
            if report.is_on(CheckId::RecipientMx) {
                <MxSection check={CheckId::RecipientMx} slot={report.recipient_mx.clone()} on_retry={retry} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct VerdictProps {
    report: Rc<Report>,
    name: String,
}

/// The one line a person reads first. Until the diagnosis engine is wired in,
/// it counts the sections by badge and never claims more than they say.
#[function_component(Verdict)]
fn verdict(props: &VerdictProps) -> Html {
    let statuses: Vec<Status> = CheckId::ALL.iter().filter_map(|&c| status_of(&props.report, c)).collect();
    let count = |s: Status| statuses.iter().filter(|&&x| x == s).count();
    let (class, text) = if props.report.in_flight() {
        ("pending", format!("Checking {}…", props.name))
    } else if count(Status::Fail) > 0 {
        ("fail", format!("{}: {} check(s) found a problem — see below.", props.name, count(Status::Fail)))
    } else if count(Status::Unknown) > 0 {
        (
            "unknown",
            format!(
                "{}: {} check(s) could not be asked — the resolver did not answer; try again.",
                props.name,
                count(Status::Unknown)
            ),
        )
    } else if count(Status::Warn) > 0 {
        ("warn", format!("{}: {} check(s) with warnings — see below.", props.name, count(Status::Warn)))
    } else {
        ("pass", format!("{}: no problems found in the checks below.", props.name))
    };
    html! { <p id="verdict" class={classes!("verdict", class)}>{ text }</p> }
}
