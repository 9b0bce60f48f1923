//! One MX record in presentation form: `10 mx.example.com.` (RFC 1035 §3.3.9).

use crate::quote::{Quoted, QuotedChar};
use std::fmt;
use std::str::FromStr;

use crate::parse_error::ParseError;

/// An MX record's data. The exchange is kept without the trailing dot; the
/// root (`.`, a null MX per RFC 7505) is the empty string.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MxRecord {
    pub preference: u16,
    pub exchange: String,
}

impl MxRecord {
    pub fn new(preference: u16, exchange: &str) -> MxRecord {
        MxRecord { preference, exchange: exchange.strip_suffix('.').unwrap_or(exchange).to_ascii_lowercase() }
    }

    /// RFC 7505 §3: "0 ." says the domain accepts no mail. (Any preference
    /// with the root as exchange is treated as null MX; the check notes a
    /// non-zero preference separately.)
    pub fn is_null(&self) -> bool {
        self.exchange.is_empty()
    }
}

impl fmt::Display for MxRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}.", self.preference, self.exchange)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MxParseErrorKind {
    Empty,
    BadPreference,
    MissingExchange,
    BadExchange,
    TrailingData,
}

/// Why MX text could not be read: kind, byte offset, and words for a person.
pub type MxParseError = ParseError<MxParseErrorKind>;

impl FromStr for MxRecord {
    type Err = MxParseError;

    fn from_str(text: &str) -> Result<MxRecord, MxParseError> {
        let err = |kind, offset, message: String| Err(ParseError::new(kind, offset, message));
        let words: Vec<(usize, &str)> = crate::parse_error::words(text);
        let Some(&(pref_at, pref)) = words.first() else {
            return err(
                MxParseErrorKind::Empty,
                0,
                "An MX record needs a preference and a host, like \"10 mx.example.com.\"".into(),
            );
        };
        let Ok(preference) = pref.parse::<u16>() else {
            return err(
                MxParseErrorKind::BadPreference,
                pref_at,
                format!("The preference {} must be a whole number from 0 to 65535.", Quoted(pref)),
            );
        };
        let Some(&(ex_at, exchange)) = words.get(1) else {
            return err(
                MxParseErrorKind::MissingExchange,
                text.len(),
                "The host name is missing after the preference.".into(),
            );
        };
        if let Some(&(at, extra)) = words.get(2) {
            return err(
                MxParseErrorKind::TrailingData,
                at,
                format!("Unexpected {} after the host name.", Quoted(extra)),
            );
        }
        if exchange != "." {
            let name = exchange.strip_suffix('.').unwrap_or(exchange);
            let mut offset = ex_at;
            for label in name.split('.') {
                if label.is_empty() {
                    return err(
                        MxParseErrorKind::BadExchange,
                        offset,
                        "The host name has an empty label (two dots in a row).".into(),
                    );
                }
                if let Some((i, c)) =
                    label.char_indices().find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                {
                    return err(
                        MxParseErrorKind::BadExchange,
                        offset + i,
                        format!("A host name cannot contain {}.", QuotedChar(c)),
                    );
                }
                if label.len() > 63 {
                    return err(
                        MxParseErrorKind::BadExchange,
                        offset,
                        "A host name label is longer than 63 characters.".into(),
                    );
                }
                offset += label.len() + 1;
            }
        }
        Ok(MxRecord::new(preference, exchange))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in ["10 mx.example.com.", "0 .", "65535 a-b_c.example."] {
            let r: MxRecord = text.parse().unwrap();
            assert_eq!(r.to_string(), text);
            assert_eq!(r.to_string().parse::<MxRecord>().unwrap(), r);
        }
        let r: MxRecord = "  5   MX.Example.COM ".parse().unwrap();
        assert_eq!(r, MxRecord { preference: 5, exchange: "mx.example.com".into() });
        assert!("0 .".parse::<MxRecord>().unwrap().is_null());
    }

    #[test]
    fn errors_have_kind_and_offset() {
        use MxParseErrorKind::*;
        let cases: [(&str, MxParseErrorKind, usize); 7] = [
            ("", Empty, 0),
            ("ten mx.example.com", BadPreference, 0),
            ("70000 mx.example.com", BadPreference, 0),
            ("10", MissingExchange, 2),
            ("10 mx..example.com", BadExchange, 6),
            ("10 mx!.example.com", BadExchange, 5),
            ("10 mx.example.com extra", TrailingData, 18),
        ];
        for (text, kind, offset) in cases {
            let e = text.parse::<MxRecord>().unwrap_err();
            assert_eq!((e.kind, e.offset), (kind, offset), "{text}: {}", e.message);
        }
    }
}
