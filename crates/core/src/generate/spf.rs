//! SPF records: a corrected record from the current one(s) and the check's
//! findings ([`fix_spf`]), a builder from a catalogue of senders
//! ([`SpfBuilder`], [`PROVIDERS`]), and a live preview that counts lookups
//! and evaluates the record against DNS before it is published
//! ([`preview_spf`]).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::overlay::WithTxt;
use super::{registrar, Change, RegistrarRecord};
use crate::dns::{Outcome, RData, RecordType, Resolver};
use crate::finding::Code;
use crate::finding::{Finding, Severity};
use crate::spf::SpfCode;
use crate::spf::{
    check_host, check_spf, Directive, DomainSpec, IncludeTree, Mechanism, Modifier, Qualifier, SpfRecord, SpfReport,
    SpfResult, Term, TermCost,
};

/// The limits of RFC 7208 §4.6.4, under the names the generators use; defined once in `spf::walk`.
pub use crate::spf::{MAX_DNS_TERMS as MAX_LOOKUPS, MAX_VOID_LOOKUPS as MAX_VOIDS};

/// A sending service and the include its documentation tells customers to publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SpfProvider {
    pub id: &'static str,
    pub name: &'static str,
    /// The domain for `include:`.
    pub include: &'static str,
}

// One const per provider: the page reaches the providers of the MX hints and
// of the hosted senders by name, and so does not ship the table of all of
// them, which only the builder reads (-328 gzip bytes, measured).
pub(crate) const GOOGLE: SpfProvider =
    SpfProvider { id: "google", name: "Google Workspace / Gmail", include: "_spf.google.com" };
pub(crate) const MICROSOFT365: SpfProvider =
    SpfProvider { id: "microsoft365", name: "Microsoft 365 / Exchange Online", include: "spf.protection.outlook.com" };
const AMAZONSES: SpfProvider = SpfProvider { id: "amazonses", name: "Amazon SES", include: "amazonses.com" };
const SENDGRID: SpfProvider = SpfProvider { id: "sendgrid", name: "SendGrid (Twilio)", include: "sendgrid.net" };
const MAILGUN: SpfProvider = SpfProvider { id: "mailgun", name: "Mailgun", include: "mailgun.org" };
const MAILCHIMP: SpfProvider = SpfProvider { id: "mailchimp", name: "Mailchimp", include: "servers.mcsv.net" };
const MANDRILL: SpfProvider =
    SpfProvider { id: "mandrill", name: "Mailchimp Transactional (Mandrill)", include: "spf.mandrillapp.com" };
const POSTMARK: SpfProvider = SpfProvider { id: "postmark", name: "Postmark", include: "spf.mtasv.net" };
const BREVO: SpfProvider = SpfProvider { id: "brevo", name: "Brevo (Sendinblue)", include: "spf.brevo.com" };
const ZOHO: SpfProvider = SpfProvider { id: "zoho", name: "Zoho Mail", include: "zohomail.com" };
const FASTMAIL: SpfProvider = SpfProvider { id: "fastmail", name: "Fastmail", include: "spf.messagingengine.com" };
const PROTON: SpfProvider = SpfProvider { id: "proton", name: "Proton Mail", include: "_spf.protonmail.ch" };
const MAILJET: SpfProvider = SpfProvider { id: "mailjet", name: "Mailjet", include: "spf.mailjet.com" };
const SPARKPOST: SpfProvider = SpfProvider { id: "sparkpost", name: "SparkPost", include: "sparkpostmail.com" };
const SALESFORCE: SpfProvider = SpfProvider { id: "salesforce", name: "Salesforce", include: "_spf.salesforce.com" };
const ZENDESK: SpfProvider = SpfProvider { id: "zendesk", name: "Zendesk", include: "mail.zendesk.com" };
const FRESHDESK: SpfProvider = SpfProvider { id: "freshdesk", name: "Freshdesk", include: "email.freshdesk.com" };
const GODADDY: SpfProvider =
    SpfProvider { id: "godaddy", name: "GoDaddy Workspace Email", include: "secureserver.net" };
const OVH: SpfProvider = SpfProvider { id: "ovh", name: "OVHcloud", include: "mx.ovh.com" };
const ICLOUD: SpfProvider = SpfProvider { id: "icloud", name: "iCloud Mail (custom domain)", include: "icloud.com" };

/// Common senders and their documented SPF includes.
pub const PROVIDERS: &[SpfProvider] = &[
    GOOGLE,
    MICROSOFT365,
    AMAZONSES,
    SENDGRID,
    MAILGUN,
    MAILCHIMP,
    MANDRILL,
    POSTMARK,
    BREVO,
    ZOHO,
    FASTMAIL,
    PROTON,
    MAILJET,
    SPARKPOST,
    SALESFORCE,
    ZENDESK,
    FRESHDESK,
    GODADDY,
    OVH,
    ICLOUD,
];

pub fn provider(id: &str) -> Option<&'static SpfProvider> {
    PROVIDERS.iter().find(|p| p.id == id)
}

/// What the builder notes about a provider's include, by id. Not a field of
/// [`PROVIDERS`]: the page reads that table (corrected records, hosted senders)
/// but never builds a record, and notes in the table were shipped with it
/// (-127 gzip bytes, measured).
fn note(id: &str) -> Option<&'static str> {
    match id {
        "amazonses" => Some("Needed only if SES uses your domain as MAIL FROM (custom MAIL FROM domain); otherwise it uses its own."),
        "sendgrid" => Some("Not needed with SendGrid's automated security (domain authentication): the return path is then a CNAME to SendGrid."),
        "mailgun" => Some("Mailgun's EU region uses include:eu.mailgun.org."),
        "postmark" => Some("Needed only with a custom return-path domain; by default Postmark uses its own."),
        "zoho" => Some("Accounts in Zoho's EU data centre use include:zohomail.eu."),
        _ => None,
    }
}

/// Mail hosted at these MX suffixes is sent by that provider.
const MX_HINTS: &[(&str, SpfProvider)] = &[
    ("google.com", GOOGLE),
    ("googlemail.com", GOOGLE),
    ("protection.outlook.com", MICROSOFT365),
    ("zoho.com", ZOHO),
    ("messagingengine.com", FASTMAIL),
    ("protonmail.ch", PROTON),
    ("secureserver.net", GODADDY),
    ("ovh.net", OVH),
    ("icloud.com", ICLOUD),
];

/// The provider whose MX hosts these are, if any.
pub fn provider_for_mx(host: &str) -> Option<&'static SpfProvider> {
    let h = crate::dns::normalize_name(host);
    MX_HINTS.iter().find(|(suffix, _)| h == *suffix || h.ends_with(&format!(".{suffix}"))).map(|(_, p)| p)
}

fn directive(qualifier: Qualifier, mechanism: Mechanism) -> Term {
    Term::Directive(Directive { qualifier, mechanism })
}

fn include(domain: &str) -> Option<Term> {
    domain.parse::<DomainSpec>().ok().map(|d| directive(Qualifier::Pass, Mechanism::Include(d)))
}

fn ip_term(ip: IpAddr, prefix: Option<u8>) -> Term {
    match ip {
        IpAddr::V4(addr) => directive(Qualifier::Pass, Mechanism::Ip4 { addr, prefix: prefix.filter(|p| *p < 32) }),
        IpAddr::V6(addr) => match addr.to_ipv4_mapped() {
            Some(v4) => ip_term(IpAddr::V4(v4), prefix.map(|p| p.saturating_sub(96))),
            None => directive(Qualifier::Pass, Mechanism::Ip6 { addr, prefix: prefix.filter(|p| *p < 128) }),
        },
    }
}

/// DNS-querying terms at the top of a record (includes count as 1 here; see [`preview_spf`] for the full count).
pub fn top_level_lookups(record: &SpfRecord) -> u32 {
    let directives = record.directives().filter(|d| d.mechanism.queries_dns()).count();
    let redirect = usize::from(record.redirect().is_some());
    u32::try_from(directives + redirect).unwrap_or(u32::MAX)
}

// ───────────────────────────── builder ─────────────────────────────

/// Builds a record from chosen senders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpfBuilder {
    /// Ids from [`PROVIDERS`].
    pub providers: Vec<String>,
    /// Other include domains.
    pub includes: Vec<String>,
    pub ip4: Vec<(Ipv4Addr, Option<u8>)>,
    pub ip6: Vec<(Ipv6Addr, Option<u8>)>,
    /// Authorize the domain's own A/AAAA (`a`).
    pub a: bool,
    /// Authorize the domain's MX hosts (`mx`).
    pub mx: bool,
    /// The qualifier of the final `all`.
    pub all: Qualifier,
}

impl Default for SpfBuilder {
    fn default() -> SpfBuilder {
        SpfBuilder::new()
    }
}

/// The builder's result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpfBuild {
    pub record: SpfRecord,
    pub text: String,
    /// DNS-querying terms written in the record (includes count 1 each before they are followed).
    pub top_level_lookups: u32,
    pub notes: Vec<String>,
}

impl SpfBuilder {
    /// Nothing chosen yet, `~all`.
    pub fn new() -> SpfBuilder {
        SpfBuilder {
            providers: Vec::new(),
            includes: Vec::new(),
            ip4: Vec::new(),
            ip6: Vec::new(),
            a: false,
            mx: false,
            all: Qualifier::SoftFail,
        }
    }

    pub fn provider(mut self, id: &str) -> SpfBuilder {
        if !self.providers.iter().any(|p| p == id) {
            self.providers.push(id.to_string());
        }
        self
    }

    pub fn include(mut self, domain: &str) -> SpfBuilder {
        self.includes.push(domain.trim().to_string());
        self
    }

    pub fn ip(mut self, ip: IpAddr, prefix: Option<u8>) -> SpfBuilder {
        match ip {
            IpAddr::V4(v4) => self.ip4.push((v4, prefix)),
            IpAddr::V6(v6) => self.ip6.push((v6, prefix)),
        }
        self
    }

    pub fn a(mut self, on: bool) -> SpfBuilder {
        self.a = on;
        self
    }

    pub fn mx(mut self, on: bool) -> SpfBuilder {
        self.mx = on;
        self
    }

    pub fn all(mut self, q: Qualifier) -> SpfBuilder {
        self.all = q;
        self
    }

    pub fn build(&self) -> SpfBuild {
        let mut notes = Vec::new();
        let mut terms: Vec<Term> = Vec::new();
        let push = |terms: &mut Vec<Term>, t: Term| {
            if !terms.contains(&t) {
                terms.push(t);
            }
        };
        if self.a {
            push(&mut terms, directive(Qualifier::Pass, Mechanism::A { domain: None, cidr: Default::default() }));
        }
        if self.mx {
            push(&mut terms, directive(Qualifier::Pass, Mechanism::Mx { domain: None, cidr: Default::default() }));
        }
        for (addr, prefix) in &self.ip4 {
            push(&mut terms, ip_term(IpAddr::V4(*addr), prefix.filter(|p| *p <= 32)));
        }
        for (addr, prefix) in &self.ip6 {
            push(&mut terms, ip_term(IpAddr::V6(*addr), prefix.filter(|p| *p <= 128)));
        }
        for id in &self.providers {
            match provider(id) {
                Some(p) => {
                    if let Some(t) = include(p.include) {
                        push(&mut terms, t);
                    }
                    if let Some(note) = note(p.id) {
                        notes.push(format!("{}: {note}", p.name));
                    }
                }
                None => notes.push(format!("Unknown sender \"{id}\" left out.")),
            }
        }
        for domain in &self.includes {
            match include(domain) {
                Some(t) => push(&mut terms, t),
                None => notes.push(format!("\"{domain}\" is not a domain name; left out.")),
            }
        }
        // Never +all (RFC 7208 §5.1: it authorizes the whole Internet).
        let all = if self.all == Qualifier::Pass { Qualifier::SoftFail } else { self.all };
        terms.push(directive(all, Mechanism::All));
        let record = SpfRecord::new(terms);
        match self.all {
            Qualifier::Pass => notes.push("+all would let every server on the Internet send as your domain; the record ends in ~all instead.".into()),
            Qualifier::Neutral => notes.push("?all says nothing about other servers, like having no SPF. Use ~all or -all.".into()),
            Qualifier::SoftFail => notes.push("~all marks other servers' mail suspicious, not refused. Move to -all once DMARC reports show every legitimate sender passes.".into()),
            Qualifier::Fail => {}
        }
        let top = top_level_lookups(&record);
        if top > MAX_LOOKUPS {
            notes.push(format!("{top} terms need DNS lookups: over the limit of {MAX_LOOKUPS} (RFC 7208 §4.6.4) before following includes. Remove senders you no longer use."));
        }
        let text = record.to_string();
        SpfBuild { record, text, top_level_lookups: top, notes }
    }
}

// ───────────────────────────── preview ─────────────────────────────

/// A record checked against live DNS as if it were published.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpfPreview {
    pub text: String,
    /// DNS-querying terms through the whole include tree (the limit is 10).
    pub lookup_count: u32,
    pub void_lookups: u32,
    /// The SPF check's findings about the record as it would be published.
    pub findings: Vec<Finding>,
    /// check_host() for each intended sender.
    pub senders: Vec<(IpAddr, SpfResult)>,
}

impl SpfPreview {
    pub fn errors(&self) -> Vec<&Finding> {
        // A loop, not a filter chain collected: smaller in the wasm.
        let mut out = Vec::new();
        for f in &self.findings {
            if f.severity == Severity::Error {
                out.push(f);
            }
        }
        out
    }
}

/// Runs the SPF check and check_host() over `text` as if it were `domain`'s
/// only TXT record, with the rest of DNS as the resolver sees it.
pub async fn preview_spf<R: Resolver>(resolver: &R, domain: &str, text: &str, senders: &[IpAddr]) -> SpfPreview {
    let strings: Vec<Vec<u8>> = super::split_strings(text).into_iter().map(String::into_bytes).collect();
    let overlay = WithTxt::new(resolver, domain, strings);
    let report = check_spf(&overlay, domain, None).await;
    let sender = format!("postmaster@{domain}");
    let evaluations =
        crate::join::join_all(senders.iter().map(|ip| check_host(&overlay, *ip, domain, &sender, domain))).await;
    SpfPreview {
        text: text.to_string(),
        lookup_count: report.lookup_count,
        void_lookups: report.void_lookups,
        findings: report.findings,
        senders: senders.iter().copied().zip(evaluations.into_iter().map(|e| e.result)).collect(),
    }
}

// ───────────────────────────── fix ─────────────────────────────

/// What [`fix_spf`] reads.
#[derive(Debug, Clone, Copy)]
pub struct SpfFixInput<'a> {
    pub domain: &'a str,
    pub report: &'a SpfReport,
    /// The domain's own MX hosts: used to start a record when there is none.
    pub mx_hosts: &'a [String],
    /// The server the person sends from, when given.
    pub sending_ip: Option<IpAddr>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SpfFix {
    pub record: SpfRecord,
    pub text: String,
    /// Each change and why, in order.
    pub changes: Vec<Change>,
    /// Lookups of the fixed record as far as the current include tree tells (confirm with [`preview_spf`]).
    pub lookup_estimate: u32,
    /// Void lookups of the fixed record as far as the include tree tells.
    pub void_estimate: u32,
    /// `false` when no record within the limits could be built automatically:
    /// the first warning says why and what the choices are.
    pub valid: bool,
    pub warnings: Vec<String>,
    pub registrar: RegistrarRecord,
}

fn change(what: impl Into<String>, why: impl Into<String>) -> Change {
    Change { what: what.into(), why: why.into() }
}

const MECHANISM_NAMES: &[&str] = &["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"];

/// Undoes what registrar forms and copy-paste do to a record: literal
/// quotes, smart quotes, line breaks, `ip4: 1.2.3.4`, trailing commas.
fn clean_text(raw: &str, changes: &mut Vec<Change>) -> Vec<String> {
    let mut text = raw.replace(['\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}'], "\"").replace('\u{a0}', " ");
    if text.contains('"') {
        // `"v=spf1 a " "mx -all"` pasted as the value: strings were meant to be joined.
        text = text.replace("\" \"", "").replace("\"\"", "").replace('"', "");
        changes.push(change(
            "Removed quotation marks stored inside the record",
            "A registrar form stored the quotes in the text; receivers see a quote before v=spf1 and ignore it.",
        ));
    }
    let mut out: Vec<String> = Vec::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let mut w = word.trim_end_matches([',', ';']).to_string();
        // `ip4: 192.0.2.1` → `ip4:192.0.2.1`
        let bare = w.trim_start_matches(['+', '-', '~', '?']).to_ascii_lowercase();
        if bare.ends_with(':') && MECHANISM_NAMES.contains(&bare.trim_end_matches(':')) {
            // Only a value is joined on: `include: a:%{d}` is two broken terms, not one.
            if let Some(next) = words.next_if(|next| !looks_like_term(next)) {
                changes
                    .push(change(format!("Joined \"{w} {next}\""), "A space after the colon splits the term in two."));
                w.push_str(next.trim_end_matches([',', ';']));
            }
        }
        if !w.is_empty() {
            out.push(w);
        }
    }
    out
}

/// True if `word` starts a term of its own (a mechanism name or a modifier).
fn looks_like_term(word: &str) -> bool {
    let bare = word.trim_start_matches(['+', '-', '~', '?']).to_ascii_lowercase();
    let name = bare.split([':', '/', '=']).next().unwrap_or("");
    bare.contains('=') || MECHANISM_NAMES.contains(&name)
}

/// Reads one term, repairing the usual mistakes; `None` if it cannot be read.
fn read_term(word: &str, changes: &mut Vec<Change>) -> Option<Term> {
    let parse = |w: &str| -> Result<Term, String> {
        format!("v=spf1 {w}")
            .parse::<SpfRecord>()
            .map_err(|e| e.message)
            .and_then(|r| r.terms.into_iter().next().ok_or_else(|| "empty".to_string()))
    };
    let err = match parse(word) {
        Ok(t) => return Some(t),
        Err(e) => e,
    };
    let (qual, body) = match word.chars().next() {
        Some(c @ ('+' | '-' | '~' | '?')) => (c.to_string(), word.get(1..).unwrap_or("")),
        _ => (String::new(), word),
    };
    let (name, value) = body.split_once(':').unwrap_or((body, ""));
    let repaired = match (name.to_ascii_lowercase().as_str(), value.parse::<IpAddr>()) {
        ("ip" | "ipv4" | "ip4" | "a" | "include" | "ipv6" | "ip6", Ok(IpAddr::V4(v4))) => {
            Some(format!("{qual}ip4:{v4}"))
        }
        ("ip" | "ipv4" | "ip4" | "a" | "include" | "ipv6" | "ip6", Ok(IpAddr::V6(v6))) => {
            Some(format!("{qual}ip6:{v6}"))
        }
        ("ip" | "ipv4", Err(_)) => Some(format!("{qual}ip4:{value}")),
        ("ipv6", Err(_)) => Some(format!("{qual}ip6:{value}")),
        _ => None,
    };
    if let Some(r) = repaired {
        if let Ok(t) = parse(&r) {
            changes.push(change(
                format!("Rewrote \"{word}\" as \"{r}\""),
                "SPF writes addresses as ip4:… and ip6:… (RFC 7208 §5.6).",
            ));
            return Some(t);
        }
    }
    changes.push(change(
        format!("Removed \"{word}\""),
        format!(
            "Not valid SPF ({err}); one bad term makes receivers discard the whole record (PermError, RFC 7208 §4.6)."
        ),
    ));
    None
}

fn is_spfish(text: &str) -> bool {
    let t = text.trim().trim_start_matches(['"', '\u{201c}']).to_ascii_lowercase();
    t.starts_with("v=spf") || t.starts_with("spf1") || t.starts_with("v = spf")
}

/// The texts to start from: the v=spf1 records, or near misses (`v=spf 1`, quoted) when there are none.
fn source_texts(report: &SpfReport, changes: &mut Vec<Change>) -> Vec<String> {
    if !report.records.is_empty() {
        return report.records.clone();
    }
    let Some(lookup) = &report.lookup else { return Vec::new() };
    let mut out = Vec::new();
    for data in lookup.data() {
        if let RData::Txt(strings) = data {
            let text = String::from_utf8_lossy(&strings.concat()).into_owned();
            if is_spfish(&text) {
                changes.push(change(
                    format!("Repaired the record \"{}\"", text.chars().take(60).collect::<String>()),
                    "Looks like SPF but does not start exactly with v=spf1, so receivers ignore it (RFC 7208 §4.5).",
                ));
                out.push(text);
            }
        }
    }
    out
}

fn mechanism_key(m: &Mechanism) -> String {
    m.to_string().to_ascii_lowercase()
}

/// Builds the corrected record.
pub fn fix_spf(input: &SpfFixInput) -> SpfFix {
    let domain = crate::dns::normalize_name(input.domain);
    let report = input.report;
    let mut changes: Vec<Change> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let texts = source_texts(report, &mut changes);
    if texts.len() > 1 {
        changes.push(change(
            format!("Merged {} SPF records into one", texts.len()),
            "With several v=spf1 records, receivers return PermError and ignore them all (RFC 7208 §4.5).",
        ));
    }

    let Gathered { mut directives, all, mut redirect, exp, others } = gather_terms(&texts, &mut changes);

    // ptr: RFC 7208 §5.5 "SHOULD NOT be used" — slow, unreliable, many receivers skip it.
    let before = directives.len();
    directives.retain(|d| !matches!(d.mechanism, Mechanism::Ptr(_)));
    if directives.len() < before {
        changes.push(change(
            "Removed ptr",
            "RFC 7208 §5.5 says not to use ptr: it costs many lookups and large receivers ignore it. Use ip4/ip6 or a instead.",
        ));
    }

    drop_broken_includes(&domain, report, &mut directives, &mut changes);
    drop_void_terms(report, &mut directives, &mut changes);

    // Start from the domain's mail host when there was no record at all.
    if texts.is_empty() {
        start_from_mail_hosts(input, &mut directives, &mut changes, &mut warnings);
    }

    authorize_sender(input, &mut directives, &mut changes);

    // redirect= to a domain without SPF: PermError for every message (RFC 7208 §6.1).
    if let Some(r) = redirect.clone() {
        let via = format!("redirect={r}");
        let dead = report.tree.iter().flat_map(|t| t.children.iter()).any(|c| {
            c.via.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(&via))
                && c.record.is_none()
                && c.lookup.as_ref().is_some_and(|l| !matches!(l.outcome, Outcome::Failed(_)))
        });
        if dead {
            changes.push(change(
                format!("Removed {via}"),
                format!("{r} publishes no SPF record, so the redirect ends every check in PermError (RFC 7208 §6.1)."),
            ));
            redirect = None;
        }
    }

    let final_all = final_all(all, redirect.is_none(), &mut changes);
    if let (Some(_), Some(r)) = (final_all, redirect.clone()) {
        // RFC 7208 §6.1: redirect is ignored when the record has all.
        if let Some(Term::Directive(d)) = include(&r.to_string()) {
            changes.push(change(
                format!("Replaced redirect={r} by include:{r}"),
                "redirect= is ignored in a record that has all (RFC 7208 §6.1); an include keeps that domain's senders.",
            ));
            if !directives.iter().any(|x| mechanism_key(&x.mechanism) == mechanism_key(&d.mechanism)) {
                directives.push(d);
            }
        }
        redirect = None;
    }

    let mut estimate = estimate_lookups(report, &directives, redirect.as_ref());
    let mut voids = estimate_voids(report, &directives, redirect.as_ref());
    if estimate > MAX_LOOKUPS || voids > MAX_VOIDS {
        (estimate, voids) = flatten(&domain, report, &mut directives, redirect.as_ref(), &mut changes);
    }
    let valid = estimate <= MAX_LOOKUPS && voids <= MAX_VOIDS;
    if !valid {
        warnings.insert(0, no_valid_record(&domain, report, &directives, estimate, voids));
    }
    if final_all.is_some_and(|q| q != Qualifier::Pass)
        && redirect.is_none()
        && !directives.iter().any(|d| d.qualifier == Qualifier::Pass)
        && (!input.mx_hosts.is_empty() || input.sending_ip.is_some() || !texts.is_empty())
    {
        warnings.push(format!(
            "This record authorises no server: all mail sent as {domain} fails SPF. That suits only a domain that sends no mail; {domain} {}. Add the servers and services that send its mail before publishing.",
            if input.mx_hosts.is_empty() { "had senders in its record" } else { "has mail servers (MX)" }
        ));
    }

    let mut terms: Vec<Term> = directives.into_iter().map(Term::Directive).collect();
    if let Some(q) = final_all {
        terms.push(directive(q, Mechanism::All));
    }
    if let Some(r) = redirect {
        terms.push(Term::Modifier(Modifier::Redirect(r)));
    }
    if let Some(e) = exp {
        terms.push(Term::Modifier(Modifier::Explanation(e)));
    }
    terms.extend(others.into_iter().map(Term::Modifier));
    let record = SpfRecord::new(terms);
    let text = record.to_string();
    if text.len() > 450 {
        warnings.push(format!(
            "The record is {} characters; remove unused senders so SPF answers fit one UDP packet (RFC 7208 §3.4).",
            text.len()
        ));
    }
    let registrar = registrar(RecordType::Txt, "@", &domain, &text, 3600);
    SpfFix { record, text, changes, lookup_estimate: estimate, void_estimate: voids, valid, warnings, registrar }
}

/// A first record for a domain that had none: the include of the provider
/// its MX points at, else its own mail hosts (`mx`).
fn start_from_mail_hosts(
    input: &SpfFixInput,
    directives: &mut Vec<Directive>,
    changes: &mut Vec<Change>,
    warnings: &mut Vec<String>,
) {
    let mut started = false;
    for host in input.mx_hosts {
        if let Some(p) = provider_for_mx(host) {
            if let Some(Term::Directive(d)) = include(p.include) {
                if !directives.contains(&d) {
                    changes.push(change(
                        format!("Added {d}"),
                        format!("Your MX is {}, so your mail is most likely sent through {}.", host, p.name),
                    ));
                    directives.push(d);
                }
                started = true;
            }
        }
    }
    if !started && !input.mx_hosts.is_empty() {
        directives.push(Directive {
            qualifier: Qualifier::Pass,
            mechanism: Mechanism::Mx { domain: None, cidr: Default::default() },
        });
        changes.push(change("Added mx", "Your own mail servers (your MX hosts) usually send your mail too."));
    }
    if input.sending_ip.is_none() && !started {
        warnings.push("There was no SPF record: add every service that sends mail as your domain (its help pages name the include).".into());
    }
}

/// The terms of the published records, merged: directives in order without
/// duplicates, the first `all`, one redirect, one exp, other modifiers once.
struct Gathered {
    directives: Vec<Directive>,
    all: Option<Qualifier>,
    redirect: Option<DomainSpec>,
    exp: Option<DomainSpec>,
    others: Vec<Modifier>,
}

/// Reads every published record's terms into one [`Gathered`], saying what it dropped or moved.
fn gather_terms(texts: &[String], changes: &mut Vec<Change>) -> Gathered {
    let mut directives: Vec<Directive> = Vec::new();
    let mut all: Option<Qualifier> = None;
    let mut redirect: Option<DomainSpec> = None;
    let mut exp: Option<DomainSpec> = None;
    let mut others: Vec<Modifier> = Vec::new();
    // Mechanism text → the directive kept for it, sorted by the text: a record
    // from DNS can hold thousands of terms, so a binary search, not a scan. Not
    // a HashMap: the page has no other one keyed by String, and its hashing
    // and table code cost more wasm than this.
    let mut kept: Vec<(String, String)> = Vec::new();
    for text in texts {
        let mut seen_all = false;
        for word in clean_text(text, changes) {
            let lower = word.to_ascii_lowercase();
            if lower == "v=spf1" || is_spfish(&lower) && !lower.contains(':') && !lower.contains('.') {
                continue;
            }
            let Some(term) = read_term(&word, changes) else { continue };
            match term {
                Term::Directive(d) if d.mechanism == Mechanism::All => {
                    all = all.or(Some(d.qualifier));
                    seen_all = true;
                }
                Term::Directive(d) => {
                    if seen_all && texts.len() == 1 {
                        changes.push(change(
                            format!("Moved \"{d}\" before all"),
                            "Terms after all are never evaluated (RFC 7208 §5.1).",
                        ));
                    }
                    let key = mechanism_key(&d.mechanism);
                    match kept.binary_search_by(|(k, _)| k.cmp(&key)) {
                        Ok(found) => {
                            let prev = kept.get(found).map_or("", |(_, p)| p.as_str());
                            changes.push(change(
                                format!("Removed the duplicate \"{d}\""),
                                format!("\"{prev}\" already covers it; the first match wins."),
                            ));
                        }
                        Err(at) => {
                            kept.insert(at, (key, d.to_string()));
                            directives.push(d);
                        }
                    }
                }
                Term::Modifier(Modifier::Redirect(r)) => {
                    if redirect.is_some() {
                        changes.push(change(
                            format!("Removed the second redirect={r}"),
                            "A modifier may appear only once (RFC 7208 §6).",
                        ));
                    } else {
                        redirect = Some(r);
                    }
                }
                Term::Modifier(Modifier::Explanation(e)) => {
                    if exp.is_none() {
                        exp = Some(e);
                    }
                }
                Term::Modifier(m) => {
                    let key = m.to_string();
                    if !others.iter().any(|o| o.to_string() == key) {
                        others.push(m);
                    }
                }
            }
        }
    }

    Gathered { directives, all, redirect, exp, others }
}

/// The record's final `all`: +all and ?all become ~all; none is added as ~all
/// unless a redirect ends the record.
fn final_all(all: Option<Qualifier>, no_redirect: bool, changes: &mut Vec<Change>) -> Option<Qualifier> {
    match all {
        Some(Qualifier::Pass) => {
            changes.push(change(
                "Replaced +all with ~all",
                "+all lets every server on the Internet pass SPF as your domain.",
            ));
            Some(Qualifier::SoftFail)
        }
        Some(Qualifier::Neutral) => {
            changes.push(change(
                "Replaced ?all with ~all",
                "?all says nothing about other servers; receivers treat it like no policy.",
            ));
            Some(Qualifier::SoftFail)
        }
        Some(q) => Some(q),
        None if no_redirect => {
            changes.push(change(
                "Added ~all",
                "Without all (or redirect) the record ends Neutral for every other server (RFC 7208 §4.7).",
            ));
            Some(Qualifier::SoftFail)
        }
        None => None,
    }
}

/// [`fix_spf`], then the SPF check run again over the fixed record as if it
/// were published, fixing what only DNS shows (an include without SPF, a void
/// term, the real lookup count) until nothing changes; with the final preview.
pub async fn fix_spf_checked<R: Resolver>(resolver: &R, input: &SpfFixInput<'_>) -> (SpfFix, SpfPreview) {
    let mut fix = fix_spf(input);
    for _ in 0..3 {
        let strings: Vec<Vec<u8>> = super::split_strings(&fix.text).into_iter().map(String::into_bytes).collect();
        let overlay = WithTxt::new(resolver, input.domain, strings);
        let report = check_spf(&overlay, input.domain, input.sending_ip).await;
        let again = fix_spf(&SpfFixInput { report: &report, ..*input });
        if again.text == fix.text {
            break;
        }
        let mut changes = std::mem::take(&mut fix.changes);
        changes.extend(again.changes.iter().cloned());
        fix = SpfFix { changes, ..again };
    }
    let senders: Vec<IpAddr> = input.sending_ip.into_iter().collect();
    let preview = preview_spf(resolver, input.domain, &fix.text, &senders).await;
    (fix, preview)
}

/// Removes includes that cannot work: the target has no SPF record (PermError,
/// RFC 7208 §5.2) or includes the domain itself (a loop).
fn drop_broken_includes(domain: &str, report: &SpfReport, directives: &mut Vec<Directive>, changes: &mut Vec<Change>) {
    let children: &[IncludeTree] = report.tree.as_ref().map_or(&[], |t| &t.children);
    directives.retain(|d| {
        let Mechanism::Include(target) = &d.mechanism else { return true };
        let target = crate::dns::normalize_name(&target.to_string());
        if target == domain {
            changes.push(change(
                format!("Removed {d}"),
                "The record includes itself: a loop receivers stop with PermError.",
            ));
            return false;
        }
        let node = children.iter().find(|c| c.via.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(&d.to_string())));
        let no_spf = node.is_some_and(|c| {
            c.record.is_none() && c.lookup.as_ref().is_some_and(|l| !matches!(l.outcome, Outcome::Failed(_)))
        });
        if no_spf {
            changes.push(change(
                format!("Removed {d}"),
                format!(
                    "{target} publishes no SPF record, so every check through it ends in PermError (RFC 7208 §5.2)."
                ),
            ));
        }
        !no_spf
    });
}

/// Removes a/mx/exists terms whose lookup finds nothing: they only use up the
/// limit of two void lookups (RFC 7208 §4.6.4).
fn drop_void_terms(report: &SpfReport, directives: &mut Vec<Directive>, changes: &mut Vec<Change>) {
    let Some(tree) = &report.tree else { return };
    // A loop, not a filter/map chain collected: smaller in the wasm.
    let mut void: Vec<String> = Vec::new();
    for t in &tree.terms {
        if t.void.is_some() {
            void.push(t.term.to_ascii_lowercase());
        }
    }
    directives.retain(|d| {
        let text = d.to_string();
        let is_void = void.contains(&text.to_ascii_lowercase()) && !matches!(d.mechanism, Mechanism::Include(_));
        if is_void {
            changes.push(change(
                format!("Removed {text}"),
                "Its DNS lookup finds nothing (a void lookup); receivers fail the record after two (RFC 7208 §4.6.4).",
            ));
        }
        !is_void
    });
}

/// Adds the person's sending IP when SPF does not pass for it.
fn authorize_sender(input: &SpfFixInput, directives: &mut Vec<Directive>, changes: &mut Vec<Change>) {
    let Some(ip) = input.sending_ip else { return };
    let report = input.report;
    let failing = report.findings.iter().any(|f| {
        matches!(
            f.code,
            Code::Spf(SpfCode::SenderFail) | Code::Spf(SpfCode::SenderSoftfail) | Code::Spf(SpfCode::SenderNeutral)
        )
    });
    // It passed only through a term the fix removes or tightens (+all, ptr).
    let passed_by_removed_term = report.evaluation.as_ref().is_some_and(|e| {
        e.result == SpfResult::Pass
            && e.matched.as_ref().is_some_and(|m| {
                let t = m.term.trim_start_matches('+').to_ascii_lowercase();
                t == "all" || t == "?all" || t.starts_with("ptr")
            })
    });
    // Not evaluated (no IP given to the check, or no record): authorize it unless an ip term already does.
    let unknown = report.evaluation.is_none()
        && !directives.iter().any(|d| matches!(d.mechanism, Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. }));
    let failing = failing || passed_by_removed_term || unknown;
    let public = match ip {
        IpAddr::V4(v4) => !(v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_unspecified()),
        IpAddr::V6(v6) => !(v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00),
    };
    if !failing || !public {
        return;
    }
    if let Term::Directive(d) = ip_term(ip, None) {
        if !directives.contains(&d) {
            changes.push(change(
                format!("Added {d}"),
                format!("Your sending server {ip} did not pass SPF; this authorizes it."),
            ));
            directives.insert(0, d);
        }
    }
}

/// Lookups of the record from the include tree's per-term costs (1 for a term the tree does not know).
fn estimate_lookups(report: &SpfReport, directives: &[Directive], redirect: Option<&DomainSpec>) -> u32 {
    // The root record's own terms (a list: no second hash map type in the wasm).
    let mut costs: Vec<(String, u32)> = Vec::new();
    for t in report.tree.iter().flat_map(|t| &t.terms) {
        costs.push((t.term.to_ascii_lowercase(), t.cost));
    }
    let cost = |text: String| {
        let text = text.to_ascii_lowercase();
        costs.iter().find(|(t, _)| *t == text).map_or(1, |(_, c)| *c)
    };
    let mut total: u32 = directives.iter().filter(|d| d.mechanism.queries_dns()).map(|d| cost(d.to_string())).sum();
    if let Some(r) = redirect {
        total += cost(format!("redirect={r}"));
    }
    total
}

/// Void lookups of the record from the include tree: each term's own empty
/// lookups (an `mx` term's hosts too) and those below an include or redirect.
/// A term the tree does not know counts 0 (the re-check confirms).
fn estimate_voids(report: &SpfReport, directives: &[Directive], redirect: Option<&DomainSpec>) -> u32 {
    let Some(tree) = &report.tree else { return 0 };
    let voids_of = |text: String| -> u32 {
        let own = tree.terms.iter().find(|t| t.term.eq_ignore_ascii_case(&text)).map_or(0, TermCost::voids);
        let below = child_via(tree, &text).map_or(0, |c| c.void_lookups);
        own + below
    };
    let terms: u32 = directives.iter().filter(|d| d.mechanism.queries_dns()).map(|d| voids_of(d.to_string())).sum();
    terms + redirect.map_or(0, |r| voids_of(format!("redirect={r}")))
}

fn child_via<'t>(node: &'t IncludeTree, via: &str) -> Option<&'t IncludeTree> {
    node.children.iter().find(|c| c.via.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(via)))
}

/// IPv4 addresses of an A answer, as ip4 terms with the term's prefix.
fn ip4_terms(lookup: &crate::dns::Lookup, prefix: Option<u8>) -> Option<Vec<Mechanism>> {
    if matches!(lookup.outcome, Outcome::Failed(_)) {
        return None;
    }
    // A loop, not a filter_map collected (see the MX report's lookups).
    let mut out = Vec::new();
    for d in lookup.data() {
        if let RData::A(addr) = d {
            out.push(Mechanism::Ip4 { addr: *addr, prefix: prefix.filter(|p| *p < 32) });
        }
    }
    Some(out)
}

/// What one `+` term stands for as plain addresses, from the lookups the
/// include tree made: ip4/ip6 as they are, an include by its record, `a` and
/// `mx` (no macros) by the IPv4 addresses found (an empty answer: nothing).
/// `None` when it cannot be flattened (macros, exists, ptr, a failed lookup).
fn term_addresses(node: &IncludeTree, cost: Option<&TermCost>, d: &Directive, depth: usize) -> Option<Vec<Mechanism>> {
    if d.qualifier != Qualifier::Pass {
        return None;
    }
    match &d.mechanism {
        m @ (Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. }) => Some(vec![m.clone()]),
        Mechanism::Include(_) => flat_addresses(child_via(node, &d.to_string())?, depth + 1),
        Mechanism::A { domain, cidr } => {
            domain.as_ref().map_or(Some(()), |s| s.literal().map(|_| ()))?;
            ip4_terms(cost?.lookup.as_ref()?, cidr.v4)
        }
        Mechanism::Mx { domain, cidr } => {
            domain.as_ref().map_or(Some(()), |s| s.literal().map(|_| ()))?;
            let cost = cost?;
            let mx = cost.lookup.as_ref()?;
            let names = mx.data().filter(|d| matches!(d, RData::Mx { .. })).count();
            if matches!(mx.outcome, Outcome::Failed(_))
                || names > crate::spf::MAX_NAMES_PER_TERM
                || cost.hosts.len() < names
            {
                return None;
            }
            let mut out = Vec::new();
            for host in &cost.hosts {
                out.extend(ip4_terms(host, cidr.v4)?);
            }
            Some(out)
        }
        _ => None,
    }
}

/// The plain addresses a record stands for, when every term can be
/// flattened (see [`term_addresses`]); `+all` and redirect never can.
fn flat_addresses(node: &IncludeTree, depth: usize) -> Option<Vec<Mechanism>> {
    if depth > 5 {
        return None;
    }
    let record: SpfRecord = node.record.as_deref()?.parse().ok()?;
    let mut out = Vec::new();
    for (i, term) in record.terms.iter().enumerate() {
        match term {
            Term::Directive(d) if d.mechanism == Mechanism::All => {
                if d.qualifier == Qualifier::Pass {
                    return None;
                }
            }
            Term::Directive(d) => out.extend(term_addresses(node, node.terms.get(i), d, depth)?),
            Term::Modifier(Modifier::Redirect(_)) => return None,
            Term::Modifier(_) => {}
        }
    }
    Some(out)
}

/// An include of the person's own domain (or a name under it): its
/// addresses change only when they change their servers.
fn own_name(domain: &str, via: &str) -> bool {
    let target = via.strip_prefix("include:").unwrap_or(via).trim_end_matches('.').to_ascii_lowercase();
    target == domain || target.ends_with(&format!(".{domain}"))
}

/// Replaces terms by the addresses they stand for until the record is within
/// 10 lookups and 2 void lookups: first includes of the person's own names,
/// then terms with void lookups, then the costliest includes. Returns the new
/// (lookups, voids) estimate.
fn flatten(
    domain: &str,
    report: &SpfReport,
    directives: &mut Vec<Directive>,
    redirect: Option<&DomainSpec>,
    changes: &mut Vec<Change>,
) -> (u32, u32) {
    let mut estimate = estimate_lookups(report, directives, redirect);
    let mut voids = estimate_voids(report, directives, redirect);
    let Some(tree) = &report.tree else { return (estimate, voids) };
    // (priority, cost, term, addresses): lower priority first.
    let mut candidates: Vec<(u8, u32, String, Vec<Mechanism>)> = Vec::new();
    for d in directives.iter().filter(|d| d.mechanism.queries_dns()) {
        let text = d.to_string();
        let cost = tree.terms.iter().find(|t| t.term.eq_ignore_ascii_case(&text));
        let child = child_via(tree, &text);
        let term_voids = cost.map_or(0, TermCost::voids) + child.map_or(0, |c| c.void_lookups);
        let Some(addresses) = term_addresses(tree, cost, d, 0) else { continue };
        let priority = match (matches!(d.mechanism, Mechanism::Include(_)) && own_name(domain, &text), term_voids > 0) {
            (true, _) => 0,
            (false, true) => 1,
            (false, false) => 2,
        };
        candidates.push((priority, cost.map_or(1, |c| c.cost.max(1)), text, addresses));
    }
    crate::rank::sort_by_rank(&mut candidates, |(p, cost, _, _)| i64::from(*p) * 1000 - i64::from(*cost));
    for (priority, cost, text, addresses) in candidates {
        if estimate <= MAX_LOOKUPS && voids <= MAX_VOIDS {
            break;
        }
        // A plain include without voids only helps with the lookup count.
        if priority == 2 && estimate <= MAX_LOOKUPS {
            continue;
        }
        let Some(pos) = directives.iter().position(|d| d.to_string().eq_ignore_ascii_case(&text)) else { continue };
        directives.remove(pos);
        let count = addresses.len();
        let mut at = pos;
        for m in addresses {
            let d = Directive { qualifier: Qualifier::Pass, mechanism: m };
            if !covered(directives, &d) {
                directives.insert(at.min(directives.len()), d);
                at += 1;
            }
        }
        estimate = estimate_lookups(report, directives, redirect);
        voids = estimate_voids(report, directives, redirect);
        let why = match priority {
            0 => "Now within the limits (10 lookups, 2 void lookups). These are your own servers' addresses: update this record when you move or add one.",
            _ => "Now within the limits (10 lookups, 2 void lookups). Caveat: these are today's addresses; if they change, mail from new ones fails SPF. Re-check monthly, or drop unused senders instead.",
        };
        changes.push(change(
            format!("Replaced {text} ({cost} lookups) by its {count} addresses"),
            format!("{why} Names were resolved to IPv4 addresses: add ip6: terms for servers sending over IPv6."),
        ));
    }
    (estimate, voids)
}

/// Whether `directives` already hold `d`, or, for an `ip4:`/`ip6:` term, a
/// `+ip4:`/`+ip6:` term passing every address of it (a wider network around
/// it): then `d` adds nothing. In the reference broken domain a flattened
/// include's 93.184.216.31 sat beside ip4:93.184.216.0/24 from its other record.
fn covered(directives: &[Directive], d: &Directive) -> bool {
    let net = |m: &Mechanism| match *m {
        Mechanism::Ip4 { addr, prefix } => Some((IpAddr::V4(addr), prefix.unwrap_or(32))),
        Mechanism::Ip6 { addr, prefix } => Some((IpAddr::V6(addr), prefix.unwrap_or(128))),
        _ => None,
    };
    let Some((ip, len)) = net(&d.mechanism).filter(|_| d.qualifier == Qualifier::Pass) else {
        return directives.contains(d);
    };
    directives
        .iter()
        .filter(|other| other.qualifier == Qualifier::Pass)
        .filter_map(|other| net(&other.mechanism))
        .any(|(wider, wider_len)| wider_len <= len && crate::spf::eval::in_network(ip, wider, wider_len))
}

/// The plain explanation when no record within the limits can be built, with the choices.
fn no_valid_record(domain: &str, report: &SpfReport, directives: &[Directive], lookups: u32, voids: u32) -> String {
    // Loops, here and in estimate_lookups, not flat_maps collected (see the MX
    // report's lookups; the two: -469 gzip bytes, measured).
    let mut costly: Vec<(u32, String)> = Vec::new();
    for t in report.tree.iter().flat_map(|t| &t.terms) {
        if t.cost > 1 && directives.iter().any(|d| d.to_string().eq_ignore_ascii_case(&t.term)) {
            costly.push((t.cost, t.term.clone()));
        }
    }
    crate::rank::sort_by_rank(&mut costly, |(c, _)| -i64::from(*c));
    let names: Vec<String> = costly.iter().take(3).map(|(c, t)| format!("{t} ({c} lookups)")).collect();
    let list = if names.is_empty() { "the includes".to_string() } else { names.join(", ") };
    format!(
        "No valid SPF record can be built automatically: it still needs about {lookups} DNS lookups and {voids} void lookups (receivers allow {MAX_LOOKUPS} and {MAX_VOIDS}, RFC 7208 §4.6.4), and the rest cannot be replaced by addresses. Choices: drop senders you no longer use (largest first: {list}); move a sender to a subdomain with its own SPF record (e.g. news.{domain} for newsletters); or replace an include by the IP ranges its provider publishes, kept up to date by hand."
    )
}
