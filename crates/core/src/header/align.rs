//! Addresses in `From` / `Return-Path`, and DMARC identifier alignment
//! (RFC 7489 §3.1, kept by DMARCbis): is the `From` domain the same as
//! (strict) or in the same organizational domain as (relaxed) the domain
//! SPF authenticated (the envelope sender) or a DKIM signature's `d=`?
//!
//! Relaxed alignment needs organizational domains. DMARCbis finds them by
//! a DNS tree walk, which a header reader cannot do; [`read_headers`]
//! approximates with the crate's partial public-suffix list
//! (`crate::suffix`), and says so (`org_domains_approximate`). Callers with
//! the DMARC check's results pass them in through
//! [`MessageHeaders::alignment_with`].
//!
//! [`read_headers`]: super::read_headers

use super::auth::strip_comments;
use super::MessageHeaders;
use crate::dmarc::DmarcCode;
use crate::finding::{Finding, Severity};
use crate::suffix::registrable_domain;

/// Where organizational domains come from.
pub enum OrgDomains<'a> {
    /// The partial public-suffix list: right for common suffixes, one label off for rare ones.
    Approximate,
    /// A function the caller trusts (e.g. built from the DMARC tree walk).
    Given(&'a dyn Fn(&str) -> Option<String>),
}

/// One authenticated domain compared with the `From` domain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AlignmentCheck {
    /// The SPF (envelope) domain or a signature's `d=`.
    pub domain: String,
    /// Exactly the `From` domain.
    pub strict: bool,
    /// Same organizational domain as the `From` domain.
    pub relaxed: bool,
    /// What the receiver's `Authentication-Results` said of it: `Some(true)` for pass.
    pub passed: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Alignment {
    pub from_domain: Option<String>,
    pub spf: Option<AlignmentCheck>,
    /// One per DKIM-Signature with a `d=`.
    pub dkim: Vec<AlignmentCheck>,
    /// True when organizational domains came from the partial suffix list.
    pub org_domains_approximate: bool,
}

impl Alignment {
    /// Whether some identifier aligns (relaxed), whatever the receiver's verdict.
    pub fn any_relaxed(&self) -> bool {
        self.spf.iter().chain(&self.dkim).any(|c| c.relaxed)
    }

    /// Whether DMARC passes in relaxed mode: an aligned identifier that also passed.
    pub fn passes_relaxed(&self) -> bool {
        self.spf.iter().chain(&self.dkim).any(|c| c.relaxed && c.passed == Some(true))
    }

    /// Each authenticated domain against the `From` domain, a line each, for a
    /// person: "SPF: bounce.example.com, aligned (relaxed), passed".
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let named = self.spf.iter().map(|c| ("SPF", c)).chain(self.dkim.iter().map(|c| ("DKIM", c)));
        for (what, c) in named {
            let aligned = match (c.strict, c.relaxed) {
                (true, _) => "aligned (strict: the From domain itself)",
                (false, true) => "aligned (relaxed: the same organizational domain as From)",
                _ => "not aligned with From",
            };
            let verdict = match c.passed {
                Some(true) => ", passed at the receiver",
                Some(false) => ", failed at the receiver",
                None => "",
            };
            out.push(format!("{what}: {}, {aligned}{verdict}.", c.domain));
        }
        out
    }
}

/// The first address of a field value: `"Name" <a@b.example>`, `a@b.example (Name)`, `<>`.
pub fn first_address(value: &str) -> Option<String> {
    let (text, _) = strip_comments(value);
    // An angle-addr wins; otherwise the first word with an "@".
    let addr = match text.find('<') {
        Some(open) => text[open + 1..].split('>').next().unwrap_or("").trim().to_string(),
        None => text.split([',', ' ', '\t']).find(|w| w.contains('@')).unwrap_or("").trim().to_string(),
    };
    (!addr.is_empty()).then_some(addr)
}

/// The domain of an address, lower case, without a trailing dot (or the value itself if it has no `@`).
pub fn domain_of(address: &str) -> Option<String> {
    let domain = address.rsplit_once('@').map_or(address, |(_, d)| d);
    let domain = domain.trim().trim_end_matches(['>', '.']).to_ascii_lowercase();
    (!domain.is_empty() && domain.contains('.')).then_some(domain)
}

fn org_of(orgs: &OrgDomains<'_>, domain: &str) -> Option<String> {
    match orgs {
        OrgDomains::Approximate => registrable_domain(domain),
        OrgDomains::Given(f) => f(domain),
    }
}

fn compare(orgs: &OrgDomains<'_>, from: &str, domain: String, passed: Option<bool>) -> AlignmentCheck {
    let strict = domain == from;
    let relaxed = strict || org_of(orgs, &domain).is_some_and(|o| Some(o) == org_of(orgs, from));
    AlignmentCheck { domain, strict, relaxed, passed }
}

/// Alignment of the SPF domain and every DKIM `d=` with the `From` domain.
pub fn alignment(headers: &MessageHeaders, orgs: OrgDomains<'_>) -> Alignment {
    let approximate = matches!(orgs, OrgDomains::Approximate);
    let Some(from) = headers.from_domain() else {
        return Alignment { org_domains_approximate: approximate, ..Alignment::default() };
    };
    let ar = headers.auth_results.first();
    let spf_passed = ar.and_then(|a| a.result("spf")).map(|r| r.passed());
    let spf = headers.spf_domain().map(|d| compare(&orgs, &from, d, spf_passed));
    let mut dkim: Vec<AlignmentCheck> = Vec::new();
    for sig in &headers.dkim_signatures {
        let Some(d) = sig.domain.clone() else { continue };
        if dkim.iter().any(|c| c.domain == d) {
            continue;
        }
        // Whether any dkim result for `d` passed; `None` when there is none.
        // A loop, not a flat_map/filter/map chain collected: smaller in the wasm.
        let mut passed: Option<bool> = None;
        for r in ar.into_iter().flat_map(|a| a.all("dkim")) {
            if r.property("header.d").or(r.property("header.i")).and_then(domain_of).as_deref() == Some(d.as_str()) {
                passed = Some(passed == Some(true) || r.passed());
            }
        }
        dkim.push(compare(&orgs, &from, d, passed));
    }
    Alignment { from_domain: Some(from), spf, dkim, org_domains_approximate: approximate }
}

/// What the alignment means for DMARC, in findings.
pub fn findings(headers: &MessageHeaders) -> Vec<Finding> {
    let a = &headers.alignment;
    let Some(from) = &a.from_domain else {
        return vec![Finding::new(DmarcCode::HeaderNoFrom,
            Severity::Warning,
            "The pasted headers have no readable From address, so DMARC alignment cannot be judged (was the paste cut off?).",
        )
        .rfc(5322, "3.6.2")];
    };
    // Nothing authenticated to compare (no envelope sender, no signature): nothing to say.
    if a.any_relaxed() || (a.spf.is_none() && a.dkim.is_empty()) {
        return Vec::new();
    }
    let mut others: Vec<String> = Vec::with_capacity(a.dkim.len() + 1);
    if let Some(c) = &a.spf {
        others.push(format!("SPF: {}", c.domain));
    }
    for c in &a.dkim {
        others.push(format!("DKIM: {}", c.domain));
    }
    let approx = if a.org_domains_approximate {
        " (organizational domains estimated from a partial list of public suffixes)"
    } else {
        ""
    };
    vec![Finding::new(DmarcCode::NotAligned,
        Severity::Warning,
        format!(
            "Neither SPF nor DKIM authenticates a domain aligned with the From domain {from} ({}){approx}. DMARC fails, and Gmail and Yahoo reject or defer such mail from bulk senders.",
            if others.is_empty() { "nothing authenticated".to_string() } else { others.join(", ") }
        ),
    )
    .rfc(7489, "3.1")
    .hint(format!("Sign with DKIM as {from} (d={from}), or use a bounce address under {from}."))]
}
