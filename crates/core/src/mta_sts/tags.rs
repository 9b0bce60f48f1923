//! The `v=…; tag=value; …` TXT syntax that MTA-STS (RFC 8461 §3.1), TLS-RPT
//! (RFC 8460 §3) and BIMI share, split with byte positions; and the TXT answer
//! reading they share (strings joined, records filtered by their version tag).
//!
//! The ABNF of both RFCs: `field-delim = *WSP ";" *WSP`, a field is
//! `name "=" value` with no space around the `=`, and one `;` may end the record.

use std::ops::Range;

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
