//! The MX and TXT sections.

use yew::prelude::*;

use crate::dns::{Lookup, Outcome, RData};

use super::section::{CheckSection, Status};
use crate::ui::state::{CheckId, Slot};

#[derive(Properties, PartialEq)]
pub struct LookupSectionProps {
    pub slot: Slot<Lookup>,
    pub on_retry: Callback<CheckId>,
}

/// Plain words for a lookup that returned no records. `what` names the records ("MX records").
fn empty_outcome(lookup: &Lookup, what: &str) -> Option<(Status, String)> {
    match &lookup.outcome {
        Outcome::Records(_) => None,
        Outcome::NoData(_) => {
            Some((Status::Warn, format!("{} exists but has no {what} (the answer was NODATA).", lookup.name)))
        }
        Outcome::NxDomain => {
            Some((Status::Fail, format!("{} does not exist in DNS (the answer was NXDOMAIN).", lookup.name)))
        }
        Outcome::Failed(_) => Some((Status::Unknown, String::new())),
    }
}

fn failure_reason(lookup: &Lookup) -> Option<AttrValue> {
    match &lookup.outcome {
        Outcome::Failed(f) => Some(format!("asking for {} {}: {f}.", lookup.name, lookup.rtype).into()),
        _ => None,
    }
}

fn pending_section(check: CheckId, asking: String) -> Html {
    html! { <CheckSection check={check.key()} title={check.title()} status={Status::Pending} summary={asking} /> }
}

#[function_component(MxSection)]
pub fn mx_section(props: &LookupSectionProps) -> Html {
    let check = CheckId::Mx;
    let Some(lookup) = props.slot.done() else {
        return pending_section(check, "Asking for the MX records…".into());
    };
    let on_retry = props.on_retry.reform(move |_| check);
    let mut hosts: Vec<(u16, &str)> = lookup
        .data()
        .filter_map(|d| match d {
            RData::Mx { preference, exchange } => Some((*preference, exchange.as_str())),
            _ => None,
        })
        .collect();
    // RFC 5321 §5.1: lower preference is tried first.
    hosts.sort();
    let (status, summary) = match empty_outcome(lookup, "MX records") {
        Some(s) => s,
        None => (
            Status::Pass,
            format!(
                "{} mail server{} listed; senders try the lowest preference first.",
                hosts.len(),
                if hosts.len() == 1 { "" } else { "s" }
            ),
        ),
    };
    html! {
        <CheckSection check={check.key()} title={check.title()} status={status} summary={summary}
            failure={failure_reason(lookup)} on_retry={on_retry} evidence={vec![lookup.clone()]}>
            if !hosts.is_empty() {
                <table class="mx-table">
                    <thead><tr><th scope="col">{ "Preference" }</th><th scope="col">{ "Mail server" }</th></tr></thead>
                    <tbody>
                        { for hosts.iter().map(|(pref, host)| html! {
                            <tr class="mx-host"><td class="pref">{ pref.to_string() }</td><td class="host">{ host.to_string() }</td></tr>
                        }) }
                    </tbody>
                </table>
            }
        </CheckSection>
    }
}

#[function_component(TxtSection)]
pub fn txt_section(props: &LookupSectionProps) -> Html {
    let check = CheckId::Txt;
    let Some(lookup) = props.slot.done() else {
        return pending_section(check, "Asking for the TXT records…".into());
    };
    let on_retry = props.on_retry.reform(move |_| check);
    let texts: Vec<String> = lookup.data().map(|d| d.to_string()).collect();
    let (status, summary) = match &lookup.outcome {
        // No TXT records is not a problem in itself; the SPF and DMARC sections judge what is missing.
        Outcome::NoData(_) => (Status::Pass, format!("{} has no TXT records.", lookup.name)),
        _ => match empty_outcome(lookup, "TXT records") {
            Some(s) => s,
            None => (
                Status::Pass,
                format!("{} TXT record{}, exactly as the resolver returned them:", texts.len(), plural(texts.len())),
            ),
        },
    };
    html! {
        <CheckSection check={check.key()} title={check.title()} status={status} summary={summary}
            failure={failure_reason(lookup)} on_retry={on_retry} evidence={vec![lookup.clone()]}>
            if !texts.is_empty() {
                <ul class="txt-list">
                    { for texts.into_iter().map(|t| html! { <li><code class="txt-record">{ t }</code></li> }) }
                </ul>
            }
        </CheckSection>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The MX section's badge for a raw MX lookup.
pub fn mx_status(lookup: &Lookup) -> Status {
    empty_outcome(lookup, "MX records").map(|(s, _)| s).unwrap_or(Status::Pass)
}

/// The TXT section's badge: only "couldn't ask" and "no such name" stand out.
pub fn txt_status(lookup: &Lookup) -> Status {
    match &lookup.outcome {
        Outcome::NoData(_) => Status::Pass,
        _ => empty_outcome(lookup, "TXT records").map(|(s, _)| s).unwrap_or(Status::Pass),
    }
}
