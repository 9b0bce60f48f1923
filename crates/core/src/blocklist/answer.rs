//! Reading a list's answer: listed (and why), not listed, refused, unknown,
//! or couldn't ask — never one mistaken for another.
//!
//! The traps this avoids (reference notes §5):
//! - Spamhaus answers 127.255.255.254 to queries through public resolvers
//!   and URIBL/SURBL answer 127.0.0.1: those are refusals, and reading them
//!   as "listed" is a known false positive.
//! - A resolver that rewrites NXDOMAIN into an address (an ad or "search"
//!   page) makes every name look listed: an answer outside 127.0.0.0/8 is
//!   "unknown".
//! - A timeout or SERVFAIL says nothing about the listing: "couldn't ask".
//! - A list whose RFC 5782 §5 test entries do not answer as they must is not
//!   answering this resolver: its "not listed" means nothing.

use std::net::Ipv4Addr;

use super::catalogue::{Blocklist, Codes};
use crate::dns::{Failure, Lookup, Outcome, RData};

/// What one answer (or, after the probe, one row) says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum State {
    /// Listed: each answer code with its documented meaning.
    Listed { codes: Vec<(Ipv4Addr, String)> },
    /// NXDOMAIN (or no A record) from a list that passed its test.
    NotListed,
    /// The list refused this resolver. `code` is the refusal answer, if the
    /// list gave one (a list that simply does not answer has none).
    Refused { code: Option<Ipv4Addr>, meaning: String },
    /// The list's test entries failed: its answers cannot be read from here.
    Unusable { why: String },
    /// The question got no answer (timeout, SERVFAIL, transport error).
    LookupFailed { failure: Failure },
    /// An answer that cannot be read as listed or not (outside 127.0.0.0/8,
    /// 127.0.0.1, or a code the operator does not document).
    Unknown { why: String },
}

impl State {
    /// One phrase for the report's "meaning" column.
    pub fn meaning(&self) -> String {
        match self {
            State::Listed { codes } => {
                let mut parts: Vec<String> = Vec::with_capacity(codes.len());
                for (ip, m) in codes {
                    parts.push(format!("{ip}: {m}"));
                }
                format!("listed — {}", parts.join("; "))
            }
            State::NotListed => "not listed".to_string(),
            State::Refused { code: Some(ip), meaning } => format!("refused ({ip}: {meaning})"),
            State::Refused { code: None, meaning } => format!("refused ({meaning})"),
            State::Unusable { why } => format!("unusable from this resolver: {why}"),
            State::LookupFailed { failure } => format!("couldn't ask: {failure}"),
            State::Unknown { why } => format!("unknown: {why}"),
        }
    }

    /// The state in a few words, for the report's table: a listing in full
    /// (it is what to act on), the rest short, as the list's finding
    /// explains it once below the table.
    pub fn label(&self) -> String {
        match self {
            State::Listed { .. } => self.meaning(),
            State::NotListed => "not listed".to_string(),
            State::Refused { code: Some(ip), .. } => format!("refused this resolver ({ip})"),
            State::Refused { code: None, .. } => "refused this resolver".to_string(),
            State::Unusable { .. } => {
                "unusable from this resolver (its test entries did not answer as they must)".to_string()
            }
            State::LookupFailed { failure } => format!("couldn't ask: {failure}"),
            State::Unknown { .. } => "an answer that cannot be read".to_string(),
        }
    }
}

/// The A addresses of an answer (any CNAME chain before them left out:
/// Spamhaus's own mirrors answer through one).
pub fn answer_addresses(lookup: &Lookup) -> Vec<Ipv4Addr> {
    // A loop, not a filter_map collected (see the MX report's lookups).
    let mut out = Vec::new();
    for d in lookup.data() {
        if let RData::A(ip) = d {
            out.push(*ip);
        }
    }
    out
}

/// What `lookup` (an A query under `list`'s zone) says, before the list's
/// test entries are taken into account.
pub fn interpret(list: &Blocklist, lookup: &Lookup) -> State {
    let addrs = match &lookup.outcome {
        Outcome::Failed(failure) => return State::LookupFailed { failure: failure.clone() },
        Outcome::NxDomain | Outcome::NoData(_) => return State::NotListed,
        Outcome::Records(_) => answer_addresses(lookup),
    };
    if addrs.is_empty() {
        // NOERROR with only a CNAME chain or other types: no A record, no listing (RFC 5782 §2.1).
        return State::NotListed;
    }
    interpret_addresses(list, &addrs)
}

/// [`interpret`] for the A addresses of a NOERROR answer.
pub fn interpret_addresses(list: &Blocklist, addrs: &[Ipv4Addr]) -> State {
    if let Some(outside) = addrs.iter().find(|a| a.octets()[0] != 127) {
        return State::Unknown {
            why: format!(
                "the answer {outside} is outside 127.0.0.0/8, so it is not from the list: the resolver \
                 replaces \"no such name\" with an address of its own"
            ),
        };
    }
    if let Some((code, meaning)) = addrs.iter().find_map(|a| list.errors.iter().find(|(e, _)| e == a)) {
        return State::Refused { code: Some(*code), meaning: meaning.to_string() };
    }
    if addrs.contains(&Ipv4Addr::new(127, 0, 0, 1)) {
        return State::Unknown {
            why: "the answer 127.0.0.1 is never a listing (RFC 5782 §5 reserves it as the \"must not be listed\" \
                  test entry)"
                .to_string(),
        };
    }
    let mut codes = Vec::new();
    for a in addrs {
        match meaning_of(list, *a) {
            Some(m) => codes.push((*a, m)),
            None => {
                return State::Unknown {
                    why: format!(
                        "{a} is not one of the answers {} documents, so it is not read as a listing",
                        list.name
                    ),
                }
            }
        }
    }
    State::Listed { codes }
}

/// The documented meaning of a 127/8 answer code, if it has one.
fn meaning_of(list: &Blocklist, code: Ipv4Addr) -> Option<String> {
    match list.codes {
        Codes::Table { codes, otherwise } => {
            codes.iter().find(|(c, _)| *c == code).map(|(_, m)| m.to_string()).or(otherwise.map(str::to_string))
        }
        Codes::Bitmask { bits } => {
            // Only the last octet carries bits; the middle ones are reserved (SURBL lists page).
            let last = code.octets()[3];
            // A loop, not a filter/map chain collected: smaller in the wasm.
            let mut named: Vec<&str> = Vec::new();
            for (b, m) in bits.iter() {
                if last & b != 0 {
                    named.push(m);
                }
            }
            let known = bits.iter().fold(0u8, |acc, (b, _)| acc | b);
            match (named.is_empty(), (last & !known & !1) != 0) {
                (true, _) => None,
                (false, false) => Some(named.join(", ")),
                (false, true) => Some(format!("{} (and bits the list does not document)", named.join(", "))),
            }
        }
    }
}

/// How a list's RFC 5782 §5 test entries answered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum ProbeHealth {
    /// The must-be-listed entry is listed and the must-not one is not.
    Healthy,
    /// The list refused the test question (a refusal code).
    Refused { code: Ipv4Addr, meaning: String },
    /// A test question got no answer: we couldn't check the list.
    CouldNotAsk { failure: Failure },
    /// The test entries answered wrongly: the list is not answering this
    /// resolver properly (or the resolver rewrites answers).
    Broken { why: String },
}

/// Reads the two test answers of `list`.
pub fn probe_health(list: &Blocklist, listed: &Lookup, unlisted: &Lookup) -> ProbeHealth {
    let (must, must_not) = (interpret(list, listed), interpret(list, unlisted));
    for state in [&must, &must_not] {
        if let State::Refused { code: Some(code), meaning } = state {
            return ProbeHealth::Refused { code: *code, meaning: meaning.clone() };
        }
    }
    for state in [&must, &must_not] {
        if let State::LookupFailed { failure } = state {
            return ProbeHealth::CouldNotAsk { failure: failure.clone() };
        }
    }
    match must {
        State::Listed { .. } => {}
        State::NotListed => {
            return ProbeHealth::Broken {
                why: format!(
                "its test entry {} must be listed but came back not listed, so a \"not listed\" from it means nothing",
                listed.name
            ),
            }
        }
        other => {
            return ProbeHealth::Broken { why: format!("its test entry {} came back {}", listed.name, other.meaning()) }
        }
    }
    match must_not {
        State::NotListed => ProbeHealth::Healthy,
        State::Listed { .. } => ProbeHealth::Broken {
            why: format!(
                "{} must never be listed but came back listed: the list (or the resolver) answers \"listed\" for everything",
                unlisted.name
            ),
        },
        other => ProbeHealth::Broken { why: format!("its test entry {} came back {}", unlisted.name, other.meaning()) },
    }
}

/// A row's final state: its own answer, read in the light of the list's test.
/// A refusal or a failed lookup of the row itself stands; otherwise a list
/// that failed its test makes the row "refused" (for lists known to refuse
/// public resolvers) or "unusable", never "not listed".
pub fn settle(list: &Blocklist, own: State, probe: &ProbeHealth) -> State {
    match (&own, probe) {
        (State::Refused { .. } | State::LookupFailed { .. }, _) | (_, ProbeHealth::Healthy) => own,
        (_, ProbeHealth::Refused { code, meaning }) => State::Refused { code: Some(*code), meaning: meaning.clone() },
        (_, ProbeHealth::CouldNotAsk { failure }) => {
            State::Unusable { why: format!("its test entry could not be checked ({failure})") }
        }
        (_, ProbeHealth::Broken { why }) => match list.refuses_public_resolvers {
            Some(how) => State::Refused { code: None, meaning: format!("{why}. {how}") },
            None => State::Unusable { why: why.clone() },
        },
    }
}
