//! The checks for the parsers other than SPF. Each takes arbitrary bytes and
//! panics (through `assert!`) when an invariant breaks:
//! * no input panics the library;
//! * an error's offset (and span) lies inside the input, on a character boundary,
//!   so the page can underline it;
//! * where the type prints with `Display`, the printed text parses back to the same value.

use maildoctor_core::dmarc::{parse_dmarc, DmarcRecord};
use maildoctor_core::dns::wire::{
    decode_query, decode_response, encode_query, encode_response, Question, ResponseOptions,
};
use maildoctor_core::dns::zone::{ede_line, Fault, Zone};
use maildoctor_core::dns::{Outcome, RecordType};
use maildoctor_core::input::{parse_domain, NativeIdna};
use maildoctor_core::mx::MxRecord;
use maildoctor_core::ptr::parse_sending_ip;
use maildoctor_core::smtp::{parse_reply, EnhancedStatus};

fn assert_offset(text: &str, offset: usize, what: &dyn std::fmt::Display) {
    assert!(offset <= text.len(), "error offset {offset} beyond {} bytes of {text:?}: {what}", text.len());
    assert!(text.is_char_boundary(offset), "error offset {offset} inside a character of {text:?}: {what}");
}

/// `"…".parse::<DmarcRecord>()` and the lenient `parse_dmarc`.
pub fn check_dmarc(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let parsed = parse_dmarc(&text);
    for p in &parsed.problems {
        assert_offset(&text, p.offset, p);
        assert!(p.span.start <= p.span.end, "backwards span {:?}: {p}", p.span);
        assert!(text.get(p.span.clone()).is_some(), "span {:?} outside {text:?}: {p}", p.span);
    }
    match text.parse::<DmarcRecord>() {
        Ok(record) => {
            let shown = record.to_string();
            let again: Result<DmarcRecord, _> = shown.parse();
            assert_eq!(again.as_ref(), Ok(&record), "round trip of {text:?} via {shown:?}");
        }
        Err(e) => assert_offset(&text, e.offset, &e),
    }
}

/// `"10 mx.example.com.".parse::<MxRecord>()`.
pub fn check_mx(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match text.parse::<MxRecord>() {
        Ok(mx) => {
            let shown = mx.to_string();
            assert_eq!(shown.parse::<MxRecord>().as_ref(), Ok(&mx), "round trip of {text:?} via {shown:?}");
        }
        Err(e) => assert_offset(&text, e.offset, &e),
    }
}

/// `smtp::parse_reply` on pasted text, and the enhanced status code parser on the same text.
pub fn check_smtp(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(reply) = parse_reply(&text, &NativeIdna) {
        if let Some(status) = reply.enhanced {
            let shown = status.to_string();
            assert_eq!(shown.parse::<EnhancedStatus>().as_ref(), Ok(&status), "round trip of {shown:?}");
        }
        assert!(!reply.meaning.is_empty(), "a status without a meaning from {text:?}");
    }
    match text.trim().parse::<EnhancedStatus>() {
        Ok(status) => assert_eq!(status.to_string().parse::<EnhancedStatus>().as_ref(), Ok(&status)),
        Err(e) => assert_offset(text.trim(), e.offset, &e),
    }
}

const RTYPES: &[RecordType] = &[
    RecordType::A,
    RecordType::Aaaa,
    RecordType::Mx,
    RecordType::Txt,
    RecordType::Ptr,
    RecordType::Cname,
    RecordType::Ns,
    RecordType::Soa,
    RecordType::Spf,
    RecordType::Other(255),
];

/// `dns::wire::decode_response` on arbitrary bytes, asked with the message's own
/// question (so the decoder gets past the question check), and `decode_query`.
/// A decoded answer, encoded again by `encode_response`, decodes to the same outcome.
pub fn check_wire(data: &[u8]) {
    // The question as the message states it: read it as a query by clearing the QR bit.
    let mut as_query = data.to_vec();
    if let Some(flags) = as_query.get_mut(2) {
        *flags &= 0x7f;
    }
    let fallback = RTYPES[data.first().map_or(0, |b| usize::from(*b) % RTYPES.len())];
    let (name, rtype) = match decode_query(&as_query) {
        Ok(q) => (q.name, q.rtype),
        Err(_) => ("example.com".to_string(), fallback),
    };
    let lookup = decode_response(data, &name, rtype);
    for record in lookup.records() {
        let _ = record.to_string();
    }
    if let Outcome::Records(_) | Outcome::NoData(_) = &lookup.outcome {
        let question = Question { id: 0, name: name.clone(), rtype, recursion_desired: true, checking_disabled: false };
        if let Ok(bytes) = encode_response(&question, &lookup.outcome, ResponseOptions::default()) {
            let again = decode_response(&bytes, &name, rtype);
            assert_eq!(again.outcome, lookup.outcome, "re-encoded answer for {name} {rtype} reads differently");
        }
    }
    if let Ok(q) = decode_query(data) {
        if let Ok(bytes) = encode_query(&q.name, q.rtype) {
            let again =
                decode_query(&bytes).unwrap_or_else(|e| panic!("our own query for {} does not decode: {e}", q.name));
            assert!(again.name.eq_ignore_ascii_case(&q.name) && again.rtype == q.rtype, "{again:?} != {q:?}");
        }
    }
}

/// `dns::zone::Zone::parse`: errors name a line of the text; every record and
/// fault prints as a line that parses back to it.
pub fn check_zone(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match Zone::parse(&text) {
        Ok(zone) => {
            for record in &zone.records {
                let line = record.to_string();
                let again =
                    Zone::parse(&line).unwrap_or_else(|e| panic!("{line:?} (from {text:?}) does not parse: {e}"));
                assert_eq!(again.records, vec![record.clone()], "round trip of a record of {text:?} via {line:?}");
            }
            for (_, fault) in &zone.faults {
                assert_eq!(Fault::parse(&fault.to_string()), Some(*fault));
            }
            for (name, ede) in &zone.extended_errors {
                let line = ede_line(name, ede);
                let again =
                    Zone::parse(&line).unwrap_or_else(|e| panic!("{line:?} (from {text:?}) does not parse: {e}"));
                assert_eq!(again.extended_errors, vec![(name.clone(), ede.clone())], "round trip via {line:?}");
            }
        }
        Err(e) => {
            let lines = text.lines().count().max(1);
            assert!((1..=lines).contains(&e.line), "error on line {} of {lines}: {e}", e.line);
        }
    }
}

/// `input::parse_domain`: a domain it accepts is accepted again, unchanged, in both its forms.
pub fn check_domain(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match parse_domain(&text, &NativeIdna) {
        Ok(domain) => {
            for form in [&domain.ascii, &domain.unicode] {
                let again = parse_domain(form, &NativeIdna)
                    .unwrap_or_else(|e| panic!("{form:?} (from {text:?}) is refused: {e}"));
                assert_eq!(again.ascii, domain.ascii, "{form:?} from {text:?}");
            }
        }
        Err(e) => assert_offset(&text, e.offset, &e),
    }
}

/// `ptr::parse_sending_ip`: an accepted address prints as text that reads back to it.
pub fn check_sending_ip(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match parse_sending_ip(&text) {
        Ok(ip) => assert_eq!(parse_sending_ip(&ip.to_string()), Ok(ip), "round trip of {text:?}"),
        Err(e) => assert_offset(&text, e.offset, &e),
    }
}
