//! The Blocklists check's part in the reputation cause.
//!
//! A listing is strong evidence, ranked by what is listed: the sending
//! server's address or the domain (what receivers judge), above an MX host's
//! address (it matters only if that host also sends). Each listing brings its
//! list's own lookup and removal page. A list that refused this page's
//! resolver, failed its test entries or did not answer is "couldn't ask":
//! named as such, never counted as listed or as clean. "Not listed on the
//! lists we could ask" is weak evidence against, never proof: receivers use
//! lists a browser cannot ask and their own reputation data.

use super::{about_sending_ip, ruled_out, Draft, REPUTATION_FIX};
use crate::blocklist::{ip_query_name, Blocklist, BlocklistCode, ListKind, CATALOGUE};
use crate::diagnosis::facts::Facts;
use crate::finding::{Code, Finding};

/// The catalogue entry whose zone `name` (a query name) is under.
fn list_of(name: &str) -> Option<&'static Blocklist> {
    let name = name.trim_end_matches('.');
    CATALOGUE.iter().find(|l| name.strip_suffix(l.zone).is_some_and(|head| head.ends_with('.')))
}

/// The score a listing found at `query` on `list` gives the reputation cause.
fn listing_score(f: &Facts, list: &Blocklist, query: &str) -> i32 {
    if list.kind == ListKind::Domain {
        return 80;
    }
    match f.sending_ip() {
        Some(ip) if ip_query_name(ip, list.zone).eq_ignore_ascii_case(query.trim_end_matches('.')) => 85,
        // No sending IP given: the MX host is often the sending server too.
        None => 50,
        Some(_) => 35,
    }
}

/// Each finding's message as a reason (the draft's `findings` keeps one per code).
fn cite(mut d: Draft, findings: &[&Finding]) -> Draft {
    for x in findings {
        if !d.cause.finding_codes.contains(&x.code) {
            d.cause.finding_codes.push(x.code);
        }
        d.cause.why.push(x.message.clone());
    }
    d
}

/// The lists that `findings`' evidence was asked of, each once, in order.
fn lists_in(findings: &[&Finding]) -> Vec<&'static Blocklist> {
    let mut out: Vec<&'static Blocklist> = Vec::new();
    for e in findings.iter().flat_map(|x| &x.evidence) {
        if let Some(list) = list_of(&e.name).filter(|l| !out.iter().any(|o| o.id == l.id)) {
            out.push(list);
        }
    }
    out
}

/// Raises, annotates or (weakly) rules out the reputation cause `d` from the
/// Blocklists check's findings.
pub fn weigh(f: &Facts, mut d: Draft) -> Draft {
    let listed = f.sender(&[Code::Blocklist(BlocklistCode::Listed)]);
    let best = listed
        .iter()
        .flat_map(|x| &x.evidence)
        .filter_map(|e| list_of(&e.name).map(|l| listing_score(f, l, &e.name)))
        .max()
        .unwrap_or(0);
    if best > 0 {
        let reply_agrees = d.score > 0;
        d = cite(d.score(best), &listed);
        if reply_agrees {
            d = d.add(10);
        }
        for list in lists_in(&listed) {
            d = d.fix_one(format!("Fix what got you listed, then ask {} for removal: {}", list.name, list.lookup_url));
        }
        if !reply_agrees {
            d = d.fix(REPUTATION_FIX);
        }
    }
    let unasked = lists_in(&f.sender(&[
        Code::Blocklist(BlocklistCode::Refused),
        Code::Blocklist(BlocklistCode::Unusable),
        Code::Blocklist(BlocklistCode::LookupFailed),
    ]));
    if d.score > 0 && !unasked.is_empty() {
        let names: Vec<&str> = unasked.iter().map(|l| l.name).collect();
        d = d.why(format!(
            "Could not ask {} from this page (refused or no usable answer): neither listed nor clean. Ask from your own server (commands under Blocklists).",
            names.join(", ")
        ));
    }
    let clean = about_sending_ip(f, f.sender(&[Code::Blocklist(BlocklistCode::NotListed)]));
    if best == 0 && !clean.is_empty() {
        if d.score > 0 {
            d = cite(d.add(-5), &clean)
                .why("Not listed where this page could ask: weak evidence; receivers also use their own data.");
        } else {
            d = ruled_out(
                d,
                &clean,
                "your sending IP is on none of the blocklists this page could ask (weak evidence)",
            );
        }
    }
    d
}
