//! PTR: reverse DNS of the mail hosts and of the sending server.
//!
//! For each address: its reverse name (in-addr.arpa / ip6.arpa), whether a
//! PTR exists, and whether it is forward-confirmed (FCrDNS, the "iprev"
//! check of RFC 8601 §3: one of the PTR names resolves back to the same
//! address). Big receivers defer or reject senders without FCrDNS or with
//! generic, dynamic-looking names, which is the most common cause of a 421
//! at connection time. All PTR lookups run at once, then all forward
//! confirmations at once.

pub mod generic;

use std::net::IpAddr;

use crate::join::join_all;

pub use crate::address::{parse_sending_ip, special_range, SendingIpError, SendingIpErrorKind, SpecialRange};

use crate::dns::{normalize_name, reverse_name, Lookup, Outcome, RData, RecordType, Resolver};
use crate::finding::{Finding, Severity};
use crate::mx::MxReport;

finding_codes! {
    /// The finding codes of this check; text form `ptr.<name>`.
    pub enum PtrCode: Ptr, "ptr" {
        Generic = "generic",
        LookupFailed = "lookup-failed",
        Missing = "missing",
        Multiple = "multiple",
        NotConfirmed = "not-confirmed",
        Ok = "ok",
        PrivateIp = "private-ip",
    }
}

/// Why an address is checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub enum PtrRole {
    /// An address of this MX host (by name).
    MxHost(String),
    /// The server the user sends mail from.
    Sender,
}

impl PtrRole {
    fn describe(&self) -> String {
        match self {
            PtrRole::MxHost(name) => format!("mail host {name}"),
            PtrRole::Sender => "sending server".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct PtrTarget {
    pub ip: IpAddr,
    pub role: PtrRole,
}

/// What reverse DNS says about one address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PtrResult {
    pub ip: IpAddr,
    pub role: PtrRole,
    /// e.g. `7.113.0.203.in-addr.arpa`
    pub reverse_name: String,
    /// The PTR query; `None` when the address is private and was not asked about.
    pub lookup: Option<Lookup>,
    /// The PTR names, without trailing dot.
    pub names: Vec<String>,
    /// `Some(true)`: a PTR name resolves back to `ip`. `Some(false)`: none
    /// does. `None`: no PTR, or the forward lookups failed.
    pub confirmed: Option<bool>,
    /// A (IPv4) or AAAA (IPv6) lookups of each PTR name, in `names` order.
    pub forward: Vec<Lookup>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PtrReport {
    pub results: Vec<PtrResult>,
    pub findings: Vec<Finding>,
}

/// The addresses to check: every address of every MX host, then the sending
/// IP if given. Each (address, role) pair once.
pub fn ptr_targets(mx: &MxReport, sender: Option<IpAddr>) -> Vec<PtrTarget> {
    // Nested loops, not a flat_map chained (see the MX report's lookups; with
    // the DMARC explanation's unused records: -367 gzip bytes, measured).
    let mut out: Vec<PtrTarget> = Vec::new();
    let mut add = |t: PtrTarget| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    for h in &mx.hosts {
        for ip in &h.addresses {
            add(PtrTarget { ip: *ip, role: PtrRole::MxHost(h.name.clone()) });
        }
    }
    if let Some(ip) = sender {
        add(PtrTarget { ip, role: PtrRole::Sender });
    }
    out
}

/// Checks reverse DNS for all targets concurrently.
pub async fn check_ptr<R: Resolver>(r: &R, targets: &[PtrTarget]) -> PtrReport {
    let results = join_all(targets.iter().map(|t| check_one(r, t))).await;
    // A loop, not a flat_map collected (see the MX report's lookups; with the
    // SPF tree's void terms, the generator's children and Facts' unasked
    // findings: -1 228 gzip bytes, measured).
    let mut findings = Vec::new();
    for res in &results {
        findings.extend(findings_for(res, &results));
    }
    PtrReport { results, findings }
}

async fn check_one<R: Resolver>(r: &R, t: &PtrTarget) -> PtrResult {
    let reverse = reverse_name(t.ip);
    let mut result = PtrResult {
        ip: t.ip,
        role: t.role.clone(),
        reverse_name: reverse.clone(),
        lookup: None,
        names: Vec::new(),
        confirmed: None,
        forward: Vec::new(),
    };
    if special_range(t.ip).is_some() {
        return result;
    }
    let lookup = r.lookup(&reverse, RecordType::Ptr).await;
    for d in lookup.data() {
        if let RData::Ptr(name) = d {
            result.names.push(normalize_name(name));
        }
    }
    result.lookup = Some(lookup);
    let rtype = if t.ip.is_ipv4() { RecordType::A } else { RecordType::Aaaa };
    result.forward = join_all(result.names.iter().map(|n| r.lookup(n, rtype))).await;
    if !result.names.is_empty() {
        let matches = result.forward.iter().any(|l| {
            l.data().any(|d| match d {
                RData::A(v4) => IpAddr::V4(*v4) == t.ip,
                RData::Aaaa(v6) => IpAddr::V6(*v6) == t.ip,
                _ => false,
            })
        });
        // A failed lookup might have held the match: then we cannot say "no".
        result.confirmed = if matches {
            Some(true)
        } else if result.forward.iter().any(Lookup::is_failure) {
            None
        } else {
            Some(false)
        };
    }
    result
}

fn finding(code: PtrCode, severity: Severity, message: impl Into<String>) -> Finding {
    Finding::new(code, severity, message)
}

/// Whether `res` is a mail host whose address is also the sending server's:
/// that address is judged once, as the sender (its findings and its step).
pub fn judged_as_sender(res: &PtrResult, all: &[PtrResult]) -> bool {
    res.role != PtrRole::Sender && all.iter().any(|o| o.ip == res.ip && o.role == PtrRole::Sender)
}

/// The findings about one address. An address that is both the sending
/// server and a mail host is judged once, as the sender, and named as both
/// ("sending server, mail host mx.example"): one PTR, one thing to fix.
fn findings_for(res: &PtrResult, all: &[PtrResult]) -> Vec<Finding> {
    if judged_as_sender(res, all) {
        return Vec::new();
    }
    let sender = res.role == PtrRole::Sender;
    let mut who = res.role.describe();
    if sender {
        for o in all.iter().filter(|o| o.ip == res.ip && o.role != PtrRole::Sender) {
            who = format!("{who}, {}", o.role.describe());
        }
    }
    // Receivers judge the *sender* by its reverse DNS; for an MX host it only
    // matters when the same host also sends.
    let serious = if sender { Severity::Error } else { Severity::Warning };
    let Some(lookup) = &res.lookup else { return vec![not_public(res.ip, &who, sender)] };
    if let Some(problem) = unanswered(res, lookup, &who, serious) {
        return vec![problem];
    }
    named(res, lookup, &who, serious, sender)
}

/// The address is not public (never asked): its reverse DNS means nothing outside.
fn not_public(ip: IpAddr, who: &str, sender: bool) -> Finding {
    let why = special_range(ip).map(|s| s.describe()).unwrap_or("not a public address");
    finding(
        PtrCode::PrivateIp,
        Severity::Warning,
        format!(
            "{ip} ({who}) is {why}, so its reverse DNS cannot be checked from outside. Receivers judge the public \
             address the connection comes from (after NAT)."
        ),
    )
    .rfc(6890, "")
    .hint(if sender {
        "Check the public address instead: it is in the receiver's \"Received:\" header, or in the bounce."
    } else {
        "An MX host needs a public address; see the MX findings."
    })
}

/// The PTR lookup failed, or found no name.
fn unanswered(res: &PtrResult, lookup: &Lookup, who: &str, serious: Severity) -> Option<Finding> {
    let ip = res.ip;
    match &lookup.outcome {
        Outcome::Failed(why) => Some(
            finding(
                PtrCode::LookupFailed,
                Severity::Warning,
                format!("Could not look up the reverse DNS of {ip} ({who}): {why}: a DNS failure, not proof the PTR is missing."),
            )
            .evidence(lookup),
        ),
        _ if res.names.is_empty() => {
            let how = if lookup.outcome == Outcome::NxDomain {
                "the reverse name does not exist (NXDOMAIN)"
            } else {
                "there is no PTR record"
            };
            Some(
                finding(
                    PtrCode::Missing,
                    serious,
                    format!(
                        "{ip} ({who}) has no reverse DNS: {how} at {}. Gmail, Microsoft and Yahoo defer or reject mail from servers without one.",
                        res.reverse_name
                    ),
                )
                .rfc(1912, "2.1")
                .hint(format!(
                    "Ask whoever owns {ip} (your hosting or network provider) to set its PTR to the server's mail host name, \
                     and give that name an A/AAAA record pointing back to {ip}."
                ))
                .evidence(lookup),
            )
        }
        _ => None,
    }
}

/// What the PTR names say: several, not forward-confirmed, generic, or fine.
fn named(res: &PtrResult, lookup: &Lookup, who: &str, serious: Severity, sender: bool) -> Vec<Finding> {
    let ip = res.ip;
    let mut out = Vec::new();
    if res.names.len() > 1 {
        out.push(
            finding(
                PtrCode::Multiple,
                Severity::Warning,
                format!(
                    "{ip} ({who}) has {} PTR records ({}). Receivers may use any of them, so checks against the name are unpredictable.",
                    res.names.len(),
                    res.names.join(", ")
                ),
            )
            .rfc(8601, "3")
            .hint("Keep a single PTR record naming the mail host.")
            .evidence(lookup),
        );
    }

    let with_forward = |mut f: Finding| {
        f = f.evidence(lookup);
        for l in &res.forward {
            f = f.evidence(l);
        }
        f
    };
    match res.confirmed {
        Some(true) => {}
        Some(false) => {
            let family = if ip.is_ipv4() { "A" } else { "AAAA" };
            out.push(with_forward(
                finding(
                    PtrCode::NotConfirmed,
                    serious,
                    format!(
                        "The reverse DNS of {ip} ({who}) is not forward-confirmed: it names {}, which does not resolve back to {ip}. \
                         Receivers require both directions to match.",
                        res.names.join(", ")
                    ),
                )
                .rfc(8601, "3")
                .hint(format!(
                    "Add an {family} record for {} pointing to {ip}, or change the PTR to a name that already does.",
                    res.names.first().map(String::as_str).unwrap_or("the PTR name")
                )),
            ));
        }
        None => {
            out.push(with_forward(finding(
                PtrCode::LookupFailed,
                Severity::Warning,
                format!("Could not check whether the reverse DNS of {ip} ({who}) resolves back to it: a forward lookup failed."),
            )));
        }
    }

    // A loop, not a filter_map collected (see the MX report's lookups; with
    // the DNS answer's records and to_unicode's labels: -514 gzip bytes, measured).
    let mut generic: Vec<String> = Vec::new();
    for n in &res.names {
        if let Some(why) = generic::generic_reason(n, ip) {
            generic.push(format!("{n}: {why}"));
        }
    }
    if !generic.is_empty() {
        out.push(
            finding(
                PtrCode::Generic,
                if sender { Severity::Warning } else { Severity::Info },
                format!(
                    "The reverse DNS of {ip} ({who}) looks generic or dynamic ({}). Gmail, Microsoft and Yahoo treat such \
                     names as consumer connections and defer or reject their mail.",
                    generic.join("; ")
                ),
            )
            .hint("Have the PTR set to a mail host name in your own domain, such as mail.example.com, with a matching A/AAAA record.")
            .evidence(lookup),
        );
    }

    if res.confirmed == Some(true) && generic.is_empty() && res.names.len() == 1 {
        out.push(
            finding(
                PtrCode::Ok,
                Severity::Ok,
                format!("{ip} ({who}) has reverse DNS {} and it resolves back to {ip}.", res.names.join(", ")),
            )
            .evidence(lookup),
        );
    }
    out
}

/// The registry's contract (see `check`).
impl crate::check::CheckReport for PtrReport {
    fn findings(&self) -> &[Finding] {
        &self.findings
    }

    fn lookups(&self) -> Vec<Lookup> {
        let mut out = Vec::new();
        for result in &self.results {
            if let Some(lookup) = &result.lookup {
                out.push(lookup.clone());
            }
            out.extend_from_slice(&result.forward);
        }
        out
    }

    /// Not checked when there was nothing to ask about; unknown only when
    /// every reverse lookup failed (otherwise the findings say which did).
    fn status(&self) -> crate::check::Status {
        let asked: Vec<&Lookup> = self.results.iter().filter_map(|r| r.lookup.as_ref()).collect();
        if self.results.is_empty() {
            return crate::check::Status::NotChecked;
        }
        crate::check::Status::of(!asked.is_empty() && asked.iter().all(|l| l.is_failure()), &self.findings)
    }
}
