//! The check form. Controlled fields: the page owns the values.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::ui::idna;
use crate::ui::permalink::ResolverChoice;
use crate::ui::request::{FieldError, FormFields};
use maildoctor_core::header::read_headers;
use maildoctor_core::smtp::{parse_reply, EnhancedStatus, Recipient};

#[derive(Properties, PartialEq)]
pub struct FormProps {
    pub fields: FormFields,
    pub on_change: Callback<FormFields>,
    pub on_submit: Callback<()>,
    /// "See an example report": opens `#example` (also when the address
    /// already says so, after the person typed over the example).
    #[prop_or_default]
    pub on_example: Callback<()>,
    #[prop_or_default]
    pub error: Option<FieldError>,
    /// How the domain(s) were read ("took the domain from the email address").
    #[prop_or_default]
    pub notes: Vec<String>,
    #[prop_or_default]
    pub busy: bool,
    /// What the reader made of the pasted text ([`reply_summary`]), kept by the page
    /// so it is read once per edit, not on every render.
    #[prop_or_default]
    pub reply_summary: Option<ReplySummary>,
}

/// What the reader made of the pasted text: one line, and one line per
/// recipient when a bounce reports on several (each has its own status).
#[derive(Clone, PartialEq, Default)]
pub struct ReplySummary {
    pub line: String,
    pub recipients: Vec<String>,
}

/// Which field an input edits.
#[derive(Clone, Copy)]
enum Field {
    Domain,
    Recipient,
    SendingIp,
    Selectors,
    SmtpText,
    DohUrl,
    MtaStsPolicy,
}

/// A field typed by the person: it is theirs now, a later paste leaves it alone.
fn set(fields: &FormFields, field: Field, value: String) -> FormFields {
    let mut next = fields.clone();
    match field {
        Field::Domain => (next.domain, next.filled.domain) = (value, false),
        Field::Recipient => (next.recipient, next.filled.recipient) = (value, false),
        Field::SendingIp => (next.sending_ip, next.filled.sending_ip) = (value, false),
        Field::Selectors => (next.dkim_selectors, next.filled.selectors) = (value, false),
        Field::SmtpText => return fields.with_reply_text(value, idna::page()),
        Field::DohUrl => next.doh_url = value,
        Field::MtaStsPolicy => next.mta_sts_policy = value,
    }
    next
}

/// "421 4.4.2", "550", "4.4.7" or "" — a status as the reply gave it.
fn code_label(basic: Option<u16>, enhanced: Option<EnhancedStatus>) -> String {
    match (basic, enhanced) {
        (Some(b), Some(e)) => format!("{b} {e}"),
        (Some(b), None) => b.to_string(),
        (None, Some(e)) => e.to_string(),
        (None, None) => String::new(),
    }
}

/// "ann@example.com — failed, 550 5.1.1: what it means".
fn recipient_line(r: &Recipient) -> String {
    let mut out = format!("{} — {}", r.address, r.action.as_deref().unwrap_or("no action given"));
    let code = code_label(r.basic_code, r.status);
    if !code.is_empty() {
        out.push_str(", ");
        out.push_str(&code);
    }
    out.push_str(": ");
    out.push_str(&r.meaning);
    out
}

/// A pasted message header: who signed it with which selector, the sending
/// IP, and what the header says about DMARC alignment (its findings).
fn header_summary(text: &str) -> Option<ReplySummary> {
    let h = read_headers(text).ok()?;
    if h.dkim_signatures.is_empty() && h.auth_results.is_empty() && h.sending_ip.is_none() {
        return None;
    }
    let mut line = "Read as a message header".to_string();
    if let Some(from) = h.from_domain() {
        line.push_str(&format!(" from {from}"));
    }
    for s in &h.dkim_signatures {
        if let (Some(d), Some(sel)) = (&s.domain, &s.selector) {
            line.push_str(&format!("; signed by {d} with selector {sel}"));
        }
    }
    if let Some(ip) = &h.sending_ip {
        line.push_str(&format!("; sent from {}", ip.ip));
    }
    line.push('.');
    // DMARC alignment of each authenticated domain, then the header's problems.
    let mut notes = h.alignment.lines();
    for f in &h.findings {
        notes.push(f.message.clone());
    }
    Some(ReplySummary { line, recipients: notes })
}

/// What the reader made of the pasted text: a line, and each recipient's
/// status when the bounce reports on more than one.
pub fn reply_summary(text: &str) -> Option<ReplySummary> {
    if text.trim().is_empty() {
        return None;
    }
    let Ok(reply) = parse_reply(text, idna::page()) else {
        return Some(header_summary(text).unwrap_or_else(|| ReplySummary {
            line: "No SMTP status code (such as 421 4.4.2) found in this text yet.".to_string(),
            recipients: Vec::new(),
        }));
    };
    let mut line = format!("Read as {}: {}", code_label(reply.basic_code, reply.enhanced), reply.meaning);
    if let Some(provider) = reply.provider {
        line.push_str(&format!(" — from {provider}"));
        if let Some(meaning) = &reply.provider_meaning {
            line.push_str(&format!(": {meaning}"));
        }
    }
    let recipients =
        if reply.recipients.len() > 1 { reply.recipients.iter().map(recipient_line).collect() } else { Vec::new() };
    Some(ReplySummary { line, recipients })
}

/// The form. A plain function, not a component: its callbacks are new on
/// every render of the page, so a component would re-render anyway.
pub fn check_form(props: &FormProps) -> Html {
    let input = |field: Field| {
        let fields = props.fields.clone();
        props.on_change.reform(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            set(&fields, field, value)
        })
    };
    let area = |field: Field| {
        let fields = props.fields.clone();
        props.on_change.reform(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            set(&fields, field, value)
        })
    };
    let on_resolver = {
        let fields = props.fields.clone();
        props.on_change.reform(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut next = fields.clone();
            next.resolver = ResolverChoice::from_key(&key).unwrap_or_default();
            next
        })
    };
    let on_submit = props.on_submit.reform(|e: SubmitEvent| e.prevent_default());
    let on_example = props.on_example.reform(|e: MouseEvent| e.prevent_default());
    let invalid = |id: &str| props.error.as_ref().is_some_and(|e| e.field == id).then_some("true");
    let described = |id: &str, hint: &'static str| {
        if props.error.as_ref().is_some_and(|e| e.field == id) {
            format!("{hint} input-error")
        } else {
            hint.to_string()
        }
    };
    let f = &props.fields;
    let custom = f.resolver == ResolverChoice::Custom;
    // The example's choice is listed only while the example is shown (`#example`).
    let example = (f.resolver == ResolverChoice::Example).then_some(ResolverChoice::Example);
    let choices =
        [ResolverChoice::Cloudflare, ResolverChoice::Google, ResolverChoice::Custom].into_iter().chain(example);
    html! {
        <form id="check-form" class="check-form" onsubmit={on_submit} novalidate=true>
            <div class="field wide">
                <label for="domain">{ "Your sending domain" }</label>
                <input id="domain" name="domain" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                    autocapitalize="none" placeholder="example.com, you@example.com or a URL"
                    value={f.domain.clone()} oninput={input(Field::Domain)}
                    aria-invalid={invalid("domain")} aria-describedby={described("domain", "domain-hint")} />
                <p id="domain-hint" class="hint">{ "A domain, an email address or a web address; international names are fine." }</p>
            </div>
            <div class="field">
                <label for="recipient">{ "Recipient domain " }<span class="optional">{ "(optional)" }</span></label>
                <input id="recipient" name="recipient" type="text" inputmode="url" autocomplete="off" spellcheck="false"
                    autocapitalize="none" placeholder="where the mail was going"
                    value={f.recipient.clone()} oninput={input(Field::Recipient)}
                    aria-invalid={invalid("recipient")} aria-describedby={described("recipient", "recipient-hint")} />
                <p id="recipient-hint" class="hint">{ "The domain that deferred your mail." }</p>
            </div>
            <div class="field">
                <label for="sending-ip">{ "Sending server's IP " }<span class="optional">{ "(optional)" }</span></label>
                <input id="sending-ip" name="sending-ip" type="text" inputmode="decimal" autocomplete="off" spellcheck="false"
                    placeholder="192.0.2.1 or 2001:db8::1"
                    value={f.sending_ip.clone()} oninput={input(Field::SendingIp)}
                    aria-invalid={invalid("sending-ip")} aria-describedby={described("sending-ip", "ip-hint")} />
                <p id="ip-hint" class="hint">{ "Lets us check its reverse DNS (PTR), whether your SPF allows it, and the blocklists." }</p>
            </div>
            <div class="field">
                <label for="dkim-selectors">{ "DKIM selectors " }<span class="optional">{ "(optional)" }</span></label>
                <input id="dkim-selectors" name="dkim-selectors" type="text" autocomplete="off" spellcheck="false"
                    autocapitalize="none" placeholder="s1, google"
                    value={f.dkim_selectors.clone()} oninput={input(Field::Selectors)} aria-describedby="selectors-hint" />
                <p id="selectors-hint" class="hint">{ "The s= of a DKIM-Signature header. DNS cannot list selectors; we also try the ones big providers use." }</p>
            </div>
            <div class="field wide">
                <label for="smtp-text">{ "The error, bounce or message header you got " }<span class="optional">{ "(optional)" }</span></label>
                <textarea id="smtp-text" name="smtp-text" rows="3" spellcheck="false"
                    placeholder="421 4.4.2 … Bad connection / timeout during transmission"
                    value={f.smtp_text.clone()} oninput={area(Field::SmtpText)} aria-describedby="smtp-hint" />
                <p id="smtp-hint" class="hint">{ "Paste it as you got it: the domains and your server's IP in it fill the fields above. It never leaves this page." }</p>
                <div class="reply-summary" aria-live="polite">
                    if let Some(summary) = &props.reply_summary {
                        <p id="reply-summary">{ summary.line.clone() }</p>
                        if !summary.recipients.is_empty() {
                            <ul id="reply-recipients" aria-label="What the paste says">
                                { for summary.recipients.iter().map(|r| html! { <li>{ r.clone() }</li> }) }
                            </ul>
                        }
                    }
                </div>
            </div>
            <div class="field wide">
                <label for="mta-sts-policy">{ "Your MTA-STS policy file " }<span class="optional">{ "(optional)" }</span></label>
                <textarea id="mta-sts-policy" name="mta-sts-policy" rows="4" spellcheck="false"
                    placeholder="version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 604800"
                    value={f.mta_sts_policy.clone()} oninput={area(Field::MtaStsPolicy)} aria-describedby="sts-hint" />
                <p id="sts-hint" class="hint">{ "This page does not fetch it: paste what curl https://mta-sts.<your domain>/.well-known/mta-sts.txt prints, and it is checked against your MX hosts." }</p>
            </div>
            <div class="field">
                <label for="resolver">{ "Ask DNS through" }</label>
                <select id="resolver" name="resolver" onchange={on_resolver}>
                    { for choices.map(|c| html! {
                        <option value={c.key()} selected={c == f.resolver}>{ c.label() }</option>
                    }) }
                </select>
            </div>
            if custom {
                <div class="field">
                    <label for="doh-url">{ "Custom DoH URL" }</label>
                    <input id="doh-url" name="doh-url" type="url" autocomplete="off" spellcheck="false"
                        placeholder="https://dns.example/dns-query" value={f.doh_url.clone()} oninput={input(Field::DohUrl)}
                        aria-invalid={invalid("doh-url")} aria-describedby={described("doh-url", "doh-hint")} />
                    <p id="doh-hint" class="hint">{ "This page's security policy only lets it reach cloudflare-dns.com, dns.google and local test servers (127.0.0.1, localhost); the browser blocks any other URL." }</p>
                </div>
            }
            if let Some(error) = &props.error {
                <p id="input-error" class="input-error" role="alert">{ error.message.clone() }</p>
            }
            if !props.notes.is_empty() {
                <ul id="input-notes" class="input-notes" aria-label="How we read your input">
                    { for props.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }
                </ul>
            }
            <div class="actions">
                <button id="check" type="submit" class="primary">{ if props.busy { "Checking…" } else { "Check" } }</button>
                <a id="example-link" href="#example" onclick={on_example}>{ "See an example report" }</a>
            </div>
        </form>
    }
}
