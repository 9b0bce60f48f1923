//! Corrected records, ready for a registrar: host, type, value, TTL, each with a copy button.

use yew::prelude::*;

use super::copy::CopyButton;
pub use maildoctor_core::check::derive::Generated;

/// The corrected records, if any.
pub fn generated_records(records: &[Generated]) -> Html {
    if records.is_empty() {
        return html! {};
    }
    html! {
        <section id="generated" class="generated-block" aria-labelledby="h-generated">
            <h2 id="h-generated">{ "Corrected records to publish" }</h2>
            <p class="hint">{ "Made from what your domain publishes now. Replace the old record (never add a second one), then check again." }</p>
            { for records.iter().map(record_card) }
        </section>
    }
}

fn field(label: &str, class: &'static str, value: String, copy_label: String) -> Html {
    html! {
        <div class="gen-field">
            <dt>{ label.to_string() }</dt>
            <dd>
                <code class={class}>{ value.clone() }</code>
                <CopyButton text={value} label={copy_label} />
            </dd>
        </div>
    }
}

pub fn record_card(g: &Generated) -> Html {
    let r = &g.record;
    html! {
        <article class="generated-record" data-kind={g.kind}>
            <h3>{ g.title.clone() }</h3>
            <dl class="gen-fields">
                { field("Host", "gen-host", r.host_short.clone(), format!("Copy the host of the {} record", g.kind)) }
                { field("Type", "gen-type", r.rtype.to_string(), format!("Copy the type of the {} record", g.kind)) }
                { field("Value", "gen-value", r.value.clone(), format!("Copy the value of the {} record", g.kind)) }
                { field("TTL", "gen-ttl", r.ttl.to_string(), format!("Copy the TTL of the {} record", g.kind)) }
            </dl>
            <p class="gen-fqdn">{ "Full host name: " }<code>{ r.host_fqdn.clone() }</code></p>
            if !g.changes.is_empty() {
                <div class="gen-changes">
                    <span class="fix-label">{ "What changed, and why" }</span>
                    <ul>{ for g.changes.iter().map(|c| html! { <li><strong>{ c.what.clone() }</strong>{ " — " }{ c.why.clone() }</li> }) }</ul>
                </div>
            }
            if !g.warnings.is_empty() {
                <ul class="gen-warnings">{ for g.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
            }
            <details class="gen-more">
                <summary>{ "Zone-file line and registrar notes" }</summary>
                <div class="command-line">
                    <code class="zone-line">{ r.zone_line.clone() }</code>
                    <CopyButton text={r.zone_line.clone()} label={format!("Copy the zone-file line of the {} record", g.kind)} />
                </div>
                if r.strings.len() > 1 {
                    <p>{ "As separate strings (for forms that want quotes): " }<code>{ r.quoted.clone() }</code></p>
                }
                <ul class="gen-notes">{ for r.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
            </details>
        </article>
    }
}
