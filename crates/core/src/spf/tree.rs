//! The include tree of a domain's SPF policy, walked without a client IP:
//! what every include/redirect leads to, what each term costs against the
//! limit of 10 DNS-querying terms (RFC 7208 §4.6.4), which terms find
//! nothing in DNS (void lookups), loops, and include targets without SPF.
//!
//! The walk is [`walk`](super::walk)'s in its audit mode (children of a
//! record fetched concurrently); this module holds what only the audit
//! says (findings about included records) and builds the [`IncludeTree`]
//! from the walk's trace.

use std::future::Future;
use std::ops::Range;

use super::eval::{SpfResult, TraceNode, TraceTerm};
use super::lint::{finding, lint_record, syntax_finding};
use super::record::{Modifier, ParsedRecord, SpfParseError, Term};
use super::select::Selection;
use super::walk::{is_void, Ask, Mode, Walker, MAX_NAMES_PER_TERM};
use crate::dns::{Lookup, Outcome, Resolver};
use crate::finding::{Finding, Severity};
use crate::spf::SpfCode;

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
        // Loops, not a flat_map collected (see the MX report's lookups).
        let mut out: Vec<(&str, &str, &Lookup)> = Vec::new();
        for t in &self.terms {
            for l in t.void.iter().chain(t.host_voids()) {
                out.push((self.domain.as_str(), t.term.as_str(), l));
            }
        }
        for child in &self.children {
            out.extend(child.void_terms());
        }
        out
    }
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

/// Walks the include tree of `domain` (from `root_text` instead of the
/// record DNS selects, when given); returns the tree and the findings about
/// included records. The root's own problems are the caller's to report.
/// (A plain function returning `audit`'s future: no async wrapper of its
/// own per resolver type in the wasm.)
pub fn include_tree<'a, R: Resolver>(
    resolver: &'a R,
    domain: &'a str,
    root_text: Option<&'a str>,
) -> impl Future<Output = (IncludeTree, Vec<Finding>)> + 'a {
    audit(resolver, domain, root_text)
}

/// include_tree, compiled once for every resolver (see `walk::Ask`).
async fn audit(resolver: &dyn Ask, domain: &str, root_text: Option<&str>) -> (IncludeTree, Vec<Finding>) {
    let (node, walk) = super::walk::walk(resolver, Mode::Audit { root_text }, domain).await;
    (tree_of(node.trace, None), walk.findings.into_inner())
}

/// The include tree of an audit's trace: per term its cost (itself plus
/// what it leads to), its lookup and the void ones among them.
fn tree_of(trace: TraceNode, via: Option<String>) -> IncludeTree {
    let mut node = IncludeTree::new(&trace.domain, via);
    node.lookup = trace.lookup;
    node.record = trace.record;
    // The audit leaves the reason empty unless the record could not be walked.
    node.problem = Some(trace.reason).filter(|r| !r.is_empty());
    for term in trace.terms {
        // An a/mx/exists term's own lookup comes first, an mx term's host lookups after it.
        let mut queries = term.queries.into_iter();
        let lookup = queries.next();
        let mut cost = TermCost {
            term: term.term,
            span: term.span,
            cost: u32::from(term.counts_toward_limit),
            void: lookup.clone().filter(is_void),
            lookup,
            hosts: queries.collect(),
            note: term.note,
        };
        node.void_lookups += cost.voids();
        if let Some(child) = term.child {
            let child = tree_of(*child, Some(cost.term.clone()));
            cost.cost += child.lookups;
            node.void_lookups += child.void_lookups;
            node.children.push(child);
        }
        node.terms.push(cost);
    }
    node.lookups = node.terms.iter().map(|t| t.cost).sum();
    node
}

/// What only the audit does, on the shared walker.
impl Walker<'_> {
    fn push(&self, f: Finding) {
        self.findings.borrow_mut().push(f);
    }

    /// Every term of a record, `redirect=` too, where it stands (ignored
    /// when the record has an "all", as receivers do). A term waiting for an
    /// answer does not stop the others: the pass goes on to note what they
    /// need too, so the next round asks for all of it at once.
    pub(super) fn audit_terms(&self, parsed: &ParsedRecord, domain: &str, lineage: &[String]) -> Vec<TraceTerm> {
        let has_all = parsed.record.has_all();
        let terms = parsed.located_terms().map(|(term, written, span)| {
            let visited = match term {
                Term::Directive(d) => self.directive(d, written, span.clone(), domain, lineage).map(|(tt, _)| tt),
                Term::Modifier(Modifier::Redirect(spec)) if !has_all => {
                    self.redirect(spec, written, span.clone(), domain, lineage).map(|(tt, _)| tt)
                }
                Term::Modifier(m) => {
                    let mut tt = TraceTerm::new(written, span.clone());
                    if matches!(m, Modifier::Redirect(_)) {
                        tt.note = Some("ignored: the record has an \"all\"".into());
                    }
                    Some(tt)
                }
            };
            // Only a pass with every answer is kept: a waiting term's stand-in is never seen.
            visited.unwrap_or_else(|| TraceTerm::new(written, span))
        });
        terms.collect()
    }

    /// An included record's own findings (the root's are the caller's).
    pub(super) fn lint_included(&self, domain: &str, parsed: &ParsedRecord, lookup: &Lookup) {
        for f in lint_record(domain, parsed, false) {
            self.push(f.evidence(lookup));
        }
    }

    /// A record that does not parse: the node's problem, and a finding below the root.
    pub(super) fn audit_bad_record(
        &self,
        domain: &str,
        root: bool,
        text: &str,
        e: &SpfParseError,
        lookup: &Lookup,
    ) -> (SpfResult, String) {
        if !root {
            self.push(syntax_finding(domain, text, e, Some(lookup)));
        }
        (SpfResult::PermError, e.message.clone())
    }

    /// `loop: …`: `target` is already being walked above this term.
    pub(super) fn audit_loop(&self, domain: &str, target: &str, tt: &mut TraceTerm) -> String {
        let written = &tt.term;
        self.push(
            finding(
                SpfCode::IncludeLoop,
                Severity::Error,
                format!("{written} in the SPF record of {domain} loops: {target} includes it again. Receivers stop at 10 lookups with permerror."),
            )
            .rfc(7208, "4.6.4")
            .hint(format!("Remove {written}.")),
        );
        let why = format!("loop: {target} is already being evaluated");
        tt.note = Some(why.clone());
        why
    }

    /// An mx term whose name has more than 10 MX records.
    pub(super) fn audit_mx_too_many(&self, domain: &str, target: &str, count: usize, mx: &Lookup, tt: &TraceTerm) {
        self.push(
            finding(
                SpfCode::MxTooManyNames,
                Severity::Error,
                format!("{} in the SPF record of {domain}: {target} has {count} MX records, but mx may look up at most {MAX_NAMES_PER_TERM}; receivers reaching it return permerror.", tt.term),
            )
            .rfc(7208, "4.6.4")
            .hint("Replace mx with ip4:/ip6: ranges of your mail servers, or reduce the MX records.")
            .evidence(mx),
        );
    }

    /// Why an included record cannot be walked (a failed lookup, no record,
    /// several), as the node's problem and a finding. The root's own lookup
    /// problems are the caller's to report: it knows more (type 99, near misses).
    pub(super) fn audit_no_record(
        &self,
        domain: &str,
        via: Option<&str>,
        lookup: &Lookup,
        selection: Selection,
    ) -> (SpfResult, String) {
        let Some(via) = via else { return (SpfResult::None, String::new()) };
        let (problem, f) = match selection {
            Selection::Failed(f) => (
                format!("couldn't get the TXT records: {f}"),
                finding(
                    SpfCode::LookupFailed,
                    Severity::Warning,
                    format!("Couldn't ask DNS for the SPF record of {domain} (reached through {via}): {f}. Maybe not a broken record, but receivers seeing this DNS failure return temperror."),
                )
                .rfc(7208, "5.2"),
            ),
            Selection::Multiple(all) => (
                format!("{domain} has {} SPF records", all.len()),
                finding(
                    SpfCode::Multiple,
                    Severity::Error,
                    format!("{domain} (reached through {via}) publishes {} SPF records, so receivers return permerror.", all.len()),
                )
                .rfc(7208, "4.5"),
            ),
            // `One` never comes here: the walker only asks when there is no single record.
            Selection::NxDomain | Selection::NoSpf { .. } | Selection::One(_) => {
                let what =
                    if matches!(lookup.outcome, Outcome::NxDomain) { "does not exist" } else { "has no SPF record" };
                let (code, section, mech) = if via.to_ascii_lowercase().starts_with("redirect=") {
                    (SpfCode::RedirectNoSpf, "6.1", "redirect")
                } else {
                    (SpfCode::IncludeNoSpf, "5.2", "include")
                };
                (
                    format!("{domain} {what}"),
                    finding(
                        code,
                        Severity::Error,
                        format!("{via}: {domain} {what}, so receivers evaluating this {mech} return permerror — the whole SPF check breaks."),
                    )
                    .rfc(7208, section)
                    .hint(format!("Remove {via}, or fix the name (the provider's documentation gives the right one).")),
                )
            }
        };
        self.push(f.evidence(lookup));
        (SpfResult::None, problem)
    }
}
