//! The one walker over a domain's SPF policy (RFC 7208), in two modes:
//!
//! - `Mode::Evaluate`: check_host() for a client IP (§4–§6). Terms in
//!   order, the first match decides, macros are expanded, and the limits of
//!   §4.6.4 end the evaluation with permerror (`eval.rs` holds the matching,
//!   macros and `exp=`).
//! - `Mode::Audit`: no client IP. Every term is visited to learn what it
//!   costs against the limits; literal include/redirect targets are followed,
//!   the terms of a record (and so its children) concurrently; loops and
//!   problems in included records become findings (`tree.rs` turns the
//!   walk into the [`IncludeTree`](super::tree::IncludeTree)).
//!
//! Written once, here, for both: fetching and selecting a record, following
//! include and redirect, the depth and record-count limits, the lookup and
//! void-lookup counting, the a/mx/exists lookups, and the limits themselves.
//! Both modes record the same [`TraceNode`] tree.
//!
//! The walk itself is synchronous: a pass walks the policy over the answers
//! known so far, and every question it cannot answer yet is noted (a step
//! waiting for one returns `None`). `walk` asks the noted questions, all
//! at once, and walks again, until a pass needs nothing more. An evaluation
//! stops at its first unanswered question, so it asks exactly what
//! check_host() asks, in order; an audit goes on past them, so each pass
//! asks a whole level of the tree (every include's record, every a/mx/exists
//! lookup) concurrently. Plain code instead of nested async state machines
//! keeps the walker small in the wasm; a pass costs microseconds, a round
//! of DNS milliseconds.

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
/// Rounds of lookups at most. Each round answers at least one new question,
/// and no walk within the limits above needs half as many (an evaluation:
/// 11 records, 10 terms of at most 3 dependent lookups, the exp= text).
const MAX_ROUNDS: usize = 100;

/// The resolver behind one boxed call: [`walk`] is compiled once, whatever
/// resolver the caller has.
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

#[derive(Clone, Copy)]
pub(super) enum Mode<'a> {
    Evaluate(Client<'a>),
    /// `root_text`: walk this text as the root record instead of the one DNS
    /// selects (a domain publishing several records gets each explained).
    Audit {
        root_text: Option<&'a str>,
    },
}

/// One pass of the walk over the answers known so far.
pub(super) struct Walker<'a> {
    pub(super) mode: Mode<'a>,
    /// Every question asked in earlier rounds, with its answer.
    answers: Vec<(String, RecordType, Lookup)>,
    /// The questions this pass needed and did not find in `answers`.
    missing: RefCell<Vec<(String, RecordType)>>,
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

/// An include or redirect followed, or why an evaluation ends at it.
pub(super) type Walked = Result<Followed, (SpfResult, String)>;

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

/// Walks the policy of `domain` in `mode`: passes over the answers known,
/// each followed by one round of the questions it could not answer, asked
/// concurrently. Returns the root and the last pass (its counts and findings).
pub(super) async fn walk<'a>(resolver: &dyn Ask, mode: Mode<'a>, domain: &str) -> (NodeResult, Walker<'a>) {
    let mut answers = Vec::new();
    let mut rounds = 0;
    loop {
        let pass = Walker::new(mode, answers);
        let node = pass.node(domain.to_string(), None, Vec::new());
        let missing = pass.missing.take();
        match node {
            Some(node) if missing.is_empty() => return (node, pass),
            // Not reached by any policy within the limits; a bound all the same.
            _ if rounds == MAX_ROUNDS => {
                let why = "gave up: this policy needs more rounds of DNS lookups than any valid one";
                return (finish(TraceNode::new(domain), SpfResult::TempError, why.to_string()), pass);
            }
            _ => rounds += 1,
        }
        let fetched = join_all(missing.iter().map(|(name, rtype)| resolver.ask(name, *rtype))).await;
        answers = pass.answers;
        answers.extend(missing.into_iter().zip(fetched).map(|((name, rtype), lookup)| (name, rtype, lookup)));
    }
}

impl<'a> Walker<'a> {
    fn new(mode: Mode<'a>, answers: Vec<(String, RecordType, Lookup)>) -> Walker<'a> {
        Walker {
            mode,
            answers,
            missing: RefCell::new(Vec::new()),
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

    /// The answer to a question, or `None` once it is noted for the next round.
    pub(super) fn ask(&self, name: &str, rtype: RecordType) -> Option<Lookup> {
        let known = self.answers.iter().find(|(n, t, _)| n == name && *t == rtype);
        if let Some((_, _, lookup)) = known {
            return Some(lookup.clone());
        }
        let mut missing = self.missing.borrow_mut();
        if !missing.iter().any(|(n, t)| n == name && *t == rtype) {
            missing.push((name.to_string(), rtype));
        }
        None
    }

    /// Answers to several questions asked together (an mx term's hosts, a
    /// ptr term's names): all noted at once, so they go out in one round.
    pub(super) fn ask_all<'n>(
        &self,
        names: impl Iterator<Item = &'n String>,
        rtype: RecordType,
    ) -> Option<Vec<Lookup>> {
        // Every name is asked (and noted) even after a missing answer; a loop,
        // not two collects, is smaller in the wasm.
        let mut answers = Vec::new();
        let mut complete = true;
        for name in names {
            match self.ask(name, rtype) {
                Some(lookup) => answers.push(lookup),
                None => complete = false,
            }
        }
        complete.then_some(answers)
    }

    /// A lookup made by a term, recorded in its trace.
    pub(super) fn query(&self, name: &str, rtype: RecordType, term: &mut TraceTerm) -> Option<Lookup> {
        let lookup = self.ask(name, rtype)?;
        term.queries.push(lookup.clone());
        Some(lookup)
    }

    /// Walks the record of `domain`, reached through the term `via` (`None`
    /// at the root) below the records `lineage` (lower-case).
    fn node(&self, domain: String, via: Option<String>, lineage: Vec<String>) -> Option<NodeResult> {
        let mut trace = TraceNode::new(&domain);
        if let Some((result, why)) = self.refuse(&domain, lineage.len()) {
            return Some(finish(trace, result, why));
        }
        let lookup = self.ask(&domain, RecordType::Txt)?;
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
                return Some(finish(trace, result, why));
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
                return Some(finish(trace, result, why));
            }
        };
        let mut lineage = lineage;
        lineage.push(domain.to_ascii_lowercase());
        match self.mode {
            Mode::Evaluate(_) => self.evaluate_terms(trace, &parsed, &domain, &lineage),
            Mode::Audit { .. } => {
                if via.is_some() {
                    self.lint_included(&domain, &parsed, &lookup);
                }
                trace.terms = self.audit_terms(&parsed, &domain, &lineage);
                Some(finish(trace, SpfResult::None, String::new()))
            }
        }
    }

    /// Why `domain` is not fetched, if it is not: no SPF policy for a name
    /// that is not a domain (§4.3, check_host() only), or past the record
    /// count or depth limits (what ends an audit of a loop or a huge tree;
    /// an evaluation's lookup limit ends it first).
    fn refuse(&self, domain: &str, depth: usize) -> Option<(SpfResult, String)> {
        if matches!(self.mode, Mode::Evaluate(_)) && !is_checkable_domain(domain) {
            let why = format!("\"{domain}\" is not a valid multi-label domain name: no SPF policy (RFC 7208 §4.3)");
            return Some((SpfResult::None, why));
        }
        let remaining = self.records.get();
        if remaining == 0 || depth > MAX_DEPTH {
            let why = "not followed: the include tree is already far past the 10-lookup limit".to_string();
            return Some((SpfResult::PermError, why));
        }
        self.records.set(remaining - 1);
        None
    }

    /// One directive: counted if it queries DNS, then looked at.
    pub(super) fn directive(
        &self,
        directive: &Directive,
        written: &str,
        span: Range<usize>,
        domain: &str,
        lineage: &[String],
    ) -> Option<(TraceTerm, Step)> {
        let mut tt = TraceTerm::new(written, span);
        let step = if directive.mechanism.queries_dns() && !self.count_lookup(&mut tt) {
            self.limit_stop()
        } else {
            let step = self.mechanism(&directive.mechanism, domain, lineage, &mut tt)?;
            // Voids counted while validating PTR names (`ptr`, `%{p}`) end it too.
            match step {
                Step::Stop(..) => step,
                _ => self.void_limit(&tt).unwrap_or(step),
            }
        };
        Some((tt, step))
    }

    /// `redirect=` (§6.1): counted, its target named and followed. `Err`: the
    /// evaluation ends here (the limit, a target DNS cannot carry, a loop).
    pub(super) fn redirect(
        &self,
        spec: &DomainSpec,
        written: &str,
        span: Range<usize>,
        domain: &str,
        lineage: &[String],
    ) -> Option<(TraceTerm, Walked)> {
        let mut tt = TraceTerm::new(written, span);
        if !self.count_lookup(&mut tt) {
            return Some((tt, Err((SpfResult::PermError, self.limit_reason()))));
        }
        let Some(target) = self.target(Some(spec), domain, &mut tt)? else {
            let why = format!("{written} does not name a domain that can be looked up (RFC 7208 §6.1)");
            return Some((tt, Err((SpfResult::PermError, why))));
        };
        let followed = self.follow(target, domain, lineage, &mut tt)?;
        Some((tt, followed))
    }

    /// Walks the record an include or redirect leads to; its trace becomes
    /// the term's child. An audit does not follow a name already being
    /// walked (a loop, reported); check_host() lets the lookup limit end a
    /// loop, as §4.6.4 intends and the conformance suites expect.
    fn follow(&self, target: String, domain: &str, lineage: &[String], tt: &mut TraceTerm) -> Option<Walked> {
        if self.client().is_none() && lineage.contains(&target.to_ascii_lowercase()) {
            return Some(Err((SpfResult::PermError, self.audit_loop(domain, &target, tt))));
        }
        let child = self.node(target.clone(), Some(tt.term.clone()), lineage.to_vec())?;
        let followed = Followed {
            target,
            result: child.result,
            reason: child.trace.reason.clone(),
            explanation: child.explanation,
            matched: child.matched,
        };
        tt.child = Some(Box::new(child.trace));
        Some(Ok(followed))
    }

    /// The target-name of a term: its domain-spec (expanded when evaluating;
    /// an audit has no sender to expand macros with, so it stops there), or
    /// <domain>. `Some(None)` if there is none DNS can carry.
    pub(super) fn target(&self, spec: Option<&DomainSpec>, domain: &str, tt: &mut TraceTerm) -> Option<Option<String>> {
        let name = match (spec, self.client()) {
            (None, _) => domain.to_string(),
            (Some(spec), Some(client)) => truncate_domain(&self.expand(client, &spec.0, domain, tt)?),
            (Some(spec), None) => match spec.literal() {
                Some(t) => t.strip_suffix('.').unwrap_or(&t).to_string(),
                None => {
                    tt.note = Some("uses macros: depends on the sender, not followed".into());
                    return Some(None);
                }
            },
        };
        tt.target = Some(name.clone());
        if is_queryable(&name) {
            return Some(Some(name));
        }
        let then = if self.client().is_some() { ", so nothing matches" } else { "" };
        tt.note = Some(format!("\"{name}\" is not a name DNS can look up{then}"));
        Some(None)
    }

    fn mechanism(&self, mechanism: &Mechanism, domain: &str, lineage: &[String], tt: &mut TraceTerm) -> Option<Step> {
        let step = match mechanism {
            Mechanism::All => Step::Match,
            Mechanism::Ip4 { addr, prefix } => self.in_client_network(&[IpAddr::V4(*addr)], prefix.unwrap_or(32)),
            Mechanism::Ip6 { addr, prefix } => self.in_client_network(&[IpAddr::V6(*addr)], prefix.unwrap_or(128)),
            Mechanism::Include(spec) => {
                let Some(target) = self.target(Some(spec), domain, tt)? else {
                    let why = format!("{} does not name a domain that can be looked up", tt.term);
                    return Some(Step::Stop(SpfResult::PermError, why));
                };
                match self.follow(target, domain, lineage, tt)? {
                    Ok(followed) => super::eval::include_step(&tt.term, followed),
                    Err((result, why)) => Step::Stop(result, why),
                }
            }
            Mechanism::A { domain: spec, cidr } => {
                let Some(target) = self.target(spec.as_ref(), domain, tt)? else { return Some(Step::NoMatch) };
                let (rtype, prefix) = self.address_query(cidr);
                let lookup = self.query(&target, rtype, tt)?;
                self.address_step(&lookup, Some(prefix), tt)
            }
            Mechanism::Mx { domain: spec, cidr } => self.mx(spec.as_ref(), cidr, domain, tt)?,
            Mechanism::Ptr(spec) => match self.client() {
                Some(client) => self.ptr(client, spec.as_ref(), domain, tt)?,
                // Without a client there is no address to look up.
                None => Step::NoMatch,
            },
            Mechanism::Exists(spec) => {
                let Some(target) = self.target(Some(spec), domain, tt)? else { return Some(Step::NoMatch) };
                // §5.7: the lookup type is A even when the connection is IPv6.
                let lookup = self.query(&target, RecordType::A, tt)?;
                self.address_step(&lookup, None, tt)
            }
        };
        Some(step)
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
    fn mx(&self, spec: Option<&DomainSpec>, cidr: &DualCidr, domain: &str, tt: &mut TraceTerm) -> Option<Step> {
        let Some(target) = self.target(spec, domain, tt)? else { return Some(Step::NoMatch) };
        let mx = self.query(&target, RecordType::Mx, tt)?;
        if let Outcome::Failed(f) = &mx.outcome {
            return Some(Step::Stop(SpfResult::TempError, format!("the MX lookup of {target} failed: {f}")));
        }
        if is_void(&mx) {
            return Some(self.void(tt).unwrap_or(Step::NoMatch));
        }
        // A loop, not a filter_map chain collected: smaller in the wasm.
        let mut exchanges: Vec<(u16, String)> = Vec::new();
        for d in mx.data() {
            if let RData::Mx { preference, exchange } = d {
                exchanges.push((*preference, exchange.strip_suffix('.').unwrap_or(exchange).to_string()));
            }
        }
        let count = exchanges.len();
        if self.client().is_some() {
            // By preference, as pyspf orders them (rank.rs: one sort for the wasm).
            crate::rank::sort_by_rank(&mut exchanges, |(p, _)| i64::from(*p));
            if count > MAX_NAMES_PER_TERM {
                let why = format!(
                    "{target} has {count} MX records; mx may look up at most {MAX_NAMES_PER_TERM} (RFC 7208 §4.6.4)"
                );
                return Some(Step::Stop(SpfResult::PermError, why));
            }
        } else if count > MAX_NAMES_PER_TERM {
            // The audit goes on: the first 10 hosts' voids count too.
            self.audit_mx_too_many(domain, &target, count, &mx, tt);
        }
        let (rtype, prefix) = self.address_query(cidr);
        // A null MX ("0 .", RFC 7505) names no host: nothing to look up.
        let hosts = exchanges.iter().map(|(_, h)| h).filter(|h| is_queryable(h)).take(MAX_NAMES_PER_TERM);
        let lookups = self.ask_all(hosts, rtype)?;
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
        Some(stop.unwrap_or(step_if(matched)))
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
            "DNS-querying term number {}; at most {MAX_DNS_TERMS} are allowed per check (RFC 7208 §4.6.4)",
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
                    "{} came back empty: void lookup number {voids}; at most {MAX_VOID_LOOKUPS} are allowed (RFC 7208 §4.6.4)",
                    tt.term
                ),
            ))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;
    use std::rc::Rc;

    use futures::executor::block_on;

    use crate::dns::stepped::{run_in_rounds, SteppedResolver};
    use crate::dns::{MemoryResolver, RecordType};
    use crate::spf::{check_host, include_tree, SpfResult};

    fn zone(text: &str) -> MemoryResolver {
        MemoryResolver::from_zone_text(text).unwrap()
    }

    fn sorted(rounds: Vec<Vec<(String, RecordType)>>) -> Vec<Vec<String>> {
        rounds
            .into_iter()
            .map(|round| {
                let mut asked: Vec<String> = round.iter().map(|(name, rtype)| format!("{name} {rtype}")).collect();
                asked.sort();
                asked
            })
            .collect()
    }

    /// The audit asks a whole level of the tree per round: the includes'
    /// records and the root's own MX together, then everything those lead
    /// to (the includes' lookups, the MX host's address) together.
    #[test]
    fn audit_asks_a_level_per_round() {
        let z = zone(
            "example.com TXT \"v=spf1 include:a.example.net include:b.example.net mx -all\"\n\
             example.com MX 10 mx.example.com\n\
             mx.example.com A 192.0.2.25\n\
             a.example.net TXT \"v=spf1 a:h.example.net -all\"\n\
             h.example.net A 192.0.2.9\n\
             b.example.net TXT \"v=spf1 exists:x.example.net -all\"",
        );
        let r = Rc::new(SteppedResolver::new(z));
        let (out, rounds) = run_in_rounds(r, |r| async move { include_tree(&r, "example.com", None).await });
        let (tree, findings) = out.unwrap();
        assert!(findings.is_empty(), "{findings:?}");
        // include:a 2 + include:b 2 + mx 1; x.example.net finds nothing.
        assert_eq!((tree.lookups, tree.void_lookups), (5, 1));
        assert_eq!(
            sorted(rounds),
            vec![
                vec!["example.com TXT"],
                vec!["a.example.net TXT", "b.example.net TXT", "example.com MX"],
                vec!["h.example.net A", "mx.example.com A", "x.example.net A"],
            ]
        );
    }

    /// check_host() asks one question at a time, in the order of the terms,
    /// and nothing after the term that decides.
    #[test]
    fn evaluation_stops_at_the_first_match() {
        let text = "example.com TXT \"v=spf1 a:h1.example.com a:h2.example.com -all\"\n\
                    h1.example.com A 192.0.2.1\n\
                    h2.example.com A 192.0.2.2";
        for (ip, want, asked) in [
            ("192.0.2.1", SpfResult::Pass, vec![vec!["example.com TXT"], vec!["h1.example.com A"]]),
            (
                "192.0.2.3",
                SpfResult::Fail,
                vec![vec!["example.com TXT"], vec!["h1.example.com A"], vec!["h2.example.com A"]],
            ),
        ] {
            let ip: IpAddr = ip.parse().unwrap();
            let r = Rc::new(SteppedResolver::new(zone(text)));
            let (eval, rounds) =
                run_in_rounds(r, move |r| async move { check_host(&r, ip, "example.com", "", "example.com").await });
            assert_eq!(eval.unwrap().result, want, "{ip}");
            assert_eq!(sorted(rounds), asked, "{ip}");
        }
    }

    /// A question is asked once per evaluation even where the policy repeats
    /// it: a loop is followed to the lookup limit (RFC 7208 §4.6.4), over
    /// the one answer.
    #[test]
    fn evaluation_asks_each_question_once() {
        let z = zone("example.com TXT \"v=spf1 include:example.com -all\"");
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let eval = block_on(check_host(&z, ip, "example.com", "", "example.com"));
        assert_eq!((eval.result, eval.lookup_count), (SpfResult::PermError, 11));
        assert_eq!(z.queries(), vec![("example.com".to_string(), RecordType::Txt)]);
    }
}
