//! [`check_mta_sts`]: the `_mta-sts` TXT record, the `mta-sts.<domain>` host the
//! policy is served from, and — when the person pastes it — the policy file
//! against the domain's MX hosts.

use super::policy::{Mode, MtaStsPolicy};
use super::record::{MtaStsRecord, STS_VERSION};
use super::tags::TxtSpec;
use crate::dns::{normalize_name, Lookup, Outcome, RecordType, Resolver};
use crate::finding::{Code, Finding, Severity};
use crate::mta_sts::MtaStsCode;

/// A day: below this, a policy expires from senders' caches almost at once, so a
/// network attacker who blocks the next fetch gets plaintext (RFC 8461 §10.2 asks
/// for lifetimes of weeks).
const SHORT_MAX_AGE: u32 = 86_400;

/// What the MTA-STS check found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MtaStsReport {
    pub domain: String,
    /// The one valid `v=STSv1` record, if there is exactly one.
    pub record: Option<MtaStsRecord>,
    /// The pasted policy, if it parsed.
    pub policy: Option<MtaStsPolicy>,
    /// `https://mta-sts.<domain>/.well-known/mta-sts.txt`.
    pub policy_url: String,
    /// The command that fetches the policy the way RFC 8461 §3.3 says senders do.
    pub curl_command: String,
    pub findings: Vec<Finding>,
    /// The TXT lookup, then the policy host's A and AAAA.
    pub lookups: Vec<Lookup>,
}

/// Where senders fetch the policy from (RFC 8461 §3.3).
pub fn policy_url(domain: &str) -> String {
    format!("https://mta-sts.{}/.well-known/mta-sts.txt", normalize_name(domain))
}

fn finding(code: MtaStsCode, severity: Severity, message: impl Into<String>) -> Finding {
    Finding::new(code, severity, message)
}

/// The questions the check asks, whatever the MX hosts: the `_mta-sts`
/// record (RFC 8461 §3.1) and the policy host's addresses (§3.3).
pub fn mta_sts_questions(domain: &str) -> [(String, RecordType); 3] {
    let domain = normalize_name(domain);
    let host = format!("mta-sts.{domain}");
    [(format!("_mta-sts.{domain}"), RecordType::Txt), (host.clone(), RecordType::A), (host, RecordType::Aaaa)]
}

/// Checks `domain`'s MTA-STS. `policy_text` is the policy file as pasted, if any;
/// `mx_hosts` the domain's MX host names (from the MX check), which a policy in
/// `enforce` must all cover.
pub async fn check_mta_sts<R: Resolver>(
    resolver: &R,
    domain: &str,
    policy_text: Option<&str>,
    mx_hosts: &[String],
) -> MtaStsReport {
    // Asked exactly as the runner asks them early (`check::runner::early_questions`),
    // so that a `SharedResolver` finds them answered rather than asking again.
    let [(txt_name, txt_type), (host, a_type), (_, aaaa_type)] = mta_sts_questions(domain);
    let domain = normalize_name(domain);
    let (txt, a, aaaa) = futures::join!(
        resolver.lookup(&txt_name, txt_type),
        resolver.lookup(&host, a_type),
        resolver.lookup(&host, aaaa_type),
    );
    let url = policy_url(&domain);
    let mut report = MtaStsReport {
        curl_command: format!("curl -sS --max-redirs 0 -w '\\nHTTP %{{http_code}} %{{content_type}}\\n' {url}"),
        policy_url: url,
        domain,
        record: None,
        policy: None,
        findings: Vec::new(),
        lookups: Vec::new(),
    };
    let published = read_record(&mut report, &txt);
    if published || policy_text.is_some() {
        check_policy_host(&mut report, &a, &aaaa);
    }
    match policy_text {
        Some(text) => check_policy(&mut report, text, mx_hosts, published),
        None if published => {
            let f = finding(
                MtaStsCode::PolicyNotFetched,
                Severity::Info,
                format!(
                    "The policy file at {} is not fetched from this page: paste it into the form's MTA-STS box to check it against your MX hosts.",
                    report.policy_url
                ),
            )
            // No hint with the curl command: the section shows it under its title.
            .rfc(8461, "3.3");
            report.findings.push(f);
        }
        None => {}
    }
    report.lookups = vec![txt, a, aaaa];
    report
}

/// MTA-STS as a TXT record check (shared with TLS-RPT and BIMI: `tags`).
const SPEC: TxtSpec = TxtSpec {
    what: "MTA-STS",
    version: STS_VERSION,
    who: "senders",
    none_effect: "senders deliver over TLS when they can, but fall back to plaintext if the TLS handshake is blocked.",
    rfc: Some((8461, "3.1")),
    lookup_failed: Code::MtaSts(MtaStsCode::LookupFailed),
    none: Code::MtaSts(MtaStsCode::None),
    multiple: Code::MtaSts(MtaStsCode::Multiple),
    syntax: Code::MtaSts(MtaStsCode::RecordSyntax),
};

/// The TXT part (RFC 8461 §3.1). True when exactly one valid record is published.
fn read_record(report: &mut MtaStsReport, txt: &Lookup) -> bool {
    let f = match SPEC.one_record(txt) {
        Ok(text) => match text.parse::<MtaStsRecord>() {
            Ok(record) => {
                let message = format!("MTA-STS record found, policy id {}.", record.id);
                report.findings.push(finding(MtaStsCode::RecordOk, Severity::Ok, message).evidence(txt));
                report.record = Some(record);
                return true;
            }
            Err(e) => SPEC.syntax(&text, e.offset, &e.message).evidence(txt),
        },
        Err(f) if f.code == SPEC.none => f.hint("Publish a policy file and then \"v=STSv1; id=<date>\" at that name."),
        Err(f) => f,
    };
    report.findings.push(f);
    false
}

/// The host the policy is served from must resolve (RFC 8461 §3.3).
fn check_policy_host(report: &mut MtaStsReport, a: &Lookup, aaaa: &Lookup) {
    let has_address = |l: &Lookup| matches!(l.outcome, Outcome::Records(_));
    if has_address(a) || has_address(aaaa) {
        return;
    }
    let host = &a.name;
    if let Some(why) = a.couldnt_ask().or_else(|| aaaa.couldnt_ask()) {
        let message = format!("Could not look up {host}, where the policy is served ({why}).");
        let f = finding(MtaStsCode::HostLookupFailed, Severity::Warning, message);
        report.findings.push(f.evidence(a).evidence(aaaa));
        return;
    }
    let message = format!(
        "{host} has no address (A or AAAA), so senders cannot fetch the policy: the MTA-STS record has no effect."
    );
    let f = finding(MtaStsCode::HostMissing, Severity::Error, message).rfc(8461, "3.3");
    report.findings.push(
        f.hint(format!("Publish {host} with HTTPS and a valid certificate for that name.")).evidence(a).evidence(aaaa),
    );
}

/// The pasted policy: syntax, mode, max_age, and MX coverage (RFC 8461 §3.2, §4.1, §5).
fn check_policy(report: &mut MtaStsReport, text: &str, mx_hosts: &[String], published: bool) {
    let policy = match text.parse::<MtaStsPolicy>() {
        Ok(p) => p,
        Err(e) => {
            let message = format!("The policy file is invalid, so senders ignore it: {}", e.message);
            let end = text.get(e.offset..).and_then(|rest| rest.find('\n')).map_or(text.len(), |n| e.offset + n);
            let f = finding(MtaStsCode::PolicySyntax, Severity::Error, message).rfc(8461, "3.2");
            report.findings.push(f.span_in(text, e.offset..end));
            return;
        }
    };
    match policy.mode {
        Mode::None => {
            let message = if published {
                "The policy says mode: none: MTA-STS is being withdrawn. Keep this policy up until the old max_age has \
                 passed, then remove the TXT record (RFC 8461 §8.3)."
            } else {
                "The policy says mode: none: senders apply no MTA-STS."
            };
            report.findings.push(finding(MtaStsCode::ModeNone, Severity::Info, message).rfc(8461, "8.3"));
        }
        Mode::Testing => {
            let message =
                "The policy is in mode: testing: senders report TLS failures (via TLS-RPT) but deliver anyway.";
            report.findings.push(finding(MtaStsCode::ModeTesting, Severity::Info, message).rfc(8461, "5"));
        }
        Mode::Enforce => {}
    }
    if policy.max_age < SHORT_MAX_AGE {
        let message = format!(
            "max_age is {} seconds, under a day: senders forget the policy quickly, which weakens it. Weeks are usual \
             (e.g. 604800 or 1209600).",
            policy.max_age
        );
        report.findings.push(finding(MtaStsCode::MaxAgeShort, Severity::Warning, message).rfc(8461, "3.2"));
    }
    if policy.mode != Mode::None {
        check_coverage(report, &policy, mx_hosts);
    }
    report.policy = Some(policy);
}

/// Every MX host must match an `mx:` pattern; in enforce mode a host that does not is
/// one senders refuse to deliver to (RFC 8461 §4.1, §5.1).
fn check_coverage(report: &mut MtaStsReport, policy: &MtaStsPolicy, mx_hosts: &[String]) {
    if mx_hosts.is_empty() {
        return;
    }
    // Loops that push, not filter/map chains collected: smaller in the wasm.
    let mut uncovered: Vec<&str> = Vec::new();
    for h in mx_hosts {
        if policy.pattern_for(h).is_none() {
            uncovered.push(h);
        }
    }
    if uncovered.is_empty() {
        let message = format!("Every MX host ({}) matches an mx: line of the policy.", mx_hosts.join(", "));
        report.findings.push(finding(MtaStsCode::MxCovered, Severity::Ok, message));
        return;
    }
    let list = uncovered.join(", ");
    let mut patterns: Vec<String> = Vec::with_capacity(policy.mx.len());
    for p in &policy.mx {
        patterns.push(p.to_string());
    }
    let patterns = patterns.join(", ");
    let (code, severity, effect) = if policy.mode == Mode::Enforce {
        (MtaStsCode::MxNotCovered, Severity::Error, "senders that honour MTA-STS will not deliver to it")
    } else {
        (MtaStsCode::MxNotCoveredTesting, Severity::Warning, "in enforce mode senders would not deliver to it")
    };
    let message = format!("MX host(s) {list} match no mx: line of the policy ({patterns}): {effect}.");
    let f = finding(code, severity, message).rfc(8461, "4.1");
    report.findings.push(f.hint(
        "Add an mx: line for each MX host (a *. pattern covers one label), then change the id in the TXT record.",
    ));
}

/// The registry's contract (see `check`).
impl crate::check::CheckReport for MtaStsReport {
    fn findings(&self) -> &[Finding] {
        &self.findings
    }

    fn lookups(&self) -> Vec<Lookup> {
        self.lookups.clone()
    }

    /// Unknown when the TXT record could not be asked for; absent when there is
    /// none and no policy was pasted; else by the findings.
    fn status(&self) -> crate::check::Status {
        use crate::check::Status;
        let txt_failed = self.lookups.first().is_some_and(Lookup::is_failure);
        if !txt_failed && self.record.is_none() && self.findings.iter().all(|f| f.code == super::MtaStsCode::None) {
            return Status::Absent;
        }
        Status::of(txt_failed, &self.findings)
    }
}
