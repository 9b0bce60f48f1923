//! BIMI (draft-brand-indicators-for-message-identification; not an RFC): the
//! `default._bimi.<domain>` TXT record that points receivers at a brand logo (SVG)
//! and the certificate (VMC/CMC, PEM) vouching for it. A positioned parser
//! (`FromStr`), a printer (`Display`) that parses back to the same value, and
//! [`check_bimi`] over DNS. The SVG profile and the certificate chain need the
//! files themselves and are not checked here.
//!
//! ```text
//! v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem
//! ```
//!
//! `l=` and `a=` may be empty: `v=BIMI1; l=; a=;` is a declination ("no logo").

use std::fmt;
use std::str::FromStr;

use crate::dmarc::{DmarcReport, Policy};
use crate::dns::{normalize_name, Lookup, RecordType, Resolver};
use crate::finding::{Code, Finding, Severity};
use crate::mta_sts::tags::{self, TagProblem, TxtSpec};
use crate::parse_error::ParseError;

finding_codes! {
    /// The finding codes of this check; text form `bimi.<name>`.
    pub enum BimiCode: Bimi, "bimi" {
        AuthorityNotPem = "authority-not-pem",
        Declined = "declined",
        DmarcNotEnforced = "dmarc-not-enforced",
        DmarcUnknown = "dmarc-unknown",
        LogoNotSvg = "logo-not-svg",
        LookupFailed = "lookup-failed",
        Multiple = "multiple",
        NoAuthority = "no-authority",
        NoLogo = "no-logo",
        None = "none",
        Ok = "ok",
        Syntax = "syntax",
    }
}

/// The version field every BIMI record starts with.
pub const BIMI_VERSION: &str = "v=BIMI1";

/// A valid BIMI assertion record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BimiRecord {
    /// `l=`: the logo's https URL; `None` when empty (a declination).
    pub logo: Option<String>,
    /// `a=`: the Verified Mark or Common Mark Certificate's https URL; `None` when absent or empty.
    pub authority: Option<String>,
    /// Other fields (e.g. `avp=` of later drafts), in order.
    pub extensions: Vec<(String, String)>,
}

impl BimiRecord {
    /// "No logo for this domain": `l=` empty and no `a=`.
    pub fn is_declination(&self) -> bool {
        self.logo.is_none() && self.authority.is_none()
    }
}

/// What is wrong in a BIMI record's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum BimiErrorKind {
    /// Does not start with `v=BIMI1`.
    NotBimi1,
    /// A part that is not `name=value`, or spaces around `=`.
    MalformedField,
    /// No `l=` field.
    MissingLogo,
    /// A URL that is not `https://host/…`.
    NotHttps,
    /// A field given twice.
    DuplicateField,
    /// An extension whose name or value breaks the syntax.
    BadExtension,
}

pub type BimiError = ParseError<BimiErrorKind>;

/// Whether `url` is `https://` and a host, with no spaces or non-ASCII.
fn is_https_url(url: &str) -> bool {
    let Some(scheme) = url.get(..8) else { return false };
    let host = url.get(8..).unwrap_or("").split(['/', '?', '#']).next().unwrap_or("");
    scheme.eq_ignore_ascii_case("https://")
        && !host.is_empty()
        && !host.contains('@')
        && url.bytes().all(|b| b.is_ascii_graphic() && b != b';')
}

impl FromStr for BimiRecord {
    type Err = BimiError;

    fn from_str(text: &str) -> Result<BimiRecord, BimiError> {
        use BimiErrorKind::*;
        let (own, extensions) = tags::fields(text, BIMI_VERSION, "BIMI", &["l", "a"]).map_err(|(p, at, m)| {
            let kind = match p {
                TagProblem::NotVersion => NotBimi1,
                TagProblem::Malformed => MalformedField,
                TagProblem::Duplicate => DuplicateField,
                TagProblem::BadExtension => BadExtension,
            };
            ParseError::new(kind, at, m)
        })?;
        let (mut logo, mut authority) = (None, None);
        for field in own {
            if !field.value.is_empty() && !is_https_url(field.value) {
                let message = format!("{}= must be an https:// URL, not \"{}\".", field.name, field.value);
                return Err(ParseError::new(NotHttps, field.value_span.start, message));
            }
            let value = (!field.value.is_empty()).then(|| field.value.to_string());
            *(if field.name == "l" { &mut logo } else { &mut authority }) = Some(value);
        }
        let Some(logo) = logo else {
            return Err(ParseError::new(MissingLogo, text.len(), "The record has no l= field (the logo's https URL)."));
        };
        Ok(BimiRecord { logo, authority: authority.flatten(), extensions })
    }
}

/// `v=BIMI1; l=…` then `a=…` when there is one, then the extensions.
impl fmt::Display for BimiRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{BIMI_VERSION}; l={}", self.logo.as_deref().unwrap_or(""))?;
        if let Some(a) = &self.authority {
            write!(f, "; a={a}")?;
        }
        for (name, value) in &self.extensions {
            write!(f, "; {name}={value}")?;
        }
        Ok(())
    }
}

/// What the BIMI check found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BimiReport {
    pub domain: String,
    /// The one valid record, if there is exactly one.
    pub record: Option<BimiRecord>,
    pub findings: Vec<Finding>,
    /// The TXT lookup at `default._bimi.<domain>`.
    pub lookups: Vec<Lookup>,
}

fn finding(code: BimiCode, severity: Severity, message: impl Into<String>) -> Finding {
    Finding::new(code, severity, message)
}

/// BIMI as a TXT record check (shared with MTA-STS and TLS-RPT: `tags`).
const SPEC: TxtSpec = TxtSpec {
    what: "BIMI",
    version: BIMI_VERSION,
    who: "receivers",
    none_effect: "no brand logo is shown next to your mail.",
    rfc: None,
    lookup_failed: Code::Bimi(BimiCode::LookupFailed),
    none: Code::Bimi(BimiCode::None),
    multiple: Code::Bimi(BimiCode::Multiple),
    syntax: Code::Bimi(BimiCode::Syntax),
};

/// The one question the BIMI check asks: `default._bimi.<domain>` TXT.
pub fn bimi_question(domain: &str) -> (String, RecordType) {
    (format!("default._bimi.{}", normalize_name(domain)), RecordType::Txt)
}

/// Looks up and checks `default._bimi.<domain>`. `dmarc` is whether the domain's
/// DMARC meets BIMI's requirement, or why not ([`dmarc_enforcement`], from the
/// DMARC check; `None` if unknown): receivers show no logo without it.
pub async fn check_bimi<R: Resolver>(resolver: &R, domain: &str, dmarc: Option<Result<(), String>>) -> BimiReport {
    let (name, rtype) = bimi_question(domain);
    let lookup = resolver.lookup(&name, rtype).await;
    let domain = normalize_name(domain);
    let mut report = BimiReport { domain, record: None, findings: Vec::new(), lookups: Vec::new() };
    match SPEC.one_record(&lookup).map(|text| text.parse::<BimiRecord>().map_err(|e| (e, text))) {
        Ok(Ok(record)) => {
            record_findings(&mut report, &record, &lookup);
            // A declination asks for no logo: DMARC's strength does not matter to it.
            if !record.is_declination() {
                dmarc_findings(&mut report, dmarc);
            }
            report.record = Some(record);
        }
        Ok(Err((e, text))) => report.findings.push(SPEC.syntax(&text, e.offset, &e.message).evidence(&lookup)),
        Err(f) => report.findings.push(f),
    }
    report.lookups.push(lookup);
    report
}

fn record_findings(report: &mut BimiReport, record: &BimiRecord, lookup: &Lookup) {
    if record.is_declination() {
        let message = "The BIMI record declines BIMI (empty l=): receivers show no logo, on purpose.";
        report.findings.push(finding(BimiCode::Declined, Severity::Info, message).evidence(lookup));
        return;
    }
    let ends_with = |url: &str, ext: &str| {
        let path = url.split(['?', '#']).next().unwrap_or(url);
        path.len() >= ext.len() && path.get(path.len() - ext.len()..).is_some_and(|e| e.eq_ignore_ascii_case(ext))
    };
    match &record.logo {
        Some(logo) if !ends_with(logo, ".svg") => {
            let message = format!("The logo URL {logo} does not end in .svg; BIMI logos must be SVG Tiny PS files.");
            report.findings.push(finding(BimiCode::LogoNotSvg, Severity::Warning, message).evidence(lookup));
        }
        None => {
            let message = "l= is empty but a= is set: there is no logo to show.";
            report.findings.push(finding(BimiCode::NoLogo, Severity::Warning, message).evidence(lookup));
        }
        Some(_) => {}
    }
    match &record.authority {
        None => {
            let message = "No a= certificate (VMC or CMC): Gmail and Apple Mail show no logo without one; some other \
                           receivers do.";
            report.findings.push(finding(BimiCode::NoAuthority, Severity::Info, message).evidence(lookup));
        }
        Some(a) if !ends_with(a, ".pem") => {
            let message = format!("The certificate URL {a} does not end in .pem; the certificate must be a PEM file.");
            report.findings.push(finding(BimiCode::AuthorityNotPem, Severity::Warning, message).evidence(lookup));
        }
        Some(_) => {}
    }
    let message = "The BIMI record is valid. The SVG profile and the certificate need the files themselves, which \
                   this page does not fetch.";
    report.findings.push(finding(BimiCode::Ok, Severity::Ok, message).evidence(lookup));
}

tags::txt_check_report!(BimiReport, SPEC);

/// Whether the DMARC answer meets BIMI's requirement, or why not. The draft's
/// receiver steps 7 to 9 ("Authentication Requirements"; draft-brand-indicators-
/// for-message-identification, github.com/authindicators/rfc-brand-indicators-
/// for-message-identification, checked 2026-12-05): no BIMI when the DMARC
/// policy of the Author Domain or of its Organizational Domain is p=none, when
/// either record has sp=none, or when a p=quarantine record has pct under 100.
/// RFC 9989's test mode (`t=y`, §4.7) is not enforcement either. `None` when
/// DMARC could not be asked, so nothing is known.
pub fn dmarc_enforcement(dmarc: &DmarcReport) -> Option<Result<(), String>> {
    let failed = dmarc.lookups.iter().any(Lookup::is_failure);
    if (dmarc.found_at.is_none() || dmarc.org_domain.is_none()) && failed {
        return None;
    }
    let applied = dmarc.applied_policy.map_or("none", Policy::as_str);
    if !matches!(dmarc.applied_policy, Some(Policy::Quarantine | Policy::Reject)) {
        return Some(Err(format!("the policy for {} is {applied}", dmarc.domain)));
    }
    // The record that applies, and the organizational domain's own record.
    let org = dmarc.org_domain.as_deref();
    let org_record = dmarc.discovery.steps.iter().find(|s| Some(s.domain.as_str()) == org);
    let records =
        [(dmarc.found_at.as_deref(), dmarc.record.as_ref()), (org, org_record.and_then(|s| s.valid_record()))];
    for (at, record) in records {
        let (Some(at), Some(r)) = (at, record) else { continue };
        let why = match (r.p, r.sp, r.t, r.pct) {
            (Some(Policy::None) | None, ..) => "p=none".to_string(),
            (_, Some(Policy::None), ..) => "sp=none".to_string(),
            (_, _, Some(true), _) => "t=y (testing)".to_string(),
            (Some(Policy::Quarantine), _, _, Some(pct)) if pct < 100 => format!("p=quarantine with pct={pct}"),
            _ => continue,
        };
        return Some(Err(format!("_dmarc.{at} has {why}")));
    }
    Some(Ok(()))
}

/// BIMI requires DMARC at enforcement (quarantine or reject) on the From domain.
fn dmarc_findings(report: &mut BimiReport, dmarc: Option<Result<(), String>>) {
    match dmarc {
        Some(Ok(())) => {}
        Some(Err(why)) => {
            let message = format!(
                "DMARC is not at enforcement ({why}): receivers ignore the BIMI record until the domain and its \
                 organizational domain both have p=quarantine or p=reject, and no sp=none."
            );
            let f = finding(BimiCode::DmarcNotEnforced, Severity::Error, message).rfc(9989, "4.7");
            report
                .findings
                .push(f.hint("Move the DMARC policy to p=quarantine or p=reject once reports show your mail aligns."));
        }
        None => {
            let message = "Whether DMARC is at enforcement is unknown here; BIMI needs p=quarantine or p=reject.";
            report.findings.push(finding(BimiCode::DmarcUnknown, Severity::Info, message));
        }
    }
}
