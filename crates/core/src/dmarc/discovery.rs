//! Finding the DMARC record that applies: the RFC 9989 DNS tree walk.
//!
//! Section numbers follow draft-ietf-dmarc-dmarcbis-41, the text RFC 9989
//! was published from:
//! - §4.10: query `_dmarc.<domain>`; then, if needed, shorten a name of 8 or
//!   more labels to 7 and drop one label per query up to the TLD — at most
//!   8 queries. A query's answer counts only if exactly one TXT record
//!   starts with `v=DMARC1` (several are all discarded); the walk stops at a
//!   record with `psd=n` or `psd=y`.
//! - §4.10.2: the organizational domain is the first record (longest name
//!   first) with `psd=n`; else one label below a `psd=y` record found above
//!   the starting domain; else the found record with the fewest labels; else
//!   the domain itself.
//! - §4.10.1: the policy record is the domain's own, else the organizational
//!   domain's, else the public suffix domain's.
//!
//! - §4.10.1 again: an inherited record's `sp` applies if the author domain
//!   exists, its `np` if it does not. Existence is RFC 8020's (§3.2.13):
//!   NXDOMAIN means the name and everything below it do not exist, NODATA
//!   means it exists. The answer comes from the author domain's own MX
//!   question, asked together with the first `_dmarc` queries: the MX check
//!   asks the very same question, and the page's shared resolver answers a
//!   repeated question once, so this costs no extra round trip.
//! - §5.3.6: "If one or more DNS queries required to perform DMARC
//!   validation on the message do not complete [...] the Domain Owner
//!   Assessment Policy cannot be applied". A failed walk query leaves the
//!   organizational domain open, and the policy too unless the author
//!   domain's own record was found.
//!
//! Each query depends on whether the one before stopped the walk, so the
//! walk is sequential in principle. To halve the round trips, the names are
//! asked two at a time: nearly every walk needs at least the domain and its
//! parent (a record without `psd` does not stop it), and the cost is at most
//! one query past the stopping point, never more than [`MAX_WALK_QUERIES`]
//! in all. An answer past the stop is not part of the walk.

use crate::join::join_all;

use crate::dns::{Lookup, Outcome, RecordType, Resolver};

use super::record::{parse_dmarc, version_match, DmarcRecord, ParsedDmarc, Psd, VersionMatch};

/// RFC 9989 §4.10: "Author Domains with more than eight labels do not result in more than eight DNS queries."
pub const MAX_WALK_QUERIES: usize = 8;

/// What one `_dmarc.<domain>` query yielded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum StepFound {
    /// The lookup failed (SERVFAIL, timeout, …): unknown.
    Failed,
    /// No TXT record starting with `v=DMARC1` (NXDOMAIN, NODATA, or only other TXT).
    Nothing,
    /// Exactly one DMARC record (it may still be invalid as a whole: see
    /// [`ParsedDmarc::valid_record`]; then receivers take nothing from it).
    One { text: String, parsed: ParsedDmarc },
    /// Several DMARC records: all are discarded (§4.10 step 2).
    Multiple(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WalkStep {
    /// The domain whose record was asked for (without `_dmarc.`).
    pub domain: String,
    pub lookup: Lookup,
    pub found: StepFound,
    /// TXT records that look like DMARC but that receivers ignore (`v=dmarc1`,
    /// ` v=DMARC1` after a space, `v=DMARC1` followed by a no-break space).
    pub lookalikes: Vec<String>,
}

impl WalkStep {
    /// The valid record found at this step, if any (§4.10.1: "a valid DMARC Policy Record").
    pub fn valid_record(&self) -> Option<&DmarcRecord> {
        match &self.found {
            StepFound::One { parsed, .. } => parsed.valid_record(),
            _ => None,
        }
    }

    fn psd(&self) -> Option<Psd> {
        self.valid_record().and_then(|r| r.psd)
    }

    fn has_record(&self) -> bool {
        self.valid_record().is_some()
    }
}

/// Whether the author domain exists, in RFC 8020's sense (RFC 9989 §3.2.13).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Existence {
    /// Its MX query answered records or NODATA, or a name below it exists.
    Exists,
    /// Its MX query answered NXDOMAIN: the name and everything below it do not exist.
    DoesNotExist,
    /// The query did not complete (or was not asked): unknown.
    Unknown,
}

/// Which rule of §4.10.2 fixed the organizational domain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum OrgRule {
    /// Rule 1: a record with `psd=n` at this domain.
    PsdNo,
    /// Rule 2: a record with `psd=y` at this (public suffix) domain; the organizational domain is one label below.
    PsdYes { public_suffix_domain: String },
    /// Rule 3: the record found at the name with the fewest labels.
    FewestLabels,
    /// No record anywhere: the domain itself.
    NoRecords,
}

/// Where the applicable record came from (§4.10.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum PolicySource {
    AuthorDomain,
    OrganizationalDomain,
    PublicSuffixDomain,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Discovery {
    pub domain: String,
    pub steps: Vec<WalkStep>,
    pub org_domain: String,
    pub org_rule: OrgRule,
    /// Index into `steps` of the record that applies, and why. `None` also
    /// when a failed query leaves it open (see `failed_at`).
    pub policy: Option<(usize, PolicySource)>,
    /// The author domain's MX query (asked with the first `_dmarc` queries):
    /// the evidence for `existence`.
    pub existence_lookup: Option<Lookup>,
    pub existence: Existence,
    /// `_dmarc.<name>` of the first walk query that did not complete. While
    /// set, the organizational domain is not certain, and neither is the
    /// policy unless the author domain's own record applies (§5.3.6).
    pub failed_at: Option<String>,
}

impl Discovery {
    pub fn policy_step(&self) -> Option<&WalkStep> {
        self.policy.and_then(|(i, _)| self.steps.get(i))
    }

    /// Whether every walk query completed, so `org_domain` is what receivers find.
    pub fn org_certain(&self) -> bool {
        self.failed_at.is_none()
    }
}

/// The names a full walk queries (without `_dmarc.`), in order (§4.10 steps 3, 4, 7).
pub fn walk_names(domain: &str) -> Vec<String> {
    let labels: Vec<&str> = domain.trim_end_matches('.').split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    if n == 0 {
        return Vec::new();
    }
    let mut out = vec![labels.join(".")];
    // "If x < 8, remove the left-most label. If x >= 8, remove labels until 7 remain."
    let mut keep = if n >= 8 { 7 } else { n - 1 };
    while keep >= 1 {
        out.push(labels[n - keep..].join("."));
        keep -= 1;
    }
    out
}

/// Runs the tree walk from `domain` and settles the organizational domain and the policy record.
pub async fn discover<R: Resolver>(r: &R, domain: &str) -> Discovery {
    let mut steps: Vec<WalkStep> = Vec::new();
    let names: Vec<String> = walk_names(domain).into_iter().take(MAX_WALK_QUERIES).collect();
    let mut existence_lookup = None;
    'walk: for (round, pair) in names.chunks(2).enumerate() {
        let mut queries: Vec<(String, RecordType)> =
            pair.iter().map(|name| (format!("_dmarc.{name}"), RecordType::Txt)).collect();
        // The existence question rides along with the first round, never after it.
        if round == 0 {
            queries.push((pair[0].clone(), RecordType::Mx));
        }
        let mut lookups = join_all(queries.iter().map(|(q, t)| r.lookup(q, *t))).await;
        if round == 0 {
            existence_lookup = lookups.pop();
        }
        for (name, lookup) in pair.iter().zip(lookups) {
            let step = classify(name.clone(), lookup);
            let stop = matches!(step.psd(), Some(Psd::Yes) | Some(Psd::No));
            steps.push(step);
            if stop {
                // The pair's second answer, if any, is past the end of the walk: not a step.
                break 'walk;
            }
        }
    }
    let start = steps.first().map(|s| s.domain.clone()).unwrap_or_else(|| domain.to_string());
    let (org_domain, org_rule) = organizational_domain(&start, &steps);

    let failed_at = steps.iter().find(|s| s.found == StepFound::Failed).map(|s| format!("_dmarc.{}", s.domain));
    let existence = existence(existence_lookup.as_ref(), steps.first());

    // §4.10.1: Author Domain, then Organizational Domain, then Public Suffix Domain.
    let policy = if steps.first().is_some_and(WalkStep::has_record) {
        Some((0, PolicySource::AuthorDomain))
    } else if failed_at.is_some() {
        // §5.3.6: the record a failed query might have held could change the choice.
        None
    } else if let Some(i) = steps.iter().position(|s| s.domain == org_domain && s.has_record()) {
        Some((i, PolicySource::OrganizationalDomain))
    } else {
        steps.iter().position(|s| s.psd() == Some(Psd::Yes)).map(|i| (i, PolicySource::PublicSuffixDomain))
    };
    Discovery { domain: start, steps, org_domain, org_rule, policy, existence_lookup, existence, failed_at }
}

/// RFC 9989 §3.2.13 (RFC 8020): "if the response code received for a query
/// for a domain name is NXDOMAIN, then the domain name and any possible
/// subdomains do not exist"; Appendix A.4: "if any RR exists for a domain,
/// then the domain exists" (NODATA).
fn existence(mx: Option<&Lookup>, own: Option<&WalkStep>) -> Existence {
    // _dmarc.<domain> answering anything but NXDOMAIN means a name below the domain exists, so it does too.
    if own.is_some_and(|s| matches!(s.lookup.outcome, Outcome::Records(_) | Outcome::NoData(_))) {
        return Existence::Exists;
    }
    match mx.map(|l| &l.outcome) {
        Some(Outcome::Records(_) | Outcome::NoData(_)) => Existence::Exists,
        Some(Outcome::NxDomain) => Existence::DoesNotExist,
        Some(Outcome::Failed(_)) | None => Existence::Unknown,
    }
}

fn organizational_domain(start: &str, steps: &[WalkStep]) -> (String, OrgRule) {
    let mut last = None;
    for (i, step) in steps.iter().enumerate() {
        if !step.has_record() {
            continue;
        }
        last = Some(step);
        match step.psd() {
            Some(Psd::No) => return (step.domain.clone(), OrgRule::PsdNo),
            Some(Psd::Yes) if i != 0 => {
                let below = step.domain.split('.').count() + 1;
                let labels: Vec<&str> = start.split('.').collect();
                let org = labels[labels.len().saturating_sub(below)..].join(".");
                return (org, OrgRule::PsdYes { public_suffix_domain: step.domain.clone() });
            }
            _ => {}
        }
    }
    match last {
        Some(step) => (step.domain.clone(), OrgRule::FewestLabels),
        None => (start.to_string(), OrgRule::NoRecords),
    }
}

fn classify(domain: String, lookup: Lookup) -> WalkStep {
    let found_texts = lookup.joined_txt();
    let mut dmarc = Vec::new();
    let mut lookalikes = Vec::new();
    for text in found_texts {
        match version_match(&text) {
            VersionMatch::Exact => dmarc.push(text),
            // §4.7: "If the tag is not the first in the list [...] the entire record MUST be ignored."
            VersionMatch::AfterWhitespace | VersionMatch::WrongCase => lookalikes.push(text),
            // "v=DMARC1 p=none", "v=DMARC1\u{a0};": meant as DMARC, ignored by receivers.
            VersionMatch::No if meant_as_dmarc(&text) => lookalikes.push(text),
            VersionMatch::No => {}
        }
    }
    let found = if matches!(lookup.outcome, Outcome::Failed(_)) {
        StepFound::Failed
    } else if dmarc.len() > 1 {
        StepFound::Multiple(dmarc)
    } else if let Some(text) = dmarc.pop() {
        let parsed = parse_dmarc(&text);
        StepFound::One { text, parsed }
    } else {
        StepFound::Nothing
    };
    WalkStep { domain, lookup, found, lookalikes }
}

/// Starts (after any whitespace) with "v=DMARC1" in any case: a record someone meant as DMARC.
fn meant_as_dmarc(text: &str) -> bool {
    text.trim_start().get(..8).is_some_and(|head| head.eq_ignore_ascii_case("v=dmarc1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_names_follow_the_rfc_example() {
        // RFC 9989 §4.10's example: 13 labels → 8 queries.
        assert_eq!(
            walk_names("a.b.c.d.e.f.g.h.i.j.mail.example.com"),
            [
                "a.b.c.d.e.f.g.h.i.j.mail.example.com",
                "g.h.i.j.mail.example.com",
                "h.i.j.mail.example.com",
                "i.j.mail.example.com",
                "j.mail.example.com",
                "mail.example.com",
                "example.com",
                "com"
            ]
        );
        assert_eq!(walk_names("mail.example.com."), ["mail.example.com", "example.com", "com"]);
        assert_eq!(walk_names("com"), ["com"]);
        assert!(walk_names("").is_empty());
        // Exactly 8 labels: dropping one label and "shorten to 7" agree.
        assert_eq!(walk_names("a.b.c.d.e.f.g.h").len(), 8);
        for n in 1..20 {
            let name = vec!["x"; n].join(".");
            assert!(walk_names(&name).len() <= MAX_WALK_QUERIES, "{n} labels");
        }
    }
}
