//! src/dns/wire checked against hickory-proto, an independent, fuzzed DNS codec
//! (a dev-dependency only): what we encode hickory reads as the same message, what
//! hickory encodes (with its own name compression) we read as the same records, and
//! on damaged messages hickory accepts with only modelled types, we agree with it.
//! EDNS: our queries carry hickory's idea of a plain OPT record, and the Extended DNS
//! Errors (RFC 8914) either side puts in one the other reads.

#![cfg(not(target_arch = "wasm32"))]

#[path = "support/wire_strategies.rs"]
mod wire_strategies;

use hickory_proto::op::{Edns, Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::rdata::opt::{EdnsCode, EdnsOption};
use hickory_proto::rr::rdata::{self as hrdata, NULL, SOA, TLSA, TXT};
use hickory_proto::rr::{self as hrr, DNSClass, Name};
use maildoctor_core::dns::wire::{
    decode_query, decode_response, encode_query, encode_query_checking_disabled, encode_response, Question,
    ResponseOptions,
};
use maildoctor_core::dns::{ExtendedError, Failure, Outcome, RData, Record, RecordType};
use proptest::prelude::*;
use wire_strategies::{escape_label, name_strategy, records_strategy};

// ---- converting between hickory's types and ours (test side only) ----

fn unescape_labels(text: &str) -> Vec<Vec<u8>> {
    if text.is_empty() {
        return vec![];
    }
    let (mut labels, mut label, mut bytes) = (vec![], vec![], text.bytes().peekable());
    while let Some(b) = bytes.next() {
        match b {
            b'.' => labels.push(std::mem::take(&mut label)),
            b'\\' => {
                let next = bytes.next().unwrap();
                if next.is_ascii_digit() {
                    let d: Vec<u8> = [next, bytes.next().unwrap(), bytes.next().unwrap()].to_vec();
                    label.push(std::str::from_utf8(&d).unwrap().parse::<u8>().unwrap());
                } else {
                    label.push(next);
                }
            }
            _ => label.push(b),
        }
    }
    labels.push(label);
    labels
}

fn name_text(name: &Name) -> String {
    name.iter().map(escape_label).collect::<Vec<_>>().join(".")
}

fn hickory_name(text: &str) -> Name {
    let mut name = Name::from_labels(unescape_labels(text)).unwrap();
    name.set_fqdn(true);
    name
}

/// A hickory record as ours; `None` for record data we do not compare (types hickory
/// decodes itself but we keep opaque, and the reverse).
fn from_hickory(record: &hrr::Record) -> Option<Record> {
    let data = match &record.data {
        hrr::RData::A(a) => RData::A(a.0),
        hrr::RData::AAAA(a) => RData::Aaaa(a.0),
        hrr::RData::MX(mx) => RData::Mx { preference: mx.preference, exchange: name_text(&mx.exchange) },
        hrr::RData::TXT(txt) => RData::Txt(txt.txt_data.iter().map(|s| s.to_vec()).collect()),
        hrr::RData::PTR(p) => RData::Ptr(name_text(&p.0)),
        hrr::RData::CNAME(c) => RData::Cname(name_text(&c.0)),
        hrr::RData::NS(n) => RData::Ns(name_text(&n.0)),
        hrr::RData::SOA(soa) => RData::Soa {
            mname: name_text(&soa.mname),
            rname: name_text(&soa.rname),
            serial: soa.serial,
            minimum: soa.minimum,
        },
        hrr::RData::TLSA(t) => RData::Tlsa {
            usage: t.cert_usage.into(),
            selector: t.selector.into(),
            matching_type: t.matching.into(),
            data: t.cert_data.clone(),
        },
        hrr::RData::Unknown { code, rdata } if u16::from(*code) == 99 => {
            let mut strings = vec![];
            let mut rest = rdata.anything.as_slice();
            while let Some((&len, tail)) = rest.split_first() {
                strings.push(tail.get(..usize::from(len))?.to_vec());
                rest = &tail[usize::from(len)..];
            }
            RData::Spf(strings)
        }
        // Types hickory keeps opaque but whose names we expand, so reject when they do not
        // fit their layout (RFC 3597 §4: MD, MF, MB, MG, MR, MINFO, RP, AFSDB, RT, SIG, PX, NXT).
        hrr::RData::Unknown { code, .. } if [3, 4, 7, 8, 9, 14, 17, 18, 21, 24, 26, 30].contains(&u16::from(*code)) => {
            return None
        }
        hrr::RData::Unknown { code, rdata } => RData::Other { rtype: u16::from(*code), data: rdata.anything.clone() },
        _ => return None,
    };
    Some(Record { name: name_text(&record.name), ttl: record.ttl, data })
}

fn to_hickory(record: &Record) -> hrr::Record {
    let n = |t: &str| hickory_name(t);
    let unknown = |code: u16, bytes: Vec<u8>| hrr::RData::Unknown { code: code.into(), rdata: NULL::with(bytes) };
    let rdata = match &record.data {
        RData::A(ip) => hrr::RData::A(hrdata::A(*ip)),
        RData::Aaaa(ip) => hrr::RData::AAAA(hrdata::AAAA(*ip)),
        RData::Mx { preference, exchange } => hrr::RData::MX(hrdata::MX::new(*preference, n(exchange))),
        RData::Txt(strings) => hrr::RData::TXT(TXT::from_bytes(strings.iter().map(Vec::as_slice).collect())),
        RData::Spf(strings) => unknown(99, strings.iter().flat_map(|s| [&[s.len() as u8][..], s].concat()).collect()),
        RData::Ptr(t) => hrr::RData::PTR(hrdata::PTR(n(t))),
        RData::Cname(t) => hrr::RData::CNAME(hrdata::CNAME(n(t))),
        RData::Ns(t) => hrr::RData::NS(hrdata::NS(n(t))),
        RData::Soa { mname, rname, serial, minimum } => {
            hrr::RData::SOA(SOA::new(n(mname), n(rname), *serial, 86_400, 7_200, 3_600_000, *minimum))
        }
        RData::Tlsa { usage, selector, matching_type, data } => {
            hrr::RData::TLSA(TLSA::new((*usage).into(), (*selector).into(), (*matching_type).into(), data.clone()))
        }
        RData::Other { rtype, data } => unknown(*rtype, data.clone()),
    };
    let mut wire = hrr::Record::from_rdata(n(&record.name), record.ttl, rdata);
    wire.dns_class = DNSClass::IN;
    wire
}

// ---- strategies ----

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
        RecordType::Tlsa,
        RecordType::Other(255),
    ])
}

/// Zero to three EDEs: any code, printable text (what survives `ExtendedError::new` unchanged).
fn edes_strategy() -> impl Strategy<Value = Vec<ExtendedError>> {
    prop::collection::vec((any::<u16>(), "[a-zA-Z0-9.,:/ -]{0,40}"), 0..4)
        .prop_map(|v| v.into_iter().map(|(code, text)| ExtendedError::new(code, &text)).collect())
}

/// The EDE options of a hickory message, as ours.
fn hickory_edes(m: &Message) -> Vec<ExtendedError> {
    let Some(edns) = &m.edns else { return vec![] };
    edns.options()
        .options
        .iter()
        .filter_map(|(code, option)| match (code, option) {
            (EdnsCode::Unknown(15), EdnsOption::Unknown(15, data)) => Some(ExtendedError::new(
                u16::from_be_bytes([data[0], data[1]]),
                std::str::from_utf8(&data[2..]).unwrap(),
            )),
            _ => None,
        })
        .collect()
}

/// RCODEs up to 4095: the 4-bit header field and the OPT record's 8 upper bits.
fn rcode_strategy() -> impl Strategy<Value = u16> {
    prop_oneof![3 => 0u16..=15, 1 => 16u16..=4095]
}

fn expected_outcome(rcode: u16, records: Vec<Record>, qtype: RecordType) -> Outcome {
    match rcode {
        0 if qtype == RecordType::Other(255) && !records.is_empty() => Outcome::Records(records),
        0 if records.iter().any(|r| r.data.record_type() == qtype) => Outcome::Records(records),
        0 => Outcome::NoData(records),
        2 => Outcome::Failed(Failure::ServFail),
        3 => Outcome::NxDomain,
        5 => Outcome::Failed(Failure::Refused),
        n => Outcome::Failed(Failure::Rcode(n)),
    }
}

/// A response built and encoded by hickory.
fn hickory_response(qname: &str, qtype: RecordType, records: &[Record], rcode: u16, ad: bool) -> Vec<u8> {
    hickory_response_with(qname, qtype, records, rcode, ad, &[])
}

/// As [`hickory_response`], with EDEs in the OPT record.
fn hickory_response_with(
    qname: &str,
    qtype: RecordType,
    records: &[Record],
    rcode: u16,
    ad: bool,
    edes: &[ExtendedError],
) -> Vec<u8> {
    let mut m = Message::new(0, MessageType::Response, OpCode::Query);
    m.metadata.recursion_desired = true;
    m.metadata.recursion_available = true;
    m.metadata.authentic_data = ad;
    m.metadata.response_code = <ResponseCode as From<u16>>::from(rcode);
    if rcode > 15 || !edes.is_empty() {
        let mut edns = Edns::new();
        edns.set_rcode_high((rcode >> 4) as u8);
        for e in edes {
            let data = [&e.code.to_be_bytes()[..], e.text.as_bytes()].concat();
            edns.options_mut().insert(EdnsOption::Unknown(15, data));
        }
        m.set_edns(edns);
    }
    m.add_query(Query::query(hickory_name(qname), qtype.code().into()));
    for r in records {
        m.add_answer(to_hickory(r));
    }
    m.to_vec().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Our query is hickory's query: ID 0, RD, AD, one question of class IN.
    #[test]
    fn our_queries_read_by_hickory(qname in name_strategy(), qtype in modelled_type()) {
        let m = Message::from_vec(&encode_query(&qname, qtype).unwrap()).unwrap();
        prop_assert_eq!(m.metadata.id, 0);
        prop_assert_eq!(m.metadata.message_type, MessageType::Query);
        prop_assert!(m.metadata.recursion_desired && m.metadata.authentic_data && !m.metadata.checking_disabled);
        prop_assert_eq!(m.queries.len(), 1);
        prop_assert_eq!(name_text(&m.queries[0].name), qname);
        prop_assert_eq!(u16::from(m.queries[0].query_type), qtype.code());
        prop_assert_eq!(m.queries[0].query_class, DNSClass::IN);
        // RFC 6891: one OPT record, version 0, DO clear, our payload size, no options.
        let edns = m.edns.as_ref().unwrap();
        prop_assert_eq!((edns.version(), edns.max_payload(), edns.flags().dnssec_ok), (0, 1232, false));
        prop_assert!(edns.options().options.is_empty());
    }

    /// The retry after a SERVFAIL: the same query with CD set (RFC 4035 §3.2.2), as hickory reads it.
    #[test]
    fn our_checking_disabled_queries_read_by_hickory(qname in name_strategy(), qtype in modelled_type()) {
        let bytes = encode_query_checking_disabled(&qname, qtype).unwrap();
        let m = Message::from_vec(&bytes).unwrap();
        prop_assert!(m.metadata.checking_disabled && m.metadata.recursion_desired && m.metadata.authentic_data);
        prop_assert_eq!(name_text(&m.queries[0].name), qname.clone());
        prop_assert!(decode_query(&bytes).unwrap().checking_disabled);
    }

    /// Hickory's query is ours.
    #[test]
    fn hickory_queries_read_by_us(qname in name_strategy(), qtype in modelled_type(), id in any::<u16>(), rd in any::<bool>(), cd in any::<bool>()) {
        let mut m = Message::new(id, MessageType::Query, OpCode::Query);
        m.metadata.recursion_desired = rd;
        m.metadata.checking_disabled = cd;
        m.add_query(Query::query(hickory_name(&qname), qtype.code().into()));
        let q = decode_query(&m.to_vec().unwrap()).unwrap();
        prop_assert_eq!(q, Question { id, name: qname, rtype: qtype, recursion_desired: rd, checking_disabled: cd });
    }

    /// Our responses (names compressed by our encoder) read by hickory: same header bits,
    /// question, RCODE (over 15 through the OPT record) and records.
    #[test]
    fn our_responses_read_by_hickory(
        qname in name_strategy(),
        qtype in modelled_type(),
        records in records_strategy(6),
        rcode in rcode_strategy(),
        id in any::<u16>(),
        rd in any::<bool>(),
        authenticated in any::<bool>(),
        extended_errors in edes_strategy(),
    ) {
        let question = Question { id, name: qname.clone(), rtype: qtype, recursion_desired: rd, checking_disabled: false };
        let outcome = expected_outcome(rcode, records.clone(), qtype);
        let options = ResponseOptions { authenticated, truncated: false, extended_errors: extended_errors.clone() };
        let bytes = encode_response(&question, &outcome, options).unwrap();
        let m = Message::from_vec(&bytes).unwrap();
        prop_assert_eq!(m.metadata.id, id);
        prop_assert_eq!(m.metadata.message_type, MessageType::Response);
        prop_assert_eq!((m.metadata.recursion_desired, m.metadata.authentic_data), (rd, authenticated));
        prop_assert!(m.metadata.recursion_available && !m.metadata.truncation);
        prop_assert_eq!(u16::from(m.metadata.response_code), rcode);
        prop_assert_eq!(name_text(&m.queries[0].name), qname);
        prop_assert_eq!(u16::from(m.queries[0].query_type), qtype.code());
        let theirs: Vec<Record> = m.answers.iter().map(|r| from_hickory(r).unwrap()).collect();
        let ours = if rcode == 0 { records } else { vec![] };
        prop_assert_eq!(theirs, ours);
        prop_assert_eq!(hickory_edes(&m), extended_errors);
    }

    /// Hickory's responses (names compressed by hickory's encoder) read by us.
    #[test]
    fn hickory_responses_read_by_us(
        qname in name_strategy(),
        qtype in modelled_type(),
        records in records_strategy(6),
        rcode in rcode_strategy(),
        authenticated in any::<bool>(),
        extended_errors in edes_strategy(),
    ) {
        let records = if rcode == 0 { records } else { vec![] };
        let bytes = hickory_response_with(&qname, qtype, &records, rcode, authenticated, &extended_errors);
        let lookup = decode_response(&bytes, &qname, qtype);
        prop_assert_eq!(lookup.outcome, expected_outcome(rcode, records, qtype));
        prop_assert_eq!(lookup.authenticated, authenticated);
        prop_assert_eq!(lookup.extended_errors, extended_errors);
    }

    /// Damaged hickory messages: where hickory reads the message and every answer is of a
    /// type we model, we read the same records; and we never panic on any of them.
    #[test]
    fn damaged_messages_read_like_hickory(
        qname in name_strategy(),
        qtype in modelled_type(),
        records in records_strategy(6),
        damage in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut bytes = hickory_response(&qname, qtype, &records, 0, false);
        for (at, value) in damage {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let lookup = decode_response(&bytes, &qname, qtype);
        let Ok(m) = Message::from_vec(&bytes) else { return Ok(()) };
        let theirs: Option<Vec<Record>> = m.answers.iter().map(from_hickory).collect();
        let asked = m.queries.first().map(|q| (name_text(&q.name), u16::from(q.query_type)));
        let same_question = asked.as_ref().is_none_or(|(n, t)| n.eq_ignore_ascii_case(&qname) && *t == qtype.code());
        if let (Some(theirs), true, false) = (theirs, same_question, m.metadata.truncation) {
            if m.metadata.message_type == MessageType::Response && m.metadata.response_code == ResponseCode::NoError {
                prop_assert_eq!(lookup.records(), theirs.as_slice(), "{:?}", lookup.outcome);
            }
        }
    }
}

/// RFC 2308 §5: a negative answer's cache time is the authority SOA's TTL,
/// capped by the SOA's MINIMUM field; it is kept only for answers without
/// records of the asked type.
#[test]
fn negative_answers_carry_the_soa_cache_time() {
    let soa = |ttl: u32, minimum: u32| Record {
        name: "example.com".into(),
        ttl,
        data: RData::Soa {
            mname: "ns1.example.com".into(),
            rname: "hostmaster.example.com".into(),
            serial: 1,
            minimum,
        },
    };
    let with_authority = |rcode: u16, answers: &[Record], authority: &[Record]| {
        let mut m =
            Message::from_vec(&hickory_response("_dmarc.example.com", RecordType::Txt, answers, rcode, false)).unwrap();
        for r in authority {
            m.add_authority(to_hickory(r));
        }
        decode_response(&m.to_vec().unwrap(), "_dmarc.example.com", RecordType::Txt)
    };
    let txt =
        Record { name: "_dmarc.example.com".into(), ttl: 300, data: RData::Txt(vec![b"v=DMARC1; p=none".to_vec()]) };
    // (RCODE, answers, authority, the negative TTL read)
    type Case<'a> = (u16, &'a [Record], &'a [Record], Option<u32>);
    let cases: &[Case] = &[
        (3, &[], &[soa(3600, 300)], Some(300)),
        (3, &[], &[soa(60, 300)], Some(60)),
        (0, &[], &[soa(900, 3600)], Some(900)),
        (3, &[], &[], None),
        // An answer with records: the SOA (rare, but legal) says nothing about it.
        (0, std::slice::from_ref(&txt), &[soa(3600, 300)], None),
    ];
    for (rcode, answers, authority, want) in cases {
        let lookup = with_authority(*rcode, answers, authority);
        assert_eq!(lookup.negative_ttl, *want, "rcode {rcode}, {authority:?}");
    }
}
