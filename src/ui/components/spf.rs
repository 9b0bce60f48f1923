//! The SPF section: the record, the 10-lookup budget as a gauge, the include tree.

use yew::prelude::*;

use super::generated::terms;
use super::records::plural;
use super::section::{check_section, Controls, Section};
use crate::ui::state::CheckId;
use maildoctor_core::check::CheckReport;
use maildoctor_core::spf::{IncludeTree, SpfReport};
use maildoctor_core::spf::{LOOKUPS_NEAR_LIMIT, MAX_DNS_TERMS, MAX_VOID_LOOKUPS};

pub fn spf_section(report: &SpfReport, controls: &Controls) -> Html {
    let check = CheckId::Spf;
    let lookups = report.lookups();
    let status = report.status();
    let summary = match report.records.len() {
        0 => String::new(),
        1 => format!("{} publishes this SPF record:", report.domain),
        n => format!("{} publishes {n} SPF records (there must be exactly one):", report.domain),
    };
    let section = Section::answered(check, status, summary, &report.findings, &lookups, report.lookup.iter(), controls);
    check_section(
        section,
        html! {
            <>
                if !report.records.is_empty() {
                    <ul class="txt-list">
                        { for report.records.iter().map(|r| html! { <li><code class="spf-record">{ terms(r) }</code></li> }) }
                    </ul>
                }
                if let Some(eval) = &report.evaluation {
                    <p class="evaluation">
                        { "For the sending IP, receivers get the SPF result " }<strong>{ eval.result.to_string() }</strong>{ ": " }{ eval.reason.clone() }
                    </p>
                }
                if report.tree.is_some() {
                    { gauge(report.lookup_count, report.void_lookups) }
                }
                if let Some(tree) = &report.tree {
                    if !tree.children.is_empty() {
                        <details class="spf-tree-block" open=true>
                            <summary>{ "What the record includes, with the lookups each part costs" }</summary>
                            <ul class="spf-tree">{ tree_node(tree, tree.lookups) }</ul>
                        </details>
                    }
                }
            </>
        },
    )
}

/// The 10-lookup budget (RFC 7208 §4.6.4) as a meter, with the numbers in words.
fn gauge(used: u32, voids: u32) -> Html {
    let over = used > MAX_DNS_TERMS;
    let text = if over {
        format!(
            "{} of {MAX_DNS_TERMS} DNS lookups — over the limit: receivers return a permanent error (permerror)",
            used
        )
    } else {
        format!("{} of {MAX_DNS_TERMS} DNS lookups used", used)
    };
    let max = used.max(MAX_DNS_TERMS);
    html! {
        <div class="gauge" data-level={over.then_some("over")}>
            <label for="spf-gauge">{ text }</label>
            <meter id="spf-gauge" min="0" max={max.to_string()} low={LOOKUPS_NEAR_LIMIT.to_string()} high={MAX_DNS_TERMS.to_string()} optimum="0"
                value={used.to_string()}>{ format!("{}/{MAX_DNS_TERMS}", used) }</meter>
            <span class="voids" data-level={(voids > MAX_VOID_LOOKUPS).then_some("over")}>
                { format!("Lookups that found nothing (void): {voids} of {MAX_VOID_LOOKUPS} allowed") }
                if voids > MAX_VOID_LOOKUPS { { " — over the limit: permerror" } }
            </span>
        </div>
    }
}

fn cost_class(cost: u32) -> Option<&'static str> {
    match cost {
        c if c > MAX_DNS_TERMS => Some("over"),
        c if c >= LOOKUPS_NEAR_LIMIT => Some("near"),
        _ => None,
    }
}

/// One record of the include tree and what it leads to. `cost`: what it
/// counts against the budget — for an include, the include term itself
/// plus everything below it (RFC 7208 §4.6.4), as the parent's term says.
fn tree_node(node: &IncludeTree, cost: u32) -> Html {
    let head = node.via.clone().unwrap_or_else(|| node.domain.clone());
    let own: Vec<String> = node
        .terms
        .iter()
        .filter(|t| t.cost > 0 && !t.term.contains("include:") && !t.term.contains("redirect="))
        .map(|t| format!("{} ({})", t.term, t.cost))
        .collect();
    html! {
        <li class="spf-node">
            <div class="node-head">
                <code class="node-name">{ head }</code>
                if node.via.is_some() { <span class="node-domain">{ format!(" → {}", node.domain) }</span> }
                // The pill takes the meter's colours: near the limit
                // (LOOKUPS_NEAR_LIMIT, the meter's `low`), over it.
                <span class="node-cost" data-level={cost_class(cost)}>{ plural(cost as usize, "lookup", "lookups") }</span>
            </div>
            if let Some(record) = &node.record {
                <code class="node-record">{ terms(record) }</code>
            }
            if !own.is_empty() {
                <div class="node-terms">{ format!("Own lookups: {}", own.join(" · ")) }</div>
            }
            if let Some(problem) = &node.problem {
                <div class="node-problem">{ problem.clone() }</div>
            }
            if !node.children.is_empty() {
                <ul>{ for node.children.iter().map(|child| {
                    let term = node.terms.iter().find(|t| Some(&t.term) == child.via.as_ref());
                    tree_node(child, term.map_or(child.lookups, |t| t.cost))
                }) }</ul>
            }
        </li>
    }
}
