//! "Do these, in this order": the steps the core derived, each with what it
//! acts on inline — the record as published now, the record card to paste
//! (host, type, value, TTL, each with a copy button), or the request to send
//! the owner of an IP address.

use yew::prelude::*;

use super::copy::{copy_button, Copies};
use super::section::Folds;
pub use maildoctor_core::check::derive::{Generated, Step};

/// The numbered steps, right under the verdict (nothing when none apply).
pub fn steps_list(
    steps: &[Step],
    cards: &[Generated],
    after: &[String],
    on_again: &Callback<()>,
    folds: &Folds,
    copies: &Copies,
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
                            { record_card(card, folds, copies) }
                        }
                        if let Some(letter) = &s.letter {
                            <pre class="letter">{ letter.clone() }</pre>
                            { copy_button(letter.clone().into(), "Copy the request".into(), copies) }
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

/// A record value whose lines break at spaces only: browsers would also
/// break after a hyphen or a question mark (and UAX #14 allows it after a
/// slash), and a wrapped "-all" gets typed as "- all". A term with such a
/// character is a `.t` box that does not wrap;
/// the others stay plain text, since nothing breaks between the characters
/// of [`unbreakable`], and each run of them is one text node. (Every term
/// its own box made 360 of the report's 1,400 nodes on broken.example.)
pub fn terms(text: &str) -> Html {
    let mut nodes = Vec::new();
    let mut plain = String::new();
    for (i, term) in text.split(' ').enumerate() {
        if i > 0 {
            plain.push(' ');
        }
        if term.bytes().all(unbreakable) {
            plain.push_str(term);
            continue;
        }
        if !plain.is_empty() {
            nodes.push(html! { { std::mem::take(&mut plain) } });
        }
        nodes.push(html! { <span class="t">{ term.to_string() }</span> });
    }
    if !plain.is_empty() {
        nodes.push(html! { { plain } });
    }
    html! { <>{ for nodes }</> }
}

/// A character no line breaks next to inside a term (Unicode line breaking,
/// UAX #14): letters, digits and `=` `_` `@` `~` (AL, NU), `.` `,` `:` `;`
/// (IS: no break before a letter or digit) and `+` (PR: none before one);
/// checked in Chromium, a 1 px wide box around "x aaaa=bbbb y" and the like.
/// Anything else, a hyphen (HY), a slash (SY), `?` (EX) first, puts its term
/// in a box.
fn unbreakable(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b".,:;=_@~+".contains(&b)
}

fn field(label: &str, field: &'static str, value: String, kind: &str, copies: &Copies) -> Html {
    html! {
        <div class="gen-field">
            <dt>{ label.to_string() }</dt>
            <dd>
                <code data-field={field}>{ terms(&value) }</code>
                { copy_button(value.into(), format!("Copy the {label} of the {kind} record").into(), copies) }
            </dd>
        </div>
    }
}

pub fn record_card(g: &Generated, folds: &Folds, copies: &Copies) -> Html {
    let r = &g.record;
    html! {
        <article class="generated-record" data-kind={g.kind} data-undecided={(!g.passes).then_some("")}>
            <h3>{ g.title.clone() }</h3>
            <dl class="gen-fields">
                { field("Host", "host", r.host_short.clone(), g.kind, copies) }
                { field("Type", "type", r.rtype.to_string(), g.kind, copies) }
                { field("Value", "value", r.value.clone(), g.kind, copies) }
                { field("TTL", "ttl", r.ttl.to_string(), g.kind, copies) }
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
                            { copy_button(r.zone_line.clone().into(), format!("Copy the zone-file line of the {} record", g.kind).into(), copies) }
                        </div>
                    </>
                }) }
            </details>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::unbreakable;

    #[test]
    fn terms_browsers_could_break_inside_are_boxed() {
        let plain = |term: &str| term.bytes().all(unbreakable);
        for term in [
            "v=spf1",
            "include:_spf.google.com",
            "ip4:192.0.2.1",
            "~all",
            "+all",
            "p=reject;",
            "rua=mailto:a@b.example,mailto:c@d.example",
        ] {
            assert!(plain(term), "{term} needs no box");
        }
        // A hyphen or a slash (a break after it), and anything not known to hold together.
        for term in ["-all", "mail-relay.example", "ip4:192.0.2.0/24", "?all", "a(b", "\"quoted\"", "bücher.example"] {
            assert!(!plain(term), "{term} needs a box");
        }
    }
}
