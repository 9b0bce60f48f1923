//! The one walker over a domain's SPF policy (RFC 7208), in two modes:
//!
//! - [`Mode::Evaluate`]: check_host() for a client IP (§4–§6). Terms in
//!   order, the first match decides, macros are expanded, and the limits of
//!   §4.6.4 end the evaluation with permerror (`eval.rs` holds the matching,
//!   macros and `exp=`).
//! - [`Mode::Audit`]: no client IP. Every term is visited to learn what it
//!   costs against the limits; literal include/redirect targets are followed,
//!   the terms of a record (and so its children) concurrently; loops and
//!   problems in included records become findings (`tree.rs` turns the
//!   walk into the [`IncludeTree`](super::tree::IncludeTree)).
//!
//! Written once, here, for both: fetching and selecting a record, following
//! include and redirect, the depth and record-count limits, the lookup and
//! void-lookup counting, the a/mx/exists lookups, and the limits themselves.
//! Both modes record the same [`TraceNode`] tree.

use std::cell::{Cell, RefCell};
use std::net::IpAddr;
use std::ops::Range;

use futures::future::{FutureExt, LocalBoxFuture};

use super::eval::{is_checkable_domain, is_queryable, CheckHostRequest, MatchedTerm, SpfResult, TraceNode, TraceTerm};
use super::macros::truncate_domain;
use super::record::{Directive, DomainSpec, DualCidr, Mechanism, SpfRecord};
use super::select::{select, Selection};
use crate::dns::{Lookup, Outcome, RData, RecordType, Resolver};
use crate::finding::Finding;
use crate::join::join_all;

/// RFC 7208 §4.6.4: at most 10 mechanisms and modifiers that do DNS lookups.
pub const MAX_DNS_TERMS: u32 = 10;
/// RFC 7208 §4.6.4: more than 2 lookups that return no answer is a permerror.
pub const MAX_VOID_LOOKUPS: u32 = 2;
/// From this many DNS-querying terms on, the policy is "near the limit": one
/// more include (most cost 2–4) breaks it. The report's info finding and the
/// page's gauge and tree colours use it.
pub const LOOKUPS_NEAR_LIMIT: u32 = 8;
/// RFC 7208 §4.6.4: an `mx` may not make more than 10 address lookups; a `ptr` checks at most 10 names.
pub const MAX_NAMES_PER_TERM: usize = 10;
/// Records fetched at most for one walk: the limit of 10 lookups is far
/// exceeded long before (an evaluation stops after 11).
const MAX_RECORDS: u32 = 40;
/// Nesting followed at most (an evaluation reaches 11 at most).
const MAX_DEPTH: usize = 12;

/// The resolver behind one boxed call. The walker's state machine is large
/// and recursive; asking through `dyn` compiles it once, with no resolver
/// future inlined at each of its call sites, whatever resolver the caller has.
pub(super) trait Ask {
    fn ask<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup>;
}

impl<R: Resolver> Ask for R {
    fn ask<'a>(&'a self, name: &'a str, rtype: RecordType) -> LocalBoxFuture<'a, Lookup> {
        self.lookup(name, rtype).boxed_local()
    }
}

/// What check_host() is asked about (§4.1).
#[derive(Clone, Copy)]
pub(super) struct Client<'a> {
    pub request: &'a CheckHostRequest,
    /// The client address as evaluated: an IPv4-mapped IPv6 address as IPv4 (§5).
    pub ip: IpAddr,
}

pub(super) enum Mode<'a> {
    Evaluate(Client<'a>),
    /// `root_text`: walk this text as the root record instead of the one DNS
    /// selects (a domain publishing several records gets each explained).
    Audit {
        root_text: Option<&'a str>,
    },
}

pub(super) struct Walker<'a> {
    resolver: &'a dyn Ask,
    pub(super) mode: Mode<'a>,
    /// DNS-querying terms counted so far (§4.6.4).
    pub(super) lookups: Cell<u32>,
    pub(super) voids: Cell<u32>,
    /// Records that may still be fetched ([`MAX_RECORDS`]).
    records: Cell<u32>,
    /// The audit's findings about included records.
    pub(super) findings: RefCell<Vec<Finding>>,
}

/// A walked record: its trace, and for an evaluation what decided it.
pub(super) struct NodeResult {
    pub result: SpfResult,
    pub explanation: Option<String>,
    pub matched: Option<MatchedTerm>,
    pub trace: TraceNode,
}

/// The record an include or redirect led to, once walked (its trace is the term's child).
pub(super) struct Followed {
    pub target: String,
    pub result: SpfResult,
    pub reason: String,
    pub explanation: Option<String>,
    pub matched: Option<MatchedTerm>,
}

/// How a term came out. An audit visits every term whatever its step.
pub(super) enum Step {
    Match,
    NoMatch,
    Stop(SpfResult, String),
}

pub(super) fn step_if(matched: bool) -> Step {
    if matched {
        Step::Match
    } else {
        Step::NoMatch
    }
}

pub(super) fn finish(mut trace: TraceNode, result: SpfResult, reason: String) -> NodeResult {
    trace.result = result;
    trace.reason = reason;
    NodeResult { result, explanation: None, matched: None, trace }
}

/// NODATA or NXDOMAIN: a void lookup (RFC 7208 §4.6.4). An answer with
/// records always holds the asked type (see `Outcome::Records`), so this is
/// also "no address" for A/AAAA and "no exchange" for MX.
pub fn is_void(lookup: &Lookup) -> bool {
    matches!(lookup.outcome, Outcome::NxDomain | Outcome::NoData(_))
}

impl<'a> Walker<'a> {
    pub(super) fn new(resolver: &'a dyn Ask, mode: Mode<'a>) -> Walker<'a> {
        Walker {
            resolver,
            mode,
            lookups: Cell::new(0),
            voids: Cell::new(0),
            records: Cell::new(MAX_RECORDS),
            findings: RefCell::new(Vec::new()),
        }
    }

    pub(super) fn client(&self) -> Option<Client<'a>> {
        match self.mode {
            Mode::Evaluate(client) => Some(client),
            Mode::Audit { .. } => None,
        }
    }

    pub(super) fn ask<'s>(&'s self, name: &'s str, rtype: RecordType) -> LocalBoxFuture<'s, Lookup> {
        self.resolver.ask(name, rtype)
    }

    /// A lookup made by a term, recorded in its trace.
    pub(super) async fn query(&self, name: &str, rtype: RecordType, term: &mut TraceTerm) -> Lookup {
        let lookup = self.ask(name, rtype).await;
        term.queries.push(lookup.clone());
        lookup
    }

    /// Walks the record of `domain`, reached through the term `via` (`None`
    /// at the root) below the records `lineage` (lower-case).
    pub(super) fn node(
        &self,
        domain: String,
        via: Option<String>,
        lineage: Vec<String>,
    ) -> LocalBoxFuture<'_, NodeResult> {
        async move {
            let mut trace = TraceNode::new(&domain);
            if let Some((result, why)) = self.refuse(&domain, lineage.len()) {
                return finish(trace, result, why);
            }
            let lookup = self.ask(&domain, RecordType::Txt).await;
            trace.lookup = Some(lookup.clone());
            let selection = match self.mode {
                Mode::Audit { root_text: Some(text) } if via.is_none() => Selection::One(text.to_string()),
                _ => select(&lookup),
            };
            let text = match selection {
                Selection::One(text) => text,
                other => {
                    let (result, why) = match self.mode {
                        Mode::Evaluate(_) => super::eval::no_record(&domain, &other),
                        Mode::Audit { .. } => self.audit_no_record(&domain, via.as_deref(), &lookup, other),
                    };
                    return finish(trace, result, why);
                }
            };
            trace.record = Some(text.clone());
            let parsed = match SpfRecord::parse_positioned(&text) {
                Ok(parsed) => parsed,
                Err(e) => {
                    let (result, why) = match self.mode {
                        Mode::Evaluate(_) => super::eval::bad_record(&domain, &e),
                        Mode::Audit { .. } => self.audit_bad_record(&domain, via.is_none(), &text, &e, &lookup),
                    };
                    return finish(trace, result, why);
                }
            };
            let mut lineage = lineage;
            lineage.push(domain.to_ascii_lowercase());
            match self.mode {
                Mode::Evaluate(_) => self.evaluate_terms(trace, &parsed, &domain, &lineage).await,
                Mode::Audit { .. } => {
                    if via.is_some() {
                        self.lint_included(&domain, &parsed, &lookup);
                    }
                    trace.terms = self.audit_terms(&parsed, &domain, &lineage).await;
                    finish(trace, SpfResult::None, String::new())
                }
            }
        }
        .boxed_local()
    }

    /// Why `domain` is not fetched, if it is not: no SPF policy for a name
    /// that is not a domain (§4.3, check_host() only), or past the record
    /// count or depth limits (what ends an audit of a loop or a huge tree;
    /// an evaluation's lookup limit ends it first).
    fn refuse(&self, domain: &str, depth: usize) -> Option<(SpfResult, String)> {
        if matches!(self.mode, Mode::Evaluate(_)) && !is_checkable_domain(domain) {
            let why =
                format!("\"{domain}\" is not a valid multi-label domain name, so it has no SPF policy (RFC 7208 §4.3)");
            return Some((SpfResult::None, why));
        }
        let remaining = self.records.get();
        if remaining == 0 || depth > MAX_DEPTH {
            let why = "not followed: the include tree is already far beyond the limit of 10 lookups".to_string();
            return Some((SpfResult::PermError, why));
        }
        self.records.set(remaining - 1);
        None
    }

    /// One directive: counted if it queries DNS, then looked at.
    pub(super) async fn directive(
        &self,
        directive: &Directive,
        written: &str,
        span: Range<usize>,
        domain: &str,
        lineage: &[String],
    ) -> (TraceTerm, Step) {
        let mut tt = TraceTerm::new(written, span);
        let step = if directive.mechanism.queries_dns() && !self.count_lookup(&mut tt) {
            self.limit_stop()
        } else {
            let step = self.mechanism(&directive.mechanism, domain, lineage, &mut tt).await;
            // Voids counted while validating PTR names (`ptr`, `%{p}`) end it too.
            match step {
                Step::Stop(..) => step,
                _ => self.void_limit(&tt).unwrap_or(step),
            }
        };
        (tt, step)
    }

    /// `redirect=` (§6.1): counted, its target named and followed. `Err`: the
    /// evaluation ends here (the limit, a target DNS cannot carry, a loop).
    pub(super) async fn redirect(
        &self,
        spec: &DomainSpec,
        written: &str,
        span: Range<usize>,
        domain: &str,
        lineage: &[String],
    ) -> (TraceTerm, Result<Followed, (SpfResult, String)>) {
        let mut tt = TraceTerm::new(written, span);
        if !self.count_lookup(&mut tt) {
            return (tt, Err((SpfResult::PermError, self.limit_reason())));
        }
        let Some(target) = self.target(Some(spec), domain, &mut tt).await else {
            let why = format!("{written} does not name a domain that can be looked up (RFC 7208 §6.1)");
            return (tt, Err((SpfResult::PermError, why)));
        };
        let followed = self.follow(target, domain, lineage, &mut tt).await;
        (tt, followed)
    }

    /// Walks the record an include or redirect leads to; its trace becomes
    /// the term's child. An audit does not follow a name already being
    /// walked (a loop, reported); check_host() lets the lookup limit end a
    /// loop, as §4.6.4 intends and the conformance suites expect.
    async fn follow(
        &self,
        target: String,
        domain: &str,
        lineage: &[String],
        tt: &mut TraceTerm,
    ) -> Result<Followed, (SpfResult, String)> {
        if self.client().is_none() && lineage.contains(&target.to_ascii_lowercase()) {
            return Err((SpfResult::PermError, self.audit_loop(domain, &target, tt)));
        }
        let child = self.node(target.clone(), Some(tt.term.clone()), lineage.to_vec()).await;
        let followed = Followed {
            target,
            result: child.result,
            reason: child.trace.reason.clone(),
            explanation: child.explanation,
            matched: child.matched,
        };
        tt.child = Some(Box::new(child.trace));
        Ok(followed)
    }

    /// The target-name of a term: its domain-spec (expanded when evaluating;
    /// an audit has no sender to expand macros with, so it stops there), or
    /// <domain>. `None` if there is none DNS can carry.
    pub(super) async fn target(&self, spec: Option<&DomainSpec>, domain: &str, tt: &mut TraceTerm) -> Option<String> {
        let name = match (spec, self.client()) {
            (None, _) => domain.to_string(),
            (Some(spec), Some(client)) => truncate_domain(&self.expand(client, &spec.0, domain, tt).await),
            (Some(spec), None) => match spec.literal() {
                Some(t) => t.strip_suffix('.').unwrap_or(&t).to_string(),
                None => {
                    tt.note = Some("uses macros: depends on the sender, not followed".into());
                    return None;
                }
            },
        };
        tt.target = Some(name.clone());
        if is_queryable(&name) {
            return Some(name);
        }
        let then = if self.client().is_some() { ", so nothing matches" } else { "" };
        tt.note = Some(format!("\"{name}\" is not a name DNS can look up{then}"));
        None
    }

    async fn mechanism(&self, mechanism: &Mechanism, domain: &str, lineage: &[String], tt: &mut TraceTerm) -> Step {
        match mechanism {
            Mechanism::All => Step::Match,
            Mechanism::Ip4 { addr, prefix } => self.in_client_network(&[IpAddr::V4(*addr)], prefix.unwrap_or(32)),
            Mechanism::Ip6 { addr, prefix } => self.in_client_network(&[IpAddr::V6(*addr)], prefix.unwrap_or(128)),
            Mechanism::Include(spec) => {
                let Some(target) = self.target(Some(spec), domain, tt).await else {
                    return Step::Stop(
                        SpfResult::PermError,
                        format!("{} does not name a domain that can be looked up", tt.term),
                    );
                };
                match self.follow(target, domain, lineage, tt).await {
                    Ok(followed) => super::eval::include_step(&tt.term, followed),
                    Err((result, why)) => Step::Stop(result, why),
                }
            }
            Mechanism::A { domain: spec, cidr } => {
                let Some(target) = self.target(spec.as_ref(), domain, tt).await else { return Step::NoMatch };
                let (rtype, prefix) = self.address_query(cidr);
                let lookup = self.query(&target, rtype, tt).await;
                self.address_step(&lookup, Some(prefix), tt)
            }
            Mechanism::Mx { domain: spec, cidr } => self.mx(spec.as_ref(), cidr, domain, tt).await,
            Mechanism::Ptr(spec) => match self.client() {
                Some(client) => self.ptr(client, spec.as_ref(), domain, tt).await,
                // Without a client there is no address to look up.
                None => Step::NoMatch,
            },
            Mechanism::Exists(spec) => {
                let Some(target) = self.target(Some(spec), domain, tt).await else { return Step::NoMatch };
                // §5.7: the lookup type is A even when the connection is IPv6.
                let lookup = self.query(&target, RecordType::A, tt).await;
                self.address_step(&lookup, None, tt)
            }
        }
    }

    /// The address type to ask for and the prefix length that applies, by
    /// the client's family (§5.3, §5.4); an audit asks A, as for IPv4 senders.
    pub(super) fn address_query(&self, cidr: &DualCidr) -> (RecordType, u8) {
        match self.client().map(|c| c.ip) {
            Some(IpAddr::V6(_)) => (RecordType::Aaaa, cidr.v6.unwrap_or(128)),
            _ => (RecordType::A, cidr.v4.unwrap_or(32)),
        }
    }

    /// Whether the client is in one of `nets`/`prefix`; never without a client.
    fn in_client_network(&self, nets: &[IpAddr], prefix: u8) -> Step {
        let client = self.client().map(|c| c.ip);
        step_if(client.is_some_and(|ip| nets.iter().any(|net| super::eval::in_network(ip, *net, prefix))))
    }

    /// An address answer: a failure ends an evaluation (temperror), an empty
    /// one is a void lookup; `prefix` `None` (exists) matches any address.
    fn address_step(&self, lookup: &Lookup, prefix: Option<u8>, tt: &mut TraceTerm) -> Step {
        match super::eval::addresses(lookup) {
            Err(why) => Step::Stop(SpfResult::TempError, why),
            Ok(addrs) if addrs.is_empty() => self.void(tt).unwrap_or(Step::NoMatch),
            Ok(addrs) => match prefix {
                Some(prefix) => self.in_client_network(&addrs, prefix),
                None => Step::Match,
            },
        }
    }

    /// `mx` (§5.4): the MX lookup, then every host's addresses.
    async fn mx(&self, spec: Option<&DomainSpec>, cidr: &DualCidr, domain: &str, tt: &mut TraceTerm) -> Step {
        let Some(target) = self.target(spec, domain, tt).await else { return Step::NoMatch };
        let mx = self.query(&target, RecordType::Mx, tt).await;
        if let Outcome::Failed(f) = &mx.outcome {
            return Step::Stop(SpfResult::TempError, format!("the MX lookup of {target} failed: {f}"));
        }
        if is_void(&mx) {
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
        let count = exchanges.len();
        if self.client().is_some() {
            // By preference, as pyspf orders them (rank.rs: one sort for the wasm).
            crate::rank::sort_by_rank(&mut exchanges, |(p, _)| i64::from(*p));
            if count > MAX_NAMES_PER_TERM {
                return Step::Stop(
                    SpfResult::PermError,
                    format!("{target} has {count} MX records; an mx mechanism may look up at most {MAX_NAMES_PER_TERM} (RFC 7208 §4.6.4)"),
                );
            }
        } else if count > MAX_NAMES_PER_TERM {
            // The audit goes on: the first 10 hosts' voids count too.
            self.audit_mx_too_many(domain, &target, count, &mx, tt);
        }
        let (rtype, prefix) = self.address_query(cidr);
        // A null MX ("0 .", RFC 7505) names no host: nothing to look up.
        let hosts = exchanges.iter().map(|(_, h)| h).filter(|h| is_queryable(h)).take(MAX_NAMES_PER_TERM);
        let lookups = join_all(hosts.map(|h| self.ask(h, rtype))).await;
        // As receivers do (pyspf): every host's addresses are fetched
        // before matching, so an empty one is a void lookup even when
        // another host matches, and an error is a temperror.
        let mut stop = None;
        let mut matched = false;
        for lookup in lookups {
            if stop.is_none() {
                match self.address_step(&lookup, Some(prefix), tt) {
                    Step::Match => matched = true,
                    Step::NoMatch => {}
                    // A void over the limit, or a failure.
                    step => stop = Some(step),
                }
            }
            tt.queries.push(lookup);
        }
        stop.unwrap_or(step_if(matched))
    }

    /// Counts a DNS-querying term; false when an evaluation exceeds the limit of 10.
    fn count_lookup(&self, tt: &mut TraceTerm) -> bool {
        tt.counts_toward_limit = true;
        let n = self.lookups.get() + 1;
        self.lookups.set(n);
        self.client().is_none() || n <= MAX_DNS_TERMS
    }

    fn limit_reason(&self) -> String {
        format!(
            "this is DNS-querying term number {}; at most {MAX_DNS_TERMS} are allowed per check (RFC 7208 §4.6.4)",
            self.lookups.get()
        )
    }

    fn limit_stop(&self) -> Step {
        Step::Stop(SpfResult::PermError, self.limit_reason())
    }

    /// Counts a void lookup; `Some(stop)` once an evaluation has more than 2.
    pub(super) fn void(&self, tt: &mut TraceTerm) -> Option<Step> {
        tt.void_lookup = true;
        self.voids.set(self.voids.get() + 1);
        self.void_limit(tt)
    }

    /// `Some(stop)` once an evaluation made more than 2 void lookups.
    /// RFC 7208 §4.6.4 counts every query of a term that comes back empty,
    /// so also an `mx` term's host address lookups, the names a `ptr` term
    /// (or `%{p}`) validates and the PTR lookup itself — as pyspf does (its
    /// `dns()` counts each empty answer: https://github.com/sdgathman/pyspf
    /// spf.py, read 2026-12-05). An audit counts them all and goes on.
    fn void_limit(&self, tt: &TraceTerm) -> Option<Step> {
        let voids = self.voids.get();
        if self.client().is_some() && voids > MAX_VOID_LOOKUPS {
            Some(Step::Stop(
                SpfResult::PermError,
                format!(
                    "{} came back empty: that is void lookup number {voids}, and at most {MAX_VOID_LOOKUPS} are allowed (RFC 7208 §4.6.4)",
                    tt.term
                ),
            ))
        } else {
            None
        }
    }
}
