//! Which questions a blocklist check asks: the query names (RFC 5782) and the
//! plan of (list, target) pairs, computed without any DNS.
//!
//! - IP lists: the address reversed under the zone, octet by octet for IPv4
//!   (RFC 5782 §2.1), nibble by nibble for IPv6 (§2.4). The reversal is the
//!   one reverse DNS uses ([`crate::dns::reverse_name`]), minus its
//!   `in-addr.arpa` / `ip6.arpa` suffix.
//! - Domain lists: the name prepended to the zone (§2.2), in its ASCII
//!   (A-label) form; SURBL and URIBL only at the registrable domain.
//! - Addresses nobody outside can reach (documentation, private, loopback…:
//!   [`crate::ptr::special_range`]) are never sent to a list: their listing
//!   would mean nothing, and sending them leaks a private address for nothing.
//! - Each list that gets a question also gets its two RFC 5782 §5 test
//!   entries, asked in the same round.
//!
//! [`plan`] is pure so the benchmark can count the questions before asking.

use std::net::IpAddr;

use super::catalogue::{Blocklist, ListKind, CATALOGUE};
use crate::dns::{normalize_name, reverse_name, RecordType};
use crate::mx::MxReport;
use crate::ptr::special_range;
use crate::suffix::registrable_domain;

/// What the check is asked about.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct BlocklistTargets {
    /// The server the mail is sent from, if the person gave it.
    pub sending_ip: Option<IpAddr>,
    /// Each MX host by name, with its addresses.
    pub mx_hosts: Vec<MxHostTarget>,
    /// Domain names to check on domain lists (the person's domain). The MX
    /// host names are checked there too, without being repeated here.
    pub domains: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MxHostTarget {
    /// Host name, A-label form, without trailing dot.
    pub name: String,
    pub addresses: Vec<IpAddr>,
}

impl BlocklistTargets {
    /// The MX check's domain and hosts, plus the sending IP if given.
    pub fn from_mx(mx: &MxReport, sending_ip: Option<IpAddr>) -> BlocklistTargets {
        BlocklistTargets {
            sending_ip,
            mx_hosts: mx
                .hosts
                .iter()
                .map(|h| MxHostTarget { name: h.name.clone(), addresses: h.addresses.clone() })
                .collect(),
            domains: vec![mx.domain.clone()],
        }
    }
}

/// An address or a name, as checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Subject {
    Ip(IpAddr),
    /// Normalized: lower case, no trailing dot.
    Domain(String),
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Subject::Ip(ip) => write!(f, "{ip}"),
            Subject::Domain(d) => f.write_str(d),
        }
    }
}

/// Why a subject is checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Role {
    SendingIp,
    /// An address of this MX host.
    MxAddress(String),
    /// The person's domain.
    Domain,
    /// The name of an MX host.
    MxName,
}

impl Role {
    pub fn describe(&self) -> String {
        match self {
            Role::SendingIp => "sending server".to_string(),
            Role::MxAddress(host) => format!("mail host {host}"),
            Role::Domain => "your domain".to_string(),
            Role::MxName => "mail host name".to_string(),
        }
    }
}

/// One subject and every reason it is checked (an address can be both the
/// sending server and an MX host: it is asked about once).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Target {
    pub subject: Subject,
    pub roles: Vec<Role>,
}

impl Target {
    pub fn describe(&self) -> String {
        let roles: Vec<String> = self.roles.iter().map(Role::describe).collect();
        format!("{} ({})", self.subject, roles.join(", "))
    }
}

/// A target that is not sent to any list, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NotSent {
    pub target: usize,
    pub why: String,
}

/// One (list, target) question.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Planned {
    pub list: &'static Blocklist,
    /// Index into [`Plan::targets`].
    pub target: usize,
    pub query_name: String,
}

/// A list's two test questions (RFC 5782 §5).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlannedProbe {
    pub list: &'static Blocklist,
    /// Must be listed: `2.0.0.127.<zone>`, `dbltest.com.<zone>`, …
    pub listed_name: String,
    /// Must not be listed: `1.0.0.127.<zone>`, `invalid.<zone>`.
    pub unlisted_name: String,
}

/// Everything a check will ask, before asking.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Plan {
    pub targets: Vec<Target>,
    pub not_sent: Vec<NotSent>,
    pub rows: Vec<Planned>,
    /// One per list that has at least one row, in catalogue order.
    pub probes: Vec<PlannedProbe>,
}

impl Plan {
    /// Every distinct query name, probes first, each once (two targets can
    /// map to one name, e.g. a domain and its MX host on SURBL).
    pub fn query_names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        let all = self.probes.iter().flat_map(|p| [&p.listed_name, &p.unlisted_name]);
        for name in all.chain(self.rows.iter().map(|r| &r.query_name)) {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        names
    }

    /// How many distinct questions go to `list` (its probes included).
    pub fn queries_for(&self, list: &Blocklist) -> usize {
        let mut names: Vec<&str> = Vec::new();
        for r in self.rows.iter().filter(|r| r.list.id == list.id) {
            if !names.contains(&r.query_name.as_str()) {
                names.push(&r.query_name);
            }
        }
        let probes = if self.probes.iter().any(|p| p.list.id == list.id) { 2 } else { 0 };
        names.len() + probes
    }
}

/// RFC 5782 §2.1 / §2.4: `ip`'s name under `zone`, e.g.
/// `2.0.0.192.zen.spamhaus.org` for 192.0.2.2.
pub fn ip_query_name(ip: IpAddr, zone: &str) -> String {
    let reversed = reverse_name(ip.to_canonical());
    let head =
        reversed.strip_suffix(".in-addr.arpa").or_else(|| reversed.strip_suffix(".ip6.arpa")).unwrap_or(&reversed);
    format!("{head}.{}", normalize_name(zone))
}

/// RFC 5782 §2.2: `domain` under `zone`, or why it cannot be asked. The name
/// must already be in ASCII (A-label) form: the page's input step converts
/// Unicode names, and a list would not know a U-label.
pub fn domain_query_name(domain: &str, zone: &str) -> Result<String, &'static str> {
    let name = normalize_name(domain.trim());
    if name.is_empty() {
        return Err("it is empty");
    }
    if !name.is_ascii() {
        return Err("it is not in its ASCII (xn--) form");
    }
    if name.parse::<IpAddr>().is_ok() {
        return Err("it is an IP address, and domain lists hold names only");
    }
    let bad_label = name.split('.').any(|l| {
        l.is_empty() || l.len() > 63 || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if bad_label {
        return Err("it is not a valid host name");
    }
    let full = format!("{name}.{}", normalize_name(zone));
    // RFC 1035 §2.3.4: 255 octets on the wire, 253 characters written out.
    if full.len() > 253 {
        return Err("it is too long to fit under the list's zone");
    }
    Ok(full)
}

/// The name a domain list is asked about for `domain`: itself, or its
/// registrable domain for lists that only hold those.
pub fn domain_list_subject(list: &Blocklist, domain: &str) -> Option<String> {
    if list.registrable_only {
        registrable_domain(domain)
    } else {
        Some(normalize_name(domain))
    }
}

/// The subjects to check, each once, with all their roles.
pub fn collect_targets(targets: &BlocklistTargets) -> Vec<Target> {
    let mut out: Vec<Target> = Vec::new();
    let mut add = |subject: Subject, role: Role| match out.iter_mut().find(|t| t.subject == subject) {
        Some(t) if !t.roles.contains(&role) => t.roles.push(role),
        Some(_) => {}
        None => out.push(Target { subject, roles: vec![role] }),
    };
    if let Some(ip) = targets.sending_ip {
        add(Subject::Ip(ip.to_canonical()), Role::SendingIp);
    }
    for host in &targets.mx_hosts {
        for ip in &host.addresses {
            add(Subject::Ip(ip.to_canonical()), Role::MxAddress(normalize_name(&host.name)));
        }
    }
    for d in &targets.domains {
        add(Subject::Domain(normalize_name(d.trim())), Role::Domain);
    }
    for host in &targets.mx_hosts {
        // An IP-literal MX host has no name to check on a domain list.
        if host.name.parse::<IpAddr>().is_err() {
            add(Subject::Domain(normalize_name(&host.name)), Role::MxName);
        }
    }
    out
}

/// The query name for `target` on `list`, `Ok(None)` when the list does not
/// cover it (kind or address family), `Err(why)` when it must not be sent.
fn query_for(list: &Blocklist, target: &Target) -> Result<Option<String>, String> {
    match (&target.subject, list.kind) {
        (Subject::Ip(ip), ListKind::Ip) => {
            if let Some(range) = special_range(*ip) {
                return Err(format!("{ip} is {}; a blocklist can say nothing about it", range.describe()));
            }
            let covered = if ip.is_ipv4() { list.ipv4 } else { list.ipv6 };
            Ok(covered.then(|| ip_query_name(*ip, list.zone)))
        }
        (Subject::Domain(d), ListKind::Domain) => {
            let Some(name) = domain_list_subject(list, d) else {
                return Err(format!("{d} is a public suffix, not a domain someone owns"));
            };
            domain_query_name(&name, list.zone).map(Some).map_err(|why| format!("{d} cannot be asked about: {why}"))
        }
        _ => Ok(None),
    }
}

/// `list`'s RFC 5782 §5 test questions: must be listed, must not be listed.
fn test_names(list: &Blocklist) -> [String; 2] {
    [format!("{}.{}", list.test_listed, list.zone), format!("{}.{}", list.test_unlisted, list.zone)]
}

/// Every question a check of `targets` asks, in catalogue order. Closed lists
/// (SORBS) are never asked.
pub fn plan(targets: &BlocklistTargets) -> Plan {
    let mut plan = Plan { targets: collect_targets(targets), ..Plan::default() };
    for list in CATALOGUE.iter().filter(|l| l.is_active()) {
        let mut any = false;
        for (i, target) in plan.targets.iter().enumerate() {
            match query_for(list, target) {
                Ok(Some(query_name)) => {
                    plan.rows.push(Planned { list, target: i, query_name });
                    any = true;
                }
                Ok(None) => {}
                Err(why) => {
                    if !plan.not_sent.iter().any(|n| n.target == i) {
                        plan.not_sent.push(NotSent { target: i, why });
                    }
                }
            }
        }
        if any {
            let [listed_name, unlisted_name] = test_names(list);
            plan.probes.push(PlannedProbe { list, listed_name, unlisted_name });
        }
    }
    plan
}

/// The questions a check of `domain` (and `sending_ip`) asks whatever the MX
/// hosts turn out to be: every active list's test entries, and the domain
/// and the sending server on every list. The runner sends them at the run's
/// start (`check::runner`), so that the round after the MX hosts' addresses
/// holds only the questions about those addresses (on broken.example the
/// last round's 43 questions became 17). An IP list's test entries are asked even for a
/// domain whose MX hosts turn out to have no public address, where the
/// check then asks the list nothing: 2 wasted questions a list, for a domain
/// that cannot receive mail anyway.
pub fn blocklist_early_questions(domain: &str, sending_ip: Option<IpAddr>) -> Vec<(String, RecordType)> {
    let known =
        collect_targets(&BlocklistTargets { sending_ip, mx_hosts: Vec::new(), domains: vec![domain.to_string()] });
    let mut questions: Vec<(String, RecordType)> = Vec::new();
    for list in CATALOGUE.iter().filter(|l| l.is_active()) {
        for name in test_names(list) {
            questions.push((name, RecordType::A));
        }
        for target in &known {
            if let Ok(Some(name)) = query_for(list, target) {
                questions.push((name, RecordType::A));
            }
        }
    }
    questions
}

/// The (name, type) pairs a check of `targets` asks, each once: what the
/// benchmark counts. All are A queries (RFC 5782 §2.1: the A record is the answer).
pub fn blocklist_questions(targets: &BlocklistTargets) -> Vec<(String, RecordType)> {
    plan(targets).query_names().into_iter().map(|n| (n, RecordType::A)).collect()
}
