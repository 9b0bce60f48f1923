//! `check_host()` (RFC 7208 §4–§6): evaluates a domain's SPF policy for a
//! client IP, with the processing limits of §4.6.4, macro expansion (§7) and
//! `exp=` explanations (§6.2). Every evaluated term is recorded in a trace
//! tree with the DNS lookups it made, so the page can draw the include tree
//! and say which term decided the result.

use std::fmt;
use std::net::IpAddr;
use std::ops::Range;

use futures::future::{FutureExt, LocalBoxFuture};

use crate::join::join_all;

use super::macros::{truncate_domain, MacroLetter, MacroString, MacroSyntax, MacroValues};
use super::record::{DomainSpec, DualCidr, Mechanism, Modifier, Qualifier, SpfRecord, Term};
use super::select::{join_strings, record_strings, select, text_of, Selection};
use crate::dns::{Lookup, Outcome, RData, RecordType, Resolver};

/// RFC 7208 §4.6.4: at most 10 mechanisms and modifiers that do DNS lookups.
pub const MAX_DNS_TERMS: u32 = 10;
/// RFC 7208 §4.6.4: more than 2 lookups that return no answer is a permerror.
pub const MAX_VOID_LOOKUPS: u32 = 2;
/// RFC 7208 §4.6.4: an `mx` may not make more than 10 address lookups; a `ptr` checks at most 10 names.
pub const MAX_NAMES_PER_TERM: usize = 10;

/// The result of check_host() (RFC 7208 §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SpfResult {
    None,
    Neutral,
    Pass,
    Fail,
    SoftFail,
    TempError,
    PermError,
}

impl SpfResult {
    pub fn from_qualifier(q: Qualifier) -> SpfResult {
        match q {
            Qualifier::Pass => SpfResult::Pass,
            Qualifier::Fail => SpfResult::Fail,
            Qualifier::SoftFail => SpfResult::SoftFail,
            Qualifier::Neutral => SpfResult::Neutral,
        }
    }

    /// The lower-case name used in `Received-SPF` and the test suites.
    pub fn as_str(self) -> &'static str {
        match self {
            SpfResult::None => "none",
            SpfResult::Neutral => "neutral",
            SpfResult::Pass => "pass",
            SpfResult::Fail => "fail",
            SpfResult::SoftFail => "softfail",
            SpfResult::TempError => "temperror",
            SpfResult::PermError => "permerror",
        }
    }
}

impl fmt::Display for SpfResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The inputs of check_host().
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckHostRequest {
    pub ip: IpAddr,
    pub domain: String,
    /// `local-part@domain`; `postmaster` is put in for a missing local-part (§4.3).
    pub sender: String,
    pub helo: String,
    /// `%{r}`: the receiving host, "unknown" if not known.
    pub receiver: String,
    /// `%{t}`: seconds since the epoch (the library has no clock of its own: wasm has none).
    pub timestamp: u64,
}

impl CheckHostRequest {
    pub fn new(ip: IpAddr, domain: &str, sender: &str, helo: &str) -> CheckHostRequest {
        let sender = match sender.rfind('@') {
            Some(0) => format!("postmaster{sender}"),
            Some(_) => sender.to_string(),
            None if sender.is_empty() => format!("postmaster@{domain}"),
            None => format!("postmaster@{sender}"),
        };
        CheckHostRequest {
            ip,
            domain: domain.to_string(),
            sender,
            helo: helo.to_string(),
            receiver: "unknown".to_string(),
            timestamp: 0,
        }
    }
}

/// How one evaluated term came out.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum TermOutcome {
    Match,
    NoMatch,
    /// Evaluation stopped here with this result (temperror or permerror).
    Error(SpfResult),
}

/// One evaluated term (a directive, or the `redirect=` modifier).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TraceTerm {
    /// The term as written in the record.
    pub term: String,
    pub span: Range<usize>,
    /// The name it looked at, after macro expansion.
    pub target: Option<String>,
    /// Every DNS lookup it made, in order.
    pub queries: Vec<Lookup>,
    /// It counts toward the limit of 10 DNS-querying terms.
    pub counts_toward_limit: bool,
    /// Its lookup came back empty (NXDOMAIN or NODATA), a "void lookup" (§4.6.4).
    pub void_lookup: bool,
    pub outcome: TermOutcome,
    /// Why, in plain words.
    pub note: Option<String>,
    /// The evaluated record of an include or redirect.
    pub child: Option<Box<TraceNode>>,
}

impl TraceTerm {
    fn new(term: &str, span: Range<usize>) -> TraceTerm {
        TraceTerm {
            term: term.to_string(),
            span,
            target: None,
            queries: Vec::new(),
            counts_toward_limit: false,
            void_lookup: false,
            outcome: TermOutcome::NoMatch,
            note: None,
            child: None,
        }
    }
}

/// One evaluated domain: its TXT lookup, the record, and the terms evaluated in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TraceNode {
    pub domain: String,
    pub lookup: Option<Lookup>,
    pub record: Option<String>,
    pub terms: Vec<TraceTerm>,
    pub result: SpfResult,
    pub reason: String,
    /// The TXT lookup of the `exp=` target, if one was made.
    pub explanation_lookup: Option<Lookup>,
}

/// The term that decided the result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MatchedTerm {
    /// The domain whose record holds the term (differs from the checked domain after a redirect).
    pub domain: String,
    pub term: String,
    pub span: Range<usize>,
}

/// What check_host() concluded, and how.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evaluation {
    pub result: SpfResult,
    pub matched: Option<MatchedTerm>,
    /// The `exp=` text for a fail, when the record has a usable one. `None` means the receiver's default.
    pub explanation: Option<String>,
    /// Why this result, in plain words.
    pub reason: String,
    pub trace: TraceNode,
    /// DNS-querying terms evaluated (the limit is 10).
    pub lookup_count: u32,
    pub void_lookups: u32,
}

/// check_host(ip, domain, sender, helo) per RFC 7208 §4.
pub async fn check_host<R: Resolver>(resolver: &R, ip: IpAddr, domain: &str, sender: &str, helo: &str) -> Evaluation {
    check_host_with(resolver, &CheckHostRequest::new(ip, domain, sender, helo)).await
}

/// The MAIL FROM check as a receiver runs it (RFC 7208 §2.4): an empty
/// reverse-path is checked as `postmaster@<helo>`.
pub async fn check_mail_from<R: Resolver>(resolver: &R, ip: IpAddr, mail_from: &str, helo: &str) -> Evaluation {
    let (domain, sender) = if mail_from.is_empty() {
        (helo.to_string(), format!("postmaster@{helo}"))
    } else {
        let domain = mail_from.rfind('@').and_then(|at| mail_from.get(at + 1..)).unwrap_or(mail_from);
        (domain.to_string(), mail_from.to_string())
    };
    check_host(resolver, ip, &domain, &sender, helo).await
}

pub async fn check_host_with<R: Resolver>(resolver: &R, request: &CheckHostRequest) -> Evaluation {
    // RFC 7208 §5: "an IPv4-mapped IPv6 address … MUST still be considered an IPv4 address".
    let ip = match request.ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    let mut walk = Walk { resolver, req: request, ip, lookups: 0, voids: 0 };
    let domain = request.domain.strip_suffix('.').unwrap_or(&request.domain).to_string();
    let node = walk.eval_domain(domain).await;
    Evaluation {
        result: node.result,
        matched: node.matched,
        explanation: node.explanation,
        reason: node.trace.reason.clone(),
        trace: node.trace,
        lookup_count: walk.lookups,
        void_lookups: walk.voids,
    }
}

/// RFC 7208 §4.3: a malformed or single-label <domain> gives "none" without a lookup.
pub fn is_checkable_domain(domain: &str) -> bool {
    let name = domain.strip_suffix('.').unwrap_or(domain);
    !name.starts_with('[') && name.contains('.') && is_queryable(name)
}

/// A name DNS can carry: at most 253 characters, labels of 1–63 characters, visible ASCII.
pub fn is_queryable(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|l| !l.is_empty() && l.len() <= 63)
        && name.bytes().all(|b| (0x21..=0x7e).contains(&b) || b == b' ')
}

struct NodeResult {
    result: SpfResult,
    explanation: Option<String>,
    matched: Option<MatchedTerm>,
    trace: TraceNode,
}

enum Step {
    Match,
    NoMatch,
    Stop(SpfResult, String),
}

/// Addresses in an A/AAAA answer, or `Err` when the lookup failed.
fn addresses(lookup: &Lookup) -> Result<Vec<IpAddr>, String> {
    match &lookup.outcome {
        Outcome::Failed(f) => Err(format!("the {} lookup of {} failed: {f}", lookup.rtype, lookup.name)),
        _ => Ok(lookup
            .data()
            .filter_map(|d| match d {
                RData::A(a) => Some(IpAddr::V4(*a)),
                RData::Aaaa(a) => Some(IpAddr::V6(*a)),
                _ => None,
            })
            .collect()),
    }
}

fn in_network(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(b)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix.min(32))).unwrap_or(0);
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix.min(128))).unwrap_or(0);
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

fn same_or_subdomain(name: &str, of: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let of = of.strip_suffix('.').unwrap_or(of).to_ascii_lowercase();
    name == of || name.ends_with(&format!(".{of}"))
}

fn is_empty_answer(lookup: &Lookup) -> bool {
    matches!(lookup.outcome, Outcome::NxDomain | Outcome::NoData(_)) || lookup.data().next().is_none()
}

/// Outcome of a PTR lookup plus validation of the names (§5.5).
enum PtrNames {
    Failed,
    Empty,
    /// The validated names, and how many names the PTR answer had.
    Validated(Vec<String>, usize),
}

struct Walk<'a, R: Resolver> {
    resolver: &'a R,
    req: &'a CheckHostRequest,
    ip: IpAddr,
    lookups: u32,
    voids: u32,
}

impl<'a, R: Resolver> Walk<'a, R> {
    async fn query(&self, name: &str, rtype: RecordType, term: &mut TraceTerm) -> Lookup {
        let lookup = self.resolver.lookup(name, rtype).await;
        term.queries.push(lookup.clone());
        lookup
    }

    fn values<'v>(&'v self, domain: &'v str, validated: Option<&'v str>) -> MacroValues<'v> {
        MacroValues {
            sender: &self.req.sender,
            domain,
            ip: self.ip,
            helo: &self.req.helo,
            validated_name: validated,
            receiver: &self.req.receiver,
            timestamp: self.req.timestamp,
        }
    }

    async fn expand(&mut self, ms: &MacroString, domain: &str, term: &mut TraceTerm) -> String {
        let validated = if ms.uses(MacroLetter::ValidatedName) { Some(self.p_value(domain, term).await) } else { None };
        ms.expand(&self.values(domain, validated.as_deref()))
    }

    /// The target-name of a mechanism: its expanded domain-spec, or <domain>. `None` if DNS cannot carry it.
    async fn target_name(&mut self, spec: Option<&DomainSpec>, domain: &str, term: &mut TraceTerm) -> Option<String> {
        let name = match spec {
            None => domain.to_string(),
            Some(spec) => truncate_domain(&self.expand(&spec.0, domain, term).await),
        };
        term.target = Some(name.clone());
        if is_queryable(&name) {
            Some(name)
        } else {
            term.note = Some(format!("\"{name}\" is not a name DNS can look up, so nothing matches"));
            None
        }
    }

    /// Counts a void lookup; `Some(stop)` once there are more than 2.
    fn void(&mut self, term: &mut TraceTerm) -> Option<Step> {
        term.void_lookup = true;
        self.voids += 1;
        self.void_limit(term)
    }

    /// `Some(stop)` once more than 2 void lookups were made. RFC 7208 §4.6.4
    /// counts every query of a term that comes back empty, so also an `mx`
    /// term's host address lookups, the names a `ptr` term (or `%{p}`)
    /// validates and the PTR lookup itself — as pyspf does (its `dns()`
    /// counts each empty answer: https://github.com/sdgathman/pyspf spf.py,
    /// read 2026-12-05).
    fn void_limit(&self, term: &TraceTerm) -> Option<Step> {
        if self.voids > MAX_VOID_LOOKUPS {
            Some(Step::Stop(
                SpfResult::PermError,
                format!(
                    "{} came back empty: that is void lookup number {}, and at most {MAX_VOID_LOOKUPS} are allowed (RFC 7208 §4.6.4)",
                    term.term, self.voids
                ),
            ))
        } else {
            None
        }
    }

    /// PTR lookup of the client IP, then an address lookup of each name (at most 10) to validate it.
    async fn ptr_names(&mut self, term: &mut TraceTerm) -> PtrNames {
        let reverse = crate::dns::reverse_name(self.ip);
        let ptr = self.query(&reverse, RecordType::Ptr, term).await;
        if ptr.is_failure() {
            return PtrNames::Failed;
        }
        let names: Vec<String> = ptr
            .data()
            .filter_map(|d| match d {
                RData::Ptr(n) => Some(n.strip_suffix('.').unwrap_or(n).to_string()),
                _ => None,
            })
            .collect();
        if names.is_empty() {
            term.void_lookup = true;
            self.voids += 1;
            return PtrNames::Empty;
        }
        let total = names.len();
        let rtype = if self.ip.is_ipv4() { RecordType::A } else { RecordType::Aaaa };
        let checked: Vec<String> = names.into_iter().take(MAX_NAMES_PER_TERM).filter(|n| is_queryable(n)).collect();
        let lookups = join_all(checked.iter().map(|n| self.resolver.lookup(n, rtype))).await;
        let mut validated = Vec::new();
        for (name, lookup) in checked.into_iter().zip(lookups) {
            // §5.5: "If a DNS error occurs while doing an A RR lookup, then that domain name is skipped".
            match addresses(&lookup) {
                Ok(addrs) if addrs.contains(&self.ip) => validated.push(name),
                Ok(addrs) if addrs.is_empty() => {
                    term.void_lookup = true;
                    self.voids += 1;
                }
                _ => {}
            }
            term.queries.push(lookup);
        }
        PtrNames::Validated(validated, total)
    }

    /// `%{p}`: the validated name, preferring <domain> itself, then a subdomain of it (§7.3).
    async fn p_value(&mut self, domain: &str, term: &mut TraceTerm) -> String {
        let PtrNames::Validated(names, _) = self.ptr_names(term).await else {
            return "unknown".to_string();
        };
        let exact = names.iter().find(|n| n.eq_ignore_ascii_case(domain));
        let sub = names.iter().find(|n| same_or_subdomain(n, domain));
        exact.or(sub).or(names.first()).cloned().unwrap_or_else(|| "unknown".to_string())
    }

    fn eval_domain(&mut self, domain: String) -> LocalBoxFuture<'_, NodeResult> {
        async move {
            let mut trace = TraceNode {
                domain: domain.clone(),
                lookup: None,
                record: None,
                terms: Vec::new(),
                result: SpfResult::None,
                reason: String::new(),
                explanation_lookup: None,
            };
            let finish = |mut trace: TraceNode, result: SpfResult, reason: String| {
                trace.result = result;
                trace.reason = reason;
                NodeResult { result, explanation: None, matched: None, trace }
            };
            if !is_checkable_domain(&domain) {
                let why = format!("\"{domain}\" is not a valid multi-label domain name, so it has no SPF policy (RFC 7208 §4.3)");
                return finish(trace, SpfResult::None, why);
            }
            let lookup = self.resolver.lookup(&domain, RecordType::Txt).await;
            trace.lookup = Some(lookup.clone());
            let text = match select(&lookup) {
                Selection::Failed(f) => {
                    let why = format!("couldn't get the TXT records of {domain}: {f}");
                    return finish(trace, SpfResult::TempError, why);
                }
                Selection::NxDomain => {
                    return finish(trace, SpfResult::None, format!("{domain} does not exist (NXDOMAIN)"));
                }
                Selection::NoSpf { .. } => {
                    return finish(trace, SpfResult::None, format!("{domain} has no SPF (v=spf1) record"));
                }
                Selection::Multiple(all) => {
                    let why = format!("{domain} publishes {} SPF records; there must be exactly one (RFC 7208 §4.5)", all.len());
                    return finish(trace, SpfResult::PermError, why);
                }
                Selection::One(text) => text,
            };
            trace.record = Some(text.clone());
            let parsed = match SpfRecord::parse_positioned(&text) {
                Ok(p) => p,
                Err(e) => {
                    let why = format!("the SPF record of {domain} has an error at position {}: {}", e.offset + 1, e.message);
                    return finish(trace, SpfResult::PermError, why);
                }
            };

            for (term, written, span) in parsed.located_terms() {
                let Term::Directive(directive) = term else { continue };
                let mut tt = TraceTerm::new(written, span.clone());
                let step = if directive.mechanism.queries_dns() && !self.count_lookup(&mut tt) {
                    let (result, why) = self.limit_stop();
                    Step::Stop(result, why)
                } else {
                    let step = self.eval_mechanism(&directive.mechanism, &domain, &mut tt).await;
                    // Voids counted while validating PTR names (`ptr`, `%{p}`) end it too.
                    match step {
                        Step::Stop(..) => step,
                        _ => self.void_limit(&tt).unwrap_or(step),
                    }
                };
                match step {
                    Step::NoMatch => trace.terms.push(tt),
                    Step::Match => {
                        tt.outcome = TermOutcome::Match;
                        trace.terms.push(tt);
                        let result = SpfResult::from_qualifier(directive.qualifier);
                        let explanation = if result == SpfResult::Fail {
                            self.explain(&parsed.record, &domain, &mut trace).await
                        } else {
                            None
                        };
                        let matched = MatchedTerm { domain: domain.clone(), term: written.to_string(), span };
                        let why = format!("{written} matched in the record of {domain}, giving {result}");
                        let mut node = finish(trace, result, why);
                        node.explanation = explanation;
                        node.matched = Some(matched);
                        return node;
                    }
                    Step::Stop(result, why) => {
                        tt.outcome = TermOutcome::Error(result);
                        tt.note = Some(why.clone());
                        trace.terms.push(tt);
                        return finish(trace, result, why);
                    }
                }
            }

            // §6.1: redirect applies only when no mechanism matched (an "all" always matches).
            let redirect = parsed.located_terms().find_map(|(t, w, s)| match t {
                Term::Modifier(Modifier::Redirect(spec)) => Some((spec.clone(), w.to_string(), s)),
                _ => None,
            });
            let Some((spec, written, span)) = redirect else {
                let why = format!("no mechanism in the record of {domain} matched and it has no redirect, so the result is neutral (RFC 7208 §4.7)");
                return finish(trace, SpfResult::Neutral, why);
            };
            let mut tt = TraceTerm::new(&written, span);
            if !self.count_lookup(&mut tt) {
                let (result, why) = self.limit_stop();
                tt.outcome = TermOutcome::Error(result);
                trace.terms.push(tt);
                return finish(trace, result, why);
            }
            let Some(target) = self.target_name(Some(&spec), &domain, &mut tt).await else {
                tt.outcome = TermOutcome::Error(SpfResult::PermError);
                trace.terms.push(tt);
                let why = format!("{written} does not name a domain that can be looked up (RFC 7208 §6.1)");
                return finish(trace, SpfResult::PermError, why);
            };
            let child = self.eval_domain(target.clone()).await;
            let (result, why) = if child.result == SpfResult::None {
                (SpfResult::PermError, format!("{written}: {target} has no SPF record, which makes the redirect a permerror (RFC 7208 §6.1)"))
            } else {
                (child.result, format!("{written} handed the decision to {target}: {}", child.trace.reason))
            };
            tt.outcome = match result {
                SpfResult::TempError | SpfResult::PermError => TermOutcome::Error(result),
                _ => TermOutcome::Match,
            };
            tt.child = Some(Box::new(child.trace));
            trace.terms.push(tt);
            let mut node = finish(trace, result, why);
            node.explanation = child.explanation;
            node.matched = child.matched;
            node
        }
        .boxed_local()
    }

    /// The address type to ask for and the prefix length that applies, by the client's family (§5.3, §5.4).
    fn address_query(&self, cidr: &DualCidr) -> (RecordType, u8) {
        match self.ip {
            IpAddr::V4(_) => (RecordType::A, cidr.v4.unwrap_or(32)),
            IpAddr::V6(_) => (RecordType::Aaaa, cidr.v6.unwrap_or(128)),
        }
    }

    /// Counts a DNS-querying term; false when that exceeds the limit of 10.
    fn count_lookup(&mut self, term: &mut TraceTerm) -> bool {
        term.counts_toward_limit = true;
        self.lookups += 1;
        self.lookups <= MAX_DNS_TERMS
    }

    fn limit_stop(&self) -> (SpfResult, String) {
        (
            SpfResult::PermError,
            format!(
                "this is DNS-querying term number {}; at most {MAX_DNS_TERMS} are allowed per check (RFC 7208 §4.6.4)",
                self.lookups
            ),
        )
    }

    async fn eval_mechanism(&mut self, mechanism: &Mechanism, domain: &str, tt: &mut TraceTerm) -> Step {
        match mechanism {
            Mechanism::All => Step::Match,
            Mechanism::Ip4 { addr, prefix } => step_if(in_network(self.ip, IpAddr::V4(*addr), prefix.unwrap_or(32))),
            Mechanism::Ip6 { addr, prefix } => step_if(in_network(self.ip, IpAddr::V6(*addr), prefix.unwrap_or(128))),
            Mechanism::Include(spec) => {
                let Some(target) = self.target_name(Some(spec), domain, tt).await else {
                    return Step::Stop(
                        SpfResult::PermError,
                        format!("{} does not name a domain that can be looked up", tt.term),
                    );
                };
                let child = self.eval_domain(target.clone()).await;
                let result = child.result;
                let reason = child.trace.reason.clone();
                tt.child = Some(Box::new(child.trace));
                // §5.2: how the included result maps onto the include mechanism.
                match result {
                    SpfResult::Pass => Step::Match,
                    SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral => Step::NoMatch,
                    SpfResult::TempError => Step::Stop(SpfResult::TempError, format!("{}: {reason}", tt.term)),
                    SpfResult::PermError => Step::Stop(SpfResult::PermError, format!("{}: {reason}", tt.term)),
                    SpfResult::None => Step::Stop(
                        SpfResult::PermError,
                        format!(
                            "{}: {target} has no SPF record, which makes the include a permerror (RFC 7208 §5.2)",
                            tt.term
                        ),
                    ),
                }
            }
            Mechanism::A { domain: spec, cidr } => {
                let Some(target) = self.target_name(spec.as_ref(), domain, tt).await else { return Step::NoMatch };
                let (rtype, prefix) = self.address_query(cidr);
                let lookup = self.query(&target, rtype, tt).await;
                match addresses(&lookup) {
                    Err(why) => Step::Stop(SpfResult::TempError, why),
                    Ok(addrs) if addrs.is_empty() => self.void(tt).unwrap_or(Step::NoMatch),
                    Ok(addrs) => step_if(addrs.iter().any(|a| in_network(self.ip, *a, prefix))),
                }
            }
            Mechanism::Mx { domain: spec, cidr } => {
                let Some(target) = self.target_name(spec.as_ref(), domain, tt).await else { return Step::NoMatch };
                let mx = self.query(&target, RecordType::Mx, tt).await;
                if let Outcome::Failed(f) = &mx.outcome {
                    return Step::Stop(SpfResult::TempError, format!("the MX lookup of {target} failed: {f}"));
                }
                if is_empty_answer(&mx) {
                    return self.void(tt).unwrap_or(Step::NoMatch);
                }
                let mut exchanges: Vec<(u16, String)> = mx
                    .data()
                    .filter_map(|d| match d {
                        RData::Mx { preference, exchange } => {
                            Some((*preference, exchange.strip_suffix('.').unwrap_or(exchange).to_string()))
                        }
                        _ => None,
                    })
                    .collect();
                // By preference, as pyspf orders them (rank.rs: one sort for the wasm).
                crate::rank::sort_by_rank(&mut exchanges, |(p, _)| i64::from(*p));
                if exchanges.len() > MAX_NAMES_PER_TERM {
                    return Step::Stop(
                        SpfResult::PermError,
                        format!(
                            "{target} has {} MX records; an mx mechanism may look up at most {MAX_NAMES_PER_TERM} (RFC 7208 §4.6.4)",
                            exchanges.len()
                        ),
                    );
                }
                let (rtype, prefix) = self.address_query(cidr);
                // A null MX ("0 .", RFC 7505) names no host: nothing to look up.
                let hosts: Vec<&String> = exchanges.iter().map(|(_, h)| h).filter(|h| is_queryable(h)).collect();
                let lookups = join_all(hosts.iter().map(|h| self.resolver.lookup(h, rtype))).await;
                // As receivers do (pyspf): every host's addresses are fetched
                // before matching, so an empty one is a void lookup even when
                // another host matches, and an error is a temperror.
                let mut stop = None;
                let mut matched = false;
                for lookup in lookups {
                    if stop.is_none() {
                        match addresses(&lookup) {
                            Err(why) => stop = Some(Step::Stop(SpfResult::TempError, why)),
                            Ok(addrs) if addrs.is_empty() => stop = self.void(tt),
                            Ok(addrs) => matched |= addrs.iter().any(|a| in_network(self.ip, *a, prefix)),
                        }
                    }
                    tt.queries.push(lookup);
                }
                stop.unwrap_or(step_if(matched))
            }
            Mechanism::Ptr(spec) => {
                let Some(target) = self.target_name(spec.as_ref(), domain, tt).await else { return Step::NoMatch };
                match self.ptr_names(tt).await {
                    // §5.5: "If a DNS error occurs while doing the PTR RR lookup, then this mechanism fails to match."
                    PtrNames::Failed => Step::NoMatch,
                    // The empty PTR answer was counted as a void by ptr_names.
                    PtrNames::Empty => Step::NoMatch,
                    PtrNames::Validated(names, total) => {
                        if total > MAX_NAMES_PER_TERM {
                            tt.note = Some(format!(
                                "the IP has {total} PTR names; only the first {MAX_NAMES_PER_TERM} were checked (RFC 7208 §4.6.4)"
                            ));
                        }
                        step_if(names.iter().any(|n| same_or_subdomain(n, &target)))
                    }
                }
            }
            Mechanism::Exists(spec) => {
                let Some(target) = self.target_name(Some(spec), domain, tt).await else { return Step::NoMatch };
                // §5.7: the lookup type is A even when the connection is IPv6.
                let lookup = self.query(&target, RecordType::A, tt).await;
                match addresses(&lookup) {
                    Err(why) => Step::Stop(SpfResult::TempError, why),
                    Ok(addrs) if addrs.is_empty() => self.void(tt).unwrap_or(Step::NoMatch),
                    Ok(_) => Step::Match,
                }
            }
        }
    }

    /// §6.2: the explanation for a fail. Any problem (DNS error, no or several
    /// TXT records, non-ASCII, a syntax error) means "as if no exp= was given".
    /// The lookup is not counted toward the limits.
    async fn explain(&mut self, record: &SpfRecord, domain: &str, trace: &mut TraceNode) -> Option<String> {
        let spec = record.explanation()?;
        let mut scratch = TraceTerm::new("exp", 0..0);
        let target = self.target_name(Some(spec), domain, &mut scratch).await?;
        let lookup = self.resolver.lookup(&target, RecordType::Txt).await;
        trace.explanation_lookup = Some(lookup.clone());
        let records = record_strings(&lookup);
        let [only] = records.as_slice() else { return None };
        let bytes = join_strings(only);
        if !bytes.is_ascii() {
            return None;
        }
        let text = text_of(&bytes);
        let ms = MacroString::parse(&text, 0, MacroSyntax::Explanation).ok()?;
        Some(self.expand(&ms, domain, &mut scratch).await)
    }
}

fn step_if(matched: bool) -> Step {
    if matched {
        Step::Match
    } else {
        Step::NoMatch
    }
}
