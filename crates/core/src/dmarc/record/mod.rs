//! The DMARC policy record: its types, a positioned parser and its printer.
//!
//! Grammar: RFC 9989 §4.7 (tags) and §4.8 (ABNF), which keep the DKIM
//! tag-list syntax (RFC 6376 §3.2). Section numbers here follow
//! draft-ietf-dmarc-dmarcbis-41, the text RFC 9989 was published from.
//!
//! [`parse_dmarc`] is lenient like a receiver: it reads every tag it can,
//! drops invalid values ("Syntax errors in the remainder of the record MUST
//! be discarded in favor of default values", §4.8) and reports each problem
//! with its byte offset and span. Some problems throw the whole record away
//! (`v=DMARC1` not first, a repeated tag): [`ParsedDmarc::valid_record`] is
//! then `None`. [`DmarcRecord`]'s `FromStr` is strict: it fails on the first
//! problem that makes the record wrong (not on warnings such as an unknown or
//! legacy tag). `Display` prints a canonical record that parses back to an
//! equal value.
//!
//! - [`parse`]: the tag-list reader and the version test used by discovery.
//! - [`uri`]: the `rua`/`ruf` URI lists.
//! - `words`: the record in plain sentences ([`DmarcRecord::in_words`]).

mod parse;
mod uri;
mod words;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use crate::finding::Severity;
use crate::parse_error::ParseError;

pub use parse::{parse_dmarc, version_match};

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

    /// The domain of a `mailto:` address, lower case: `mailto:a@Example.com?x` → `example.com`;
    /// `None` unless it is a syntactically valid host name.
    pub fn mailto_domain(&self) -> Option<String> {
        if !self.is_mailto() {
            return None;
        }
        let addr = self.uri.get(7..)?;
        let addr = addr.split('?').next().unwrap_or(addr);
        let (_, domain) = addr.rsplit_once('@')?;
        // Only a host that can be queried: "example.net!10mb" or "!" never reaches the resolver.
        uri::is_host(domain).then(|| domain.trim_end_matches('.').to_ascii_lowercase())
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
    /// `v=dmarc1` or `V=DMARC1`: the version must match exactly, so receivers ignore the record.
    VersionCase,
    /// Anything before `v=DMARC1` (a space, a no-break space, a line break):
    /// `v` must be the first tag, so receivers ignore the record.
    LeadingWhitespace,
    /// A part between semicolons that is not `tag=value`.
    MalformedTag,
    /// Nothing between two semicolons (`; ;`): the grammar allows one trailing `;`, not empty tags.
    EmptyPart,
    /// `tag=` with nothing after it.
    EmptyValue,
    /// A known tag with a value it cannot have.
    InvalidValue,
    /// A character no DMARC tag may hold: whitespace other than space and
    /// tab (no-break space, CR, LF, VT…), another control character, or non-ASCII.
    InvalidCharacter,
    /// A tag name with capitals (`P=reject`): tag names are case-sensitive,
    /// so strict receivers ignore the tag.
    TagCase,
    /// The same tag twice: the DKIM tag-list rules make the whole record invalid.
    DuplicateTag,
    /// A tag DMARC does not define (ignored by receivers; often a typo).
    UnknownTag,
    /// `pct`, `rf` or `ri`: removed by RFC 9989 (also when their value is bad: receivers ignore them anyway).
    LegacyTag,
    /// A reporting URI with a scheme other than `mailto:`.
    NotMailto,
    /// A reporting address without any scheme, e.g. `rua=dmarc@example.com`.
    NotAUri,
    /// A reporting URI that is not an RFC 3986 URI: a character a URI cannot
    /// hold, an empty list entry, no usable host, a malformed `!size`.
    /// Receivers ignore it and maildoctor never queries it.
    InvalidUri,
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
            DmarcErrorKind::UnknownTag
                | DmarcErrorKind::LegacyTag
                | DmarcErrorKind::NotMailto
                | DmarcErrorKind::SizeSuffix
                | DmarcErrorKind::MissingPolicy
        )
    }

    /// Whether receivers throw the whole record away: no policy is taken from it.
    pub fn discards_record(self) -> bool {
        matches!(
            self,
            DmarcErrorKind::Empty
                | DmarcErrorKind::NotDmarc
                | DmarcErrorKind::VersionCase
                | DmarcErrorKind::LeadingWhitespace
                | DmarcErrorKind::DuplicateTag
        )
    }

    /// How a finding about it should rank.
    pub fn severity(self) -> Severity {
        match self {
            DmarcErrorKind::SizeSuffix => Severity::Info,
            DmarcErrorKind::UnknownTag
            | DmarcErrorKind::LegacyTag
            | DmarcErrorKind::NotMailto
            | DmarcErrorKind::MissingPolicy
            | DmarcErrorKind::EmptyPart
            | DmarcErrorKind::TagCase => Severity::Warning,
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

impl DmarcParseError {
    /// The same problem as the crate-wide positioned error (kind and byte offset).
    pub fn to_parse_error(&self) -> ParseError<DmarcErrorKind> {
        ParseError::new(self.kind, self.offset, self.message.clone())
    }
}

impl fmt::Display for DmarcParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at position {})", self.message, self.offset + 1)
    }
}

impl std::error::Error for DmarcParseError {}

/// The lenient reading of a record: the tags as read, and every problem found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParsedDmarc {
    /// The tags as read (invalid values dropped), for tools that repair the
    /// record; `None` when the text is not a DMARC record at all. Whether
    /// receivers use it is [`ParsedDmarc::valid_record`].
    pub record: Option<DmarcRecord>,
    pub problems: Vec<DmarcParseError>,
}

impl ParsedDmarc {
    /// The record receivers act on: `None` when a problem throws the whole
    /// record away (not `v=DMARC1` first, a repeated tag).
    pub fn valid_record(&self) -> Option<&DmarcRecord> {
        if self.discarded_by().is_some() {
            return None;
        }
        self.record.as_ref()
    }

    /// The problem that throws the whole record away, if one does.
    pub fn discarded_by(&self) -> Option<&DmarcParseError> {
        self.problems.iter().find(|p| p.kind.discards_record())
    }

    /// RFC 9989 §4.10.1: "If a retrieved DMARC Policy Record does not contain
    /// a valid "p" tag, or contains an "sp" or "np" tag that is not valid":
    /// then the record counts as `p=none` (valid `rua`) or as no DMARC.
    pub fn policy_invalid(&self) -> bool {
        self.record.as_ref().is_some_and(|r| r.p.is_none()) || self.problems.iter().any(DmarcParseError::breaks_policy)
    }
}

impl DmarcParseError {
    /// An invalid (or empty) p, sp or np: the whole record falls back (RFC 9989 §4.10.1).
    pub fn breaks_policy(&self) -> bool {
        matches!(
            self.kind,
            DmarcErrorKind::InvalidValue | DmarcErrorKind::EmptyValue | DmarcErrorKind::InvalidCharacter
        ) && matches!(self.tag.as_deref(), Some("p" | "sp" | "np"))
    }
}

impl FromStr for DmarcRecord {
    type Err = DmarcParseError;

    fn from_str(text: &str) -> Result<DmarcRecord, DmarcParseError> {
        let parsed = parse_dmarc(text);
        if let Some(e) = parsed.problems.iter().find(|p| p.kind.is_error()) {
            return Err(e.clone());
        }
        parsed.valid_record().cloned().ok_or_else(|| DmarcParseError {
            kind: DmarcErrorKind::NotDmarc,
            offset: 0,
            span: 0..0,
            tag: None,
            message: "not a DMARC record".into(),
        })
    }
}

/// How a TXT string relates to DMARC version 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionMatch {
    /// Starts with `v=DMARC1` (spaces around `=` allowed, §4.8 `equals`).
    Exact,
    /// As above after leading whitespace (any, including no-break spaces and
    /// line breaks): receivers ignore it, since `v` must come first.
    AfterWhitespace,
    /// `v=dmarc1` or `V=DMARC1`: the version's value and the tag name are
    /// case-sensitive, so receivers ignore it.
    WrongCase,
    /// Not a DMARC record.
    No,
}
