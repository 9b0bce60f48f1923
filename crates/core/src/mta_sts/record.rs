//! The MTA-STS TXT record at `_mta-sts.<domain>` (RFC 8461 §3.1): a positioned
//! parser (`FromStr`) and a printer (`Display`) that parses back to the same value.
//!
//! ```text
//! sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]
//! sts-version     = %s"v=STSv1"
//! sts-id          = %s"id=" 1*32(ALPHA / DIGIT)
//! sts-extension   = sts-ext-name "=" sts-ext-value
//! ```

use std::fmt;
use std::str::FromStr;

use super::tags::{self, TagProblem};
use crate::parse_error::ParseError;

/// The version field every MTA-STS record starts with, case-sensitive (`%s`).
pub const STS_VERSION: &str = "v=STSv1";

/// A valid MTA-STS TXT record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MtaStsRecord {
    /// The policy instance ID: 1–32 letters and digits. Senders refetch the policy when it changes.
    pub id: String,
    /// Extension fields, in order (none are defined yet; RFC 8461 §3.1 says to ignore them).
    pub extensions: Vec<(String, String)>,
}

/// What is wrong in an MTA-STS record's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum MtaStsRecordErrorKind {
    /// Does not start with `v=STSv1`.
    NotStsV1,
    /// A part that is not `name=value`, an empty part, or spaces around `=`.
    MalformedField,
    /// No `id` field.
    MissingId,
    /// An `id` that is not 1–32 letters and digits.
    BadId,
    /// A field given twice.
    DuplicateField,
    /// An extension whose name or value breaks the syntax.
    BadExtension,
}

pub type MtaStsRecordError = ParseError<MtaStsRecordErrorKind>;

impl FromStr for MtaStsRecord {
    type Err = MtaStsRecordError;

    fn from_str(text: &str) -> Result<MtaStsRecord, MtaStsRecordError> {
        use MtaStsRecordErrorKind::*;
        let (own, extensions) = tags::fields(text, STS_VERSION, "MTA-STS", &["id"]).map_err(|(p, at, m)| {
            let kind = match p {
                TagProblem::NotVersion => NotStsV1,
                TagProblem::Malformed => MalformedField,
                TagProblem::Duplicate => DuplicateField,
                TagProblem::BadExtension => BadExtension,
            };
            ParseError::new(kind, at, m)
        })?;
        let Some(field) = own.first() else {
            return Err(ParseError::new(
                MissingId,
                text.len(),
                "The record has no id= field (e.g. id=20260101T000000).",
            ));
        };
        if !(1..=32).contains(&field.value.len()) || !field.value.bytes().all(|b| b.is_ascii_alphanumeric()) {
            let message =
                format!("The id \"{}\" must be 1 to 32 letters and digits (no dashes, dots or spaces).", field.value);
            return Err(ParseError::new(BadId, field.value_span.start, message));
        }
        Ok(MtaStsRecord { id: field.value.to_string(), extensions })
    }
}

/// `v=STSv1; id=…` then the extensions.
impl fmt::Display for MtaStsRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{STS_VERSION}; id={}", self.id)?;
        for (name, value) in &self.extensions {
            write!(f, "; {name}={value}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_errors() {
        let r: MtaStsRecord = "v=STSv1; id=20160831085700Z;".parse().unwrap();
        assert_eq!(r.id, "20160831085700Z");
        assert_eq!(r.to_string().parse::<MtaStsRecord>(), Ok(r));
        let e = "v=STSv1; id=2016-08-31".parse::<MtaStsRecord>().unwrap_err();
        assert_eq!((e.kind, e.offset), (MtaStsRecordErrorKind::BadId, 12));
    }
}
