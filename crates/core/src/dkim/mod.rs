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
