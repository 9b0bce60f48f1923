//! The report: verdict line, progress, then one section per check.

use std::rc::Rc;

use yew::prelude::*;

use super::records::{mx_status, txt_status, MxSection, TxtSection};
use super::section::Status;
use crate::ui::state::{CheckId, Report, Slot};

/// A section's badge as the report currently stands.
pub fn status_of(report: &Report, check: CheckId) -> Status {
    let of = |slot: &Slot<crate::dns::Lookup>, f: fn(&crate::dns::Lookup) -> Status| match slot {
        Slot::Done(l) => f(l),
        _ => Status::Pending,
    };
    match check {
        CheckId::Mx => of(&report.mx, mx_status),
        CheckId::Txt => of(&report.txt, txt_status),
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
    html! {
        <div class="report">
            <Verdict report={Rc::clone(report)} name={name} />
            <p id="progress" class="progress" role="status" aria-live="polite">{ progress }</p>
            <MxSection slot={report.mx.clone()} on_retry={props.on_retry.clone()} />
            <TxtSection slot={report.txt.clone()} on_retry={props.on_retry.clone()} />
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
    let statuses: Vec<Status> = CheckId::ALL.iter().map(|&c| status_of(&props.report, c)).collect();
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
