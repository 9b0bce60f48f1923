//! `check_spf`: everything maildoctor says about a domain's SPF, in one report.

use std::net::IpAddr;

use super::eval::{check_host_with, CheckHostRequest, Evaluation, SpfResult, TraceNode};
use super::lint::{finding, lint_record, lint_strings, near_miss, syntax_finding};
use super::record::{ParsedRecord, SpfParseError, SpfRecord};
use super::select::{is_spf_text, join_strings, record_strings, select, text_of, Selection};
use super::tree::{include_tree, IncludeTree};
use super::walk::{LOOKUPS_NEAR_LIMIT, MAX_DNS_TERMS, MAX_NAMES_PER_TERM, MAX_VOID_LOOKUPS};
use crate::dns::{Lookup, Outcome, RData, RecordType, Resolver, SharedLookups};
use crate::finding::{Finding, Severity};
use crate::spf::SpfCode;

/// A domain's SPF, checked.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpfReport {
    pub domain: String,
    /// The TXT lookup of the domain.
    pub lookup: Option<Lookup>,
    /// The type SPF (99) lookup, made only when no v=spf1 TXT record was found.
    pub type99_lookup: Option<Lookup>,
    /// The v=spf1 record texts found, strings joined per RFC 7208 §3.3.
    pub records: Vec<String>,
    /// The record, when there is exactly one and it parses.
    pub record: Option<SpfRecord>,
    /// The same record with the position of every term in `records[0]`.
    pub parsed: Option<ParsedRecord>,
    pub findings: Vec<Finding>,
    /// What include/redirect lead to, with per-term lookup costs.
    pub tree: Option<IncludeTree>,
    /// DNS-querying terms counted through the whole tree (what a receiver counts when no earlier term matches).
    pub lookup_count: u32,
    /// Terms whose lookup finds nothing (NXDOMAIN or no records), through the whole tree.
    pub void_lookups: u32,
    /// check_host() for the sending IP, when one was given.
    pub evaluation: Option<Evaluation>,
}

/// Fetches, parses, lints and (given an IP) evaluates the SPF policy of `domain`.
///
/// Queries: TXT of the domain; type SPF (99) only if no v=spf1 TXT record
/// exists; the TXT of every include/redirect target and one lookup per
/// a/mx/exists term (to find void lookups), each level concurrently. The
/// evaluation reuses those answers.
pub async fn check_spf<R: Resolver>(resolver: &R, domain: &str, sending_ip: Option<IpAddr>) -> SpfReport {
    // One run asks each question once: the lint walk and check_host() share answers.
    check_spf_shared(&SharedLookups::new(resolver), domain, sending_ip).await
}

/// [`check_spf`] over a resolver that already asks each question once (a
/// `SharedResolver`, as the runner gets in the page): no second cache, and
/// in the wasm no second copy of the cache's code for the SPF check alone.
pub async fn check_spf_shared<R: Resolver>(cached: &R, domain: &str, sending_ip: Option<IpAddr>) -> SpfReport {
    let domain = domain.strip_suffix('.').unwrap_or(domain).to_string();
    let lookup = cached.lookup(&domain, RecordType::Txt).await;
    let selection = select(&lookup);
    // Only without a v=spf1 TXT record ask for type 99, to tell "published only as type SPF" from "none".
    let type99 = match selection {
        Selection::NxDomain | Selection::NoSpf { .. } => Some(cached.lookup(&domain, RecordType::Spf).await),
        _ => None,
    };
    // Receivers stop at "more than one", but the person merging several
    // needs to know what else is wrong in each: every record is walked.
    let (texts, several) = match &selection {
        Selection::One(text) => (vec![text.clone()], false),
        Selection::Multiple(all) => (all.clone(), true),
        _ => (Vec::new(), false),
    };
    let analyses = walk_each(cached, &domain, &texts, several).await;
    let evaluation = match sending_ip {
        Some(ip) => {
            let request = CheckHostRequest::new(ip, &domain, &format!("postmaster@{domain}"), &domain);
            Some((ip, check_host_with(cached, &request).await))
        }
        None => None,
    };
    // The rest is plain code over what was fetched: the awaits above are all of it.
    let mut report = SpfReport {
        domain,
        lookup: Some(lookup.clone()),
        type99_lookup: type99,
        records: Vec::new(),
        record: None,
        parsed: None,
        findings: Vec::new(),
        tree: None,
        lookup_count: 0,
        void_lookups: 0,
        evaluation: None,
    };
    selection_findings(&mut report, &lookup, selection, texts, analyses);
    if let Some((ip, evaluation)) = evaluation {
        report.findings.extend(evaluation_findings(&report.domain, ip, &evaluation));
        report.evaluation = Some(evaluation);
    }
    report
}

/// The findings about the domain's TXT answer and the records in it, from
/// the walks of `texts` (the records selected: one, or each of several).
fn selection_findings(
    report: &mut SpfReport,
    lookup: &Lookup,
    selection: Selection,
    texts: Vec<String>,
    analyses: Vec<Result<Analysis, SpfParseError>>,
) {
    let domain = report.domain.clone();
    // TXT records that look like a failed attempt at SPF (quoted, misspelled, v=spf1 not first).
    for strings in record_strings(lookup) {
        let joined = join_strings(strings);
        if !is_spf_text(&joined) {
            if let Some(f) = near_miss(&domain, &text_of(&joined)) {
                report.findings.push(f.evidence(lookup));
            }
        }
    }

    match selection {
        Selection::Failed(failure) => report.findings.push(
            finding(
                SpfCode::LookupFailed,
                Severity::Warning,
                format!("Couldn't ask DNS for the TXT records of {domain}: {failure}, so we can't tell if it has SPF. Receivers that hit this return temperror and defer the mail."),
            )
            .rfc(7208, "4.4")
            .hint("Try again; if it persists, check that the domain's name servers answer TXT queries.")
            .evidence(lookup),
        ),
        Selection::NxDomain | Selection::NoSpf { .. } => no_spf_finding(report, lookup),
        Selection::Multiple(all) => {
            report.findings.push(
                finding(
                    SpfCode::Multiple,
                    Severity::Error,
                    format!("{domain} publishes {} SPF records. There must be exactly one: receivers return permerror and ignore them all.", all.len()),
                )
                .rfc(7208, "4.5")
                .hint("Merge them into one record: one v=spf1, all the mechanisms, one all at the end.")
                .evidence(lookup),
            );
            lint_each(report, &domain, lookup, &texts, analyses);
            report.records = texts;
        }
        Selection::One(text) => {
            lint_one(report, &domain, lookup, &text, analyses.into_iter().next());
            report.records = texts;
        }
    }
}

/// No v=spf1 TXT record: published only as type 99, or none at all (said
/// only when nothing worse was found, e.g. a quoted record).
fn no_spf_finding(report: &mut SpfReport, lookup: &Lookup) {
    let domain = &report.domain;
    let type99_spf =
        report.type99_lookup.as_ref().filter(|t| record_strings(t).iter().any(|s| is_spf_text(&join_strings(s))));
    let f = match type99_spf {
        Some(t99) => finding(
            SpfCode::Type99Only,
            Severity::Error,
            format!("{domain} publishes SPF only as the obsolete DNS type SPF (99), which receivers no longer query: they see no SPF record."),
        )
        .rfc(7208, "3.1")
        .hint("Publish the same text as a TXT record (the SPF-type record may go).")
        .evidence(lookup)
        .evidence(t99),
        None if report.findings.iter().any(|f| f.severity == Severity::Error) => return,
        None => {
            let why = if matches!(lookup.outcome, Outcome::NxDomain) {
                format!("{domain} does not exist in DNS (NXDOMAIN), so it has no SPF record.")
            } else {
                format!("{domain} has no SPF record (no TXT record starting with v=spf1), so receivers can't tell which servers may send its mail; many reject or defer it.")
            };
            finding(SpfCode::None, Severity::Error, why)
                .rfc(7208, "4.5")
                .hint("Publish a TXT record such as \"v=spf1 mx ~all\" listing the servers that send your mail.")
                .evidence(lookup)
        }
    };
    report.findings.push(f);
}

/// What parsing, linting and walking one record's include tree finds,
/// grouped because the callers attach evidence and labels differently.
struct Analysis {
    parsed: ParsedRecord,
    /// Findings about the record's own text.
    lint: Vec<Finding>,
    tree: IncludeTree,
    /// Findings about included records.
    tree_findings: Vec<Finding>,
    /// The lookup-limit and void-lookup findings.
    budget: Vec<Finding>,
}

/// Parses each record and walks the include tree of each that parses, one
/// after another: the only awaits of the analysis, so the rest of it is
/// plain code. `several`: each is walked as the root record (one of several
/// published) instead of the one DNS selects.
async fn walk_each<R: Resolver>(
    resolver: &R,
    domain: &str,
    texts: &[String],
    several: bool,
) -> Vec<Result<Analysis, SpfParseError>> {
    let mut out = Vec::new();
    for text in texts {
        let analysis = match SpfRecord::parse_positioned(text) {
            Ok(parsed) => {
                let (tree, tree_findings) = include_tree(resolver, domain, several.then_some(text.as_str())).await;
                let lint = lint_record(domain, &parsed, true);
                let mut budget = Vec::new();
                budget.extend(lookup_count_finding(domain, &tree));
                budget.extend(void_finding(domain, &tree));
                Ok(Analysis { parsed, lint, tree, tree_findings, budget })
            }
            Err(e) => Err(e),
        };
        out.push(analysis);
    }
    out
}

/// The report of the one published record from its analysis (`None` only if there was none to make).
fn lint_one(
    report: &mut SpfReport,
    domain: &str,
    lookup: &Lookup,
    text: &str,
    analysis: Option<Result<Analysis, SpfParseError>>,
) {
    if let Some(strings) = record_strings(lookup).into_iter().find(|s| is_spf_text(&join_strings(s))) {
        // Loops, here and below, not maps extended (see the MX report's lookups;
        // -149 gzip bytes, measured).
        for f in lint_strings(domain, strings) {
            report.findings.push(f.evidence(lookup));
        }
    }
    let Some(analysis) = analysis else { return };
    let a = match analysis {
        Ok(a) => a,
        Err(e) => {
            report.findings.push(syntax_finding(domain, text, &e, Some(lookup)));
            return;
        }
    };
    for f in a.lint {
        report.findings.push(f.evidence(lookup));
    }
    report.findings.extend(a.tree_findings);
    report.findings.extend(a.budget);
    report.record = Some(a.parsed.record.clone());
    report.parsed = Some(a.parsed);
    report.lookup_count = a.tree.lookups;
    report.void_lookups = a.tree.void_lookups;
    report.tree = Some(a.tree);
    if !report.findings.iter().any(|f| f.severity >= Severity::Warning) {
        report.findings.push(
            finding(
                SpfCode::Ok,
                Severity::Ok,
                format!(
                    "{domain} has one valid SPF record using {} of the 10 allowed DNS lookups.",
                    report.lookup_count
                ),
            )
            .rfc(7208, "")
            .evidence(lookup),
        );
    }
}

/// Lints each of several published records as if it stood alone. Findings
/// say which record they are about; the report's tree, record and lookup
/// count are the first record's.
fn lint_each(
    report: &mut SpfReport,
    domain: &str,
    lookup: &Lookup,
    texts: &[String],
    analyses: Vec<Result<Analysis, SpfParseError>>,
) {
    let total = texts.len();
    for (i, (text, analysis)) in texts.iter().zip(analyses).enumerate() {
        let which = format!("SPF record {} of {total}", i + 1);
        let prefix = |mut f: Finding| {
            f.message = format!("{which}: {}", f.message);
            f
        };
        let label = |f: Finding| prefix(f).evidence(lookup);
        let a = match analysis {
            Ok(a) => a,
            Err(e) => {
                report.findings.push(label(syntax_finding(domain, text, &e, None)));
                continue;
            }
        };
        for f in a.lint {
            report.findings.push(label(f));
        }
        for f in a.tree_findings {
            report.findings.push(prefix(f));
        }
        for f in a.budget {
            report.findings.push(label(f));
        }
        if i == 0 {
            report.lookup_count = a.tree.lookups;
            report.void_lookups = a.tree.void_lookups;
            report.record = Some(a.parsed.record.clone());
            report.parsed = Some(a.parsed);
            report.tree = Some(a.tree);
        }
    }
}

fn lookup_count_finding(domain: &str, tree: &IncludeTree) -> Option<Finding> {
    // Loops that push, not filter/map chains collected: smaller in the wasm.
    let mut breakdown: Vec<String> = Vec::new();
    for t in &tree.terms {
        if t.cost > 0 {
            breakdown.push(format!("{} {}", t.term, t.cost));
        }
    }
    let breakdown = breakdown.join(", ");
    if tree.lookups > MAX_DNS_TERMS {
        Some(
            finding(
                SpfCode::TooManyLookups,
                Severity::Error,
                format!(
                    "The SPF record of {domain} needs {} DNS lookups with its includes ({breakdown}); the limit is {MAX_DNS_TERMS}. Receivers that get that far return permerror, often treated as a fail.",
                    tree.lookups
                ),
            )
            .rfc(7208, "4.6.4")
            .hint("Remove unused includes, replace a/mx with ip4:/ip6: ranges, or ask your providers for a flattened include."),
        )
    } else if tree.lookups >= LOOKUPS_NEAR_LIMIT {
        Some(
            finding(
                SpfCode::LookupsNearLimit,
                Severity::Info,
                format!("The SPF record of {domain} takes {} of the {MAX_DNS_TERMS} allowed DNS lookups ({breakdown}); one more include can break it.", tree.lookups),
            )
            .rfc(7208, "4.6.4"),
        )
    } else {
        None
    }
}

fn void_finding(domain: &str, tree: &IncludeTree) -> Option<Finding> {
    let voids = tree.void_terms();
    if voids.is_empty() {
        return None;
    }
    let mut list: Vec<String> = Vec::with_capacity(voids.len());
    for (record_of, term, l) in &voids {
        let what = if matches!(l.outcome, Outcome::NxDomain) { "does not exist" } else { "has no records" };
        list.push(format!("{term} in {record_of} ({} {} {what})", l.name, l.rtype));
    }
    let mut f = if voids.len() > usize::try_from(MAX_VOID_LOOKUPS).unwrap_or(usize::MAX) {
        finding(
            SpfCode::VoidLookups,
            Severity::Error,
            format!("{} lookups of the SPF policy of {domain} find nothing: {}. Receivers allow {MAX_VOID_LOOKUPS} such \"void lookups\", then return permerror (for IPv4 senders reaching those terms).", voids.len(), list.join("; ")),
        )
        .hint("Remove terms pointing at names that no longer exist.")
    } else {
        finding(
            SpfCode::VoidLookup,
            Severity::Warning,
            format!("{} of the SPF policy of {domain} looks up a name that finds nothing: {}. Receivers tolerate up to {MAX_VOID_LOOKUPS}; probably a leftover.", if voids.len() == 1 { "A term" } else { "Two terms" }, list.join("; ")),
        )
        .hint("Remove terms pointing at names that no longer exist.")
    };
    f = f.rfc(7208, "4.6.4");
    for (_, _, l) in voids {
        f = f.evidence(l);
    }
    Some(f)
}

/// The PTR answers in a trace that had more names than a ptr term may check.
fn crowded_ptr_answers(node: &TraceNode, out: &mut Vec<Lookup>) {
    for term in &node.terms {
        for q in &term.queries {
            if q.rtype == RecordType::Ptr
                && q.data().filter(|d| matches!(d, RData::Ptr(_))).count() > MAX_NAMES_PER_TERM
            {
                out.push(q.clone());
            }
        }
        if let Some(child) = &term.child {
            crowded_ptr_answers(child, out);
        }
    }
}

fn evaluation_findings(domain: &str, ip: IpAddr, eval: &Evaluation) -> Vec<Finding> {
    let mut out = Vec::new();
    let by = eval
        .matched
        .as_ref()
        .map(|m| format!(" (decided by {} in the record of {})", m.term, m.domain))
        .unwrap_or_default();
    let f = match eval.result {
        SpfResult::Pass => Some(
            finding(SpfCode::SenderPass, Severity::Ok, format!("{ip} is allowed to send mail for {domain}{by}.")).rfc(7208, "2.6.3"),
        ),
        SpfResult::Fail => {
            let exp = eval.explanation.as_ref().map(|e| format!(" The domain's explanation: \"{e}\".")).unwrap_or_default();
            Some(
                finding(
                    SpfCode::SenderFail,
                    Severity::Error,
                    format!("{ip} is NOT allowed to send mail for {domain}{by}: receivers may reject its mail.{exp}"),
                )
                .rfc(7208, "2.6.4")
                .hint(format!("Add the server to the SPF record of {domain}, e.g. ip4:{ip} or ip6:{ip}, or the include: your email provider documents.")),
            )
        }
        SpfResult::SoftFail => Some(
            finding(
                SpfCode::SenderSoftfail,
                Severity::Warning,
                format!("{ip} is probably not allowed to send mail for {domain}{by} (softfail): receivers often mark or defer its mail."),
            )
            .rfc(7208, "2.6.5")
            .hint(format!("Add the server to the SPF record of {domain}.")),
        ),
        SpfResult::Neutral => Some(
            finding(
                SpfCode::SenderNeutral,
                Severity::Warning,
                format!("The SPF record of {domain} says nothing definite about {ip}{by} (neutral): it gets no SPF credit."),
            )
            .rfc(7208, "2.6.2")
            .hint(format!("Add the server to the SPF record of {domain}.")),
        ),
        SpfResult::TempError => Some(
            finding(
                SpfCode::SenderTemperror,
                Severity::Warning,
                format!("Checking {ip} against the SPF policy of {domain} hit a temporary DNS error ({}); receivers defer the mail (4xx) and retry.", eval.reason),
            )
            .rfc(7208, "2.6.6"),
        ),
        SpfResult::PermError => Some(
            finding(
                SpfCode::SenderPermerror,
                Severity::Error,
                format!("Checking {ip} against the SPF policy of {domain} ends in permerror: {}. Receivers treat the policy as broken.", eval.reason),
            )
            .rfc(7208, "2.6.7"),
        ),
        // "none" is already reported as spf.none.
        SpfResult::None => None,
    };
    out.extend(f);
    let mut crowded = Vec::new();
    crowded_ptr_answers(&eval.trace, &mut crowded);
    for l in crowded {
        out.push(
            finding(
                SpfCode::PtrTooManyNames,
                Severity::Warning,
                format!("{ip} has {} PTR names; a ptr term checks only the first {MAX_NAMES_PER_TERM}, so a match depends on the order DNS returns them.", l.data().count()),
            )
            .rfc(7208, "4.6.4")
            .hint("Do not rely on ptr: list the server with ip4:/ip6: instead.")
            .evidence(&l),
        );
    }
    out
}

/// The registry's contract (see `check`).
impl crate::check::CheckReport for SpfReport {
    fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// Every lookup behind the report, each question once, in the order asked.
    fn lookups(&self) -> Vec<Lookup> {
        let mut out: Vec<Lookup> = Vec::new();
        let mut push = |l: &Lookup| {
            if !out.iter().any(|o| o.name.eq_ignore_ascii_case(&l.name) && o.rtype == l.rtype) {
                out.push(l.clone());
            }
        };
        self.lookup.iter().chain(self.type99_lookup.iter()).for_each(&mut push);
        fn walk(node: &IncludeTree, push: &mut dyn FnMut(&Lookup)) {
            node.lookup.iter().for_each(&mut *push);
            node.terms.iter().filter_map(|t| t.lookup.as_ref()).for_each(&mut *push);
            node.children.iter().for_each(|c| walk(c, push));
        }
        if let Some(tree) = &self.tree {
            walk(tree, &mut push);
        }
        out
    }

    fn status(&self) -> crate::check::Status {
        crate::check::Status::of(self.lookup.as_ref().is_some_and(Lookup::is_failure), &self.findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::MemoryResolver;
    use futures::executor::block_on;

    fn zone(text: &str) -> MemoryResolver {
        MemoryResolver::from_zone_text(text).unwrap()
    }

    fn codes(report: &SpfReport) -> Vec<&'static str> {
        report.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn run(text: &str, ip: Option<&str>) -> (SpfReport, MemoryResolver) {
        let z = zone(text);
        let report = block_on(check_spf(&z, "example.com", ip.map(|i| i.parse().unwrap())));
        (report, z)
    }

    /// Table: zone, expected finding codes (in order).
    #[test]
    fn findings_table() {
        let cases: &[(&str, &[&str])] = &[
            ("example.com TXT \"v=spf1 ip4:192.0.2.0/24 -all\"", &["spf.ok"]),
            ("example.com A 192.0.2.1", &["spf.none"]),
            ("other.example A 192.0.2.1", &["spf.none"]),
            ("example.com SPF \"v=spf1 -all\"", &["spf.type99-only"]),
            // Each of several records is linted too: the second one's `mx` finds no MX (a void lookup).
            (
                "example.com TXT \"v=spf1 -all\"\nexample.com TXT \"v=spf1 mx -all\"",
                &["spf.multiple", "spf.void-lookup"],
            ),
            (
                "example.com TXT \"v=spf1 ptr +all\"\nexample.com TXT \"v=spf1 -all\"",
                &["spf.multiple", "spf.ptr", "spf.all-permissive"],
            ),
            ("example.com FAULT servfail", &["spf.lookup-failed"]),
            ("example.com TXT \"\\\"v=spf1 -all\\\"\"", &["spf.bad-characters"]),
            ("example.com TXT \"v=spf1 ip4:192.168.1/24 -all\"", &["spf.syntax"]),
            ("example.com TXT \"v=spf1 +all\"", &["spf.all-permissive"]),
            ("example.com TXT \"v=spf1 ip4:192.0.2.1\"", &["spf.no-all"]),
            (
                "example.com TXT \"v=spf1 -all redirect=_spf.example.com\"\n_spf.example.com TXT \"v=spf1 -all\"",
                &["spf.redirect-ignored"],
            ),
            (
                "example.com TXT \"v=spf1 include:nospf.example.net -all\"\nnospf.example.net A 192.0.2.1",
                &["spf.include-no-spf"],
            ),
            ("example.com TXT \"v=spf1 redirect=gone.example.net\"", &["spf.redirect-no-spf"]),
            (
                "example.com TXT \"v=spf1 include:a.example.net -all\"\n\
                 a.example.net TXT \"v=spf1 include:b.example.net\"\n\
                 b.example.net TXT \"v=spf1 include:a.example.net\"",
                &["spf.include-loop"],
            ),
            (
                "example.com TXT \"v=spf1 a:gone1.example.com a:gone2.example.com a:gone3.example.com -all\"",
                &["spf.void-lookups"],
            ),
            ("example.com TXT \"v=spf1 a:gone1.example.com -all\"", &["spf.void-lookup"]),
            ("example.com TXT \"v=spf1 ptr -all\"", &["spf.ptr"]),
        ];
        for (text, want) in cases {
            let (report, _) = run(text, None);
            assert_eq!(codes(&report), *want, "{text}");
        }
    }

    #[test]
    fn minimal_queries_and_no_type99_when_txt_has_spf() {
        let (report, z) = run(
            "example.com TXT \"v=spf1 \" \"mx -all\"\nexample.com MX 10 mx.example.com\nmx.example.com A 192.0.2.25",
            Some("192.0.2.25"),
        );
        assert_eq!(report.records, vec!["v=spf1 mx -all".to_string()]);
        assert_eq!(codes(&report), vec!["spf.ok", "spf.sender-pass"]);
        let q = z.queries();
        assert!(!q.iter().any(|(_, t)| *t == RecordType::Spf), "{q:?}");
        // TXT once, MX once (lint and evaluation share it), the MX host's A once.
        assert_eq!(q.len(), 3, "{q:?}");
        let eval = report.evaluation.unwrap();
        assert_eq!(eval.result, SpfResult::Pass);
        assert_eq!(eval.matched.unwrap().term, "mx");
    }

    #[test]
    fn lookup_count_per_term_through_includes() {
        let mut text = String::from(
            "example.com TXT \"v=spf1 mx include:big.example.net a -all\"\nexample.com MX 10 example.com\nexample.com A 192.0.2.1\n",
        );
        text.push_str(
            "big.example.net TXT \"v=spf1 include:n1.example.net include:n2.example.net exists:%{i}.x.example.net\"\n",
        );
        for n in ["n1", "n2"] {
            text.push_str(&format!(
                "{n}.example.net TXT \"v=spf1 a:h.example.net a:h.example.net a:h.example.net -all\"\n"
            ));
        }
        text.push_str("h.example.net A 192.0.2.9\n");
        let (report, _) = run(&text, None);
        // mx 1 + include:big (1 + n1 (1+3) + n2 (1+3) + exists 1) + a 1 = 12
        assert_eq!(report.lookup_count, 12);
        let tree = report.tree.unwrap();
        let costs: Vec<(String, u32)> = tree.terms.iter().map(|t| (t.term.clone(), t.cost)).collect();
        assert_eq!(
            costs,
            vec![("mx".into(), 1), ("include:big.example.net".into(), 10), ("a".into(), 1), ("-all".into(), 0)]
        );
        let f = report.findings.iter().find(|f| f.code == "spf.too-many-lookups").unwrap();
        assert!(f.message.contains("include:big.example.net 10"), "{}", f.message);
        assert_eq!(tree.children[0].children.len(), 2);
    }

    #[test]
    fn mx_with_too_many_names() {
        let mut text = String::from("example.com TXT \"v=spf1 mx -all\"\n");
        for i in 0..11 {
            text.push_str(&format!("example.com MX {i} mx{i}.example.com\n"));
        }
        let (report, _) = run(&text, None);
        assert!(codes(&report).contains(&"spf.mx-too-many-names"));
    }

    #[test]
    fn sender_results_and_trace() {
        let text = "example.com TXT \"v=spf1 include:_spf.provider.example ~all\"\n\
                    _spf.provider.example TXT \"v=spf1 ip4:198.51.100.0/24 -all\"";
        let (report, _) = run(text, Some("198.51.100.7"));
        let eval = report.evaluation.as_ref().unwrap();
        assert_eq!(eval.result, SpfResult::Pass);
        let include = &eval.trace.terms[0];
        assert_eq!(include.outcome, crate::spf::TermOutcome::Match);
        let child = include.child.as_ref().unwrap();
        assert_eq!(child.domain, "_spf.provider.example");
        assert_eq!(child.terms[0].term, "ip4:198.51.100.0/24");
        assert_eq!(child.terms[0].outcome, crate::spf::TermOutcome::Match);

        let (report, _) = run(text, Some("203.0.113.5"));
        assert_eq!(report.evaluation.as_ref().unwrap().result, SpfResult::SoftFail);
        assert!(codes(&report).contains(&"spf.sender-softfail"));
        assert_eq!(report.evaluation.unwrap().matched.unwrap().term, "~all");
    }

    #[test]
    fn lookup_failure_is_not_a_broken_record() {
        let (report, z) = run("example.com FAULT timeout", Some("192.0.2.1"));
        let f = &report.findings[0];
        assert_eq!((f.code.as_str(), f.severity), ("spf.lookup-failed", Severity::Warning));
        assert!(f.message.contains("Couldn't ask"));
        assert!(!z.queries().iter().any(|(_, t)| *t == RecordType::Spf));
        assert_eq!(report.evaluation.unwrap().result, SpfResult::TempError);
    }
}
