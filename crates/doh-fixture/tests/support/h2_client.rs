//! A TLS client for the tests' HTTPS + HTTP/2 servers (the fixture's h2
//! listener, the real stack's dnsdist): it trusts exactly one certificate, by
//! the SHA-256 of its key, as Chromium's --ignore-certificate-errors-spki-list does.

use std::sync::Arc;

use ring::digest::{digest, SHA256};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

/// Accepts exactly the certificate whose SubjectPublicKeyInfo hashes to
/// `spki`, as Chromium's --ignore-certificate-errors-spki-list does; the
/// handshake signature is still checked against that certificate's key.
#[derive(Debug)]
struct ExactSpki {
    spki: String,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for ExactSpki {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let spki = spki_of(end_entity).ok_or(rustls::Error::InvalidCertificate(CertificateError::BadEncoding))?;
        if base64(digest(&SHA256, spki).as_ref()) == self.spki {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// The DER element at the start of `der`: (whole element, its contents).
fn der_element(der: &[u8]) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = der.get(1..)?.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        let (len, rest) = (rest.get(..n)?, &rest[n..]);
        (len.iter().fold(0usize, |acc, &b| acc << 8 | usize::from(b)), rest)
    };
    let header = der.len() - rest.len();
    Some((der.get(..header + len)?, rest.get(..len)?))
}

/// RFC 5280 §4.1: Certificate → TBSCertificate → [version], serial, signature,
/// issuer, validity, subject, subjectPublicKeyInfo.
fn spki_of(cert: &[u8]) -> Option<&[u8]> {
    let (_, cert) = der_element(cert)?;
    let (_, mut tbs) = der_element(cert)?;
    let skip = if tbs.first() == Some(&0xa0) { 6 } else { 5 };
    for _ in 0..skip {
        let (element, _) = der_element(tbs)?;
        tbs = &tbs[element.len()..];
    }
    Some(der_element(tbs)?.0)
}

/// RFC 4648 §4 base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { A[((n >> (18 - 6 * i)) & 63) as usize] as char } else { '=' });
        }
    }
    out
}

/// TLS to 127.0.0.1:`port`, offering `alpn`, trusting the certificate of `spki` only.
pub async fn tls(port: u16, spki: &str, alpn: &[&[u8]]) -> std::io::Result<TlsStream<TcpStream>> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(ExactSpki { spki: spki.to_string(), provider: Arc::clone(&provider) });
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let tcp = TcpStream::connect(("127.0.0.1", port)).await?;
    let name = ServerName::try_from("127.0.0.1").unwrap();
    TlsConnector::from(Arc::new(config)).connect(name, tcp).await
}

/// The whole body of an HTTP/2 response, releasing flow-control capacity as
/// it is read (so large answers do not stall the stream).
pub async fn read_body(mut body: h2::RecvStream) -> Result<Vec<u8>, h2::Error> {
    let mut bytes = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk?;
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
