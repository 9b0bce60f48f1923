//! TLS-RPT (RFC 8460): where senders report TLS failures when delivering to a
//! domain. The `_smtp._tls.<domain>` TXT record: a positioned parser
//! (`FromStr`), a printer (`Display`) that parses back to the same value, and
//! [`check_tlsrpt`] over DNS.
//!
//! ```text
//! tlsrpt-record  = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
//! tlsrpt-version = %s"v=TLSRPTv1"
//! tlsrpt-rua     = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
//! tlsrpt-uri     = URI   ; "mailto:" or "https:"
//! ```

use std::fmt;
use std::str::FromStr;

use crate::dns::{normalize_name, Lookup, RecordType, Resolver};
use crate::finding::{Code, Finding, Severity};
use crate::mta_sts::tags::{self, TagProblem, TxtSpec};
use crate::parse_error::ParseError;

finding_codes! {
    /// The finding codes of this check; text form `tlsrpt.<name>`.
    pub enum TlsRptCode: TlsRpt, "tlsrpt" {
        LookupFailed = "lookup-failed",
        Multiple = "multiple",
        None = "none",
        Ok = "ok",
        Syntax = "syntax",
    }
}

/// The version field every TLS-RPT record starts with, case-sensitive.
pub const TLSRPT_VERSION: &str = "v=TLSRPTv1";

/// A valid TLS-RPT record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TlsRptRecord {
    /// The report destinations, `mailto:` or `https:` URIs, in order (at least one).
    pub rua: Vec<String>,
    /// Extension fields, in order.
    pub extensions: Vec<(String, String)>,
}

/// What is wrong in a TLS-RPT record's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TlsRptErrorKind {
    /// Does not start with `v=TLSRPTv1`.
    NotTlsRptV1,
    /// A part that is not `name=value`, an empty part, or spaces around `=`.
    MalformedField,
    /// No `rua` field.
    MissingRua,
    /// A destination that is not a valid `mailto:` or `https:` URI.
    BadUri,
    /// A field given twice.
    DuplicateField,
    /// An extension whose name or value breaks the syntax.
    BadExtension,
}

pub type TlsRptError = ParseError<TlsRptErrorKind>;

/// Why `uri` is not a usable report destination, if it is not (RFC 8460 §3: "mailto"
/// or "https"; RFC 6068 and RFC 9110 §4.2.2 for their shapes, loosely).
pub fn uri_problem(uri: &str) -> Option<String> {
    if uri.is_empty() || uri.chars().any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii()) {
        return Some(format!("\"{uri}\" contains spaces or characters a URI cannot have"));
    }
    let scheme_end = uri.find(':').unwrap_or(0);
    let (scheme, rest) = (uri.get(..scheme_end).unwrap_or(""), uri.get(scheme_end + 1..).unwrap_or(""));
    if scheme.eq_ignore_ascii_case("mailto") {
        let address = rest.split('?').next().unwrap_or("");
        return match address.rsplit_once('@') {
            Some((local, domain)) if !local.is_empty() && domain.contains('.') && !domain.starts_with('.') => None,
            _ => Some(format!("\"{uri}\" is not mailto: followed by an address (mailto:tlsrpt@example.com)")),
        };
    }
    if scheme.eq_ignore_ascii_case("https") {
        let host = rest.strip_prefix("//").map(|r| r.split(['/', '?', '#']).next().unwrap_or(""));
        return match host {
            Some(h) if !h.is_empty() && !h.contains('@') => None,
            _ => Some(format!("\"{uri}\" is not https:// followed by a host")),
        };
    }
    Some(format!("\"{uri}\" is neither a mailto: nor an https: URI, the two kinds senders use"))
}

impl FromStr for TlsRptRecord {
    type Err = TlsRptError;

    fn from_str(text: &str) -> Result<TlsRptRecord, TlsRptError> {
        use TlsRptErrorKind::*;
        let (own, extensions) = tags::fields(text, TLSRPT_VERSION, "TLS-RPT", &["rua"]).map_err(|(p, at, m)| {
            let kind = match p {
                TagProblem::NotVersion => NotTlsRptV1,
                TagProblem::Malformed => MalformedField,
                TagProblem::Duplicate => DuplicateField,
                TagProblem::BadExtension => BadExtension,
            };
            ParseError::new(kind, at, m)
        })?;
        let Some(field) = own.first() else {
            return Err(ParseError::new(
                MissingRua,
                text.len(),
                "The record has no rua= field naming where reports go (e.g. rua=mailto:tlsrpt@example.com).",
            ));
        };
        let mut rua = Vec::new();
        let mut at = field.value_span.start;
        for raw in field.value.split(',') {
            let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
            let uri = raw.trim_matches([' ', '\t']);
            if let Some(why) = uri_problem(uri) {
                return Err(ParseError::new(BadUri, at + lead, format!("{why}.")));
            }
            rua.push(uri.to_string());
            at += raw.len() + 1;
        }
        Ok(TlsRptRecord { rua, extensions })
    }
}

/// `v=TLSRPTv1; rua=a,b` then the extensions.
impl fmt::Display for TlsRptRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{TLSRPT_VERSION}; rua={}", self.rua.join(","))?;
        for (name, value) in &self.extensions {
            write!(f, "; {name}={value}")?;
        }
        Ok(())
    }
}

/// What the TLS-RPT check found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TlsRptReport {
    pub domain: String,
    /// The one valid record, if there is exactly one.
    pub record: Option<TlsRptRecord>,
    pub findings: Vec<Finding>,
    /// The TXT lookup at `_smtp._tls.<domain>`.
    pub lookups: Vec<Lookup>,
}

/// TLS-RPT as a TXT record check (shared with MTA-STS and BIMI: `tags`).
const SPEC: TxtSpec = TxtSpec {
    what: "TLS-RPT",
    version: TLSRPT_VERSION,
    who: "senders",
    none_effect: "senders that fail to set up TLS with your MX have nowhere to report it.",
    rfc: Some((8460, "3")),
    lookup_failed: Code::TlsRpt(TlsRptCode::LookupFailed),
    none: Code::TlsRpt(TlsRptCode::None),
    multiple: Code::TlsRpt(TlsRptCode::Multiple),
    syntax: Code::TlsRpt(TlsRptCode::Syntax),
};

/// Looks up and checks `_smtp._tls.<domain>` (RFC 8460 §3).
pub async fn check_tlsrpt<R: Resolver>(resolver: &R, domain: &str) -> TlsRptReport {
    let domain = normalize_name(domain);
    let lookup = resolver.lookup(&format!("_smtp._tls.{domain}"), RecordType::Txt).await;
    let mut report = TlsRptReport { domain, record: None, findings: Vec::new(), lookups: Vec::new() };
    let f = match SPEC.one_record(&lookup) {
        Ok(text) => match text.parse::<TlsRptRecord>() {
            Ok(record) => {
                let f =
                    Finding::new(TlsRptCode::Ok, Severity::Ok, format!("TLS reports go to {}.", record.rua.join(", ")));
                report.record = Some(record);
                f.evidence(&lookup)
            }
            Err(e) => SPEC.syntax(&text, e.offset, &e.message).evidence(&lookup),
        },
        Err(f) if f.code == SPEC.none => f.hint(format!(
            "Publish a TXT record at {}: \"v=TLSRPTv1; rua=mailto:tlsrpt@{}\".",
            lookup.name, report.domain
        )),
        Err(f) => f,
    };
    report.findings.push(f);
    report.lookups.push(lookup);
    report
}

tags::txt_check_report!(TlsRptReport, SPEC);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris() {
        assert_eq!(uri_problem("mailto:tls@example.com"), None);
        assert_eq!(uri_problem("https://reports.example.com/v1/tlsrpt"), None);
        for bad in ["mailto:example.com", "https:/x", "http://x.example", "tls@example.com", "mailto:a b@c.d", ""] {
            assert!(uri_problem(bad).is_some(), "{bad}");
        }
    }
}
