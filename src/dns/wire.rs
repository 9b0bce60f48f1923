//! RFC 1035 wire format ↔ [`super::Lookup`]: the bodies of RFC 8484 exchanges.
//!
//! The parsing of the message itself is left to hickory-proto (a maintained,
//! fuzzed DNS codec); this module only maps its types to ours and decides what
//! a response *means* (RCODE → [`Outcome`], TC, AD, question check). Nothing
//! here panics on untrusted bytes: anything that cannot be read becomes
//! `Outcome::Failed(Failure::Malformed(..))`.
//!
//! Names are converted label by label (not through hickory's `Display`,
//! which would turn `xn--` labels into Unicode): bytes outside printable
//! ASCII and the characters `.` and `\` are escaped as in RFC 1035 §5.1
//! (`\DDD`, `\.`), so that a decoded name can be encoded again unchanged.

use std::fmt;

use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::rdata::{self as hrdata, NULL, SOA, TXT};
use hickory_proto::rr::{self as hrr, DNSClass, Name};
use hickory_proto::serialize::binary::BinEncodable;

use super::{Failure, Lookup, Outcome, RData, Record, RecordType};

/// The QTYPE of an `ANY` question (RFC 1035 §3.2.3, `*`): every answer record counts.
const QTYPE_ANY: u16 = 255;

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
            WireError::BadName { name, why } => write!(f, "{name:?} is not a valid DNS name: {why}"),
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
}

/// Header bits the fixture server may set on a response.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResponseOptions {
    /// The AD bit (RFC 4035 §3.2.3).
    pub authenticated: bool,
    /// Set TC and drop the answer section, as a UDP server would on overflow.
    pub truncated: bool,
}

/// A query message for `name`/`rtype`: ID 0, RD set, class IN.
///
/// RFC 8484 §4.1: "In order to maximize HTTP cache friendliness, DoH clients
/// using media formats that include the ID field from the DNS message header,
/// such as "application/dns-message", SHOULD use a DNS ID of 0 in every DNS
/// request." The AD bit is set so that validating resolvers report whether
/// they validated the answer (RFC 6840 §5.7). No EDNS0: over HTTPS there is no
/// UDP payload limit to advertise.
pub fn encode_query(name: &str, rtype: RecordType) -> Result<Vec<u8>, WireError> {
    let mut message = Message::new(0, MessageType::Query, OpCode::Query);
    message.metadata.recursion_desired = true;
    message.metadata.authentic_data = true;
    message.add_query(Query::query(parse_name(name)?, hrr::RecordType::from(rtype.code())));
    message.to_vec().map_err(|e| WireError::Encode(e.to_string()))
}

/// Reads the question of a query message (what the fixture server needs).
pub fn decode_query(bytes: &[u8]) -> Result<Question, WireError> {
    let message = Message::from_vec(bytes).map_err(|e| WireError::Decode(e.to_string()))?;
    if message.metadata.message_type != MessageType::Query {
        return Err(WireError::Decode("the QR bit says this is a response".into()));
    }
    let [query] = message.queries.as_slice() else {
        return Err(WireError::Decode(format!("expected one question, found {}", message.queries.len())));
    };
    Ok(Question {
        id: message.metadata.id,
        name: name_to_string(&query.name),
        rtype: RecordType::from_code(u16::from(query.query_type)),
        recursion_desired: message.metadata.recursion_desired,
    })
}

/// A response to `question` carrying `outcome`.
///
/// `Records`/`NoData` → NOERROR with the records in the answer section (the
/// CNAME chain included, as a recursive resolver sends it); `NxDomain` →
/// NXDOMAIN; `ServFail`/`Refused`/`Rcode` → that RCODE. The failures that
/// have no RCODE (timeout, transport, malformed) are the server's business to
/// produce at the HTTP level; here they become SERVFAIL, which is what a
/// resolver answers when it cannot get an answer.
pub fn encode_response(question: &Question, outcome: &Outcome, options: ResponseOptions) -> Result<Vec<u8>, WireError> {
    let mut message = Message::new(question.id, MessageType::Response, OpCode::Query);
    message.metadata.recursion_desired = question.recursion_desired;
    message.metadata.recursion_available = true;
    message.metadata.authentic_data = options.authenticated;
    message.metadata.truncation = options.truncated;
    message.add_query(Query::query(parse_name(&question.name)?, hrr::RecordType::from(question.rtype.code())));
    let (rcode, records): (ResponseCode, &[Record]) = match outcome {
        Outcome::Records(r) | Outcome::NoData(r) => (ResponseCode::NoError, r),
        Outcome::NxDomain => (ResponseCode::NXDomain, &[]),
        Outcome::Failed(Failure::Refused) => (ResponseCode::Refused, &[]),
        Outcome::Failed(Failure::Rcode(code)) => (<ResponseCode as From<u16>>::from(*code), &[]),
        Outcome::Failed(_) => (ResponseCode::ServFail, &[]),
    };
    message.metadata.response_code = rcode;
    if !options.truncated {
        for record in records {
            message.add_answer(to_wire_record(record)?);
        }
    }
    message.to_vec().map_err(|e| WireError::Encode(e.to_string()))
}

/// What a response to the question (`name`, `rtype`) says.
///
/// Never fails: bytes that are not a usable response give
/// `Failed(Malformed(why))`. RCODE NOERROR gives `Records` when the answer
/// section holds a record of the asked type (for `ANY`: any record), else
/// `NoData` (RFC 2308 §2.2), in both cases with every answer record,
/// CNAME chain included; NXDOMAIN, SERVFAIL, REFUSED and the rest map to
/// their own outcomes. The AD bit is reported as `authenticated`.
pub fn decode_response(bytes: &[u8], name: &str, rtype: RecordType) -> Lookup {
    let mut lookup = Lookup::new(name, rtype, Outcome::NxDomain);
    match read_response(bytes, name, rtype) {
        Ok((outcome, authenticated)) => {
            lookup.outcome = outcome;
            lookup.authenticated = authenticated;
        }
        Err(why) => lookup.outcome = Outcome::Failed(Failure::Malformed(why)),
    }
    lookup
}

fn read_response(bytes: &[u8], name: &str, rtype: RecordType) -> Result<(Outcome, bool), String> {
    if bytes.is_empty() {
        return Err("the answer was empty".into());
    }
    let message = Message::from_vec(bytes).map_err(|e| format!("not a DNS message ({e})"))?;
    let meta = &message.metadata;
    if meta.message_type != MessageType::Response {
        return Err("the message is a query, not a response".into());
    }
    // RFC 8484 asks for ID 0, so the question is what ties the answer to what we asked.
    // Some servers leave it out of error responses; a present but different one is wrong.
    if let Some(query) = message.queries.first() {
        let got_name = name_to_string(&query.name);
        let got_type = RecordType::from_code(u16::from(query.query_type));
        if !same_name(&got_name, name) || got_type != rtype {
            return Err(format!("the answer is for another question ({got_name} {got_type})"));
        }
    }
    // RFC 1035 §4.1.1: TC means the message was cut short. Over HTTPS there is no
    // size limit, so a truncated answer is a broken one: whatever it holds may be
    // partial (a NODATA could really be "records dropped"), so do not interpret it.
    if meta.truncation {
        return Err("the answer was cut short (TC flag set), so it may be missing records".into());
    }
    let outcome = match meta.response_code {
        ResponseCode::NoError => {
            let records = message.answers.iter().map(from_wire_record).collect::<Result<Vec<_>, _>>()?;
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
        ResponseCode::NXDomain => Outcome::NxDomain,
        ResponseCode::ServFail => Outcome::Failed(Failure::ServFail),
        ResponseCode::Refused => Outcome::Failed(Failure::Refused),
        other => Outcome::Failed(Failure::Rcode(u16::from(other))),
    };
    Ok((outcome, meta.authentic_data))
}

/// ASCII case-insensitive comparison, ignoring one trailing dot (RFC 4343).
fn same_name(a: &str, b: &str) -> bool {
    a.strip_suffix('.').unwrap_or(a).eq_ignore_ascii_case(b.strip_suffix('.').unwrap_or(b))
}

fn from_wire_record(record: &hrr::Record) -> Result<Record, String> {
    let owner = name_to_string(&record.name);
    let code = u16::from(record.record_type());
    let bad = |why: &str| format!("bad {} record for {owner}: {why}", RecordType::from_code(code));
    let data = match &record.data {
        hrr::RData::A(a) => RData::A(a.0),
        hrr::RData::AAAA(aaaa) => RData::Aaaa(aaaa.0),
        hrr::RData::MX(mx) => RData::Mx { preference: mx.preference, exchange: name_to_string(&mx.exchange) },
        hrr::RData::TXT(txt) => RData::Txt(txt.txt_data.iter().map(|s| s.to_vec()).collect()),
        hrr::RData::PTR(p) => RData::Ptr(name_to_string(&p.0)),
        hrr::RData::CNAME(c) => RData::Cname(name_to_string(&c.0)),
        hrr::RData::NS(n) => RData::Ns(name_to_string(&n.0)),
        hrr::RData::SOA(soa) => RData::Soa {
            mname: name_to_string(&soa.mname),
            rname: name_to_string(&soa.rname),
            serial: soa.serial,
            minimum: soa.minimum,
        },
        // RDLENGTH 0. hickory already refuses it outside UPDATE messages; kept for safety.
        hrr::RData::Update0(_) => return Err(bad("no data")),
        // hickory has no type for 99 (SPF); its RDATA is TXT-shaped (RFC 7208 §3.1).
        hrr::RData::Unknown { rdata, .. } if code == RecordType::Spf.code() => {
            RData::Spf(character_strings(&rdata.anything).ok_or_else(|| bad("character-string overruns the data"))?)
        }
        hrr::RData::Unknown { rdata, .. } => RData::Other { rtype: code, data: rdata.anything.clone() },
        // Types hickory decodes but we do not model (SRV, TLSA, …): keep the RDATA bytes.
        // Re-encoding writes names uncompressed, which is the canonical form anyway.
        other => RData::Other { rtype: code, data: other.to_bytes().map_err(|e| bad(&e.to_string()))? },
    };
    // A record of a type we model must carry that type's data, or checks would misread it.
    if RecordType::from_code(code) != data.record_type() {
        return Err(bad("record data does not match its type"));
    }
    Ok(Record { name: owner, ttl: record.ttl, data })
}

fn to_wire_record(record: &Record) -> Result<hrr::Record, WireError> {
    let name = |n: &str| parse_name(n);
    let rdata = match &record.data {
        RData::A(ip) => hrr::RData::A(hrdata::A(*ip)),
        RData::Aaaa(ip) => hrr::RData::AAAA(hrdata::AAAA(*ip)),
        RData::Mx { preference, exchange } => hrr::RData::MX(hrdata::MX::new(*preference, name(exchange)?)),
        RData::Txt(strings) => {
            check_character_strings(strings)?;
            hrr::RData::TXT(TXT::from_bytes(strings.iter().map(Vec::as_slice).collect()))
        }
        RData::Spf(strings) => {
            check_character_strings(strings)?;
            let mut bytes = Vec::new();
            for s in strings {
                bytes.push(u8::try_from(s.len()).unwrap_or(u8::MAX));
                bytes.extend_from_slice(s);
            }
            unknown_rdata(RecordType::Spf.code(), bytes)?
        }
        RData::Ptr(n) => hrr::RData::PTR(hrdata::PTR(name(n)?)),
        RData::Cname(n) => hrr::RData::CNAME(hrdata::CNAME(name(n)?)),
        RData::Ns(n) => hrr::RData::NS(hrdata::NS(name(n)?)),
        // Refresh/retry/expire are not modelled; these are RFC 1912 §2.2's suggested values.
        RData::Soa { mname, rname, serial, minimum } => {
            hrr::RData::SOA(SOA::new(name(mname)?, name(rname)?, *serial, 86_400, 7_200, 3_600_000, *minimum))
        }
        RData::Other { rtype, data } => unknown_rdata(*rtype, data.clone())?,
    };
    let mut wire = hrr::Record::from_rdata(name(&record.name)?, record.ttl, rdata);
    wire.dns_class = DNSClass::IN;
    Ok(wire)
}

fn unknown_rdata(code: u16, bytes: Vec<u8>) -> Result<hrr::RData, WireError> {
    // RDLENGTH 0 is legal for some types (RFC 3597), but hickory's decoder rejects it
    // outside UPDATE messages (and `NULL::with` asserts non-empty), so we never send it.
    if bytes.is_empty() {
        return Err(WireError::Encode(format!("{} record with no data", RecordType::from_code(code))));
    }
    Ok(hrr::RData::Unknown { code: hrr::RecordType::from(code), rdata: NULL::with(bytes) })
}

/// RFC 1035 §3.3.14: TXT-DATA is "one or more <character-string>s", each at most 255 octets.
fn check_character_strings(strings: &[Vec<u8>]) -> Result<(), WireError> {
    if strings.is_empty() {
        return Err(WireError::Encode("a TXT record needs at least one string".into()));
    }
    match strings.iter().find(|s| s.len() > 255) {
        Some(s) => Err(WireError::Encode(format!("a TXT string is {} octets, over the limit of 255", s.len()))),
        None => Ok(()),
    }
}

/// Splits RDATA into <character-string>s (a length octet, then that many octets).
fn character_strings(mut data: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    while let Some((&len, rest)) = data.split_first() {
        let s = rest.get(..usize::from(len))?;
        out.push(s.to_vec());
        data = rest.get(usize::from(len)..)?;
    }
    Some(out)
}

/// Presentation form without the trailing dot; the root is the empty string.
pub fn name_to_string(name: &Name) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, label) in name.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        for &b in label {
            match b {
                b'.' | b'\\' => {
                    out.push('\\');
                    out.push(char::from(b));
                }
                0x21..=0x7e => out.push(char::from(b)),
                _ => out.push_str(&format!("\\{b:03}")),
            }
        }
    }
    out
}

/// Parses a presentation-form name (trailing dot optional, `\.` and `\DDD` escapes).
pub fn parse_name(text: &str) -> Result<Name, WireError> {
    let bad = |why: &str| WireError::BadName { name: text.to_string(), why: why.to_string() };
    // One trailing dot marks the root; an escaped one (`\.`) is part of the last label.
    let body = text.strip_suffix('.').filter(|_| !text.ends_with("\\.")).unwrap_or(text);
    let mut labels: Vec<Vec<u8>> = Vec::new();
    if !body.is_empty() {
        let bytes = body.as_bytes();
        let mut label = Vec::new();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'.' => {
                    labels.push(std::mem::take(&mut label));
                    i += 1;
                }
                b'\\' => {
                    let digits = bytes.get(i + 1..i + 4).filter(|d| d.iter().all(u8::is_ascii_digit));
                    if let Some(d) = digits {
                        let v = d.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
                        label.push(u8::try_from(v).map_err(|_| bad("escape over \\255"))?);
                        i += 4;
                    } else {
                        label.push(*bytes.get(i + 1).ok_or_else(|| bad("ends in a backslash"))?);
                        i += 2;
                    }
                }
                _ => {
                    label.push(b);
                    i += 1;
                }
            }
        }
        labels.push(label);
    }
    if labels.iter().any(Vec::is_empty) {
        return Err(bad("empty label (two dots in a row?)"));
    }
    if let Some(long) = labels.iter().find(|l| l.len() > 63) {
        return Err(bad(&format!("a label is {} octets, over the limit of 63", long.len())));
    }
    // RFC 1035 §2.3.4: 255 octets on the wire, i.e. each label plus its length octet, plus the root.
    let wire_len: usize = labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1;
    if wire_len > 255 {
        return Err(bad(&format!("the name is {wire_len} octets on the wire, over the limit of 255")));
    }
    let mut name = Name::from_labels(labels.iter().map(Vec::as_slice)).map_err(|e| bad(&e.to_string()))?;
    name.set_fqdn(true);
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn escaped_labels_round_trip() {
        let name = parse_name("a\\.b\\255c\\\\.example").unwrap();
        assert_eq!(name.iter().next(), Some(&b"a.b\xffc\\"[..]));
        assert_eq!(name_to_string(&name), "a\\.b\\255c\\\\.example");
    }

    #[test]
    fn rcodes_map_to_distinct_outcomes() {
        let q = question("x.example", RecordType::A);
        let cases = [
            (Outcome::NxDomain, Outcome::NxDomain),
            (Outcome::Failed(Failure::ServFail), Outcome::Failed(Failure::ServFail)),
            (Outcome::Failed(Failure::Refused), Outcome::Failed(Failure::Refused)),
            (Outcome::Failed(Failure::Rcode(4)), Outcome::Failed(Failure::Rcode(4))),
            (Outcome::NoData(vec![]), Outcome::NoData(vec![])),
            // Not representable in DNS: a resolver would say SERVFAIL.
            (Outcome::Failed(Failure::Timeout), Outcome::Failed(Failure::ServFail)),
        ];
        for (sent, expected) in cases {
            let bytes = encode_response(&q, &sent, ResponseOptions::default()).unwrap();
            assert_eq!(decode_response(&bytes, "x.example", RecordType::A).outcome, expected, "{sent:?}");
        }
    }

    #[test]
    fn cname_chain_and_ad_flag_are_kept() {
        let q = question("www.example", RecordType::A);
        let records = vec![
            Record { name: "www.example".into(), ttl: 60, data: RData::Cname("host.example.net".into()) },
            Record { name: "host.example.net".into(), ttl: 30, data: RData::A("192.0.2.1".parse().unwrap()) },
        ];
        let opts = ResponseOptions { authenticated: true, truncated: false };
        let bytes = encode_response(&q, &Outcome::Records(records.clone()), opts).unwrap();
        let l = decode_response(&bytes, "WWW.example.", RecordType::A);
        assert_eq!(l.outcome, Outcome::Records(records.clone()));
        assert!(l.authenticated);
        assert_eq!(l.cname_chain(), vec!["host.example.net"]);
        // Only the CNAME, no A at the end of the chain: NODATA with the chain.
        let bytes = encode_response(&q, &Outcome::Records(records[..1].to_vec()), opts).unwrap();
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
