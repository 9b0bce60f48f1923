//! The transport-security sections: MTA-STS, TLS-RPT, DANE and BIMI. Lean on
//! purpose (page bytes are scarce): the findings and the raw answers (records
//! as text, each with its DNSSEC state) come from the shared `check_section`;
//! only MTA-STS adds lines: the pasted policy's mx patterns and the curl command.

use yew::prelude::*;

use super::section::{check_section, Controls, Section};
use crate::ui::state::CheckId;
use maildoctor_core::bimi::BimiReport;
use maildoctor_core::check::CheckReport;
use maildoctor_core::dane::DaneReport;
use maildoctor_core::mta_sts::MtaStsReport;
use maildoctor_core::tlsrpt::TlsRptReport;

/// One section from a report: its findings, lookups (all of them are main
/// questions) and status, with `summary` and `content`.
fn section(check: CheckId, report: &dyn CheckReport, summary: String, content: Html, controls: &Controls) -> Html {
    let lookups = report.lookups();
    let s = Section::answered(check, report.status(), summary, report.findings(), &lookups, lookups.iter(), controls);
    check_section(s, content)
}

pub fn mta_sts_section(r: &MtaStsReport, controls: &Controls) -> Html {
    // The record's id is in its finding; the policy is what the person pasted.
    let summary = r.policy.as_ref().map_or(String::new(), |p| {
        let mx: Vec<String> = p.mx.iter().map(|m| m.to_string()).collect();
        format!("The pasted policy: mode {}, max_age {} s, mx {}.", p.mode, p.max_age, mx.join(", "))
    });
    let content = html! {
        <>
            <p class="why">{ "The command that fetches the policy as senders do; paste its output into the form's MTA-STS box and check again:" }</p>
            <ul class="txt-list mta-sts-lines"><li><code>{ r.curl_command.clone() }</code></li></ul>
        </>
    };
    section(CheckId::MtaSts, r, summary, content, controls)
}

/// TLS-RPT, DANE and BIMI: the findings say it all, and the records (with
/// each answer's DNSSEC state) are in the raw answers below them.
pub fn tlsrpt_section(r: &TlsRptReport, controls: &Controls) -> Html {
    section(CheckId::TlsRpt, r, String::new(), Html::default(), controls)
}

pub fn dane_section(r: &DaneReport, controls: &Controls) -> Html {
    let summary = if r.lookups.is_empty() { "No MX hosts to look up TLSA records for." } else { "" };
    section(CheckId::Dane, r, summary.to_string(), Html::default(), controls)
}

pub fn bimi_section(r: &BimiReport, controls: &Controls) -> Html {
    section(CheckId::Bimi, r, String::new(), Html::default(), controls)
}
