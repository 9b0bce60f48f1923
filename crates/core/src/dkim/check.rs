//! The DKIM DNS check: probe every candidate selector at once, read what
//! answers, and say what a receiver would make of each key.
//!
//! One round: all selectors plus one wildcard probe go out together (see
//! [`super::selectors`]). A lookup that fails is "couldn't ask" for that
//! selector only, never "no key". When nothing is found, the report says
//! "no key among the N selectors probed", never "no DKIM": selectors cannot
//! be enumerated, and some providers generate them.

use super::key::{key_info, KeyAlgorithm, KeyInfo};
use super::record::{DkimKeyRecord, KeyType};
use super::selectors::{key_name, provider_of_target, selectors_to_probe, wildcard_probe, SelectorSource, UNGUESSABLE};
use super::tags::tag_value_span;
use crate::dkim::DkimCode;
use crate::dns::{normalize_name, Lookup, Outcome, Resolver};
use crate::finding::{Finding, Severity};
use crate::join::join_all;

/// More CNAMEs than this in one chain is reported (resolvers give up around 8–16).
const MAX_CNAME_CHAIN: usize = 8;

/// What the DKIM check found for one domain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DkimReport {
    pub domain: String,
    /// The selectors probed, in order (the wildcard probe not included).
    pub probed: Vec<String>,
    pub selectors: Vec<SelectorResult>,
    /// The improbable selector asked to detect a wildcard, and whether it answered.
    pub wildcard_probe: String,
    pub wildcard: bool,
    pub findings: Vec<Finding>,
    /// Every lookup made, in the order asked (the wildcard probe last).
    pub lookups: Vec<Lookup>,
}

impl DkimReport {
    /// The selectors where a key record (valid or not) was published.
    pub fn found(&self) -> impl Iterator<Item = &SelectorResult> {
        self.selectors.iter().filter(|s| s.state == SelectorState::Found)
    }
}

/// What one selector's lookup showed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum SelectorState {
    /// A TXT record is published there.
    Found,
    /// NXDOMAIN or no TXT.
    NotFound,
    /// The lookup failed (SERVFAIL, timeout, transport): unknown, not missing.
    CouldNotAsk(String),
    /// Only the `_domainkey` wildcard's answer: not a key of this selector.
    Wildcard,
}

/// One probed selector.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SelectorResult {
    pub selector: String,
    /// `<selector>._domainkey.<domain>`.
    pub name: String,
    pub source: SelectorSource,
    /// The provider, from the CNAME target if it names one, else from the catalogue.
    pub provider: Option<&'static str>,
    pub state: SelectorState,
    /// CNAME targets followed, in order.
    pub cname_chain: Vec<String>,
    /// The TXT records found, each with its strings joined (RFC 6376 §3.6.2.2).
    pub records: Vec<String>,
    /// The first record that parses as a DKIM key.
    pub key: Option<DkimKeyRecord>,
    /// Its algorithm and size, when the key data could be read.
    pub key_info: Option<KeyInfo>,
}

/// Probes `given_selectors` and the catalogue under `domain` in one round.
pub async fn check_dkim<R: Resolver>(resolver: &R, domain: &str, given_selectors: &[String]) -> DkimReport {
    let domain = normalize_name(domain);
    let mut findings = given_findings(given_selectors);
    let to_probe = selectors_to_probe(given_selectors);
    let probe = wildcard_probe(&domain);
    // A loop, not a map/chain/collect: smaller in the wasm.
    let mut names: Vec<String> = Vec::with_capacity(to_probe.len() + 1);
    for (s, _) in &to_probe {
        names.push(key_name(s, &domain));
    }
    names.push(key_name(&probe, &domain));
    let mut lookups: Vec<Lookup> =
        join_all(names.iter().map(|n| resolver.lookup(n, crate::dns::RecordType::Txt))).await;
    let wildcard_lookup = lookups.pop();
    let wildcard_texts = wildcard_lookup.as_ref().map(Lookup::joined_txt).unwrap_or_default();
    let wildcard = !wildcard_texts.is_empty();

    let mut selectors = Vec::with_capacity(to_probe.len());
    let mut probed = Vec::with_capacity(to_probe.len());
    for ((selector, source), lookup) in to_probe.into_iter().zip(&lookups) {
        let result = classify(selector, source, lookup, &wildcard_texts);
        findings.extend(selector_findings(&result, lookup));
        probed.push(result.selector.clone());
        selectors.push(result);
    }
    lookups.extend(wildcard_lookup);
    let mut report = DkimReport { domain, probed, selectors, wildcard_probe: probe, wildcard, findings, lookups };
    let summary = summary_findings(&report);
    report.findings.extend(summary);
    report
}

/// A `dkim.bad-selector` for each given selector that cannot be a DNS name,
/// and a note when more were given than one round probes.
fn given_findings(given: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut valid = 0;
    for g in given {
        match super::selectors::normalize_selector(g) {
            Ok(_) => valid += 1,
            Err(why) => out.push(
                Finding::new(
                    DkimCode::BadSelector,
                    Severity::Warning,
                    format!("The selector you gave was not probed: {why}."),
                )
                .rfc(6376, "3.1")
                .hint("A selector is the s= value of a DKIM-Signature header, e.g. \"google\" or \"s1\"."),
            ),
        }
    }
    if valid > super::selectors::MAX_GIVEN {
        out.push(Finding::new(
            DkimCode::TooManySelectors,
            Severity::Info,
            format!("Only the first {} selectors you gave were probed.", super::selectors::MAX_GIVEN),
        ));
    }
    out
}

/// Reads one selector's lookup into a result.
fn classify(selector: String, source: SelectorSource, lookup: &Lookup, wildcard_texts: &[String]) -> SelectorResult {
    // A loop, not a map chain collected: smaller in the wasm.
    let mut cname_chain: Vec<String> = Vec::new();
    for name in lookup.cname_chain() {
        cname_chain.push(normalize_name(name));
    }
    let records = lookup.joined_txt();
    let catalogue = match source {
        SelectorSource::Provider(p) => Some(p),
        _ => None,
    };
    let provider = cname_chain.iter().find_map(|t| provider_of_target(t)).or(catalogue);
    let state = match &lookup.outcome {
        Outcome::Failed(why) => SelectorState::CouldNotAsk(why.to_string()),
        _ if records.is_empty() => SelectorState::NotFound,
        // An explicit record beats the wildcard (RFC 4592 §2.2.1); only the
        // wildcard's own answer, reached without a CNAME, is not this selector's.
        _ if cname_chain.is_empty() && !wildcard_texts.is_empty() && records == wildcard_texts => {
            SelectorState::Wildcard
        }
        _ => SelectorState::Found,
    };
    let (key, key_info) = if state == SelectorState::Found {
        match records.iter().find_map(|t| t.parse::<DkimKeyRecord>().ok()) {
            Some(k) => {
                let info = k.key_bytes().and_then(|b: Vec<u8>| key_info(&k.key_type(), &b).ok());
                (Some(k), info)
            }
            None => (None, None),
        }
    } else {
        (None, None)
    };
    let name = lookup.name.clone();
    SelectorResult { selector, name, source, provider, state, cname_chain, records, key, key_info }
}

/// Findings about one found selector: ambiguity, syntax, and what its key says.
fn selector_findings(result: &SelectorResult, lookup: &Lookup) -> Vec<Finding> {
    let mut out = Vec::new();
    if result.state != SelectorState::Found {
        if result.state == SelectorState::NotFound && !result.cname_chain.is_empty() {
            let target = result.cname_chain.last().map(String::as_str).unwrap_or("");
            out.push(
                Finding::new(DkimCode::CnameNoKey,
                    Severity::Warning,
                    format!(
                        "{} is a CNAME to {target}, which publishes no DKIM key: mail signed with selector \"{}\" fails verification.",
                        result.name, result.selector
                    ),
                )
                .rfc(6376, "3.6.2.1")
                .hint("Finish the DKIM setup (e.g. enable signing) at the provider the CNAME points to, or remove the CNAME.")
                .evidence(lookup),
            );
        }
        return out;
    }
    let sel = &result.selector;
    if let Some(f) = cname_finding(result, lookup) {
        out.push(f);
    }
    if result.records.len() > 1 {
        out.push(
            Finding::new(DkimCode::Ambiguous,
                Severity::Error,
                format!(
                    "Selector \"{sel}\" has {} TXT records, not exactly one: the result is undefined and verifiers may pick the wrong one.",
                    result.records.len()
                ),
            )
            .rfc(6376, "3.6.2.2")
            .hint(format!("Keep one TXT record at {}.", result.name))
            .evidence(lookup),
        );
    }
    let Some(text) = result.records.first() else { return out };
    match (&result.key, text.parse::<DkimKeyRecord>()) {
        (Some(key), _) => {
            let text =
                result.records.iter().find(|t| t.parse::<DkimKeyRecord>().ok().as_ref() == Some(key)).unwrap_or(text);
            out.extend(key_findings(result, key, text, lookup));
        }
        (None, Err(e)) => {
            let end = (e.offset + 1).min(text.len());
            let start = e.offset.min(end);
            let span =
                if text.is_char_boundary(start) && text.is_char_boundary(end) { start..end } else { start..start };
            out.push(
                Finding::new(
                    DkimCode::BadRecord,
                    Severity::Error,
                    format!("The DKIM record of selector \"{sel}\" cannot be read, so verifiers ignore it: {e}"),
                )
                .rfc(6376, "3.6.1")
                .span_in(text, span)
                .evidence(lookup),
            );
        }
        (None, Ok(_)) => {}
    }
    out
}

/// A CNAME chain that loops or runs too long.
fn cname_finding(result: &SelectorResult, lookup: &Lookup) -> Option<Finding> {
    // A chain is cut at a few names, so a list does (no hash set's code in the wasm).
    let chain = &result.cname_chain;
    let start = normalize_name(&result.name);
    let looped = chain.iter().enumerate().any(|(i, t)| *t == start || chain[..i].contains(t));
    if !looped && result.cname_chain.len() <= MAX_CNAME_CHAIN {
        return None;
    }
    Some(
        Finding::new(
            DkimCode::CnameChain,
            Severity::Warning,
            format!(
                "Selector \"{}\" is reached through a CNAME chain that {} ({}); some verifiers give up on it.",
                result.selector,
                if looped { "loops" } else { "is very long" },
                result.cname_chain.join(" → ")
            ),
        )
        .evidence(lookup),
    )
}

/// What a parsed key record means to a receiver (RFC 6376 §3.6.1, RFC 8301, RFC 8463).
fn key_findings(result: &SelectorResult, key: &DkimKeyRecord, text: &str, lookup: &Lookup) -> Vec<Finding> {
    let sel = &result.selector;
    let mut out = Vec::new();
    let span = |tag: &str| tag_value_span(text, tag).unwrap_or(0..0);
    let f = |code, severity, message: String| Finding::new(code, severity, message);
    if key.is_testing() {
        out.push(
            f(DkimCode::Testing, Severity::Warning, format!("Selector \"{sel}\" is in testing mode (t=y): receivers treat its signed mail as unsigned, even with a good signature."))
                .rfc(6376, "3.6.1")
                .hint("Remove y from the t= tag once signing works.")
                .span_in(text, span("t"))
                .evidence(lookup),
        );
    }
    if key.is_strict_subdomain() {
        out.push(
            f(
                DkimCode::NoSubdomains,
                Severity::Info,
                format!(
                    "Selector \"{sel}\" has t=s: signatures must use exactly the d= domain in i=, not a subdomain."
                ),
            )
            .rfc(6376, "3.6.1")
            .span_in(text, span("t"))
            .evidence(lookup),
        );
    }
    if !key.allows_email() {
        out.push(
            f(
                DkimCode::NotForEmail,
                Severity::Error,
                format!(
                    "Selector \"{sel}\" is limited to services other than email (s={}), so it cannot verify mail.",
                    key.services.join(":")
                ),
            )
            .rfc(6376, "3.6.1")
            .hint("Remove the s= tag, or set s=email.")
            .span_in(text, span("s"))
            .evidence(lookup),
        );
    }
    if !key.allows_sha256() {
        let (code, message) = if key.hashes.iter().any(|h| h == "sha1") {
            (DkimCode::Sha1Only, format!("Selector \"{sel}\" allows only SHA-1 (h={}); receivers no longer accept rsa-sha1, so nothing signed with this key verifies.", key.hashes.join(":")))
        } else {
            (DkimCode::NoUsableHash, format!("Selector \"{sel}\" lists no hash algorithm receivers use (h={}), so nothing signed with this key verifies.", key.hashes.join(":")))
        };
        out.push(
            Finding::new(code, Severity::Error, message)
                .rfc(8301, "3.1")
                .hint("Remove the h= tag (or write h=sha256) and sign with rsa-sha256.")
                .span_in(text, span("h"))
                .evidence(lookup),
        );
    }
    if key.is_revoked() {
        out.push(
            f(DkimCode::Revoked, Severity::Warning, format!("Selector \"{sel}\" publishes an empty key (p=): it is revoked, and mail still signed with it fails DKIM."))
                .rfc(6376, "3.6.1")
                .hint("Fine if this selector is retired; otherwise publish the current public key, or sign with another selector.")
                .span_in(text, span("p"))
                .evidence(lookup),
        );
        return out;
    }
    out.extend(key_data_finding(result, key, text, lookup));
    out
}

/// The key data itself: unreadable, too short, 1024 bits, or fine.
fn key_data_finding(result: &SelectorResult, key: &DkimKeyRecord, text: &str, lookup: &Lookup) -> Option<Finding> {
    let sel = &result.selector;
    let p_span = tag_value_span(text, "p").unwrap_or(0..0);
    let bytes = key.key_bytes()?;
    let info = match key_info(&key.key_type(), &bytes) {
        Ok(info) => info,
        Err(e) => {
            // The DER offset back into the base64 text: 3 bytes per 4 characters (FWS aside).
            let in_text = (e.offset / 3 * 4).min(p_span.len());
            let start = p_span.start + in_text;
            let end = (start + 4).min(p_span.end);
            let code =
                if matches!(key.key_type(), KeyType::Other(_)) { DkimCode::UnknownKeyType } else { DkimCode::BadKey };
            let rfc = if key.key_type() == KeyType::Ed25519 { (8463, "4.2") } else { (6376, "3.6.1") };
            return Some(
                Finding::new(code, Severity::Error, format!("The key of selector \"{sel}\" is not usable, so its signatures cannot verify: {e}"))
                    .rfc(rfc.0, rfc.1)
                    .hint("Copy the public key again from your mail provider or signing software: the whole base64 text, nothing else.")
                    .span_in(text, if text.is_char_boundary(start) && text.is_char_boundary(end) { start..end } else { p_span })
                    .evidence(lookup),
            );
        }
    };
    let via = result.provider.map(|p| format!(" ({p})")).unwrap_or_default();
    let f = match info.algorithm {
        KeyAlgorithm::Ed25519 => Finding::new(DkimCode::KeyOk, Severity::Ok, format!("Selector \"{sel}\"{via} publishes an Ed25519 key."))
            .rfc(8463, "3"),
        KeyAlgorithm::Rsa if info.bits < 1024 => Finding::new(DkimCode::KeyTooShort,
            Severity::Error,
            format!("Selector \"{sel}\"{via} publishes a {}-bit RSA key; receivers must reject keys under 1024 bits, so DKIM fails.", info.bits),
        )
        .rfc(8301, "3.2")
        .hint("Generate a 2048-bit key, publish it under a new selector, and switch signing to it."),
        KeyAlgorithm::Rsa if info.bits < 2048 => Finding::new(DkimCode::Key1024,
            Severity::Warning,
            format!("Selector \"{sel}\"{via} publishes a {}-bit RSA key: the minimum Gmail and Yahoo accept, below the 2048 bits signers should use.", info.bits),
        )
        .rfc(8301, "3.2")
        .hint("Rotate to a 2048-bit key under a new selector (split the p= value into 255-character strings)."),
        KeyAlgorithm::Rsa => Finding::new(DkimCode::KeyOk, Severity::Ok, format!("Selector \"{sel}\"{via} publishes a {}-bit RSA key.", info.bits))
            .rfc(8301, "3.2"),
    };
    // A good key is not marked as the part to fix (the record is in the section's table).
    let f = if f.severity == Severity::Ok { f } else { f.span_in(text, p_span) };
    Some(f.evidence(lookup))
}

/// The report-wide findings: nothing found, lookups that failed, a wildcard, Ed25519 only.
fn summary_findings(report: &DkimReport) -> Vec<Finding> {
    let mut out = Vec::new();
    // One loop, not filter/map chains collected: smaller in the wasm.
    let mut failed: Vec<&SelectorResult> = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for s in &report.selectors {
        if matches!(s.state, SelectorState::CouldNotAsk(_)) {
            failed.push(s);
            names.push(&s.selector);
        }
    }
    if !failed.is_empty() {
        let mut f = Finding::new(
            DkimCode::LookupFailed,
            Severity::Warning,
            format!(
                "Could not look up {} of the selectors ({}); whether a key is published there is unknown. Try again.",
                failed.len(),
                names.join(", ")
            ),
        );
        for s in &failed {
            if let Some(l) = report.lookups.iter().find(|l| l.name == s.name) {
                f = f.evidence(l);
            }
        }
        out.push(f);
    }
    if report.wildcard {
        let mut f = Finding::new(
            DkimCode::Wildcard,
            Severity::Warning,
            format!(
                "_domainkey.{} answers every selector with the same TXT record (a wildcard), even the made-up \"{}\". \
                 Those answers are not counted as keys: a real selector needs its own record.",
                report.domain, report.wildcard_probe
            ),
        )
        .hint("Remove the wildcard TXT record under _domainkey; it makes any selector look published.");
        if let Some(l) = report.lookups.last() {
            f = f.evidence(l);
        }
        out.push(f);
    }
    let found: Vec<&SelectorResult> = report.found().collect();
    if found.is_empty() {
        out.push(no_key_found(report, failed.len()));
    } else if found.iter().all(|s| s.key_info.is_some_and(|k| k.algorithm == KeyAlgorithm::Ed25519)) {
        out.push(
            Finding::new(DkimCode::Ed25519Only,
                Severity::Warning,
                "Every DKIM key found is Ed25519, which many receivers do not verify yet; sign with an RSA key as well.",
            )
            .rfc(8463, "1"),
        );
    }
    out
}

/// "No key among the N selectors probed", honestly: not "no DKIM".
fn no_key_found(report: &DkimReport, failed: usize) -> Finding {
    let asked = report.probed.len() - failed;
    let unanswered = if failed > 0 { format!(" ({failed} more could not be asked)") } else { String::new() };
    Finding::new(DkimCode::NoKeyFound,
        Severity::Warning,
        format!(
            "No DKIM key found among the {asked} selectors probed{unanswered}: {}. There may still be DKIM: DNS cannot list selectors.",
            report.probed.join(", ")
        ),
    )
    .rfc(6376, "3.6.2.1")
    .hint(format!(
        "{} generate their selectors, which cannot be guessed. Enter the s= value from the DKIM-Signature header of a message you sent.",
        UNGUESSABLE.join(" and ")
    ))
}

/// The registry's contract (see `check`).
impl crate::check::CheckReport for DkimReport {
    fn findings(&self) -> &[Finding] {
        &self.findings
    }

    fn lookups(&self) -> Vec<Lookup> {
        self.lookups.clone()
    }

    /// Unknown when no key was found and every probe failed to be asked:
    /// then nothing is known about the keys.
    fn status(&self) -> crate::check::Status {
        let failed = |s: &SelectorResult| matches!(s.state, SelectorState::CouldNotAsk(_));
        let unknown = self.found().next().is_none() && !self.selectors.is_empty() && self.selectors.iter().all(failed);
        crate::check::Status::of(unknown, &self.findings)
    }
}
