//! Reading a DMARC record's text: the version test discovery uses
//! ([`version_match`]) and the tag-list reader ([`parse_dmarc`]).
//!
//! The tag-list rules are DKIM's (RFC 6376 §3.2), which RFC 9989 §4.7 keeps:
//! tag names are case-sensitive, a repeated tag invalidates the whole list,
//! and the only whitespace is SP and HTAB (RFC 5234 `WSP`), around `;` and `=`.

use std::ops::Range;

use super::uri::read_uris;
use super::{
    Alignment, DmarcErrorKind, DmarcParseError, DmarcRecord, FailureOption, ParsedDmarc, Policy, Psd, VersionMatch,
};
use crate::quote::{Quoted, QuotedChar};

/// RFC 5234 `WSP = SP / HTAB`: the only whitespace the grammar allows.
pub(super) fn is_wsp(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// `dmarc-value = %x20-3A / %x3C-7E`: printable ASCII and space (not `;`, which separates tags).
fn is_value_char(c: char) -> bool {
    c == ' ' || c.is_ascii_graphic()
}

pub(super) fn problem(kind: DmarcErrorKind, span: Range<usize>, tag: Option<&str>, message: String) -> DmarcParseError {
    DmarcParseError { kind, offset: span.start, span, tag: tag.map(str::to_string), message }
}

/// Classifies a TXT string for discovery: RFC 9989 §4.10 step 2, "Records
/// that do not start with a "v" tag that identifies the current version of
/// DMARC are discarded."
pub fn version_match(text: &str) -> VersionMatch {
    // Any Unicode whitespace here, so that a record behind a no-break space
    // or a line break is recognised as a look-alike and explained.
    let trimmed = text.trim_start();
    let (name, rest) = match trimmed.strip_prefix('v') {
        Some(rest) => ('v', rest),
        None => match trimmed.strip_prefix('V') {
            Some(rest) => ('V', rest),
            None => return VersionMatch::No,
        },
    };
    let rest = rest.trim_start_matches(is_wsp);
    let Some(rest) = rest.strip_prefix('=') else { return VersionMatch::No };
    let rest = rest.trim_start_matches(is_wsp);
    let Some(version) = rest.get(..6) else { return VersionMatch::No };
    let after = rest.get(6..).unwrap_or("").trim_start_matches(is_wsp);
    if !(after.is_empty() || after.starts_with(';')) {
        return VersionMatch::No;
    }
    if version == "DMARC1" && name == 'v' {
        if trimmed.len() == text.len() {
            VersionMatch::Exact
        } else {
            VersionMatch::AfterWhitespace
        }
    } else if version.eq_ignore_ascii_case("DMARC1") {
        VersionMatch::WrongCase
    } else {
        VersionMatch::No
    }
}

/// One `tag=value` part with positions (the value may be empty).
struct Part<'a> {
    name: &'a str,
    name_span: Range<usize>,
    value: &'a str,
    value_span: Range<usize>,
}

/// Reads a DMARC record the way a receiver does, collecting every problem.
pub fn parse_dmarc(text: &str) -> ParsedDmarc {
    let mut problems = Vec::new();
    if text.trim().is_empty() {
        problems.push(problem(DmarcErrorKind::Empty, 0..0, None, "The record is empty.".into()));
        return ParsedDmarc { record: None, problems };
    }
    let lead = text.len() - text.trim_start().len();
    match version_match(text) {
        VersionMatch::Exact => {}
        VersionMatch::AfterWhitespace => problems.push(leading_problem(text, lead)),
        VersionMatch::WrongCase => {
            let version_case = text[lead..].starts_with('v');
            let span = if version_case {
                let start = text.find(['D', 'd']).unwrap_or(lead);
                start..(start + 6).min(text.len())
            } else {
                lead..lead + 1
            };
            let message = if version_case {
                "The version must be exactly \"DMARC1\", in capitals; receivers ignore this record."
            } else {
                "The version tag must be a lower-case v (tag names are case-sensitive); strict receivers ignore \
                 this record, some accept it. Write v=DMARC1."
            };
            problems.push(problem(DmarcErrorKind::VersionCase, span, Some("v"), message.into()));
            return ParsedDmarc { record: None, problems };
        }
        VersionMatch::No => {
            problems.push(not_dmarc(text));
            return ParsedDmarc { record: None, problems };
        }
    }
    let record = read_tags(text, lead, &mut problems);
    ParsedDmarc { record: Some(record), problems }
}

/// "v=DMARC1" behind something else: RFC 9989 §4.7, the v tag "MUST be the first tag in the list".
fn leading_problem(text: &str, lead: usize) -> DmarcParseError {
    let first = text.chars().next().unwrap_or(' ');
    problem(
        DmarcErrorKind::LeadingWhitespace,
        0..lead,
        None,
        format!(
            "The record starts with {} before v=DMARC1, which must come first, so receivers do not take it as DMARC \
             at all. Remove what comes before it.",
            QuotedChar(first)
        ),
    )
}

fn not_dmarc(text: &str) -> DmarcParseError {
    // The commonest slip: "v=DMARC1 p=none" (no semicolon after the version).
    let missing_sep = text.starts_with("v=DMARC1") && text.len() > 8;
    let (span, message) = if missing_sep {
        (8..8, "v=DMARC1 must be followed by a semicolon (v=DMARC1; p=...).".to_string())
    } else {
        // The first eight characters (where v=DMARC1 belongs), ending on a character boundary.
        let end = text.char_indices().nth(8).map_or(text.len(), |(i, _)| i);
        (0..end, "A DMARC record must start with v=DMARC1.".to_string())
    };
    problem(DmarcErrorKind::NotDmarc, span, None, message)
}

/// Every tag after the version (which starts at `lead`), into a record.
fn read_tags(text: &str, lead: usize, problems: &mut Vec<DmarcParseError>) -> DmarcRecord {
    let mut record = DmarcRecord::default();
    let mut seen: Vec<(&str, Range<usize>)> = Vec::new();
    let mut repeated: Option<(String, Range<usize>, usize)> = None;
    let mut also_repeated: Vec<String> = Vec::new();
    for (index, part) in split_parts(text, lead, problems).into_iter().enumerate() {
        if index == 0 {
            // The version tag, already checked by version_match.
            seen.push((part.name, part.name_span));
            continue;
        }
        // RFC 6376 §3.2: "Tags MUST be interpreted in a case-sensitive manner", so "P" is not "p".
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == part.name) {
            match &repeated {
                None => {
                    repeated = Some((part.name.to_string(), part.name_span.start..part.value_span.end, first.start))
                }
                Some((n, ..)) if n != part.name && !also_repeated.iter().any(|a| a == part.name) => {
                    also_repeated.push(part.name.to_string())
                }
                Some(_) => {}
            }
            continue;
        }
        seen.push((part.name, part.name_span.clone()));
        read_part(&mut record, &part, problems);
    }
    if let Some((name, span, first)) = repeated {
        let also = if also_repeated.is_empty() {
            String::new()
        } else {
            format!(" ({} repeat too)", also_repeated.join(", "))
        };
        problems.push(problem(
            DmarcErrorKind::DuplicateTag,
            span,
            Some(&name.to_ascii_lowercase()),
            format!(
                "The tag \"{name}\" appears twice (first at position {}){also}. A repeated tag makes the whole record \
                 invalid, so receivers take no policy from it. Keep one.",
                first + 1
            ),
        ));
    }
    let p_mentioned = problems.iter().any(|p| p.tag.as_deref() == Some("p"));
    if record.p.is_none() && !p_mentioned {
        problems.push(problem(
            DmarcErrorKind::MissingPolicy,
            text.len()..text.len(),
            Some("p"),
            "There is no p= tag: receivers treat the record as p=none if it has a valid rua= address, and ignore it otherwise.".into(),
        ));
    }
    record
}

/// One part after the version: checks of the name, then the tag's own rules.
fn read_part(record: &mut DmarcRecord, part: &Part<'_>, problems: &mut Vec<DmarcParseError>) {
    let name = part.name;
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        let lower = name.to_ascii_lowercase();
        let known = KNOWN_TAGS.contains(&lower.as_str());
        problems.push(problem(
            DmarcErrorKind::TagCase,
            part.name_span.clone(),
            Some(name),
            format!(
                "Tag names are case-sensitive, so \"{name}\" is {}; strict receivers ignore it, others accept it. \
                 Write {lower}= in lower case.",
                if known { format!("not the tag \"{lower}\"") } else { "not a DMARC tag".to_string() }
            ),
        ));
        record.unknown.push((name.to_string(), part.value.to_string()));
        return;
    }
    if part.value.is_empty() {
        if matches!(name, "pct" | "rf" | "ri") {
            problems.push(legacy(name, part, Some("has no value")));
        } else {
            problems.push(problem(
                DmarcErrorKind::EmptyValue,
                part.name_span.start..part.value_span.end,
                Some(name),
                format!("The tag \"{name}\" has no value."),
            ));
        }
        return;
    }
    read_tag(record, name, part, problems);
}

/// Splits on `;` into parts with byte spans (offsets into `text`, from `lead`); bad parts become problems.
fn split_parts<'a>(text: &'a str, lead: usize, problems: &mut Vec<DmarcParseError>) -> Vec<Part<'a>> {
    let body = &text[lead..];
    let pieces: Vec<&str> = body.split(';').collect();
    let last = pieces.len() - 1;
    let mut parts = Vec::new();
    let mut start = lead;
    for (i, piece) in pieces.iter().enumerate() {
        let piece_start = start;
        start += piece.len() + 1;
        let trimmed = piece.trim_matches(is_wsp);
        let at = piece_start + piece.len() - piece.trim_start_matches(is_wsp).len();
        if trimmed.is_empty() {
            // dmarc-record = dmarc-version *(dmarc-sep dmarc-tag) [dmarc-sep]: one trailing ";" only.
            if i != last {
                let semicolon = piece_start + piece.len();
                problems.push(problem(
                    DmarcErrorKind::EmptyPart,
                    semicolon..semicolon + 1,
                    None,
                    "There is nothing between two semicolons here; remove the extra \";\".".into(),
                ));
            }
            continue;
        }
        if let Some(part) = read_piece(trimmed, at, problems) {
            parts.push(part);
        }
    }
    parts
}

/// `dmarc-tag = 1*ALPHA equals 1*dmarc-value` at byte `at`.
fn read_piece<'a>(trimmed: &'a str, at: usize, problems: &mut Vec<DmarcParseError>) -> Option<Part<'a>> {
    let Some((raw_name, raw_value)) = trimmed.split_once('=') else {
        problems.push(bad_char(trimmed, at, None).unwrap_or_else(|| {
            problem(
                DmarcErrorKind::MalformedTag,
                at..at + trimmed.len(),
                None,
                format!("{} is not a tag=value pair.", Quoted(trimmed)),
            )
        }));
        return None;
    };
    let name = raw_name.trim_end_matches(is_wsp);
    let value_lead = raw_value.len() - raw_value.trim_start_matches(is_wsp).len();
    let value = raw_value.trim_start_matches(is_wsp);
    let value_at = at + raw_name.len() + 1 + value_lead;
    // The tag a damaged name was meant to be, so a broken "p" still counts as an invalid p (§4.10.1).
    let meant: String = name.chars().filter(char::is_ascii_alphabetic).collect::<String>().to_ascii_lowercase();
    let meant = (!meant.is_empty()).then_some(meant.as_str());
    if let Some(p) = bad_char(name, at, meant) {
        problems.push(p);
        return None;
    }
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphabetic()) {
        problems.push(problem(
            DmarcErrorKind::MalformedTag,
            at..at + raw_name.len(),
            None,
            format!("{} is not a tag name (tag names are letters only).", Quoted(name)),
        ));
        return None;
    }
    if let Some(p) = bad_char(value, value_at, Some(&name.to_ascii_lowercase())) {
        problems.push(p);
        return None;
    }
    Some(Part { name, name_span: at..at + name.len(), value, value_span: value_at..value_at + value.len() })
}

/// The first character of `s` (at byte `at`) that no tag may hold, as an
/// `InvalidCharacter` problem: whitespace other than SP/HTAB (which the
/// grammar allows only around `;` and `=`), control characters, non-ASCII.
fn bad_char(s: &str, at: usize, tag: Option<&str>) -> Option<DmarcParseError> {
    let (i, c) = s.char_indices().find(|&(_, c)| !is_value_char(c))?;
    let what = if c.is_whitespace() {
        "whitespace other than a space or tab, which DMARC does not allow (often a no-break space or line break from copying the record)"
    } else {
        "not printable ASCII"
    };
    let effect = match tag {
        Some(t) => format!(" The {t}= tag is invalid, so receivers ignore it."),
        None => " Receivers ignore this part.".to_string(),
    };
    Some(problem(
        DmarcErrorKind::InvalidCharacter,
        at + i..at + i + c.len_utf8(),
        tag,
        format!("The character {} at position {} is {what}.{effect}", QuotedChar(c), at + i + 1),
    ))
}

fn legacy(name: &str, part: &Part<'_>, bad: Option<&str>) -> DmarcParseError {
    let bad =
        bad.map(|b| format!(" Its value {b}, which does not matter: receivers ignore the tag.")).unwrap_or_default();
    problem(
        DmarcErrorKind::LegacyTag,
        part.name_span.start..part.value_span.end,
        Some(name),
        format!(
            "The {name}= tag was removed by RFC 9989; current receivers ignore it (older ones may still read it).{bad}{}",
            if name == "pct" { " To roll out gradually, use p=quarantine before p=reject instead of pct." } else { "" }
        ),
    )
}

fn read_tag(record: &mut DmarcRecord, name: &str, part: &Part<'_>, problems: &mut Vec<DmarcParseError>) {
    let value = part.value;
    let lower = value.to_ascii_lowercase();
    // The value rule each tag failed, if it did (RFC 9989 §4.8 table "Tag Names and Values").
    let failed: Option<String> = match name {
        "p" | "sp" | "np" => {
            let policy = Policy::parse(value);
            *match name {
                "p" => &mut record.p,
                "sp" => &mut record.sp,
                _ => &mut record.np,
            } = policy;
            policy.is_none().then(|| "none, quarantine or reject".into())
        }
        "psd" => {
            record.psd = match lower.as_str() {
                "y" => Some(Psd::Yes),
                "n" => Some(Psd::No),
                "u" => Some(Psd::Unknown),
                _ => None,
            };
            record.psd.is_none().then(|| "y, n or u".into())
        }
        "t" => {
            record.t = match lower.as_str() {
                "y" => Some(true),
                "n" => Some(false),
                _ => None,
            };
            record.t.is_none().then(|| "y or n".into())
        }
        "adkim" | "aspf" => {
            let a = match lower.as_str() {
                "r" => Some(Alignment::Relaxed),
                "s" => Some(Alignment::Strict),
                _ => None,
            };
            *if name == "adkim" { &mut record.adkim } else { &mut record.aspf } = a;
            a.is_none().then(|| "r (relaxed) or s (strict)".into())
        }
        "fo" => match read_fo(&lower) {
            Ok(fo) => {
                record.fo = fo;
                None
            }
            Err(why) => Some(why),
        },
        "rua" | "ruf" => {
            let uris = read_uris(name, value, part.value_span.start, problems);
            *if name == "rua" { &mut record.rua } else { &mut record.ruf } = uris;
            None
        }
        "pct" | "rf" | "ri" => {
            read_legacy(record, name, part, problems);
            None
        }
        _ => {
            let hint = suggest_tag(name).map(|t| format!(" Did you mean {t}=?")).unwrap_or_default();
            problems.push(problem(
                DmarcErrorKind::UnknownTag,
                part.name_span.start..part.value_span.end,
                Some(name),
                format!("\"{name}\" is not a DMARC tag; receivers ignore it.{hint}"),
            ));
            record.unknown.push((name.to_string(), value.to_string()));
            None
        }
    };
    if let Some(expected) = failed {
        problems.push(problem(
            DmarcErrorKind::InvalidValue,
            part.value_span.clone(),
            Some(name),
            format!(
                "{} is not a valid value for {name}=; it must be {expected}. Receivers ignore the tag.",
                Quoted(value)
            ),
        ));
    }
}

/// `dmarc-fo`: 0, 1, d and s separated by colons, "with the exception that
/// "0" and "1" are mutually exclusive" (§4.7); d and s "may appear at most once" (§4.8).
fn read_fo(lower: &str) -> Result<Vec<FailureOption>, String> {
    let mut out: Vec<FailureOption> = Vec::new();
    for o in lower.split(':') {
        let opt = match o.trim_matches(is_wsp) {
            "0" => FailureOption::AllFail,
            "1" => FailureOption::AnyFail,
            "d" => FailureOption::Dkim,
            "s" => FailureOption::Spf,
            _ => return Err("0, 1, d or s, separated by colons".into()),
        };
        if out.contains(&opt) {
            return Err(format!("a list in which each option appears once (\"{}\" is repeated)", opt.as_str()));
        }
        let exclusive = [FailureOption::AllFail, FailureOption::AnyFail];
        if exclusive.contains(&opt) && out.iter().any(|o| exclusive.contains(o)) {
            return Err("a list with 0 or 1, not both (they are mutually exclusive)".into());
        }
        out.push(opt);
    }
    Ok(out)
}

/// `pct`, `rf`, `ri` (RFC 7489 §6.3): read for tools that convert them, but a
/// bad value is only a note on a tag receivers ignore, never an error.
fn read_legacy(record: &mut DmarcRecord, name: &str, part: &Part<'_>, problems: &mut Vec<DmarcParseError>) {
    let value = part.value;
    let bad = match name {
        "pct" => {
            record.pct = value.parse::<u8>().ok().filter(|n| *n <= 100);
            record.pct.is_none().then_some("is not a whole number from 0 to 100")
        }
        "rf" => {
            let ok = value.split(':').all(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric()));
            record.rf = ok.then(|| value.to_string());
            (!ok).then_some("is not a colon-separated list of report formats")
        }
        _ => {
            record.ri = value.parse::<u32>().ok();
            record.ri.is_none().then_some("is not a number of seconds")
        }
    };
    let bad = bad.map(|b| format!("{} {b}", Quoted(value)));
    problems.push(legacy(name, part, bad.as_deref()));
}

const KNOWN_TAGS: &[&str] = &["v", "p", "sp", "np", "psd", "t", "rua", "ruf", "adkim", "aspf", "fo", "pct", "rf", "ri"];

/// A known tag one edit away from `name` (a likely typo).
fn suggest_tag(name: &str) -> Option<&'static str> {
    KNOWN_TAGS.iter().copied().find(|t| edit_distance_at_most_one(t, name))
}

fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short.get(prefix + 1..) == long.get(prefix + 1..)
    } else {
        short.get(prefix..) == long.get(prefix + 1..)
    }
}
