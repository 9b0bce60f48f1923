//! `check_host()` (RFC 7208 §4–§6): evaluates a domain's SPF policy for a
//! client IP, with the processing limits of §4.6.4, macro expansion (§7) and
//! `exp=` explanations (§6.2). Every evaluated term is recorded in a trace
//! tree with the DNS lookups it made, so the page can draw the include tree
//! and say which term decided the result.
//!
//! The walk itself (records, include/redirect, limits, lookups) is
//! [`walk`](super::walk)'s, in its evaluate mode; this module holds what only
//! an evaluation does: the order terms decide in, address matching, `ptr`,
//! macros and `exp=`.

use std::fmt;
use std::future::Future;
use std::net::IpAddr;
use std::ops::Range;

use super::macros::{MacroLetter, MacroString, MacroSyntax, MacroValues};
use super::record::{DomainSpec, Modifier, ParsedRecord, Qualifier, SpfParseError, SpfRecord, Term};
use super::select::{join_strings, record_strings, text_of, Selection};
use super::walk::{finish, step_if, Client, Followed, Mode, NodeResult, Step, Walker, MAX_NAMES_PER_TERM};
use crate::dns::{Lookup, Outcome, RData, RecordType, Resolver};

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
    pub(super) fn new(term: &str, span: Range<usize>) -> TraceTerm {
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

impl TraceNode {
    pub(super) fn new(domain: &str) -> TraceNode {
        TraceNode {
            domain: domain.to_string(),
            lookup: None,
            record: None,
            terms: Vec::new(),
            result: SpfResult::None,
            reason: String::new(),
            explanation_lookup: None,
        }
    }
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

/// check_host() for a full request. (A plain function returning
/// `evaluate`'s future: no async wrapper of its own per resolver type.)
pub fn check_host_with<'a, R: Resolver>(
    resolver: &'a R,
    request: &'a CheckHostRequest,
) -> impl Future<Output = Evaluation> + 'a {
    evaluate(resolver, request)
}

/// check_host_with, compiled once for every resolver (see `walk::Ask`).
async fn evaluate(resolver: &dyn super::walk::Ask, request: &CheckHostRequest) -> Evaluation {
    // RFC 7208 §5: "an IPv4-mapped IPv6 address … MUST still be considered an IPv4 address".
    let ip = match request.ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    let domain = request.domain.strip_suffix('.').unwrap_or(&request.domain);
    let (node, walk) = super::walk::walk(resolver, Mode::Evaluate(Client { request, ip }), domain).await;
    Evaluation {
        result: node.result,
        matched: node.matched,
        explanation: node.explanation,
        reason: node.trace.reason.clone(),
        trace: node.trace,
        lookup_count: walk.lookups.get(),
        void_lookups: walk.voids.get(),
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

/// The result when `domain`'s TXT answer holds no single SPF record (§4.4, §4.5).
pub(super) fn no_record(domain: &str, selection: &Selection) -> (SpfResult, String) {
    match selection {
        Selection::Failed(f) => (SpfResult::TempError, format!("couldn't get the TXT records of {domain}: {f}")),
        Selection::NxDomain => (SpfResult::None, format!("{domain} does not exist (NXDOMAIN)")),
        // `One` never comes here: the walker only asks when there is no single record.
        Selection::NoSpf { .. } | Selection::One(_) => {
            (SpfResult::None, format!("{domain} has no SPF (v=spf1) record"))
        }
        Selection::Multiple(all) => (
            SpfResult::PermError,
            format!("{domain} publishes {} SPF records; there must be exactly one (RFC 7208 §4.5)", all.len()),
        ),
    }
}

/// §4.6: a record that does not parse is a permerror.
pub(super) fn bad_record(domain: &str, e: &SpfParseError) -> (SpfResult, String) {
    let why = format!("the SPF record of {domain} has an error at position {}: {}", e.offset + 1, e.message);
    (SpfResult::PermError, why)
}

/// §5.2: how the included result maps onto the include mechanism.
pub(super) fn include_step(term: &str, child: Followed) -> Step {
    let reason = child.reason;
    match child.result {
        SpfResult::Pass => Step::Match,
        SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral => Step::NoMatch,
        SpfResult::TempError => Step::Stop(SpfResult::TempError, format!("{term}: {reason}")),
        SpfResult::PermError => Step::Stop(SpfResult::PermError, format!("{term}: {reason}")),
        SpfResult::None => Step::Stop(
            SpfResult::PermError,
            format!("{term}: {} has no SPF record, so the include is a permerror (RFC 7208 §5.2)", child.target),
        ),
    }
}

/// Addresses in an A/AAAA answer, or `Err` when the lookup failed.
pub(super) fn addresses(lookup: &Lookup) -> Result<Vec<IpAddr>, String> {
    match &lookup.outcome {
        Outcome::Failed(f) => Err(format!("the {} lookup of {} failed: {f}", lookup.rtype, lookup.name)),
        _ => {
            // A loop, not a filter_map collected (see the MX report's lookups).
            let mut out = Vec::new();
            for d in lookup.data() {
                match d {
                    RData::A(a) => out.push(IpAddr::V4(*a)),
                    RData::Aaaa(a) => out.push(IpAddr::V6(*a)),
                    _ => {}
                }
            }
            Ok(out)
        }
    }
}

/// Whether `ip` is in the network `net`/`prefix` (a prefix over the address length counts as the full length).
pub(crate) fn in_network(ip: IpAddr, net: IpAddr, prefix: u8) -> bool {
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

/// Outcome of a PTR lookup plus validation of the names (§5.5).
enum PtrNames {
    Failed,
    Empty,
    /// The validated names, and how many names the PTR answer had.
    Validated(Vec<String>, usize),
}

/// What only an evaluation does, on the shared walker.
impl Walker<'_> {
    /// A record's terms as check_host() takes them (§4.6.2): directives in
    /// order until one matches or ends the evaluation, then `redirect=`.
    /// `None`: waiting for an answer (see `walk`).
    pub(super) fn evaluate_terms(
        &self,
        mut trace: TraceNode,
        parsed: &ParsedRecord,
        domain: &str,
        lineage: &[String],
    ) -> Option<NodeResult> {
        for (term, written, span) in parsed.located_terms() {
            let Term::Directive(directive) = term else { continue };
            let (mut tt, step) = self.directive(directive, written, span.clone(), domain, lineage)?;
            match step {
                Step::NoMatch => trace.terms.push(tt),
                Step::Match => {
                    tt.outcome = TermOutcome::Match;
                    trace.terms.push(tt);
                    let matched = MatchedTerm { domain: domain.to_string(), term: written.to_string(), span };
                    return self.decided(trace, &parsed.record, directive.qualifier, matched);
                }
                Step::Stop(result, why) => {
                    tt.outcome = TermOutcome::Error(result);
                    tt.note = Some(why.clone());
                    trace.terms.push(tt);
                    return Some(finish(trace, result, why));
                }
            }
        }
        self.evaluate_redirect(trace, parsed, domain, lineage)
    }

    /// The result of a matching directive, with the explanation of a fail (§6.2).
    fn decided(
        &self,
        mut trace: TraceNode,
        record: &SpfRecord,
        qualifier: Qualifier,
        matched: MatchedTerm,
    ) -> Option<NodeResult> {
        let result = SpfResult::from_qualifier(qualifier);
        let explanation =
            if result == SpfResult::Fail { self.explain(record, &matched.domain, &mut trace)? } else { None };
        let why = format!("{} matched in the record of {}, giving {result}", matched.term, matched.domain);
        let mut node = finish(trace, result, why);
        node.explanation = explanation;
        node.matched = Some(matched);
        Some(node)
    }

    /// §6.1: redirect applies only when no mechanism matched (an "all" always matches).
    fn evaluate_redirect(
        &self,
        mut trace: TraceNode,
        parsed: &ParsedRecord,
        domain: &str,
        lineage: &[String],
    ) -> Option<NodeResult> {
        let redirect = parsed.located_terms().find_map(|(t, w, s)| match t {
            Term::Modifier(Modifier::Redirect(spec)) => Some((spec, w, s)),
            _ => None,
        });
        let Some((spec, written, span)) = redirect else {
            let why =
                format!("nothing in the record of {domain} matched and it has no redirect: neutral (RFC 7208 §4.7)");
            return Some(finish(trace, SpfResult::Neutral, why));
        };
        let (mut tt, followed) = self.redirect(spec, written, span, domain, lineage)?;
        let child = match followed {
            Ok(child) => child,
            Err((result, why)) => {
                tt.outcome = TermOutcome::Error(result);
                trace.terms.push(tt);
                return Some(finish(trace, result, why));
            }
        };
        let target = &child.target;
        let (result, why) = if child.result == SpfResult::None {
            (
                SpfResult::PermError,
                format!("{written}: {target} has no SPF record, so the redirect is a permerror (RFC 7208 §6.1)"),
            )
        } else {
            (child.result, format!("{written} handed the decision to {target}: {}", child.reason))
        };
        tt.outcome = match result {
            SpfResult::TempError | SpfResult::PermError => TermOutcome::Error(result),
            _ => TermOutcome::Match,
        };
        trace.terms.push(tt);
        let mut node = finish(trace, result, why);
        node.explanation = child.explanation;
        node.matched = child.matched;
        Some(node)
    }

    fn values<'v>(client: &'v Client<'_>, domain: &'v str, validated: Option<&'v str>) -> MacroValues<'v> {
        MacroValues {
            sender: &client.request.sender,
            domain,
            ip: client.ip,
            helo: &client.request.helo,
            validated_name: validated,
            receiver: &client.request.receiver,
            timestamp: client.request.timestamp,
        }
    }

    /// A macro-string expanded for the client (§7); `None`: waiting for an answer (`%{p}`).
    pub(super) fn expand(
        &self,
        client: Client<'_>,
        ms: &MacroString,
        domain: &str,
        term: &mut TraceTerm,
    ) -> Option<String> {
        let validated =
            if ms.uses(MacroLetter::ValidatedName) { Some(self.p_value(client.ip, domain, term)?) } else { None };
        Some(ms.expand(&Self::values(&client, domain, validated.as_deref())))
    }

    /// `ptr` (§5.5): the client's validated names, matched against the target.
    pub(super) fn ptr(
        &self,
        client: Client<'_>,
        spec: Option<&DomainSpec>,
        domain: &str,
        tt: &mut TraceTerm,
    ) -> Option<Step> {
        let Some(target) = self.target(spec, domain, tt)? else { return Some(Step::NoMatch) };
        let step = match self.ptr_names(client.ip, tt)? {
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
        };
        Some(step)
    }

    /// PTR lookup of the client IP, then an address lookup of each name (at most 10) to validate it.
    fn ptr_names(&self, ip: IpAddr, term: &mut TraceTerm) -> Option<PtrNames> {
        let reverse = crate::dns::reverse_name(ip);
        let ptr = self.query(&reverse, RecordType::Ptr, term)?;
        if ptr.is_failure() {
            return Some(PtrNames::Failed);
        }
        let mut names: Vec<String> = Vec::new();
        for d in ptr.data() {
            if let RData::Ptr(n) = d {
                names.push(n.strip_suffix('.').unwrap_or(n).to_string());
            }
        }
        if names.is_empty() {
            // Counted here; the caller's void limit check ends it if over.
            term.void_lookup = true;
            self.voids.set(self.voids.get() + 1);
            return Some(PtrNames::Empty);
        }
        let total = names.len();
        let rtype = if ip.is_ipv4() { RecordType::A } else { RecordType::Aaaa };
        // A loop, not a take/filter chain collected: smaller in the wasm.
        names.truncate(MAX_NAMES_PER_TERM);
        let mut checked: Vec<String> = Vec::with_capacity(names.len());
        for n in names {
            if is_queryable(&n) {
                checked.push(n);
            }
        }
        let lookups = self.ask_all(checked.iter(), rtype)?;
        let mut validated = Vec::new();
        for (name, lookup) in checked.into_iter().zip(lookups) {
            // §5.5: "If a DNS error occurs while doing an A RR lookup, then that domain name is skipped".
            match addresses(&lookup) {
                Ok(addrs) if addrs.contains(&ip) => validated.push(name),
                Ok(addrs) if addrs.is_empty() => {
                    term.void_lookup = true;
                    self.voids.set(self.voids.get() + 1);
                }
                _ => {}
            }
            term.queries.push(lookup);
        }
        Some(PtrNames::Validated(validated, total))
    }

    /// `%{p}`: the validated name, preferring <domain> itself, then a subdomain of it (§7.3).
    fn p_value(&self, ip: IpAddr, domain: &str, term: &mut TraceTerm) -> Option<String> {
        let PtrNames::Validated(names, _) = self.ptr_names(ip, term)? else {
            return Some("unknown".to_string());
        };
        let exact = names.iter().find(|n| n.eq_ignore_ascii_case(domain));
        let sub = names.iter().find(|n| same_or_subdomain(n, domain));
        Some(exact.or(sub).or(names.first()).cloned().unwrap_or_else(|| "unknown".to_string()))
    }

    /// §6.2: the explanation for a fail. Any problem (DNS error, no or several
    /// TXT records, non-ASCII, a syntax error) means "as if no exp= was given".
    /// The lookup is not counted toward the limits. `None`: waiting for an
    /// answer; `Some(None)`: no explanation.
    fn explain(&self, record: &SpfRecord, domain: &str, trace: &mut TraceNode) -> Option<Option<String>> {
        let (Some(spec), Some(client)) = (record.explanation(), self.client()) else { return Some(None) };
        let mut scratch = TraceTerm::new("exp", 0..0);
        let Some(target) = self.target(Some(spec), domain, &mut scratch)? else { return Some(None) };
        let lookup = self.ask(&target, RecordType::Txt)?;
        trace.explanation_lookup = Some(lookup.clone());
        let records = record_strings(&lookup);
        let [only] = records.as_slice() else { return Some(None) };
        let bytes = join_strings(only);
        if !bytes.is_ascii() {
            return Some(None);
        }
        let text = text_of(&bytes);
        let Ok(ms) = MacroString::parse(&text, 0, MacroSyntax::Explanation) else { return Some(None) };
        self.expand(client, &ms, domain, &mut scratch).map(Some)
    }
}
