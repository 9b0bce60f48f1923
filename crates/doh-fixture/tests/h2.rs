//! The fixture's HTTPS + HTTP/2 listener (`--h2-port`) with a real h2 client
//! over TLS that trusts exactly the certificate whose SPKI hash the fixture
//! printed: startup line, DoH answers and headers, streams waiting
//! concurrently, the timeout fault as a silent stream, /log/transport, and bad
//! input that ends only its own connection or stream.

mod support;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use h2::client::SendRequest;
use http::{HeaderMap, Method, StatusCode};
use maildoctor_core::dns::wire::{decode_response, encode_query};
use maildoctor_core::dns::{Outcome, RData, RecordType};
use ring::digest::{digest, SHA256};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, SignatureScheme};
use support::{header, query_path, Fixture};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::client::TlsStream;
use tokio_rustls::TlsConnector;

const CORS: [(&str, &str); 3] = [
    ("access-control-allow-origin", "*"),
    ("access-control-expose-headers", "Retry-After"),
    ("timing-allow-origin", "*"),
];

fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

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
fn base64(bytes: &[u8]) -> String {
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

/// TLS to the fixture's h2 port, offering `alpn`, trusting the certificate of `spki` only.
async fn tls(port: u16, spki: &str, alpn: &[&[u8]]) -> std::io::Result<TlsStream<TcpStream>> {
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

/// An HTTP/2 connection to the fixture (its driver runs as a task).
async fn connect(f: &Fixture) -> SendRequest<Bytes> {
    let io = tls(f.h2_port(), f.spki(), &[b"h2"]).await.expect("TLS handshake");
    let (send, connection) = h2::client::handshake(io).await.expect("HTTP/2 handshake");
    tokio::spawn(async move {
        let _ = connection.await;
    });
    send
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

fn request(f: &Fixture, method: Method, path: &str) -> http::Request<()> {
    let uri = format!("https://127.0.0.1:{}{path}", f.h2_port());
    http::Request::builder().method(method).uri(uri).header("accept", "application/dns-message").body(()).unwrap()
}

/// Sends `request` (with `body`, if any) on `send`: the response, still to come.
fn start(send: &mut SendRequest<Bytes>, request: http::Request<()>, body: &[u8]) -> h2::client::ResponseFuture {
    let (response, mut stream) = send.send_request(request, body.is_empty()).expect("send_request");
    if !body.is_empty() {
        stream.send_data(Bytes::copy_from_slice(body), true).unwrap();
    }
    response
}

async fn finish(response: h2::client::ResponseFuture) -> Result<Answer, h2::Error> {
    let (head, mut body) = response.await?.into_parts();
    let mut bytes = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk?;
        let _ = body.flow_control().release_capacity(chunk.len());
        bytes.extend_from_slice(&chunk);
    }
    Ok(Answer { status: head.status, headers: head.headers, body: bytes })
}

async fn get(f: &Fixture, send: &mut SendRequest<Bytes>, path: &str) -> Answer {
    finish(start(send, request(f, Method::GET, path), &[])).await.expect(path)
}

#[test]
fn startup_lines() {
    let f = Fixture::start(&["--h2-port", "0"]);
    assert_eq!(f.lines.len(), 2);
    assert_eq!(f.lines[0], format!("listening http://127.0.0.1:{}", f.port));
    assert_eq!(f.lines[1], format!("listening-h2 https://127.0.0.1:{} spki={}", f.h2_port(), f.spki()));
    assert_ne!(f.h2_port(), 0);
    assert_ne!(f.h2_port(), f.port);
    let spki = f.spki();
    assert_eq!(spki.len(), 44, "base64 of 32 bytes: {spki}");
    assert!(spki.ends_with('=') && spki[..43].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/'));
    // The hash is that of the certificate served: trusting it is enough, and only it.
    run(async {
        let mut send = connect(&f).await;
        assert_eq!(get(&f, &mut send, "/log").await.status, StatusCode::OK);
        let wrong = base64(&[0; 32]);
        assert!(tls(f.h2_port(), &wrong, &[b"h2"]).await.is_err(), "another certificate is not trusted");
    });
}

#[test]
fn doh_over_h2_with_cors() {
    let f = Fixture::start(&["--h2-port", "0"]);
    run(async {
        let mut send = connect(&f).await;
        let a = get(&f, &mut send, &query_path("", "ok.example", RecordType::Mx)).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.header("content-type"), Some("application/dns-message"));
        assert_eq!(a.header("content-length"), Some(a.body.len().to_string().as_str()));
        for (name, value) in CORS {
            assert_eq!(a.header(name), Some(value), "{name}");
        }
        let mx: Vec<String> =
            decode_response(&a.body, "ok.example", RecordType::Mx).data().map(RData::to_string).collect();
        assert_eq!(mx, vec!["10 mx.ok.example.", "20 mx2.ok.example."]);
        let a = get(&f, &mut send, &query_path("", "nope.example", RecordType::A)).await;
        assert_eq!(decode_response(&a.body, "nope.example", RecordType::A).outcome, Outcome::NxDomain);

        // RFC 8484 §4.1 POST, with its body in a DATA frame.
        let post = http::Request::builder()
            .method(Method::POST)
            .uri(format!("https://127.0.0.1:{}/dns-query", f.h2_port()))
            .header("content-type", "application/dns-message")
            .body(())
            .unwrap();
        let a = finish(start(&mut send, post, &encode_query("ok.example", RecordType::Txt).unwrap())).await.unwrap();
        assert_eq!(a.status, StatusCode::OK);
        let txt = decode_response(&a.body, "ok.example", RecordType::Txt);
        assert_eq!(txt.data().next(), Some(&RData::Txt(vec![b"v=spf1 ".to_vec(), b"ip4:192.0.2.0/24 -all".to_vec()])));

        // The same routes as HTTP/1.1: preflight, faults by name and by path, the log.
        let a = finish(start(&mut send, request(&f, Method::OPTIONS, "/dns-query"), &[])).await.unwrap();
        assert_eq!(a.status, StatusCode::NO_CONTENT);
        assert!(a.header("access-control-allow-methods").unwrap().contains("POST"));
        assert_eq!(a.header("access-control-allow-origin"), Some("*"));
        let a = get(&f, &mut send, &query_path("", "http429.example", RecordType::A)).await;
        assert_eq!((a.status, a.header("retry-after")), (StatusCode::TOO_MANY_REQUESTS, Some("2")));
        assert_eq!(a.header("access-control-expose-headers"), Some("Retry-After"));
        let a = get(&f, &mut send, &query_path("/fault/http500", "ok.example", RecordType::A)).await;
        assert_eq!(a.status, StatusCode::INTERNAL_SERVER_ERROR);
        let a = get(&f, &mut send, &query_path("/fault/servfail", "ok.example", RecordType::A)).await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(matches!(decode_response(&a.body, "ok.example", RecordType::A).outcome, Outcome::Failed(_)));
        assert_eq!(get(&f, &mut send, "/dns-query?dns=***").await.status, StatusCode::BAD_REQUEST);
        assert_eq!(get(&f, &mut send, "/nothing").await.status, StatusCode::NOT_FOUND);
        let log: Vec<serde_json::Value> = serde_json::from_slice(&get(&f, &mut send, "/log").await.body).unwrap();
        assert_eq!(log.len(), 6, "{log:?}");
        assert_eq!((log[2]["name"].as_str(), log[2]["method"].as_str()), (Some("ok.example"), Some("POST")));
        assert_eq!(log[0]["accept"].as_str(), Some("application/dns-message"));
    });
    // Both listeners share one log.
    let log: Vec<serde_json::Value> = serde_json::from_slice(&f.get("/log").2).unwrap();
    assert_eq!(log.len(), 6);
    assert_eq!(header(&f.get("/log/preflights").1, "content-type"), Some("application/json"));
    assert_eq!(f.get("/log/preflights").2, br#"{"count":1}"#);
}

#[test]
fn streams_of_one_connection_wait_concurrently() {
    const LATENCY: Duration = Duration::from_millis(100);
    let f = Fixture::start(&["--h2-port", "0", "--latency-ms", "100"]);
    run(async {
        let mut send = connect(&f).await;
        // The connection's own setup is not what is measured.
        assert_eq!(get(&f, &mut send, "/log/clear").await.status, StatusCode::OK);
        let questions = [
            ("ok.example", RecordType::Mx),
            ("ok.example", RecordType::Txt),
            ("mx.ok.example", RecordType::A),
            ("mx.ok.example", RecordType::Aaaa),
        ];
        let started = Instant::now();
        let tasks: Vec<_> = questions
            .iter()
            .map(|&(name, rtype)| {
                let response = start(&mut send, request(&f, Method::GET, &query_path("", name, rtype)), &[]);
                tokio::spawn(async move {
                    let answer = finish(response).await.unwrap();
                    assert!(matches!(decode_response(&answer.body, name, rtype).outcome, Outcome::Records(_)));
                    started.elapsed()
                })
            })
            .collect();
        let mut each = Vec::new();
        for task in tasks {
            each.push(task.await.unwrap());
        }
        let total = started.elapsed();
        assert!(each.iter().all(|&t| t >= LATENCY), "every stream waited the latency: {each:?}");
        assert!(total < 2 * LATENCY, "4 streams took {total:?} in all ({each:?}): they waited one after another");
    });
}

#[test]
fn a_timeout_fault_is_a_silent_stream_beside_answered_ones() {
    let f = Fixture::start(&["--h2-port", "0"]);
    run(async {
        let mut send = connect(&f).await;
        let silent = start(&mut send, request(&f, Method::GET, &query_path("", "timeout.example", RecordType::A)), &[]);
        let by_path =
            start(&mut send, request(&f, Method::GET, &query_path("/fault/timeout", "ok.example", RecordType::A)), &[]);
        // Asked after the silent ones, on the same connection: answered.
        let a =
            timeout(Duration::from_secs(5), get(&f, &mut send, &query_path("", "ok.example", RecordType::Mx))).await;
        assert_eq!(a.expect("answered beside the silent streams").status, StatusCode::OK);
        let silent = tokio::spawn(finish(silent));
        assert!(timeout(Duration::from_millis(600), finish(by_path)).await.is_err(), "/fault/timeout answered");
        assert!(!silent.is_finished(), "the timeout fault answered");
        // The client gives up (RST_STREAM); the connection goes on.
        silent.abort();
        let a = get(&f, &mut send, &query_path("", "ok.example", RecordType::A)).await;
        assert_eq!(a.status, StatusCode::OK);
        let log: Vec<serde_json::Value> = serde_json::from_slice(&get(&f, &mut send, "/log").await.body).unwrap();
        let names: Vec<&str> = log.iter().filter_map(|e| e["name"].as_str()).collect();
        assert!(names.contains(&"timeout.example"), "the silent query was received: {names:?}");
    });
}

#[test]
fn log_transport_counts_h2_connections_and_streams() {
    let f = Fixture::start(&["--h2-port", "0"]);
    let transport = |f: &Fixture| String::from_utf8(f.get("/log/transport").2).unwrap();
    assert_eq!(transport(&f), r#"{"h2_connections":0,"h2_streams":0}"#, "HTTP/1.1 requests are not counted");
    run(async {
        let mut send = connect(&f).await;
        for _ in 0..3 {
            get(&f, &mut send, &query_path("", "ok.example", RecordType::A)).await;
        }
        assert_eq!(transport(&f), r#"{"h2_connections":1,"h2_streams":3}"#);
        f.request("POST", "/log/clear", &[]);
        assert_eq!(transport(&f), r#"{"h2_connections":1,"h2_streams":3}"#, "since start, not since /log/clear");
        let mut second = connect(&f).await;
        let a = get(&f, &mut second, "/log/transport").await;
        assert_eq!(a.header("content-type"), Some("application/json"));
        assert_eq!(a.body, br#"{"h2_connections":2,"h2_streams":4}"#, "this request is a stream too");
    });
}

#[test]
fn bad_input_ends_only_its_connection_or_stream() {
    let mut f = Fixture::start(&["--h2-port", "0"]);
    run(async {
        // Plain HTTP/1.1 on the TLS port: the handshake fails, the connection closes.
        let mut raw = TcpStream::connect(("127.0.0.1", f.h2_port())).await.unwrap();
        raw.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut buf = Vec::new();
        let read = timeout(Duration::from_secs(5), raw.read_to_end(&mut buf)).await.expect("closed");
        assert!(read.is_err() || !buf.starts_with(b"HTTP/"), "no HTTP/1.1 answer");
        // TLS without h2: refused in the handshake (ALPN h2 only).
        assert!(tls(f.h2_port(), f.spki(), &[b"http/1.1"]).await.is_err());
        // TLS with h2, then bytes that are not the HTTP/2 preface.
        let mut io = tls(f.h2_port(), f.spki(), &[b"h2"]).await.unwrap();
        io.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut buf = Vec::new();
        let _ = timeout(Duration::from_secs(5), io.read_to_end(&mut buf)).await.expect("closed");
        // A request body larger than any DNS message: a 400, the connection goes on.
        let mut send = connect(&f).await;
        let post = http::Request::builder()
            .method(Method::POST)
            .uri(format!("https://127.0.0.1:{}/dns-query", f.h2_port()))
            .header("content-type", "application/dns-message")
            .body(())
            .unwrap();
        let a = finish(start(&mut send, post, &vec![0; 70_000])).await.unwrap();
        assert_eq!(a.status, StatusCode::BAD_REQUEST);
        assert_eq!(get(&f, &mut send, &query_path("", "ok.example", RecordType::A)).await.status, StatusCode::OK);
        let a = finish(start(&mut send, request(&f, Method::PUT, "/dns-query"), &[])).await.unwrap();
        assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    });
    assert!(f.alive());
    assert_eq!(f.get(&query_path("", "ok.example", RecordType::A)).0, 200);
}
