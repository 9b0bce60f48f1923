//! Small, panic-free scanners for the pieces of a reply, log line or bounce:
//! reply codes, enhanced codes, IP addresses, host names, mail addresses,
//! and RFC 3464 DSN fields.
//!
//! All searches that need case-insensitivity run over an ASCII-lower-cased
//! copy of the text: `to_ascii_lowercase` keeps every byte offset, so an
//! index found in the copy is a valid char boundary in the original.

use std::net::IpAddr;

use super::status::{is_reply_code, EnhancedStatus};

/// Byte offset of `needle` (lower case) in `text`, ignoring ASCII case.
pub fn find_ci(text: &str, needle: &str) -> Option<usize> {
    text.to_ascii_lowercase().find(needle)
}

/// The text after the first case-insensitive `needle`, if present.
pub fn after_ci<'a>(text: &'a str, needle: &str) -> Option<&'a str> {
    let at = find_ci(text, needle)?;
    text.get(at + needle.len()..)
}

/// Longest enhanced code (`5.123.123`) plus room to see where it ends: the
/// scan never looks further, so a run of `4.4.4.4…` costs nothing extra.
const ENHANCED_WINDOW: usize = 16;

/// An enhanced status code that starts exactly at the beginning of `s` and
/// ends at a word boundary (not the head of `4.4.2.1`, an IP or a version).
/// Returns it and its length in bytes.
pub fn enhanced_at(s: &str) -> Option<(EnhancedStatus, usize)> {
    let window = s.as_bytes().iter().take(ENHANCED_WINDOW);
    let len = window.take_while(|b| b.is_ascii_digit() || **b == b'.').count();
    let candidate = s.get(..len)?;
    let trimmed = candidate.trim_end_matches('.');
    // "4.4.2.1" or a window full of digits: a version or an address, not a status.
    if (candidate.len() - trimmed.len() > 1) || len == ENHANCED_WINDOW {
        return None;
    }
    let status = trimmed.parse::<EnhancedStatus>().ok()?;
    let next = s.as_bytes().get(len);
    if next.is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'-' && trimmed.len() == len) {
        return None;
    }
    Some((status, trimmed.len()))
}

/// An enhanced code in a status context of one line: at the start of the
/// line (after white space, quotes, `(`, `>` or `#`), or right after a `#`
/// anywhere (`#5.1.0`, Exchange's `#< #5.0.0 smtp; …>`).
pub fn line_status(line: &str) -> Option<EnhancedStatus> {
    let start = line.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '>' | '"' | '\'' | '(' | '#'));
    if let Some((e, _)) = enhanced_at(start) {
        return Some(e);
    }
    line.match_indices('#').find_map(|(i, _)| line.get(i + 1..).and_then(enhanced_at)).map(|(e, _)| e)
}

/// The first enhanced code in a status context in `text`, line by line.
pub fn find_line_status(text: &str) -> Option<EnhancedStatus> {
    text.lines().find_map(line_status)
}

/// A `Status:` or `dsn=` value: the code it starts with.
pub fn status_value(value: &str) -> Option<EnhancedStatus> {
    enhanced_at(value.trim_start()).map(|(e, _)| e)
}

/// A reply line's head: `421-4.7.0 text`, `421 text`, `421` — the basic code,
/// whether it continues (`-`), the enhanced code if any, and the rest.
/// Also `550 #5.1.0 text` (Exchange) and `550: 5.2.2 text` (Yahoo).
pub struct ReplyHead<'a> {
    pub code: u16,
    pub continues: bool,
    pub enhanced: Option<EnhancedStatus>,
    pub rest: &'a str,
}

pub fn reply_head(s: &str) -> Option<ReplyHead<'_>> {
    let digits = s.get(..3)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code: u16 = digits.parse().ok()?;
    if !is_reply_code(code) {
        return None;
    }
    let tail = s.get(3..).unwrap_or("");
    let continues = tail.starts_with('-');
    let colon = tail.starts_with(": ");
    if !(tail.is_empty() || continues || colon || tail.starts_with(|c: char| c.is_whitespace())) {
        return None;
    }
    let after = tail.get(1..).unwrap_or("").trim_start();
    let code_text = after.strip_prefix('#').unwrap_or(after);
    match enhanced_at(code_text) {
        Some((e, len)) => {
            let rest = code_text.get(len..).unwrap_or("");
            if rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '>')) {
                Some(ReplyHead { code, continues, enhanced: Some(e), rest: rest.trim() })
            } else {
                Some(ReplyHead { code, continues, enhanced: None, rest: after.trim() })
            }
        }
        // "550: text" without a code after the colon is prose, not a reply.
        None if colon => None,
        None => Some(ReplyHead { code, continues, enhanced: None, rest: after.trim() }),
    }
}

/// Removes repeated `421-4.7.0` / `421 4.7.0` heads that logs leave in the
/// middle of a joined multi-line reply, and normalises whitespace.
pub fn strip_inline_heads(text: &str, code: u16, enhanced: Option<EnhancedStatus>) -> String {
    let code_s = code.to_string();
    let dash = format!("{code}-");
    let enh = enhanced.map(|e| e.to_string());
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<&str> = Vec::with_capacity(words.len());
    let mut i = 0;
    while let Some(&w) = words.get(i) {
        let is_enh = |x: &str| enh.as_deref() == Some(x);
        if w.strip_prefix(&dash).is_some_and(|r| r.is_empty() || is_enh(r)) {
            i += 1;
            continue;
        }
        if w == code_s && words.get(i + 1).is_some_and(|n| is_enh(n)) {
            i += 2;
            continue;
        }
        out.push(w);
        i += 1;
    }
    out.join(" ")
}

/// Every IP address written in `s` (IPv4 dotted quads, IPv6 with colons,
/// Postfix's `IPv6:` prefix), in order, without repeats.
pub fn ips(s: &str) -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = Vec::new();
    for token in s.split(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':')) {
        let t = token.trim_matches(|c| c == '.' || c == ':');
        if t.len() < 7 {
            continue;
        }
        // "192.0.2.1:25": an IPv4 address with a port.
        let parsed = t
            .parse::<IpAddr>()
            .ok()
            .or_else(|| t.split(':').next()?.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4));
        if let Some(ip) = parsed {
            if !ip.is_unspecified() && !out.contains(&ip) {
                out.push(ip);
            }
        }
    }
    out
}

fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_'
}

/// A plausible host name: dots, letters in the last label, no IP literal.
pub fn is_host_name(s: &str) -> bool {
    let s = s.trim_end_matches('.');
    s.contains('.')
        && s.len() <= 253
        && s.chars().all(is_host_char)
        && s.rsplit('.').next().is_some_and(|tld| tld.chars().any(|c| c.is_ascii_alphabetic()))
        && s.parse::<IpAddr>().is_err()
        && !s.split('.').any(str::is_empty)
}

/// The text between `[` at byte `open` and the next `]`, if that is within
/// `max` bytes: bounded, so text full of `[` cannot make scanning quadratic.
fn bracketed(s: &str, open: usize, max: usize) -> Option<&str> {
    let rest = s.get(open + 1..)?;
    let close = rest.bytes().take(max).position(|b| b == b']')?;
    rest.get(..close)
}

/// `host[ip]` (Postfix) or `H=host [ip]` (Exim): the first such pair.
pub fn host_bracket_ip(s: &str) -> Option<(String, Option<IpAddr>)> {
    for (i, _) in s.match_indices('[') {
        // "IPv6:" and the longest IPv6 text fit in 64 bytes.
        let Some(inside) = bracketed(s, i, 64) else { continue };
        let inside = inside.trim();
        let inside = inside.strip_prefix("IPv6:").or_else(|| inside.strip_prefix("ipv6:")).unwrap_or(inside);
        let ip = inside.parse::<IpAddr>().ok();
        let before = s.get(..i).unwrap_or("");
        // Postfix: name glued to the bracket. Exim: "H=name [ip]". Names are at most 253 bytes.
        let glued: String = before
            .chars()
            .rev()
            .take(254)
            .take_while(|&c| is_host_char(c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let name = if !glued.is_empty() {
            glued
        } else {
            // Exim: "H=name [ip]" in logs, "host name [ip]" in bounce bodies.
            // Only the last 300 bytes: a name is at most 253, and a long line
            // of brackets must not be rescanned from its start each time.
            let mut from = before.len().saturating_sub(300);
            while !before.is_char_boundary(from) {
                from += 1;
            }
            let near = before.get(from..).unwrap_or("").trim_end();
            let (head, word) = near.rsplit_once(char::is_whitespace).unwrap_or(("", near));
            let after_host =
                head.len() >= 4 && head.get(head.len() - 4..).is_some_and(|h| h.eq_ignore_ascii_case("host"));
            word.strip_prefix("H=").or(after_host.then_some(word)).unwrap_or("").to_string()
        };
        if is_host_name(&name) && (ip.is_some() || inside.is_empty()) {
            return Some((name.trim_end_matches('.').to_ascii_lowercase(), ip));
        }
    }
    None
}

/// `[host. ip: reason]` (Gmail's bounces): the first such pair.
pub fn bracket_host_space_ip(s: &str) -> Option<(String, IpAddr)> {
    for (i, _) in s.match_indices('[') {
        let Some(inside) = bracketed(s, i, 400) else { continue };
        let mut words = inside.split_whitespace();
        let (Some(name), Some(addr)) = (words.next(), words.next()) else { continue };
        let name = name.trim_end_matches('.');
        let addr = addr.trim_end_matches([':', ',']);
        if let (true, Ok(ip)) = (is_host_name(name), addr.parse::<IpAddr>()) {
            return Some((name.to_ascii_lowercase(), ip));
        }
    }
    None
}

fn is_local_part_char(c: char) -> bool {
    c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c)
}

/// The first mail address in `s` (`user@domain`), without angle brackets.
pub fn first_email(s: &str) -> Option<String> {
    for (at, _) in s.match_indices('@') {
        let before = s.get(..at).unwrap_or("");
        let local: String =
            before.chars().rev().take_while(|&c| is_local_part_char(c)).collect::<Vec<_>>().into_iter().rev().collect();
        let local = local.trim_start_matches(['\'', '.']);
        let after = s.get(at + 1..).unwrap_or("");
        let domain: String = after.chars().take_while(|&c| c.is_alphanumeric() || c == '.' || c == '-').collect();
        let domain = domain.trim_end_matches('.');
        if !local.is_empty() && domain.contains('.') {
            return Some(format!("{local}@{domain}"));
        }
    }
    None
}

/// The domain of a mail address, checked and normalised like user input.
pub fn domain_of(address: &str, idna: &dyn crate::input::IdnaMapper) -> Option<String> {
    crate::input::parse_domain(address, idna).ok().map(|d| d.ascii)
}

/// RFC 3464 §2.2–2.3 fields we read (per-message and per-recipient).
const DSN_FIELDS: &[&str] = &[
    "reporting-mta",
    "final-recipient",
    "original-recipient",
    "action",
    "status",
    "remote-mta",
    "diagnostic-code",
    "x-postfix-sender",
    "x-original-sender",
];

/// DSN fields of the text as (lower-case name, value); continuation lines
/// (starting with white space, RFC 3464 §2.1 uses RFC 822 folding) are joined.
pub fn dsn_fields(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut open = false;
    for line in text.lines() {
        if open && line.starts_with([' ', '\t']) && !line.trim().is_empty() {
            if let Some((_, value)) = out.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        open = false;
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            if DSN_FIELDS.contains(&name.as_str()) {
                out.push((name, value.trim().to_string()));
                open = true;
            }
        }
    }
    out
}

/// The first value of a DSN field.
pub fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// `rfc822; bob@example.com` → `bob@example.com`; `smtp; 421 …` → `421 …`
/// (RFC 3464 §2.1.2: typed fields are "type ; value").
pub fn strip_type(value: &str) -> &str {
    match value.split_once(';') {
        Some((kind, rest))
            if !kind.trim().is_empty() && kind.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            rest.trim()
        }
        _ => value.trim(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enhanced_codes_stand_alone() {
        assert_eq!(status_value(" 4.4.2, status=deferred").map(|e| e.to_string()), Some("4.4.2".into()));
        assert_eq!(enhanced_at("4.4.2.1 of the thing"), None);
        assert_eq!(enhanced_at("4.1.8-GA"), None);
        assert_eq!(enhanced_at("5.7.1."), Some(("5.7.1".parse().unwrap(), 5)));
        assert_eq!(line_status("  #5.1.0 Address rejected"), Some("5.1.0".parse().unwrap()));
        assert_eq!(line_status("X-Mailer: Apple Mail (2.753.1)"), None);
        assert_eq!(find_line_status("MOS 4.1.8-GA\nrelease 4.4.2 is out"), None);
    }

    #[test]
    fn reply_heads() {
        let h = reply_head("550 #5.1.0 Address rejected").unwrap();
        assert_eq!(
            (h.code, h.enhanced.map(|e| e.to_string()), h.rest),
            (550, Some("5.1.0".into()), "Address rejected")
        );
        let h = reply_head("550: 5.2.2 mailbox full").unwrap();
        assert_eq!(h.enhanced.map(|e| e.to_string()), Some("5.2.2".into()));
        assert!(reply_head("550: apples").is_none());
    }

    #[test]
    fn hosts_ips_addresses() {
        assert_eq!(
            host_bracket_ip("relay=mx.example.com[192.0.2.1]:25, delay"),
            Some(("mx.example.com".into(), Some("192.0.2.1".parse().unwrap())))
        );
        assert_eq!(
            host_bracket_ip("H=mx.example.net [2001:db8::25]: SMTP"),
            Some(("mx.example.net".into(), Some("2001:db8::25".parse().unwrap())))
        );
        assert_eq!(host_bracket_ip("host mail.x.org[IPv6:2001:db8::1] said").map(|h| h.1.is_some()), Some(true));
        assert_eq!(ips("at 12:00:00 from [192.0.2.9  15] and ::"), vec!["192.0.2.9".parse::<IpAddr>().unwrap()]);
        assert_eq!(first_email("to=<Bob.Smith@Example.COM>, relay"), Some("Bob.Smith@Example.COM".into()));
        assert_eq!(first_email("no address @ here"), None);
        assert_eq!(strip_type("rfc822; bob@example.com"), "bob@example.com");
        assert_eq!(strip_type("smtp; 421 4.4.2 x; y"), "421 4.4.2 x; y");
    }
}
