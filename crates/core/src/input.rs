//! What the person typed → a domain name we can query.
//!
//! Accepts a bare domain, an IDN in Unicode, an email address, or a URL, and
//! says how it read it ("took the domain from the email address"). Anything
//! that cannot be a domain gets an [`InputError`] with a kind, the byte
//! offset in what was typed, and a message a person understands; no query
//! is made for it.

use crate::parse_error::ParseError;
use crate::quote::QuotedChar;

#[cfg(not(target_arch = "wasm32"))]
mod native;
pub mod punycode;

#[cfg(not(target_arch = "wasm32"))]
pub use native::NativeIdna;

finding_codes! {
    /// The finding codes of this check; text form `input.<name>`.
    pub enum InputCode: Input, "input" {
        PublicSuffix = "public-suffix",
    }
}

/// UTS #46 ToASCII for names typed in Unicode ("bücher.de", "ÖBB.at",
/// "日本語。jp"), as the WHATWG URL standard's "domain to ASCII" runs it:
/// non-transitional ("faß.de" → "xn--fa-hia.de"), CheckBidi and
/// CheckJoiners on, CheckHyphens and VerifyDnsLength off (this module checks
/// lengths itself).
///
/// Injected so the wasm build can use the browser's URL parser and ship no
/// Unicode tables: [`NativeIdna`] (the `idna` crate) natively,
/// `ui::idna::BrowserIdna` in the page.
pub trait IdnaMapper {
    /// The A-label form of `domain`, or [`IdnaError`] when UTS #46 refuses it.
    /// Called only with text [`parse_domain`] has checked: non-empty, no
    /// whitespace or control characters, and of ASCII only letters, digits,
    /// '-', '.' and '_'.
    fn to_ascii(&self, domain: &str) -> Result<String, IdnaError>;
}

impl std::fmt::Debug for dyn IdnaMapper + '_ {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdnaMapper")
    }
}

/// UTS #46 refused the name (a disallowed character, a bidi or joiner rule, a bad "xn--" label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdnaError;

/// Longest domain name in presentation form without the trailing dot (RFC 1035 §2.3.4: 255 octets on the wire).
pub const MAX_NAME_LEN: usize = 253;
/// Longest label (RFC 1035 §2.3.4).
pub const MAX_LABEL_LEN: usize = 63;

/// A checked, normalised domain name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainInput {
    /// ASCII (A-label) form, lower case, no trailing dot: what we query.
    pub ascii: String,
    /// Unicode form for display (same as `ascii` for non-IDN names).
    pub unicode: String,
    /// How the input was read, for the page to show ("took the host from the URL").
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputErrorKind {
    Empty,
    Whitespace,
    IllegalCharacter,
    EmptyLabel,
    LabelTooLong,
    NameTooLong,
    SingleLabel,
    Idna,
    IpAddress,
}

/// Why the input is not a domain; the offset is into the original input.
pub type InputError = ParseError<InputErrorKind>;

fn error(kind: InputErrorKind, offset: usize, message: impl Into<String>) -> InputError {
    ParseError::new(kind, offset, message)
}

/// Reads a domain from a domain, email address or URL; `idna` maps a name
/// typed in Unicode to its A-labels.
pub fn parse_domain(input: &str, idna: &dyn IdnaMapper) -> Result<DomainInput, InputError> {
    let mut notes = Vec::new();
    let lead = input.len() - input.trim_start().len();
    let text = input.trim();
    if text.is_empty() {
        return Err(error(InputErrorKind::Empty, 0, "Type a domain name, such as example.com."));
    }
    let (start, host) = host_part(text, lead, &mut notes);
    check_typed_host(host, start)?;
    let ascii = if host.is_ascii() {
        host.to_ascii_lowercase()
    } else {
        let a = idna.to_ascii(host).map_err(|_| {
            error(InputErrorKind::Idna, start, format!("{host} is not a valid international domain name."))
        })?;
        notes.push(format!("International name: queried as {a}"));
        a
    };
    check_ascii_name(host, &ascii, start)?;
    let unicode = to_unicode(&ascii, idna).unwrap_or_else(|| ascii.clone());
    if host != ascii && host.is_ascii() {
        notes.push(format!("Lower-cased to {ascii}"));
    }
    Ok(DomainInput { ascii, unicode, notes })
}

/// The host name in what was typed (a URL's host, an address's domain, a
/// name with a path cut off) and its offset in the input; says what it did in `notes`.
fn host_part<'a>(text: &'a str, lead: usize, notes: &mut Vec<String>) -> (usize, &'a str) {
    let (mut start, mut host) = (lead, text);
    if let Some(pos) = host.find("://") {
        let after = &host[pos + 3..];
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let authority = &after[..end];
        let userinfo_end = authority.rfind('@').map(|i| i + 1).unwrap_or(0);
        let hostport = &authority[userinfo_end..];
        let host_end =
            if hostport.starts_with('[') { hostport.len() } else { hostport.find(':').unwrap_or(hostport.len()) };
        start += pos + 3 + userinfo_end;
        host = &hostport[..host_end];
        notes.push(format!("Took the host name from the URL: {host}"));
    } else if let Some(at) = host.rfind('@') {
        let local = host[..at].strip_prefix("mailto:").unwrap_or(&host[..at]);
        start += at + 1;
        host = &host[at + 1..];
        if local.is_empty() {
            notes.push(format!("Read {host} as the domain"));
        } else {
            notes.push(format!("Took the domain from the email address: {host}"));
        }
    } else if let Some(slash) = host.find('/') {
        // "example.com/path" without a scheme
        host = &host[..slash];
        notes.push(format!("Ignored the path after {host}"));
    }
    (start, host.strip_suffix('.').unwrap_or(host))
}

/// What no host name may hold, as typed: spaces, nothing at all, an IP
/// address, characters outside host names (non-ASCII goes on to IDNA).
fn check_typed_host(host: &str, start: usize) -> Result<(), InputError> {
    if let Some(ws) = host.find(char::is_whitespace) {
        return Err(error(InputErrorKind::Whitespace, start + ws, "A domain name cannot contain spaces."));
    }
    if host.is_empty() {
        return Err(error(InputErrorKind::Empty, start, "There is no domain name in what you typed."));
    }
    if host.starts_with('[') || host.parse::<std::net::IpAddr>().is_ok() {
        return Err(ip_address_error(start));
    }
    for (i, c) in host.char_indices() {
        // Any non-ASCII character but a control goes on to IDNA, which judges it.
        let ok = is_host_char(c) || (!c.is_ascii() && !c.is_control());
        if !ok {
            return Err(error(
                InputErrorKind::IllegalCharacter,
                start + i,
                format!("A domain name cannot contain {} (position {}).", QuotedChar(c), start + i + 1),
            ));
        }
    }
    Ok(())
}

/// The ASCII name DNS will be asked about, checked against RFC 1035's limits;
/// errors point at the typed label they come from.
fn check_ascii_name(host: &str, ascii: &str, start: usize) -> Result<(), InputError> {
    // IDNA can turn "ß" into "ss" and "。" into ".", so offsets into `ascii` are not
    // offsets into what was typed: point at the start of the matching typed label.
    let typed_labels = label_starts(host);
    let typed_offset = |ascii_at: usize| {
        let index = ascii.get(..ascii_at).map_or(0, |before| before.matches('.').count());
        start + typed_labels.get(index).copied().unwrap_or(0)
    };
    // UTS #46 maps some symbols to ASCII that no host name may hold ("／" to "/", "㈃" to "(3)").
    if let Some((i, c)) = ascii.char_indices().find(|&(_, c)| !is_host_char(c)) {
        return Err(error(
            InputErrorKind::IllegalCharacter,
            typed_offset(i),
            format!(
                "{host} turns into {ascii} as an international name, and a domain name cannot contain {}.",
                QuotedChar(c)
            ),
        ));
    }
    if ascii.parse::<std::net::IpAddr>().is_ok() {
        return Err(ip_address_error(start));
    }
    let mut ascii_at = 0;
    for label in ascii.split('.') {
        let offset = typed_offset(ascii_at);
        ascii_at += label.len() + 1;
        if label.is_empty() {
            return Err(error(
                InputErrorKind::EmptyLabel,
                offset,
                "A domain name cannot have two dots in a row or start with a dot.",
            ));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(error(
                InputErrorKind::LabelTooLong,
                offset,
                format!(
                    "The part {label:.20}… is {} characters long; DNS allows at most {MAX_LABEL_LEN}.",
                    label.len()
                ),
            ));
        }
    }
    if ascii.len() > MAX_NAME_LEN {
        return Err(error(
            InputErrorKind::NameTooLong,
            start,
            format!("The name is {} characters long; DNS allows at most {MAX_NAME_LEN}.", ascii.len()),
        ));
    }
    if !ascii.contains('.') {
        return Err(error(
            InputErrorKind::SingleLabel,
            start,
            format!("{ascii} has no dot; type the full domain, such as {ascii}.com."),
        ));
    }
    Ok(())
}

/// The Unicode form of a name with "xn--" labels (RFC 3492 decoding), shown
/// only when IDNA turns it back into the same name: an "xn--" label can decode
/// to text IDNA refuses (e.g. one that starts with "xn--" again, or holds
/// upper case). `None`: no "xn--" label, or not a valid round trip.
fn to_unicode(ascii: &str, idna: &dyn IdnaMapper) -> Option<String> {
    if !ascii.split('.').any(|l| l.starts_with("xn--")) {
        return None;
    }
    // A loop, not a collect into Option (see the MX report's lookups).
    let mut labels: Vec<String> = Vec::new();
    for label in ascii.split('.') {
        labels.push(match label.strip_prefix("xn--") {
            Some(encoded) => punycode::decode(encoded)?,
            None => label.to_string(),
        });
    }
    let unicode = labels.join(".");
    // The mapper is promised checked text (a browser's URL parser reads some characters itself).
    if unicode.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    idna.to_ascii(&unicode).is_ok_and(|back| back == ascii).then_some(unicode)
}

/// What a host name (or an SRV-style `_label`) may hold once in ASCII form.
fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_'
}

fn ip_address_error(offset: usize) -> InputError {
    error(
        InputErrorKind::IpAddress,
        offset,
        "That is an IP address. Type the domain you send mail from (after the @); put the server's IP in the sending IP field.",
    )
}

/// Byte offsets where each label of a typed host starts. UTS #46 §2.3 maps the
/// ideographic and fullwidth full stops to ".", so they separate labels too.
fn label_starts(host: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        host.char_indices().filter(|(_, c)| matches!(c, '.' | '。' | '．' | '｡')).map(|(i, c)| i + c.len_utf8()),
    );
    starts
}

#[cfg(test)]
mod tests {
    use super::*;
    use InputErrorKind::*;

    #[test]
    fn accepted_forms() {
        let cases = [
            ("example.com", "example.com"),
            ("  Example.COM.  ", "example.com"),
            ("alice@example.org", "example.org"),
            ("mailto:bob@mail.example.net", "mail.example.net"),
            ("https://user:pw@www.example.com:8443/path?q#f", "www.example.com"),
            ("example.com/some/path", "example.com"),
            ("bücher.example", "xn--bcher-kva.example"),
            ("_dmarc.example.com", "_dmarc.example.com"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_domain(input, &NativeIdna).map(|d| d.ascii), Ok(want.to_string()), "{input}");
        }
        assert_eq!(parse_domain("xn--bcher-kva.example", &NativeIdna).unwrap().unicode, "bücher.example");
        // Found by fuzzing: this A-label decodes to a U-label that starts with "xn--", which
        // IDNA refuses; the display form stays ASCII, so it reads back as the same domain.
        let odd = parse_domain("xn--xn--bcher-her-kvfoo.example", &NativeIdna).unwrap();
        assert_eq!(odd.unicode, odd.ascii);
        assert_eq!(parse_domain(&odd.unicode, &NativeIdna).unwrap().ascii, odd.ascii);
    }

    #[test]
    fn rejected_forms() {
        let long_label = format!("{}.com", "a".repeat(64));
        let long_name = format!("{}com", "abcdefghi.".repeat(26));
        let cases: [(&str, InputErrorKind, usize); 14] = [
            ("", Empty, 0),
            ("   ", Empty, 0),
            ("exa mple.com", Whitespace, 3),
            ("exa$mple.com", IllegalCharacter, 3),
            ("a..com", EmptyLabel, 2),
            (&long_label, LabelTooLong, 0),
            (&long_name, NameTooLong, 0),
            ("localhost", SingleLabel, 0),
            ("192.0.2.1", IpAddress, 0),
            // Found by fuzzing: offsets must point into what was typed, not into the
            // IDNA form ("ß" becomes "ss", "。" becomes "."), and an address hidden
            // behind a character IDNA drops (U+FE0F) is still an address.
            ("ßed..au", EmptyLabel, 5),
            ("a\u{3002}.org", EmptyLabel, 4),
            ("182.0.2.1\u{fe0f}", IpAddress, 0),
            // ... and what IDNA maps to ASCII a host name cannot hold is refused.
            ("example.com\u{ff0f}", IllegalCharacter, 8),
            ("a\u{3203}.org", IllegalCharacter, 0),
        ];
        for (input, kind, offset) in cases {
            let e = parse_domain(input, &NativeIdna).unwrap_err();
            assert_eq!((e.kind, e.offset), (kind, offset), "{input}: {}", e.message);
            assert!(!e.message.is_empty());
        }
    }
}
