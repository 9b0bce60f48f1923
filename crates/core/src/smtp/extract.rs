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

/// An enhanced status code that starts exactly at the beginning of `s` and
/// ends at a word boundary. Returns it and its length in bytes.
pub fn enhanced_at(s: &str) -> Option<(EnhancedStatus, usize)> {
    let len = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let candidate = s.get(..len)?.trim_end_matches('.');
    let status = candidate.parse::<EnhancedStatus>().ok()?;
    Some((status, candidate.len()))
}

/// The first enhanced status code standing alone as a word anywhere in `s`
/// (not part of a version number or an IP address).
pub fn find_enhanced(s: &str) -> Option<EnhancedStatus> {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if !matches!(b, b'2' | b'4' | b'5') {
            continue;
        }
        let before_ok = i == 0 || bytes.get(i - 1).is_some_and(|p| !(p.is_ascii_alphanumeric() || *p == b'.'));
        if !before_ok {
            continue;
        }
        if let Some((status, len)) = s.get(i..).and_then(enhanced_at) {
            // "4.4.2" must not be the head of "4.4.2.1" (an IP or version).
            let next = bytes.get(i + len);
            let after_ok = match next {
                None => true,
                Some(b'.') => !bytes.get(i + len + 1).is_some_and(u8::is_ascii_digit),
                Some(n) => !n.is_ascii_alphanumeric(),
            };
            if after_ok {
                return Some(status);
            }
        }
    }
    None
}

/// A reply line's head: `421-4.7.0 text`, `421 text`, `421` — the basic code,
/// whether it continues (`-`), the enhanced code if any, and the rest.
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
    if !(tail.is_empty() || continues || tail.starts_with(|c: char| c.is_whitespace())) {
        return None;
    }
    let after = tail.get(1..).unwrap_or("").trim_start();
    match enhanced_at(after) {
        Some((e, len)) => {
            let rest = after.get(len..).unwrap_or("");
            if rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == ',' || c == ';') {
                Some(ReplyHead { code, continues, enhanced: Some(e), rest: rest.trim() })
            } else {
                Some(ReplyHead { code, continues, enhanced: None, rest: after.trim() })
            }
        }
        None => Some(ReplyHead { code, continues, enhanced: None, rest: after.trim() }),
    }
}

/// A reply found in text: code, enhanced code, and the joined text lines.
pub struct FoundReply {
    pub code: u16,
    pub enhanced: Option<EnhancedStatus>,
    pub text: String,
}

/// Finds the first SMTP reply in `segment`. A three-digit code counts when it
/// starts a line (after quotes, `>` or spaces), or anywhere when an enhanced
/// code of the same class follows it — a bare number in prose does not.
/// Continuation lines (`421-…` then `421 …`, RFC 5321 §4.2.1) are joined,
/// also when a log has put them on one line.
pub fn find_reply(segment: &str) -> Option<FoundReply> {
    let lines: Vec<&str> = segment.lines().collect();
    for (idx, line) in lines.iter().enumerate() {
        let start = line.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '>' | '"' | '\'' | '(' | '['));
        let mut head = reply_head(start);
        if head.is_none() {
            head = find_reply_mid_line(line);
        }
        let Some(head) = head else { continue };
        let mut parts = vec![head.rest.to_string()];
        let mut continues = head.continues;
        for next in lines.iter().skip(idx + 1) {
            if !continues {
                break;
            }
            match reply_head(next.trim_start()) {
                Some(h) if h.code == head.code => {
                    parts.push(h.rest.to_string());
                    continues = h.continues;
                }
                _ => break,
            }
        }
        let text = strip_inline_heads(&parts.join(" "), head.code, head.enhanced);
        return Some(FoundReply { code: head.code, enhanced: head.enhanced, text });
    }
    None
}

/// `…: 421 4.7.0 text` inside a line: only with an enhanced code whose class
/// matches the basic code's first digit, so prose numbers do not count.
fn find_reply_mid_line(line: &str) -> Option<ReplyHead<'_>> {
    let bytes = line.as_bytes();
    for i in 1..bytes.len() {
        let prev = bytes.get(i - 1).copied().unwrap_or(b' ');
        if prev.is_ascii_alphanumeric() || prev == b'.' || prev == b'-' {
            continue;
        }
        if let Some(h) = line.get(i..).and_then(reply_head) {
            if h.enhanced.is_some_and(|e| u16::from(e.class) == h.code / 100) {
                return Some(h);
            }
        }
    }
    None
}

/// Removes repeated `421-4.7.0` / `421 4.7.0` heads that logs leave in the
/// middle of a joined multi-line reply, and normalises whitespace.
fn strip_inline_heads(text: &str, code: u16, enhanced: Option<EnhancedStatus>) -> String {
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
            let word = before.trim_end().rsplit(char::is_whitespace).next().unwrap_or("");
            word.strip_prefix("H=").unwrap_or("").to_string()
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
        assert_eq!(find_enhanced("dsn=4.4.2, status=deferred").map(|e| e.to_string()), Some("4.4.2".into()));
        assert_eq!(find_enhanced("version 4.4.2.1 of the thing"), None);
        assert_eq!(find_enhanced("ip 192.4.4.2"), None);
        assert_eq!(find_enhanced("code 5.7.1."), Some("5.7.1".parse().unwrap()));
    }

    #[test]
    fn replies_single_multi_and_joined() {
        let r = find_reply("421-4.7.0 first\n421-4.7.0 second\n421 4.7.0 third\n250 ok").unwrap();
        assert_eq!((r.code, r.text.as_str()), (421, "first second third"));
        let r = find_reply("said: 421-4.7.28 [192.0.2.1] Our system 421-4.7.28 has detected").unwrap();
        assert_eq!(r.text, "[192.0.2.1] Our system has detected");
        assert!(find_reply("we sold 421 apples today").is_none());
        let r = find_reply("554 Transaction failed").unwrap();
        assert_eq!((r.code, r.enhanced), (554, None));
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
