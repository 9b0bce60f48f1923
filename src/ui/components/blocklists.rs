//! The blocklists section: one row per list and address or name asked, its
//! state in words (listed, not listed, refused, unusable, couldn't ask) with
//! the raw answer, the lists' test-entry health, and the commands to run
//! from one's own server where a list refuses public resolvers.

use yew::prelude::*;

use super::copy::copy_button;
use super::section::{check_section, Controls, Section};
use crate::ui::state::CheckId;
use maildoctor_core::blocklist::{BlocklistReport, BlocklistRow, ProbeHealth, State};
use maildoctor_core::check::CheckReport;

/// The `data-state` of a row.
fn state_key(state: &State) -> &'static str {
    match state {
        State::Listed { .. } => "listed",
        State::NotListed => "not-listed",
        State::Refused { .. } => "refused",
        State::Unusable { .. } => "unusable",
        State::LookupFailed { .. } => "failed",
        State::Unknown { .. } => "unknown",
    }
}

fn health_text(health: &ProbeHealth) -> String {
    match health {
        ProbeHealth::Healthy => "test entries answer correctly".to_string(),
        ProbeHealth::Refused { code, meaning } => format!("refuses this resolver ({code}: {meaning})"),
        ProbeHealth::CouldNotAsk { failure } => format!("couldn't ask its test entries: {failure}"),
        ProbeHealth::Broken { why } => format!("unusable from this resolver: {why}"),
    }
}

pub fn blocklist_section(report: &BlocklistReport, controls: &Controls) -> Html {
    let check = CheckId::Blocklists;
    let lookups = report.lookups();
    let listed = report.rows.iter().filter(|r| matches!(r.state, State::Listed { .. })).count();
    let summary = if report.rows.is_empty() {
        "Nothing was sent to the lists (see the notes below).".to_string()
    } else {
        format!(
            "{} lists asked about {} addresses and names: {listed} listing{}. \"Not listed\" on the lists we could ask does not prove a good reputation.",
            report.lists.len(),
            report.targets.len().saturating_sub(report.not_sent.len()),
            if listed == 1 { "" } else { "s" }
        )
    };
    let section =
        Section::answered(check, report.status(), summary, &report.findings, &lookups, [].into_iter(), controls);
    check_section(
        section,
        html! {
            <>
                if !report.rows.is_empty() {
                    <div class="table-wrap">
                    <table class="bl-table cards">
                        <thead><tr>
                            <th scope="col">{ "List" }</th>
                            <th scope="col">{ "Asked about" }</th>
                            <th scope="col">{ "Result" }</th>
                            <th scope="col">{ "Answer" }</th>
                        </tr></thead>
                        <tbody>{ for report.rows.iter().map(|row| blocklist_row(report, row)) }</tbody>
                    </table>
                    </div>
                }
                if !report.not_sent.is_empty() {
                    <ul class="bl-notes">
                        { for report.not_sent.iter().map(|n| html! {
                            <li>{ format!("{}: not sent to any list — {}", report.targets.get(n.target).map(|t| t.describe()).unwrap_or_default(), n.why) }</li>
                        }) }
                    </ul>
                }
                <details class="bl-health" ontoggle={controls.folds.on_toggle.clone()}>
                    <summary>{ format!("The lists' test entries ({})", report.lists.len()) }</summary>
                    { controls.folds.body(|| html! {
                        <ul>
                            { for report.lists.iter().map(|l| html! {
                                <li>{ format!("{} ({}): {}; {} questions", l.list.name, l.list.zone, health_text(&l.health), l.queries) }</li>
                            }) }
                            { for report.closed.iter().map(|l| html! {
                                <li>{ format!("{} ({}): closed, not asked", l.name, l.zone) }</li>
                            }) }
                        </ul>
                    }) }
                </details>
                if !report.commands.is_empty() {
                    <div class="bl-commands">
                        <p>{ "These lists refuse public resolvers like this page's. Ask them from your own server (its own resolver) or use the list's lookup page:" }</p>
                        <ul class="check-yourself">
                            { for report.commands.iter().map(|c| html! {
                                <li>
                                    <code class="command">{ c.command.clone() }</code>
                                    { copy_button(c.command.clone().into(), format!("Copy the {} command", c.list.name).into(), &controls.copies) }
                                    <a href={c.lookup_url} target="_blank" rel="noopener noreferrer">{ format!("{} lookup page", c.list.name) }</a>
                                </li>
                            }) }
                        </ul>
                    </div>
                }
            </>
        },
    )
}

fn blocklist_row(report: &BlocklistReport, row: &BlocklistRow) -> Html {
    let target = report.target(row).map(|t| t.describe()).unwrap_or_default();
    html! {
        <tr class="bl-row" data-list={row.list.id} data-state={state_key(&row.state)}>
            <td data-label="List">{ row.list.name }</td>
            <td data-label="Asked about">{ target }</td>
            <td data-label="Result">{ row.meaning.clone() }</td>
            <td data-label="Answer"><code>{ row.raw.join(", ") }</code></td>
        </tr>
    }
}
