//! The PTR section: reverse DNS of the mail hosts and of the sending server.

use yew::prelude::*;

use super::records::breakable_name;
use super::section::{check_section, Controls, Section};
use crate::ui::state::CheckId;
use maildoctor_core::check::CheckReport;
use maildoctor_core::ptr::{PtrReport, PtrRole};

pub fn ptr_section(report: &PtrReport, controls: &Controls) -> Html {
    let check = CheckId::Ptr;
    let lookups = report.lookups();
    let status = report.status();
    let summary = if report.results.is_empty() {
        "Nothing to check: no mail server addresses were found and no sending IP was given.".to_string()
    } else if report.results.iter().any(|r| r.role == PtrRole::Sender) {
        "Receivers look up the name of the connecting IP (PTR) and check that the name points back to it.".to_string()
    } else {
        // Say exactly what was checked: the receiving hosts, not the sender receivers judge.
        "Checked: your domain's mail hosts (MX). Receivers judge your sending server: \
         give its IP under \"Sending server's IP\" above (or paste the bounce)."
            .to_string()
    };
    let section = Section::answered(check, status, summary, &report.findings, &lookups, lookups.iter(), controls);
    check_section(
        section,
        html! {
            <>
                if !report.results.is_empty() {
                    <div class="table-wrap">
                    <table class="ptr-table cards">
                        <thead><tr>
                            <th scope="col">{ "Address" }</th>
                            <th scope="col">{ "Of" }</th>
                            <th scope="col">{ "Reverse name (PTR)" }</th>
                            <th scope="col">{ "Points back?" }</th>
                        </tr></thead>
                        <tbody>
                            { for report.results.iter().map(|r| html! {
                                <tr class="ptr-row">
                                    <td class="ip" data-label="Address">{ r.ip.to_string() }</td>
                                    <td class="of" data-label="Of">{ match &r.role { PtrRole::MxHost(h) => breakable_name(h), PtrRole::Sender => html! { "sending server" } } }</td>
                                    <td class="host" data-label="Reverse name (PTR)">{ if r.lookup.is_none() { html! { "not asked (private address)" } } else if r.names.is_empty() { html! { "none" } } else { breakable_name(&r.names.join(", ")) } }</td>
                                    <td class="confirmed" data-label="Points back?">{ match r.confirmed { Some(true) => "✓ yes", Some(false) => "✗ no", None => "–" } }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    </div>
                }
            </>
        },
    )
}
