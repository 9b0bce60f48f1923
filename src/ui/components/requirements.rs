//! Gmail's, Yahoo's and Outlook.com's sender requirements, as the core
//! judged them (`maildoctor_core::requirements`): one collapsible list per
//! provider, each requirement with its mark and why.

use yew::prelude::*;

use maildoctor_core::requirements::{Checklist, Row};

/// The checklists, if the run has any.
pub fn requirements(lists: &[Checklist]) -> Html {
    if lists.is_empty() {
        return html! {};
    }
    html! {
        <section id="requirements" class="causes-block" aria-labelledby="h-requirements">
            <h2 id="h-requirements">{ "Gmail, Yahoo and Outlook.com sender requirements" }</h2>
            { for lists.iter().map(provider) }
        </section>
    }
}

fn provider(c: &Checklist) -> Html {
    let p = c.provider;
    html! {
        <details class="req">
            <summary>{ p.name }</summary>
            <p class="hint">
                { "Bulk senders: " }{ p.bulk }{ ". Source: " }
                <a href={p.source} rel="noopener noreferrer">{ p.source }</a>{ " (" }{ p.checked }{ ")." }
            </p>
            <ul class="req-rows">{ for c.rows.iter().map(row) }</ul>
        </details>
    }
}

fn row(r: &Row) -> Html {
    let bulk = if r.requirement.bulk_only { " (bulk senders)" } else { "" };
    html! {
        <li data-mark={r.mark.key()}>
            <span class="badge" data-status={r.mark.key()}>{ r.mark.label() }</span>
            { " " }{ r.requirement.text }{ bulk }
            <div class="hint">{ r.detail.clone() }</div>
        </li>
    }
}
