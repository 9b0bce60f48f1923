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
use crate::finding::{Finding, Severity};
use crate::mta_sts::tags::{self, has_version, is_ext_name, is_ext_value};
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
        if !has_version(text, TLSRPT_VERSION) {
            return Err(ParseError::new(NotTlsRptV1, 0, "A TLS-RPT record must start with v=TLSRPTv1 (exactly so)."));
        }
        let fields = tags::split(text).map_err(|e| ParseError::new(MalformedField, e.span.start, e.message))?;
        let mut rua: Option<Vec<String>> = None;
        let mut extensions: Vec<(String, String)> = Vec::new();
        for field in fields.iter().skip(1) {
            let repeated = (field.name == "rua" && rua.is_some()) || extensions.iter().any(|(n, _)| n == field.name);
            if repeated || field.name == "v" {
                let message = format!("The field \"{}\" appears more than once.", field.name);
                return Err(ParseError::new(DuplicateField, field.span.start, message));
            }
            if field.name == "rua" {
                let mut uris = Vec::new();
                let mut at = field.value_span.start;
                for raw in field.value.split(',') {
                    let lead = raw.len() - raw.trim_start_matches([' ', '\t']).len();
                    let uri = raw.trim_matches([' ', '\t']);
                    if let Some(why) = uri_problem(uri) {
                        return Err(ParseError::new(BadUri, at + lead, format!("{why}.")));
                    }
                    uris.push(uri.to_string());
                    at += raw.len() + 1;
                }
                rua = Some(uris);
            } else if is_ext_name(field.name) && is_ext_value(field.value) {
                extensions.push((field.name.to_string(), field.value.to_string()));
            } else {
                let message = format!("\"{}={}\" is not a valid extension field.", field.name, field.value);
                return Err(ParseError::new(BadExtension, field.span.start, message));
            }
        }
        match rua {
            Some(rua) => Ok(TlsRptRecord { rua, extensions }),
            None => Err(ParseError::new(
                MissingRua,
                text.len(),
                "The record has no rua= field naming where reports go (e.g. rua=mailto:tlsrpt@example.com).",
            )),
        }
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

fn finding(code: TlsRptCode, severity: Severity, message: impl Into<String>) -> Finding {
    Finding::new(code, severity, message)
}

/// Looks up and checks `_smtp._tls.<domain>` (RFC 8460 §3).
pub async fn check_tlsrpt<R: Resolver>(resolver: &R, domain: &str) -> TlsRptReport {
    let domain = normalize_name(domain);
    let lookup = resolver.lookup(&format!("_smtp._tls.{domain}"), RecordType::Txt).await;
    let mut report = TlsRptReport { domain, record: None, findings: Vec::new(), lookups: Vec::new() };
    let name = &lookup.name;
    let f = if let Some(why) = lookup.couldnt_ask() {
        let message = format!(
            "Could not look up the TLS-RPT record at {name} ({why}). This says nothing about the record itself."
        );
        finding(TlsRptCode::LookupFailed, Severity::Warning, message)
    } else {
        let records: Vec<String> = lookup.joined_txt().into_iter().filter(|r| has_version(r, TLSRPT_VERSION)).collect();
        match records.as_slice() {
            [] => finding(
                TlsRptCode::None,
                Severity::Info,
                format!("No TLS-RPT record at {name}: senders that fail to set up TLS with your MX have nowhere to report it."),
            )
            .rfc(8460, "3")
            .hint(format!("Publish a TXT record at {name}: \"v=TLSRPTv1; rua=mailto:tlsrpt@{}\".", report.domain)),
            [text] => match text.parse::<TlsRptRecord>() {
                Ok(record) => {
                    let f = finding(TlsRptCode::Ok, Severity::Ok, format!("TLS reports go to {}.", record.rua.join(", ")));
                    report.record = Some(record);
                    f
                }
                Err(e) => {
                    let end = text.get(e.offset..).and_then(|r| r.find([',', ';'])).map_or(text.len(), |n| e.offset + n);
                    let message = format!("The TLS-RPT record is invalid, so senders send no reports: {}", e.message);
                    finding(TlsRptCode::Syntax, Severity::Error, message).rfc(8460, "3").span_in(text, e.offset..end)
                }
            },
            several => finding(
                TlsRptCode::Multiple,
                Severity::Error,
                format!("{} TLS-RPT records at {name}: with more than one, senders use none. Keep one.", several.len()),
            )
            .rfc(8460, "3"),
        }
    };
    report.findings.push(f.evidence(&lookup));
    report.lookups.push(lookup);
    report
}

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
