//! Differential test: the fixture against a real DNS stack (unbound behind
//! dnsdist's DoH, started by `scripts/real-doh.sh`), both serving the e2e zones
//! (tests/e2e/zones), asked the same questions. They must agree on what the
//! checks see, read by the page's own decoder (`wire::decode_response`): the
//! RCODE, NXDOMAIN vs NODATA, the answer's records as a set (owner, type,
//! data; TTLs aside: a cache counts them down), and the CNAME chain in order —
//! wildcard synthesis included. A difference is a bug in the fixture or in
//! `MemoryResolver`, to be fixed there.
//!
//! The questions: everything the page's own runner (`run_all`, as in the page)
//! asks for every domain of the zones (each name owning MX or TXT, with the
//! reference sending IP), plus, for every name in the zones and each of its
//! ancestors, every record type the zone format knows, plus a name below each
//! that does not exist. Left out: names with a FAULT line other than latency,
//! whose answers are the fixture's injected faults (no real server makes them;
//! the e2e run on the real stack skips those scenarios), and the AD bit and
//! Extended DNS Errors, which are zone-line annotations of the fixture.
//!
//! Needs the real stack, so it is ignored by a plain `cargo test`; scripts/test.sh
//! runs it with `--ignored` after `scripts/real-doh.sh start`, with
//! REAL_DOH_URL and REAL_DOH_SPKI from the env file that script writes.
//! Prints `fixture vs real server: N questions, D differences`; fails if D > 0.

mod support;

use std::collections::BTreeSet;
use std::net::IpAddr;

use bytes::Bytes;
use http::{Method, StatusCode};
use maildoctor_core::check::request::{Request, ResolverSetting};
use maildoctor_core::check::runner::run_all;
use maildoctor_core::dns::wire::{decode_response, encode_query};
use maildoctor_core::dns::zone::{Fault, Zone};
use maildoctor_core::dns::{Lookup, MemoryResolver, Outcome, RData, RecordType};
use maildoctor_core::input::{parse_domain, NativeIdna};
use support::h2_client::tls;
use support::{b64url, query_path, Fixture};

const ZONES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/e2e/zones");

/// Every type the zone format can hold, and so every type a zone answers with.
const TYPES: [RecordType; 9] = [
    RecordType::A,
    RecordType::Aaaa,
    RecordType::Mx,
    RecordType::Txt,
    RecordType::Cname,
    RecordType::Ptr,
    RecordType::Ns,
    RecordType::Tlsa,
    RecordType::Spf,
];

/// The sending IP of the e2e scenarios (blocklists.zone).
const SENDING_IP: &str = "93.184.216.21";

fn zone_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(ZONES)
        .expect("tests/e2e/zones")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "zone"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the e2e zones: {files:?}");
    files
}

fn merged(files: &[String]) -> Zone {
    let mut zone = Zone::default();
    for file in files {
        let z = Zone::parse(&std::fs::read_to_string(file).unwrap()).unwrap();
        zone.records.extend(z.records);
        zone.faults.extend(z.faults);
    }
    zone
}

/// What the runner asks for `domain`, over the zones (as the page runs it).
fn runner_questions(zone: &Zone, domain: &str) -> Vec<(String, RecordType)> {
    let Ok(domain) = parse_domain(domain, &NativeIdna) else { return Vec::new() };
    let request = Request {
        domain,
        recipient: None,
        sending_ip: SENDING_IP.parse::<IpAddr>().ok(),
        dkim_selectors: Vec::new(),
        smtp_text: None,
        reply: None,
        mta_sts_policy: None,
        resolver: ResolverSetting::Cloudflare,
    };
    let resolver = MemoryResolver::from_zone(zone.clone());
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    runtime.block_on(run_all(&resolver, &request, 1, &|_| {}));
    resolver.queries()
}

fn questions(zone: &Zone) -> (BTreeSet<(String, RecordType)>, usize) {
    let mut asked = BTreeSet::new();
    let domains: BTreeSet<&str> = zone
        .records
        .iter()
        .filter(|r| matches!(r.data, RData::Mx { .. } | RData::Txt(_)) && !r.name.starts_with('_'))
        .map(|r| r.name.as_str())
        .collect();
    for domain in domains {
        asked.extend(runner_questions(zone, domain));
    }
    for record in &zone.records {
        let mut name = record.name.as_str();
        asked.insert((format!("no-such-name.{name}"), RecordType::A));
        asked.insert((format!("no-such-name.{name}"), RecordType::Txt));
        loop {
            asked.extend(TYPES.iter().map(|&t| (name.to_string(), t)));
            match name.split_once('.') {
                Some((_, parent)) => name = parent,
                None => break,
            }
        }
    }
    let faulted = |name: &str| zone.faults.iter().any(|(n, f)| n == name && !matches!(f, Fault::Latency(_)));
    let before = asked.len();
    asked.retain(|(name, _)| !faulted(name));
    let left_out = before - asked.len();
    (asked, left_out)
}

/// What the checks see of a lookup: the outcome's kind, the records as a set,
/// the CNAME chain in order (names lower-cased; TTLs aside).
fn seen(lookup: &Lookup) -> (String, BTreeSet<String>, Vec<String>) {
    let kind = match &lookup.outcome {
        Outcome::Records(_) => "NOERROR with records".to_string(),
        Outcome::NoData(_) => "NODATA".to_string(),
        Outcome::NxDomain => "NXDOMAIN".to_string(),
        // The resolver's own words on a failure (RFC 8914), to say why.
        Outcome::Failed(f) => format!("failed: {f:?} {:?}", lookup.extended_errors),
    };
    let records = lookup
        .records()
        .iter()
        .map(|r| format!("{} {} {}", r.name.to_ascii_lowercase(), r.data.record_type(), r.data))
        .collect();
    let chain = lookup.cname_chain().iter().map(|n| n.to_ascii_lowercase()).collect();
    (kind, records, chain)
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: start the real stack with scripts/real-doh.sh start DIR and source DIR/env (scripts/test.sh does)")
    })
}

/// Asks the real stack every question over one HTTP/2 connection, many streams at once.
fn ask_real(questions: &[(String, RecordType)]) -> Vec<Lookup> {
    let url = env("REAL_DOH_URL");
    let spki = env("REAL_DOH_SPKI");
    let port: u16 = url
        .strip_prefix("https://127.0.0.1:")
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("REAL_DOH_URL {url:?} is not https://127.0.0.1:PORT/…"));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let io = tls(port, &spki, &[b"h2"]).await.expect("TLS to the real DoH server");
        let (mut send, connection) = h2::client::handshake(io).await.expect("HTTP/2 handshake with the real server");
        tokio::spawn(async move {
            let _ = connection.await;
        });
        let mut lookups = Vec::with_capacity(questions.len());
        // dnsdist (h2o) allows 100 concurrent streams per connection.
        for chunk in questions.chunks(50) {
            let mut pending = Vec::new();
            for (name, rtype) in chunk {
                let uri = format!("{url}?dns={}", b64url(&encode_query(name, *rtype).unwrap()));
                let request = http::Request::builder()
                    .method(Method::GET)
                    .uri(uri)
                    .header("accept", "application/dns-message")
                    .body(())
                    .unwrap();
                send = send.ready().await.expect("the real server's connection");
                let (response, _) = send.send_request(request, true).expect("send_request");
                pending.push(tokio::spawn(async move {
                    let (head, body) = response.await?.into_parts();
                    let bytes = support::h2_client::read_body(body).await?;
                    Ok::<_, h2::Error>((head.status, Bytes::from(bytes)))
                }));
            }
            for ((name, rtype), task) in chunk.iter().zip(pending) {
                let (status, body) = task.await.unwrap().unwrap_or_else(|e| panic!("{name} {rtype}: {e}"));
                assert_eq!(status, StatusCode::OK, "the real server's HTTP status for {name} {rtype}");
                lookups.push(decode_response(&body, name, *rtype));
            }
        }
        lookups
    })
}

#[test]
#[ignore = "needs the real DoH stack: scripts/real-doh.sh (scripts/test.sh runs this)"]
fn fixture_and_real_server_agree() {
    let files = zone_files();
    let zone = merged(&files);
    let (asked, left_out) = questions(&zone);
    let asked: Vec<(String, RecordType)> = asked.into_iter().collect();
    let real = ask_real(&asked);
    let zone_args: Vec<&str> = files.iter().map(String::as_str).collect();
    let fixture = Fixture::start_with_zones(&zone_args, &[]);
    let mut differences = Vec::new();
    for ((name, rtype), real) in asked.iter().zip(&real) {
        let (status, _, body) = fixture.get(&query_path("", name, *rtype));
        assert_eq!(status, 200, "the fixture's HTTP status for {name} {rtype}");
        let ours = decode_response(&body, name, *rtype);
        let (ours, theirs) = (seen(&ours), seen(real));
        if ours != theirs {
            differences.push(format!("{name} {rtype}:\n    fixture: {ours:?}\n    real:    {theirs:?}"));
        }
    }
    let kinds: BTreeSet<String> = real.iter().map(|l| seen(l).0).filter(|k| !k.starts_with("failed")).collect();
    println!("asked {} questions ({left_out} about faulted names left out); real answers: {kinds:?}", asked.len());
    for d in &differences {
        println!("  {d}");
    }
    println!("fixture vs real server: {} questions, {} differences", asked.len(), differences.len());
    // A stack that answered nothing but failures would agree with nothing; make sure it answered.
    assert!(kinds.contains("NOERROR with records") && kinds.contains("NXDOMAIN") && kinds.contains("NODATA"));
    assert!(differences.is_empty(), "{} differences (above)", differences.len());
}
