//! What kind of key a record's `p=` holds and how long it is, read without
//! any cryptography: base64 (RFC 4648 §4), then a few DER elements.
//!
//! RSA keys come in two shapes. RFC 6376 §3.6.1 says `p=` holds a PKCS#1
//! `RSAPublicKey`, but its own Appendix C (`openssl rsa -pubout`) produces a
//! `SubjectPublicKeyInfo` wrapping one, and that is what nearly every record
//! publishes; errata 3017 ("Held for Document Update") says verifiers accept
//! both and that the two are trivial to tell apart, and errata 6674 shows the
//! bare PKCS#1 form in the DNS. So both are read here. Ed25519 keys (RFC 8463
//! §4.2) are the raw 32 bytes, never wrapped.

use std::fmt;

pub use crate::base64::{decode as decode_base64, Base64Error};

use super::record::KeyType;
use crate::parse_error::ParseError;

/// The algorithm a key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum KeyAlgorithm {
    Rsa,
    Ed25519,
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyAlgorithm::Rsa => "RSA",
            KeyAlgorithm::Ed25519 => "Ed25519",
        })
    }
}

/// How the key bytes are packaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum KeyFormat {
    /// X.509 `SubjectPublicKeyInfo` (what `openssl rsa -pubout` prints).
    SubjectPublicKeyInfo,
    /// A bare PKCS#1 `RSAPublicKey` (the letter of RFC 6376 §3.6.1).
    Pkcs1,
    /// The raw 32 bytes of an Ed25519 key (RFC 8463).
    Raw,
}

/// A readable key: algorithm and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct KeyInfo {
    pub algorithm: KeyAlgorithm,
    /// RSA: the modulus length in bits. Ed25519: 256.
    pub bits: u32,
    pub format: KeyFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum KeyErrorKind {
    /// The DER structure ends early or a length runs past the data.
    Truncated,
    /// Not the DER of a public key (wrong element where a SEQUENCE, INTEGER… belongs).
    NotAKey,
    /// A key for an algorithm DKIM does not use (EC, DSA…), or not the one `k=` names.
    WrongAlgorithm,
    /// An Ed25519 key that is not 32 raw bytes.
    BadEd25519,
    /// `k=` names a key type DKIM does not define.
    UnknownKeyType,
}

/// Why key bytes are not a usable key; the offset is into the decoded bytes.
pub type KeyError = ParseError<KeyErrorKind>;

fn key_err<T>(kind: KeyErrorKind, offset: usize, message: impl Into<String>) -> Result<T, KeyError> {
    Err(ParseError::new(kind, offset, message))
}

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// The DER prefix of an Ed25519 `SubjectPublicKeyInfo`; the raw key follows.
const ED25519_SPKI_PREFIX: &[u8] = &[0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/// Reads the key bytes of a record whose `k=` is `key_type`.
pub fn key_info(key_type: &KeyType, bytes: &[u8]) -> Result<KeyInfo, KeyError> {
    match key_type {
        KeyType::Rsa => {
            if bytes.len() == 32 {
                return key_err(
                    KeyErrorKind::WrongAlgorithm,
                    0,
                    "The key is 32 bytes, the size of an Ed25519 key, but the record says (or defaults to) k=rsa. Add k=ed25519.",
                );
            }
            rsa_key_info(bytes)
        }
        KeyType::Ed25519 => ed25519_key_info(bytes),
        KeyType::Other(k) => key_err(
            KeyErrorKind::UnknownKeyType,
            0,
            format!("The key type k={k} is not one DKIM defines (rsa, ed25519); verifiers ignore this key."),
        ),
    }
}

fn ed25519_key_info(bytes: &[u8]) -> Result<KeyInfo, KeyError> {
    if bytes.len() == 32 {
        return Ok(KeyInfo { algorithm: KeyAlgorithm::Ed25519, bits: 256, format: KeyFormat::Raw });
    }
    if bytes.len() == 44 && bytes.starts_with(ED25519_SPKI_PREFIX) {
        return key_err(
            KeyErrorKind::BadEd25519,
            0,
            "The Ed25519 key is wrapped in a SubjectPublicKeyInfo (44 bytes); RFC 8463 wants only the raw 32-byte key in p=.",
        );
    }
    key_err(KeyErrorKind::BadEd25519, 0, format!("An Ed25519 key is 32 bytes; this one is {} bytes.", bytes.len()))
}

/// RSA: a `SubjectPublicKeyInfo` or a bare `RSAPublicKey`; the modulus length in bits.
pub fn rsa_key_info(bytes: &[u8]) -> Result<KeyInfo, KeyError> {
    let mut outer = Der::new(bytes, 0);
    let top = outer.expect(0x30, "a SEQUENCE")?;
    if !outer.is_empty() {
        return key_err(KeyErrorKind::NotAKey, outer.pos, "There are extra bytes after the key.");
    }
    let mut inner = Der::new(top.content, top.at);
    match inner.peek_tag() {
        // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
        Some(0x02) => rsa_public_key(&mut inner, KeyFormat::Pkcs1),
        // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
        Some(0x30) => {
            let alg = inner.expect(0x30, "the algorithm identifier")?;
            let oid = Der::new(alg.content, alg.at).expect(0x06, "an algorithm OID")?;
            check_rsa_oid(oid.content, oid.at)?;
            let bits = inner.expect(0x03, "the key BIT STRING")?;
            let Some((&unused, key)) = bits.content.split_first() else {
                return key_err(KeyErrorKind::Truncated, bits.at, "The key BIT STRING is empty.");
            };
            if unused != 0 {
                return key_err(KeyErrorKind::NotAKey, bits.at, "The key BIT STRING has unused bits.");
            }
            let mut rsa = Der::new(key, bits.at + 1);
            let seq = rsa.expect(0x30, "an RSAPublicKey SEQUENCE")?;
            rsa_public_key(&mut Der::new(seq.content, seq.at), KeyFormat::SubjectPublicKeyInfo)
        }
        _ => key_err(KeyErrorKind::NotAKey, inner.pos, "This is not the DER of an RSA public key."),
    }
}

fn check_rsa_oid(oid: &[u8], at: usize) -> Result<(), KeyError> {
    let what = if oid == OID_RSA {
        return Ok(());
    } else if oid == OID_ED25519 {
        "an Ed25519 key (publish the raw 32 bytes with k=ed25519 instead)"
    } else if oid == OID_EC {
        "an elliptic-curve (ECDSA) key, which DKIM does not use"
    } else {
        "a key for an algorithm DKIM does not use"
    };
    key_err(KeyErrorKind::WrongAlgorithm, at, format!("The record says RSA, but this is {what}."))
}

fn rsa_public_key(der: &mut Der<'_>, format: KeyFormat) -> Result<KeyInfo, KeyError> {
    let modulus = der.expect(0x02, "the modulus INTEGER")?;
    der.expect(0x02, "the public exponent INTEGER")?;
    // DER integers are signed: a leading 0x00 keeps the top bit from reading as a sign.
    let digits: &[u8] = match modulus.content.iter().position(|&b| b != 0) {
        Some(first) => &modulus.content[first..],
        None => &[],
    };
    let Some(&top) = digits.first() else {
        return key_err(KeyErrorKind::NotAKey, modulus.at, "The RSA modulus is zero.");
    };
    let bits = (digits.len() as u64 - 1) * 8 + u64::from(8 - top.leading_zeros());
    Ok(KeyInfo { algorithm: KeyAlgorithm::Rsa, bits: u32::try_from(bits).unwrap_or(u32::MAX), format })
}

/// One DER element: tag, content, and where the content starts in the whole key.
struct Element<'a> {
    content: &'a [u8],
    at: usize,
}

/// A cursor over DER bytes; `base` is the offset of `data` in the whole key.
struct Der<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
}

impl<'a> Der<'a> {
    fn new(data: &'a [u8], base: usize) -> Der<'a> {
        Der { data, pos: 0, base }
    }

    fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn peek_tag(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    /// Reads the next element, which must have `tag`.
    fn expect(&mut self, tag: u8, what: &str) -> Result<Element<'a>, KeyError> {
        let at = self.base + self.pos;
        match self.peek_tag() {
            None => return key_err(KeyErrorKind::Truncated, at, format!("The key ends where {what} should be.")),
            Some(t) if t != tag => {
                return key_err(KeyErrorKind::NotAKey, at, format!("Expected {what} in the key data."))
            }
            Some(_) => {}
        }
        let (len, header) = self.length(self.pos + 1)?;
        let start = self.pos + 1 + header;
        let Some(content) = start.checked_add(len).and_then(|end| self.data.get(start..end)) else {
            return key_err(KeyErrorKind::Truncated, at, format!("The key data is cut short inside {what}."));
        };
        self.pos = start + len;
        Ok(Element { content, at: self.base + start })
    }

    /// The definite length at `i`: (length, bytes the length took).
    fn length(&self, i: usize) -> Result<(usize, usize), KeyError> {
        let at = self.base + i;
        let Some(&first) = self.data.get(i) else {
            return key_err(KeyErrorKind::Truncated, at, "The key data ends inside an element header.");
        };
        if first < 0x80 {
            return Ok((usize::from(first), 1));
        }
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return key_err(KeyErrorKind::NotAKey, at, "The key data has an invalid DER length.");
        }
        let Some(bytes) = self.data.get(i + 1..i + 1 + n) else {
            return key_err(KeyErrorKind::Truncated, at, "The key data ends inside an element length.");
        };
        let len = bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        Ok((len, 1 + n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_and_points_at_errors() {
        assert_eq!(decode_base64("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode_base64("aGVs bG8h").unwrap(), b"hello!");
        assert_eq!(decode_base64("aA==").unwrap(), b"h");
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("aGV*bG8=").unwrap_err().offset, 3);
        assert_eq!(decode_base64("aGVsbG8").unwrap_err().offset, 7);
        assert_eq!(decode_base64("a===").unwrap_err().offset, 1);
        assert_eq!(decode_base64("aA==aA==").unwrap_err().offset, 4);
    }

    #[test]
    fn short_der_is_truncated_not_a_panic() {
        for bytes in [&[][..], &[0x30], &[0x30, 0x82], &[0x30, 0x05, 0x02], &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]] {
            assert!(rsa_key_info(bytes).is_err(), "{bytes:?}");
        }
        // Modulus 0x00 0x80 (8 bits, sign byte), exponent 3.
        let k = rsa_key_info(&[0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x03]).unwrap();
        assert_eq!((k.bits, k.format), (8, KeyFormat::Pkcs1));
    }
}
