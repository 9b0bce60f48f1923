//! The ranked causes of the deferral, with fix steps, and what to check by hand.

use yew::prelude::*;

use super::copy::{copy_button, Copies};
use super::generated::terms;
use maildoctor_core::diagnosis::{Cause, CauseGroup, Confidence, Diagnosis, ManualCheck};

/// The `data-group` value.
pub fn group_key(group: CauseGroup) -> &'static str {
    match group {
        CauseGroup::ServerSide => "server",
        CauseGroup::Network => "network",
        CauseGroup::SenderSide => "sender",
    }
}

/// The ranked causes; `pending`: still asking, they may still change.
/// Causes the checks ruled out are not listed: each section's badge says so.
pub fn causes(d: &Diagnosis, pending: bool) -> Html {
    let shown: Vec<&Cause> = d.causes.iter().filter(|c| c.confidence != Confidence::Unlikely).collect();
    if shown.is_empty() {
        return html! {};
    }
    html! {
        <>
        <section class="causes-block" aria-labelledby="h-causes">
            <h2 id="h-causes">{ "What is most likely behind it" }</h2>
            if pending {
                <p class="hint">{ "Ranked from the answers so far; this list updates as the checks finish." }</p>
            }
            <ol id="causes" class="causes">
                { for shown.iter().map(|c| cause_item(c)) }
            </ol>
        </section>
        </>
    }
}

/// What a browser cannot test: commands to run on the sending server, or,
/// when the mail leaves through a hosted provider, that provider's admin pages.
pub fn check_yourself(checks: &[ManualCheck], hosted_by: Option<&str>, copies: &Copies) -> Html {
    if checks.is_empty() {
        return html! {};
    }
    let (title, hint) = match hosted_by {
        Some(name) => (
            format!("Check these in {name}"),
            format!("Your mail leaves through {name}: its admin pages show what a browser cannot see."),
        ),
        None => (
            "Check these from your server".to_string(),
            "A browser cannot open a mail connection; these commands test what it cannot.".to_string(),
        ),
    };
    let copy_what = if hosted_by.is_some() { "Copy the address" } else { "Copy the command" };
    html! {
        <section class="causes-block" aria-labelledby="h-check-yourself">
            <h2 id="h-check-yourself">{ title }</h2>
            <p class="hint">{ hint }</p>
            <ul id="check-yourself" class="check-yourself">
                { for checks.iter().map(|m| manual_item(m, copy_what, copies)) }
            </ul>
        </section>
    }
}

fn cause_item(c: &Cause) -> Html {
    let (confidence, key) = match c.confidence {
        Confidence::Likely => ("Likely", "likely"),
        Confidence::Possible => ("Possible", "possible"),
        Confidence::Unlikely => ("Unlikely", "unlikely"),
    };
    html! {
        <li class="cause" data-confidence={key} data-group={group_key(c.group)} data-id={c.id}>
            <div class="cause-head">
                <span class="confidence">{ confidence }</span>
                <span class="group">{ c.group.to_string() }</span>
                <strong class="cause-title">{ c.title.clone() }</strong>
            </div>
            if !c.why.is_empty() {
                <ul class="why-list">{ for c.why.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
            }
            if !c.fix.is_empty() {
                <div class="fix">
                    <span class="fix-label">{ "What to do" }</span>
                    <ol>{ for c.fix.iter().map(|f| html! { <li>{ f.clone() }</li> }) }</ol>
                </div>
            }
        </li>
    }
}

fn manual_item(m: &ManualCheck, copy_what: &str, copies: &Copies) -> Html {
    html! {
        <li class="manual">
            <strong>{ m.what.clone() }</strong>
            <span class="why">{ m.why.clone() }</span>
            <div class="command-line">
                <code class="command">{ terms(&m.command) }</code>
                { copy_button(m.command.clone().into(), format!("{copy_what}: {}", m.what).into(), copies) }
            </div>
        </li>
    }
}
