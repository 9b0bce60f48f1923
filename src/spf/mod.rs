//! SPF (RFC 7208): parse, lint and evaluate.
//!
//! - [`record`]: the record model after the RFC 7208 §12 ABNF, parsed with positions.
//! - [`macros`]: the macro language (§7).
//! - [`select`]: picking the `v=spf1` record out of a TXT answer (§4.5).
//! - [`eval`]: `check_host()` (§4–§6) with a trace of every term and lookup.

pub mod eval;
pub mod macros;
pub mod record;
pub mod select;

pub use eval::{
    check_host, check_host_with, check_mail_from, CheckHostRequest, Evaluation, SpfResult, TraceNode, TraceTerm,
};
pub use record::{
    Directive, DomainSpec, DualCidr, Mechanism, Modifier, ParsedRecord, Qualifier, SpfErrorKind, SpfParseError,
    SpfRecord, Term,
};
