//! The `rua` and `ruf` lists: RFC 9989 §4.8 `dmarc-urilist`, each entry an
//! RFC 3986 URI, optionally followed by the obsolete `!size`.
//!
//! Every entry that is not a URI is a problem with its offset and is left out
//! of the record, so nothing downstream (the fallback of §4.10.1, the
//! external-destination queries) ever sees it.

use std::ops::Range;

use super::parse::{is_wsp, problem};
use super::{DmarcErrorKind, DmarcParseError, ReportUri};
use crate::quote::{Quoted, QuotedChar};

/// `dmarc-urilist = (dmarc-uri / obs-dmarc-uri) *(*WSP "," *WSP (dmarc-uri / obs-dmarc-uri))`.
pub(super) fn read_uris(
    tag: &str,
    value: &str,
    value_at: usize,
    problems: &mut Vec<DmarcParseError>,
) -> Vec<ReportUri> {
    let mut out = Vec::new();
    let mut start = 0;
    let pieces: Vec<&str> = value.split(',').collect();
    for (i, piece) in pieces.iter().enumerate() {
        let lead = piece.len() - piece.trim_start_matches(is_wsp).len();
        let item = piece.trim_matches(is_wsp);
        let at = value_at + start + lead;
        start += piece.len() + 1;
        if item.is_empty() {
            // The stray comma: the one before this empty entry, or after it when it is the first.
            let comma = if i == 0 { value_at + piece.len() } else { value_at + start - piece.len() - 2 };
            problems.push(problem(
                DmarcErrorKind::InvalidUri,
                comma..comma + 1,
                Some(tag),
                format!("The {tag}= list has an empty entry (a stray comma); remove the comma."),
            ));
            continue;
        }
        if let Some(uri) = read_uri(tag, item, at, problems) {
            out.push(uri);
        }
    }
    out
}

/// One list entry at byte `at`: a valid URI, or `None` after recording why not.
fn read_uri(tag: &str, item: &str, at: usize, problems: &mut Vec<DmarcParseError>) -> Option<ReportUri> {
    let span = at..at + item.len();
    // §4.8: "commas (ASCII 0x2C) and exclamation points (ASCII 0x21) MUST be
    // encoded" in a URI, so the first "!" can only start the obsolete size.
    let (uri, size) = match item.split_once('!') {
        Some((u, s)) => (u, Some(s)),
        None => (item, None),
    };
    if let Some(size) = size {
        let bang = at + uri.len();
        if !is_size(size) {
            problems.push(problem(
                DmarcErrorKind::InvalidUri,
                bang..span.end,
                Some(tag),
                format!(
                    "{} is not a size limit (digits, then optionally k, m, g or t), and a \"!\" inside a URI must be \
                     written %21, so {} is not a valid URI; receivers ignore it.",
                    Quoted(&item[uri.len()..]),
                    Quoted(item)
                ),
            ));
            return None;
        }
        problems.push(problem(
            DmarcErrorKind::SizeSuffix,
            bang..span.end,
            Some(tag),
            format!("The size limit \"!{size}\" is obsolete; RFC 9989 receivers ignore it."),
        ));
    }
    let Some(scheme) = uri_scheme(uri) else {
        let message = if uri.contains('@') {
            format!("\"{uri}\" is an email address, not a URI; receivers ignore it. Write mailto:{uri}.")
        } else {
            format!("\"{uri}\" is not a URI; receivers ignore it. Write mailto: followed by an email address.")
        };
        problems.push(problem(DmarcErrorKind::NotAUri, span, Some(tag), message));
        return None;
    };
    if let Some((i, c)) = first_non_uri_char(uri) {
        problems.push(problem(
            DmarcErrorKind::InvalidUri,
            at + i..at + i + c.len_utf8(),
            Some(tag),
            format!(
                "{} at position {} cannot appear in a URI (RFC 3986), so {} is not a valid URI; receivers ignore it.",
                QuotedChar(c),
                at + i + 1,
                Quoted(uri)
            ),
        ));
        return None;
    }
    let candidate = ReportUri { uri: uri.to_string(), size_limit: size.map(str::to_string) };
    if !scheme.eq_ignore_ascii_case("mailto") {
        problems.push(problem(
            DmarcErrorKind::NotMailto,
            span,
            Some(tag),
            format!(
                "\"{uri}\" uses {scheme}:, which receivers need not support (only mailto: is required); most will send nothing there."
            ),
        ));
        return Some(candidate);
    }
    mailto_problem(tag, uri, span, problems).is_none().then_some(candidate)
}

/// Why a `mailto:` URI has no usable address, recorded as a problem; `None` when it has one.
fn mailto_problem(tag: &str, uri: &str, span: Range<usize>, problems: &mut Vec<DmarcParseError>) -> Option<()> {
    let addr = uri.get(7..).unwrap_or("");
    let addr = addr.split('?').next().unwrap_or(addr);
    let (kind, message) = match addr.rsplit_once('@') {
        None => (DmarcErrorKind::InvalidValue, format!("\"{uri}\" has no email address after mailto:.")),
        Some(("", _)) => {
            (DmarcErrorKind::InvalidUri, format!("\"{uri}\" has nothing before the @; receivers ignore it."))
        }
        Some((_, domain)) if !is_host(domain) => (
            DmarcErrorKind::InvalidUri,
            format!("{} after the @ in \"{uri}\" is not a domain name; receivers ignore this address.", Quoted(domain)),
        ),
        Some(_) => return None,
    };
    problems.push(problem(kind, span, Some(tag), message));
    Some(())
}

/// `1*DIGIT [ "k" / "m" / "g" / "t" ]` (§4.8 `obs-dmarc-report-size`; ABNF letters are case-insensitive).
pub(super) fn is_size(s: &str) -> bool {
    let digits = s.strip_suffix(['k', 'm', 'g', 't', 'K', 'M', 'G', 'T']).unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// RFC 3986 §3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` before ':'.
fn uri_scheme(uri: &str) -> Option<&str> {
    let (scheme, rest) = uri.split_once(':')?;
    let mut bytes = scheme.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    (first_ok && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.') && !rest.is_empty())
        .then_some(scheme)
}

/// The first character (with its byte index) that RFC 3986 §2 does not allow
/// in a URI: outside unreserved, gen-delims and sub-delims, or a `%` not
/// followed by two hex digits.
fn first_non_uri_char(uri: &str) -> Option<(usize, char)> {
    let bytes = uri.as_bytes();
    uri.char_indices().find(|&(i, c)| match c {
        'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' => false,
        ':' | '/' | '?' | '#' | '[' | ']' | '@' => false,
        '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';' | '=' => false,
        '%' => {
            !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        }
        _ => true,
    })
}

/// A host a report can be mailed to: dot-separated labels of letters,
/// digits, `-` and `_` (1 to 63 bytes, no `-` at either end), at most 253
/// bytes, one optional trailing dot; or an address literal in brackets.
pub(crate) fn is_host(domain: &str) -> bool {
    if domain.len() > 2 && domain.starts_with('[') && domain.ends_with(']') {
        return true;
    }
    let name = domain.strip_suffix('.').unwrap_or(domain);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}
