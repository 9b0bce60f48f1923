//! The DKIM section: the keys found (selector, where it points, key type and
//! size, flags, the record), the selectors that could not be asked, and the
//! honest list of every selector probed without a key.

use yew::prelude::*;

use super::records::breakable_name;
use super::section::{check_section, Controls, Section};
use crate::ui::state::CheckId;
use maildoctor_core::check::CheckReport;
use maildoctor_core::dkim::{DkimReport, SelectorResult, SelectorSource, SelectorState};

fn source_text(result: &SelectorResult) -> String {
    match (&result.source, result.provider) {
        (SelectorSource::Given, _) => "you gave it".to_string(),
        (_, Some(provider)) => provider.to_string(),
        (SelectorSource::Provider(p), None) => p.to_string(),
        (SelectorSource::Common, None) => "common name".to_string(),
    }
}

fn key_text(result: &SelectorResult) -> String {
    let Some(key) = &result.key else {
        return "no DKIM key in the record".to_string();
    };
    if key.public_key.is_empty() {
        return "revoked (empty p=)".to_string();
    }
    let mut text = match &result.key_info {
        Some(info) => format!("{} {} bits", info.algorithm, info.bits),
        None => "unreadable key".to_string(),
    };
    if key.is_testing() {
        text.push_str(", testing (t=y)");
    }
    text
}

pub fn dkim_section(report: &DkimReport, controls: &Controls) -> Html {
    let check = CheckId::Dkim;
    let lookups = report.lookups();
    let shown: Vec<&SelectorResult> =
        report.selectors.iter().filter(|s| !matches!(s.state, SelectorState::NotFound)).collect();
    let missing: Vec<&str> = report
        .selectors
        .iter()
        .filter(|s| matches!(s.state, SelectorState::NotFound))
        .map(|s| s.selector.as_str())
        .collect();
    let found = report.found().count();
    let summary = if found == 0 {
        format!(
            "No DKIM key found among the {} selectors probed. DNS cannot list selectors: give yours (the s= of a DKIM-Signature header) to check it.",
            report.probed.len()
        )
    } else {
        format!(
            "{found} DKIM key{} found among the {} selectors probed.",
            if found == 1 { "" } else { "s" },
            report.probed.len()
        )
    };
    let section =
        Section::answered(check, report.status(), summary, &report.findings, &lookups, [].into_iter(), controls);
    check_section(
        section,
        html! {
            <>
                if !shown.is_empty() {
                    <div class="table-wrap">
                    <table class="dkim-table cards">
                        <thead><tr>
                            <th scope="col">{ "Selector" }</th>
                            <th scope="col">{ "Whose" }</th>
                            <th scope="col">{ "Key" }</th>
                            <th scope="col">{ "Record" }</th>
                        </tr></thead>
                        <tbody>{ for shown.iter().map(|s| selector_row(s)) }</tbody>
                    </table>
                    </div>
                }
                if !missing.is_empty() {
                    <p class="dkim-missing">{ format!("No key at: {}.", missing.join(", ")) }</p>
                }
            </>
        },
    )
}

fn selector_row(result: &SelectorResult) -> Html {
    let state = match &result.state {
        SelectorState::Found => key_text(result),
        SelectorState::NotFound => "no key".to_string(),
        SelectorState::CouldNotAsk(why) => format!("couldn't ask: {why}"),
        SelectorState::Wildcard => "only the _domainkey wildcard answers (not a key)".to_string(),
    };
    html! {
        <tr class="dkim-selector" data-selector={result.selector.clone()}>
            <td data-label="Selector">
                <code>{ result.selector.clone() }</code>
                { for result.cname_chain.iter().map(|t| html! { <span class="cname">{ " → " }{ breakable_name(t) }</span> }) }
            </td>
            <td data-label="Whose">{ source_text(result) }</td>
            <td data-label="Key">{ state }</td>
            <td data-label="Record"><code class="txt-record">{ result.records.join(" | ") }</code></td>
        </tr>
    }
}
