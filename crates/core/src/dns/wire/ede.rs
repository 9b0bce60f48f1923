//! Extended DNS Errors (RFC 8914): the reason a resolver gives, next to its
//! RCODE, for an answer it could not (or would not) give.
//!
//! An EDE travels as EDNS option 15 in the response's OPT record: a 16-bit
//! INFO-CODE and optional EXTRA-TEXT. The text comes from a stranger's server
//! and ends up on the page, so it is kept as plain text: capped in length,
//! control and bidirectional-formatting characters removed.

use std::fmt;

/// The EDNS option code of an Extended DNS Error (RFC 8914 §2).
pub(super) const OPTION_EDE: u16 = 15;

/// The most characters of EXTRA-TEXT kept, "…" included when the text was cut
/// (so that a cut text, cleaned again, stays the same).
pub const EXTRA_TEXT_MAX_CHARS: usize = 200;

/// The IANA "Extended DNS Error Codes" registry, codes 0–29 (RFC 8914 §5.2, RFC 9250,
/// RFC 9276 and later additions), by INFO-CODE.
const NAMES: [&str; 30] = [
    "Other Error",
    "Unsupported DNSKEY Algorithm",
    "Unsupported DS Digest Type",
    "Stale Answer",
    "Forged Answer",
    "DNSSEC Indeterminate",
    "DNSSEC Bogus",
    "Signature Expired",
    "Signature Not Yet Valid",
    "DNSKEY Missing",
    "RRSIGs Missing",
    "No Zone Key Bit Set",
    "NSEC Missing",
    "Cached Error",
    "Not Ready",
    "Blocked",
    "Censored",
    "Filtered",
    "Prohibited",
    "Stale NXDomain Answer",
    "Not Authoritative",
    "Not Supported",
    "No Reachable Authority",
    "Network Error",
    "Invalid Data",
    "Signature Expired before Valid",
    "Too Early",
    "Unsupported NSEC3 Iterations Value",
    "Unable to conform to policy",
    "Synthesized",
];

/// One Extended DNS Error from a response.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ExtendedError {
    /// The INFO-CODE.
    pub code: u16,
    /// The EXTRA-TEXT as plain text (see [`ExtendedError::new`]); empty when none was sent.
    pub text: String,
}

impl ExtendedError {
    /// An EDE with `text` cleaned for display: control characters (including
    /// newlines) and bidirectional overrides dropped, surrounding space trimmed,
    /// at most [`EXTRA_TEXT_MAX_CHARS`] characters kept.
    pub fn new(code: u16, text: &str) -> ExtendedError {
        // U+200E/F, U+202A–E and U+2066–9 reorder what follows on screen: a server
        // could make its text look like ours.
        let unsafe_char = |c: char| {
            c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        };
        let clean: String = text.chars().filter(|c| !unsafe_char(*c)).collect();
        let clean = clean.trim();
        let text = match (clean.chars().count(), clean.char_indices().nth(EXTRA_TEXT_MAX_CHARS - 1)) {
            (n, Some((cut, _))) if n > EXTRA_TEXT_MAX_CHARS => format!("{}…", clean.get(..cut).unwrap_or(clean)),
            _ => clean.to_string(),
        };
        ExtendedError { code, text }
    }

    /// Reads the option data of an EDE option: INFO-CODE, then EXTRA-TEXT (UTF-8,
    /// RFC 8914 §2; anything else is read lossily). `None` when shorter than the code.
    pub(super) fn read(data: &[u8]) -> Option<ExtendedError> {
        let code = u16::from_be_bytes([*data.first()?, *data.get(1)?]);
        let text = String::from_utf8_lossy(data.get(2..).unwrap_or_default());
        // RFC 8914 §2: "EXTRA-TEXT ... SHOULD NOT be null terminated", but some are.
        Some(ExtendedError::new(code, text.trim_end_matches('\0')))
    }

    /// The option data to send: INFO-CODE and EXTRA-TEXT.
    pub(super) fn option_data(&self) -> Vec<u8> {
        [&self.code.to_be_bytes()[..], self.text.as_bytes()].concat()
    }

    /// The registry name of the code, e.g. "No Reachable Authority" for 22.
    pub fn name(&self) -> Option<&'static str> {
        NAMES.get(usize::from(self.code)).copied()
    }

    /// True for the codes that say DNSSEC validation failed or could not be done (1–12, 25, 27).
    pub fn is_dnssec(&self) -> bool {
        matches!(self.code, 1..=2 | 5..=12 | 25 | 27)
    }
}

/// "No Reachable Authority (22): at delegation example.com.", or without the text
/// when there is none; a code outside the table is "Extended DNS Error 45".
impl fmt::Display for ExtendedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => write!(f, "{name} ({})", self.code)?,
            None => write!(f, "Extended DNS Error {}", self.code)?,
        }
        if !self.text.is_empty() {
            write!(f, ": {}", self.text)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_display() {
        assert_eq!(ExtendedError::new(22, "no servers").to_string(), "No Reachable Authority (22): no servers");
        assert_eq!(ExtendedError::new(6, "").to_string(), "DNSSEC Bogus (6)");
        assert_eq!(ExtendedError::new(29, "").name(), Some("Synthesized"));
        assert_eq!(ExtendedError::new(49152, "x").to_string(), "Extended DNS Error 49152: x");
        assert!(ExtendedError::new(6, "").is_dnssec() && !ExtendedError::new(22, "").is_dnssec());
    }

    #[test]
    fn text_is_plain_and_capped() {
        let e = ExtendedError::new(0, " a\nb\u{202e}c\u{7}\t ");
        assert_eq!(e.text, "abc");
        let long = ExtendedError::new(0, &"é".repeat(500));
        assert_eq!(long.text.chars().count(), EXTRA_TEXT_MAX_CHARS);
        assert!(long.text.ends_with('…'));
        // Cleaning is idempotent, cut texts included.
        assert_eq!(ExtendedError::new(0, &long.text), long);
        let exact = "x".repeat(EXTRA_TEXT_MAX_CHARS);
        assert_eq!(ExtendedError::new(0, &exact).text, exact);
    }

    #[test]
    fn reads_option_data() {
        assert_eq!(ExtendedError::read(b"\x00\x16x\0"), Some(ExtendedError::new(22, "x")));
        assert_eq!(ExtendedError::read(b"\x00\x06"), Some(ExtendedError::new(6, "")));
        assert_eq!(ExtendedError::read(b"\x00"), None);
        assert_eq!(ExtendedError::read(b"\x00\x01\xff"), Some(ExtendedError::new(1, "\u{fffd}")));
    }
}
