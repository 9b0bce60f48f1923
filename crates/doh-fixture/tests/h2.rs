//! The fixture's HTTPS + HTTP/2 listener (`--h2-port`) with a real h2 client
//! over TLS that trusts exactly the certificate whose SPKI hash the fixture
//! printed: startup line, DoH answers and headers, streams waiting
//! concurrently, the timeout fault as a silent stream, /log/transport, and bad
//! input that ends only its own connection or stream.

mod support;

use std::future::Future;
use std::time::{Duration, Instant};

use bytes::Bytes;
use h2::client::SendRequest;
use http::{HeaderMap, Method, StatusCode};
use maildoctor_core::dns::wire::{decode_response, encode_query};
use maildoctor_core::dns::{Outcome, RData, RecordType};
use support::h2_client::{base64, tls};
use support::{header, query_path, Fixture};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

const CORS: [(&str, &str); 3] = [
    ("access-control-allow-origin", "*"),
    ("access-control-expose-headers", "Retry-After"),
    ("timing-allow-origin", "*"),
];

fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
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
    let (head, body) = response.await?.into_parts();
    let body = support::h2_client::read_body(body).await?;
    Ok(Answer { status: head.status, headers: head.headers, body })
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
