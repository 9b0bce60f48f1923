//! DANE for SMTP (RFC 7672): TLSA records at `_25._tcp.<mx host>` pin the
//! certificates of a domain's mail servers, for senders that validate DNSSEC.
//!
//! What DNS can tell: whether each MX host publishes TLSA records, whether the
//! answers were DNSSEC-validated (the resolver's AD bit — without it DANE senders
//! ignore the records, RFC 7672 §2.2), and whether the records are usable for
//! SMTP ([`tlsa`]). What it cannot: whether they match the certificate the server
//! presents, which needs an SMTP connection, impossible from a browser — the
//! report carries the commands that do it.

pub mod tlsa;

pub use tlsa::{Tlsa, TlsaError, TlsaErrorKind, TlsaIssue};

use crate::dns::{normalize_name, Lookup, Outcome, RecordType, Resolver};
use crate::finding::{Finding, Severity};
use crate::join::join_all;

finding_codes! {
    /// The finding codes of this check; text form `dane.<name>`.
    pub enum DaneCode: Dane, "dane" {
        BadDigestLength = "bad-digest-length",
        EmptyData = "empty-data",
        LookupFailed = "lookup-failed",
        NoUsableRecords = "no-usable-records",
        None = "none",
        NotAuthenticated = "not-authenticated",
        Ok = "ok",
        PkixUsage = "pkix-usage",
        UnknownParameter = "unknown-parameter",
    }
}

/// What was found for one MX host.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DaneHost {
    pub host: String,
    /// `_25._tcp.<host>`.
    pub tlsa_name: String,
    pub records: Vec<Tlsa>,
    /// The resolver set AD on the TLSA answer (RFC 4035 §3.2.3).
    pub authenticated: bool,
    /// Commands that compare the records with the certificate the host presents.
    pub commands: Vec<String>,
}

/// What the DANE check found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DaneReport {
    /// The hosts with TLSA records, in MX order.
    pub hosts: Vec<DaneHost>,
    pub findings: Vec<Finding>,
    /// One TLSA lookup a host, in MX order.
    pub lookups: Vec<Lookup>,
}

fn finding(code: DaneCode, severity: Severity, message: impl Into<String>) -> Finding {
    Finding::new(code, severity, message)
}

/// The TLSA owner name for SMTP on port 25 (RFC 7672 §2.2.3, RFC 6698 §3).
pub fn tlsa_name(host: &str) -> String {
    format!("_25._tcp.{}", normalize_name(host))
}

/// The commands that show whether `host`'s certificate matches its TLSA records:
/// posttls-finger (Postfix) looks the records up itself; openssl is given them.
pub fn smtp_commands(host: &str, records: &[Tlsa]) -> Vec<String> {
    let host = normalize_name(host);
    let rrdata: String = records.iter().map(|r| format!(" -dane_tlsa_rrdata \"{r}\"")).collect();
    vec![
        format!("posttls-finger -t30 -T180 -c -L verbose,summary -l dane \"[{host}]:25\""),
        format!(
            "openssl s_client -brief -starttls smtp -connect {host}:25 -dane_tlsa_domain {host}{rrdata} </dev/null"
        ),
    ]
}

/// Asks for the TLSA records of every MX host at once and checks them.
pub async fn check_dane<R: Resolver>(resolver: &R, mx_hosts: &[String]) -> DaneReport {
    // A loop, not a map chain collected: smaller in the wasm.
    let mut names: Vec<String> = Vec::with_capacity(mx_hosts.len());
    for h in mx_hosts {
        names.push(tlsa_name(h));
    }
    let lookups = join_all(names.iter().map(|n| resolver.lookup(n, RecordType::Tlsa))).await;
    let mut report = DaneReport { hosts: Vec::new(), findings: Vec::new(), lookups: Vec::new() };
    for (host, lookup) in mx_hosts.iter().zip(&lookups) {
        check_host(&mut report, &normalize_name(host), lookup);
    }
    if report.hosts.is_empty()
        && !report.findings.iter().any(|f| f.code == DaneCode::LookupFailed)
        && !mx_hosts.is_empty()
    {
        let message = "No MX host publishes TLSA records: DANE is not in use, so DNSSEC-validating senders fall \
                       back to opportunistic TLS (MTA-STS can protect delivery instead).";
        report.findings.push(finding(DaneCode::None, Severity::Info, message).rfc(7672, "2.2"));
    }
    report.lookups = lookups;
    report
}

fn check_host(report: &mut DaneReport, host: &str, lookup: &Lookup) {
    let name = &lookup.name;
    if let Some(why) = lookup.couldnt_ask() {
        let message = format!(
            "Could not look up the TLSA records of {host} at {name} ({why}). A DANE sender whose resolver fails the \
             same way defers mail to this host rather than deliver it unverified."
        );
        report
            .findings
            .push(finding(DaneCode::LookupFailed, Severity::Warning, message).rfc(7672, "2.2").evidence(lookup));
        return;
    }
    if !matches!(lookup.outcome, Outcome::Records(_)) {
        return;
    }
    // A loop, not a filter_map collected (see the MX report's lookups).
    let mut records: Vec<Tlsa> = Vec::new();
    for d in lookup.data() {
        if let Some(tlsa) = Tlsa::from_rdata(d) {
            records.push(tlsa);
        }
    }
    let commands = smtp_commands(host, &records);
    if !lookup.authenticated {
        let message = format!(
            "{host} publishes TLSA records, but the answer was not DNSSEC-validated (no AD flag). DANE needs a signed \
             zone: senders ignore unvalidated TLSA records, so these do nothing."
        );
        let f = finding(DaneCode::NotAuthenticated, Severity::Warning, message).rfc(7672, "2.2");
        report.findings.push(
            f.hint("Sign the zone (DNSSEC) and publish its DS at the parent, or remove the TLSA records.")
                .evidence(lookup),
        );
    }
    for record in &records {
        record_findings(report, host, record, lookup);
    }
    let usable = records.iter().filter(|r| r.usable_for_smtp()).count();
    if usable == 0 {
        let message = format!(
            "None of {host}'s TLSA records is usable for SMTP, so DANE senders still require TLS but authenticate \
             nothing."
        );
        report
            .findings
            .push(finding(DaneCode::NoUsableRecords, Severity::Warning, message).rfc(7672, "2.2").evidence(lookup));
    } else if lookup.authenticated {
        let message = format!(
            "{host} has {usable} usable TLSA record{} in a validated answer; whether they match its certificate shows only \
             over SMTP.",
            if usable == 1 { "" } else { "s" }
        );
        let f =
            finding(DaneCode::Ok, Severity::Ok, message).hint(format!("Check it with: {}", commands.join("  or  ")));
        report.findings.push(f.evidence(lookup));
    }
    report.hosts.push(DaneHost {
        host: host.to_string(),
        tlsa_name: name.clone(),
        records,
        authenticated: lookup.authenticated,
        commands,
    });
}

/// The findings for one record's fields (RFC 7672 §3.1, RFC 6698 §2.1).
fn record_findings(report: &mut DaneReport, host: &str, record: &Tlsa, lookup: &Lookup) {
    let subject = record.to_string();
    for issue in record.issues() {
        let f = match issue {
            TlsaIssue::PkixUsage => finding(
                DaneCode::PkixUsage,
                Severity::Warning,
                format!(
                    "TLSA record \"{subject}\" of {host} has usage {} ({}): SMTP senders treat PKIX-TA(0) and PKIX-EE(1) \
                     as unusable. Use 3 (DANE-EE) or 2 (DANE-TA).",
                    record.usage,
                    record.usage_name().unwrap_or("?")
                ),
            )
            .rfc(7672, "3.1.3"),
            TlsaIssue::UnknownUsage | TlsaIssue::UnknownSelector | TlsaIssue::UnknownMatchingType => finding(
                DaneCode::UnknownParameter,
                Severity::Warning,
                format!("TLSA record \"{subject}\" of {host} uses an undefined usage, selector or matching type, so senders ignore it."),
            )
            .rfc(6698, "2.1"),
            TlsaIssue::DigestLength => finding(
                DaneCode::BadDigestLength,
                Severity::Error,
                format!(
                    "TLSA record \"{subject}\" of {host} has {} octets of data, but matching type {} means a {}-octet digest: it matches nothing.",
                    record.data.len(),
                    record.matching_type,
                    if record.matching_type == 1 { 32 } else { 64 }
                ),
            )
            .rfc(6698, "2.1.3"),
            TlsaIssue::EmptyData => finding(
                DaneCode::EmptyData,
                Severity::Error,
                format!("TLSA record \"{subject}\" of {host} has no certificate data: it matches nothing."),
            )
            .rfc(6698, "2.1.4"),
        };
        report.findings.push(f.evidence(lookup));
    }
}

/// The registry's contract (see `check`).
impl crate::check::CheckReport for DaneReport {
    fn findings(&self) -> &[Finding] {
        &self.findings
    }

    fn lookups(&self) -> Vec<Lookup> {
        self.lookups.clone()
    }

    /// Not checked without MX hosts; unknown when no TLSA question could be
    /// asked; absent when no host publishes TLSA; else by the findings.
    fn status(&self) -> crate::check::Status {
        use crate::check::Status;
        if self.lookups.is_empty() {
            return Status::NotChecked;
        }
        if self.findings.iter().any(|f| f.code == DaneCode::None) {
            return Status::Absent;
        }
        Status::of(self.lookups.iter().all(Lookup::is_failure), &self.findings)
    }
}
