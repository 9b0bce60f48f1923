//! Build an SPF or DMARC record from choices (the library's builders), for
//! a domain that has none or wants to start over.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::generated::{record_card, Generated};
use crate::ui::idna;
use maildoctor_core::dns::RecordType;
use maildoctor_core::generate::dmarc::{DmarcBuilder, Stage};
use maildoctor_core::generate::registrar;
use maildoctor_core::generate::spf::{SpfBuilder, PROVIDERS};
use maildoctor_core::ptr::parse_sending_ip;
use maildoctor_core::spf::Qualifier;

#[derive(Properties, PartialEq)]
pub struct BuildersProps {
    /// The domain the records are for (ASCII).
    pub domain: AttrValue,
}

/// What the SPF form holds.
#[derive(Clone, PartialEq)]
struct SpfChoices {
    providers: Vec<&'static str>,
    a: bool,
    mx: bool,
    ips: String,
    hard_fail: bool,
}

#[function_component(Builders)]
pub fn builders(props: &BuildersProps) -> Html {
    let spf =
        use_state(|| SpfChoices { providers: Vec::new(), a: false, mx: true, ips: String::new(), hard_fail: false });
    let stage = use_state(|| Stage::Monitor);
    let rua = use_state(String::new);
    let domain = props.domain.to_string();

    // SPF: the library builds the record; bad IPs are named, not dropped silently.
    let mut builder =
        SpfBuilder::new().a(spf.a).mx(spf.mx).all(if spf.hard_fail { Qualifier::Fail } else { Qualifier::SoftFail });
    for id in &spf.providers {
        builder = builder.provider(id);
    }
    let mut bad_ips = Vec::new();
    for word in spf.ips.split([',', ' ', '\n']).filter(|w| !w.trim().is_empty()) {
        let (addr, prefix) = match word.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok())),
            None => (word, None),
        };
        // RFC 7208 §5.6: ip4-cidr-length is at most 32, ip6 at most 128.
        match (parse_sending_ip(addr), prefix) {
            (Ok(ip), None) => builder = builder.ip(ip, None),
            (Ok(ip), Some(Some(n))) if n <= if ip.is_ipv4() { 32 } else { 128 } => builder = builder.ip(ip, Some(n)),
            _ => bad_ips.push(word.to_string()),
        }
    }
    let built = builder.build();
    let spf_card = Generated {
        kind: "spf-built",
        title: format!("Your SPF record ({} lookups at the top level)", built.top_level_lookups),
        // The builder's own notes say when the choices go over the limit.
        passes: true,
        record: registrar(RecordType::Txt, "@", &domain, &built.text, 3600),
        changes: Vec::new(),
        warnings: built.notes.clone(),
    };
    let rua_text = if rua.trim().is_empty() { format!("dmarc-reports@{domain}") } else { rua.trim().to_string() };
    let dmarc = DmarcBuilder::stage(*stage, &rua_text).build(&domain, idna::page());
    let dmarc_card = Generated {
        kind: "dmarc-built",
        title: "Your DMARC record".into(),
        passes: true,
        record: dmarc.registrar.clone(),
        changes: Vec::new(),
        warnings: dmarc.notes.clone(),
    };

    let toggle_provider = |id: &'static str| {
        let spf = spf.clone();
        Callback::from(move |_: Event| {
            let mut next = (*spf).clone();
            if let Some(i) = next.providers.iter().position(|p| *p == id) {
                next.providers.remove(i);
            } else {
                next.providers.push(id);
            }
            spf.set(next);
        })
    };
    let set_flag = |f: fn(&mut SpfChoices, bool)| {
        let spf = spf.clone();
        Callback::from(move |e: Event| {
            let mut next = (*spf).clone();
            f(&mut next, e.target_unchecked_into::<HtmlInputElement>().checked());
            spf.set(next);
        })
    };
    let on_ips = {
        let spf = spf.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*spf).clone();
            next.ips = e.target_unchecked_into::<HtmlInputElement>().value();
            spf.set(next);
        })
    };
    let on_stage = {
        let stage = stage.clone();
        Callback::from(move |e: Event| {
            stage.set(match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "quarantine" => Stage::Quarantine,
                "reject" => Stage::Reject,
                _ => Stage::Monitor,
            })
        })
    };
    let on_rua = {
        let rua = rua.clone();
        Callback::from(move |e: InputEvent| rua.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };

    html! {
        <section id="builders" class="generated-block" aria-labelledby="h-builders">
            <h2 id="h-builders">{ "Build a record from scratch" }</h2>
            <details class="builder">
                <summary>{ "SPF: choose who sends mail as your domain" }</summary>
                <fieldset class="choices">
                    <legend>{ "Services that send for you" }</legend>
                    { for PROVIDERS.iter().map(|p| {
                        let id = format!("spf-p-{}", p.id);
                        html! {
                            <label class="choice" for={id.clone()}>
                                <input type="checkbox" id={id} checked={spf.providers.contains(&p.id)} onchange={toggle_provider(p.id)} />
                                { format!(" {}", p.name) }
                            </label>
                        }
                    }) }
                </fieldset>
                <fieldset class="choices">
                    <legend>{ "Your own servers" }</legend>
                    <label class="choice" for="spf-mx">
                        <input type="checkbox" id="spf-mx" checked={spf.mx} onchange={set_flag(|c, v| c.mx = v)} />
                        { " The domain's mail servers (mx)" }
                    </label>
                    <label class="choice" for="spf-a">
                        <input type="checkbox" id="spf-a" checked={spf.a} onchange={set_flag(|c, v| c.a = v)} />
                        { " The domain's own address (a)" }
                    </label>
                    <label for="spf-ips">{ "Server IPs or ranges, separated by commas" }</label>
                    <input id="spf-ips" type="text" spellcheck="false" autocomplete="off" placeholder="192.0.2.10, 198.51.100.0/24"
                        value={spf.ips.clone()} oninput={on_ips}
                        aria-describedby={(!bad_ips.is_empty()).then_some("spf-ips-error")} />
                    if !bad_ips.is_empty() {
                        <p id="spf-ips-error" class="input-error">{ format!("Not an IP address, left out: {}", bad_ips.join(", ")) }</p>
                    }
                    <label class="choice" for="spf-hard">
                        <input type="checkbox" id="spf-hard" checked={spf.hard_fail} onchange={set_flag(|c, v| c.hard_fail = v)} />
                        { " Refuse everything else (-all) instead of marking it suspicious (~all)" }
                    </label>
                </fieldset>
                { record_card(&spf_card) }
            </details>
            <details class="builder">
                <summary>{ "DMARC: a staged rollout" }</summary>
                <div class="field">
                    <label for="dmarc-stage">{ "Stage" }</label>
                    <select id="dmarc-stage" onchange={on_stage}>
                        <option value="monitor" selected={*stage == Stage::Monitor}>{ "1. Monitor (p=none)" }</option>
                        <option value="quarantine" selected={*stage == Stage::Quarantine}>{ "2. Quarantine (p=quarantine)" }</option>
                        <option value="reject" selected={*stage == Stage::Reject}>{ "3. Reject (p=reject)" }</option>
                    </select>
                    <p class="hint">{ stage.advice() }</p>
                </div>
                <div class="field">
                    <label for="dmarc-rua">{ "Send aggregate reports to" }</label>
                    <input id="dmarc-rua" type="email" autocomplete="off" spellcheck="false" placeholder={format!("dmarc-reports@{domain}")}
                        value={(*rua).clone()} oninput={on_rua} />
                </div>
                { record_card(&dmarc_card) }
            </details>
        </section>
    }
}
