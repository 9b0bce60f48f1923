//! The DMARC policy record: a positioned parser and its printer.
//!
//! Grammar: RFC 9989 §4.7 (tags) and §4.8 (ABNF), which keep the DKIM
//! tag-list syntax (RFC 6376 §3.2). Section numbers here follow
//! draft-ietf-dmarc-dmarcbis-41, the text RFC 9989 was published from.
//!
//! [`parse_dmarc`] is lenient like a receiver: it reads every tag it can,
//! drops invalid values ("Syntax errors in the remainder of the record MUST
//! be discarded in favor of default values", §4.7) and reports each problem
//! with its byte span. [`DmarcRecord`]'s `FromStr` is strict: it fails on the
//! first problem that makes the record wrong (not on warnings such as an
//! unknown or legacy tag). `Display` prints a canonical record that parses
//! back to an equal value.

use crate::quote::QuotedChar;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use crate::finding::Severity;

/// Domain Owner Assessment Policy (`p`, `sp`, `np`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Policy {
    None,
    Quarantine,
    Reject,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::None => "none",
            Policy::Quarantine => "quarantine",
            Policy::Reject => "reject",
        }
    }

    fn parse(v: &str) -> Option<Policy> {
        match v.to_ascii_lowercase().as_str() {
            "none" => Some(Policy::None),
            "quarantine" => Some(Policy::Quarantine),
            "reject" => Some(Policy::Reject),
            _ => None,
        }
    }
}

impl fmt::Display for Policy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Identifier alignment mode (`adkim`, `aspf`); relaxed is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Alignment {
    Relaxed,
    Strict,
}

impl Alignment {
    pub fn as_str(self) -> &'static str {
        match self {
            Alignment::Relaxed => "r",
            Alignment::Strict => "s",
        }
    }
}

/// The `psd` flag (RFC 9989 §4.7): is the publishing domain a Public Suffix Domain?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Psd {
    /// `psd=y`: a public suffix domain; the organizational domain is one label below.
    Yes,
    /// `psd=n`: this domain is an organizational domain; the tree walk stops here.
    No,
    /// `psd=u`, the default.
    Unknown,
}

impl Psd {
    pub fn as_str(self) -> &'static str {
        match self {
            Psd::Yes => "y",
            Psd::No => "n",
            Psd::Unknown => "u",
        }
    }
}

/// One failure-reporting option of `fo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum FailureOption {
    /// `0`: report if all mechanisms fail to produce an aligned pass (default).
    AllFail,
    /// `1`: report if any mechanism fails to produce an aligned pass.
    AnyFail,
    /// `d`: report DKIM signature failures.
    Dkim,
    /// `s`: report SPF failures.
    Spf,
}

impl FailureOption {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureOption::AllFail => "0",
            FailureOption::AnyFail => "1",
            FailureOption::Dkim => "d",
            FailureOption::Spf => "s",
        }
    }
}

/// A reporting URI of `rua`/`ruf`, e.g. `mailto:dmarc@example.com`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct ReportUri {
    /// The URI as written.
    pub uri: String,
    /// The obsolete `!10m` size limit, if one was written (RFC 9989 says to ignore it).
    pub size_limit: Option<String>,
}

impl ReportUri {
    pub fn mailto(address: &str) -> ReportUri {
        ReportUri { uri: format!("mailto:{address}"), size_limit: None }
    }

    /// True for the `mailto:` scheme, the one every receiver must support (RFC 9989 §4.7 rua).
    pub fn is_mailto(&self) -> bool {
        self.uri.get(..7).is_some_and(|s| s.eq_ignore_ascii_case("mailto:"))
    }

    /// The domain of a `mailto:` address, lower case: `mailto:a@Example.com?x` → `example.com`.
    pub fn mailto_domain(&self) -> Option<String> {
        if !self.is_mailto() {
            return None;
        }
        let addr = self.uri.get(7..)?;
        let addr = addr.split('?').next().unwrap_or(addr);
        let (_, domain) = addr.rsplit_once('@')?;
        let domain = domain.trim_end_matches('.');
        (!domain.is_empty()).then(|| domain.to_ascii_lowercase())
    }
}

impl fmt::Display for ReportUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.uri)?;
        if let Some(size) = &self.size_limit {
            write!(f, "!{size}")?;
        }
        Ok(())
    }
}

/// A DMARC policy record. Fields are the tags; `None` / empty means "not
/// given" (the accessors such as [`DmarcRecord::subdomain_policy`] apply the
/// defaults). Build one with [`DmarcRecord::new`] and the `with_*` methods.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct DmarcRecord {
    pub p: Option<Policy>,
    pub sp: Option<Policy>,
    pub np: Option<Policy>,
    pub psd: Option<Psd>,
    /// `t=y`: testing mode, the policy is not to be applied.
    pub t: Option<bool>,
    pub rua: Vec<ReportUri>,
    pub ruf: Vec<ReportUri>,
    pub adkim: Option<Alignment>,
    pub aspf: Option<Alignment>,
    pub fo: Vec<FailureOption>,
    /// Legacy (RFC 7489), removed by RFC 9989: percentage of mail the policy applies to.
    pub pct: Option<u8>,
    /// Legacy (RFC 7489), removed by RFC 9989: failure report format.
    pub rf: Option<String>,
    /// Legacy (RFC 7489), removed by RFC 9989: aggregate report interval in seconds.
    pub ri: Option<u32>,
    /// Tags this version does not know, kept in order so the record prints back whole.
    pub unknown: Vec<(String, String)>,
}

impl DmarcRecord {
    /// A record with just `v=DMARC1; p=<policy>`.
    pub fn new(p: Policy) -> DmarcRecord {
        DmarcRecord { p: Some(p), ..DmarcRecord::default() }
    }

    pub fn with_sp(mut self, sp: Policy) -> DmarcRecord {
        self.sp = Some(sp);
        self
    }

    pub fn with_np(mut self, np: Policy) -> DmarcRecord {
        self.np = Some(np);
        self
    }

    pub fn with_psd(mut self, psd: Psd) -> DmarcRecord {
        self.psd = Some(psd);
        self
    }

    pub fn with_testing(mut self, testing: bool) -> DmarcRecord {
        self.t = Some(testing);
        self
    }

    pub fn with_rua(mut self, uri: ReportUri) -> DmarcRecord {
        self.rua.push(uri);
        self
    }

    pub fn with_ruf(mut self, uri: ReportUri) -> DmarcRecord {
        self.ruf.push(uri);
        self
    }

    pub fn with_adkim(mut self, a: Alignment) -> DmarcRecord {
        self.adkim = Some(a);
        self
    }

    pub fn with_aspf(mut self, a: Alignment) -> DmarcRecord {
        self.aspf = Some(a);
        self
    }

    pub fn with_fo(mut self, fo: Vec<FailureOption>) -> DmarcRecord {
        self.fo = fo;
        self
    }

    /// Policy for the domain itself. A record without a valid `p` counts as
    /// `p=none` when it has a usable `rua`, otherwise it gets no DMARC
    /// processing at all (RFC 9989 §4.10.1): `None` then.
    pub fn policy(&self) -> Option<Policy> {
        self.p.or_else(|| self.fallback_policy())
    }

    /// What receivers act on when `p` (or `sp`/`np`) is missing or invalid
    /// (RFC 9989 §4.10.1): `p=none` if `rua` holds a valid URI, else no DMARC at all.
    pub fn fallback_policy(&self) -> Option<Policy> {
        (!self.rua.is_empty()).then_some(Policy::None)
    }

    /// Policy for existing subdomains: `sp`, else `p`.
    pub fn subdomain_policy(&self) -> Option<Policy> {
        self.sp.or_else(|| self.policy())
    }

    /// Policy for non-existent subdomains: `np`, else `sp`, else `p`.
    pub fn nonexistent_policy(&self) -> Option<Policy> {
        self.np.or_else(|| self.subdomain_policy())
    }

    pub fn dkim_alignment(&self) -> Alignment {
        self.adkim.unwrap_or(Alignment::Relaxed)
    }

    pub fn spf_alignment(&self) -> Alignment {
        self.aspf.unwrap_or(Alignment::Relaxed)
    }

    pub fn psd_flag(&self) -> Psd {
        self.psd.unwrap_or(Psd::Unknown)
    }

    pub fn testing(&self) -> bool {
        self.t.unwrap_or(false)
    }
}

/// Canonical form: `v=DMARC1` first, then the tags in a fixed order.
impl fmt::Display for DmarcRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("v=DMARC1")?;
        let mut tag = |name: &str, value: &dyn fmt::Display| write!(f, "; {name}={value}");
        let list = |uris: &[ReportUri]| uris.iter().map(|u| u.to_string()).collect::<Vec<_>>().join(",");
        if let Some(p) = self.p {
            tag("p", &p)?;
        }
        if let Some(sp) = self.sp {
            tag("sp", &sp)?;
        }
        if let Some(np) = self.np {
            tag("np", &np)?;
        }
        if let Some(psd) = self.psd {
            tag("psd", &psd.as_str())?;
        }
        if let Some(t) = self.t {
            tag("t", &if t { "y" } else { "n" })?;
        }
        if let Some(a) = self.adkim {
            tag("adkim", &a.as_str())?;
        }
        if let Some(a) = self.aspf {
            tag("aspf", &a.as_str())?;
        }
        if !self.rua.is_empty() {
            tag("rua", &list(&self.rua))?;
        }
        if !self.ruf.is_empty() {
            tag("ruf", &list(&self.ruf))?;
        }
        if !self.fo.is_empty() {
            tag("fo", &self.fo.iter().map(|o| o.as_str()).collect::<Vec<_>>().join(":"))?;
        }
        if let Some(pct) = self.pct {
            tag("pct", &pct)?;
        }
        if let Some(rf) = &self.rf {
            tag("rf", rf)?;
        }
        if let Some(ri) = self.ri {
            tag("ri", &ri)?;
        }
        for (name, value) in &self.unknown {
            tag(name, value)?;
        }
        Ok(())
    }
}

/// What is wrong in a DMARC record's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum DmarcErrorKind {
    /// Nothing but whitespace.
    Empty,
    /// Does not start with `v=DMARC1`: not a DMARC record at all.
    NotDmarc,
    /// `v=dmarc1` or similar: the version must match exactly, so receivers ignore the record.
    VersionCase,
    /// Whitespace before `v=DMARC1`; strict receivers ignore such a record.
    LeadingWhitespace,
    /// A part between semicolons that is not `tag=value`.
    MalformedTag,
    /// `tag=` with nothing after it.
    EmptyValue,
    /// A known tag with a value it cannot have.
    InvalidValue,
    /// The same tag twice: the DKIM tag-list rules make the whole record invalid.
    DuplicateTag,
    /// A tag DMARC does not define (ignored by receivers; often a typo).
    UnknownTag,
    /// `pct`, `rf` or `ri`: removed by RFC 9989.
    LegacyTag,
    /// A reporting URI with a scheme other than `mailto:`.
    NotMailto,
    /// A reporting address without any scheme, e.g. `rua=dmarc@example.com`.
    NotAUri,
    /// The obsolete `!size` limit on a reporting URI.
    SizeSuffix,
    /// No `p` tag.
    MissingPolicy,
}

impl DmarcErrorKind {
    /// Whether this problem makes `FromStr` fail (a record that is wrong,
    /// rather than one with something to improve).
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            DmarcErrorKind::LeadingWhitespace
                | DmarcErrorKind::UnknownTag
                | DmarcErrorKind::LegacyTag
                | DmarcErrorKind::NotMailto
                | DmarcErrorKind::SizeSuffix
                | DmarcErrorKind::MissingPolicy
        )
    }

    /// Whether receivers throw the whole record away.
    pub fn discards_record(self) -> bool {
        matches!(self, DmarcErrorKind::Empty | DmarcErrorKind::NotDmarc | DmarcErrorKind::VersionCase)
    }

    /// How a finding about it should rank.
    pub fn severity(self) -> Severity {
        match self {
            DmarcErrorKind::SizeSuffix => Severity::Info,
            DmarcErrorKind::LeadingWhitespace
            | DmarcErrorKind::UnknownTag
            | DmarcErrorKind::LegacyTag
            | DmarcErrorKind::NotMailto
            | DmarcErrorKind::MissingPolicy => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// One problem in a DMARC record: kind, where (byte offsets into the text), and words for a person.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DmarcParseError {
    pub kind: DmarcErrorKind,
    /// Byte offset where the problem starts.
    pub offset: usize,
    /// The bytes the problem is about (empty at `offset` for "missing" problems).
    pub span: Range<usize>,
    /// The tag involved, lower case, if any.
    pub tag: Option<String>,
    pub message: String,
}

impl fmt::Display for DmarcParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at position {})", self.message, self.offset + 1)
    }
}

impl std::error::Error for DmarcParseError {}

/// The lenient reading of a record: what a receiver would use, and every problem found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParsedDmarc {
    /// `None` when receivers discard the text entirely (not `v=DMARC1`).
    pub record: Option<DmarcRecord>,
    pub problems: Vec<DmarcParseError>,
}

impl FromStr for DmarcRecord {
    type Err = DmarcParseError;

    fn from_str(text: &str) -> Result<DmarcRecord, DmarcParseError> {
        let parsed = parse_dmarc(text);
        if let Some(e) = parsed.problems.into_iter().find(|p| p.kind.is_error()) {
            return Err(e);
        }
        parsed.record.ok_or_else(|| problem(DmarcErrorKind::NotDmarc, 0..0, None, "not a DMARC record".into()))
    }
}

/// How a TXT string relates to DMARC version 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionMatch {
    /// Starts with `v=DMARC1` (spaces around `=` allowed, §4.8 `equals`).
    Exact,
    /// As above after leading whitespace.
    AfterWhitespace,
    /// `v=dmarc1` in another case: receivers ignore it.
    WrongCase,
    /// Not a DMARC record.
    No,
}

/// Classifies a TXT string for discovery: RFC 9989 §4.10 step 2, "Records
/// that do not start with a "v" tag that identifies the current version of
/// DMARC are discarded."
pub fn version_match(text: &str) -> VersionMatch {
    let trimmed = text.trim_start_matches(is_wsp);
    let Some(rest) = trimmed.strip_prefix(['v', 'V']) else { return VersionMatch::No };
    let rest = rest.trim_start_matches(is_wsp);
    let Some(rest) = rest.strip_prefix('=') else { return VersionMatch::No };
    let rest = rest.trim_start_matches(is_wsp);
    let Some(version) = rest.get(..6) else { return VersionMatch::No };
    let after = rest.get(6..).unwrap_or("").trim_start_matches(is_wsp);
    if !(after.is_empty() || after.starts_with(';')) {
        return VersionMatch::No;
    }
    if version == "DMARC1" {
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

fn is_wsp(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn problem(kind: DmarcErrorKind, span: Range<usize>, tag: Option<&str>, message: String) -> DmarcParseError {
    DmarcParseError { kind, offset: span.start, span, tag: tag.map(str::to_string), message }
}

/// One `tag=value` part with positions.
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
    match version_match(text) {
        VersionMatch::Exact => {}
        VersionMatch::AfterWhitespace => {
            let lead = text.len() - text.trim_start_matches(is_wsp).len();
            problems.push(problem(
                DmarcErrorKind::LeadingWhitespace,
                0..lead,
                None,
                "The record starts with a space before v=DMARC1; strict receivers do not recognise it. Remove the space.".into(),
            ));
        }
        VersionMatch::WrongCase => {
            let start = text.find(['D', 'd']).unwrap_or(0);
            problems.push(problem(
                DmarcErrorKind::VersionCase,
                start..(start + 6).min(text.len()),
                Some("v"),
                "The version must be written exactly \"DMARC1\" in capitals; receivers ignore this record.".into(),
            ));
            return ParsedDmarc { record: None, problems };
        }
        VersionMatch::No => {
            // The commonest slip: "v=DMARC1 p=none" (no semicolon after the version).
            let missing_sep = text.starts_with("v=DMARC1") && text.len() > 8;
            let (span, message) = if missing_sep {
                (8..8, "v=DMARC1 must be followed by a semicolon (v=DMARC1; p=...).")
            } else {
                // The first eight characters (where v=DMARC1 belongs), ending on a character boundary.
                let end = text.char_indices().nth(8).map_or(text.len(), |(i, _)| i);
                (0..end, "A DMARC record must start with v=DMARC1.")
            };
            problems.push(problem(DmarcErrorKind::NotDmarc, span, None, message.into()));
            return ParsedDmarc { record: None, problems };
        }
    }

    let mut record = DmarcRecord::default();
    let mut seen: Vec<(String, Range<usize>)> = Vec::new();
    for (index, part) in split_parts(text, &mut problems).into_iter().enumerate() {
        let name = part.name.to_ascii_lowercase();
        if index == 0 {
            // The version tag, already checked by version_match.
            seen.push((name, part.name_span));
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            problems.push(problem(
                DmarcErrorKind::DuplicateTag,
                part.name_span.start..part.value_span.end,
                Some(&name),
                format!(
                    "The tag \"{name}\" appears twice (first at position {}). A repeated tag makes the whole record invalid \
                     for receivers that follow the DKIM tag rules; keep one.",
                    first.start + 1
                ),
            ));
            continue;
        }
        seen.push((name.clone(), part.name_span.clone()));
        read_tag(&mut record, &name, &part, &mut problems);
    }
    if record.p.is_none() && !problems.iter().any(|p| p.tag.as_deref() == Some("p")) {
        problems.push(problem(
            DmarcErrorKind::MissingPolicy,
            text.len()..text.len(),
            Some("p"),
            "There is no p= tag. Receivers then treat the record as p=none if it has a rua= address, and ignore it otherwise.".into(),
        ));
    }
    ParsedDmarc { record: Some(record), problems }
}

/// Splits on `;` into `tag=value` parts with byte spans; bad parts become problems.
fn split_parts<'a>(text: &'a str, problems: &mut Vec<DmarcParseError>) -> Vec<Part<'a>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for piece in text.split(';') {
        let end = start + piece.len();
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        let at = start + lead;
        if !trimmed.is_empty() {
            match trimmed.split_once('=') {
                None => problems.push(problem(
                    DmarcErrorKind::MalformedTag,
                    at..at + trimmed.len(),
                    None,
                    format!("\"{trimmed}\" is not a tag=value pair."),
                )),
                Some((raw_name, raw_value)) => {
                    let name = raw_name.trim_end();
                    let value_lead = raw_value.len() - raw_value.trim_start().len();
                    let value = raw_value.trim();
                    let value_at = at + raw_name.len() + 1 + value_lead;
                    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphabetic()) {
                        problems.push(problem(
                            DmarcErrorKind::MalformedTag,
                            at..at + raw_name.len(),
                            None,
                            format!("\"{name}\" is not a tag name (tag names are letters only)."),
                        ));
                    } else if value.is_empty() {
                        problems.push(problem(
                            DmarcErrorKind::EmptyValue,
                            at..at + trimmed.len(),
                            Some(&name.to_ascii_lowercase()),
                            format!("The tag \"{name}\" has no value."),
                        ));
                    } else {
                        parts.push(Part {
                            name,
                            name_span: at..at + name.len(),
                            value,
                            value_span: value_at..value_at + value.len(),
                        });
                    }
                }
            }
        }
        start = end + 1;
    }
    parts
}

fn read_tag(record: &mut DmarcRecord, name: &str, part: &Part<'_>, problems: &mut Vec<DmarcParseError>) {
    let value = part.value;
    if let Some(bad) = value.chars().find(|c| !(c.is_ascii_graphic() || *c == ' ')) {
        let expected = format!("printable ASCII (found {})", QuotedChar(bad));
        problems.push(invalid_value(name, part, &expected));
        return;
    }
    if matches!(name, "pct" | "rf" | "ri") {
        problems.push(problem(
            DmarcErrorKind::LegacyTag,
            part.name_span.start..part.value_span.end,
            Some(name),
            format!(
                "The {name}= tag was removed by RFC 9989; current receivers ignore it (older ones may still read it).{}",
                if name == "pct" { " To roll out gradually, use p=quarantine before p=reject instead of pct." } else { "" }
            ),
        ));
    }
    let lower = value.to_ascii_lowercase();
    // The value rule each tag failed, if it did (RFC 9989 §4.8 table "Tag Names and Values").
    let failed: Option<&str> = match name {
        "p" | "sp" | "np" => match Policy::parse(value) {
            Some(p) => {
                *match name {
                    "p" => &mut record.p,
                    "sp" => &mut record.sp,
                    _ => &mut record.np,
                } = Some(p);
                None
            }
            None => Some("none, quarantine or reject"),
        },
        "psd" => {
            record.psd = match lower.as_str() {
                "y" => Some(Psd::Yes),
                "n" => Some(Psd::No),
                "u" => Some(Psd::Unknown),
                _ => None,
            };
            record.psd.is_none().then_some("y, n or u")
        }
        "t" => {
            record.t = match lower.as_str() {
                "y" => Some(true),
                "n" => Some(false),
                _ => None,
            };
            record.t.is_none().then_some("y or n")
        }
        "adkim" | "aspf" => {
            let a = match lower.as_str() {
                "r" => Some(Alignment::Relaxed),
                "s" => Some(Alignment::Strict),
                _ => None,
            };
            if name == "adkim" {
                record.adkim = a;
            } else {
                record.aspf = a;
            }
            a.is_none().then_some("r (relaxed) or s (strict)")
        }
        "fo" => {
            let opts: Option<Vec<FailureOption>> = lower
                .split(':')
                .map(|o| match o.trim() {
                    "0" => Some(FailureOption::AllFail),
                    "1" => Some(FailureOption::AnyFail),
                    "d" => Some(FailureOption::Dkim),
                    "s" => Some(FailureOption::Spf),
                    _ => None,
                })
                .collect();
            record.fo = opts.clone().unwrap_or_default();
            opts.is_none().then_some("0, 1, d or s, separated by colons")
        }
        "rua" | "ruf" => {
            let uris = read_uris(name, value, part.value_span.start, problems);
            if name == "rua" {
                record.rua = uris;
            } else {
                record.ruf = uris;
            }
            None
        }
        "pct" => {
            record.pct = value.parse::<u8>().ok().filter(|n| *n <= 100);
            record.pct.is_none().then_some("a whole number from 0 to 100")
        }
        "rf" => {
            let ok =
                value.split(':').all(|k| !k.trim().is_empty() && k.trim().bytes().all(|b| b.is_ascii_alphanumeric()));
            record.rf = ok.then(|| value.to_string());
            (!ok).then_some("a colon-separated list of report formats such as afrf")
        }
        "ri" => {
            record.ri = value.parse::<u32>().ok();
            record.ri.is_none().then_some("a number of seconds")
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
        problems.push(invalid_value(name, part, expected));
    }
}

fn invalid_value(name: &str, part: &Part<'_>, expected: &str) -> DmarcParseError {
    problem(
        DmarcErrorKind::InvalidValue,
        part.value_span.clone(),
        Some(name),
        format!(
            "\"{}\" is not a valid value for {name}=; it must be {expected}. Receivers ignore the tag.",
            part.value
        ),
    )
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

/// `dmarc-urilist = dmarc-uri *(*WSP "," *WSP dmarc-uri)`.
fn read_uris(tag: &str, value: &str, value_at: usize, problems: &mut Vec<DmarcParseError>) -> Vec<ReportUri> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in value.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let item = piece.trim();
        let at = value_at + start + lead;
        start += piece.len() + 1;
        if item.is_empty() {
            continue;
        }
        let span = at..at + item.len();
        // The obsolete size limit: "mailto:x@example.com!10m".
        let (uri, size) = match item.rsplit_once('!') {
            Some((u, s)) if is_size(s) => (u, Some(s.to_string())),
            _ => (item, None),
        };
        if size.is_some() {
            problems.push(problem(
                DmarcErrorKind::SizeSuffix,
                at + uri.len()..span.end,
                Some(tag),
                format!(
                    "The size limit \"!{}\" is obsolete; RFC 9989 receivers ignore it.",
                    size.as_deref().unwrap_or("")
                ),
            ));
        }
        match uri_scheme(uri) {
            None if uri.contains('@') => problems.push(problem(
                DmarcErrorKind::NotAUri,
                span.clone(),
                Some(tag),
                format!("\"{uri}\" is an email address, not a URI; receivers ignore it. Write mailto:{uri}."),
            )),
            None => problems.push(problem(
                DmarcErrorKind::NotAUri,
                span.clone(),
                Some(tag),
                format!("\"{uri}\" is not a URI; receivers ignore it. Write mailto: followed by an email address."),
            )),
            Some(scheme) if scheme.eq_ignore_ascii_case("mailto") => {
                let candidate = ReportUri { uri: uri.to_string(), size_limit: size };
                if candidate.mailto_domain().is_some() {
                    out.push(candidate);
                } else {
                    problems.push(problem(
                        DmarcErrorKind::InvalidValue,
                        span.clone(),
                        Some(tag),
                        format!("\"{uri}\" has no email address after mailto:."),
                    ));
                }
            }
            Some(scheme) => {
                problems.push(problem(
                    DmarcErrorKind::NotMailto,
                    span.clone(),
                    Some(tag),
                    format!(
                        "\"{uri}\" uses {scheme}:, which receivers need not support (only mailto: is required); most will send nothing there."
                    ),
                ));
                out.push(ReportUri { uri: uri.to_string(), size_limit: size });
            }
        }
    }
    out
}

/// `1*DIGIT [ "k" / "m" / "g" / "t" ]` (RFC 7489 §6.4 dmarc-uri size).
fn is_size(s: &str) -> bool {
    let digits = s.trim_end_matches(['k', 'm', 'g', 't', 'K', 'M', 'G', 'T']);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && s.len() - digits.len() <= 1
}

/// RFC 3986 §3.1: `scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )` before ':'.
fn uri_scheme(uri: &str) -> Option<&str> {
    let (scheme, rest) = uri.split_once(':')?;
    let mut bytes = scheme.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    (first_ok && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.') && !rest.is_empty())
        .then_some(scheme)
}
