//! The SPF macro language (RFC 7208 §7): parsing macro-strings and expanding them.
//!
//! ```text
//! macro-string = *( macro-expand / macro-literal )
//! macro-expand = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
//! macro-literal = %x21-24 / %x26-7E      ; visible characters except "%"
//! macro-letter = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" / "r" / "t" / "v"
//! transformers = *DIGIT [ "r" ]
//! delimiter    = "." / "-" / "+" / "," / "/" / "_" / "="
//! ```

use crate::quote::QuotedChar;
use std::fmt;
use std::net::IpAddr;

use super::error::{perr, SpfErrorKind, SpfParseError};

/// Longest domain name we build from an expansion (RFC 7208 §7.3: "if the
/// expanded domain name exceeds 253 characters … the left side is truncated").
pub const MAX_EXPANDED_NAME: usize = 253;

/// What a macro letter stands for (RFC 7208 §7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum MacroLetter {
    /// `s`: the sender, `local-part@domain`.
    Sender,
    /// `l`: the local-part of the sender.
    LocalPart,
    /// `o`: the domain of the sender.
    SenderDomain,
    /// `d`: the domain being checked right now.
    Domain,
    /// `i`: the client IP, as dotted octets or dotted nibbles.
    Ip,
    /// `p`: the validated domain name of the client IP (discouraged, §7.3).
    ValidatedName,
    /// `v`: `in-addr` for IPv4, `ip6` for IPv6.
    IpVersion,
    /// `h`: the HELO/EHLO domain.
    Helo,
    /// `c`: the client IP in its usual text form (explanations only).
    ClientIp,
    /// `r`: the receiving host's name (explanations only).
    Receiver,
    /// `t`: the current time in seconds (explanations only).
    Timestamp,
}

impl MacroLetter {
    pub fn from_char(c: char) -> Option<MacroLetter> {
        Some(match c.to_ascii_lowercase() {
            's' => MacroLetter::Sender,
            'l' => MacroLetter::LocalPart,
            'o' => MacroLetter::SenderDomain,
            'd' => MacroLetter::Domain,
            'i' => MacroLetter::Ip,
            'p' => MacroLetter::ValidatedName,
            'v' => MacroLetter::IpVersion,
            'h' => MacroLetter::Helo,
            'c' => MacroLetter::ClientIp,
            'r' => MacroLetter::Receiver,
            't' => MacroLetter::Timestamp,
            _ => return None,
        })
    }

    pub fn as_char(self) -> char {
        match self {
            MacroLetter::Sender => 's',
            MacroLetter::LocalPart => 'l',
            MacroLetter::SenderDomain => 'o',
            MacroLetter::Domain => 'd',
            MacroLetter::Ip => 'i',
            MacroLetter::ValidatedName => 'p',
            MacroLetter::IpVersion => 'v',
            MacroLetter::Helo => 'h',
            MacroLetter::ClientIp => 'c',
            MacroLetter::Receiver => 'r',
            MacroLetter::Timestamp => 't',
        }
    }

    /// RFC 7208 §7.2: "The following macro letters are allowed only in "exp" text: c, r, t".
    pub fn only_in_explanations(self) -> bool {
        matches!(self, MacroLetter::ClientIp | MacroLetter::Receiver | MacroLetter::Timestamp)
    }
}

/// One `%{…}` expansion.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct MacroExpand {
    pub letter: MacroLetter,
    /// Written in upper case: the value is URL-escaped (RFC 7208 §7.3).
    pub url_escape: bool,
    /// Keep only this many right-hand parts (never 0).
    pub digits: Option<u32>,
    pub reverse: bool,
    /// Characters to split the value on; empty means ".".
    pub delimiters: String,
}

/// A piece of a macro-string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub enum MacroPart {
    /// Text taken as it is (never contains `%`).
    Literal(String),
    Expand(MacroExpand),
    /// `%%`: a percent sign.
    Percent,
    /// `%_`: a space.
    Space,
    /// `%-`: `%20`.
    UrlSpace,
}

impl MacroPart {
    pub fn is_macro(&self) -> bool {
        !matches!(self, MacroPart::Literal(_))
    }
}

/// A parsed macro-string. Adjacent literal text is kept as one part.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct MacroString {
    pub parts: Vec<MacroPart>,
}

/// Where a macro-string appears: this decides which characters and letters are allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MacroSyntax {
    /// A domain-spec of a mechanism, `redirect=` or `exp=`: no `c`, `r`, `t`.
    DomainSpec,
    /// The value of an unknown modifier: never expanded, any letter accepted.
    ModifierValue,
    /// The TXT record `exp=` points to (`explain-string`): spaces allowed, all letters.
    Explanation,
}

impl MacroString {
    /// Parses `text`; `base` is the byte offset of `text` in the record, for errors.
    pub fn parse(text: &str, base: usize, syntax: MacroSyntax) -> Result<MacroString, SpfParseError> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '%' {
                let allowed = ('!'..='~').contains(&c) || (c == ' ' && syntax == MacroSyntax::Explanation);
                if !allowed {
                    return Err(perr(
                        SpfErrorKind::BadCharacter,
                        base + i,
                        format!("{} cannot appear here: only visible ASCII characters are allowed", QuotedChar(c)),
                    ));
                }
                literal.push(c);
                continue;
            }
            let part = match chars.next() {
                Some((_, '%')) => MacroPart::Percent,
                Some((_, '_')) => MacroPart::Space,
                Some((_, '-')) => MacroPart::UrlSpace,
                Some((_, '{')) => {
                    let close = text.get(i..).and_then(|rest| rest.find('}')).map(|p| i + p);
                    let Some(close) = close else {
                        return Err(perr(
                            SpfErrorKind::BadMacro,
                            base + i,
                            format!("the macro starting at \"{}\" has no closing '}}'", text.get(i..).unwrap_or("")),
                        ));
                    };
                    let body = text.get(i + 2..close).unwrap_or("");
                    let expand = parse_expand(body, base + i, syntax)?;
                    while chars.peek().is_some_and(|&(j, _)| j <= close) {
                        chars.next();
                    }
                    MacroPart::Expand(expand)
                }
                Some((_, other)) => {
                    return Err(perr(
                        SpfErrorKind::BadMacro,
                        base + i,
                        format!(
                            "'%{other}' is not a macro: '%' must be followed by '{{', '%', '_' or '-' (write %% for a percent sign)"
                        ),
                    ))
                }
                None => {
                    return Err(perr(
                        SpfErrorKind::BadMacro,
                        base + i,
                        "a lone '%' at the end: write %% for a percent sign",
                    ))
                }
            };
            if !literal.is_empty() {
                parts.push(MacroPart::Literal(std::mem::take(&mut literal)));
            }
            parts.push(part);
        }
        if !literal.is_empty() {
            parts.push(MacroPart::Literal(literal));
        }
        Ok(MacroString { parts })
    }

    pub fn has_macros(&self) -> bool {
        self.parts.iter().any(MacroPart::is_macro)
    }

    pub fn uses(&self, letter: MacroLetter) -> bool {
        self.parts.iter().any(|p| matches!(p, MacroPart::Expand(e) if e.letter == letter))
    }

    /// Expands the string (RFC 7208 §7.3).
    pub fn expand(&self, values: &MacroValues<'_>) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                MacroPart::Literal(l) => out.push_str(l),
                MacroPart::Percent => out.push('%'),
                MacroPart::Space => out.push(' '),
                MacroPart::UrlSpace => out.push_str("%20"),
                MacroPart::Expand(e) => out.push_str(&expand_one(e, values)),
            }
        }
        out
    }
}

fn parse_expand(body: &str, offset: usize, syntax: MacroSyntax) -> Result<MacroExpand, SpfParseError> {
    let mut chars = body.chars().peekable();
    let Some(letter_char) = chars.next() else {
        return Err(perr(SpfErrorKind::BadMacro, offset, "'%{}' is empty: a macro needs a letter, like %{d}"));
    };
    let Some(letter) = MacroLetter::from_char(letter_char) else {
        return Err(perr(
            SpfErrorKind::BadMacro,
            offset,
            format!("%{{{body}}}: '{letter_char}' is not a macro letter (use s, l, o, d, i, p, v or h)"),
        ));
    };
    if letter.only_in_explanations() && syntax == MacroSyntax::DomainSpec {
        return Err(perr(
            SpfErrorKind::BadMacro,
            offset,
            format!("%{{{body}}}: the '{letter_char}' macro is only allowed in explanation text, not in a domain"),
        ));
    }
    let mut digits_text = String::new();
    while let Some(&c) = chars.peek() {
        if !c.is_ascii_digit() {
            break;
        }
        digits_text.push(c);
        chars.next();
    }
    let digits = if digits_text.is_empty() {
        None
    } else {
        // Long digit strings saturate: keeping "all parts" is what any huge count means.
        let n = digits_text.bytes().fold(0u32, |acc, d| acc.saturating_mul(10).saturating_add(u32::from(d - b'0')));
        if n == 0 {
            return Err(perr(
                SpfErrorKind::BadMacro,
                offset,
                format!("%{{{body}}}: the number of parts to keep must not be 0 (RFC 7208 §7.3)"),
            ));
        }
        Some(n)
    };
    let reverse = chars.peek().is_some_and(|c| c.eq_ignore_ascii_case(&'r'));
    if reverse {
        chars.next();
    }
    let mut delimiters = String::new();
    for c in chars {
        if !matches!(c, '.' | '-' | '+' | ',' | '/' | '_' | '=') {
            return Err(perr(
                SpfErrorKind::BadMacro,
                offset,
                format!("%{{{body}}}: {} is not a delimiter (allowed: . - + , / _ =)", QuotedChar(c)),
            ));
        }
        delimiters.push(c);
    }
    Ok(MacroExpand { letter, url_escape: letter_char.is_ascii_uppercase(), digits, reverse, delimiters })
}

impl fmt::Display for MacroExpand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.letter.as_char();
        let c = if self.url_escape { c.to_ascii_uppercase() } else { c };
        write!(f, "%{{{c}")?;
        if let Some(d) = self.digits {
            write!(f, "{d}")?;
        }
        if self.reverse {
            f.write_str("r")?;
        }
        write!(f, "{}}}", self.delimiters)
    }
}

impl fmt::Display for MacroString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for part in &self.parts {
            match part {
                MacroPart::Literal(l) => f.write_str(l)?,
                MacroPart::Percent => f.write_str("%%")?,
                MacroPart::Space => f.write_str("%_")?,
                MacroPart::UrlSpace => f.write_str("%-")?,
                MacroPart::Expand(e) => write!(f, "{e}")?,
            }
        }
        Ok(())
    }
}

/// The values macros expand to during one check_host() run.
#[derive(Debug, Clone)]
pub struct MacroValues<'a> {
    /// `<sender>`, with `postmaster` already substituted for a missing local-part.
    pub sender: &'a str,
    /// The `<domain>` currently evaluated.
    pub domain: &'a str,
    /// The client IP, IPv4-mapped addresses already turned into IPv4.
    pub ip: IpAddr,
    pub helo: &'a str,
    /// The `p` value, when the caller computed it (it needs DNS); "unknown" otherwise.
    pub validated_name: Option<&'a str>,
    /// `r`: the receiving host; "unknown" if not known.
    pub receiver: &'a str,
    /// `t`: seconds since the epoch.
    pub timestamp: u64,
}

impl MacroValues<'_> {
    fn local_part(&self) -> &str {
        match self.sender.rfind('@') {
            Some(at) => self.sender.get(..at).unwrap_or(""),
            None => "postmaster",
        }
    }

    fn sender_domain(&self) -> &str {
        match self.sender.rfind('@') {
            Some(at) => self.sender.get(at + 1..).unwrap_or(""),
            None => self.sender,
        }
    }

    fn raw(&self, letter: MacroLetter) -> String {
        match letter {
            MacroLetter::Sender => self.sender.to_string(),
            MacroLetter::LocalPart => self.local_part().to_string(),
            MacroLetter::SenderDomain => self.sender_domain().to_string(),
            MacroLetter::Domain => self.domain.to_string(),
            MacroLetter::Ip => dotted_ip(self.ip),
            MacroLetter::ValidatedName => self.validated_name.unwrap_or("unknown").to_string(),
            MacroLetter::IpVersion => match self.ip {
                IpAddr::V4(_) => "in-addr".to_string(),
                IpAddr::V6(_) => "ip6".to_string(),
            },
            MacroLetter::Helo => self.helo.to_string(),
            MacroLetter::ClientIp => self.ip.to_string(),
            MacroLetter::Receiver => self.receiver.to_string(),
            MacroLetter::Timestamp => self.timestamp.to_string(),
        }
    }
}

/// `%{i}`: dotted octets for IPv4, 32 dotted nibbles for IPv6 (RFC 7208 §7.3).
/// Nibbles are upper-case, as the openspf suite expects (`v-macro-ip6`);
/// DNS compares names case-insensitively, so queries are unaffected.
fn dotted_ip(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let mut out = String::with_capacity(63);
            for byte in v6.octets() {
                for nibble in [byte >> 4, byte & 0xf] {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0').to_ascii_uppercase());
                }
            }
            out
        }
    }
}

fn expand_one(e: &MacroExpand, values: &MacroValues<'_>) -> String {
    let raw = values.raw(e.letter);
    let transformed = if e.digits.is_none() && !e.reverse && e.delimiters.is_empty() {
        raw
    } else {
        let delims: Vec<char> = if e.delimiters.is_empty() { vec!['.'] } else { e.delimiters.chars().collect() };
        let mut parts: Vec<&str> = raw.split(|c| delims.contains(&c)).collect();
        if e.reverse {
            parts.reverse();
        }
        if let Some(n) = e.digits {
            let keep = usize::try_from(n).unwrap_or(usize::MAX).min(parts.len());
            parts.drain(..parts.len() - keep);
        }
        parts.join(".")
    };
    if e.url_escape {
        url_escape(&transformed)
    } else {
        transformed
    }
}

/// Percent-encodes everything but RFC 3986 "unreserved" characters (RFC 7208 §7.3).
pub fn url_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Shortens an expanded domain to at most 253 characters by dropping labels
/// from the left (RFC 7208 §7.3), and drops one trailing dot.
pub fn truncate_domain(name: &str) -> String {
    let mut name = name.strip_suffix('.').unwrap_or(name);
    while name.len() > MAX_EXPANDED_NAME {
        match name.find('.') {
            Some(dot) => name = name.get(dot + 1..).unwrap_or(""),
            None => return String::new(),
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(ip: &str) -> MacroValues<'static> {
        MacroValues {
            sender: "strong-bad@email.example.com",
            domain: "email.example.com",
            ip: ip.parse().unwrap(),
            helo: "mx.example.org",
            validated_name: None,
            receiver: "unknown",
            timestamp: 0,
        }
    }

    fn expand(text: &str, ip: &str) -> String {
        MacroString::parse(text, 0, MacroSyntax::Explanation).unwrap().expand(&values(ip))
    }

    /// The examples of RFC 7208 §7.4.
    #[test]
    fn rfc_examples() {
        let v4 = "192.0.2.3";
        for (text, want) in [
            ("%{s}", "strong-bad@email.example.com"),
            ("%{o}", "email.example.com"),
            ("%{d}", "email.example.com"),
            ("%{d4}", "email.example.com"),
            ("%{d3}", "email.example.com"),
            ("%{d2}", "example.com"),
            ("%{d1}", "com"),
            ("%{dr}", "com.example.email"),
            ("%{d2r}", "example.email"),
            ("%{l}", "strong-bad"),
            ("%{l-}", "strong.bad"),
            ("%{lr}", "strong-bad"),
            ("%{lr-}", "bad.strong"),
            ("%{l1r-}", "strong"),
            ("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com"),
            ("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com"),
            ("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"),
            ("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com"),
            ("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net"),
            ("%%%_%-", "% %20"),
        ] {
            assert_eq!(expand(text, v4), want, "{text}");
        }
        assert_eq!(
            expand("%{ir}.%{v}._spf.%{d2}", "2001:db8::cb01").to_ascii_lowercase(),
            "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com"
        );
    }

    #[test]
    fn upper_case_letters_url_escape() {
        let mut v = values("192.0.2.3");
        v.sender = "~jack&jill=up-a_b3.c@e8.example.com";
        let m = MacroString::parse("%{L}", 0, MacroSyntax::DomainSpec).unwrap();
        assert_eq!(m.expand(&v), "~jack%26jill%3Dup-a_b3.c");
    }

    #[test]
    fn syntax_errors_say_where_and_why() {
        for (text, offset) in
            [("a%b", 1), ("%{x}", 0), ("foo%", 3), ("%{d0}", 0), ("%{d", 0), ("%{d!}", 0), ("%{c}", 0)]
        {
            let e = MacroString::parse(text, 0, MacroSyntax::DomainSpec).unwrap_err();
            assert_eq!(e.offset, offset, "{text}: {e}");
            assert!(!e.message.is_empty());
        }
        assert!(MacroString::parse("%{c} %{r} %{t}", 0, MacroSyntax::Explanation).is_ok());
    }

    #[test]
    fn display_round_trips() {
        for text in ["%{d2r+-}.x", "%{L}%%%_%-a", "%{ir}.%{v}.%{D}", "plain"] {
            let m = MacroString::parse(text, 0, MacroSyntax::DomainSpec).unwrap();
            assert_eq!(m.to_string(), text);
        }
    }

    #[test]
    fn truncation_drops_left_labels() {
        let long = format!("{}.example.com", "a23456789.".repeat(30));
        let t = truncate_domain(&long);
        assert!(t.len() <= 253 && t.ends_with(".example.com") && !t.starts_with('.'));
        assert_eq!(truncate_domain("example.com."), "example.com");
    }
}
