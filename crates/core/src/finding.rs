//! Findings: what the checks say about someone's DNS.
//!
//! A problem in the user's DNS is a [`Finding`], never an `Err`. Every
//! finding carries a stable `code` (for diagnosis rules and tests), a
//! severity, a plain-words message, the DNS evidence it rests on, and the
//! RFC section that makes it a problem.
//!
//! Finding codes are typed: each check declares its own enum with
//! [`finding_codes!`] (in the check's module), and [`Code`] is the one type
//! that holds any of them. Diagnosis rules match on those types; the text form
//! (`"spf.too-many-lookups"`, for the page's `data-code`, tests and permalinks)
//! comes from [`Code::as_str`] and parses back with `FromStr`.

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use crate::bimi::BimiCode;
use crate::blocklist::BlocklistCode;
use crate::check::derive::DnsCode;
use crate::dane::DaneCode;
use crate::dkim::DkimCode;
use crate::dmarc::DmarcCode;
use crate::dns::{Lookup, RecordType};
use crate::input::InputCode;
use crate::mta_sts::MtaStsCode;
use crate::mx::MxCode;
use crate::ptr::PtrCode;
use crate::spf::SpfCode;
use crate::tlsrpt::TlsRptCode;

/// Declares a check's finding codes: `pub enum SpfCode: Spf, "spf" { TooManyLookups
/// = "too-many-lookups", … }` makes the enum, its text form (`"spf.too-many-lookups"`),
/// the list of all of them, and the conversion into [`Code::Spf`].
macro_rules! finding_codes {
    ($(#[$meta:meta])* pub enum $name:ident: $check:ident, $prefix:literal {
        $($variant:ident = $text:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            /// Every code of this check.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// The stable text form, `"<check>.<what>"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($prefix, ".", $text),)*
                }
            }
        }

        impl From<$name> for $crate::finding::Code {
            fn from(code: $name) -> $crate::finding::Code {
                $crate::finding::Code::$check(code)
            }
        }

        impl PartialEq<$name> for $crate::finding::Code {
            fn eq(&self, other: &$name) -> bool {
                *self == $crate::finding::Code::$check(*other)
            }
        }
    };
}

/// How bad it is. Ordered: `Ok < Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Severity {
    /// Checked and fine (shown as a pass).
    Ok,
    /// Worth knowing, nothing to fix.
    Info,
    /// Works, but risks deferrals or rejections; should be fixed.
    Warning,
    /// Broken: receivers will treat it as an error.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Ok => "ok",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Which check produced a finding (and which report section shows it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Check {
    Input,
    Mx,
    Spf,
    Dmarc,
    Dkim,
    Ptr,
    Blocklist,
    MtaSts,
    TlsRpt,
    Dane,
    Bimi,
    /// What the resolver said about a domain's DNS as a whole (EDE, DNSSEC).
    Dns,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Check::Input => "Input",
            Check::Mx => "MX",
            Check::Spf => "SPF",
            Check::Dmarc => "DMARC",
            Check::Dkim => "DKIM",
            Check::Ptr => "PTR",
            Check::Blocklist => "Blocklists",
            Check::MtaSts => "MTA-STS",
            Check::TlsRpt => "TLS-RPT",
            Check::Dane => "DANE",
            Check::Bimi => "BIMI",
            Check::Dns => "DNS",
        })
    }
}

/// Any check's finding code: the check, then its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    Input(InputCode),
    Mx(MxCode),
    Spf(SpfCode),
    Dmarc(DmarcCode),
    Dkim(DkimCode),
    Ptr(PtrCode),
    Blocklist(BlocklistCode),
    MtaSts(MtaStsCode),
    TlsRpt(TlsRptCode),
    Dane(DaneCode),
    Bimi(BimiCode),
    Dns(DnsCode),
}

impl Code {
    /// The check that owns the code (and whose section shows its findings).
    pub const fn check(self) -> Check {
        match self {
            Code::Input(_) => Check::Input,
            Code::Mx(_) => Check::Mx,
            Code::Spf(_) => Check::Spf,
            Code::Dmarc(_) => Check::Dmarc,
            Code::Dkim(_) => Check::Dkim,
            Code::Ptr(_) => Check::Ptr,
            Code::Blocklist(_) => Check::Blocklist,
            Code::MtaSts(_) => Check::MtaSts,
            Code::TlsRpt(_) => Check::TlsRpt,
            Code::Dane(_) => Check::Dane,
            Code::Bimi(_) => Check::Bimi,
            Code::Dns(_) => Check::Dns,
        }
    }

    /// The stable text form, `"<check>.<what>"`, e.g. `"spf.too-many-lookups"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Input(c) => c.as_str(),
            Code::Mx(c) => c.as_str(),
            Code::Spf(c) => c.as_str(),
            Code::Dmarc(c) => c.as_str(),
            Code::Dkim(c) => c.as_str(),
            Code::Ptr(c) => c.as_str(),
            Code::Blocklist(c) => c.as_str(),
            Code::MtaSts(c) => c.as_str(),
            Code::TlsRpt(c) => c.as_str(),
            Code::Dane(c) => c.as_str(),
            Code::Bimi(c) => c.as_str(),
            Code::Dns(c) => c.as_str(),
        }
    }

    /// A question the check could not get answered ("couldn't ask"). (Such
    /// codes' text ends in `lookup-failed`, SPF's evaluation says
    /// `sender-temperror`: a test keeps the list and the names in step.)
    pub fn is_lookup_failure(self) -> bool {
        matches!(
            self,
            Code::Mx(MxCode::LookupFailed | MxCode::TargetLookupFailed)
                | Code::Spf(SpfCode::LookupFailed | SpfCode::SenderTemperror)
                | Code::Dmarc(DmarcCode::LookupFailed)
                | Code::Dkim(DkimCode::LookupFailed)
                | Code::Ptr(PtrCode::LookupFailed)
                | Code::Blocklist(BlocklistCode::LookupFailed)
                | Code::MtaSts(MtaStsCode::LookupFailed | MtaStsCode::HostLookupFailed)
                | Code::TlsRpt(TlsRptCode::LookupFailed)
                | Code::Dane(DaneCode::LookupFailed)
                | Code::Bimi(BimiCode::LookupFailed)
        )
    }

    /// Every code of every check.
    pub fn all() -> impl Iterator<Item = Code> {
        fn each<C: Copy + Into<Code>>(all: &'static [C]) -> impl Iterator<Item = Code> {
            all.iter().map(|c| (*c).into())
        }
        each(InputCode::ALL)
            .chain(each(MxCode::ALL))
            .chain(each(SpfCode::ALL))
            .chain(each(DmarcCode::ALL))
            .chain(each(DkimCode::ALL))
            .chain(each(PtrCode::ALL))
            .chain(each(BlocklistCode::ALL))
            .chain(each(MtaStsCode::ALL))
            .chain(each(TlsRptCode::ALL))
            .chain(each(DaneCode::ALL))
            .chain(each(BimiCode::ALL))
            .chain(each(DnsCode::ALL))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code serializes as its text form.
impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The text is not a finding code maildoctor knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode;

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Code, UnknownCode> {
        Code::all().find(|c| c.as_str() == text).ok_or(UnknownCode)
    }
}

/// Tests and views compare a code with its text form.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// A pointer into an RFC: `RfcRef::new(7208, "4.6.4")`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct RfcRef {
    pub rfc: u16,
    /// Section number such as "4.6.4", or "" for the whole document.
    pub section: &'static str,
}

impl RfcRef {
    pub const fn new(rfc: u16, section: &'static str) -> RfcRef {
        RfcRef { rfc, section }
    }

    pub fn url(&self) -> String {
        if self.section.is_empty() {
            format!("https://www.rfc-editor.org/rfc/rfc{}", self.rfc)
        } else {
            format!("https://www.rfc-editor.org/rfc/rfc{}#section-{}", self.rfc, self.section)
        }
    }
}

impl fmt::Display for RfcRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.section.is_empty() {
            write!(f, "RFC {}", self.rfc)
        } else {
            write!(f, "RFC {} §{}", self.rfc, self.section)
        }
    }
}

/// The DNS exchange a finding rests on, as a person would want to see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    pub name: String,
    pub rtype: RecordType,
    /// "NOERROR, 2 records", "NXDOMAIN (the name does not exist)", …
    pub status: String,
    /// The answer records in presentation form.
    pub records: Vec<String>,
}

impl Evidence {
    #[inline(never)]
    pub fn from_lookup(lookup: &Lookup) -> Evidence {
        Evidence {
            name: lookup.name.clone(),
            rtype: lookup.rtype,
            status: lookup.status(),
            records: lookup.records().iter().map(|r| r.to_string()).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// What it is (and, through [`Code::check`], which check said it).
    pub code: Code,
    pub severity: Severity,
    /// One or two sentences in plain words.
    pub message: String,
    pub evidence: Vec<Evidence>,
    pub rfc: Option<RfcRef>,
    /// What to do about it, if anything.
    pub hint: Option<String>,
    /// Byte range in [`Finding::subject`] the finding is about, if any.
    pub span: Option<Range<usize>>,
    /// The record text `span` points into (so a view can mark the bad part).
    pub subject: Option<String>,
}

// The builder methods below are called at a few hundred places; kept out of
// line, each call is a call instead of a copy of its body (1.5 KB of gzip in
// the wasm, measured). None of them is on a hot path.
impl Finding {
    #[inline]
    pub fn new(code: impl Into<Code>, severity: Severity, message: impl Into<String>) -> Finding {
        Finding::build(code.into(), severity, message.into())
    }

    #[inline(never)]
    fn build(code: Code, severity: Severity, message: String) -> Finding {
        Finding { code, severity, message, evidence: Vec::new(), rfc: None, hint: None, span: None, subject: None }
    }

    #[inline(never)]
    pub fn rfc(mut self, rfc: u16, section: &'static str) -> Finding {
        self.rfc = Some(RfcRef::new(rfc, section));
        self
    }

    #[inline(never)]
    pub fn hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    /// The check that said it (the section that shows it).
    pub fn check(&self) -> Check {
        self.code.check()
    }

    /// The part of `text` (a record as published) that the finding is about.
    #[inline(never)]
    pub fn span_in(mut self, text: &str, span: Range<usize>) -> Finding {
        self.span = Some(span);
        self.subject = Some(text.to_string());
        self
    }

    /// `(before, marked, after)`: the subject split around the span, or `None`
    /// when there is none or the span does not fall on character boundaries.
    pub fn marked_subject(&self) -> Option<(&str, &str, &str)> {
        let (text, span) = (self.subject.as_deref()?, self.span.clone()?);
        Some((text.get(..span.start)?, text.get(span.clone())?, text.get(span.end..)?))
    }

    #[inline(never)]
    pub fn evidence(mut self, lookup: &Lookup) -> Finding {
        self.evidence.push(Evidence::from_lookup(lookup));
        self
    }
}

/// The worst severity among findings (`Ok` when there are none).
pub fn worst(findings: &[Finding]) -> Severity {
    findings.iter().map(|f| f.severity).max().unwrap_or(Severity::Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_subject_splits_on_the_span_and_refuses_bad_spans() {
        let f = Finding::new(SpfCode::Syntax, Severity::Error, "m");
        assert_eq!(f.marked_subject(), None);
        let f = f.span_in("v=spf1 +all", 7..11);
        assert_eq!(f.marked_subject(), Some(("v=spf1 ", "+all", "")));
        // Not a character boundary ("é" is two bytes), or past the end: no marking, no panic.
        assert_eq!(f.clone().span_in("v=é", 3..4).marked_subject(), None);
        assert_eq!(f.span_in("v=spf1", 4..40).marked_subject(), None);
    }

    #[test]
    fn rfc_links() {
        assert_eq!(RfcRef::new(7208, "4.6.4").url(), "https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4");
        assert_eq!(RfcRef::new(7505, "").to_string(), "RFC 7505");
    }

    #[test]
    fn worst_severity() {
        let f = |s| Finding::new(MxCode::Single, s, "m");
        assert_eq!(worst(&[]), Severity::Ok);
        assert_eq!(worst(&[f(Severity::Info), f(Severity::Error), f(Severity::Warning)]), Severity::Error);
    }

    #[test]
    fn codes_round_trip_through_their_text_and_are_unique() {
        let all: Vec<Code> = Code::all().collect();
        for code in &all {
            assert_eq!(code.as_str().parse::<Code>(), Ok(*code), "{code}");
            let prefix = code.as_str().split('.').next().unwrap_or_default();
            let check = code.check().to_string().replace('-', "").to_lowercase();
            assert!(check.starts_with(&prefix.replace('-', "")), "{code} is not a {check} code");
        }
        let mut texts: Vec<&str> = all.iter().map(|c| c.as_str()).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), all.len(), "two codes share a text form");
        assert_eq!("spf.no-such-code".parse::<Code>(), Err(UnknownCode));
        for code in Code::all() {
            let text = code.as_str();
            let named = text.ends_with("lookup-failed") || text.ends_with("temperror");
            assert_eq!(code.is_lookup_failure(), named, "{code}");
        }
        assert_eq!(Finding::new(DmarcCode::PNone, Severity::Info, "m").check(), Check::Dmarc);
    }
}
