//! Text and characters quoted in messages, as `{:?}` would show them
//! (`"v=spf1"`, `'$'`, `'\u{200b}'`), without `Debug`: `str`/`char` `Debug`
//! pulls core's `escape_debug` and its Unicode "printable" and
//! grapheme-extend tables into the wasm build.
//!
//! Escaped: the quote and backslash, NUL/tab/CR/LF, every control character, and
//! whitespace and invisible format characters a reader could not see or
//! tell apart (no-break and other spaces, zero-width characters, bidi
//! controls, variation selectors, the byte-order mark). Everything else is
//! shown as it is, like `Debug` shows printable characters.

use std::fmt::{self, Write};

/// `"text"` for a message.
pub struct Quoted<'a>(pub &'a str);

/// `'c'` for a message.
pub struct QuotedChar(pub char);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\'' => f.write_char('\'')?,
                c => write_escaped(f, c)?,
            }
        }
        f.write_char('"')
    }
}

impl fmt::Display for QuotedChar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('\'')?;
        match self.0 {
            '\'' => f.write_str("\\'")?,
            '"' => f.write_char('"')?,
            c => write_escaped(f, c)?,
        }
        f.write_char('\'')
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, c: char) -> fmt::Result {
    match c {
        '\\' => f.write_str("\\\\"),
        '\0' => f.write_str("\\0"),
        '\t' => f.write_str("\\t"),
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        c if c.is_control() || is_invisible(c) || (c.is_whitespace() && c != ' ') => {
            write!(f, "\\u{{{:x}}}", u32::from(c))
        }
        c => f.write_char(c),
    }
}

/// Format characters (Unicode general category Cf) and fillers that render as
/// nothing: soft hyphen, Arabic letter mark, Mongolian vowel separator,
/// zero-width space/joiners and direction marks, bidi embeddings and isolates,
/// word joiner and invisible operators, variation selectors, the BOM,
/// interlinear annotation marks, tags.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{61C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{E0000}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

#[cfg(test)]
mod tests {
    use super::{Quoted, QuotedChar};

    /// Same as `Debug` for everything these messages quote in practice.
    #[test]
    fn like_debug() {
        let texts = [
            "v=spf1",
            "say \"hi\"",
            "it's",
            "back\\slash",
            "tab\there",
            "line\nbreak\r",
            "\u{1}\u{7f}\u{85}",
            "\u{201c}v=spf1",
            "bücher",
            "日本語",
            "zero\u{200b}width",
            "bom\u{feff}",
            "nbsp\u{a0}here",
            "",
        ];
        for t in texts {
            assert_eq!(Quoted(t).to_string(), format!("{t:?}"), "{t:?}");
        }
        for c in ['$', '\'', '"', '\\', ' ', '\t', '\u{0}', '\u{200d}', '\u{3000}', 'ü', '\u{ff0f}', '😀'] {
            assert_eq!(QuotedChar(c).to_string(), format!("{c:?}"), "{c:?}");
        }
    }
}
