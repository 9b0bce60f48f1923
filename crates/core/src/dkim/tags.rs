//! The DKIM tag-list syntax (RFC 6376 §3.2), shared by the key record
//! (§3.6.1) and the `DKIM-Signature` header field (§3.5): `name=value`
//! parts separated by `;`, with byte positions so errors can point.

use std::ops::Range;

/// One `name=value` part of a tag list, with where each half sits in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagSpec<'a> {
    pub name: &'a str,
    pub name_at: usize,
    /// The value, surrounding whitespace trimmed (internal FWS kept).
    pub value: &'a str,
    pub value_at: usize,
}

impl TagSpec<'_> {
    pub fn value_span(&self) -> Range<usize> {
        self.value_at..self.value_at + self.value.len()
    }
}

/// A part between semicolons that is not a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPart {
    pub at: usize,
    pub text: String,
    /// True when the part has `=` but its name is not `ALPHA *(ALPHA / DIGIT / "_")`.
    pub bad_name: bool,
}

/// Whitespace as tag lists allow it: WSP, and the CR/LF of folding (FWS).
pub fn is_fws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Splits `text` into tag specs. Empty parts (`;;`, a trailing `;`) are
/// skipped: the grammar allows a trailing `;`, and receivers shrug at `;;`.
pub fn split_tags(text: &str) -> Vec<Result<TagSpec<'_>, BadPart>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split(';') {
        let at = start + (piece.len() - piece.trim_start_matches(is_fws).len());
        start += piece.len() + 1;
        let trimmed = piece.trim_matches(is_fws);
        if trimmed.is_empty() {
            continue;
        }
        let Some((raw_name, raw_value)) = trimmed.split_once('=') else {
            out.push(Err(BadPart { at, text: trimmed.to_string(), bad_name: false }));
            continue;
        };
        let name = raw_name.trim_end_matches(is_fws);
        if !is_tag_name(name) {
            out.push(Err(BadPart { at, text: trimmed.to_string(), bad_name: true }));
            continue;
        }
        let value = raw_value.trim_matches(is_fws);
        let value_at = at + raw_name.len() + 1 + (raw_value.len() - raw_value.trim_start_matches(is_fws).len());
        out.push(Ok(TagSpec { name, name_at: at, value, value_at }));
    }
    out
}

/// `tag-name = ALPHA *ALNUMPUNC` (RFC 6376 §3.2).
fn is_tag_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic()) && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// The first byte of `value` (starting at `value_at` in the text) that is
/// neither VALCHAR (`%x21-3A / %x3C-7E`) nor whitespace, as a text offset.
pub fn bad_value_char(value: &str, value_at: usize) -> Option<(usize, char)> {
    value
        .char_indices()
        .find(|&(_, c)| !(is_fws(c) || (('\x21'..='\x7e').contains(&c) && c != ';')))
        .map(|(i, c)| (value_at + i, c))
}

/// Where tag `name`'s value sits in `text`, if the tag is there.
pub fn tag_value_span(text: &str, name: &str) -> Option<Range<usize>> {
    split_tags(text).into_iter().flatten().find(|t| t.name == name).map(|t| t.value_span())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_with_positions() {
        let text = " v=DKIM1 ; k = rsa;;p=AB CD ;";
        let tags: Vec<_> = split_tags(text).into_iter().map(|t| t.unwrap()).collect();
        assert_eq!(tags.len(), 3);
        assert_eq!((tags[0].name, tags[0].name_at, tags[0].value, tags[0].value_at), ("v", 1, "DKIM1", 3));
        assert_eq!((tags[1].name, tags[1].value, &text[tags[1].value_span()]), ("k", "rsa", "rsa"));
        assert_eq!(&text[tags[2].value_span()], "AB CD");
        assert_eq!(tag_value_span(text, "p"), Some(22..27));
        let bad = split_tags("x; 1a=b");
        assert!(matches!(&bad[0], Err(BadPart { at: 0, bad_name: false, .. })));
        assert!(matches!(&bad[1], Err(BadPart { at: 3, bad_name: true, .. })));
    }
}
