//! The DKIM key record published at `<selector>._domainkey.<domain>`
//! (RFC 6376 §3.6.1): a positioned parser (`FromStr`) and a printer
//! (`Display`) whose output parses back to an equal value.
//!
//! The parser is as strict as a verifier: RFC 6376 §6.1.2 says a key record
//! that "does not adhere to the format defined in this specification" is
//! ignored (PERMFAIL, key syntax error), so every syntax problem is an `Err`
//! with the byte offset of the culprit. What is syntactically fine but
//! unwise (sha1 only, testing mode, a short key) is for the check to judge.

use std::fmt;
use std::str::FromStr;

use super::key::{decode_base64, Base64Error};
use super::tags::{bad_value_char, is_fws, split_tags};
use crate::parse_error::ParseError;
use crate::quote::{Quoted, QuotedChar};

/// The `k=` tag: which kind of key `p=` holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub enum KeyType {
    /// `rsa`, the default (RFC 6376 §3.6.1).
    Rsa,
    /// `ed25519` (RFC 8463): `p=` is the raw 32-byte public key.
    Ed25519,
    /// Anything else. "Unrecognized key types MUST be ignored" (§3.6.1): the key is unusable.
    Other(String),
}

impl KeyType {
    fn parse(value: &str) -> KeyType {
        match value {
            "rsa" => KeyType::Rsa,
            "ed25519" => KeyType::Ed25519,
            other => KeyType::Other(other.to_string()),
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyType::Rsa => "rsa",
            KeyType::Ed25519 => "ed25519",
            KeyType::Other(s) => s,
        })
    }
}

/// A DKIM key record. Lists are empty when their tag is absent (the
/// accessors apply the defaults).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct DkimKeyRecord {
    /// `v=DKIM1` was written (it is optional, but must come first when present).
    pub version: bool,
    /// `h=`: acceptable hash algorithms; empty = all.
    pub hashes: Vec<String>,
    /// `k=`; `None` = not given (rsa).
    pub key_type: Option<KeyType>,
    /// `n=`: notes for people, as written.
    pub notes: Option<String>,
    /// `p=`: the base64 key data, whitespace removed. Empty = revoked.
    pub public_key: String,
    /// `s=`: service types; empty = `*` (all).
    pub services: Vec<String>,
    /// `t=`: flags (`y` testing, `s` no subdomains in `i=`).
    pub flags: Vec<String>,
    /// Tags DKIM does not define, in order (ignored by verifiers, kept to print back).
    pub unknown: Vec<(String, String)>,
}

impl DkimKeyRecord {
    /// A record with `v=DKIM1; p=<key>`.
    pub fn new(public_key: &str) -> DkimKeyRecord {
        DkimKeyRecord { version: true, public_key: public_key.to_string(), ..DkimKeyRecord::default() }
    }

    pub fn key_type(&self) -> KeyType {
        self.key_type.clone().unwrap_or(KeyType::Rsa)
    }

    /// An empty `p=` means the key was revoked (RFC 6376 §3.6.1).
    pub fn is_revoked(&self) -> bool {
        self.public_key.is_empty()
    }

    /// `t=y`: "This domain is testing DKIM" — verifiers treat its mail as unsigned.
    pub fn is_testing(&self) -> bool {
        self.flags.iter().any(|f| f == "y")
    }

    /// `t=s`: the `i=` of a signature must be exactly the `d=` domain.
    pub fn is_strict_subdomain(&self) -> bool {
        self.flags.iter().any(|f| f == "s")
    }

    /// Whether the key may sign mail (`s=` absent, or holding `*` or `email`).
    pub fn allows_email(&self) -> bool {
        self.services.is_empty() || self.services.iter().any(|s| s == "*" || s == "email")
    }

    /// Whether the key can be used with a hash verifiers still accept
    /// (sha256; RFC 8301 §3.1 forbids sha1).
    pub fn allows_sha256(&self) -> bool {
        self.hashes.is_empty() || self.hashes.iter().any(|h| h == "sha256")
    }

    /// The decoded key bytes (`None` when revoked; cannot fail on a parsed record).
    pub fn key_bytes(&self) -> Option<Vec<u8>> {
        if self.is_revoked() {
            return None;
        }
        decode_base64(&self.public_key).ok()
    }
}

/// Canonical form: `v=DKIM1` first (if it was there), `p=` last.
impl fmt::Display for DkimKeyRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if self.version {
            parts.push("v=DKIM1".into());
        }
        if !self.hashes.is_empty() {
            parts.push(format!("h={}", self.hashes.join(":")));
        }
        if let Some(k) = &self.key_type {
            parts.push(format!("k={k}"));
        }
        if let Some(n) = &self.notes {
            parts.push(format!("n={n}"));
        }
        if !self.services.is_empty() {
            parts.push(format!("s={}", self.services.join(":")));
        }
        if !self.flags.is_empty() {
            parts.push(format!("t={}", self.flags.join(":")));
        }
        for (name, value) in &self.unknown {
            parts.push(format!("{name}={value}"));
        }
        parts.push(format!("p={}", self.public_key));
        f.write_str(&parts.join("; "))
    }
}

/// What is wrong with a key record's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum KeyRecordErrorKind {
    /// Nothing but whitespace.
    Empty,
    /// A part between semicolons that is not `tag=value`.
    MalformedTag,
    /// `tag=value` whose name is not letters, digits and `_`, starting with a letter.
    BadTagName,
    /// The same tag twice: "the entire tag-list is invalid" (RFC 6376 §3.2).
    DuplicateTag,
    /// `v=` present but not the first tag.
    VersionNotFirst,
    /// `v=` with a value other than `DKIM1`: such records "MUST be discarded".
    BadVersion,
    /// A character tag values cannot hold (non-ASCII, control characters).
    BadCharacter,
    /// A list tag (`h`, `s`, `t`) with an empty item, or `k=` empty.
    BadValue,
    /// No `p=` tag at all (it is REQUIRED; an empty one means revoked).
    MissingKey,
    /// `p=` is not base64.
    BadBase64,
}

/// Why a key record could not be read: kind, byte offset, words for a person.
pub type KeyRecordError = ParseError<KeyRecordErrorKind>;

fn err<T>(kind: KeyRecordErrorKind, offset: usize, message: String) -> Result<T, KeyRecordError> {
    Err(ParseError::new(kind, offset, message))
}

impl FromStr for DkimKeyRecord {
    type Err = KeyRecordError;

    fn from_str(text: &str) -> Result<DkimKeyRecord, KeyRecordError> {
        use KeyRecordErrorKind::*;
        if text.trim_matches(is_fws).is_empty() {
            return err(Empty, 0, "The DKIM record is empty.".into());
        }
        let mut record = DkimKeyRecord::default();
        let mut seen: Vec<&str> = Vec::new();
        let mut has_p = false;
        for (index, part) in split_tags(text).into_iter().enumerate() {
            let tag = match part {
                Ok(tag) => tag,
                Err(bad) if bad.bad_name => {
                    return err(
                        BadTagName,
                        bad.at,
                        format!("{} does not start with a tag name (letters, digits, _).", Quoted(&bad.text)),
                    )
                }
                Err(bad) => {
                    return err(MalformedTag, bad.at, format!("{} is not a tag=value pair.", Quoted(&bad.text)))
                }
            };
            if seen.contains(&tag.name) {
                return err(
                    DuplicateTag,
                    tag.name_at,
                    format!(
                        "The tag \"{}\" appears twice; verifiers then ignore the whole record (RFC 6376 §3.2).",
                        tag.name
                    ),
                );
            }
            seen.push(tag.name);
            if let Some((at, c)) = bad_value_char(tag.value, tag.value_at) {
                return err(BadCharacter, at, format!("A DKIM tag value cannot contain {}.", QuotedChar(c)));
            }
            read_tag(&mut record, index, &tag)?;
            has_p |= tag.name == "p";
        }
        if !has_p {
            return err(
                MissingKey,
                text.len(),
                "There is no p= tag: a DKIM key record must publish the key (p=).".into(),
            );
        }
        Ok(record)
    }
}

/// Applies one tag to the record, checking its value.
fn read_tag(record: &mut DkimKeyRecord, index: usize, tag: &super::tags::TagSpec<'_>) -> Result<(), KeyRecordError> {
    use KeyRecordErrorKind::*;
    let value = tag.value;
    match tag.name {
        "v" if index != 0 => err(VersionNotFirst, tag.name_at, "v=DKIM1 must be the first tag of the record.".into()),
        "v" if value != "DKIM1" => err(
            BadVersion,
            tag.value_at,
            format!("The version must be exactly DKIM1, not {}; verifiers discard this record.", Quoted(value)),
        ),
        "v" => {
            record.version = true;
            Ok(())
        }
        "h" => list(value, tag.value_at).map(|l| record.hashes = l),
        "s" => list(value, tag.value_at).map(|l| record.services = l),
        "t" => list(value, tag.value_at).map(|l| record.flags = l),
        "k" if value.is_empty() => {
            err(BadValue, tag.value_at, "k= is empty; write k=rsa or k=ed25519, or leave the tag out.".into())
        }
        "k" => {
            record.key_type = Some(KeyType::parse(value));
            Ok(())
        }
        "n" => {
            record.notes = Some(value.to_string());
            Ok(())
        }
        "p" => match decode_base64(value) {
            Ok(_) => {
                record.public_key = value.chars().filter(|c| !is_fws(*c)).collect();
                Ok(())
            }
            Err(Base64Error { offset, message }) => {
                err(BadBase64, tag.value_at + offset, format!("The key (p=) is not valid base64: {message}"))
            }
        },
        name => {
            record.unknown.push((name.to_string(), value.to_string()));
            Ok(())
        }
    }
}

/// A colon-separated list (`h`, `s`, `t`), items trimmed; an empty item is an error.
fn list(value: &str, value_at: usize) -> Result<Vec<String>, KeyRecordError> {
    let mut out = Vec::new();
    let mut at = value_at;
    for item in value.split(':') {
        let trimmed = item.trim_matches(is_fws);
        if trimmed.is_empty() || trimmed.contains(is_fws) {
            return err(
                KeyRecordErrorKind::BadValue,
                at,
                format!("{} is not a colon-separated list of words.", Quoted(value)),
            );
        }
        out.push(trimmed.to_string());
        at += item.len() + 1;
    }
    Ok(out)
}
