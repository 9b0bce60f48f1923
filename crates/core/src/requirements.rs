//! The sender requirements of Gmail (personal accounts), Yahoo / AOL and
//! Outlook.com (consumer domains) as one checklist: each requirement judged
//! from the DNS checks' findings and what the person told us — pass, fail,
//! not checkable from a browser, or needs their input — with where it is
//! written and when we read it.
//!
//! The catalogue is data ([`REQUIREMENTS`], [`PROVIDERS`]); [`checklist`]
//! only maps findings onto it. Sources, as read on 2026-12-05 in the dated
//! captures of github.com/azumakuniyuki/feb-2024-no-auth-no-entry (summarised
//! in ../shared/reference/email-requirements-2026.md §2):
//! - Gmail: "Email sender guidelines", https://support.google.com/a/answer/81126
//!   (2026-03-11 capture) and its FAQ https://support.google.com/a/answer/14229414
//!   ("Starting November 2025, Gmail is ramping up its enforcement").
//! - Yahoo: "Sender Best Practices", https://senders.yahooinc.com/best-practices/
//!   (2025-04-10 capture).
//! - Outlook.com: "Strengthening Email Ecosystem: Outlook's New Requirements for
//!   High‐Volume Senders", https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730
//!   (2 April 2025, updated 30 April 2025; 2025-08-02 capture): rejected with
//!   `550 5.7.515` since 5 May 2025.

use std::net::IpAddr;

use crate::diagnosis::SPF_BROKEN;
use crate::dkim::DkimCode;
use crate::dmarc::DmarcCode;
use crate::finding::Code;
use crate::finding::Finding;
use crate::ptr::PtrCode;
use crate::spf::SpfCode;

/// Where the requirement's judgement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Mark {
    Pass,
    Fail,
    /// No DNS check can see it (or the check could not ask): verify it elsewhere.
    NotCheckable,
    /// Checkable once the person gives something (the sending IP, a DKIM selector).
    NeedsInput,
}

impl Mark {
    /// The badge's `data-status` (its colour) and the item's `data-mark`.
    pub fn key(self) -> &'static str {
        match self {
            Mark::Pass => "pass",
            Mark::Fail => "fail",
            Mark::NotCheckable => "unknown",
            Mark::NeedsInput => "warn",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Mark::Pass => "pass",
            Mark::Fail => "fail",
            Mark::NotCheckable => "not checkable here",
            Mark::NeedsInput => "needs your input",
        }
    }
}

/// What a requirement is about, and so which findings judge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Topic {
    Spf,
    Dkim,
    Dmarc,
    Alignment,
    Ptr,
    Tls,
    Format,
    SpamRate,
    Unsubscribe,
    Arc,
}

/// One requirement of one provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Requirement {
    pub topic: Topic,
    /// The requirement in the provider's terms.
    pub text: &'static str,
    /// Every sender, or only bulk / high-volume senders.
    pub bulk_only: bool,
    /// Where to verify what DNS cannot show.
    pub verify: &'static str,
}

const fn req(topic: Topic, bulk_only: bool, text: &'static str, verify: &'static str) -> Requirement {
    Requirement { topic, text, bulk_only, verify }
}

/// One provider's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ProviderRules {
    pub name: &'static str,
    /// Who counts as a bulk sender, in the provider's words.
    pub bulk: &'static str,
    pub source: &'static str,
    /// When we read the source (the capture's date, then our check).
    pub checked: &'static str,
    pub rules: &'static [Requirement],
}

const POSTMASTER: &str = "Google Postmaster Tools (https://postmaster.google.com)";
const SENDER_HUB: &str = "Yahoo Sender Hub (https://senders.yahooinc.com)";
const SNDS: &str = "Microsoft SNDS (https://sendersupport.olc.protection.outlook.com/snds/)";
const HEADERS: &str = "a sent message's headers (Authentication-Results, List-Unsubscribe)";

/// Gmail, Yahoo and Outlook.com, as their pages state them.
pub const PROVIDERS: &[ProviderRules] = &[
    ProviderRules {
        name: "Gmail (personal accounts)",
        bulk: "5,000 or more messages a day to Gmail accounts; a sender that reaches it once is a bulk sender for good",
        source: "https://support.google.com/a/answer/81126",
        checked: "2026-03-11 capture, read 2026-12-05",
        rules: &[
            req(Topic::Spf, false, "SPF or DKIM for all senders; SPF and DKIM for bulk senders", POSTMASTER),
            req(Topic::Dkim, false, "A DKIM key of 1024 bits or longer (2048 recommended)", HEADERS),
            req(Topic::Dmarc, true, "A DMARC record; the policy can be none", POSTMASTER),
            req(Topic::Alignment, true, "The From: domain aligned with the SPF or the DKIM domain", HEADERS),
            req(Topic::Ptr, false, "Valid forward and reverse DNS (PTR) for the sending IPs", POSTMASTER),
            req(Topic::Tls, false, "A TLS connection for transmitting email", POSTMASTER),
            req(Topic::Format, false, "Messages formatted per RFC 5322", HEADERS),
            req(Topic::SpamRate, false, "Spam rate in Postmaster Tools below 0.3% (keep it below 0.1%)", POSTMASTER),
            req(Topic::Unsubscribe, true, "One-click unsubscribe (RFC 8058) for marketing and subscribed messages", HEADERS),
        ],
    },
    ProviderRules {
        name: "Yahoo / AOL",
        bulk: "Yahoo gives no number",
        source: "https://senders.yahooinc.com/best-practices/",
        checked: "2025-04-10 capture, read 2026-12-05",
        rules: &[
            req(Topic::Spf, false, "SPF or DKIM at a minimum; bulk senders SPF and DKIM", SENDER_HUB),
            req(Topic::Dkim, false, "DKIM with a minimum 1024-bit key", HEADERS),
            req(Topic::Dmarc, true, "A valid DMARC policy with at least p=none, and DMARC must pass", SENDER_HUB),
            req(Topic::Alignment, true, "The From: domain aligned with the SPF or the DKIM domain", HEADERS),
            req(Topic::Ptr, false, "A valid forward and reverse DNS record for the sending IPs", SENDER_HUB),
            req(Topic::Format, false, "Comply with RFCs 5321 and 5322", HEADERS),
            req(Topic::SpamRate, false, "Spam rate below 0.3%", SENDER_HUB),
            req(Topic::Unsubscribe, true, "One-click unsubscribe for marketing and subscribed messages", HEADERS),
            req(Topic::Arc, false, "ARC when you forward email", HEADERS),
        ],
    },
    ProviderRules {
        name: "Outlook.com (consumer domains)",
        bulk: "more than 5,000 messages a day to outlook.com, hotmail.com, live.com; rejected with 550 5.7.515 since 5 May 2025",
        source: "https://techcommunity.microsoft.com/blog/microsoftdefenderforoffice365blog/strengthening-email-ecosystem-outlook%E2%80%99s-new-requirements-for-high%E2%80%90volume-senders/4399730",
        checked: "2025-08-02 capture, read 2026-12-05",
        rules: &[
            req(Topic::Spf, true, "SPF must pass for the sending domain", SNDS),
            req(Topic::Dkim, true, "DKIM must pass", HEADERS),
            req(Topic::Dmarc, true, "DMARC with at least p=none", SNDS),
            req(Topic::Alignment, true, "Aligned with SPF or DKIM (preferably both)", HEADERS),
            req(Topic::Ptr, false, "Reverse DNS: mail from senders failing it may not be accepted", SNDS),
            req(Topic::Unsubscribe, true, "A functional unsubscribe link (recommended)", HEADERS),
        ],
    },
];

/// What the checklist reads: the sender-side findings of each check that
/// answered (`None`: not answered yet), and the sending IP if given.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChecklistInput<'a> {
    pub spf: Option<&'a [Finding]>,
    pub dkim: Option<&'a [Finding]>,
    pub dmarc: Option<&'a [Finding]>,
    pub ptr: Option<&'a [Finding]>,
    pub sending_ip: Option<IpAddr>,
}

/// One judged requirement.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    pub requirement: &'static Requirement,
    pub mark: Mark,
    /// Why, in plain words (what was found, or what to give / where to look).
    pub detail: String,
}

/// One provider's judged requirements.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Checklist {
    pub provider: &'static ProviderRules,
    pub rows: Vec<Row>,
}

/// A judgement of one topic: the same for every provider (the rows differ in
/// wording, not in what DNS shows).
type Judgement = (Mark, String);

fn has(findings: &[Finding], codes: &[Code]) -> bool {
    findings.iter().any(|f| codes.contains(&f.code))
}

fn spf(input: &ChecklistInput) -> Judgement {
    let Some(f) = input.spf else { return (Mark::NotCheckable, "The SPF check has not answered yet.".into()) };
    if has(f, &[Code::Spf(SpfCode::SenderPass)]) {
        return (Mark::Pass, "SPF passes for your sending IP.".into());
    }
    if has(
        f,
        &[
            Code::Spf(SpfCode::SenderFail),
            Code::Spf(SpfCode::SenderSoftfail),
            Code::Spf(SpfCode::SenderNeutral),
            Code::Spf(SpfCode::SenderPermerror),
        ],
    ) {
        return (Mark::Fail, "SPF does not pass for your sending IP: see the SPF section.".into());
    }
    // No record, or one receivers return permerror for: the same list the diagnosis uses.
    let none = [Code::Spf(SpfCode::None), Code::Spf(SpfCode::Type99Only)];
    if has(f, &none) || has(f, SPF_BROKEN) {
        return (Mark::Fail, "No valid SPF record: receivers treat it as none.".into());
    }
    if has(f, &[Code::Spf(SpfCode::LookupFailed), Code::Spf(SpfCode::SenderTemperror)]) {
        return (Mark::NotCheckable, "Couldn't ask for the SPF record: run the check again.".into());
    }
    (Mark::NeedsInput, "An SPF record is published; give your sending IP to check that it passes.".into())
}

fn dkim(input: &ChecklistInput) -> Judgement {
    let Some(f) = input.dkim else { return (Mark::NotCheckable, "The DKIM check has not answered yet.".into()) };
    if has(f, &[Code::Dkim(DkimCode::KeyTooShort), Code::Dkim(DkimCode::Revoked), Code::Dkim(DkimCode::BadKey)]) {
        return (
            Mark::Fail,
            "A DKIM key is shorter than 1024 bits, revoked or unreadable: see the DKIM section.".into(),
        );
    }
    if has(f, &[Code::Dkim(DkimCode::KeyOk)]) {
        return (Mark::Pass, "A DKIM key is published (RSA of 2048 bits or more, or Ed25519).".into());
    }
    if has(f, &[Code::Dkim(DkimCode::Key1024)]) {
        return (Mark::Pass, "A 1024-bit DKIM key is published: enough, but 2048 bits is recommended.".into());
    }
    if has(f, &[Code::Dkim(DkimCode::LookupFailed)]) {
        return (Mark::NotCheckable, "Couldn't ask for the DKIM keys: run the check again.".into());
    }
    (
        Mark::NeedsInput,
        "No DKIM key found at the selectors tried: give the selector (s= in a sent message's DKIM-Signature).".into(),
    )
}

fn dmarc(input: &ChecklistInput) -> Judgement {
    let Some(f) = input.dmarc else { return (Mark::NotCheckable, "The DMARC check has not answered yet.".into()) };
    if has(
        f,
        &[
            Code::Dmarc(DmarcCode::None),
            Code::Dmarc(DmarcCode::Multiple),
            Code::Dmarc(DmarcCode::Syntax),
            Code::Dmarc(DmarcCode::MissingP),
            Code::Dmarc(DmarcCode::PublicSuffix),
        ],
    ) {
        return (Mark::Fail, "No valid DMARC record with a policy: see the DMARC section.".into());
    }
    if has(
        f,
        &[
            Code::Dmarc(DmarcCode::Ok),
            Code::Dmarc(DmarcCode::PNone),
            Code::Dmarc(DmarcCode::Inherited),
            Code::Dmarc(DmarcCode::Testing),
        ],
    ) {
        return (Mark::Pass, "A DMARC record with a policy is published.".into());
    }
    (Mark::NotCheckable, "Couldn't ask for the DMARC record: run the check again.".into())
}

/// PTR findings about the sending IP (the PTR check also covers the MX hosts).
fn ptr(input: &ChecklistInput) -> Judgement {
    let Some(ip) = input.sending_ip else {
        return (Mark::NeedsInput, "Give your sending server's public IP to check its reverse DNS.".into());
    };
    let Some(f) = input.ptr else { return (Mark::NotCheckable, "The PTR check has not answered yet.".into()) };
    let text = ip.to_string();
    let reverse = crate::dns::reverse_name(ip);
    let about =
        |x: &Finding| x.message.contains(&text) || x.evidence.iter().any(|e| e.name.eq_ignore_ascii_case(&reverse));
    let found = |codes: &[Code]| f.iter().any(|x| codes.contains(&x.code) && about(x));
    if found(&[Code::Ptr(PtrCode::Missing), Code::Ptr(PtrCode::NotConfirmed)]) {
        return (Mark::Fail, format!("{ip} has no forward-confirmed reverse DNS: see the PTR section."));
    }
    if found(&[Code::Ptr(PtrCode::Ok), Code::Ptr(PtrCode::Generic)]) {
        return (Mark::Pass, format!("{ip} has forward-confirmed reverse DNS."));
    }
    if found(&[Code::Ptr(PtrCode::PrivateIp)]) {
        return (Mark::NeedsInput, format!("{ip} is not a public address: give the one receivers see."));
    }
    (Mark::NotCheckable, "Couldn't ask for the reverse DNS: run the check again.".into())
}

fn judge(topic: Topic, input: &ChecklistInput) -> Judgement {
    match topic {
        Topic::Spf => spf(input),
        Topic::Dkim => dkim(input),
        Topic::Dmarc => dmarc(input),
        Topic::Ptr => ptr(input),
        // DNS shows whether records exist, not which domain a message's From: names.
        Topic::Alignment => (
            Mark::NeedsInput,
            "Check a sent message: Authentication-Results must show SPF or DKIM passing for your From: domain (DMARC pass)."
                .into(),
        ),
        Topic::Tls | Topic::Format | Topic::SpamRate | Topic::Unsubscribe | Topic::Arc => {
            (Mark::NotCheckable, "No DNS lookup can show this.".into())
        }
    }
}

/// Every provider's checklist, judged from what the checks found.
pub fn checklist(input: &ChecklistInput) -> Vec<Checklist> {
    let topics = [Topic::Spf, Topic::Dkim, Topic::Dmarc, Topic::Alignment, Topic::Ptr];
    let judged: Vec<(Topic, Judgement)> = topics.into_iter().map(|t| (t, judge(t, input))).collect();
    PROVIDERS
        .iter()
        .map(|provider| Checklist {
            provider,
            rows: provider
                .rules
                .iter()
                .map(|requirement| {
                    let (mark, detail) = judged
                        .iter()
                        .find(|(t, _)| *t == requirement.topic)
                        .map(|(_, j)| j.clone())
                        .unwrap_or_else(|| judge(requirement.topic, input));
                    let detail = if mark == Mark::NotCheckable && detail.starts_with("No DNS") {
                        format!("{detail} Verify it in {}.", requirement.verify)
                    } else {
                        detail
                    };
                    Row { requirement, mark, detail }
                })
                .collect(),
        })
        .collect()
}
