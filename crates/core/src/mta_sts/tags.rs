//! The `v=…; tag=value; …` TXT syntax that MTA-STS (RFC 8461 §3.1), TLS-RPT
//! (RFC 8460 §3) and BIMI share, split with byte positions; and the TXT answer
//! reading they share (strings joined, records filtered by their version tag),
//! with the findings it gives: one copy of each for the three checks, kept for
//! the page's size.
//!
//! The ABNF of both RFCs: `field-delim = *WSP ";" *WSP`, a field is
//! `name "=" value` with no space around the `=`, and one `;` may end the record.

use std::ops::Range;

use crate::check::Status;
use crate::dns::Lookup;
use crate::finding::{Code, Finding, Severity};

/// One `name=value` field with where it is in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field<'a> {
    pub name: &'a str,
    pub value: &'a str,
    /// From the name's first byte to the value's last.
    pub span: Range<usize>,
    pub value_span: Range<usize>,
}

/// Why a record's text does not split into fields: where, and words for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SplitError {
    pub span: Range<usize>,
    pub message: String,
}

fn is_wsp(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Splits `text` into fields. Empty fields (`;;`) and a field without `=` are errors;
/// a single trailing `;` (and space after it) is not.
pub(crate) fn split(text: &str) -> Result<Vec<Field<'_>>, SplitError> {
    let mut fields = Vec::new();
    let mut start = 0;
    let pieces: Vec<&str> = text.split(';').collect();
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.into_iter().enumerate() {
        let lead = piece.len() - piece.trim_start_matches(is_wsp).len();
        let trimmed = piece.trim_matches(is_wsp);
        let at = start + lead;
        start += piece.len() + 1;
        if trimmed.is_empty() {
            // Nothing after the last `;` is the optional trailing delimiter.
            if i == last && i > 0 {
                continue;
            }
            return Err(SplitError {
                span: at..at,
                message: "There is an empty field (two semicolons in a row?).".into(),
            });
        }
        let Some((name, value)) = trimmed.split_once('=') else {
            return Err(SplitError {
                span: at..at + trimmed.len(),
                message: format!("\"{trimmed}\" is not a name=value field."),
            });
        };
        if name.ends_with(is_wsp) || value.starts_with(is_wsp) {
            let eq = at + name.len();
            return Err(SplitError {
                span: at..eq + 1,
                message: format!("There is a space around the = of \"{}\"; the syntax allows none.", name.trim()),
            });
        }
        let value_at = at + name.len() + 1;
        fields.push(Field { name, value, span: at..at + trimmed.len(), value_span: value_at..value_at + value.len() });
    }
    Ok(fields)
}

/// Whether `name` is an extension field name: `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`
/// (RFC 8461 §3.1 `sts-ext-name`, RFC 8460 §3 `tlsrpt-ext-name`).
pub(crate) fn is_ext_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && name.len() <= 32
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Whether `value` is an extension value: printable ASCII without `=`, `;` or space.
pub(crate) fn is_ext_value(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| matches!(b, 0x21..=0x3a | 0x3c | 0x3e..=0x7e))
}

/// Whether `text` begins with the version field `version` (e.g. `v=STSv1`) followed by
/// the end, a delimiter or space: the discovery rule of RFC 8461 §3.1 / RFC 8460 §3,
/// which discard the records that do not.
pub(crate) fn has_version(text: &str, version: &str) -> bool {
    text.strip_prefix(version).is_some_and(|rest| rest.is_empty() || rest.starts_with([';', ' ', '\t']))
}

/// What every tag-list record shares that a record breaks, before each parser
/// reads its own fields; each parser maps it to its own error kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagProblem {
    /// Does not start with the version field.
    NotVersion,
    /// A part that is not `name=value`, an empty part, or spaces around `=`.
    Malformed,
    /// A field given twice (the version field included).
    Duplicate,
    /// A field the record does not define whose name or value breaks the extension syntax.
    BadExtension,
}

/// The record's fields after the version: those named in `known`, in order, and
/// every other one as an extension (name, value). `what` names the record in the
/// version error ("MTA-STS").
#[allow(clippy::type_complexity)]
pub(crate) fn fields<'a>(
    text: &'a str,
    version: &str,
    what: &str,
    known: &[&str],
) -> Result<(Vec<Field<'a>>, Vec<(String, String)>), (TagProblem, usize, String)> {
    if !has_version(text, version) {
        return Err((TagProblem::NotVersion, 0, format!("A {what} record must start with {version} (exactly so).")));
    }
    let all = split(text).map_err(|e| (TagProblem::Malformed, e.span.start, e.message))?;
    let (mut own, mut extensions) = (Vec::new(), Vec::new());
    for (i, field) in all.iter().enumerate().skip(1) {
        let (name, value) = (field.name, field.value);
        if name == "v" || all[1..i].iter().any(|f| f.name == name) {
            return Err((
                TagProblem::Duplicate,
                field.span.start,
                format!("The field \"{name}\" appears more than once."),
            ));
        }
        if known.contains(&name) {
            own.push(field.clone());
        } else if is_ext_name(name) && is_ext_value(value) {
            extensions.push((name.to_string(), value.to_string()));
        } else {
            let message = format!("\"{name}={value}\" is not a valid extension field.");
            return Err((TagProblem::BadExtension, field.span.start, message));
        }
    }
    Ok((own, extensions))
}

/// A TXT record check (MTA-STS, TLS-RPT, BIMI) as data: its name, version
/// field, who reads it, its RFC section and its finding codes.
pub(crate) struct TxtSpec {
    /// "MTA-STS".
    pub what: &'static str,
    /// "v=STSv1".
    pub version: &'static str,
    /// Who acts on the record: "senders" or "receivers".
    pub who: &'static str,
    /// What missing the record means ("no brand logo is shown …").
    pub none_effect: &'static str,
    /// The RFC and section that define the record (BIMI has none).
    pub rfc: Option<(u16, &'static str)>,
    pub lookup_failed: Code,
    pub none: Code,
    pub multiple: Code,
    pub syntax: Code,
}

impl TxtSpec {
    fn finding(&self, code: Code, severity: Severity, message: String) -> Finding {
        let f = Finding::new(code, severity, message);
        match self.rfc {
            Some((rfc, section)) => f.rfc(rfc, section),
            None => f,
        }
    }

    /// The one record of this kind in a TXT answer (RFC 8461 §3.1, RFC 8460
    /// §3: the strings joined, other records discarded), or the finding that
    /// says why there is none to read: the lookup failed, none is published,
    /// several are.
    // A Finding by value: each caller pushes it at once, and a Box would cost page bytes.
    #[allow(clippy::result_large_err)]
    pub fn one_record(&self, lookup: &Lookup) -> Result<String, Finding> {
        let (what, name) = (self.what, &lookup.name);
        if let Some(why) = lookup.couldnt_ask() {
            let message = format!(
                "Could not look up the {what} record at {name} ({why}). This says nothing about the record itself."
            );
            return Err(Finding::new(self.lookup_failed, Severity::Warning, message).evidence(lookup));
        }
        let mut records: Vec<String> =
            lookup.joined_txt().into_iter().filter(|r| has_version(r, self.version)).collect();
        let f = match records.len() {
            1 => return Ok(records.remove(0)),
            0 => self.finding(self.none, Severity::Info, format!("No {what} record at {name}: {}", self.none_effect)),
            n => {
                let message =
                    format!("{n} {what} records at {name}: with more than one, {} use none. Keep one.", self.who);
                self.finding(self.multiple, Severity::Error, message)
            }
        };
        Err(f.evidence(lookup))
    }

    /// The record's text does not parse: the message, and the part at `offset`
    /// (up to the next `,` or `;`) marked.
    pub fn syntax(&self, text: &str, offset: usize, message: &str) -> Finding {
        let end = text.get(offset..).and_then(|r| r.find([',', ';'])).map_or(text.len(), |n| offset + n);
        let message = format!("The {} record is invalid, so {} ignore it: {message}", self.what, self.who);
        self.finding(self.syntax, Severity::Error, message).span_in(text, offset..end)
    }
}

/// The registry's contract (see `check`) for a TXT record check's report,
/// one with `findings` and `lookups` fields: its status is [`txt_status`].
macro_rules! txt_check_report {
    ($report:ty, $spec:expr) => {
        impl $crate::check::CheckReport for $report {
            fn findings(&self) -> &[$crate::finding::Finding] {
                &self.findings
            }

            fn lookups(&self) -> Vec<$crate::dns::Lookup> {
                self.lookups.clone()
            }

            /// Unknown when the record could not be asked for; absent when none is published.
            fn status(&self) -> $crate::check::Status {
                $crate::mta_sts::tags::txt_status(&self.findings, &self.lookups, $spec.none)
            }
        }
    };
}
pub(crate) use txt_check_report;

/// A TXT record check's status: absent when none is published, unknown when it
/// could not be asked for, else by the findings.
pub(crate) fn txt_status(findings: &[Finding], lookups: &[Lookup], none: Code) -> Status {
    if findings.iter().any(|f| f.code == none) {
        return Status::Absent;
    }
    Status::of(lookups.iter().any(Lookup::is_failure), findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_positions() {
        let f = split("v=STSv1; id=abc ;x=y;").unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!((f[1].name, f[1].value, f[1].span.clone(), f[1].value_span.clone()), ("id", "abc", 9..15, 12..15));
        assert_eq!(f[2].span, 17..20);
        for (bad, at) in [("v=STSv1;;id=1", 8), ("v=STSv1; id", 9), ("v=STSv1; id = 1", 9), (";", 0), ("", 0)] {
            assert_eq!(split(bad).map_err(|e| e.span.start), Err(at), "{bad}");
        }
    }

    #[test]
    fn version_prefix() {
        assert!(has_version("v=STSv1; id=1", "v=STSv1") && has_version("v=STSv1", "v=STSv1"));
        assert!(!has_version("v=STSv10; id=1", "v=STSv1") && !has_version("v=stsv1;", "v=STSv1"));
    }

    #[test]
    fn extension_names_and_values() {
        assert!(is_ext_name("a_b-c.d") && !is_ext_name("_a") && !is_ext_name(&"a".repeat(33)));
        assert!(is_ext_value("x,y:z") && !is_ext_value("a b") && !is_ext_value("") && !is_ext_value("a=b"));
    }
}
