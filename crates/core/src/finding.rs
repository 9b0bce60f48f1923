//! Findings: what the checks say about someone's DNS.
//!
//! A problem in the user's DNS is a [`Finding`], never an `Err`. Every
//! finding carries a stable `code` (for diagnosis rules and tests), a
//! severity, a plain-words message, the DNS evidence it rests on, and the
//! RFC section that makes it a problem.

use std::fmt;
use std::ops::Range;

use crate::dns::{Lookup, RecordType};

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
    Smtp,
    Blocklist,
    MtaSts,
    TlsRpt,
    Dane,
    Bimi,
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
            Check::Smtp => "SMTP reply",
            Check::Blocklist => "Blocklists",
            Check::MtaSts => "MTA-STS",
            Check::TlsRpt => "TLS-RPT",
            Check::Dane => "DANE",
            Check::Bimi => "BIMI",
        })
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
    pub check: Check,
    /// Stable identifier, `"<check>.<what>"`, e.g. `"spf.too-many-lookups"`.
    pub code: &'static str,
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
    #[inline(never)]
    pub fn new(check: Check, code: &'static str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            check,
            code,
            severity,
            message: message.into(),
            evidence: Vec::new(),
            rfc: None,
            hint: None,
            span: None,
            subject: None,
        }
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
        let f = Finding::new(Check::Spf, "spf.x", Severity::Error, "m");
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
        let f = |s| Finding::new(Check::Mx, "mx.x", s, "m");
        assert_eq!(worst(&[]), Severity::Ok);
        assert_eq!(worst(&[f(Severity::Info), f(Severity::Error), f(Severity::Warning)]), Severity::Error);
    }
}
