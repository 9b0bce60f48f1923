//! DKIM: the key records published under `_domainkey` (RFC 6376 §3.6), and
//! the check that looks for them.
//!
//! - [`record`]: the key record parser and printer (§3.6.1);
//! - [`key`]: base64 and DER, to tell the key type and size without crypto;
//! - [`selectors`]: which selectors to probe (given, providers', common);
//! - [`check`]: [`check_dkim`], one DNS round, findings coded `dkim.*`;
//! - [`tags`]: the tag-list syntax (§3.2) shared with the DKIM-Signature reader.

pub mod check;
pub mod key;
pub mod record;
pub mod selectors;
pub mod tags;

pub use check::{check_dkim, DkimReport, SelectorResult, SelectorState};
pub use key::{decode_base64, key_info, KeyAlgorithm, KeyError, KeyErrorKind, KeyFormat, KeyInfo};
pub use record::{DkimKeyRecord, KeyRecordError, KeyRecordErrorKind, KeyType};
pub use selectors::{selectors_to_probe, wildcard_probe, SelectorSource};

finding_codes! {
    /// The finding codes of this check; text form `dkim.<name>`.
    pub enum DkimCode: Dkim, "dkim" {
        Ambiguous = "ambiguous",
        BadKey = "bad-key",
        BadRecord = "bad-record",
        BadSelector = "bad-selector",
        CnameChain = "cname-chain",
        CnameNoKey = "cname-no-key",
        Ed25519Only = "ed25519-only",
        Key1024 = "key-1024",
        KeyOk = "key-ok",
        KeyTooShort = "key-too-short",
        LookupFailed = "lookup-failed",
        NoKeyFound = "no-key-found",
        NoSubdomains = "no-subdomains",
        NoUsableHash = "no-usable-hash",
        NotForEmail = "not-for-email",
        Revoked = "revoked",
        Sha1Only = "sha1-only",
        SigFromUnsigned = "sig-from-unsigned",
        SigIdentityMismatch = "sig-identity-mismatch",
        SigIncomplete = "sig-incomplete",
        SigSha1 = "sig-sha1",
        Testing = "testing",
        TooManySelectors = "too-many-selectors",
        UnknownKeyType = "unknown-key-type",
        Wildcard = "wildcard",
    }
}
