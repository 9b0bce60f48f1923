//! SPF (RFC 7208): parse, lint and evaluate.
//!
//! - [`record`]: the record model after the RFC 7208 §12 ABNF, parsed with positions.
//! - [`macros`]: the macro language (§7).
//! - [`select`]: picking the `v=spf1` record out of a TXT answer (§4.5).
//! - [`walk`]: the one walker over a policy's records, in two modes, and the
//!   limits of §4.6.4 ([`MAX_DNS_TERMS`], [`MAX_VOID_LOOKUPS`], [`LOOKUPS_NEAR_LIMIT`]).
//! - [`eval`]: `check_host()` (§4–§6), the walker's evaluate mode, with a trace of every term and lookup.
//! - [`lint`]: findings about a record's text; [`tree`]: the include tree and lookup costs (the audit mode).
//! - [`report`]: [`check_spf`], all of it for one domain.

pub mod error;
pub mod eval;
pub mod lint;
pub mod macros;
#[cfg(test)]
mod proptests;
pub mod record;
pub mod report;
pub mod select;
pub mod tree;
pub mod walk;

pub use eval::{
    check_host, check_host_with, check_mail_from, CheckHostRequest, Evaluation, MatchedTerm, SpfResult, TermOutcome,
    TraceNode, TraceTerm,
};
pub use lint::lint_text;
pub use record::{
    Directive, DomainSpec, DualCidr, Mechanism, Modifier, ParsedRecord, Qualifier, SpfErrorKind, SpfParseError,
    SpfRecord, Term,
};
pub use report::{check_spf, check_spf_shared, SpfReport};
pub use tree::{include_tree, IncludeTree, TermCost};
pub use walk::{LOOKUPS_NEAR_LIMIT, MAX_DNS_TERMS, MAX_NAMES_PER_TERM, MAX_VOID_LOOKUPS};

finding_codes! {
    /// The finding codes of this check; text form `spf.<name>`.
    pub enum SpfCode: Spf, "spf" {
        AllPermissive = "all-permissive",
        BadCharacters = "bad-characters",
        DuplicateModifier = "duplicate-modifier",
        IncludeLoop = "include-loop",
        IncludeNoSpf = "include-no-spf",
        LongString = "long-string",
        LookupFailed = "lookup-failed",
        LookupsNearLimit = "lookups-near-limit",
        Multiple = "multiple",
        MxTooManyNames = "mx-too-many-names",
        NoAll = "no-all",
        None = "none",
        Ok = "ok",
        Ptr = "ptr",
        PtrTooManyNames = "ptr-too-many-names",
        RedirectIgnored = "redirect-ignored",
        RedirectNoSpf = "redirect-no-spf",
        SenderFail = "sender-fail",
        SenderNeutral = "sender-neutral",
        SenderPass = "sender-pass",
        SenderPermerror = "sender-permerror",
        SenderSoftfail = "sender-softfail",
        SenderTemperror = "sender-temperror",
        Syntax = "syntax",
        TooLong = "too-long",
        TooManyLookups = "too-many-lookups",
        Type99Only = "type99-only",
        Version = "version",
        VoidLookup = "void-lookup",
        VoidLookups = "void-lookups",
    }
}
