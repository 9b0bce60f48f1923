//! "Do these, in this order": the steps the core derived, each with what it
//! acts on inline — the record as published now, the record card to paste
//! (host, type, value, TTL, each with a copy button), or the request to send
//! the owner of an IP address.

use yew::prelude::*;

use super::copy::CopyButton;
use super::section::Folds;
pub use maildoctor_core::check::derive::{Generated, Step};

/// The numbered steps, right under the verdict (nothing when none apply).
pub fn steps_list(
    steps: &[Step],
    cards: &[Generated],
    after: &[String],
    on_again: &Callback<()>,
    folds: &Folds,
) -> Html {
    if steps.is_empty() {
        return html! {};
    }
    html! {
        <section id="steps" class="steps-block" aria-labelledby="h-steps">
            <h2 id="h-steps">{ "Do these, in this order" }</h2>
            <ol class="steps">
                { for steps.iter().map(|s| html! {
                    <li class="step" data-step={s.kind}>
                        <p class="step-text">{ s.text.clone() }</p>
                        { for s.current.iter().map(|c| html! { <code class="current">{ terms(c) }</code> }) }
                        if let Some(card) = s.card.and_then(|i| cards.get(i)) {
                            { record_card(card, folds) }
                        }
                        if let Some(letter) = &s.letter {
                            <pre class="letter">{ letter.clone() }</pre>
                            <CopyButton text={letter.clone()} label="Copy the request" />
                        }
                    </li>
                }) }
            </ol>
            <h3>{ "After publishing" }</h3>
            <ul id="after" class="after">{ for after.iter().map(|a| html! { <li>{ a.clone() }</li> }) }</ul>
            <button type="button" id="check-again" class="again" onclick={on_again.reform(|_| ())}>
                { "Check again" }
            </button>
        </section>
    }
}

/// A record value as its terms, each one whole on its line (`.t` does not
/// wrap): a line then breaks at a space only. Browsers would also break after
/// a hyphen, and a wrapped "-all" gets typed as "- all".
pub fn terms(text: &str) -> Html {
    let mut parts = text.split(' ');
    let first = parts.next().unwrap_or_default();
    html! {
        <>
            <span class="t">{ first.to_string() }</span>
            { for parts.map(|p| html! { <>{ " " }<span class="t">{ p.to_string() }</span></> }) }
        </>
    }
}

fn field(label: &str, field: &'static str, value: String, kind: &str) -> Html {
    html! {
        <div class="gen-field">
            <dt>{ label.to_string() }</dt>
            <dd>
                <code data-field={field}>{ terms(&value) }</code>
                <CopyButton text={value} label={format!("Copy the {label} of the {kind} record")} />
            </dd>
        </div>
    }
}

pub fn record_card(g: &Generated, folds: &Folds) -> Html {
    let r = &g.record;
    html! {
        <article class="generated-record" data-kind={g.kind} data-undecided={(!g.passes).then_some("")}>
            <h3>{ g.title.clone() }</h3>
            <dl class="gen-fields">
                { field("Host", "host", r.host_short.clone(), g.kind) }
                { field("Type", "type", r.rtype.to_string(), g.kind) }
                { field("Value", "value", r.value.clone(), g.kind) }
                { field("TTL", "ttl", r.ttl.to_string(), g.kind) }
            </dl>
            if !g.warnings.is_empty() {
                <ul class="gen-warnings">{ for g.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
            }
            <ul class="gen-notes">{ for r.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            <details class="gen-more" ontoggle={folds.on_toggle.clone()}>
                <summary>{ "What changed, and the zone-file line" }</summary>
                { folds.body(|| html! {
                    <>
                        if !g.changes.is_empty() {
                            <ul>{ for g.changes.iter().map(|c| html! { <li><strong>{ c.what.clone() }</strong>{ " — " }{ c.why.clone() }</li> }) }</ul>
                        }
                        <div class="command-line">
                            <code class="zone-line">{ terms(&r.zone_line) }</code>
                            <CopyButton text={r.zone_line.clone()} label={format!("Copy the zone-file line of the {} record", g.kind)} />
                        </div>
                    </>
                }) }
            </details>
        </article>
    }
}
