//! The fixture binary over real sockets: startup line, DNS answers, every
//! fault at the HTTP level, CORS, the query log, static files.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use maildoctor_core::dns::wire::{decode_response, encode_query};
use maildoctor_core::dns::{Failure, Outcome, RData, RecordType};
use support::{header, query_path, Fixture};

#[test]
fn answers_dns_queries_with_cors() {
    let f = Fixture::start(&[]);
    let (status, headers, body) = f.get(&query_path("", "ok.example", RecordType::Mx));
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("application/dns-message"));
    assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"));
    assert_eq!(header(&headers, "timing-allow-origin"), Some("*"));
    let lookup = decode_response(&body, "ok.example", RecordType::Mx);
    let mx: Vec<String> = lookup.data().map(RData::to_string).collect();
    assert_eq!(mx, vec!["10 mx.ok.example.", "20 mx2.ok.example."]);

    let (_, _, body) = f.get(&query_path("", "www.ok.example", RecordType::A));
    assert_eq!(decode_response(&body, "www.ok.example", RecordType::A).cname_chain(), vec!["mx.ok.example"]);
    let (_, _, body) = f.get(&query_path("", "ok.example", RecordType::A));
    assert_eq!(decode_response(&body, "ok.example", RecordType::A).outcome, Outcome::NoData(vec![]));
    let (_, _, body) = f.get(&query_path("", "nope.example", RecordType::A));
    assert_eq!(decode_response(&body, "nope.example", RecordType::A).outcome, Outcome::NxDomain);

    // RFC 8484 §4.1 POST.
    let (status, _, body) = f.request("POST", "/dns-query", &encode_query("ok.example", RecordType::Txt).unwrap());
    assert_eq!(status, 200);
    let txt = decode_response(&body, "ok.example", RecordType::Txt);
    assert_eq!(txt.data().next(), Some(&RData::Txt(vec![b"v=spf1 ".to_vec(), b"ip4:192.0.2.0/24 -all".to_vec()])));

    let (status, headers, _) = f.request("OPTIONS", "/dns-query", &[]);
    assert_eq!(status, 204);
    assert!(header(&headers, "access-control-allow-methods").unwrap().contains("GET"));
    assert_eq!(header(&headers, "access-control-allow-origin"), Some("*"));

    assert_eq!(f.get("/dns-query?dns=***").0, 400);
    assert_eq!(f.get("/dns-query").0, 400);
    assert_eq!(f.get("/fault/nonsense/dns-query?dns=AA").0, 404);
}

#[test]
fn faults_per_name_and_per_path() {
    let f = Fixture::start(&[]);
    // The same fault both ways: from the zone's FAULT line, and from the URL path for a healthy name.
    for (path_kind, name) in [("http500", "http500.example"), ("http429", "http429.example")] {
        for target in [
            query_path("", name, RecordType::A),
            query_path(&format!("/fault/{path_kind}"), "ok.example", RecordType::A),
        ] {
            let (status, headers, _) = f.get(&target);
            match path_kind {
                "http500" => assert_eq!(status, 500, "{target}"),
                _ => {
                    assert_eq!(status, 429, "{target}");
                    assert_eq!(header(&headers, "retry-after"), Some("2"));
                    assert!(header(&headers, "access-control-expose-headers").unwrap().contains("Retry-After"));
                }
            }
        }
    }
    let dns_cases = [
        ("servfail", "servfail.example", "rcode"),
        ("refused", "refused.example", "rcode"),
        ("truncated", "truncated.example", "TC"),
        ("malformed", "malformed.example", "not a DNS message"),
    ];
    for (kind, name, expect) in dns_cases {
        for (target, qname) in [
            (query_path("", name, RecordType::A), name),
            (query_path(&format!("/fault/{kind}"), "ok.example", RecordType::Mx), "ok.example"),
        ] {
            let rtype = if qname == name { RecordType::A } else { RecordType::Mx };
            let (status, _, body) = f.get(&target);
            assert_eq!(status, 200, "{target}");
            let outcome = decode_response(&body, qname, rtype).outcome;
            match (kind, &outcome) {
                ("servfail", Outcome::Failed(Failure::ServFail)) | ("refused", Outcome::Failed(Failure::Refused)) => {}
                (_, Outcome::Failed(Failure::Malformed(why))) if why.contains(expect) => {}
                _ => panic!("{target}: {outcome:?}"),
            }
        }
    }
    let (status, headers, body) = f.get(&query_path("", "content-type.example", RecordType::A));
    assert_eq!((status, header(&headers, "content-type")), (200, Some("text/html; charset=utf-8")));
    assert!(matches!(decode_response(&body, "content-type.example", RecordType::A).outcome, Outcome::Records(_)));

    // Timeout: nothing comes back (until the client gives up).
    let mut s = TcpStream::connect(("127.0.0.1", f.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(800))).unwrap();
    write!(s, "GET {} HTTP/1.1\r\nHost: x\r\n\r\n", query_path("", "timeout.example", RecordType::A)).unwrap();
    let err = s.read(&mut [0u8; 16]).unwrap_err();
    assert!(matches!(err.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut), "{err}");
}

#[test]
fn latency_per_name_and_global() {
    let f = Fixture::start(&["--latency-ms", "150"]);
    let t = Instant::now();
    assert_eq!(f.get(&query_path("", "ok.example", RecordType::A)).0, 200);
    let global = t.elapsed();
    let t = Instant::now();
    assert_eq!(f.get(&query_path("", "slow.example", RecordType::A)).0, 200);
    let both = t.elapsed();
    assert!(global >= Duration::from_millis(150), "{global:?}");
    assert!(both >= Duration::from_millis(450), "{both:?}");
}

#[test]
fn query_log_lists_and_clears() {
    let f = Fixture::start(&[]);
    f.get(&query_path("", "ok.example", RecordType::Mx));
    f.get(&query_path("", "OK.example.", RecordType::Mx));
    f.get(&query_path("/fault/http500", "x.example", RecordType::Txt));
    let (status, headers, body) = f.get("/log");
    assert_eq!((status, header(&headers, "content-type")), (200, Some("application/json")));
    let log: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
    let log: Vec<(String, String)> = log
        .iter()
        .map(|e| (e["name"].as_str().unwrap().to_string(), e["type"].as_str().unwrap().to_string()))
        .collect();
    let expected = [("ok.example", "MX"), ("ok.example", "MX"), ("x.example", "TXT")];
    assert_eq!(log, expected.map(|(n, t)| (n.to_string(), t.to_string())));
    f.request("OPTIONS", "/dns-query", &[]);
    f.request("OPTIONS", "/dns-query", &[]);
    assert_eq!(f.get("/log/preflights").2, br#"{"count":2}"#);
    assert_eq!(f.request("POST", "/log/clear", &[]).2, br#"{"cleared":3}"#);
    assert_eq!(f.get("/log").2, b"[]");
    assert_eq!(f.get("/log/preflights").2, br#"{"count":0}"#);
}

#[test]
fn serves_static_files_under_a_sub_path() {
    let dir = std::env::temp_dir().join(format!("doh-fixture-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html>").unwrap();
    std::fs::write(dir.join("maildoctor_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("maildoctor.js"), "export {}").unwrap();
    let f = Fixture::start(&["--serve-dir", dir.to_str().unwrap(), "--base", "/maildoctor/"]);
    let (status, headers, body) = f.get("/maildoctor/");
    assert_eq!(
        (status, header(&headers, "content-type"), body.as_slice()),
        (200, Some("text/html; charset=utf-8"), &b"<!doctype html>"[..])
    );
    assert_eq!(header(&f.get("/maildoctor/maildoctor_bg.wasm").1, "content-type"), Some("application/wasm"));
    assert_eq!(header(&f.get("/maildoctor/maildoctor.js").1, "content-type"), Some("text/javascript; charset=utf-8"));
    assert_eq!(f.get("/maildoctor_bg.wasm").0, 404, "files live under the base only");
    // DNS still answers next to the files.
    assert_eq!(f.get(&query_path("", "ok.example", RecordType::A)).0, 200);
    std::fs::remove_dir_all(dir).unwrap();
}
