//! The SPF record model after RFC 7208 §12 (the collected ABNF), with a
//! positioned parser (`FromStr`, [`SpfRecord::parse_positioned`]) and a
//! `Display` that prints the canonical text the parser reads back.
//!
//! ```text
//! record    = version terms *SP
//! version   = "v=spf1"
//! terms     = *( 1*SP ( directive / modifier ) )
//! directive = [ qualifier ] mechanism
//! qualifier = "+" / "-" / "?" / "~"
//! mechanism = ( all / include / a / mx / ptr / ip4 / ip6 / exists )
//! modifier  = redirect / explanation / unknown-modifier
//! unknown-modifier = name "=" macro-string
//! name      = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
//! ```

use crate::quote::QuotedChar;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;
use std::str::FromStr;

use super::error::perr;
pub use super::error::{SpfErrorKind, SpfParseError};
use super::macros::{MacroPart, MacroString, MacroSyntax};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Qualifier {
    /// `+` (the default when none is written).
    #[default]
    Pass,
    /// `-`
    Fail,
    /// `~`
    SoftFail,
    /// `?`
    Neutral,
}

impl Qualifier {
    pub fn from_char(c: char) -> Option<Qualifier> {
        Some(match c {
            '+' => Qualifier::Pass,
            '-' => Qualifier::Fail,
            '~' => Qualifier::SoftFail,
            '?' => Qualifier::Neutral,
            _ => return None,
        })
    }

    pub fn as_char(self) -> char {
        match self {
            Qualifier::Pass => '+',
            Qualifier::Fail => '-',
            Qualifier::SoftFail => '~',
            Qualifier::Neutral => '?',
        }
    }
}

/// A domain-spec (RFC 7208 §7.1): a macro-string that ends in a macro or in "." toplabel ["."].
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct DomainSpec(pub MacroString);

impl DomainSpec {
    /// Parses a domain-spec found at byte `base` of the record.
    pub fn parse_at(text: &str, base: usize) -> Result<DomainSpec, SpfParseError> {
        if text.is_empty() {
            return Err(perr(SpfErrorKind::MissingArgument, base, "the domain is missing"));
        }
        let ms = MacroString::parse(text, base, MacroSyntax::DomainSpec)?;
        if let Some(MacroPart::Literal(tail)) = ms.parts.last() {
            check_domain_end(tail, text, base)?;
        }
        Ok(DomainSpec(ms))
    }

    /// The name as written, when it contains no macros (only then can it be looked up ahead of time).
    pub fn literal(&self) -> Option<String> {
        if self.0.has_macros() {
            None
        } else {
            Some(self.0.to_string())
        }
    }
}

impl FromStr for DomainSpec {
    type Err = SpfParseError;
    fn from_str(s: &str) -> Result<DomainSpec, SpfParseError> {
        DomainSpec::parse_at(s, 0)
    }
}

impl fmt::Display for DomainSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// `domain-end = ( "." toplabel [ "." ] ) / macro-expand`, with
/// `toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )`.
fn check_domain_end(tail: &str, whole: &str, base: usize) -> Result<(), SpfParseError> {
    let trimmed = tail.strip_suffix('.').unwrap_or(tail);
    let Some(dot) = trimmed.rfind('.') else {
        return Err(perr(
            SpfErrorKind::BadDomainSpec,
            base,
            format!("\"{whole}\" is not a full domain name: it needs at least two labels, like example.com"),
        ));
    };
    let top = trimmed.get(dot + 1..).unwrap_or("");
    let top_offset = base + whole.len() - tail.len() + dot + 1;
    if top.is_empty() {
        return Err(perr(SpfErrorKind::BadDomainSpec, top_offset, format!("\"{whole}\" ends in an empty label")));
    }
    let bytes = top.as_bytes();
    let alnum_dash = bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-');
    let edges_ok =
        bytes.first().is_some_and(u8::is_ascii_alphanumeric) && bytes.last().is_some_and(u8::is_ascii_alphanumeric);
    let not_numeric = bytes.iter().any(|b| b.is_ascii_alphabetic() || *b == b'-');
    if alnum_dash && edges_ok && not_numeric {
        return Ok(());
    }
    let why = if !alnum_dash {
        format!("the last label \"{top}\" may only contain letters, digits and '-'")
    } else if !not_numeric {
        if whole.split('.').count() == 4 && whole.split('.').all(|p| p.parse::<u8>().is_ok()) {
            format!("\"{whole}\" is an IP address, not a domain: write ip4:{whole} instead")
        } else {
            format!("the last label \"{top}\" is all digits, which no top-level domain is")
        }
    } else {
        format!("the last label \"{top}\" cannot start or end with '-'")
    };
    Err(perr(SpfErrorKind::BadDomainSpec, top_offset, why))
}

/// The two optional prefix lengths of `a` and `mx`: `/24`, `//64`, `/24//64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct DualCidr {
    pub v4: Option<u8>,
    pub v6: Option<u8>,
}

impl fmt::Display for DualCidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(v4) = self.v4 {
            write!(f, "/{v4}")?;
        }
        if let Some(v6) = self.v6 {
            write!(f, "//{v6}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Mechanism {
    All,
    Include(DomainSpec),
    A { domain: Option<DomainSpec>, cidr: DualCidr },
    Mx { domain: Option<DomainSpec>, cidr: DualCidr },
    Ptr(Option<DomainSpec>),
    Ip4 { addr: Ipv4Addr, prefix: Option<u8> },
    Ip6 { addr: Ipv6Addr, prefix: Option<u8> },
    Exists(DomainSpec),
}

impl Mechanism {
    pub fn name(&self) -> &'static str {
        match self {
            Mechanism::All => "all",
            Mechanism::Include(_) => "include",
            Mechanism::A { .. } => "a",
            Mechanism::Mx { .. } => "mx",
            Mechanism::Ptr(_) => "ptr",
            Mechanism::Ip4 { .. } => "ip4",
            Mechanism::Ip6 { .. } => "ip6",
            Mechanism::Exists(_) => "exists",
        }
    }

    /// Counts toward the limit of 10 DNS-querying terms (RFC 7208 §4.6.4).
    pub fn queries_dns(&self) -> bool {
        matches!(
            self,
            Mechanism::Include(_)
                | Mechanism::A { .. }
                | Mechanism::Mx { .. }
                | Mechanism::Ptr(_)
                | Mechanism::Exists(_)
        )
    }

    /// The domain-spec, if the mechanism names one.
    pub fn domain_spec(&self) -> Option<&DomainSpec> {
        match self {
            Mechanism::Include(d) | Mechanism::Exists(d) => Some(d),
            Mechanism::A { domain, .. } | Mechanism::Mx { domain, .. } | Mechanism::Ptr(domain) => domain.as_ref(),
            _ => None,
        }
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mechanism::All => f.write_str("all"),
            Mechanism::Include(d) => write!(f, "include:{d}"),
            Mechanism::A { domain, cidr } | Mechanism::Mx { domain, cidr } => {
                f.write_str(self.name())?;
                if let Some(d) = domain {
                    write!(f, ":{d}")?;
                }
                write!(f, "{cidr}")
            }
            Mechanism::Ptr(domain) => match domain {
                Some(d) => write!(f, "ptr:{d}"),
                None => f.write_str("ptr"),
            },
            Mechanism::Ip4 { addr, prefix } => {
                write!(f, "ip4:{addr}")?;
                prefix.map_or(Ok(()), |p| write!(f, "/{p}"))
            }
            Mechanism::Ip6 { addr, prefix } => {
                write!(f, "ip6:{addr}")?;
                prefix.map_or(Ok(()), |p| write!(f, "/{p}"))
            }
            Mechanism::Exists(d) => write!(f, "exists:{d}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Directive {
    pub qualifier: Qualifier,
    pub mechanism: Mechanism,
}

impl fmt::Display for Directive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.qualifier != Qualifier::Pass {
            write!(f, "{}", self.qualifier.as_char())?;
        }
        write!(f, "{}", self.mechanism)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Modifier {
    Redirect(DomainSpec),
    Explanation(DomainSpec),
    /// Any other `name=value`; ignored by evaluation (RFC 7208 §6).
    Unknown {
        name: String,
        value: MacroString,
    },
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Modifier::Redirect(d) => write!(f, "redirect={d}"),
            Modifier::Explanation(d) => write!(f, "exp={d}"),
            Modifier::Unknown { name, value } => write!(f, "{name}={value}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Term {
    Directive(Directive),
    Modifier(Modifier),
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Term::Directive(d) => write!(f, "{d}"),
            Term::Modifier(m) => write!(f, "{m}"),
        }
    }
}

/// An SPF record: `v=spf1` and its terms. Build one programmatically or parse it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct SpfRecord {
    pub terms: Vec<Term>,
}

/// A parsed record with where each term was in the text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParsedRecord {
    pub record: SpfRecord,
    /// The text as published (strings already joined).
    pub text: String,
    pub version_span: Range<usize>,
    /// One byte range per term, parallel to `record.terms`.
    pub term_spans: Vec<Range<usize>>,
}

impl ParsedRecord {
    /// Each term with the text it was written as and its span.
    pub fn located_terms(&self) -> impl Iterator<Item = (&Term, &str, Range<usize>)> {
        self.record
            .terms
            .iter()
            .zip(self.term_spans.iter())
            .map(|(t, s)| (t, self.text.get(s.clone()).unwrap_or(""), s.clone()))
    }
}

impl SpfRecord {
    pub fn new(terms: Vec<Term>) -> SpfRecord {
        SpfRecord { terms }
    }

    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.terms.iter().filter_map(|t| match t {
            Term::Directive(d) => Some(d),
            Term::Modifier(_) => None,
        })
    }

    pub fn modifiers(&self) -> impl Iterator<Item = &Modifier> {
        self.terms.iter().filter_map(|t| match t {
            Term::Modifier(m) => Some(m),
            Term::Directive(_) => None,
        })
    }

    pub fn redirect(&self) -> Option<&DomainSpec> {
        self.modifiers().find_map(|m| match m {
            Modifier::Redirect(d) => Some(d),
            _ => None,
        })
    }

    pub fn explanation(&self) -> Option<&DomainSpec> {
        self.modifiers().find_map(|m| match m {
            Modifier::Explanation(d) => Some(d),
            _ => None,
        })
    }

    pub fn has_all(&self) -> bool {
        self.directives().any(|d| d.mechanism == Mechanism::All)
    }

    /// Parses a record and keeps the byte span of every term.
    pub fn parse_positioned(text: &str) -> Result<ParsedRecord, SpfParseError> {
        if let Some((pos, ch)) = text.char_indices().find(|(_, c)| !c.is_ascii()) {
            return Err(perr(
                SpfErrorKind::NonAscii,
                pos,
                format!(
                    "the record contains {} (U+{:04X}), but SPF allows only ASCII — \
                     often from copying out of a word processor or web page",
                    QuotedChar(ch),
                    u32::from(ch)
                ),
            ));
        }
        if let Some((pos, b)) = text.bytes().enumerate().find(|&(_, b)| b != b' ' && !(0x21..=0x7e).contains(&b)) {
            let what = match b {
                b'\t' => "a tab".to_string(),
                b'\r' => "a carriage return".to_string(),
                b'\n' => "a line break".to_string(),
                0 => "a NUL byte".to_string(),
                other => format!("the control character 0x{other:02X}"),
            };
            return Err(perr(
                SpfErrorKind::BadCharacter,
                pos,
                format!("the record contains {what} at position {}; terms must be separated by plain spaces", pos + 1),
            ));
        }
        let head = text.get(..6).unwrap_or(text);
        let version_ok = head.eq_ignore_ascii_case("v=spf1") && text.as_bytes().get(6).is_none_or(|&b| b == b' ');
        if !version_ok {
            let word = text.split(' ').next().unwrap_or("");
            return Err(perr(
                SpfErrorKind::Version,
                0,
                format!("the record must start with \"v=spf1\" followed by a space; it starts with \"{word}\""),
            ));
        }
        let mut terms = Vec::new();
        let mut spans = Vec::new();
        let mut pos = 6;
        for word in text.get(6..).unwrap_or("").split(' ') {
            let start = pos;
            pos += word.len() + 1;
            if word.is_empty() {
                continue;
            }
            terms.push(parse_term(word, start)?);
            spans.push(start..start + word.len());
        }
        check_duplicates(&terms, &spans)?;
        Ok(ParsedRecord { record: SpfRecord { terms }, text: text.to_string(), version_span: 0..6, term_spans: spans })
    }
}

/// RFC 7208 §6: redirect and exp "MUST NOT appear in a record more than once each".
fn check_duplicates(terms: &[Term], spans: &[Range<usize>]) -> Result<(), SpfParseError> {
    let mut seen_redirect = false;
    let mut seen_exp = false;
    for (term, span) in terms.iter().zip(spans) {
        let (seen, name) = match term {
            Term::Modifier(Modifier::Redirect(_)) => (&mut seen_redirect, "redirect"),
            Term::Modifier(Modifier::Explanation(_)) => (&mut seen_exp, "exp"),
            _ => continue,
        };
        if *seen {
            return Err(perr(
                SpfErrorKind::DuplicateModifier,
                span.start,
                format!("{name}= appears more than once; at most one is allowed (RFC 7208 §6)"),
            ));
        }
        *seen = true;
    }
    Ok(())
}

/// The end of `name` in `name=…` if the term is a modifier.
fn modifier_name_end(term: &str) -> Option<usize> {
    let bytes = term.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() {
        return None;
    }
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        if b == b'=' {
            return Some(i);
        }
        if !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
            return None;
        }
    }
    None
}

fn parse_term(word: &str, base: usize) -> Result<Term, SpfParseError> {
    if let Some(eq) = modifier_name_end(word) {
        let name = word.get(..eq).unwrap_or("");
        let value = word.get(eq + 1..).unwrap_or("");
        let value_base = base + eq + 1;
        let modifier = if name.eq_ignore_ascii_case("redirect") {
            if value.is_empty() {
                return Err(perr(
                    SpfErrorKind::MissingArgument,
                    value_base,
                    "redirect= needs a domain, like redirect=_spf.example.com",
                ));
            }
            Modifier::Redirect(DomainSpec::parse_at(value, value_base)?)
        } else if name.eq_ignore_ascii_case("exp") {
            if value.is_empty() {
                return Err(perr(
                    SpfErrorKind::MissingArgument,
                    value_base,
                    "exp= needs a domain whose TXT record holds the explanation",
                ));
            }
            Modifier::Explanation(DomainSpec::parse_at(value, value_base)?)
        } else {
            Modifier::Unknown {
                name: name.to_string(),
                value: MacroString::parse(value, value_base, MacroSyntax::ModifierValue)?,
            }
        };
        return Ok(Term::Modifier(modifier));
    }
    let first = word.chars().next().unwrap_or(' ');
    let (qualifier, body, body_base) = match Qualifier::from_char(first) {
        Some(q) => (q, word.get(1..).unwrap_or(""), base + 1),
        None => (Qualifier::Pass, word, base),
    };
    let name_end = body.find([':', '/']).unwrap_or(body.len());
    let name = body.get(..name_end).unwrap_or("");
    let rest = body.get(name_end..).unwrap_or("");
    let rest_base = body_base + name_end;
    let mechanism = match name.to_ascii_lowercase().as_str() {
        "all" => {
            if !rest.is_empty() {
                return Err(perr(
                    SpfErrorKind::UnexpectedArgument,
                    rest_base,
                    format!("\"all\" takes no argument, but \"{word}\" has \"{rest}\" after it"),
                ));
            }
            Mechanism::All
        }
        "include" => Mechanism::Include(required_domain(word, "include", rest, rest_base)?),
        "exists" => Mechanism::Exists(required_domain(word, "exists", rest, rest_base)?),
        "a" | "mx" => {
            let (domain, cidr) = parse_a_like(word, rest, rest_base)?;
            if name.eq_ignore_ascii_case("a") {
                Mechanism::A { domain, cidr }
            } else {
                Mechanism::Mx { domain, cidr }
            }
        }
        "ptr" => Mechanism::Ptr(match rest.strip_prefix(':') {
            Some(d) if !d.is_empty() => Some(DomainSpec::parse_at(d, rest_base + 1)?),
            Some(_) => {
                return Err(perr(
                    SpfErrorKind::MissingArgument,
                    rest_base + 1,
                    "\"ptr:\" needs a domain after the colon",
                ))
            }
            None if rest.is_empty() => None,
            None => {
                return Err(perr(
                    SpfErrorKind::UnexpectedArgument,
                    rest_base,
                    format!("\"ptr\" takes no CIDR length (\"{word}\")"),
                ))
            }
        }),
        "ip4" => {
            let (addr_text, prefix, addr_base) = split_ip_arg(word, "ip4", rest, rest_base, 32)?;
            Mechanism::Ip4 { addr: parse_ip4(word, addr_text, addr_base)?, prefix }
        }
        "ip6" => {
            let (addr_text, prefix, addr_base) = split_ip_arg(word, "ip6", rest, rest_base, 128)?;
            let addr = addr_text.parse::<Ipv6Addr>().map_err(|_| {
                perr(SpfErrorKind::BadIp6, addr_base, format!("{word} — \"{addr_text}\" is not an IPv6 address"))
            })?;
            Mechanism::Ip6 { addr, prefix }
        }
        _ => return Err(unknown_term(word, base)),
    };
    Ok(Term::Directive(Directive { qualifier, mechanism }))
}

fn unknown_term(word: &str, base: usize) -> SpfParseError {
    let eq = word.find('=');
    let colon_or_slash = word.find([':', '/']);
    if let Some(eq) = eq.filter(|&e| colon_or_slash.is_none_or(|c| e < c)) {
        let name = word.get(..eq).unwrap_or("");
        let why = if name.is_empty() {
            "the modifier name is missing before '='".to_string()
        } else {
            format!("\"{name}\" is not a valid modifier name: it must start with a letter and use only letters, digits, '-', '_' and '.'")
        };
        return perr(SpfErrorKind::BadModifierName, base, format!("{word} — {why}"));
    }
    let lower = word.trim_start_matches(['+', '-', '~', '?']).to_ascii_lowercase();
    let hint = if lower.starts_with("redirect:") || lower.starts_with("exp:") {
        " (modifiers use '=', e.g. redirect=example.com)"
    } else if lower.starts_with("ip4") || lower.starts_with("ip6") {
        " (write ip4:ADDRESS or ip6:ADDRESS)"
    } else if lower.starts_with("all") {
        " (\"all\" takes no argument)"
    } else {
        ""
    };
    perr(
        SpfErrorKind::UnknownMechanism,
        base,
        format!(
            "\"{word}\" is not an SPF mechanism; the mechanisms are all, include, a, mx, ptr, ip4, ip6 and exists{hint}"
        ),
    )
}

fn required_domain(word: &str, name: &str, rest: &str, base: usize) -> Result<DomainSpec, SpfParseError> {
    match rest.strip_prefix(':') {
        Some(d) if !d.is_empty() => DomainSpec::parse_at(d, base + 1),
        _ if !rest.is_empty() && !rest.starts_with(':') => Err(perr(
            SpfErrorKind::UnexpectedArgument,
            base,
            format!("{word} — \"{name}\" takes a domain after a colon and no CIDR length, like {name}:example.com"),
        )),
        _ => Err(perr(
            SpfErrorKind::MissingArgument,
            base,
            format!("{word} — \"{name}\" needs a domain, like {name}:_spf.example.com"),
        )),
    }
}

/// `[ ":" domain-spec ] [ dual-cidr-length ]`, the CIDR lengths read from the end.
fn parse_a_like(word: &str, rest: &str, base: usize) -> Result<(Option<DomainSpec>, DualCidr), SpfParseError> {
    let mut body = rest;
    let mut cidr = DualCidr::default();
    if let Some(p) = body.rfind("//") {
        let digits = body.get(p + 2..).unwrap_or("");
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            cidr.v6 = Some(parse_cidr(word, digits, base + p + 2, 128)?);
            body = body.get(..p).unwrap_or("");
        }
    }
    if let Some(p) = body.rfind('/') {
        let digits = body.get(p + 1..).unwrap_or("");
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            cidr.v4 = Some(parse_cidr(word, digits, base + p + 1, 32)?);
            body = body.get(..p).unwrap_or("");
        }
    }
    let domain = match body.strip_prefix(':') {
        Some("") => {
            return Err(perr(
                SpfErrorKind::MissingArgument,
                base + 1,
                format!("{word} — a domain must follow the colon"),
            ))
        }
        Some(d) => Some(DomainSpec::parse_at(d, base + 1)?),
        None if body.is_empty() => None,
        None => {
            return Err(perr(
                SpfErrorKind::UnexpectedArgument,
                base,
                format!(
                "{word} — after the mechanism name expected \":domain\", \"/prefix\" or \"//prefix\", found \"{body}\""
            ),
            ))
        }
    };
    Ok((domain, cidr))
}

/// `ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT)`, `ip6-cidr-length = "/" ("0" / %x31-39 0*2DIGIT)`.
fn parse_cidr(word: &str, digits: &str, offset: usize, max: u8) -> Result<u8, SpfParseError> {
    let family = if max == 32 { "IPv4" } else { "IPv6" };
    if digits.len() > 1 && digits.starts_with('0') {
        return Err(perr(
            SpfErrorKind::BadCidr,
            offset,
            format!("{word} — the prefix length /{digits} has a leading zero"),
        ));
    }
    match digits.parse::<u8>() {
        Ok(n) if n <= max && !digits.is_empty() => Ok(n),
        _ => Err(perr(
            SpfErrorKind::BadCidr,
            offset,
            format!("{word} — /{digits} is not a valid {family} prefix length (0 to {max})"),
        )),
    }
}

/// Splits `:address[/prefix]` of ip4/ip6; returns the address text, prefix and the address offset.
fn split_ip_arg<'a>(
    word: &str,
    name: &str,
    rest: &'a str,
    base: usize,
    max: u8,
) -> Result<(&'a str, Option<u8>, usize), SpfParseError> {
    let Some(value) = rest.strip_prefix(':').filter(|v| !v.is_empty()) else {
        let kind = if name == "ip4" { SpfErrorKind::BadIp4 } else { SpfErrorKind::BadIp6 };
        return Err(perr(kind, base, format!("{word} — \"{name}\" needs an address, like {}", example_for(name))));
    };
    let addr_base = base + 1;
    match value.find('/') {
        None => Ok((value, None, addr_base)),
        Some(slash) => {
            let addr = value.get(..slash).unwrap_or("");
            let digits = value.get(slash + 1..).unwrap_or("");
            if digits.starts_with('/') {
                return Err(perr(
                    SpfErrorKind::BadCidr,
                    addr_base + slash,
                    format!("{word} — \"{name}\" takes a single prefix length; the \"//\" form is only for a and mx"),
                ));
            }
            if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
                return Err(perr(
                    SpfErrorKind::BadCidr,
                    addr_base + slash + 1,
                    format!("{word} — \"/{digits}\" is not a prefix length"),
                ));
            }
            Ok((addr, Some(parse_cidr(word, digits, addr_base + slash + 1, max)?), addr_base))
        }
    }
}

fn example_for(name: &str) -> &'static str {
    if name == "ip4" {
        "ip4:192.0.2.0/24"
    } else {
        "ip6:2001:db8::/32"
    }
}

/// `ip4-network = qnum "." qnum "." qnum "." qnum`, `qnum` a decimal 0–255 without leading zeros.
fn parse_ip4(word: &str, text: &str, base: usize) -> Result<Ipv4Addr, SpfParseError> {
    let bad = |why: String| perr(SpfErrorKind::BadIp4, base, format!("{word} — {why}"));
    if text.contains(':') {
        return Err(bad(format!(
            "\"{text}\" is not an IPv4 address{}",
            if text.parse::<Ipv6Addr>().is_ok() {
                " (it is IPv6: use ip6:)"
            } else {
                " (a port number cannot be given)"
            }
        )));
    }
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4 {
        return Err(bad(format!("the address has {} octets, expected 4 (use a /prefix for a network)", parts.len())));
    }
    let mut octets = [0u8; 4];
    for (slot, part) in octets.iter_mut().zip(&parts) {
        let ok_form =
            !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part.len() == 1 || !part.starts_with('0'));
        match part.parse::<u8>() {
            Ok(v) if ok_form => *slot = v,
            _ => return Err(bad(format!("\"{part}\" is not a number from 0 to 255 (without leading zeros)"))),
        }
    }
    Ok(Ipv4Addr::from(octets))
}

impl FromStr for SpfRecord {
    type Err = SpfParseError;
    fn from_str(s: &str) -> Result<SpfRecord, SpfParseError> {
        SpfRecord::parse_positioned(s).map(|p| p.record)
    }
}

impl fmt::Display for SpfRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=spf1")?;
        for term in &self.terms {
            write!(f, " {term}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_mechanism_and_modifier() {
        let text = "v=spf1 +all -include:_spf.example.com ~a ?a:mail.example.com/24//64 mx/28 mx:%{d}//48 ptr \
                    ptr:example.org ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.bl.example.net \
                    redirect=_spf.example.net exp=why.%{d} x-custom=hello";
        let p = SpfRecord::parse_positioned(text).unwrap();
        assert_eq!(p.record.terms.len(), 14);
        for (term, written, _) in p.located_terms() {
            assert_eq!(term.to_string(), written.trim_start_matches('+'), "{written}");
        }
        assert_eq!(p.record.to_string(), text.replace("+all", "all"));
        assert_eq!(&p.text[p.term_spans[3].clone()], "?a:mail.example.com/24//64");
        assert_eq!(
            p.record.terms[3],
            Term::Directive(Directive {
                qualifier: Qualifier::Neutral,
                mechanism: Mechanism::A {
                    domain: Some("mail.example.com".parse().unwrap()),
                    cidr: DualCidr { v4: Some(24), v6: Some(64) }
                }
            })
        );
    }

    /// Table of syntax errors: text, kind, offset.
    #[test]
    fn errors_have_kind_offset_and_message() {
        use SpfErrorKind::*;
        for (text, kind, offset) in [
            ("v=spf1 ip4:192.168.1/24", BadIp4, 11),
            ("v=spf1 ip4:1.2.3.4/33", BadCidr, 19),
            ("v=spf1 ip4:1.2.3.4/032", BadCidr, 19),
            ("v=spf1 ip4:1.2.3.4//32", BadCidr, 18),
            ("v=spf1 ip4:1.2.3.4:8080", BadIp4, 11),
            ("v=spf1 ip6::CAFE::BABE", BadIp6, 11),
            ("v=spf1 a/33", BadCidr, 9),
            ("v=spf1 a//129", BadCidr, 10),
            ("v=spf1 a/24/64", BadCidr, 12),
            ("v=spf1 a:museum", BadDomainSpec, 9),
            ("v=spf1 a:111.222.33.44", BadDomainSpec, 20),
            ("v=spf1 -all.", UnknownMechanism, 7),
            ("v=spf1 -all:x", UnexpectedArgument, 11),
            ("v=spf1 ptr/0", UnexpectedArgument, 10),
            ("v=spf1 include", MissingArgument, 14),
            ("v=spf1 exists:a.example.com/24", BadDomainSpec, 24),
            ("v=spf1 1up=foo", BadModifierName, 7),
            ("v=spf1 =all", BadModifierName, 7),
            ("v=spf1 foo=%abc", BadMacro, 11),
            ("v=spf1 exp=", MissingArgument, 11),
            ("v=spf1 redirect=a.example redirect=b.example", DuplicateModifier, 26),
            ("v=spf10", Version, 0),
            ("spf1 -all", Version, 0),
            ("v=spf1 a\tmx", BadCharacter, 8),
            ("v=spf1 \u{201c}-all\u{201d}", NonAscii, 7),
            ("v=spf1 redirect:example.com", UnknownMechanism, 7),
            ("v=spf1 exists:%{r}.example.com", BadMacro, 14),
        ] {
            let e = SpfRecord::parse_positioned(text).unwrap_err();
            assert_eq!((e.kind, e.offset), (kind, offset), "{text}: {}", e.message);
        }
        let e = "v=spf1 ip4:192.168.1/24".parse::<SpfRecord>().unwrap_err();
        assert_eq!(e.message, "ip4:192.168.1/24 — the address has 3 octets, expected 4 (use a /prefix for a network)");
    }

    #[test]
    fn accepts_odd_but_valid_records() {
        for text in [
            "v=spf1",
            "V=SpF1 -ALL",
            "v=spf1 a  -all ",
            "v=spf1 a:foo:bar/baz.example.com",
            "v=spf1 a:foo.example.xn--zckzah -all",
            "v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all",
            "v=spf1 default=+",
            "v=spf1 a:macro%%percent%_%_space%-url-space.example.com",
            "v=spf1 exists:%{l2r+-}.user.%{d2}",
        ] {
            let r: SpfRecord = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(r.to_string().parse::<SpfRecord>().unwrap(), r);
        }
    }
}
