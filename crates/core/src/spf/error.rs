//! What can be wrong in an SPF record's text: the error kinds shared by the
//! record parser (record.rs) and the macro-string parser (macros.rs), kept
//! here so neither of the two imports the other's internals.

use crate::parse_error::ParseError;

/// What went wrong in a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SpfErrorKind {
    /// Does not start with `v=spf1` followed by a space or the end.
    Version,
    /// A character outside 7-bit ASCII (RFC 7208 §3.1 / §4.5 make such records invalid).
    NonAscii,
    /// A control character or tab where only visible characters or spaces may be.
    BadCharacter,
    /// A word that is neither a known mechanism nor a modifier.
    UnknownMechanism,
    /// A modifier name that breaks `name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )`.
    BadModifierName,
    /// A mechanism or modifier missing its required argument.
    MissingArgument,
    /// Extra text after a mechanism that takes none (or not that kind).
    UnexpectedArgument,
    /// A domain-spec that does not end in a macro or a valid top label (§7.1).
    BadDomainSpec,
    /// A macro-string syntax error (§7.1).
    BadMacro,
    BadIp4,
    BadIp6,
    /// A CIDR length out of range or with a leading zero.
    BadCidr,
    /// `redirect=` or `exp=` given twice (§6: permerror).
    DuplicateModifier,
}

/// A record that cannot be parsed: kind, byte offset in the record text, and a message for a person.
pub type SpfParseError = ParseError<SpfErrorKind>;

pub(super) fn perr(kind: SpfErrorKind, offset: usize, message: impl Into<String>) -> SpfParseError {
    ParseError::new(kind, offset, message)
}
