//! Gmail's, Yahoo's and Outlook.com's sender requirements, as the core
//! judged them (`maildoctor_core::requirements`): one collapsible list per
//! provider, each requirement with its mark and why.

use yew::prelude::*;

use super::section::Folds;

use maildoctor_core::requirements::{Checklist, Row};

/// The checklists, if the run has any.
pub fn requirements(lists: &[Checklist], folds: &Folds) -> Html {
    if lists.is_empty() {
        return html! {};
    }
    html! {
        <section id="requirements" class="causes-block" aria-labelledby="h-requirements">
            <h2 id="h-requirements">{ "Gmail, Yahoo and Outlook.com sender requirements" }</h2>
            { for lists.iter().map(|c| provider(c, folds)) }
        </section>
    }
}

/// One provider, folded: its name; the list once opened.
fn provider(c: &Checklist, folds: &Folds) -> Html {
    html! {
        <details class="req" ontoggle={folds.on_toggle.clone()}>
            <summary>{ c.provider.name }</summary>
            { folds.body(|| checklist(c)) }
        </details>
    }
}

/// What an opened provider shows: its source and each requirement.
pub fn checklist(c: &Checklist) -> Html {
    let p = c.provider;
    html! {
        <>
            <p class="hint">
                { "Bulk senders: " }{ p.bulk }{ ". Source: " }
                <a href={p.source} rel="noopener noreferrer">{ p.source }</a>{ " (" }{ p.checked }{ ")." }
            </p>
            <ul class="req-rows">{ for c.rows.iter().map(row) }</ul>
        </>
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
