//! MTA-STS (RFC 8461): whether a domain asks senders to require TLS to its MX.
//!
//! - [`record`]: the `_mta-sts` TXT record's parser and printer.
//! - [`policy`]: the policy file's parser and printer, and MX pattern matching.
//! - [`check`]: [`check_mta_sts`] over DNS. The policy file itself is never fetched
//!   from the page (RFC 8461 asks nothing of CORS, and the fetch would tell the
//!   audited domain who is looking): the report carries the `curl` command, and a
//!   pasted policy is checked against the live MX hosts.
//! - `tags`: the `tag=value;` syntax shared with TLS-RPT and BIMI.

pub mod check;
pub mod policy;
pub mod record;
pub(crate) mod tags;

pub use check::{check_mta_sts, mta_sts_questions, policy_url, MtaStsReport};
pub use policy::{Mode, MtaStsPolicy, MxPattern, PolicyError, PolicyErrorKind, MAX_AGE_LIMIT};
pub use record::{MtaStsRecord, MtaStsRecordError, MtaStsRecordErrorKind, STS_VERSION};

finding_codes! {
    /// The finding codes of this check; text form `mta-sts.<name>`.
    pub enum MtaStsCode: MtaSts, "mta-sts" {
        HostLookupFailed = "host-lookup-failed",
        HostMissing = "host-missing",
        LookupFailed = "lookup-failed",
        MaxAgeShort = "max-age-short",
        ModeNone = "mode-none",
        ModeTesting = "mode-testing",
        Multiple = "multiple",
        MxCovered = "mx-covered",
        MxNotCovered = "mx-not-covered",
        MxNotCoveredTesting = "mx-not-covered-testing",
        None = "none",
        PolicyNotFetched = "policy-not-fetched",
        PolicySyntax = "policy-syntax",
        RecordOk = "record-ok",
        RecordSyntax = "record-syntax",
    }
}
