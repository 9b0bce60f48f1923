//! The blocklist check's findings, from a finished report.
//!
//! One finding per listing (each is something to act on); refusals, unusable
//! lists, failed lookups and unreadable answers grouped per list (they are
//! about the list and this resolver, not about the person's DNS); one
//! "not listed" summary per target; one "not sent" per address kept back.

use super::answer::State;
use super::catalogue::Blocklist;
use super::check::{BlocklistReport, BlocklistRow};
use super::query::Role;
use crate::blocklist::BlocklistCode;
use crate::finding::{Finding, Severity};

/// All findings of `report`, in report order.
pub fn findings(report: &BlocklistReport) -> Vec<Finding> {
    let mut out = Vec::new();
    for n in &report.not_sent {
        let Some(target) = report.targets.get(n.target) else { continue };
        let sender = target.roles.contains(&Role::SendingIp);
        out.push(
            Finding::new(
                BlocklistCode::NotSent,
                Severity::Info,
                format!("{} was not checked on any blocklist: {}.", target.describe(), n.why),
            )
            .rfc(6890, "")
            .hint(if sender {
                "Blocklists judge the public address a receiver sees. Check that one: it is in the receiver's \
                 \"Received:\" header, or in the bounce."
            } else {
                "Only public addresses and names can be listed; nothing to do here."
            }),
        );
    }
    for row in report.rows.iter().filter(|r| matches!(r.state, State::Listed { .. })) {
        out.push(listed(report, row));
    }
    for health in &report.lists {
        out.extend(per_list(report, health.list));
    }
    out.extend(not_listed(report));
    out
}

/// The rows of `list` whose state passes `pred`. A loop and a plain `fn`
/// rather than a filter closure per caller: one copy in the wasm, not four.
fn rows_of<'a>(report: &'a BlocklistReport, list: &Blocklist, pred: fn(&State) -> bool) -> Vec<&'a BlocklistRow> {
    let mut out = Vec::new();
    for r in &report.rows {
        if r.list.id == list.id && pred(&r.state) {
            out.push(r);
        }
    }
    out
}

fn described(report: &BlocklistReport, rows: &[&BlocklistRow]) -> String {
    let mut names: Vec<String> = Vec::with_capacity(rows.len());
    for r in rows {
        if let Some(t) = report.target(r) {
            names.push(t.describe());
        }
    }
    names.join(", ")
}

fn with_row_evidence(mut f: Finding, report: &BlocklistReport, rows: &[&BlocklistRow]) -> Finding {
    for row in rows {
        if let Some(lookup) = super::check::row_lookup(report, row) {
            f = f.evidence(lookup);
        }
    }
    f
}

fn listed(report: &BlocklistReport, row: &BlocklistRow) -> Finding {
    let target = report.target(row);
    let who = target.map(|t| t.describe()).unwrap_or_else(|| row.query_name.clone());
    // An MX host's address only matters to receivers if that host also sends
    // mail; the sending server and the domain itself are judged directly.
    let only_mx_address = target.is_some_and(|t| t.roles.iter().all(|r| matches!(r, Role::MxAddress(_))));
    let severity = if only_mx_address { Severity::Warning } else { Severity::Error };
    let what = match &row.state {
        State::Listed { codes } => {
            let mut parts: Vec<String> = Vec::with_capacity(codes.len());
            for (ip, m) in codes {
                parts.push(format!("{m} (answer {ip})"));
            }
            parts.join("; ")
        }
        _ => row.meaning.clone(),
    };
    let f = Finding::new(
        BlocklistCode::Listed,
        severity,
        format!(
            "{who} is listed on {} ({}): {what}. Receivers using this list defer or reject mail from listed senders.",
            row.list.name, row.list.zone
        ),
    )
    .rfc(5782, "2.1")
    .hint(format!(
        "Fix the cause first (a compromised account or machine, an open relay, a bad mailing list), then look \
         the listing up and ask for removal at {}.",
        row.list.lookup_url
    ));
    with_row_evidence(f, report, &[row])
}

/// The refused / unusable / couldn't-ask / unknown findings of one list.
fn per_list(report: &BlocklistReport, list: &'static Blocklist) -> Vec<Finding> {
    let mut out = Vec::new();
    let refused = rows_of(report, list, |s| matches!(s, State::Refused { .. }));
    if let Some(first) = refused.first() {
        // The report's commands (one per question asked: `assemble`), this list's.
        let mut commands: Vec<String> = Vec::with_capacity(refused.len());
        for c in &report.commands {
            if c.list.id == list.id {
                commands.push(format!("  {}", c.command));
            }
        }
        let f = Finding::new(
            BlocklistCode::Refused,
            Severity::Info,
            format!(
                "{} did not answer this page's resolver ({}), so whether {} is listed there is unknown.",
                list.name,
                first.meaning,
                described(report, &refused)
            ),
        )
        .hint(format!(
            "Run this on your own mail server, which asks through its own resolver, not a public one:\n{}\n\
             127.0.0.x means listed; NXDOMAIN (no answer) means not listed; 127.255.255.x or 127.0.0.1 means the \
             list refused that resolver too. Or look it up at {}.",
            commands.join("\n"),
            list.lookup_url
        ));
        out.push(with_row_evidence(f, report, &refused[..1]));
    }
    let unusable = rows_of(report, list, |s| matches!(s, State::Unusable { .. }));
    if let Some(first) = unusable.first() {
        let why = match &first.state {
            State::Unusable { why } => why.clone(),
            _ => first.meaning.clone(),
        };
        let mut f = Finding::new(
            BlocklistCode::Unusable,
            Severity::Info,
            format!(
                "{} cannot be used from this resolver: {why}. Its answers about {} are not counted as \"not listed\".",
                list.name,
                described(report, &unusable)
            ),
        )
        .rfc(5782, "5")
        .hint(format!("Look the addresses up at {} instead.", list.lookup_url));
        if let Some(health) = report.lists.iter().find(|h| h.list.id == list.id) {
            for l in &health.probe_lookups {
                f = f.evidence(l);
            }
        }
        out.push(f);
    }
    let failed = rows_of(report, list, |s| matches!(s, State::LookupFailed { .. }));
    if let Some(first) = failed.first() {
        let f = Finding::new(
            BlocklistCode::LookupFailed,
            Severity::Warning,
            format!(
                "Could not ask {} about {}: {}. A DNS failure, not a \"not listed\".",
                list.name,
                described(report, &failed),
                first.meaning
            ),
        )
        .hint(format!("Try again later, or look it up at {}.", list.lookup_url));
        out.push(with_row_evidence(f, report, &failed));
    }
    let unknown = rows_of(report, list, |s| matches!(s, State::Unknown { .. }));
    if let Some(first) = unknown.first() {
        let f = Finding::new(
            BlocklistCode::Unknown,
            Severity::Info,
            format!(
                "{}'s answer about {} could not be read: {}.",
                list.name,
                described(report, &unknown),
                first.meaning.strip_prefix("unknown: ").unwrap_or(&first.meaning)
            ),
        )
        .hint(format!("Look it up at {}.", list.lookup_url));
        out.push(with_row_evidence(f, report, &unknown));
    }
    out
}

/// One "not listed" per target that at least one usable list cleared.
fn not_listed(report: &BlocklistReport) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, target) in report.targets.iter().enumerate() {
        let mut clear: Vec<&str> = Vec::new();
        let mut asked = 0;
        for r in report.rows_for(i) {
            asked += 1;
            if r.state == State::NotListed {
                clear.push(r.list.name);
            }
        }
        if clear.is_empty() {
            continue;
        }
        let others = if asked > clear.len() {
            format!(" The other {} list(s) gave no usable answer (see above).", asked - clear.len())
        } else {
            String::new()
        };
        out.push(Finding::new(
            BlocklistCode::NotListed,
            Severity::Ok,
            format!("{} is not listed on {}.{others}", target.describe(), clear.join(", ")),
        ));
    }
    out
}
