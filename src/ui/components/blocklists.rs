//! The blocklists section: one row per list, the listings first, telling in
//! a few words what it said about each address or name asked (listed, not
//! listed, refused, unusable, couldn't ask: `State::label`; the targets it
//! answered alike together, `BlocklistReport::by_list`), the lists'
//! test-entry health, and the commands to run from one's own server where a
//! list refuses public resolvers. Why a list refused or could not be used is
//! said once, in its finding below the table; the raw answers are in the
//! section's DNS answers.

use yew::prelude::*;

use super::copy::copy_button;
use super::generated::terms;
use super::section::{check_section, Controls, Section};
use crate::ui::state::CheckId;
use maildoctor_core::blocklist::{BlocklistReport, ListResults, ProbeHealth, State};
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
                            <th scope="col">{ "What it said" }</th>
                        </tr></thead>
                        <tbody>{ for report.by_list().iter().map(list_row) }</tbody>
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
                            // As the report's other commands (`diagnosis::check_yourself`): the
                            // command in its box, broken at spaces only, its copy button beside it
                            // (under it at 375 px), the list's page on a line of its own.
                            { for report.commands.iter().map(|c| html! {
                                <li class="manual">
                                    <div class="command-line">
                                        <code class="command">{ terms(&c.command) }</code>
                                        { copy_button(c.command.clone().into(), format!("Copy the {} command", c.list.name).into(), &controls.copies) }
                                    </div>
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

fn list_row(results: &ListResults<'_>) -> Html {
    html! {
        <tr data-list={results.list.id}>
            <td data-label="List">{ results.list.name }</td>
            <td data-label="What it said">
                { for results.lines.iter().map(|line| html! {
                    <div class="bl-row" data-state={state_key(&line.row.state)}>
                        <span class="bl-about">{ line.about() }</span>{ ": " }{ line.row.state.label() }
                    </div>
                }) }
            </td>
        </tr>
    }
}
