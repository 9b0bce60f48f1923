//! DMARC records: a corrected record from the current one and the check's
//! findings ([`fix_dmarc`]), and a builder for the staged rollout
//! none → quarantine → reject ([`DmarcBuilder`], [`rollout`]).
//!
//! Tags follow RFC 9989 (DMARCbis): `pct`, `rf` and `ri` are gone, `t=y`
//! replaces a partial `pct`, and `np` covers non-existent subdomains.

use super::overlay::WithTxt;
use super::{registrar, split_strings, Change, RegistrarRecord};
use crate::dmarc::check_dmarc;
use crate::dmarc::discovery::StepFound;
use crate::dmarc::record::{parse_dmarc, DmarcErrorKind};
use crate::dmarc::{Alignment, DmarcRecord, DmarcReport, FailureOption, Policy, ReportUri};
use crate::dns::{RecordType, Resolver};
use crate::input::IdnaMapper;

/// The three steps of a DMARC rollout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Stage {
    /// `p=none` with reports: see who sends as you, change nothing.
    Monitor,
    /// `p=quarantine`: failing mail goes to spam.
    Quarantine,
    /// `p=reject`: failing mail is refused.
    Reject,
}

impl Stage {
    pub fn policy(self) -> Policy {
        match self {
            Stage::Monitor => Policy::None,
            Stage::Quarantine => Policy::Quarantine,
            Stage::Reject => Policy::Reject,
        }
    }

    /// When to move to this stage.
    pub fn advice(self) -> &'static str {
        match self {
            Stage::Monitor => "Start here. Read the aggregate reports for two to four weeks and make every sender for your domain pass SPF or DKIM with your domain.",
            Stage::Quarantine => "When the reports show all your legitimate mail passing DMARC. Watch a few weeks; for a softer step, t=y first applies it as a test.",
            Stage::Reject => "When quarantine has run without legitimate mail landing in spam. The goal: forged mail in your name is refused.",
        }
    }
}

/// Builds a DMARC record from choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DmarcBuilder {
    pub policy: Policy,
    /// Existing subdomains (`sp`); `None` means the same as `policy`.
    pub sp: Option<Policy>,
    /// Non-existent subdomains (`np`); `None` means the same as `sp`.
    pub np: Option<Policy>,
    pub adkim: Alignment,
    pub aspf: Alignment,
    /// Aggregate report addresses (`user@example.com` or `mailto:user@example.com`).
    pub rua: Vec<String>,
    /// Failure report addresses.
    pub ruf: Vec<String>,
    pub fo: Vec<FailureOption>,
    /// `t=y`: apply the policy as a test (one step milder).
    pub testing: bool,
}

/// The builder's result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DmarcBuild {
    pub record: DmarcRecord,
    pub text: String,
    pub notes: Vec<String>,
    pub registrar: RegistrarRecord,
}

impl DmarcBuilder {
    pub fn new(policy: Policy) -> DmarcBuilder {
        DmarcBuilder {
            policy,
            sp: None,
            np: None,
            adkim: Alignment::Relaxed,
            aspf: Alignment::Relaxed,
            rua: Vec::new(),
            ruf: Vec::new(),
            fo: Vec::new(),
            testing: false,
        }
    }

    /// A record for one rollout stage, with aggregate reports to `rua`.
    pub fn stage(stage: Stage, rua: &str) -> DmarcBuilder {
        DmarcBuilder::new(stage.policy()).rua(rua)
    }

    pub fn sp(mut self, p: Policy) -> DmarcBuilder {
        self.sp = Some(p);
        self
    }

    pub fn np(mut self, p: Policy) -> DmarcBuilder {
        self.np = Some(p);
        self
    }

    pub fn adkim(mut self, a: Alignment) -> DmarcBuilder {
        self.adkim = a;
        self
    }

    pub fn aspf(mut self, a: Alignment) -> DmarcBuilder {
        self.aspf = a;
        self
    }

    pub fn rua(mut self, address: &str) -> DmarcBuilder {
        self.rua.push(address.to_string());
        self
    }

    pub fn ruf(mut self, address: &str) -> DmarcBuilder {
        self.ruf.push(address.to_string());
        self
    }

    pub fn fo(mut self, fo: Vec<FailureOption>) -> DmarcBuilder {
        self.fo = fo;
        self
    }

    pub fn testing(mut self, on: bool) -> DmarcBuilder {
        self.testing = on;
        self
    }

    /// The record for `domain`, with notes about what the choices mean;
    /// `idna` maps report addresses whose domain is written in Unicode.
    pub fn build(&self, domain: &str, idna: &dyn IdnaMapper) -> DmarcBuild {
        let domain = crate::dns::normalize_name(domain);
        let mut notes = Vec::new();
        let mut record = DmarcRecord::new(self.policy);
        record.sp = self.sp.filter(|sp| *sp != self.policy);
        record.np = self.np.filter(|np| Some(*np) != record.sp.or(Some(self.policy)));
        if self.adkim == Alignment::Strict {
            record.adkim = Some(Alignment::Strict);
        }
        if self.aspf == Alignment::Strict {
            record.aspf = Some(Alignment::Strict);
        }
        for (list, out, ruf) in [(&self.rua, &mut record.rua, false), (&self.ruf, &mut record.ruf, true)] {
            for address in list {
                match mailto(address, idna) {
                    Some(uri) if !out.contains(&uri) => {
                        if let Some(note) = external_note(&domain, &uri, ruf) {
                            notes.push(note);
                        }
                        out.push(uri);
                    }
                    Some(_) => {}
                    None => notes
                        .push(format!("\"{address}\" is not a mail address we can put in a DMARC record; left out.")),
                }
            }
        }
        if !self.ruf.is_empty() && !record.ruf.is_empty() {
            record.fo = dedupe(&self.fo);
            notes.push("Few receivers send failure reports (ruf); those may include message content: make sure you may receive it.".into());
        }
        if self.testing && self.policy != Policy::None {
            record.t = Some(true);
        }
        if record.rua.is_empty() {
            notes.push(
                "Without rua you get no reports and can't see who sends as your domain; add a report address.".into(),
            );
        }
        if self.policy == Policy::None {
            notes.push(Stage::Monitor.advice().to_string());
        }
        if self.adkim == Alignment::Strict || self.aspf == Alignment::Strict {
            notes.push("Strict alignment needs the exact same domain (no subdomain) in DKIM/SPF and From; relaxed suits most domains.".into());
        }
        let text = record.to_string();
        let registrar = registrar(RecordType::Txt, "_dmarc", &domain, &text, 3600);
        DmarcBuild { record, text, notes, registrar }
    }
}

/// Each option once; `0` and `1` are mutually exclusive (RFC 9989 §4.7, the fo tag), and
/// `1` (a report when any check fails) covers `0` (when all fail): keep `1`.
fn dedupe(fo: &[FailureOption]) -> Vec<FailureOption> {
    let any = fo.contains(&FailureOption::AnyFail);
    let mut out: Vec<FailureOption> = Vec::new();
    for f in fo {
        let covered = any && *f == FailureOption::AllFail;
        if !covered && !out.contains(f) {
            out.push(*f);
        }
    }
    out
}

/// `user@example.com` / `mailto:user@example.com` → a `mailto:` URI, if it is
/// a plain address that needs no escaping in a DMARC record (no `,`, `;`, `!`).
pub fn mailto(address: &str, idna: &dyn IdnaMapper) -> Option<ReportUri> {
    let a = address.trim();
    let a = a.strip_prefix("mailto:").or_else(|| a.strip_prefix("MAILTO:")).unwrap_or(a);
    let (local, domain) = a.rsplit_once('@')?;
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"._%+-=".contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.');
    let domain = crate::input::parse_domain(domain, idna).ok()?;
    if !local_ok || domain.notes.iter().any(|n| n.contains("URL") || n.contains("email")) {
        return None;
    }
    Some(ReportUri::mailto(&format!("{local}@{}", domain.ascii)))
}

/// Reports to another domain need that domain's consent record: RFC 9990 §4
/// for aggregate (`rua`) and RFC 9991 for failure (`ruf`) reports, which
/// replaced RFC 7489 §7.1 (https://datatracker.ietf.org/doc/html/rfc9990,
/// https://datatracker.ietf.org/doc/html/rfc9991, May 2026; checked 2026-12-05).
fn external_note(domain: &str, uri: &ReportUri, ruf: bool) -> Option<String> {
    let to = uri.mailto_domain()?;
    let org = |d: &str| crate::suffix::registrable_domain(d).unwrap_or_else(|| d.to_string());
    if org(&to) == org(domain) {
        return None;
    }
    let rfc = if ruf { "RFC 9991" } else { "RFC 9990 §4" };
    Some(format!(
        "Reports go to another domain ({to}), which must publish TXT \"v=DMARC1\" at {domain}._report._dmarc.{to} or receivers won't send them ({rfc}). Report services set this up for you."
    ))
}

/// A domain that takes no mail (null MX, RFC 7505, or no mail server at
/// all) cannot receive DMARC reports at a mailbox of its own.
const NO_MAILBOX: &str = "accepts no mail (a null MX, RFC 7505, or no mail server), so no mailbox there can receive DMARC reports. In rua=, put a DMARC report service's address or a mailbox in another domain you control (which must then authorise it, RFC 9990 §4).";

/// One step of the staged rollout.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RolloutStep {
    pub stage: Stage,
    pub text: String,
    pub when: &'static str,
    pub registrar: RegistrarRecord,
}

/// The three records of a rollout, all reporting to `rua`.
pub fn rollout(domain: &str, rua: &str, idna: &dyn IdnaMapper) -> Vec<RolloutStep> {
    // A loop, not a map chain collected: smaller in the wasm.
    let mut out = Vec::with_capacity(3);
    for stage in [Stage::Monitor, Stage::Quarantine, Stage::Reject] {
        let build = DmarcBuilder::stage(stage, rua).build(domain, idna);
        out.push(RolloutStep { stage, text: build.text, when: stage.advice(), registrar: build.registrar });
    }
    out
}

/// What [`fix_dmarc`] reads.
#[derive(Debug, Clone, Copy)]
pub struct DmarcFixInput<'a> {
    pub domain: &'a str,
    pub report: &'a DmarcReport,
    /// Where aggregate reports should go, if the person said; otherwise `dmarc-reports@<domain>`.
    pub rua: Option<&'a str>,
    /// Maps report addresses whose domain is written in Unicode.
    pub idna: &'a dyn IdnaMapper,
    /// The domain can receive mail: `false` with a null MX or no MX and no
    /// address, and then no report mailbox is suggested at it.
    pub takes_mail: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DmarcFix {
    pub record: DmarcRecord,
    pub text: String,
    pub changes: Vec<Change>,
    pub warnings: Vec<String>,
    pub registrar: RegistrarRecord,
}

fn change(what: impl Into<String>, why: impl Into<String>) -> Change {
    Change { what: what.into(), why: why.into() }
}

/// Text-level repairs before parsing: stored quotes, leading space, the
/// version's case, a missing `;` after the version.
fn repair_text(raw: &str, changes: &mut Vec<Change>) -> String {
    let mut text = raw.trim().to_string();
    if text.contains('"') {
        text = text.replace("\" \"", "").replace('"', "");
        changes.push(change(
            "Removed quotation marks stored inside the record",
            "The registrar stored the quotes in the text, so receivers do not see v=DMARC1 first.",
        ));
    }
    if text.len() != raw.len() && raw.starts_with(char::is_whitespace) {
        changes
            .push(change("Removed the space before v=DMARC1", "The record must start with v=DMARC1 (RFC 9989 §4.7)."));
    }
    if text.len() >= 8 && text.is_char_boundary(8) {
        let (head, tail) = text.split_at(8);
        if head.eq_ignore_ascii_case("v=dmarc1") && head != "v=DMARC1" {
            changes.push(change(
                format!("Wrote \"{head}\" as \"v=DMARC1\""),
                "The version must be exactly v=DMARC1, in capitals; receivers ignore anything else.",
            ));
            text = format!("v=DMARC1{tail}");
        }
    }
    if let Some(rest) = text.strip_prefix("v=DMARC1") {
        if !rest.trim_start().is_empty() && !rest.trim_start().starts_with(';') {
            changes.push(change(
                "Added the \";\" after v=DMARC1",
                "Tags are separated by semicolons; without it receivers cannot read the record.",
            ));
            text = format!("v=DMARC1; {}", rest.trim_start());
        }
    }
    text
}

/// The record text(s) to start from, per what discovery found at `_dmarc.<domain>`.
fn source_texts(report: &DmarcReport, changes: &mut Vec<Change>) -> Vec<String> {
    let own = report.discovery.steps.first();
    match own.map(|s| &s.found) {
        Some(StepFound::One { text, .. }) => vec![text.clone()],
        Some(StepFound::Multiple(texts)) => {
            changes.push(change(
                format!("Merged {} DMARC records into one", texts.len()),
                "With several DMARC records at a name, receivers discard them all (RFC 9989 §4.10).",
            ));
            texts.clone()
        }
        _ => {
            let lookalikes = own.map(|s| s.lookalikes.clone()).unwrap_or_default();
            if !lookalikes.is_empty() {
                return lookalikes;
            }
            // Inherited from the organizational domain: start from that policy.
            match (&report.record_text, &report.found_at) {
                (Some(text), Some(at)) => {
                    changes.push(change(
                        format!("Started from the record of {at}"),
                        format!("{} has no DMARC record of its own and inherits {at}'s; publishing this one makes it explicit.", report.domain),
                    ));
                    vec![text.clone()]
                }
                _ => Vec::new(),
            }
        }
    }
}

/// Builds the corrected record.
pub fn fix_dmarc(input: &DmarcFixInput) -> DmarcFix {
    let domain = crate::dns::normalize_name(input.domain);
    let mut changes = Vec::new();
    let mut warnings = Vec::new();
    let texts = source_texts(input.report, &mut changes);
    let record = merge_records(&texts, input, &mut changes);
    let mut record = record.unwrap_or_default();
    if texts.is_empty() {
        changes.push(change(
            "Created a DMARC record with p=none",
            "There was none: start by monitoring (RFC 9989 §4.7), then tighten with the rollout steps.",
        ));
    }

    drop_obsolete(&mut record, &mut changes);
    if record.p.is_none() {
        record.p = Some(Policy::None);
        if !texts.is_empty() {
            changes.push(change("Added p=none", "The record had no valid p= tag, so receivers apply no policy or treat it as none (RFC 9989 §4.10.1). Move to quarantine and reject with the rollout steps."));
        }
    }
    if record.rua.is_empty() && input.rua.is_none() && !input.takes_mail {
        warnings.push(format!("No rua= was added: {domain} {NO_MAILBOX}"));
    } else if record.rua.is_empty() {
        let address = input.rua.map(str::to_string).unwrap_or_else(|| format!("dmarc-reports@{domain}"));
        match mailto(&address, input.idna) {
            Some(uri) => {
                changes.push(change(format!("Added rua={uri}"), "Aggregate reports show who sends as your domain and whether it passes; without them, moving to quarantine or reject is unsafe."));
                if input.rua.is_none() {
                    warnings.push(format!(
                        "Create the mailbox {address} (or use your DMARC report service's address) before publishing."
                    ));
                }
                record.rua.push(uri);
            }
            None => warnings.push(format!("\"{address}\" is not a usable report address; add a rua= address.")),
        }
    }
    if !record.ruf.is_empty() && record.fo.is_empty() {
        // fo only matters with ruf; leave the default.
    } else if record.ruf.is_empty() && !record.fo.is_empty() {
        record.fo.clear();
        changes.push(change("Removed fo", "fo only controls failure reports, and the record asks for none (no ruf)."));
    }
    let rua = record.rua.iter().map(|u| (u, false));
    for (uri, ruf) in rua.chain(record.ruf.iter().map(|u| (u, true))) {
        if let Some(note) = external_note(&domain, uri, ruf) {
            warnings.push(note);
        }
        if !input.takes_mail && uri.mailto_domain().is_some_and(|d| d.eq_ignore_ascii_case(&domain)) {
            warnings.push(format!("{uri} is at {domain}, which {NO_MAILBOX}"));
        }
    }
    if record.p == Some(Policy::None) {
        warnings.push("p=none only monitors: nothing is protected until you move to quarantine, then reject (see the rollout steps).".into());
    }
    let text = record.to_string();
    let registrar = registrar(RecordType::Txt, "_dmarc", &domain, &text, 3600);
    DmarcFix { record, text, changes, warnings, registrar }
}

/// The published records, each repaired where it can be (report addresses
/// without mailto:, repeated or broken tags), merged into one: the first
/// record's policy, every record's report addresses.
fn merge_records(texts: &[String], input: &DmarcFixInput, changes: &mut Vec<Change>) -> Option<DmarcRecord> {
    let mut record: Option<DmarcRecord> = None;
    for raw in texts {
        let text = repair_text(raw, changes);
        let parsed = parse_dmarc(&text);
        let Some(mut r) = parsed.record else { continue };
        for p in &parsed.problems {
            let tag = p.tag.as_deref().unwrap_or("");
            let value = text.get(p.span.clone()).unwrap_or("").to_string();
            match p.kind {
                DmarcErrorKind::NotAUri => {
                    let bare = value.split('=').nth(1).unwrap_or(&value);
                    let list = if tag == "ruf" { &mut r.ruf } else { &mut r.rua };
                    for uri in bare.split(',').filter_map(|a| mailto(a, input.idna)) {
                        if !list.contains(&uri) {
                            changes.push(change(
                                format!("Wrote {tag} address as {uri}"),
                                "Report addresses are URIs: they need the mailto: prefix (RFC 9989 §4.7).",
                            ));
                            list.push(uri);
                        }
                    }
                }
                DmarcErrorKind::DuplicateTag => {
                    changes.push(change(format!("Removed the repeated \"{value}\""), p.message.clone()))
                }
                DmarcErrorKind::InvalidValue | DmarcErrorKind::EmptyValue | DmarcErrorKind::MalformedTag => {
                    changes.push(change(format!("Removed \"{value}\""), p.message.clone()));
                }
                _ => {}
            }
        }
        record = match record {
            None => Some(r),
            Some(mut first) => {
                // Keep the first record's policy; gather every report address.
                for uri in r.rua {
                    if !first.rua.contains(&uri) {
                        first.rua.push(uri);
                    }
                }
                Some(first)
            }
        };
    }
    record
}

/// What RFC 9989 removed (pct, rf, ri, the !size suffix), tags DMARC does not
/// define, and report addresses receivers need not support, each said as a change.
fn drop_obsolete(record: &mut DmarcRecord, changes: &mut Vec<Change>) {
    // RFC 9989 removed pct, rf and ri; a partial pct becomes t=y.
    if let Some(pct) = record.pct.take() {
        if pct < 100 && matches!(record.p, Some(Policy::Quarantine | Policy::Reject)) {
            record.t = Some(true);
            changes.push(change(
                format!("Replaced pct={pct} by t=y"),
                "pct was removed by RFC 9989; t=y replaces it for applying a policy as a test.",
            ));
        } else {
            changes.push(change(format!("Removed pct={pct}"), "pct was removed by RFC 9989; receivers ignore it."));
        }
    }
    if let Some(rf) = record.rf.take() {
        changes.push(change(format!("Removed rf={rf}"), "rf was removed by RFC 9989."));
    }
    if let Some(ri) = record.ri.take() {
        changes.push(change(format!("Removed ri={ri}"), "ri was removed by RFC 9989; receivers send reports daily."));
    }
    for (name, value) in std::mem::take(&mut record.unknown) {
        changes.push(change(
            format!("Removed unknown tag {name}={value}"),
            "DMARC does not define it; receivers ignore it (often a typo).",
        ));
    }
    for list_name in ["rua", "ruf"] {
        let list = if list_name == "rua" { &mut record.rua } else { &mut record.ruf };
        let before = list.len();
        list.retain(|u| u.is_mailto());
        if list.len() < before {
            changes.push(change(
                format!("Removed non-mailto {list_name} addresses"),
                "Receivers are only required to support mailto: (RFC 9989 §4.7).",
            ));
        }
        for uri in list.iter_mut() {
            if uri.size_limit.take().is_some() {
                changes.push(change(
                    format!("Removed the size limit from {}", uri.uri),
                    "The !size suffix is obsolete; receivers ignore it (RFC 9989).",
                ));
            }
        }
    }
}

/// Runs the DMARC check over `text` as if it were published at
/// `_dmarc.<domain>`, with the rest of DNS as the resolver sees it.
pub async fn preview_dmarc<R: Resolver>(resolver: &R, domain: &str, text: &str) -> DmarcReport {
    let name = format!("_dmarc.{}", crate::dns::normalize_name(domain));
    let strings: Vec<Vec<u8>> = split_strings(text).into_iter().map(String::into_bytes).collect();
    check_dmarc(&WithTxt::new(resolver, &name, strings), domain).await
}
