//! SPF (RFC 7208): parse, lint and evaluate.
//!
//! - [`record`]: the record model after the RFC 7208 §12 ABNF, parsed with positions.
//! - [`macros`]: the macro language (§7).
//! - [`select`]: picking the `v=spf1` record out of a TXT answer (§4.5).
//! - [`eval`]: `check_host()` (§4–§6) with a trace of every term and lookup.
//! - [`lint`]: findings about a record's text; [`tree`]: the include tree and lookup costs.
//! - [`report`]: [`check_spf`], all of it for one domain.

pub mod eval;
pub mod lint;
pub mod macros;
#[cfg(test)]
mod proptests;
pub mod record;
pub mod report;
pub mod select;
pub mod tree;

pub use eval::{
    check_host, check_host_with, check_mail_from, CheckHostRequest, Evaluation, MatchedTerm, SpfResult, TermOutcome,
    TraceNode, TraceTerm,
};
pub use lint::lint_text;
pub use record::{
    Directive, DomainSpec, DualCidr, Mechanism, Modifier, ParsedRecord, Qualifier, SpfErrorKind, SpfParseError,
    SpfRecord, Term,
};
pub use report::{check_spf, SpfReport};
pub use tree::{IncludeTree, TermCost};
