//! The error every text parser returns: what is wrong (a kind enum of the
//! parser's own), where (a byte offset into the text, so the page can point at
//! it), and words for the person who typed or published the text.

use std::fmt;

/// A parse error of kind `K`. The message is what `Display` prints.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParseError<K> {
    pub kind: K,
    /// Byte offset in the text where the problem is.
    pub offset: usize,
    pub message: String,
}

impl<K> ParseError<K> {
    pub fn new(kind: K, offset: usize, message: impl Into<String>) -> ParseError<K> {
        ParseError { kind, offset, message: message.into() }
    }
}

impl<K> fmt::Display for ParseError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl<K: fmt::Debug> std::error::Error for ParseError<K> {}

/// Whitespace-separated words with their byte offsets (for parsers that
/// report where a bad word starts).
pub fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}
