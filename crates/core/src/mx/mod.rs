//! MX: where mail for a domain goes, and whether those hosts can take it.
//!
//! One MX query, then the A and AAAA of every target at once. Each problem
//! is a [`Finding`] with the lookups it rests on. The cases (RFC 5321 §5.1
//! unless noted): no MX means the domain's own address is the "implicit MX";
//! no MX and no address means no mail; a null MX (RFC 7505) says "no mail
//! here"; a target must be a host name with an address, never an alias
//! (RFC 2181 §10.3) nor an IP literal, and must be reachable from the internet.

pub mod record;

use std::net::IpAddr;

use crate::join::join_all;

pub use record::{MxParseError, MxParseErrorKind, MxRecord};

use crate::address::special_range;
use crate::dns::{normalize_name, Lookup, Outcome, RData, RecordType, Resolver};
use crate::finding::{Finding, Severity};

finding_codes! {
    /// The finding codes of this check; text form `mx.<name>`.
    pub enum MxCode: Mx, "mx" {
        Duplicate = "duplicate",
        LookupFailed = "lookup-failed",
        NoUsableTarget = "no-usable-target",
        None = "none",
        NoneImplicit = "none-implicit",
        Null = "null",
        Nxdomain = "nxdomain",
        Ok = "ok",
        Single = "single",
        TargetCname = "target-cname",
        TargetIpLiteral = "target-ip-literal",
        TargetLookupFailed = "target-lookup-failed",
        TargetNoAddress = "target-no-address",
        TargetNxdomain = "target-nxdomain",
        TargetPrivate = "target-private",
    }
}

/// What the MX check found for one domain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MxReport {
    pub domain: String,
    /// The MX query itself.
    pub lookup: Lookup,
    /// Mail hosts in preference order (lowest first), each name once. For an
    /// implicit MX this is the domain itself with preference 0.
    pub hosts: Vec<MxHost>,
    /// No MX records: mail goes to the domain's own A/AAAA (RFC 5321 §5.1).
    pub implicit: bool,
    /// The domain publishes a null MX (RFC 7505): it accepts no mail.
    pub null_mx: bool,
    pub findings: Vec<Finding>,
}

/// One mail host and what its name resolved to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MxHost {
    pub preference: u16,
    /// Host name without the trailing dot.
    pub name: String,
    /// Its IPv4 and IPv6 addresses (after any CNAME), in answer order.
    pub addresses: Vec<IpAddr>,
    /// The A and AAAA lookups (empty if the target was not queried, e.g. an IP literal).
    pub lookups: Vec<Lookup>,
}

impl MxReport {
    /// The hosts that have at least one public address: where mail can actually go.
    pub fn usable_hosts(&self) -> impl Iterator<Item = &MxHost> {
        self.hosts.iter().filter(|h| h.addresses.iter().any(|ip| special_range(*ip).is_none()))
    }

    /// The MX host names mail goes to (none for a null MX): what MTA-STS and
    /// DANE check and what the SPF fix may list.
    pub fn host_names(&self) -> Vec<String> {
        let mut names = Vec::with_capacity(self.hosts.len());
        for h in &self.hosts {
            names.push(h.name.clone());
        }
        names
    }
}

fn finding(code: MxCode, severity: Severity, message: impl Into<String>) -> Finding {
    Finding::new(code, severity, message)
}

/// Looks up `domain`'s MX and resolves every mail host's A and AAAA concurrently.
pub async fn check_mx<R: Resolver>(r: &R, domain: &str) -> MxReport {
    let domain = normalize_name(domain);
    let lookup = r.lookup(&domain, RecordType::Mx).await;
    let mut report = MxReport {
        domain: domain.clone(),
        lookup,
        hosts: Vec::new(),
        implicit: false,
        null_mx: false,
        findings: Vec::new(),
    };

    match &report.lookup.outcome {
        Outcome::Failed(_) => {
            // The status: the failure with the resolver's reason (EDE) or DNSSEC bogus.
            let why = report.lookup.status();
            let f = finding(
                MxCode::LookupFailed,
                Severity::Warning,
                format!("Could not look up the mail servers (MX) of {domain}: {why}. The records themselves may be fine; try again."),
            )
            .evidence(&report.lookup);
            report.findings.push(f);
            return report;
        }
        Outcome::NxDomain => {
            let f = finding(
                MxCode::Nxdomain,
                Severity::Error,
                format!("The domain {domain} does not exist in DNS (NXDOMAIN), so no mail can be delivered to it."),
            )
            .rfc(5321, "5.1")
            .hint("Check the spelling, and that the domain is registered and its name servers are set.")
            .evidence(&report.lookup);
            report.findings.push(f);
            return report;
        }
        Outcome::Records(_) | Outcome::NoData(_) => {}
    }

    // Loops, here and below, not filter_maps collected (see the report's
    // lookups; the three: -423 gzip bytes, measured).
    let mut records: Vec<MxRecord> = Vec::new();
    for d in report.lookup.data() {
        if let RData::Mx { preference, exchange } = d {
            records.push(MxRecord::new(*preference, exchange));
        }
    }

    if records.is_empty() {
        implicit_mx(r, &mut report).await;
    } else if records.iter().any(MxRecord::is_null) {
        null_mx(&mut report, &records);
    } else {
        explicit_mx(r, &mut report, records).await;
    }
    report
}

/// RFC 5321 §5.1: with no MX, "the domain is treated as if it had an MX
/// with itself as the host and preference 0".
async fn implicit_mx<R: Resolver>(r: &R, report: &mut MxReport) {
    let domain = report.domain.clone();
    let (a, aaaa) = futures::join!(r.lookup(&domain, RecordType::A), r.lookup(&domain, RecordType::Aaaa));
    let addresses = addresses_of(&a, &aaaa);
    // A loop, not a filter chain collected: smaller in the wasm.
    let mut failed: Vec<&Lookup> = Vec::new();
    for l in [&a, &aaaa] {
        if l.is_failure() {
            failed.push(l);
        }
    }
    report.implicit = true;
    if !addresses.is_empty() {
        let list = join_ips(&addresses);
        report.findings.push(
            finding(
                MxCode::NoneImplicit,
                Severity::Warning,
                format!(
                    "{domain} has no MX records, so senders use its own address ({list}) as an \"implicit MX\". That works \
                     but is fragile, and some senders take it as a sign of a non-mail domain."
                ),
            )
            .rfc(5321, "5.1")
            .hint(format!("Publish an MX record, e.g. \"{domain}. MX 10 mail.{domain}.\", naming the host that receives mail."))
            .evidence(&report.lookup)
            .evidence(&a)
            .evidence(&aaaa),
        );
    } else if !failed.is_empty() {
        let mut f = finding(
            MxCode::LookupFailed,
            Severity::Warning,
            format!(
                "{domain} has no MX records and its address lookup failed, so whether it can receive mail is unknown."
            ),
        )
        .evidence(&report.lookup);
        for l in failed {
            f = f.evidence(l);
        }
        report.findings.push(f);
    } else {
        report.findings.push(
            finding(
                MxCode::None,
                Severity::Error,
                format!("{domain} has no MX records and no IPv4 or IPv6 address, so it cannot receive mail."),
            )
            .rfc(5321, "5.1")
            .hint("Publish an MX record naming the host that receives mail for this domain.")
            .evidence(&report.lookup)
            .evidence(&a)
            .evidence(&aaaa),
        );
    }
    let host = MxHost { preference: 0, name: domain, addresses, lookups: vec![a, aaaa] };
    report.findings.extend(address_findings(&host));
    report.hosts.push(host);
}

/// RFC 7505 §3: a null MX is the only MX of its domain, "0 .".
fn null_mx(report: &mut MxReport, records: &[MxRecord]) {
    report.null_mx = true;
    let domain = &report.domain;
    let others: Vec<String> = records.iter().filter(|m| !m.is_null()).map(|m| m.to_string()).collect();
    let f = if others.is_empty() {
        finding(
            MxCode::Null,
            Severity::Warning,
            format!(
                "{domain} publishes a null MX (\"0 .\"): it accepts no mail. Mail to it fails at once, and receivers may \
                 reject mail from {domain}, since replies and bounces could not be delivered."
            ),
        )
        .rfc(7505, "4")
        .hint("If this domain should send or receive mail, replace the null MX with real MX records.")
    } else {
        finding(
            MxCode::Null,
            Severity::Error,
            format!(
                "{domain} mixes a null MX (\"0 .\", meaning no mail) with other MX records ({}). A null MX must stand \
                 alone; senders may treat the domain as accepting no mail.",
                others.join(", ")
            ),
        )
        .rfc(7505, "3")
        .hint("Remove the \"0 .\" record if the domain receives mail, or the others if it does not.")
    };
    report.findings.push(f.evidence(&report.lookup));
}

async fn explicit_mx<R: Resolver>(r: &R, report: &mut MxReport, mut records: Vec<MxRecord>) {
    crate::rank::sort_by_rank(&mut records, |m| i64::from(m.preference));
    let domain = report.domain.clone();

    // Each target once; repeats are reported, not resolved twice. (A linear
    // search: MX sets are small, and a hash set would add its code to the wasm.)
    let mut unique: Vec<MxRecord> = Vec::new();
    let mut duplicates = Vec::new();
    for m in records {
        if !unique.iter().any(|u| u.exchange == m.exchange) {
            unique.push(m);
        } else {
            duplicates.push(m);
        }
    }
    if !duplicates.is_empty() {
        let mut names: Vec<String> = Vec::with_capacity(duplicates.len());
        for m in &duplicates {
            names.push(m.exchange.clone());
        }
        report.findings.push(
            finding(
                MxCode::Duplicate,
                Severity::Info,
                format!("The same mail host is listed more than once: {}. Repeats add nothing.", names.join(", ")),
            )
            .hint("Keep one MX record per host.")
            .evidence(&report.lookup),
        );
    }

    // RFC 5321 §5.1 / RFC 1035 §3.3.9: the exchange is a host *name*.
    let (literals, names): (Vec<MxRecord>, Vec<MxRecord>) =
        unique.into_iter().partition(|m| ip_literal(&m.exchange).is_some());
    for m in &literals {
        report.findings.push(
            finding(
                MxCode::TargetIpLiteral,
                Severity::Error,
                format!(
                    "The MX record \"{m}\" names an IP address, not a host with an A or AAAA record; senders look {} \
                     up as a name and find nothing.",
                    m.exchange
                ),
            )
            .rfc(5321, "5.1")
            .hint(format!("Point the MX at a host name, e.g. \"mail.{domain}.\", with an A record for the address."))
            .evidence(&report.lookup),
        );
    }

    // Loops, here and for the summary, not iterator adapters collected (see
    // the report's lookups; the two: -315 gzip bytes, measured).
    let mut queries = Vec::new();
    for m in &names {
        queries.push(r.lookup(&m.exchange, RecordType::A));
        queries.push(r.lookup(&m.exchange, RecordType::Aaaa));
    }
    let mut answers = join_all(queries).await.into_iter();
    let mut hosts = Vec::new();
    for m in names {
        let (Some(a), Some(aaaa)) = (answers.next(), answers.next()) else { break };
        let host = MxHost {
            preference: m.preference,
            addresses: addresses_of(&a, &aaaa),
            name: m.exchange,
            lookups: vec![a, aaaa],
        };
        report.findings.extend(target_findings(&host));
        report.findings.extend(address_findings(&host));
        hosts.push(host);
    }
    for m in literals {
        hosts.push(MxHost { preference: m.preference, name: m.exchange, addresses: Vec::new(), lookups: Vec::new() });
    }
    crate::rank::sort_by_rank(&mut hosts, |h| i64::from(h.preference));
    report.hosts = hosts;

    let mut summary: Vec<String> = Vec::new();
    for h in report.usable_hosts() {
        summary.push(format!("{} (preference {})", h.name, h.preference));
    }
    if summary.is_empty() {
        report.findings.push(
            finding(
                MxCode::NoUsableTarget,
                Severity::Error,
                format!(
                    "None of the mail hosts of {domain} has a public address, so mail to {domain} cannot be delivered."
                ),
            )
            .rfc(5321, "5.1")
            .evidence(&report.lookup),
        );
        return;
    }
    if summary.len() == 1 {
        report.findings.push(
            finding(
                MxCode::Single,
                Severity::Info,
                format!("{domain} has a single working mail host. A second MX would keep mail flowing while it is down (senders retry for days anyway)."),
            )
            .evidence(&report.lookup),
        );
    }
    report.findings.push(
        finding(MxCode::Ok, Severity::Ok, format!("Mail for {domain} goes to {}.", summary.join(", ")))
            .evidence(&report.lookup),
    );
}

/// What is wrong with the name of one MX target.
fn target_findings(host: &MxHost) -> Vec<Finding> {
    let mut out = Vec::new();
    let name = &host.name;
    let with_evidence = |mut f: Finding| {
        for l in &host.lookups {
            f = f.evidence(l);
        }
        f
    };
    if let Some(alias) = host.lookups.iter().find(|l| !l.cname_chain().is_empty()) {
        let chain = alias.cname_chain().join(" → ");
        out.push(with_evidence(
            finding(
                MxCode::TargetCname,
                Severity::Warning,
                format!("The mail host {name} is an alias (CNAME → {chain}), but an MX must name a host with an address directly; many senders follow the alias, some refuse."),
            )
            .rfc(2181, "10.3")
            .hint(format!("Point the MX at {} directly.", alias.cname_chain().last().copied().unwrap_or(name))),
        ));
    }
    // The failed lookups, described (a loop, not a filter/map chain: smaller in the wasm).
    let mut why: Vec<String> = Vec::new();
    for l in &host.lookups {
        if l.is_failure() {
            why.push(format!("{} {}", l.rtype, l.status()));
        }
    }
    if host.lookups.iter().all(|l| l.outcome == Outcome::NxDomain) {
        out.push(with_evidence(
            finding(
                MxCode::TargetNxdomain,
                Severity::Error,
                format!(
                    "The mail host {name} does not exist in DNS (NXDOMAIN), so mail to this MX cannot be delivered."
                ),
            )
            .rfc(5321, "5.1")
            .hint(format!("Create an A (and AAAA) record for {name}, or fix the MX to name a host that exists.")),
        ));
    } else if !why.is_empty() && host.addresses.is_empty() {
        out.push(with_evidence(finding(
            MxCode::TargetLookupFailed,
            Severity::Warning,
            format!("Could not look up the address of the mail host {name} ({}): a DNS failure, not proof the record is missing.", why.join("; ")),
        )));
    } else if host.addresses.is_empty() {
        out.push(with_evidence(
            finding(
                MxCode::TargetNoAddress,
                Severity::Error,
                format!("The mail host {name} exists but has no IPv4 (A) or IPv6 (AAAA) address, so senders cannot connect to it."),
            )
            .rfc(5321, "5.1")
            .hint(format!("Add an A record for {name}.")),
        ));
    }
    out
}

/// Addresses that no sender on the internet can reach.
fn address_findings(host: &MxHost) -> Vec<Finding> {
    let mut bad: Vec<String> = Vec::new();
    for ip in &host.addresses {
        if let Some(why) = special_range(*ip) {
            bad.push(format!("{ip} is {}", why.describe()));
        }
    }
    if bad.is_empty() {
        return Vec::new();
    }
    let all = bad.len() == host.addresses.len();
    let mut f = finding(
        MxCode::TargetPrivate,
        if all { Severity::Error } else { Severity::Warning },
        format!(
            "The mail host {} resolves to an address outside senders' reach: {}.{}",
            host.name,
            bad.join("; "),
            if all {
                " Mail to it cannot be delivered from the internet."
            } else {
                " Senders that pick it will fail and retry."
            }
        ),
    )
    .rfc(6890, "")
    .hint("Publish the host's public address; keep internal addresses in an internal DNS view.");
    for l in &host.lookups {
        f = f.evidence(l);
    }
    vec![f]
}

fn addresses_of(a: &Lookup, aaaa: &Lookup) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for d in a.data().chain(aaaa.data()) {
        match d {
            RData::A(v4) => out.push(IpAddr::V4(*v4)),
            RData::Aaaa(v6) => out.push(IpAddr::V6(*v6)),
            _ => {}
        }
    }
    out
}

/// `192.0.2.1` or `[192.0.2.1]` as an MX exchange.
fn ip_literal(name: &str) -> Option<IpAddr> {
    let inner = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
    inner.parse().ok()
}

fn join_ips(ips: &[IpAddr]) -> String {
    ips.iter().map(|ip| ip.to_string()).collect::<Vec<_>>().join(", ")
}

/// The registry's contract (see `check`).
impl crate::check::CheckReport for MxReport {
    fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The MX query, then each host's A/AAAA.
    fn lookups(&self) -> Vec<Lookup> {
        // Loops, here and in the PTR report, rather than iterator chains
        // collected: each chain was an iterator of its own in the wasm (-349 gzip
        // bytes, measured).
        let mut out = vec![self.lookup.clone()];
        for host in &self.hosts {
            out.extend_from_slice(&host.lookups);
        }
        out
    }

    fn status(&self) -> crate::check::Status {
        crate::check::Status::of(self.lookup.is_failure(), &self.findings)
    }
}
