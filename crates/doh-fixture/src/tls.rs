//! The HTTP/2 listener's TLS identity: a self-signed certificate for the IP
//! address 127.0.0.1, made at start (ECDSA P-256, rcgen), and a rustls server
//! configuration (ring provider, TLS 1.3, ALPN "h2" only). The same kind of
//! certificate, written as PEM files (`--write-cert DIR`), is what the real DoH
//! server of the tests (dnsdist, scripts/real-doh.sh) presents: Chromium trusts
//! either by its key hash alone.

use std::sync::Arc;

use rcgen::{CertifiedKey, PublicKeyData};
use ring::digest::{digest, SHA256};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::ServerConfig;

pub struct Identity {
    pub config: Arc<ServerConfig>,
    /// Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo (DER): what
    /// Chromium's `--ignore-certificate-errors-spki-list` takes to trust exactly it.
    pub spki: String,
}

/// A fresh certificate for 127.0.0.1: (certificate DER, PKCS #8 key DER, SPKI hash).
fn generate() -> Result<(Vec<u8>, Vec<u8>, String), String> {
    let CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).map_err(|e| e.to_string())?;
    let spki = base64(digest(&SHA256, &signing_key.subject_public_key_info()).as_ref());
    Ok((cert.der().to_vec(), signing_key.serialize_der(), spki))
}

pub fn self_signed() -> Result<Identity, String> {
    let (cert, key, spki) = generate()?;
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key));
    let mut config = ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_no_client_auth().with_single_cert(vec![cert.into()], key))
        .map_err(|e| e.to_string())?;
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(Identity { config: Arc::new(config), spki })
}

/// Writes a fresh certificate and its key as `cert.pem` and `key.pem` (RFC 7468:
/// CERTIFICATE, PKCS #8 PRIVATE KEY) in `dir`; returns its SPKI hash.
pub fn write_pem(dir: &std::path::Path) -> Result<String, String> {
    let (cert, key, spki) = generate()?;
    for (file, label, der) in [("cert.pem", "CERTIFICATE", cert), ("key.pem", "PRIVATE KEY", key)] {
        let path = dir.join(file);
        std::fs::write(&path, pem(label, &der)).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(spki)
}

/// RFC 7468 §2: the label lines around base64 in lines of 64 characters.
fn pem(label: &str, der: &[u8]) -> String {
    let text = base64(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in text.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// RFC 4648 §4 base64, with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_rfc4648_vectors() {
        let vectors =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
        for (plain, encoded) in vectors {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn pem_files() {
        let dir = std::env::temp_dir().join(format!("doh-fixture-pem-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spki = write_pem(&dir).unwrap();
        assert_eq!(spki.len(), 44);
        let cert = std::fs::read_to_string(dir.join("cert.pem")).unwrap();
        let key = std::fs::read_to_string(dir.join("key.pem")).unwrap();
        assert!(cert.starts_with("-----BEGIN CERTIFICATE-----\n") && cert.ends_with("-----END CERTIFICATE-----\n"));
        assert!(key.starts_with("-----BEGIN PRIVATE KEY-----\n") && key.ends_with("-----END PRIVATE KEY-----\n"));
        assert!(cert.lines().all(|l| l.len() <= 64));
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(pem("X", b"hello"), "-----BEGIN X-----\naGVsbG8=\n-----END X-----\n");
    }

    #[test]
    fn a_fresh_identity_each_start() {
        let (a, b) = (self_signed().unwrap(), self_signed().unwrap());
        assert_eq!(a.spki.len(), 44, "32 bytes: 43 symbols and one '='");
        assert_ne!(a.spki, b.spki);
        assert_eq!(a.config.alpn_protocols, vec![b"h2".to_vec()]);
    }
}
