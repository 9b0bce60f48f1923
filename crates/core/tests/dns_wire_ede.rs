//! EDNS in the wire codec, on hand-built messages: the OPT record our queries carry
//! (RFC 6891 §6.1.2), and the Extended DNS Errors (RFC 8914) read from responses,
//! next to unknown options, broken options, and the AD bit.

use maildoctor_core::dns::wire::{decode_query, decode_response, encode_query, encode_response, ResponseOptions};
use maildoctor_core::dns::{ExtendedError, Failure, Outcome, RecordType};

/// A response to `x.example A` with `flags` (QR and RCODE included) and, when
/// `opt_rdata` is given, one OPT record with that RDATA (RDLENGTH as given in `rdlength`).
fn response(flags: u16, opt: Option<(u16, &[u8])>) -> Vec<u8> {
    let mut m = vec![0, 0];
    m.extend_from_slice(&flags.to_be_bytes());
    m.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, u8::from(opt.is_some())]);
    m.extend_from_slice(b"\x01x\x07example\x00\x00\x01\x00\x01");
    if let Some((rdlength, rdata)) = opt {
        m.extend_from_slice(b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00");
        m.extend_from_slice(&rdlength.to_be_bytes());
        m.extend_from_slice(rdata);
    }
    m
}

fn option(code: u16, data: &[u8]) -> Vec<u8> {
    [&code.to_be_bytes()[..], &(data.len() as u16).to_be_bytes(), data].concat()
}

const SERVFAIL: u16 = 0x8182;
const NOERROR: u16 = 0x8180;

fn decode(bytes: &[u8]) -> maildoctor_core::dns::Lookup {
    decode_response(bytes, "x.example", RecordType::A)
}

#[test]
fn query_ends_in_a_plain_opt_record() {
    let q = encode_query("x.example", RecordType::A).unwrap();
    // ARCOUNT 1, then after the question: root, TYPE 41, CLASS 1232, TTL 0 (DO clear), RDLENGTH 0.
    assert_eq!(&q[10..12], &[0, 1]);
    assert_eq!(&q[q.len() - 11..], b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00");
    assert_eq!(q.len(), 12 + 15 + 11);
    // The fixture still reads it as one question.
    assert_eq!(decode_query(&q).unwrap().name, "x.example");
}

#[test]
fn servfail_with_ede_22_is_rendered_with_its_reason() {
    let rdata = option(15, b"\x00\x16at delegation example.");
    let l = decode(&response(SERVFAIL, Some((rdata.len() as u16, &rdata))));
    assert_eq!(l.outcome, Outcome::Failed(Failure::ServFail));
    assert_eq!(l.extended_errors, vec![ExtendedError::new(22, "at delegation example.")]);
    assert_eq!(
        l.couldnt_ask().as_deref(),
        Some("couldn't ask — the resolver says: No Reachable Authority (22): at delegation example.")
    );
    assert!(l.status().contains("No Reachable Authority (22)"));
}

#[test]
fn edes_among_other_options_in_order() {
    let rdata = [
        option(10, b"cookie00"),
        option(15, b"\x00\x06"),
        option(65001, b""),
        option(15, b"\x00\x09DNSKEY missing\0"),
        // An EDE option too short for its INFO-CODE is skipped like an unknown one.
        option(15, b"\x00"),
    ]
    .concat();
    let l = decode(&response(SERVFAIL, Some((rdata.len() as u16, &rdata))));
    assert_eq!(l.extended_errors, vec![ExtendedError::new(6, ""), ExtendedError::new(9, "DNSKEY missing")]);
    assert_eq!(
        l.resolver_says().as_deref(),
        Some("the resolver says: DNSSEC Bogus (6); DNSKEY Missing (9): DNSKEY missing")
    );
}

#[test]
fn a_truncated_option_keeps_what_came_before_and_the_answer() {
    // The second option claims 40 octets and has 3: the reading stops there.
    let rdata = [option(15, b"\x00\x03stale"), b"\x00\x0f\x00\x28\x00\x16x".to_vec()].concat();
    let l = decode(&response(NOERROR, Some((rdata.len() as u16, &rdata))));
    assert_eq!(l.outcome, Outcome::NoData(vec![]));
    assert_eq!(l.extended_errors, vec![ExtendedError::new(3, "stale")]);
    // Half an option header: nothing read, nothing lost.
    let l = decode(&response(NOERROR, Some((2, b"\x00\x0f"))));
    assert_eq!((l.outcome, l.extended_errors), (Outcome::NoData(vec![]), vec![]));
}

#[test]
fn an_opt_record_running_past_the_message_is_malformed() {
    // RDLENGTH says 20, the message ends after 4: the framing is broken, not just an option.
    let l = decode(&response(SERVFAIL, Some((20, b"\x00\x0f\x00\x02"))));
    assert!(matches!(l.outcome, Outcome::Failed(Failure::Malformed(_))), "{:?}", l.outcome);
    assert!(l.extended_errors.is_empty());
}

#[test]
fn extra_text_is_kept_as_plain_text() {
    let text = "<b>bold</b>\n\u{202e}evil\u{7}".as_bytes();
    let rdata = option(15, &[b"\x00\x00", text, &[0xff; 3], &[b'a'; 300]].concat());
    let l = decode(&response(SERVFAIL, Some((rdata.len() as u16, &rdata))));
    let e = &l.extended_errors[0];
    // Markup stays text (the page escapes it); control and bidi characters go; length is capped.
    assert!(e.text.starts_with("<b>bold</b>evil\u{fffd}\u{fffd}\u{fffd}aaa"), "{}", e.text);
    assert_eq!(e.text.chars().count(), maildoctor_core::dns::wire::ede::EXTRA_TEXT_MAX_CHARS);
}

#[test]
fn ad_bit_and_ede_round_trip_through_our_encoder() {
    let q = decode_query(&encode_query("x.example", RecordType::A).unwrap()).unwrap();
    let edes = vec![ExtendedError::new(22, "no servers"), ExtendedError::new(49152, "")];
    let opts = ResponseOptions { extended_errors: edes.clone(), ..Default::default() };
    let l = decode(&encode_response(&q, &Outcome::Failed(Failure::ServFail), opts).unwrap());
    assert_eq!((l.outcome, l.extended_errors, l.authenticated), (Outcome::Failed(Failure::ServFail), edes, false));
    // RCODE over 15 and EDEs share the one OPT record.
    let opts =
        ResponseOptions { authenticated: true, extended_errors: vec![ExtendedError::new(3, "")], ..Default::default() };
    let l = decode(&encode_response(&q, &Outcome::Failed(Failure::Rcode(16)), opts).unwrap());
    assert_eq!(l.outcome, Outcome::Failed(Failure::Rcode(16)));
    assert_eq!(l.extended_errors, vec![ExtendedError::new(3, "")]);
    assert!(l.authenticated);
    // Without EDEs and a small RCODE, no OPT record: ARCOUNT 0.
    let bytes = encode_response(&q, &Outcome::NxDomain, ResponseOptions::default()).unwrap();
    assert_eq!(&bytes[10..12], &[0, 0]);
}
