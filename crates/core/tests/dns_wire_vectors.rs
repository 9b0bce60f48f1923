//! The wire decoder against real DNS exchanges (dnslib's golden vectors, see
//! /work/shared/conformance/dnslib-wire-format/README.md), and property tests:
//! no input makes it panic, and what the encoder writes it reads back.

#![cfg(not(target_arch = "wasm32"))]

#[path = "support/wire_strategies.rs"]
mod wire_strategies;

use std::fs;
use std::path::{Path, PathBuf};

use maildoctor_core::dns::wire::{decode_query, decode_response, encode_query, encode_response, ResponseOptions};
use maildoctor_core::dns::{Failure, Lookup, Outcome, RData, Record, RecordType};
use proptest::prelude::*;
use wire_strategies::{name_strategy, records_strategy};

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/conformance/dnslib-wire-format/test");

/// One exchange file, the parts after ";; Got answer:".
struct Vector {
    file: String,
    response: Vec<u8>,
    status: String,
    flags: Vec<String>,
    answer_count: usize,
    qname: String,
    qtype: RecordType,
    /// (owner, ttl, class, type mnemonic, rdata text)
    answers: Vec<(String, u32, String, String, String)>,
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Mnemonics the vectors use that `RecordType` has no name for.
fn rtype(mnemonic: &str) -> RecordType {
    let codes = [("SRV", 33), ("NAPTR", 35), ("DS", 43), ("SSHFP", 44), ("RRSIG", 46), ("DNSKEY", 48)];
    let codes = [codes.as_slice(), &[("TLSA", 52), ("ANY", 255)]].concat();
    codes
        .iter()
        .find(|(m, _)| *m == mnemonic)
        .map(|(_, c)| RecordType::from_code(*c))
        .or_else(|| RecordType::from_mnemonic(mnemonic))
        .unwrap_or_else(|| panic!("unknown type mnemonic {mnemonic}"))
}

/// Splits off `n` whitespace-separated words and returns them with the rest of the line, verbatim.
fn words_and_rest(line: &str, n: usize) -> (Vec<&str>, &str) {
    let mut rest = line.trim_start();
    let mut words = Vec::new();
    for _ in 0..n {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        words.push(&rest[..end]);
        rest = rest[end..].trim_start();
    }
    (words, rest.trim_end())
}

fn parse_vector(path: &Path) -> Vector {
    let text = fs::read_to_string(path).unwrap();
    let (_, answer) = text.split_once(";; RESPONSE: ").expect("no RESPONSE line");
    let mut lines = answer.lines();
    let response = hex(lines.next().unwrap().trim());
    let mut v = Vector {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        response,
        status: String::new(),
        flags: Vec::new(),
        answer_count: 0,
        qname: String::new(),
        qtype: RecordType::A,
        answers: Vec::new(),
    };
    let mut section = "";
    for line in lines {
        if let Some(h) = line.strip_prefix(";; ->>HEADER<<- ") {
            v.status = h.split("status: ").nth(1).unwrap().split(',').next().unwrap().to_string();
        } else if let Some(f) = line.strip_prefix(";; flags:") {
            let (flags, counts) = f.split_once(';').unwrap();
            v.flags = flags.split_whitespace().map(str::to_string).collect();
            let answer = counts.split("ANSWER: ").nth(1).unwrap().split(',').next().unwrap();
            v.answer_count = answer.trim().parse().unwrap();
        } else if let Some(s) = line.strip_prefix(";; ") {
            section = if s.starts_with("QUESTION") {
                "question"
            } else if s.starts_with("ANSWER") {
                "answer"
            } else {
                "other"
            };
        } else if section == "question" {
            if let Some(q) = line.strip_prefix(';') {
                let (w, _) = words_and_rest(q, 3);
                v.qname = w[0].to_string();
                v.qtype = rtype(w[2]);
            }
        } else if section == "answer" && !line.trim().is_empty() && !line.starts_with(';') {
            let (w, rdata) = words_and_rest(line, 4);
            v.answers.push((w[0].into(), w[1].parse().unwrap(), w[2].into(), w[3].into(), rdata.into()));
        }
    }
    v
}

/// What `dig` shows for one of our records, for the types we model. SOA: we
/// keep mname, rname, serial and minimum only, so those fields are compared.
fn presentation(data: &RData, dig_rdata: &str) -> Option<(String, String)> {
    match data {
        RData::Soa { mname, rname, serial, minimum } => {
            let f: Vec<&str> = dig_rdata.split_whitespace().collect();
            let theirs = format!("{} {} {} {}", f[0], f[1], f[2], f[6]);
            Some((format!("{mname}. {rname}. {serial} {minimum}"), theirs))
        }
        RData::Other { .. } => None,
        other => Some((other.to_string(), dig_rdata.to_string())),
    }
}

fn status_of(l: &Lookup) -> &'static str {
    match &l.outcome {
        Outcome::Records(_) | Outcome::NoData(_) => "NOERROR",
        Outcome::NxDomain => "NXDOMAIN",
        Outcome::Failed(Failure::ServFail) => "SERVFAIL",
        Outcome::Failed(Failure::Refused) => "REFUSED",
        Outcome::Failed(_) => "FAILED",
    }
}

#[test]
fn dnslib_vectors_decode_like_dig() {
    let dir = PathBuf::from(VECTORS);
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("conformance folder {} is missing: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    assert_eq!(paths.len(), 66, "the README promises 66 exchanges");

    let (mut decoded, mut compared, mut all_records) = (0, 0, 0);
    let mut problems = Vec::new();
    for path in &paths {
        let v = parse_vector(path);
        let lookup = decode_response(&v.response, &v.qname, v.qtype);
        let mut ok = status_of(&lookup) == v.status;
        if !ok {
            problems.push(format!(
                "{}: status {} vs dig {} ({:?})",
                v.file,
                status_of(&lookup),
                v.status,
                lookup.outcome
            ));
        }
        if lookup.authenticated != v.flags.iter().any(|f| f == "ad") {
            problems.push(format!("{}: AD flag {} vs dig flags {:?}", v.file, lookup.authenticated, v.flags));
            ok = false;
        }
        let records = lookup.records();
        if records.len() != v.answer_count || records.len() != v.answers.len() {
            problems.push(format!("{}: {} records vs dig {}", v.file, records.len(), v.answer_count));
            ok = false;
        }
        for (record, (owner, ttl, class, mnemonic, rdata)) in records.iter().zip(&v.answers) {
            all_records += 1;
            let ours = (format!("{}.", record.name), record.ttl, record.data.record_type());
            if ours != (owner.clone(), *ttl, rtype(mnemonic)) || class != "IN" {
                problems.push(format!("{}: {ours:?} vs dig {owner} {ttl} {class} {mnemonic}", v.file));
                ok = false;
                continue;
            }
            if let Some((mine, theirs)) = presentation(&record.data, rdata) {
                compared += 1;
                if mine != theirs {
                    problems.push(format!("{}: {mnemonic} rdata {mine:?} vs dig {theirs:?}", v.file));
                    ok = false;
                }
            }
        }
        if ok {
            decoded += 1;
        }
    }
    println!(
        "dnslib vectors: {decoded}/{} decoded, {compared} records compared (A/AAAA/MX/TXT/PTR/CNAME/NS/SOA), \
         {all_records} records checked for owner/TTL/type",
        paths.len()
    );
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert_eq!(decoded, 66);
    // The files hold well over a hundred records of the modelled types; a decoder that
    // dropped records would fail the counts above, this guards the comparison itself.
    assert!(compared >= 100, "only {compared} records compared");
}

/// A query the vectors carry decodes to the question dig shows.
#[test]
fn dnslib_queries_decode() {
    let text = fs::read_to_string(format!("{VECTORS}/cloudflare.com-MX")).expect("vector file missing");
    let line = text.lines().find_map(|l| l.strip_prefix(";; QUERY: ")).unwrap();
    let q = decode_query(&hex(line.trim())).unwrap();
    assert_eq!((q.id, q.name.as_str(), q.rtype), (47869, "cloudflare.com", RecordType::Mx));
}

// ---- property tests ----

fn modelled_type() -> impl Strategy<Value = RecordType> {
    prop::sample::select(vec![
        RecordType::A,
        RecordType::Aaaa,
        RecordType::Mx,
        RecordType::Txt,
        RecordType::Spf,
        RecordType::Ptr,
        RecordType::Cname,
        RecordType::Ns,
        RecordType::Soa,
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Bad-input rule: arbitrary bytes are an outcome (mostly Malformed), never a panic.
    #[test]
    fn decode_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let _ = decode_response(&bytes, "example.com", RecordType::Txt);
    }

    /// Closer to real damage: a valid response with bytes overwritten or cut off.
    #[test]
    fn decode_never_panics_on_damaged_responses(
        records in records_strategy(5),
        damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let q = decode_query(&encode_query("example.com", RecordType::Mx).unwrap()).unwrap();
        let mut bytes = encode_response(&q, &Outcome::Records(records), ResponseOptions::default()).unwrap();
        for (at, value) in damage {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let _ = decode_response(&bytes, "example.com", RecordType::Mx);
        bytes.truncate(cut.index(bytes.len() + 1));
        let _ = decode_response(&bytes, "example.com", RecordType::Mx);
    }

    /// Compression pointers rewired to anywhere (themselves, forward, into each other, past
    /// the end): RFC 1035 §4.1.4 loops must end as Malformed, never hang or panic. The names
    /// share suffixes, so the encoder writes several pointers to rewire.
    #[test]
    fn decode_never_panics_on_rewired_pointers(
        labels in prop::collection::vec(prop::sample::select(vec!["a", "mail", "example", "com"]), 1..4),
        targets in prop::collection::vec(any::<u16>(), 1..6),
        pick in prop::collection::vec(any::<prop::sample::Index>(), 1..6),
    ) {
        let qname = labels.join(".");
        let q = decode_query(&encode_query(&qname, RecordType::Mx).unwrap()).unwrap();
        let records: Vec<Record> = ["mx1", "mx2", "mail"]
            .iter()
            .map(|host| Record {
                name: qname.clone(),
                ttl: 60,
                data: RData::Mx { preference: 10, exchange: format!("{host}.{qname}") },
            })
            .collect();
        let mut bytes = encode_response(&q, &Outcome::Records(records), ResponseOptions::default()).unwrap();
        let pointers: Vec<usize> = (12..bytes.len() - 1).filter(|&i| bytes[i] & 0xC0 == 0xC0).collect();
        prop_assert!(pointers.len() >= 3, "the encoder should have compressed: {bytes:?}");
        for (target, at) in targets.iter().zip(&pick) {
            let i = pointers[at.index(pointers.len())];
            // Offsets within and just past the message, so that most land on something.
            let offset = target % (bytes.len() as u16 + 4);
            bytes[i..i + 2].copy_from_slice(&(0xC000 | offset).to_be_bytes());
        }
        let outcome = decode_response(&bytes, &qname, RecordType::Mx).outcome;
        let _ = decode_query(&bytes);
        // Whatever was decoded re-encodes: the names it holds are proper names.
        if let Outcome::Records(_) | Outcome::NoData(_) = &outcome {
            prop_assert!(encode_response(&q, &outcome, ResponseOptions::default()).is_ok());
        }
    }

    /// Records of types we do not model (SVCB, CAA, OPT in the wrong section…) and of
    /// those whose names we expand (SRV, NAPTR, RP, SIG, …: RFC 3597 §4), with random
    /// RDATA: decoded or refused, never a panic.
    #[test]
    fn decode_never_panics_on_random_rdata_of_other_types(
        rtype in prop::sample::select(vec![
            3u16, 4, 7, 8, 9, 10, 13, 14, 17, 18, 21, 24, 26, 30, 33, 35, 37, 41, 44, 46, 52, 53, 61, 62, 64, 65, 250,
            257, 65305,
        ]),
        rdata in prop::collection::vec(any::<u8>(), 0..80),
    ) {
        // Header: ID 0, QR RD RA, 1 question, 1 answer; question example.com TXT IN.
        let mut bytes = vec![0, 0, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0];
        bytes.extend_from_slice(b"\x07example\x03com\x00\x00\x10\x00\x01");
        // Answer: pointer to the question name, type, class IN, TTL 60, RDLENGTH, RDATA.
        bytes.extend_from_slice(&[0xc0, 0x0c]);
        bytes.extend_from_slice(&rtype.to_be_bytes());
        bytes.extend_from_slice(&[0, 1, 0, 0, 0, 60]);
        bytes.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        bytes.extend_from_slice(&rdata);
        let _ = decode_response(&bytes, "example.com", RecordType::Txt);
    }

    /// What we encode we read back: records, TTLs, names (escapes included), TXT strings unjoined.
    #[test]
    fn encode_decode_round_trip(
        qname in name_strategy(),
        qtype in modelled_type(),
        records in records_strategy(6),
        authenticated in any::<bool>(),
    ) {
        let q = decode_query(&encode_query(&qname, qtype).unwrap()).unwrap();
        prop_assert_eq!(&q.name, &qname);
        let opts = ResponseOptions { authenticated, ..Default::default() };
        let bytes = encode_response(&q, &Outcome::Records(records.clone()), opts).unwrap();
        let lookup = decode_response(&bytes, &qname, qtype);
        let expected = if records.iter().any(|r| r.data.record_type() == qtype) {
            Outcome::Records(records)
        } else {
            Outcome::NoData(records)
        };
        prop_assert_eq!(lookup.outcome, expected);
        prop_assert_eq!(lookup.authenticated, authenticated);
    }
}
