//! The include tree of a domain's SPF policy, walked without a client IP:
//! what every include/redirect leads to, what each term costs against the
//! limit of 10 DNS-querying terms (RFC 7208 §4.6.4), which terms find
//! nothing in DNS (void lookups), loops, and include targets without SPF.
//! Children of a record are fetched concurrently.

use std::cell::{Cell, RefCell};
use std::ops::Range;

use futures::future::{join, FutureExt, LocalBoxFuture};

use crate::join::join_all;

use super::eval::{is_queryable, MAX_NAMES_PER_TERM};
use super::lint::{finding, lint_record, syntax_finding};
use super::record::{Mechanism, Modifier, ParsedRecord, SpfRecord, Term};
use super::select::{select, Selection};
use crate::dns::{Lookup, Outcome, RData, RecordType, Resolver};
use crate::finding::{Finding, Severity};
use crate::spf::SpfCode;

/// Records fetched at most for one tree: the limit of 10 lookups is far exceeded long before.
const MAX_NODES: u32 = 40;
/// Nesting followed at most.
const MAX_DEPTH: usize = 12;

/// One term of a record and what it costs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TermCost {
    pub term: String,
    pub span: Range<usize>,
    /// DNS-querying terms this one adds: 1 for itself plus everything an include/redirect leads to.
    pub cost: u32,
    /// The empty answer, when the term's own lookup finds nothing (a void lookup).
    pub void: Option<Lookup>,
    /// The lookup made to check the term (A for a/exists, MX for mx), if any.
    pub lookup: Option<Lookup>,
    /// An `mx` term's host A lookups (at most 10); the empty ones are void
    /// lookups too (RFC 7208 §4.6.4, counted as pyspf does), for IPv4 senders.
    pub hosts: Vec<Lookup>,
    pub note: Option<String>,
}

/// A record in the include tree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IncludeTree {
    pub domain: String,
    /// The term that led here (`include:…` or `redirect=…`); `None` at the root.
    pub via: Option<String>,
    /// The TXT lookup.
    pub lookup: Option<Lookup>,
    pub record: Option<String>,
    pub terms: Vec<TermCost>,
    pub children: Vec<IncludeTree>,
    /// DNS-querying terms in this record and below it.
    pub lookups: u32,
    /// Void lookups in this record and below it.
    pub void_lookups: u32,
    /// Why this node could not be followed, if it could not.
    pub problem: Option<String>,
}

impl IncludeTree {
    fn new(domain: &str, via: Option<String>) -> IncludeTree {
        IncludeTree {
            domain: domain.to_string(),
            via,
            lookup: None,
            record: None,
            terms: Vec::new(),
            children: Vec::new(),
            lookups: 0,
            void_lookups: 0,
            problem: None,
        }
    }

    /// Every void term in the tree: (domain whose record has it, term, the empty lookup).
    pub fn void_terms(&self) -> Vec<(&str, &str, &Lookup)> {
        let mut out: Vec<(&str, &str, &Lookup)> = self
            .terms
            .iter()
            .flat_map(|t| t.void.iter().chain(t.host_voids()).map(|l| (self.domain.as_str(), t.term.as_str(), l)))
            .collect();
        for child in &self.children {
            out.extend(child.void_terms());
        }
        out
    }
}

/// NODATA or NXDOMAIN: a void lookup (RFC 7208 §4.6.4).
pub fn is_void(lookup: &Lookup) -> bool {
    matches!(lookup.outcome, Outcome::NxDomain | Outcome::NoData(_))
}

impl TermCost {
    /// The MX hosts' address lookups that found nothing.
    pub fn host_voids(&self) -> impl Iterator<Item = &Lookup> {
        self.hosts.iter().filter(|l| is_void(l))
    }

    /// Void lookups of this term itself (not of what an include leads to).
    pub fn voids(&self) -> u32 {
        u32::from(self.void.is_some()) + u32::try_from(self.host_voids().count()).unwrap_or(u32::MAX)
    }
}

pub struct TreeWalk<'a, R: Resolver> {
    resolver: &'a R,
    budget: Cell<u32>,
    findings: RefCell<Vec<Finding>>,
    /// Walk this text as the root record instead of the one DNS selects:
    /// used when a domain publishes several records, to explain each of them.
    root_text: Option<String>,
}

enum Work {
    Child(usize, String, String),
    Check(usize, String, RecordType),
}

impl<'a, R: Resolver> TreeWalk<'a, R> {
    pub fn new(resolver: &'a R) -> TreeWalk<'a, R> {
        TreeWalk { resolver, budget: Cell::new(MAX_NODES), findings: RefCell::new(Vec::new()), root_text: None }
    }

    /// A walk whose root record is `text` (one of several published at the domain).
    pub fn with_root_text(resolver: &'a R, text: &str) -> TreeWalk<'a, R> {
        TreeWalk { root_text: Some(text.to_string()), ..TreeWalk::new(resolver) }
    }

    /// Walks from `domain`; returns the tree and the findings about included records.
    pub async fn walk(self, domain: &str) -> (IncludeTree, Vec<Finding>) {
        let tree = self.node(domain.to_string(), None, Vec::new()).await;
        (tree, self.findings.into_inner())
    }

    fn push(&self, f: Finding) {
        self.findings.borrow_mut().push(f);
    }

    fn node(&self, domain: String, via: Option<String>, ancestors: Vec<String>) -> LocalBoxFuture<'_, IncludeTree> {
        async move {
            let mut node = IncludeTree::new(&domain, via.clone());
            let root = via.is_none();
            let remaining = self.budget.get();
            if remaining == 0 || ancestors.len() > MAX_DEPTH {
                node.problem =
                    Some("not followed: the include tree is already far beyond the limit of 10 lookups".into());
                return node;
            }
            self.budget.set(remaining - 1);
            let lookup = self.resolver.lookup(&domain, RecordType::Txt).await;
            node.lookup = Some(lookup.clone());
            let via_text = via.clone().unwrap_or_default();
            let selection = match (&self.root_text, root) {
                (Some(text), true) => Selection::One(text.clone()),
                _ => select(&lookup),
            };
            let Some(text) = self.record_text(&domain, &via_text, root, &lookup, selection, &mut node) else {
                return node;
            };
            node.record = Some(text.clone());
            let parsed = match SpfRecord::parse_positioned(&text) {
                Ok(p) => p,
                Err(e) => {
                    node.problem = Some(e.message.clone());
                    if !root {
                        self.push(syntax_finding(&domain, &text, &e, Some(&lookup)));
                    }
                    return node;
                }
            };
            if !root {
                for f in lint_record(&domain, &parsed, false) {
                    self.push(f.evidence(&lookup));
                }
            }

            let mut lineage = ancestors.clone();
            lineage.push(domain.to_ascii_lowercase());
            let work = self.plan_terms(&domain, &parsed, &lineage, &mut node);

            let children: Vec<_> = work
                .iter()
                .filter_map(|w| match w {
                    Work::Child(i, t, via) => Some((*i, self.node(t.clone(), Some(via.clone()), lineage.clone()))),
                    Work::Check(..) => None,
                })
                .collect();
            let (indices, futures): (Vec<usize>, Vec<_>) = children.into_iter().unzip();
            let checks: Vec<(usize, String, RecordType)> = work
                .iter()
                .filter_map(|w| match w {
                    Work::Check(i, t, r) => Some((*i, t.clone(), *r)),
                    Work::Child(..) => None,
                })
                .collect();
            let (child_trees, check_lookups) =
                join(join_all(futures), join_all(checks.iter().map(|(_, t, r)| self.resolver.lookup(t, *r)))).await;

            // The MX hosts' addresses: an empty one is a void lookup too.
            let mut hosts: Vec<(usize, String)> = Vec::new();
            for ((index, _, _), lookup) in checks.iter().zip(&check_lookups) {
                if lookup.rtype == RecordType::Mx {
                    let names = lookup.data().filter_map(|d| match d {
                        RData::Mx { exchange, .. } => Some(exchange.strip_suffix('.').unwrap_or(exchange).to_string()),
                        _ => None,
                    });
                    hosts.extend(names.filter(|h| is_queryable(h)).take(MAX_NAMES_PER_TERM).map(|h| (*index, h)));
                }
            }
            let host_lookups = join_all(hosts.iter().map(|(_, h)| self.resolver.lookup(h, RecordType::A))).await;
            for ((index, _), lookup) in hosts.iter().zip(host_lookups) {
                if let Some(cost) = node.terms.get_mut(*index) {
                    node.void_lookups += u32::from(is_void(&lookup));
                    cost.hosts.push(lookup);
                }
            }
            self.account_checks(&domain, &checks, check_lookups, &mut node);
            for (index, child) in indices.into_iter().zip(child_trees) {
                if let Some(cost) = node.terms.get_mut(index) {
                    cost.cost += child.lookups;
                }
                node.void_lookups += child.void_lookups;
                node.children.push(child);
            }
            node.lookups = node.terms.iter().map(|t| t.cost).sum();
            node
        }
        .boxed_local()
    }

    /// The record to walk from `selection`, or `None` after saying why there
    /// is none (a failed lookup, no record, several) in `node` and the findings.
    fn record_text(
        &self,
        domain: &str,
        via_text: &str,
        root: bool,
        lookup: &Lookup,
        selection: Selection,
        node: &mut IncludeTree,
    ) -> Option<String> {
        let is_redirect = via_text.to_ascii_lowercase().starts_with("redirect=");
        match selection {
            Selection::One(text) => Some(text),
            // The root's own lookup problems are reported by the caller, which knows more (type 99, near misses).
            _ if root => None,
            Selection::Failed(f) => {
                node.problem = Some(format!("couldn't get the TXT records: {f}"));
                self.push(
                    finding(
                        SpfCode::LookupFailed,
                        Severity::Warning,
                        format!("Couldn't ask DNS for the SPF record of {domain} (reached through {via_text}): {f}. This is a DNS problem, not necessarily a broken record, but receivers that see it return temperror."),
                    )
                    .rfc(7208, "5.2")
                    .evidence(lookup),
                );
                None
            }
            Selection::NxDomain | Selection::NoSpf { .. } => {
                let what =
                    if matches!(lookup.outcome, Outcome::NxDomain) { "does not exist" } else { "has no SPF record" };
                node.problem = Some(format!("{domain} {what}"));
                let (code, section, mech) = if is_redirect {
                    (SpfCode::RedirectNoSpf, "6.1", "redirect")
                } else {
                    (SpfCode::IncludeNoSpf, "5.2", "include")
                };
                self.push(
                    finding(
                        code,
                        Severity::Error,
                        format!("{via_text}: {domain} {what}, so every receiver evaluating this {mech} returns permerror — the whole SPF check breaks."),
                    )
                    .rfc(7208, section)
                    .hint(format!("Remove {via_text}, or fix the name (check the provider's documentation for the right one)."))
                    .evidence(lookup),
                );
                None
            }
            Selection::Multiple(all) => {
                node.problem = Some(format!("{domain} has {} SPF records", all.len()));
                self.push(
                    finding(
                        SpfCode::Multiple,
                        Severity::Error,
                        format!("{domain} (reached through {via_text}) publishes {} SPF records; with more than one, receivers return permerror.", all.len()),
                    )
                    .rfc(7208, "4.5")
                    .evidence(lookup),
                );
                None
            }
        }
    }

    /// What each term of `parsed` costs and what it needs next: a child
    /// record to walk (include, redirect) or a lookup to check (a, mx,
    /// exists). Loops are findings here; terms go into `node` in order.
    fn plan_terms(&self, domain: &str, parsed: &ParsedRecord, lineage: &[String], node: &mut IncludeTree) -> Vec<Work> {
        let has_all = parsed.record.has_all();
        let mut work = Vec::new();
        for (index, (term, written, span)) in parsed.located_terms().enumerate() {
            let mut cost = TermCost {
                term: written.to_string(),
                span,
                cost: 0,
                void: None,
                lookup: None,
                hosts: Vec::new(),
                note: None,
            };
            let (followed, target_spec, check) = match term {
                Term::Directive(d) => {
                    cost.cost = u32::from(d.mechanism.queries_dns());
                    match &d.mechanism {
                        Mechanism::Include(spec) => (true, Some(spec), None),
                        Mechanism::A { domain: spec, .. } => (false, spec.as_ref(), Some(RecordType::A)),
                        Mechanism::Mx { domain: spec, .. } => (false, spec.as_ref(), Some(RecordType::Mx)),
                        Mechanism::Exists(spec) => (false, Some(spec), Some(RecordType::A)),
                        _ => (false, None, None),
                    }
                }
                Term::Modifier(Modifier::Redirect(spec)) => {
                    if has_all {
                        cost.note = Some("ignored: the record has an \"all\"".into());
                        (false, None, None)
                    } else {
                        cost.cost = 1;
                        (true, Some(spec), None)
                    }
                }
                Term::Modifier(_) => (false, None, None),
            };
            let target = match target_spec {
                Some(spec) => spec.literal().map(|t| t.strip_suffix('.').unwrap_or(&t).to_string()),
                None if check.is_some() => Some(domain.to_string()),
                None => None,
            };
            match (target, followed) {
                (None, _) if target_spec.is_some() => {
                    cost.note = Some("uses macros: depends on the sender, not followed".into());
                }
                (Some(t), _) if !is_queryable(&t) => {
                    cost.note = Some(format!("\"{t}\" is not a name DNS can look up"));
                }
                (Some(t), true) => {
                    if lineage.contains(&t.to_ascii_lowercase()) {
                        cost.note = Some(format!("loop: {t} is already being evaluated"));
                        self.push(
                            finding(
                                SpfCode::IncludeLoop,
                                Severity::Error,
                                format!("{written} in the SPF record of {domain} leads back to {t}, which includes it again: a loop. Receivers stop at 10 lookups and return permerror."),
                            )
                            .rfc(7208, "4.6.4")
                            .hint(format!("Remove {written}.")),
                        );
                    } else {
                        work.push(Work::Child(index, t, written.to_string()));
                    }
                }
                (Some(t), false) => {
                    if let Some(rtype) = check {
                        work.push(Work::Check(index, t, rtype));
                    }
                }
                _ => {}
            }
            node.terms.push(cost);
        }

        work
    }

    /// The a/mx/exists lookups' answers into their terms: void lookups, and
    /// an mx term's names over the limit.
    fn account_checks(
        &self,
        domain: &str,
        checks: &[(usize, String, RecordType)],
        lookups: Vec<Lookup>,
        node: &mut IncludeTree,
    ) {
        for ((index, name, _), lookup) in checks.iter().zip(lookups) {
            let Some(cost) = node.terms.get_mut(*index) else { continue };
            let empty = matches!(lookup.outcome, Outcome::NxDomain | Outcome::NoData(_));
            if lookup.rtype == RecordType::Mx {
                let names = lookup.data().filter(|d| matches!(d, RData::Mx { .. })).count();
                if names > MAX_NAMES_PER_TERM {
                    self.push(
                        finding(
                            SpfCode::MxTooManyNames,
                            Severity::Error,
                            format!("{} in the SPF record of {domain}: {name} has {names} MX records; the mx mechanism may look up at most {MAX_NAMES_PER_TERM}, so receivers return permerror when they reach it.", cost.term),
                        )
                        .rfc(7208, "4.6.4")
                        .hint("Replace mx with ip4:/ip6: ranges of your mail servers, or reduce the MX records.")
                        .evidence(&lookup),
                    );
                }
            }
            if empty {
                cost.void = Some(lookup.clone());
                node.void_lookups += 1;
            }
            cost.lookup = Some(lookup);
        }
    }
}
