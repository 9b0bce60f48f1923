//! RFC 1035 wire format ↔ [`super::Lookup`]: the bodies of RFC 8484 exchanges.
//!
//! The codec is our own (std only, small enough for the wasm bundle): the header,
//! question and record framing in [`message`], names with compression in [`name`],
//! the RDATA of the modelled types in [`rdata`]. This module decides what a response
//! *means* (RCODE → [`Outcome`], TC, AD, question check) and reads the resolver's
//! Extended DNS Errors (RFC 8914, [`ede`]). Nothing here panics on
//! untrusted bytes: anything that cannot be read becomes
//! `Outcome::Failed(Failure::Malformed(..))`. The tests in tests/dns_wire_hickory.rs
//! check it against hickory-proto, an independent implementation.
//!
//! Names are presented label by label, never turned into Unicode: bytes outside
//! printable ASCII and the characters `.` and `\` are escaped as in RFC 1035 §5.1
//! (`\DDD`, `\.`), so that a decoded name can be encoded again unchanged.

pub mod ede;
mod message;
mod name;
mod rdata;

use std::fmt;

use message::{Message, AD, CD, QR, RA, RD, TC};
use name::{Name, Writer};

pub use ede::ExtendedError;

use super::{Failure, Lookup, Outcome, Record, RecordType};
use crate::quote::Quoted;

/// The QTYPE of an `ANY` question (RFC 1035 §3.2.3, `*`): every answer record counts.
const QTYPE_ANY: u16 = 255;

/// RFC 1035 §4.1.1 RCODE values (NOERROR 0, SERVFAIL 2, NXDOMAIN 3, REFUSED 5).
const NOERROR: u16 = 0;
const SERVFAIL: u16 = 2;
const NXDOMAIN: u16 = 3;
const REFUSED: u16 = 5;

/// Why a message could not be built or a query could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// The name cannot be a DNS name (empty label, label over 63 octets, name over 255, bad escape).
    BadName { name: String, why: String },
    /// Record data that cannot be put on the wire (e.g. a TXT string over 255 octets).
    Encode(String),
    /// Bytes that are not a DNS query.
    Decode(String),
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::BadName { name, why } => write!(f, "{} is not a valid DNS name: {why}", Quoted(name)),
            WireError::Encode(why) => write!(f, "cannot encode the DNS message: {why}"),
            WireError::Decode(why) => write!(f, "not a DNS query: {why}"),
        }
    }
}

impl std::error::Error for WireError {}

/// The question of a query, as the fixture server reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The message ID, echoed in the response (0 for RFC 8484 GET).
    pub id: u16,
    /// Without the trailing dot, escaped as described in the module docs.
    pub name: String,
    pub rtype: RecordType,
    /// The RD bit, echoed in the response (RFC 1035 §4.1.1: "copied into the response").
    pub recursion_desired: bool,
    /// The CD bit (RFC 4035 §3.2.2): answer without DNSSEC validation.
    pub checking_disabled: bool,
}

/// Header bits and EDNS options the fixture server may set on a response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseOptions {
    /// The AD bit (RFC 4035 §3.2.3).
    pub authenticated: bool,
    /// Set TC and drop the answer section, as a UDP server would on overflow.
    pub truncated: bool,
    /// Extended DNS Errors to send in an OPT record (RFC 8914).
    pub extended_errors: Vec<ExtendedError>,
}

/// A query message for `name`/`rtype`: ID 0, RD set, class IN, and an EDNS(0) OPT record.
///
/// RFC 8484 §4.1: "In order to maximize HTTP cache friendliness, DoH clients
/// using media formats that include the ID field from the DNS message header,
/// such as "application/dns-message", SHOULD use a DNS ID of 0 in every DNS
/// request." The AD bit is set so that validating resolvers report whether
/// they validated the answer (RFC 6840 §5.7). The OPT record (RFC 6891) is what
/// lets a resolver explain a failure with an Extended DNS Error: RFC 8914 §3 has
/// EDEs only in responses to queries with an OPT record. It is the smallest one
/// (11 octets): no options, no padding, DO clear.
pub fn encode_query(name: &str, rtype: RecordType) -> Result<Vec<u8>, WireError> {
    query(name, rtype, RD | AD)
}

/// The same query with CD set (RFC 4035 §3.2.2): asked only after a SERVFAIL,
/// to tell a DNSSEC validation failure (an answer comes back) from a resolver
/// that cannot reach the zone at all.
pub fn encode_query_checking_disabled(name: &str, rtype: RecordType) -> Result<Vec<u8>, WireError> {
    query(name, rtype, RD | AD | CD)
}

fn query(name: &str, rtype: RecordType, flags: u16) -> Result<Vec<u8>, WireError> {
    let mut w = Writer::default();
    message::write_header(&mut w, 0, flags, NOERROR, (&Name::parse(name)?, rtype.code()), 0, true)
        .map_err(WireError::Encode)?;
    message::write_opt(&mut w, NOERROR, &[]).map_err(WireError::Encode)?;
    Ok(w.bytes)
}

/// Reads the question of a query message (what the fixture server needs).
pub fn decode_query(bytes: &[u8]) -> Result<Question, WireError> {
    let message = Message::read(bytes).map_err(WireError::Decode)?;
    if message.flags & QR != 0 {
        return Err(WireError::Decode("the QR bit says this is a response".into()));
    }
    let [(name, qtype)] = message.questions.as_slice() else {
        return Err(WireError::Decode(format!("expected one question, found {}", message.questions.len())));
    };
    Ok(Question {
        id: message.id,
        name: name.to_string(),
        rtype: RecordType::from_code(*qtype),
        recursion_desired: message.flags & RD != 0,
        checking_disabled: message.flags & CD != 0,
    })
}

/// A response to `question` carrying `outcome`.
///
/// `Records`/`NoData` → NOERROR with the records in the answer section (the
/// CNAME chain included, as a recursive resolver sends it); `NxDomain` →
/// NXDOMAIN; `ServFail`/`Refused`/`Rcode` → that RCODE (over 15 with an OPT
/// record for its upper bits, RFC 6891 §6.1.3). The options' Extended DNS Errors
/// go in an OPT record too (RFC 8914). The failures that have no
/// RCODE (timeout, transport, malformed) are the server's business to produce
/// at the HTTP level; here they become SERVFAIL, which is what a resolver
/// answers when it cannot get an answer. Names are compressed (RFC 1035 §4.1.4).
pub fn encode_response(question: &Question, outcome: &Outcome, options: ResponseOptions) -> Result<Vec<u8>, WireError> {
    let (rcode, records): (u16, &[Record]) = match outcome {
        Outcome::Records(r) | Outcome::NoData(r) => (NOERROR, r),
        Outcome::NxDomain => (NXDOMAIN, &[]),
        Outcome::Failed(Failure::Refused) => (REFUSED, &[]),
        Outcome::Failed(Failure::Rcode(code)) => (*code, &[]),
        Outcome::Failed(_) => (SERVFAIL, &[]),
    };
    let records = if options.truncated { &[] } else { records };
    let count = u16::try_from(records.len()).map_err(|_| WireError::Encode("over 65535 answer records".into()))?;
    let mut flags = QR | RA;
    for (set, bit) in [(question.recursion_desired, RD), (options.authenticated, AD), (options.truncated, TC)] {
        if set {
            flags |= bit;
        }
    }
    let mut w = Writer::default();
    let qname = Name::parse(&question.name)?;
    let with_opt = message::needs_opt(rcode, &options.extended_errors);
    message::write_header(&mut w, question.id, flags, rcode, (&qname, question.rtype.code()), count, with_opt)
        .map_err(WireError::Encode)?;
    for record in records {
        rdata::write_record(&mut w, record)?;
    }
    if with_opt {
        message::write_opt(&mut w, rcode, &options.extended_errors).map_err(WireError::Encode)?;
    }
    Ok(w.bytes)
}

/// What a response to the question (`name`, `rtype`) says.
///
/// Never fails: bytes that are not a usable response give
/// `Failed(Malformed(why))`. RCODE NOERROR gives `Records` when the answer
/// section holds a record of the asked type (for `ANY`: any record), else
/// `NoData` (RFC 2308 §2.2), in both cases with every answer record,
/// CNAME chain included; NXDOMAIN, SERVFAIL, REFUSED and the rest map to
/// their own outcomes. The AD bit is reported as `authenticated`, the
/// Extended DNS Errors of an OPT record as `extended_errors`.
pub fn decode_response(bytes: &[u8], name: &str, rtype: RecordType) -> Lookup {
    let mut lookup = Lookup::new(name, rtype, Outcome::NxDomain);
    match read_response(bytes, name, rtype) {
        Ok((outcome, message)) => {
            lookup.outcome = outcome;
            lookup.authenticated = message.flags & AD != 0;
            lookup.extended_errors = message.extended_errors;
            if matches!(lookup.outcome, Outcome::NxDomain | Outcome::NoData(_)) {
                lookup.negative_ttl = message.negative_ttl;
            }
        }
        Err(why) => lookup.outcome = Outcome::Failed(Failure::Malformed(why)),
    }
    lookup
}

fn read_response(bytes: &[u8], name: &str, rtype: RecordType) -> Result<(Outcome, Message), String> {
    if bytes.is_empty() {
        return Err("the answer was empty".into());
    }
    let message = Message::read(bytes).map_err(|e| format!("not a DNS message ({e})"))?;
    if message.flags & QR == 0 {
        return Err("the message is a query, not a response".into());
    }
    // RFC 8484 asks for ID 0, so the question is what ties the answer to what we asked.
    // Some servers leave it out of error responses; a present but different one is wrong.
    if let Some((qname, qtype)) = message.questions.first() {
        let got_name = qname.to_string();
        let got_type = RecordType::from_code(*qtype);
        if !same_name(&got_name, name) || got_type != rtype {
            return Err(format!("the answer is for another question ({got_name} {got_type})"));
        }
    }
    // RFC 1035 §4.1.1: TC means the message was cut short. Over HTTPS there is no
    // size limit, so a truncated answer is a broken one: whatever it holds may be
    // partial (a NODATA could really be "records dropped"), so do not interpret it.
    if message.flags & TC != 0 {
        return Err("the answer was cut short (TC flag set), so it may be missing records".into());
    }
    let outcome = match message.rcode {
        NOERROR => {
            // A loop, not a collect into Result (see the MX report's lookups).
            let mut records = Vec::new();
            for raw in &message.answers {
                let owner = raw.name.to_string();
                let data = rdata::read(bytes, raw.rtype, raw.rdata.clone())
                    .map_err(|why| format!("bad {} record for {owner}: {why}", RecordType::from_code(raw.rtype)))?;
                records.push(Record { name: owner, ttl: raw.ttl, data });
            }
            let has_asked_type = if rtype.code() == QTYPE_ANY {
                !records.is_empty()
            } else {
                records.iter().any(|r| r.data.record_type() == rtype)
            };
            if has_asked_type {
                Outcome::Records(records)
            } else {
                Outcome::NoData(records)
            }
        }
        NXDOMAIN => Outcome::NxDomain,
        SERVFAIL => Outcome::Failed(Failure::ServFail),
        REFUSED => Outcome::Failed(Failure::Refused),
        other => Outcome::Failed(Failure::Rcode(other)),
    };
    Ok((outcome, message))
}

/// ASCII case-insensitive comparison, ignoring one trailing dot (RFC 4343).
fn same_name(a: &str, b: &str) -> bool {
    a.strip_suffix('.').unwrap_or(a).eq_ignore_ascii_case(b.strip_suffix('.').unwrap_or(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::RData;

    fn question(name: &str, rtype: RecordType) -> Question {
        decode_query(&encode_query(name, rtype).unwrap()).unwrap()
    }

    #[test]
    fn query_has_id_zero_rd_and_the_question() {
        let bytes = encode_query("Example.COM.", RecordType::Mx).unwrap();
        // RFC 8484 §4.1: ID 0. RFC 1035 §4.1.1: RD is bit 0 of the third octet.
        assert_eq!(&bytes[..2], &[0, 0]);
        assert_eq!(bytes[2] & 0x01, 0x01);
        let q = decode_query(&bytes).unwrap();
        assert_eq!((q.id, q.name.as_str(), q.rtype, q.recursion_desired), (0, "Example.COM", RecordType::Mx, true));
    }

    #[test]
    fn bad_names_are_errors() {
        for bad in ["a..b", "..", ".x", "x\\", &format!("{}.com", "a".repeat(64)), &["abcdefghi"; 26].join(".")] {
            let r = encode_query(bad, RecordType::A);
            assert!(matches!(r, Err(WireError::BadName { .. })), "{bad:?} gave {r:?}");
        }
        // The empty name and "." are the root, a legal question.
        assert!(encode_query("", RecordType::Ns).is_ok());
        assert!(encode_query(".", RecordType::Ns).is_ok());
    }

    #[test]
    fn rcodes_map_to_distinct_outcomes() {
        let q = question("x.example", RecordType::A);
        let cases = [
            (Outcome::NxDomain, Outcome::NxDomain),
            (Outcome::Failed(Failure::ServFail), Outcome::Failed(Failure::ServFail)),
            (Outcome::Failed(Failure::Refused), Outcome::Failed(Failure::Refused)),
            (Outcome::Failed(Failure::Rcode(4)), Outcome::Failed(Failure::Rcode(4))),
            // RFC 6891 §6.1.3: over 15, the upper 8 bits travel in an OPT record (16 = BADVERS).
            (Outcome::Failed(Failure::Rcode(16)), Outcome::Failed(Failure::Rcode(16))),
            (Outcome::Failed(Failure::Rcode(4095)), Outcome::Failed(Failure::Rcode(4095))),
            (Outcome::NoData(vec![]), Outcome::NoData(vec![])),
            // Not representable in DNS: a resolver would say SERVFAIL.
            (Outcome::Failed(Failure::Timeout), Outcome::Failed(Failure::ServFail)),
        ];
        for (sent, expected) in cases {
            let bytes = encode_response(&q, &sent, ResponseOptions::default()).unwrap();
            assert_eq!(decode_response(&bytes, "x.example", RecordType::A).outcome, expected, "{sent:?}");
        }
        // 12 bits is all there is.
        let too_big = Outcome::Failed(Failure::Rcode(4096));
        assert!(matches!(encode_response(&q, &too_big, ResponseOptions::default()), Err(WireError::Encode(_))));
    }

    #[test]
    fn cname_chain_and_ad_flag_are_kept() {
        let q = question("www.example", RecordType::A);
        let records = vec![
            Record { name: "www.example".into(), ttl: 60, data: RData::Cname("host.example.net".into()) },
            Record { name: "host.example.net".into(), ttl: 30, data: RData::A("192.0.2.1".parse().unwrap()) },
        ];
        let opts = ResponseOptions { authenticated: true, ..Default::default() };
        let bytes = encode_response(&q, &Outcome::Records(records.clone()), opts.clone()).unwrap();
        let l = decode_response(&bytes, "WWW.example.", RecordType::A);
        assert_eq!(l.outcome, Outcome::Records(records.clone()));
        assert!(l.authenticated);
        assert_eq!(l.cname_chain(), vec!["host.example.net"]);
        // Only the CNAME, no A at the end of the chain: NODATA with the chain.
        let bytes = encode_response(&q, &Outcome::Records(records[..1].to_vec()), opts.clone()).unwrap();
        assert_eq!(
            decode_response(&bytes, "www.example", RecordType::A).outcome,
            Outcome::NoData(records[..1].to_vec())
        );
        // Asking for the CNAME itself: it is the answer.
        let q = question("www.example", RecordType::Cname);
        let bytes = encode_response(&q, &Outcome::Records(records[..1].to_vec()), opts).unwrap();
        assert!(matches!(decode_response(&bytes, "www.example", RecordType::Cname).outcome, Outcome::Records(_)));
    }

    #[test]
    fn multi_string_txt_stays_unjoined() {
        let q = question("example.com", RecordType::Txt);
        let txt = RData::Txt(vec![b"v=spf1 ".to_vec(), b"-all".to_vec(), vec![0, 255]]);
        let spf = RData::Spf(vec![b"v=spf1".to_vec(), vec![]]);
        let empty = Record { name: "example.com".into(), ttl: 1, data: RData::Txt(vec![]) };
        assert!(encode_response(&q, &Outcome::Records(vec![empty]), ResponseOptions::default()).is_err());
        let records: Vec<Record> =
            [txt, spf].into_iter().map(|data| Record { name: "example.com".into(), ttl: 1, data }).collect();
        let bytes = encode_response(&q, &Outcome::Records(records.clone()), ResponseOptions::default()).unwrap();
        assert_eq!(decode_response(&bytes, "example.com", RecordType::Txt).outcome, Outcome::Records(records));
    }

    #[test]
    fn truncated_answers_are_not_read_as_nodata() {
        let q = question("example.com", RecordType::Mx);
        let opts = ResponseOptions { truncated: true, ..Default::default() };
        let mx = Record { name: "example.com".into(), ttl: 1, data: RData::Mx { preference: 0, exchange: "".into() } };
        let bytes = encode_response(&q, &Outcome::Records(vec![mx]), opts).unwrap();
        let outcome = decode_response(&bytes, "example.com", RecordType::Mx).outcome;
        assert!(matches!(outcome, Outcome::Failed(Failure::Malformed(ref why)) if why.contains("TC")), "{outcome:?}");
    }

    #[test]
    fn garbage_and_mismatches_are_malformed() {
        let q = question("example.com", RecordType::Mx);
        let good = encode_response(&q, &Outcome::NoData(vec![]), ResponseOptions::default()).unwrap();
        let query = encode_query("example.com", RecordType::Mx).unwrap();
        let cases: [(&[u8], &str, RecordType, &str); 6] = [
            (b"", "example.com", RecordType::Mx, "empty"),
            (b"<html>not dns</html>", "example.com", RecordType::Mx, "not a DNS message"),
            (&good[..good.len() - 3], "example.com", RecordType::Mx, "not a DNS message"),
            (&query, "example.com", RecordType::Mx, "query"),
            (&good, "example.org", RecordType::Mx, "another question"),
            (&good, "example.com", RecordType::Txt, "another question"),
        ];
        for (bytes, name, rtype, expect) in cases {
            let outcome = decode_response(bytes, name, rtype).outcome;
            assert!(
                matches!(outcome, Outcome::Failed(Failure::Malformed(ref why)) if why.contains(expect)),
                "{expect}: {outcome:?}"
            );
        }
    }

    #[test]
    fn oversized_txt_string_cannot_be_encoded() {
        let q = question("example.com", RecordType::Txt);
        let r = Record { name: "example.com".into(), ttl: 1, data: RData::Txt(vec![vec![b'a'; 256]]) };
        assert!(matches!(
            encode_response(&q, &Outcome::Records(vec![r]), ResponseOptions::default()),
            Err(WireError::Encode(_))
        ));
    }
}
