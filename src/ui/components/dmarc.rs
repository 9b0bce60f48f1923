//! The DMARC section: which record applies, why, and what it asks receivers to do.

use yew::prelude::*;

use super::generated::terms;
use super::section::{check_section, Controls, Section};
use crate::ui::state::CheckId;
use maildoctor_core::check::CheckReport;
use maildoctor_core::dmarc::DmarcReport;

pub fn dmarc_section(report: &DmarcReport, controls: &Controls) -> Html {
    let check = CheckId::Dmarc;
    let status = report.status();
    let summary = match (&report.found_at, report.applied_policy) {
        (Some(at), Some(policy)) => {
            format!("The DMARC record at _dmarc.{at} applies, with policy p={}.", policy.as_str())
        }
        (Some(at), None) => format!("A DMARC record was found at _dmarc.{at}."),
        _ => String::new(),
    };
    let section =
        Section::answered(check, status, summary, &report.findings, &report.lookups, report.lookups.iter(), controls);
    check_section(
        section,
        html! {
            <>
                if let Some(text) = &report.record_text {
                    <ul class="txt-list"><li><code class="dmarc-record">{ terms(text) }</code></li></ul>
                }
                if !report.meaning.is_empty() {
                    <ul id="dmarc-meaning" class="meaning" aria-label="What the record says">
                        { for report.meaning.iter().map(|m| html! { <li>{ m.clone() }</li> }) }
                    </ul>
                }
                if !report.why.is_empty() {
                    <p class="why">{ "How the record was found: " }{ report.why.clone() }</p>
                }
            </>
        },
    )
}
