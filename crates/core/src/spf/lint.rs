//! Findings about one SPF record's text, without DNS: syntax errors,
//! risky or deprecated terms, characters that copy-paste introduced, and the
//! size limits of TXT strings and of UDP answers.

use super::record::{Mechanism, Modifier, ParsedRecord, Qualifier, SpfErrorKind, SpfParseError, SpfRecord, Term};
use crate::dns::Lookup;
use crate::finding::{Finding, Severity};
use crate::quote::Quoted;
use crate::spf::SpfCode;

/// RFC 1035 §3.3: a character-string holds at most 255 octets.
pub const MAX_STRING_OCTETS: usize = 255;
/// RFC 7208 §3.4: keep the answer within 512 octets of UDP; "a record of about 450 octets" is the practical bound.
pub const MAX_RECORD_OCTETS: usize = 450;

/// An SPF finding (the one constructor the SPF modules share).
pub(crate) fn finding(code: SpfCode, severity: Severity, message: impl Into<String>) -> Finding {
    Finding::new(code, severity, message)
}

/// The finding for a record that does not parse; the code depends on what is wrong.
pub fn syntax_finding(domain: &str, text: &str, err: &SpfParseError, lookup: Option<&Lookup>) -> Finding {
    // The span covers the whole term the error is in.
    let at = err.offset.min(text.len());
    let start = text.get(..at).and_then(|head| head.rfind(' ')).map_or(0, |p| p + 1);
    let end = text.get(at..).and_then(|rest| rest.find(' ')).map_or(text.len(), |e| at + e);
    let span = start..end.max(start);
    let mut f = match err.kind {
        SpfErrorKind::NonAscii | SpfErrorKind::BadCharacter => finding(
            SpfCode::BadCharacters,
            Severity::Error,
            format!("The SPF record of {domain} has a bad character: {}. Receivers treat it as broken (permerror).", err.message),
        )
        .rfc(7208, "4.6.1")
        .hint("Retype it by hand in your DNS provider's form: straight quotes, plain spaces."),
        SpfErrorKind::Version => finding(
            SpfCode::Version,
            Severity::Error,
            format!("The SPF record of {domain} does not start correctly: {}.", err.message),
        )
        .rfc(7208, "4.5")
        .hint("Start the record with exactly \"v=spf1\" and a space."),
        SpfErrorKind::DuplicateModifier => finding(
            SpfCode::DuplicateModifier,
            Severity::Error,
            format!("The SPF record of {domain} is invalid: {}. Receivers return permerror.", err.message),
        )
        .rfc(7208, "6")
        .hint("Keep one redirect= and one exp= at most."),
        _ => finding(
            SpfCode::Syntax,
            Severity::Error,
            format!(
                "The SPF record of {domain} has a syntax error at position {}: {}. Receivers discard the whole record (permerror).",
                err.offset + 1,
                err.message
            ),
        )
        .rfc(7208, "4.6")
        .hint("Fix the term shown; one bad term breaks the record."),
    };
    f = f.span_in(text, span);
    if let Some(l) = lookup {
        f = f.evidence(l);
    }
    f
}

/// Findings about a parsed record. `root` is false for records reached through include/redirect,
/// where only what breaks the including domain is reported.
pub fn lint_record(domain: &str, parsed: &ParsedRecord, root: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let record: &SpfRecord = &parsed.record;
    let mut all_seen = false;
    for (term, written, span) in parsed.located_terms() {
        match term {
            Term::Directive(d) => match &d.mechanism {
                Mechanism::Ptr(_) => out.push(
                    finding(
                        SpfCode::Ptr,
                        Severity::Warning,
                        format!("{written} in the SPF record of {domain} uses ptr, which RFC 7208 says not to use: slow, unreliable, and some receivers ignore it."),
                    )
                    .rfc(7208, "5.5")
                    .hint("List your sending servers with ip4:/ip6: or a: instead.")
                    .span_in(&parsed.text, span.clone()),
                ),
                Mechanism::All if !all_seen => {
                    all_seen = true;
                    let (severity, what) = match d.qualifier {
                        Qualifier::Pass => (Severity::Error, "lets every server on the internet send mail as"),
                        Qualifier::Neutral => (Severity::Warning, "says nothing about servers not listed for"),
                        _ => continue,
                    };
                    if !root && d.qualifier == Qualifier::Neutral {
                        continue;
                    }
                    out.push(
                        finding(
                            SpfCode::AllPermissive,
                            severity,
                            format!("{written} in the SPF record of {domain} {what} {domain}; it protects nothing."),
                        )
                        .rfc(7208, "5.1")
                        .hint("End the record with ~all (softfail) or -all (fail).")
                        .span_in(&parsed.text, span.clone()),
                    );
                }
                _ => {}
            },
            Term::Modifier(Modifier::Redirect(_)) if root && record.has_all() => out.push(
                finding(
                    SpfCode::RedirectIgnored,
                    Severity::Warning,
                    format!("{written} in the SPF record of {domain} is never used: the record's \"all\" always matches first."),
                )
                .rfc(7208, "6.1")
                .hint("Remove either the redirect= or the all mechanism.")
                .span_in(&parsed.text, span.clone()),
            ),
            _ => {}
        }
    }
    if root && !record.has_all() && record.redirect().is_none() {
        out.push(
            finding(
                SpfCode::NoAll,
                Severity::Warning,
                format!("The SPF record of {domain} ends without \"all\" or redirect=, so unlisted servers get \"neutral\", not unauthorised."),
            )
            .rfc(7208, "4.7")
            .hint("End the record with ~all or -all."),
        );
    }
    if root && parsed.text.len() > MAX_RECORD_OCTETS {
        out.push(
            finding(
                SpfCode::TooLong,
                Severity::Warning,
                format!("The SPF record of {domain} is {} characters. Over about {MAX_RECORD_OCTETS}, it may not fit one UDP packet, and some resolvers and DNS-over-HTTPS services fail to deliver it.", parsed.text.len()),
            )
            .rfc(7208, "3.4")
            .hint("Shorten it: replace lists of addresses with ip4 ranges, or move parts behind an include:."),
        );
    }
    out
}

/// Findings about the character-strings of a TXT record as typed or published.
pub fn lint_strings(domain: &str, strings: &[Vec<u8>]) -> Vec<Finding> {
    // A loop, not a map collected (see the MX report's lookups).
    let mut out = Vec::new();
    for (i, s) in strings.iter().enumerate().filter(|(_, s)| s.len() > MAX_STRING_OCTETS) {
        out.push(
            finding(
                SpfCode::LongString,
                Severity::Error,
                format!("String {} of the SPF record of {domain} is {} characters; a DNS string holds at most {MAX_STRING_OCTETS}, so DNS software truncates or rejects it.", i + 1, s.len()),
            )
            .rfc(7208, "3.3")
            .hint("Split it into quoted strings of at most 255 characters, e.g. \"v=spf1 … \" \"include:… -all\"; receivers join them without spaces."),
        );
    }
    out
}

/// What is wrong with a TXT record that looks like an SPF record but is not one (RFC 7208 §4.5 ignores it).
pub fn near_miss(domain: &str, text: &str) -> Option<Finding> {
    let lower = text.to_ascii_lowercase();
    let unquoted = text.trim_start_matches(['"', '\'', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', ' ', '\t']);
    if unquoted.len() != text.len() && unquoted.to_ascii_lowercase().starts_with("v=spf1") {
        return Some(
            finding(
                SpfCode::BadCharacters,
                Severity::Error,
                format!("A TXT record of {domain} has {} before v=spf1 (quotes or spaces stored in the value, often from a registrar form or copy-paste), so receivers do not see it as SPF.", Quoted(text.get(..text.len() - unquoted.len()).unwrap_or(""))),
            )
            .rfc(7208, "4.5")
            .hint("Enter the record without quotes, or with plain straight quotes if your DNS form requires them (those are not stored).")
            .span_in(text, 0..text.len() - unquoted.len()),
        );
    }
    let looks_like_spf = lower.contains("spf1") || (lower.starts_with("v=spf") && !lower.starts_with("v=spf2"));
    if !looks_like_spf {
        return None;
    }
    let why = if lower.starts_with("v=spf1") {
        "\"v=spf1\" must be followed by a space".to_string()
    } else if let Some(pos) = lower.find("v=spf1") {
        format!("\"v=spf1\" must come first, but it is at position {}", pos + 1)
    } else {
        format!("it starts with {} instead of \"v=spf1\"", Quoted(text.split(' ').next().unwrap_or("")))
    };
    Some(
        finding(
            SpfCode::Version,
            Severity::Error,
            format!("A TXT record of {domain} looks like SPF but is not: {why}. Receivers ignore it."),
        )
        .rfc(7208, "4.5")
        .hint("Start the record with exactly \"v=spf1\" followed by a space."),
    )
}

/// Lints a record a person typed or pasted (before publishing it), given as one string or as the
/// quoted strings of a zone file.
pub fn lint_text(domain: &str, strings: &[Vec<u8>]) -> Vec<Finding> {
    let mut out = lint_strings(domain, strings);
    let text = String::from_utf8_lossy(&strings.concat()).into_owned();
    if !super::select::is_spf_text(text.as_bytes()) {
        out.extend(near_miss(domain, &text).or_else(|| {
            Some(
                finding(
                    SpfCode::Version,
                    Severity::Error,
                    format!(
                        "This is not an SPF record: it must start with \"v=spf1\" (it starts with {}).",
                        Quoted(text.split(' ').next().unwrap_or(""))
                    ),
                )
                .rfc(7208, "4.5"),
            )
        }));
        return out;
    }
    match SpfRecord::parse_positioned(&text) {
        Err(e) => out.push(syntax_finding(domain, &text, &e, None)),
        Ok(parsed) => out.extend(lint_record(domain, &parsed, true)),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        lint_text("example.com", &[text.as_bytes().to_vec()]).iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn table_of_record_problems() {
        for (text, want) in [
            ("v=spf1 mx -all", vec![]),
            ("v=spf1 +all", vec!["spf.all-permissive"]),
            ("v=spf1 mx ?all", vec!["spf.all-permissive"]),
            ("v=spf1 mx", vec!["spf.no-all"]),
            ("v=spf1 ptr -all", vec!["spf.ptr"]),
            ("v=spf1 -all redirect=_spf.example.net", vec!["spf.redirect-ignored"]),
            ("v=spf1 redirect=_spf.example.net", vec![]),
            ("v=spf1 redirect=a.example redirect=b.example", vec!["spf.duplicate-modifier"]),
            ("v=spf1 ip4:192.168.1/24 -all", vec!["spf.syntax"]),
            ("v=spf1 mx\t-all", vec!["spf.bad-characters"]),
            ("v=spf1 mx \u{2013}all", vec!["spf.bad-characters"]),
            ("\"v=spf1 mx -all\"", vec!["spf.bad-characters"]),
            ("\u{201c}v=spf1 mx -all\u{201d}", vec!["spf.bad-characters"]),
            ("v=spf1mx -all", vec!["spf.version"]),
            ("mx v=spf1 -all", vec!["spf.version"]),
            ("spf1 mx -all", vec!["spf.version"]),
        ] {
            assert_eq!(codes(text), want, "{text}");
        }
    }

    #[test]
    fn size_limits() {
        let long = format!("v=spf1 {} -all", "ip4:192.0.2.1 ".repeat(35));
        assert_eq!(codes(&long), vec!["spf.long-string", "spf.too-long"]);
        let pieces: Vec<Vec<u8>> = long.as_bytes().chunks(200).map(<[u8]>::to_vec).collect();
        let f: Vec<_> = lint_text("example.com", &pieces).iter().map(|f| f.code.as_str()).collect();
        assert_eq!(f, vec!["spf.too-long"]);
    }

    #[test]
    fn syntax_findings_point_at_the_term() {
        let text = "v=spf1 mx ip4:192.168.1/24 -all";
        let f = &lint_text("example.com", &[text.as_bytes().to_vec()])[0];
        assert_eq!(f.span, Some(10..26));
        assert!(f.message.contains("the address has 3 octets, expected 4"), "{}", f.message);
    }
}
