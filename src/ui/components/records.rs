//! The MX sections (sender and recipient) and the raw TXT section.

use yew::prelude::*;

use super::generated::terms;
use super::section::{check_section, Controls, Section};
use crate::ui::state::CheckId;
use maildoctor_core::check::CheckReport;
use maildoctor_core::dns::{Lookup, Outcome};
use maildoctor_core::mx::MxReport;

/// The section shown while a check's answer is out.
pub fn pending_section(check: CheckId, asking: &str) -> Html {
    check_section(Section::pending(check, asking), Html::default())
}

/// A host name that may wrap after its dots (`<wbr>`), not in the middle of a
/// label: on a phone "mail.broken.example" should not become "mail.brok / en.exampl / e".
/// Copying the text still gives the name unchanged (`<wbr>` holds no character).
pub fn breakable_name(name: &str) -> Html {
    let mut parts = name.split_inclusive('.').peekable();
    html! {
        <>{ for std::iter::from_fn(move || {
            let part = parts.next()?;
            Some(html! { <>{ part.to_string() }if parts.peek().is_some() { <wbr/> }</> })
        }) }</>
    }
}

pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The MX section of `check` (`CheckId::Mx` or `CheckId::RecipientMx`).
/// Sections are plain functions, not components: each component costs wasm size.
pub fn mx_section(check: CheckId, report: &MxReport, controls: &Controls) -> Html {
    let lookups = report.lookups();
    let status = report.status();
    let summary = if report.null_mx {
        format!("{} publishes a null MX: it says it accepts no mail.", report.domain)
    } else if report.implicit && !report.hosts.is_empty() {
        format!("{} has no MX records, so mail goes to the domain's own address (the implicit MX).", report.domain)
    } else if report.hosts.is_empty() {
        String::new()
    } else {
        format!(
            "{} for {}; senders try the lowest preference first.",
            plural(report.hosts.len(), "mail server", "mail servers"),
            report.domain
        )
    };
    let section = Section::answered(
        check,
        status,
        summary,
        &report.findings,
        &lookups,
        std::iter::once(&report.lookup),
        controls,
    );
    check_section(
        section,
        html! {
            <>
                if !report.hosts.is_empty() && !report.null_mx {
                    <div class="table-wrap">
                    <table class="mx-table cards">
                        <thead><tr>
                            <th scope="col">{ "Preference" }</th>
                            <th scope="col">{ "Mail server" }</th>
                            <th scope="col">{ "Addresses" }</th>
                        </tr></thead>
                        <tbody>
                            { for report.hosts.iter().map(|h| html! {
                                <tr class="mx-host">
                                    <td class="pref" data-label="Preference">{ h.preference.to_string() }</td>
                                    <td class="host" data-label="Mail server">{ breakable_name(&h.name) }</td>
                                    <td class="addresses" data-label="Addresses">{ if h.addresses.is_empty() { "none found".to_string() } else { h.addresses.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ") } }</td>
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

pub fn txt_section(lookup: &Lookup, controls: &Controls) -> Html {
    let check = CheckId::Txt;
    let texts: Vec<String> = lookup.data().map(|d| d.to_string()).collect();
    let summary = match &lookup.outcome {
        Outcome::NoData(_) => format!("{} has no TXT records (the answer was NODATA).", lookup.name),
        Outcome::NxDomain => format!("{} does not exist in DNS (the answer was NXDOMAIN).", lookup.name),
        Outcome::Failed(_) => String::new(),
        Outcome::Records(_) => {
            format!("{}, exactly as the resolver returned them:", plural(texts.len(), "TXT record", "TXT records"))
        }
    };
    let evidence = std::slice::from_ref(lookup);
    let section =
        Section::answered(check, CheckReport::status(lookup), summary, &[], evidence, evidence.iter(), controls);
    check_section(
        section,
        html! {
            <>
                if !texts.is_empty() {
                    <ul class="txt-list">
                        { for texts.into_iter().map(|t| html! { <li><code class="txt-record">{ terms(&t) }</code></li> }) }
                    </ul>
                }
            </>
        },
    )
}
