//! The DMARC check: discovery, the record's problems, policy advice and
//! external report destinations, as findings with evidence.
//!
//! The applied policy follows RFC 9989 §4.10.1 to the letter: the author
//! domain's own record gives `p`; an inherited one gives `sp` if the author
//! domain exists and `np` if it does not (with their fallbacks); an invalid
//! `p`, `sp` or `np` makes the record `p=none` when it has a valid `rua`, and
//! no DMARC at all otherwise. When a query the answer depends on failed, the
//! policy is "couldn't determine", never a guess (§5.3.6).

use crate::join::join_all;

use crate::dns::{normalize_name, Lookup, Outcome, RecordType, Resolver};
use crate::finding::{Finding, Severity};
use crate::quote::Quoted;
use crate::suffix;

use super::discovery::{discover, Discovery, Existence, OrgRule, PolicySource, StepFound, WalkStep};
use super::record::{
    parse_dmarc, version_match, DmarcErrorKind, DmarcParseError, DmarcRecord, ParsedDmarc, Policy, VersionMatch,
};
use crate::dmarc::DmarcCode;

/// Everything the DMARC check found for one domain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DmarcReport {
    pub domain: String,
    /// Every lookup made: the tree walk in order, then (when an inherited
    /// record's sp/np depends on it) the author domain's MX query that shows
    /// whether it exists, then the report-authorization queries.
    pub lookups: Vec<Lookup>,
    /// The text of the record that applies, as published (TXT strings joined).
    pub record_text: Option<String>,
    /// That record as a receiver reads it (invalid tags dropped).
    pub record: Option<DmarcRecord>,
    /// That record in plain sentences, one per tag ([`DmarcRecord::in_words`]).
    pub meaning: Vec<String>,
    /// The domain whose `_dmarc` record applies (e.g. `example.com` for `_dmarc.example.com`).
    pub found_at: Option<String>,
    /// The organizational domain (RFC 9989 §4.10.2); `None` when a failed query leaves it open.
    pub org_domain: Option<String>,
    /// Which record applies and why, in plain words.
    pub why: String,
    pub findings: Vec<Finding>,
    /// Whether the record is the domain's own, its organizational domain's, or its public suffix domain's.
    pub policy_source: Option<PolicySource>,
    /// What receivers do with mail from `domain` that fails DMARC; `None` when DMARC does not apply.
    pub applied_policy: Option<Policy>,
    /// The tree walk, step by step.
    pub discovery: Discovery,
    /// Report destinations outside the organizational domain and whether they accept the reports.
    pub external: Vec<ExternalDestination>,
}

/// A `rua`/`ruf` destination outside the organizational domain (RFC 9990 §4).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExternalDestination {
    /// The destination's domain, e.g. `reports.example.net`.
    pub domain: String,
    /// `<policy domain>._report._dmarc.<destination>`, TXT.
    pub lookup: Lookup,
    /// `Some(true)` if a record starting with `v=DMARC1` answered (a wildcard
    /// counts); `None` if the lookup failed: "couldn't ask", not "not authorised".
    pub authorized: Option<bool>,
}

fn finding(code: DmarcCode, severity: Severity, message: impl Into<String>) -> Finding {
    Finding::new(code, severity, message)
}

/// Finds the DMARC record that applies to `domain` and checks it.
pub async fn check_dmarc<R: Resolver>(r: &R, domain: &str) -> DmarcReport {
    let domain = normalize_name(domain);
    let mut findings = Vec::new();
    if suffix::is_public_suffix(&domain) {
        findings.push(
            finding(
                DmarcCode::PublicSuffix,
                Severity::Warning,
                format!(
                    "{domain} is a public suffix (like com, co.uk or github.io), not a mail domain. Check the domain you \
                     send mail from, such as yourcompany.{domain}."
                ),
            )
            .rfc(9989, "3.2.15")
            .hint("Only the most common public suffixes are known here, not the whole Public Suffix List."),
        );
    }

    let discovery = discover(r, &domain).await;
    findings.extend(walk_findings(&discovery));

    let mut report = DmarcReport {
        domain: domain.clone(),
        lookups: discovery.steps.iter().map(|s| s.lookup.clone()).collect(),
        record_text: None,
        record: None,
        meaning: Vec::new(),
        found_at: None,
        org_domain: (!discovery.steps.is_empty() && discovery.org_certain()).then(|| discovery.org_domain.clone()),
        why: explain(&discovery),
        findings,
        policy_source: discovery.policy.map(|(_, s)| s),
        applied_policy: None,
        discovery: discovery.clone(),
        external: Vec::new(),
    };

    let Some((step, source)) = discovery.policy.and_then(|(i, source)| Some((discovery.steps.get(i)?, source))) else {
        if discovery.failed_at.is_none() {
            let mut f = finding(
                DmarcCode::None,
                Severity::Warning,
                format!(
                    "No DMARC record applies to {domain} (none usable at _dmarc.{domain} or any parent). Gmail and Yahoo \
                     require at least p=none from bulk senders and may defer or reject mail without it."
                ),
            )
            .rfc(9989, "4.10.1")
            .hint(format!("Publish a TXT record at _dmarc.{domain}: \"v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}\", then tighten it."));
            for l in &report.lookups {
                f = f.evidence(l);
            }
            report.findings.push(f);
        }
        return report;
    };
    let StepFound::One { text, parsed } = &step.found else { return report };
    let Some(record) = parsed.valid_record().cloned() else { return report };

    report.record_text = Some(text.clone());
    report.found_at = Some(step.domain.clone());
    report.meaning = record.in_words();
    report.record = Some(record.clone());
    let inherited = source != PolicySource::AuthorDomain;
    if let (true, Some(l)) = (inherited, &discovery.existence_lookup) {
        report.lookups.push(l.clone());
    }
    report.applied_policy = applied_policy(parsed, &record, source, discovery.existence);
    if inherited && !parsed.policy_invalid() && report.applied_policy.is_none() {
        report.findings.extend(undetermined_existence(&domain, &discovery, step, &record));
    }
    for p in &parsed.problems {
        report.findings.push(problem_finding(p, text, &record, step));
    }
    let fallback = parsed.policy_invalid();
    report.findings.extend(policy_findings(
        &domain,
        &discovery,
        step,
        source,
        &record,
        report.applied_policy,
        fallback,
    ));

    let (external, external_findings) = check_external(r, &record, &step.domain, &discovery.org_domain).await;
    report.lookups.extend(external.iter().map(|e| e.lookup.clone()));
    report.findings.extend(external_findings);
    report.external = external;
    report
}

/// Failed lookups, discarded duplicates and look-alike records along the walk.
fn walk_findings(d: &Discovery) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, step) in d.steps.iter().enumerate() {
        let name = format!("_dmarc.{}", step.domain);
        match &step.found {
            StepFound::Failed => out.push(failed_step_finding(d, step, &name)),
            StepFound::One { text, parsed } => {
                // A record thrown away whole (a repeated tag): said once, at the tag that does it.
                if let Some(p) = parsed.discarded_by() {
                    out.push(
                        finding(
                            DmarcCode::Syntax,
                            Severity::Error,
                            format!("The DMARC record at {name} is invalid as a whole: {}", p.message),
                        )
                        .rfc(6376, "3.2")
                        .span_in(text, p.span.clone())
                        .evidence(&step.lookup),
                    );
                }
            }
            StepFound::Multiple(texts) => {
                let matters = i == 0 || step.domain == d.org_domain;
                out.push(
                    finding(
                        DmarcCode::Multiple,
                        if matters { Severity::Error } else { Severity::Warning },
                        format!(
                            "{name} has {} DMARC records; receivers discard them all, so none applies.",
                            texts.len()
                        ),
                    )
                    .rfc(9989, "4.10")
                    .hint("Keep exactly one v=DMARC1 TXT record here, with all the tags you need.")
                    .evidence(&step.lookup),
                );
            }
            StepFound::Nothing => {}
        }
        for text in &step.lookalikes {
            out.push(lookalike_finding(step, &name, text));
        }
    }
    out
}

/// A failed walk query: RFC 9989 §5.3.6, "If one or more DNS queries required
/// to perform DMARC validation on the message do not complete due to
/// temporary or permanent DNS errors, the message cannot be considered to
/// pass or fail the DMARC mechanism check."
fn failed_step_finding(d: &Discovery, step: &WalkStep, name: &str) -> Finding {
    let domain = &d.domain;
    let status = step.lookup.status();
    let first = d.failed_at.as_deref() == Some(name);
    let message = if first && d.policy.is_some() {
        format!(
            "Could not look up {name}: {status}. {domain}'s own record applies, but its organizational domain, used \
             for alignment, stays unknown until this query completes."
        )
    } else if first {
        format!(
            "Couldn't determine the DMARC policy for {domain}: the query for {name}, which decides the record that \
             applies, failed ({status}). Receivers hitting the same failure may defer mail (4xx) until it succeeds."
        )
    } else {
        format!("Could not look up {name} either: {status}.")
    };
    finding(DmarcCode::LookupFailed, Severity::Warning, message).rfc(9989, "5.3.6").evidence(&step.lookup)
}

/// A TXT record meant as DMARC that receivers discard (§4.10 step 2): the parser says why, and where.
fn lookalike_finding(step: &WalkStep, name: &str, text: &str) -> Finding {
    let parsed = parse_dmarc(text);
    let (why, span) = match parsed.problems.first() {
        Some(p) => (p.message.clone(), p.span.clone()),
        None => ("It does not start with v=DMARC1.".to_string(), 0..0),
    };
    finding(
        DmarcCode::Syntax,
        Severity::Error,
        format!("{name} has the TXT record {}, which looks like DMARC but receivers ignore it: {why}", Quoted(text)),
    )
    .rfc(9989, "4.7")
    .hint("Start the record with v=DMARC1, in exactly that case, followed by a semicolon.")
    .span_in(text, span)
    .evidence(&step.lookup)
}

/// RFC 9989 §4.10.1: the policy a valid record gives the author domain.
/// "If the DMARC Policy Record to be applied is that of the Author Domain,
/// then the Domain Owner Assessment Policy is taken from the "p" tag"; for an
/// inherited record it "is taken from the "sp" tag (if any) if the Author
/// Domain exists, or the "np" tag (if any) if the Author Domain does not
/// exist". `None`: no DMARC, or (inherited, existence unknown, sp and np
/// differ) not determinable.
pub fn applied_policy(
    parsed: &ParsedDmarc,
    record: &DmarcRecord,
    source: PolicySource,
    existence: Existence,
) -> Option<Policy> {
    if parsed.policy_invalid() {
        return record.fallback_policy();
    }
    match (source, existence) {
        (PolicySource::AuthorDomain, _) => record.policy(),
        (_, Existence::Exists) => record.subdomain_policy(),
        (_, Existence::DoesNotExist) => record.nonexistent_policy(),
        (_, Existence::Unknown) => {
            (record.subdomain_policy() == record.nonexistent_policy()).then(|| record.subdomain_policy()).flatten()
        }
    }
}

/// The inherited record's sp and np differ and the query that tells them apart failed.
fn undetermined_existence(domain: &str, d: &Discovery, step: &WalkStep, record: &DmarcRecord) -> Option<Finding> {
    let lookup = d.existence_lookup.as_ref()?;
    let show = |p: Option<Policy>| p.map(Policy::as_str).unwrap_or("no policy");
    Some(
        finding(
            DmarcCode::LookupFailed,
            Severity::Warning,
            format!(
                "Couldn't determine the DMARC policy for {domain}: _dmarc.{} gives existing subdomains {} and non-existent \
                 ones {}, and the query showing whether {domain} exists ({} MX) did not complete: {}.",
                step.domain,
                show(record.subdomain_policy()),
                show(record.nonexistent_policy()),
                lookup.name,
                lookup.status()
            ),
        )
        .rfc(9989, "4.10.1")
        .evidence(lookup)
        .evidence(&step.lookup),
    )
}

fn problem_finding(p: &DmarcParseError, text: &str, record: &DmarcRecord, step: &WalkStep) -> Finding {
    let (code, rfc_section) = match p.kind {
        DmarcErrorKind::MissingPolicy => (DmarcCode::MissingP, "4.10.1"),
        DmarcErrorKind::LegacyTag => (DmarcCode::LegacyTag, "C.5.2"),
        DmarcErrorKind::NotMailto | DmarcErrorKind::NotAUri => (DmarcCode::RuaNotMailto, "4.7"),
        DmarcErrorKind::InvalidUri => (DmarcCode::InvalidUri, "4.8"),
        DmarcErrorKind::TagCase => (DmarcCode::TagCase, "4.7"),
        DmarcErrorKind::SizeSuffix => (DmarcCode::SizeSuffix, "4.8"),
        DmarcErrorKind::UnknownTag => (DmarcCode::UnknownTag, "4.7"),
        _ => (DmarcCode::Syntax, "4.8"),
    };
    let severity = match p.kind {
        // Without p and without a usable rua, receivers apply no DMARC at all.
        DmarcErrorKind::MissingPolicy if record.policy().is_none() => Severity::Error,
        kind => kind.severity(),
    };
    let message = if p.kind == DmarcErrorKind::MissingPolicy && record.policy().is_none() {
        format!("{} This record has no usable rua= either, so receivers ignore it entirely.", p.message)
    } else if p.breaks_policy() {
        let tag = p.tag.as_deref().unwrap_or("p");
        match record.fallback_policy() {
            Some(_) => format!(
                "{} With {tag}= invalid and a valid rua= address, receivers treat the whole record as p=none \
                 (RFC 9989 §4.10.1).",
                p.message
            ),
            None => format!(
                "{} With {tag}= invalid and no valid rua= address, receivers apply no DMARC processing to this domain's mail \
                 (RFC 9989 §4.10.1).",
                p.message
            ),
        }
    } else {
        p.message.clone()
    };
    let mut f =
        finding(code, severity, message).rfc(9989, rfc_section).span_in(text, p.span.clone()).evidence(&step.lookup);
    if p.kind == DmarcErrorKind::MissingPolicy {
        f = f.hint("Add p=none to start monitoring, then move to p=quarantine and p=reject.");
    }
    f
}

/// "dmarc.inherited": whose record applies, and whether sp= or np= does (RFC 9989 §4.10.1).
fn inherited_finding(
    domain: &str,
    d: &Discovery,
    step: &WalkStep,
    source: PolicySource,
    record: &DmarcRecord,
) -> Finding {
    let at = format!("_dmarc.{}", step.domain);
    let whose = match source {
        PolicySource::PublicSuffixDomain => "its public suffix domain",
        _ => "its organizational domain",
    };
    let exists = match (d.existence, &d.existence_lookup) {
        (Existence::Exists, Some(l)) => {
            format!("{domain} exists ({} MX answered {}), so sp= applies", l.name, l.status())
        }
        (Existence::DoesNotExist, Some(l)) => {
            format!("{domain} does not exist ({} MX answered {}), so np= applies", l.name, l.status())
        }
        _ => format!("whether {domain} exists could not be checked"),
    };
    finding(
        DmarcCode::Inherited,
        Severity::Info,
        format!(
            "{domain} has no DMARC record of its own; that of {whose} {} (at {at}) applies: sp= ({}) for existing \
             subdomains, np= ({}) for non-existent ones. Here {exists}.",
            step.domain,
            record.subdomain_policy().map(Policy::as_str).unwrap_or("none given"),
            record.nonexistent_policy().map(Policy::as_str).unwrap_or("none given"),
        ),
    )
    .rfc(9989, "4.10.1")
}

fn policy_findings(
    domain: &str,
    d: &Discovery,
    step: &WalkStep,
    source: PolicySource,
    record: &DmarcRecord,
    applied: Option<Policy>,
    fallback: bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let at = format!("_dmarc.{}", step.domain);
    let why_none = if fallback {
        "receivers fall back to p=none for this record"
    } else if source == PolicySource::AuthorDomain {
        "p=none"
    } else if d.existence == Existence::DoesNotExist {
        "np (or sp, or p) is none"
    } else {
        "sp (or p) is none"
    };
    // An inherited policy depends on whether the domain exists: its MX answer is evidence too.
    let existence = d.existence_lookup.as_ref().filter(|_| source != PolicySource::AuthorDomain);
    let ev = |f: Finding| match existence {
        Some(l) => f.evidence(&step.lookup).evidence(l),
        None => f.evidence(&step.lookup),
    };

    if source != PolicySource::AuthorDomain {
        out.push(ev(inherited_finding(domain, d, step, source, record)));
    }

    let has_rua = !record.rua.is_empty();
    match applied {
        Some(Policy::None) => out.push(ev(finding(
            DmarcCode::PNone,
            Severity::Warning,
            format!(
                "The policy for {domain} is none ({why_none}): monitoring only. Receivers take no action on failing mail, \
                 so nothing stops others sending as {domain}."
            ),
        )
        .rfc(9989, "5.1.7")
        .hint(
            "Roll out in steps: p=none until the reports show all your own mail passes, then p=quarantine, then p=reject.",
        ))),
        Some(p @ (Policy::Quarantine | Policy::Reject)) if !record.testing() => {
            let mut f = finding(
                DmarcCode::Ok,
                Severity::Ok,
                format!("DMARC applies to mail from {domain}: policy {p} (record at {at})."),
            );
            if p == Policy::Quarantine {
                f = f.hint("The last step is p=reject, once the reports show all your own mail passes.");
            }
            out.push(ev(f))
        }
        _ => {}
    }
    if record.testing() {
        out.push(ev(finding(
            DmarcCode::Testing,
            Severity::Info,
            format!("The record at {at} has t=y (testing): receivers are asked not to apply the policy yet."),
        )
        .rfc(9989, "4.7")
        .hint("Remove t=y once the reports look right.")));
    }
    // A record receivers ignore (no usable p, no rua) gets no advice beyond the missing-p error.
    if !has_rua && applied.is_some() {
        let (severity, message) = if applied == Some(Policy::None) {
            (
                Severity::Warning,
                format!("p=none without rua= monitors nothing: the record at {at} asks for no reports, so nobody sees the results."),
            )
        } else {
            (
                Severity::Info,
                format!("The record at {at} asks for no aggregate reports (no rua=): you won't see who sends mail as {domain}."),
            )
        };
        out.push(ev(finding(DmarcCode::NoRua, severity, message)
            .rfc(9989, "4.7")
            .hint(format!("Add rua=mailto:dmarc-reports@{} (or a report service's address).", d.org_domain))));
    }

    // Subdomain advice belongs to the record that covers subdomains: the organizational domain's.
    if step.domain == d.org_domain && matches!(record.p, Some(Policy::Quarantine | Policy::Reject)) {
        if let (Some(sp), Some(p)) = (record.sp, record.p) {
            if sp < p {
                out.push(ev(finding(
                    DmarcCode::SpWeaker,
                    Severity::Info,
                    format!("Subdomains of {} get sp={sp}, weaker than p={p} for the domain itself.", step.domain),
                )
                .rfc(9989, "4.7")));
            }
        }
        if record.np.is_none() && record.nonexistent_policy() != Some(Policy::Reject) {
            out.push(ev(finding(
                DmarcCode::NpMissing,
                Severity::Info,
                format!(
                    "Mail from non-existent subdomains of {} falls back to {}. No real mail comes from them, so np=reject is \
                     safe and stops made-up subdomains.",
                    step.domain,
                    record.nonexistent_policy().map(Policy::as_str).unwrap_or("no policy")
                ),
            )
            .rfc(9989, "4.7")
            .hint("Add np=reject.")));
        }
    }
    out
}

/// RFC 9990 §4 (RFC 7489 §7.1 before it): a destination outside the domain must publish
/// `<policy domain>._report._dmarc.<destination>` TXT `v=DMARC1`. All queried at once.
async fn check_external<R: Resolver>(
    r: &R,
    record: &DmarcRecord,
    policy_domain: &str,
    org_domain: &str,
) -> (Vec<ExternalDestination>, Vec<Finding>) {
    let inside = |d: &str, base: &str| d == base || d.ends_with(&format!(".{base}"));
    let mut destinations: Vec<String> = Vec::new();
    for uri in record.rua.iter().chain(&record.ruf) {
        if let Some(d) = uri.mailto_domain() {
            if !inside(&d, org_domain) && !inside(&d, policy_domain) && !destinations.contains(&d) {
                destinations.push(d);
            }
        }
    }
    // A loop, not a map chain collected: smaller in the wasm.
    let mut names: Vec<String> = Vec::with_capacity(destinations.len());
    for d in &destinations {
        names.push(format!("{policy_domain}._report._dmarc.{d}"));
    }
    let lookups = join_all(names.iter().map(|n| r.lookup(n, RecordType::Txt))).await;
    let mut external = Vec::new();
    let mut findings = Vec::new();
    for (domain, lookup) in destinations.into_iter().zip(lookups) {
        // RFC 9990 §4 step 6: "the "v=DMARC1" tag is mandatory and MUST appear first in the list.
        // Discard any that do not pass this test." A record after a space does not.
        let authorized = match lookup.outcome {
            Outcome::Failed(_) => None,
            _ => Some(lookup.joined_txt().iter().any(|t| version_match(t) == VersionMatch::Exact)),
        };
        let f = match authorized {
            Some(true) => finding(
                DmarcCode::ExternalAuthorized,
                Severity::Ok,
                format!("{domain} accepts DMARC reports for {policy_domain}: {} has a v=DMARC1 record.", lookup.name),
            ),
            Some(false) => finding(
                DmarcCode::ExternalUnauthorized,
                Severity::Warning,
                format!(
                    "Reports for {policy_domain} go to {domain}, which has not authorized them (no v=DMARC1 TXT record at {}), \
                     so receivers won't send them.",
                    lookup.name
                ),
            )
            .hint(format!(
                "Ask {domain}'s operator to publish \"{}. TXT v=DMARC1\" (or the wildcard *._report._dmarc.{domain}), or use \
                 an address in your own domain.",
                lookup.name
            )),
            None => finding(
                DmarcCode::LookupFailed,
                Severity::Warning,
                format!(
                    "Couldn't ask whether {domain} accepts reports for {policy_domain}: the query for {} failed ({}). Not a \
                     refusal; check again later.",
                    lookup.name,
                    lookup.status()
                ),
            ),
        };
        // Aggregate reports: RFC 9990 §4; failure reports only: RFC 9991
        // (https://datatracker.ietf.org/doc/html/rfc9991, May 2026; checked 2026-12-05).
        let aggregate = record.rua.iter().any(|u| u.mailto_domain().as_deref() == Some(domain.as_str()));
        let f = if aggregate { f.rfc(9990, "4") } else { f.rfc(9991, "") };
        findings.push(f.evidence(&lookup));
        external.push(ExternalDestination { domain, lookup, authorized });
    }
    (external, findings)
}

/// Which record applies and why, step by step, in plain words.
fn explain(d: &Discovery) -> String {
    let domain = &d.domain;
    let mut parts: Vec<String> = Vec::new();
    // A loop, not a map chain collected: smaller in the wasm.
    let mut walked: Vec<String> = Vec::with_capacity(d.steps.len());
    for s in &d.steps {
        let what = match &s.found {
            StepFound::Failed => format!("lookup failed ({})", s.lookup.status()),
            StepFound::Nothing => "no record".to_string(),
            StepFound::Multiple(t) => format!("{} records, all discarded", t.len()),
            StepFound::One { parsed, .. } if parsed.discarded_by().is_some() => {
                "record invalid as a whole, not used".to_string()
            }
            StepFound::One { parsed, .. } => match parsed.valid_record().and_then(|r| r.psd) {
                Some(psd) => format!("record with psd={}", psd.as_str()),
                None => "record".to_string(),
            },
        };
        walked.push(format!("_dmarc.{}: {what}", s.domain));
    }
    if walked.is_empty() {
        return "No domain to look up.".to_string();
    }
    parts.push(format!("Looked up {} name(s): {}.", walked.len(), walked.join("; ")));

    if matches!(d.steps.first().map(|s| &s.found), Some(StepFound::Multiple(_))) {
        parts.push(format!(
            "{domain} publishes more than one DMARC record, so none applies (RFC 9989 §4.10 step 2); the walk went on to its parents."
        ));
    }
    let org = &d.org_domain;
    let org_why = match &d.org_rule {
        OrgRule::PsdNo => format!("the record at _dmarc.{org} says psd=n"),
        OrgRule::PsdYes { public_suffix_domain } => format!(
            "_dmarc.{public_suffix_domain} says psd=y (a public suffix domain), so the organizational domain is one label below it"
        ),
        OrgRule::FewestLabels => "it is the highest name with a DMARC record".to_string(),
        OrgRule::NoRecords => "no record was found, so the domain is its own".to_string(),
    };
    match &d.failed_at {
        None => parts.push(format!("Organizational domain: {org}, because {org_why} (RFC 9989 §4.10.2).")),
        Some(failed) => parts.push(format!(
            "The organizational domain is unknown: the query for {failed} failed, and a record there could change it \
             (RFC 9989 §4.10.2, §5.3.6)."
        )),
    }
    let role = match d.existence {
        Existence::Exists => format!("its sp= policy, since {domain} exists"),
        Existence::DoesNotExist => format!("its np= policy, since {domain} does not exist (NXDOMAIN)"),
        Existence::Unknown => format!("its sp= policy if {domain} exists, np= if not (existence unknown)"),
    };

    match (d.policy_step(), d.policy.map(|(_, s)| s)) {
        (Some(step), Some(PolicySource::AuthorDomain)) => parts.push(format!(
            "The domain's own record at _dmarc.{} applies, with its p= policy (RFC 9989 §4.10.1).",
            step.domain
        )),
        (Some(step), Some(PolicySource::OrganizationalDomain)) => parts.push(format!(
            "{domain} has no record of its own, so its organizational domain's record at _dmarc.{} applies, with {role} \
             (RFC 9989 §4.10.1).",
            step.domain
        )),
        (Some(step), Some(PolicySource::PublicSuffixDomain)) => {
            let whose = if org == domain {
                format!("{domain}, its own organizational domain, has no usable record")
            } else {
                format!("neither {domain} nor its organizational domain {org} has a usable record")
            };
            parts.push(format!(
                "As {whose}, the public suffix domain's record at _dmarc.{} applies, with {role} (RFC 9989 §4.10.1).",
                step.domain
            ))
        }
        _ => {
            if let Some(failed) = &d.failed_at {
                parts.push(format!(
                    "Couldn't determine the DMARC policy for {domain}: the query for {failed}, which decides the record that \
                     applies, failed (RFC 9989 §5.3.6)."
                ));
            } else {
                parts.push(format!("No DMARC record applies to {domain}: receivers apply no DMARC policy to its mail."));
            }
        }
    }
    let chosen = d.policy.map(|(i, _)| i);
    // A loop, not a map collected (see the MX report's lookups).
    let mut unused: Vec<String> = Vec::new();
    for (i, s) in d.steps.iter().enumerate() {
        if Some(i) != chosen && matches!(s.found, StepFound::One { .. }) {
            unused.push(format!("_dmarc.{}", s.domain));
        }
    }
    if !unused.is_empty() {
        parts.push(format!("Also found but not applied to {domain}: {}.", unused.join(", ")));
    }
    parts.join(" ")
}
