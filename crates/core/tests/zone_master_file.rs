//! `Zone::master_file` read back by hickory-proto's RFC 1035 master-file parser
//! (an independent one, a dev-dependency only): every record of the e2e zones and
//! of a zone of awkward data (multi-string TXT with quotes, backslashes, `;`,
//! parentheses and control bytes; a wildcard; names at and outside the origin)
//! comes back the same, with its TTL, beside the SOA and NS the writer adds at
//! the origin. Other bytes are written as RFC 1035 §5.1 says (`\DDD`) but
//! checked as text only: hickory 0.26 reads `\DDD` in a string as a character
//! (right for `\000`–`\009` only: `\031` comes back as U+0301) and refuses it
//! in an owner. Unbound reads the same files in the real-server stage of
//! scripts/test.sh.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use hickory_proto::rr::{self as hrr, Name};
use hickory_proto::serialize::txt::Parser;
use maildoctor_core::dns::zone::Zone;
use maildoctor_core::dns::{RData, Record};

const AWKWARD: &str = r#"
example.                 60 TXT "v=spf1 " "include:_spf.example.net -all"
example.                    TXT "a\"b" "back\\slash" "semi;colon" "(paren)" "\000\009"
example.                    TXT "$ORIGIN" "@" ""
*.wild.example.          10 MX  10 mx.example.
xn--bcher-kva.example.      A   192.0.2.1
www.example.                AAAA 2001:db8::1
www.example.                CNAME *.wild.example.
4.2.0.192.in-addr.arpa.     PTR mx.example.
_25._tcp.mx.example.        TLSA 3 1 1 0C72AC70B745AC19
sub.example.                NS  ns.example.
broken.example.             FAULT servfail
broken.example.             EDE 22 "no reachable authority"
_25._tcp.mx.example.        AD
"#;

/// (owner labels, TTL, record data), names as raw label bytes read as UTF-8.
type Row = (String, u32, String);

fn labels(name: &Name) -> String {
    name.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect::<Vec<_>>().join(".")
}

fn ours(record: &Record) -> Row {
    let data = match &record.data {
        RData::Txt(s) | RData::Spf(s) => format!("{} {s:?}", record.data.record_type()),
        RData::Tlsa { usage, selector, matching_type, data } => {
            format!("TLSA {usage} {selector} {matching_type} {data:?}")
        }
        other => format!("{} {other}", other.record_type()),
    };
    (record.name.clone(), record.ttl, data)
}

fn theirs(record: &hrr::Record) -> Row {
    let data = match &record.data {
        hrr::RData::A(a) => format!("A {}", a.0),
        hrr::RData::AAAA(a) => format!("AAAA {}", a.0),
        hrr::RData::MX(mx) => format!("MX {} {}.", mx.preference, labels(&mx.exchange)),
        hrr::RData::TXT(t) => format!("TXT {:?}", t.txt_data.iter().map(|s| s.to_vec()).collect::<Vec<_>>()),
        hrr::RData::PTR(p) => format!("PTR {}.", labels(&p.0)),
        hrr::RData::CNAME(c) => format!("CNAME {}.", labels(&c.0)),
        hrr::RData::NS(n) => format!("NS {}.", labels(&n.0)),
        hrr::RData::SOA(soa) => format!("SOA {} {}", labels(&soa.mname), soa.serial),
        hrr::RData::TLSA(t) => format!(
            "TLSA {} {} {} {:?}",
            u8::from(t.cert_usage),
            u8::from(t.selector),
            u8::from(t.matching),
            t.cert_data
        ),
        other => format!("{} {other}", record.record_type()),
    };
    (labels(&record.name), record.ttl, data)
}

/// Writes `zone` for `origin`, reads it with hickory, and returns (what hickory read, the file).
fn round_trip(zone: &Zone, origin: &str) -> (BTreeSet<Row>, String) {
    let text = zone.master_file(origin).unwrap();
    let (read_origin, sets) = Parser::new(text.as_str(), None, None)
        .parse()
        .unwrap_or_else(|e| panic!("hickory cannot read the master file: {e}\n{text}"));
    assert_eq!(labels(&read_origin), origin.trim_end_matches('.'), "$ORIGIN");
    let rows = sets.values().flat_map(|set| set.records_without_rrsigs().map(theirs).collect::<Vec<_>>()).collect();
    (rows, text)
}

fn check(zone: &Zone, origin: &str) -> String {
    let (mut read, text) = round_trip(zone, origin);
    let apex = origin.trim_end_matches('.').to_string();
    for added in ["SOA ns.fixture.invalid 1", "NS ns.fixture.invalid."] {
        assert!(read.remove(&(apex.clone(), 300, added.into())), "no {added} at the origin:\n{text}");
    }
    let want: BTreeSet<Row> = zone.records.iter().map(ours).collect();
    assert_eq!(read, want, "\n{text}");
    text
}

#[test]
fn awkward_data_reads_back_the_same() {
    let zone = Zone::parse(AWKWARD).unwrap();
    let text = check(
        &Zone {
            records: zone.records.iter().filter(|r| r.name != "4.2.0.192.in-addr.arpa").cloned().collect(),
            ..zone.clone()
        },
        "example.",
    );
    // Relative owners, the origin as @, bytes as \DDD, and the fixture's own lines as comments.
    for line in [
        "$ORIGIN example.",
        "$TTL 300",
        "@ 300 IN SOA ns.fixture.invalid. hostmaster.fixture.invalid. 1 3600 600 86400 300",
        "@ 60 IN TXT \"v=spf1 \" \"include:_spf.example.net -all\"",
        "@ 300 IN TXT \"a\\\"b\" \"back\\\\slash\" \"semi;colon\" \"(paren)\" \"\\000\\009\"",
        "*.wild 10 IN MX 10 mx.example.",
        "www 300 IN CNAME *.wild.example.",
        "; fixture only: broken.example. FAULT servfail",
        "; fixture only: broken.example. EDE 22 \"no reachable authority\"",
        "; fixture only: _25._tcp.mx.example. AD",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in\n{text}");
    }
    // The same data under the root, where every name is below the origin.
    let root = check(&zone, ".");
    assert!(root.contains("$ORIGIN .\n") && root.contains("\n4.2.0.192.in-addr.arpa 300 IN PTR mx.example.\n"));
    // A record outside the origin cannot be written.
    let e = zone.master_file("example").unwrap_err();
    assert!(e.contains("4.2.0.192.in-addr.arpa is outside the zone example."), "{e}");
    // Octets above 127, in a name and in a string.
    let high = Zone::parse("ü.example. TXT \"\\255\"\nx.example. CNAME ü.example.").unwrap();
    let high = high.master_file(".").unwrap();
    assert!(high.contains("\n\\195\\188.example 300 IN TXT \"\\255\"\n"), "{high}");
    assert!(high.contains("\nx.example 300 IN CNAME \\195\\188.example.\n"), "{high}");
    // SPF (type 99; hickory's text parser does not know it) is written as TXT is.
    let spf = Zone::parse("example. SPF \"v=spf1 \" \"-all\"").unwrap().master_file("example.").unwrap();
    assert!(spf.contains("\n@ 300 IN SPF \"v=spf1 \" \"-all\"\n"), "{spf}");
}

#[test]
fn the_e2e_zones_read_back_the_same() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/e2e/zones");
    let mut zone = Zone::default();
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "zone") {
            zone.records.extend(Zone::parse(&std::fs::read_to_string(&path).unwrap()).unwrap().records);
            files += 1;
        }
    }
    assert!(files >= 5 && zone.records.len() >= 50, "{files} files, {} records", zone.records.len());
    check(&zone, ".");
}
