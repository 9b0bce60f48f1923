//! The registry of checks: one [`CheckId`] per report section, one contract
//! ([`CheckReport`]) every check's report implements, and the data the runner,
//! the reducer, the permalink, the status line and the view iterate over.
//!
//! Adding a check (README "Adding a check"): a variant here, its arm in each
//! exhaustive `match` on [`CheckId`] / [`Answer`] (the compiler lists them),
//! its module with a `CheckReport` impl, its view component and its rules.
//!
//! - [`request`]: the checked request a run is made from.
//! - [`runner`]: runs a request's checks over any `Resolver`, in the order
//!   [`CheckId::after`] gives, emitting each answer as it arrives.
//! - [`report`]: the report being filled in, answer by answer (one reducer).
//! - [`derive`]: what is computed from a report once per answer batch:
//!   diagnosis, corrected records, statuses.

pub mod derive;
pub mod published;
pub mod report;
pub mod request;
pub mod runner;

use std::fmt;
use std::rc::Rc;

use crate::bimi::BimiReport;
use crate::blocklist::BlocklistReport;
use crate::dane::DaneReport;
use crate::dkim::DkimReport;
use crate::dmarc::DmarcReport;
use crate::dns::{Lookup, Outcome};
use crate::finding::{worst, Finding, Severity};
use crate::mta_sts::MtaStsReport;
use crate::mx::MxReport;
use crate::ptr::PtrReport;
use crate::spf::SpfReport;
use crate::tlsrpt::TlsRptReport;

/// The report sections, in page order. `key()` is the section's `data-check`
/// and its name in permalinks and the JSON export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CheckId {
    Mx,
    Spf,
    Dmarc,
    /// DKIM keys at the selectors given and the providers' documented ones.
    Dkim,
    Ptr,
    Txt,
    /// The sending IP, the MX hosts' addresses and the domain on DNS blocklists.
    Blocklists,
    /// MTA-STS (RFC 8461): the `_mta-sts` record, its policy host, a pasted policy against the MX hosts.
    MtaSts,
    /// TLS-RPT (RFC 8460): where senders report TLS failures.
    TlsRpt,
    /// DANE (RFC 7672): TLSA records of the MX hosts and whether they are DNSSEC-validated.
    Dane,
    /// BIMI: the brand logo record and its DMARC prerequisite.
    Bimi,
    /// The recipient domain's MX, when a recipient is given.
    RecipientMx,
}

impl CheckId {
    /// Every check, in page order.
    pub const ALL: [CheckId; 12] = [
        CheckId::Mx,
        CheckId::Spf,
        CheckId::Dmarc,
        CheckId::Dkim,
        CheckId::Ptr,
        CheckId::Txt,
        CheckId::Blocklists,
        CheckId::MtaSts,
        CheckId::TlsRpt,
        CheckId::Dane,
        CheckId::Bimi,
        CheckId::RecipientMx,
    ];

    /// Position in [`CheckId::ALL`] (the report's slot).
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn key(self) -> &'static str {
        match self {
            CheckId::Mx => "mx",
            CheckId::Spf => "spf",
            CheckId::Dmarc => "dmarc",
            CheckId::Dkim => "dkim",
            CheckId::Ptr => "ptr",
            CheckId::Txt => "txt",
            CheckId::Blocklists => "blocklists",
            CheckId::MtaSts => "mta-sts",
            CheckId::TlsRpt => "tls-rpt",
            CheckId::Dane => "dane",
            CheckId::Bimi => "bimi",
            CheckId::RecipientMx => "recipient-mx",
        }
    }

    /// The check whose `key()` this is.
    pub fn from_key(key: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The section heading.
    pub fn title(self) -> &'static str {
        match self {
            CheckId::Mx => "MX — where mail for your domain goes",
            CheckId::Spf => "SPF — which servers may send as your domain",
            CheckId::Dmarc => "DMARC — what receivers do with mail that fails",
            CheckId::Dkim => "DKIM — the keys receivers check your signatures with",
            CheckId::Ptr => "PTR — reverse DNS of the mail servers",
            CheckId::Txt => "TXT records of your domain, as published",
            CheckId::Blocklists => "Blocklists — is your server or domain listed as a spam source",
            CheckId::MtaSts => "MTA-STS — must senders use TLS to reach your MX",
            CheckId::TlsRpt => "TLS-RPT — where senders report TLS failures",
            CheckId::Dane => "DANE — your MX hosts' certificates pinned in DNS (TLSA)",
            CheckId::Bimi => "BIMI — your brand logo next to your mail",
            CheckId::RecipientMx => "The recipient's mail servers (MX)",
        }
    }

    /// A short name for the summary strip.
    pub fn short(self) -> &'static str {
        match self {
            CheckId::Mx => "MX",
            CheckId::Spf => "SPF",
            CheckId::Dmarc => "DMARC",
            CheckId::Dkim => "DKIM",
            CheckId::Ptr => "Reverse DNS",
            CheckId::Txt => "TXT",
            CheckId::Blocklists => "Blocklists",
            CheckId::MtaSts => "MTA-STS",
            CheckId::TlsRpt => "TLS-RPT",
            CheckId::Dane => "DANE",
            CheckId::Bimi => "BIMI",
            CheckId::RecipientMx => "Recipient MX",
        }
    }

    /// What the section says while its answer is out.
    pub fn asking(self) -> &'static str {
        match self {
            CheckId::Mx | CheckId::RecipientMx => "Asking for the MX records and the mail servers' addresses…",
            CheckId::Spf => "Asking for the SPF record and everything it includes…",
            CheckId::Dmarc => "Looking for the DMARC record (_dmarc)…",
            CheckId::Dkim => "Probing the DKIM selectors (all at once)…",
            CheckId::Ptr => "Waiting for the mail servers' addresses, then asking their reverse DNS…",
            CheckId::Txt => "Asking for the TXT records…",
            CheckId::Blocklists => "Waiting for the mail servers' addresses, then asking the blocklists…",
            CheckId::MtaSts => "Waiting for the MX hosts, then asking for the MTA-STS record (_mta-sts)…",
            CheckId::TlsRpt => "Asking for the TLS-RPT record (_smtp._tls)…",
            CheckId::Dane => "Waiting for the MX hosts, then asking for their TLSA records…",
            CheckId::Bimi => "Waiting for DMARC, then asking for the BIMI record (default._bimi)…",
        }
    }

    /// The check whose answer this one needs first, if any: the runner starts
    /// it the moment that answer is in; every other check starts at once.
    /// (PTR asks about the MX hosts' addresses.)
    pub fn after(self) -> Option<CheckId> {
        match self {
            // The MX hosts' addresses are checked too; MTA-STS matches a pasted
            // policy against the MX hosts, DANE asks for their TLSA records.
            CheckId::Ptr | CheckId::Blocklists | CheckId::MtaSts | CheckId::Dane => Some(CheckId::Mx),
            // BIMI needs DMARC at enforcement: the DMARC answer says (its walk is
            // no longer than the MX check's two rounds, so this adds no round).
            CheckId::Bimi => Some(CheckId::Dmarc),
            CheckId::Mx
            | CheckId::Spf
            | CheckId::Dmarc
            | CheckId::Dkim
            | CheckId::Txt
            | CheckId::TlsRpt
            | CheckId::RecipientMx => None,
        }
    }

    /// Whose DNS the check looks at: the diagnosis reads the sender's and the
    /// recipient's findings apart.
    pub fn side(self) -> Side {
        match self {
            CheckId::RecipientMx => Side::Recipient,
            CheckId::Mx
            | CheckId::Spf
            | CheckId::Dmarc
            | CheckId::Dkim
            | CheckId::Ptr
            | CheckId::Txt
            | CheckId::Blocklists
            | CheckId::MtaSts
            | CheckId::TlsRpt
            | CheckId::Dane
            | CheckId::Bimi => Side::Sender,
        }
    }

    /// Whether a request asks for this check: a check of the recipient's DNS
    /// only when a recipient is given.
    pub fn applies(self, request: &request::Request) -> bool {
        self.side() == Side::Sender || request.recipient.is_some()
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.short())
    }
}

/// Whose DNS a check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The sending domain and its servers.
    Sender,
    /// The recipient domain (the one that deferred the mail).
    Recipient,
}

/// The checks a request asks for, in page order.
pub fn checks_for(request: &request::Request) -> Vec<CheckId> {
    CheckId::ALL.into_iter().filter(|c| c.applies(request)).collect()
}

/// A section's badge. `key()` is the `data-status` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Pending,
    Pass,
    Warn,
    Fail,
    /// We could not ask (resolver failure): says nothing about the records.
    Unknown,
    /// Nothing to ask about (e.g. no addresses for reverse DNS). Shown as `unknown`.
    NotChecked,
    /// An optional record (MTA-STS, TLS-RPT, DANE, BIMI) the domain does not
    /// publish: not a failure, not a pass either. Shown as `unknown`.
    Absent,
}

impl Status {
    pub fn key(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Unknown | Status::NotChecked | Status::Absent => "unknown",
        }
    }

    /// Badge text: never colour alone.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "Checking…",
            Status::Pass => "✓ Pass",
            Status::Warn => "! Warning",
            Status::Fail => "✗ Fail",
            Status::Unknown => "? Unknown — couldn't ask",
            Status::NotChecked => "– Not checked",
            Status::Absent => "– Not published",
        }
    }

    /// From the findings of a check whose lookups were answered.
    pub fn from_findings(findings: &[Finding]) -> Status {
        match worst(findings) {
            Severity::Ok | Severity::Info => Status::Pass,
            Severity::Warning => Status::Warn,
            Severity::Error => Status::Fail,
        }
    }

    /// Unknown when the check's main question could not be asked, else by its findings.
    pub fn of(main_lookup_failed: bool, findings: &[Finding]) -> Status {
        if main_lookup_failed {
            Status::Unknown
        } else {
            Status::from_findings(findings)
        }
    }
}

/// What every check's report offers the registry: its findings, the lookups
/// behind it (each question once, in the order asked), and its badge.
pub trait CheckReport {
    fn findings(&self) -> &[Finding];
    fn lookups(&self) -> Vec<Lookup>;
    fn status(&self) -> Status;
}

/// The raw TXT records of the domain, as published.
impl CheckReport for Lookup {
    fn findings(&self) -> &[Finding] {
        &[]
    }

    fn lookups(&self) -> Vec<Lookup> {
        vec![self.clone()]
    }

    fn status(&self) -> Status {
        match self.outcome {
            Outcome::Failed(_) => Status::Unknown,
            // The TXT section only lists; SPF, DMARC and MX judge what is missing.
            Outcome::NxDomain => Status::Fail,
            Outcome::Records(_) | Outcome::NoData(_) => Status::Pass,
        }
    }
}

/// One check's result, as it arrives. Shared (`Rc`): the report keeps the
/// very answer, no copy, and a new answer is a new `Rc` (identity = change).
#[derive(Debug, Clone)]
pub enum Answer {
    Mx(Rc<MxReport>),
    Spf(Rc<SpfReport>),
    Dmarc(Rc<DmarcReport>),
    Dkim(Rc<DkimReport>),
    Ptr(Rc<PtrReport>),
    Txt(Rc<Lookup>),
    Blocklists(Rc<BlocklistReport>),
    MtaSts(Rc<MtaStsReport>),
    TlsRpt(Rc<TlsRptReport>),
    Dane(Rc<DaneReport>),
    Bimi(Rc<BimiReport>),
    RecipientMx(Rc<MxReport>),
}

impl Answer {
    pub fn check(&self) -> CheckId {
        match self {
            Answer::Mx(_) => CheckId::Mx,
            Answer::Spf(_) => CheckId::Spf,
            Answer::Dmarc(_) => CheckId::Dmarc,
            Answer::Dkim(_) => CheckId::Dkim,
            Answer::Ptr(_) => CheckId::Ptr,
            Answer::Txt(_) => CheckId::Txt,
            Answer::Blocklists(_) => CheckId::Blocklists,
            Answer::MtaSts(_) => CheckId::MtaSts,
            Answer::TlsRpt(_) => CheckId::TlsRpt,
            Answer::Dane(_) => CheckId::Dane,
            Answer::Bimi(_) => CheckId::Bimi,
            Answer::RecipientMx(_) => CheckId::RecipientMx,
        }
    }

    /// The check's report, through the registry's contract.
    pub fn report(&self) -> &dyn CheckReport {
        match self {
            Answer::Mx(r) | Answer::RecipientMx(r) => &**r,
            Answer::Spf(r) => &**r,
            Answer::Dmarc(r) => &**r,
            Answer::Dkim(r) => &**r,
            Answer::Ptr(r) => &**r,
            Answer::Txt(r) => &**r,
            Answer::Blocklists(r) => &**r,
            Answer::MtaSts(r) => &**r,
            Answer::TlsRpt(r) => &**r,
            Answer::Dane(r) => &**r,
            Answer::Bimi(r) => &**r,
        }
    }

    /// The very same answer (not merely an equal one).
    pub fn same(&self, other: &Answer) -> bool {
        match (self, other) {
            (Answer::Mx(a), Answer::Mx(b)) | (Answer::RecipientMx(a), Answer::RecipientMx(b)) => Rc::ptr_eq(a, b),
            (Answer::Spf(a), Answer::Spf(b)) => Rc::ptr_eq(a, b),
            (Answer::Dmarc(a), Answer::Dmarc(b)) => Rc::ptr_eq(a, b),
            (Answer::Dkim(a), Answer::Dkim(b)) => Rc::ptr_eq(a, b),
            (Answer::Ptr(a), Answer::Ptr(b)) => Rc::ptr_eq(a, b),
            (Answer::Txt(a), Answer::Txt(b)) => Rc::ptr_eq(a, b),
            (Answer::Blocklists(a), Answer::Blocklists(b)) => Rc::ptr_eq(a, b),
            (Answer::MtaSts(a), Answer::MtaSts(b)) => Rc::ptr_eq(a, b),
            (Answer::TlsRpt(a), Answer::TlsRpt(b)) => Rc::ptr_eq(a, b),
            (Answer::Dane(a), Answer::Dane(b)) => Rc::ptr_eq(a, b),
            (Answer::Bimi(a), Answer::Bimi(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_order_keys_and_indexes_agree() {
        for (i, check) in CheckId::ALL.into_iter().enumerate() {
            assert_eq!(check.index(), i);
            assert_eq!(CheckId::from_key(check.key()), Some(check));
            // A check runs after one that comes earlier on the page, never after itself.
            if let Some(first) = check.after() {
                assert!(first.index() < check.index(), "{check:?} after {first:?}");
                assert_eq!(first.after(), None, "one level of dependencies: {first:?}");
            }
        }
        assert_eq!(CheckId::from_key("nope"), None);
    }
}
