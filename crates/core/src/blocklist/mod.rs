//! Blocklists (DNSBLs), honestly: is the sending server, an MX host or the
//! domain listed — and when a list will not say, saying that instead.
//!
//! - [`catalogue`]: the lists, their zones, answer codes and sources.
//! - [`query`]: query names (RFC 5782 §2) and the plan of questions, pure.
//! - [`answer`]: reading an answer and a list's test entries (RFC 5782 §5).
//! - [`check`]: [`check_blocklists`], one concurrent round of A queries.
//! - [`findings`]: what the report says, as [`crate::finding::Finding`]s.
//!
//! States are never conflated: listed (code and meaning), not listed, the
//! list refused this resolver, the list is unusable from this resolver (its
//! test entries failed), couldn't ask (timeout, SERVFAIL), unknown (an
//! answer that is not the list's). A browser's DoH resolver is a public
//! resolver, and several big lists (Spamhaus, Barracuda, URIBL) refuse those:
//! the report then gives the `dig` command to run from the person's own
//! server and the list's lookup page.

pub mod answer;
pub mod catalogue;
pub mod check;
pub mod findings;
pub mod query;

pub use answer::{interpret, probe_health, ProbeHealth, State};
pub use catalogue::{list_by_id, Blocklist, Codes, ListKind, ListStatus, CATALOGUE};
pub use check::{
    check_blocklists, dig_command, BlocklistReport, BlocklistRow, ListHealth, ListResults, ManualCheck, ResultLine,
};
pub use query::{
    blocklist_early_questions, blocklist_questions, domain_query_name, ip_query_name, plan, BlocklistTargets,
    MxHostTarget, NotSent, Plan, Role, Subject, Target,
};

finding_codes! {
    /// The finding codes of this check; text form `blocklist.<name>`.
    pub enum BlocklistCode: Blocklist, "blocklist" {
        Listed = "listed",
        LookupFailed = "lookup-failed",
        NotListed = "not-listed",
        NotSent = "not-sent",
        Refused = "refused",
        Unknown = "unknown",
        Unusable = "unusable",
    }
}
