//! The checks for the transport-security parsers (MTA-STS record and policy,
//! TLS-RPT, BIMI, TLSA text): no input panics; an error's offset lies inside the
//! input on a character boundary; what parses prints as text that parses back to it.

use std::fmt::{Debug, Display};
use std::str::FromStr;

use maildoctor_core::bimi::BimiRecord;
use maildoctor_core::dane::Tlsa;
use maildoctor_core::mta_sts::{MtaStsPolicy, MtaStsRecord};
use maildoctor_core::parse_error::ParseError;
use maildoctor_core::tlsrpt::TlsRptRecord;

/// Parse, then round trip or check the error's offset.
fn round_trip<T, K>(data: &[u8])
where
    T: FromStr<Err = ParseError<K>> + Display + PartialEq + Debug,
    K: Debug + PartialEq,
{
    let text = String::from_utf8_lossy(data);
    match text.parse::<T>() {
        Ok(value) => {
            let shown = value.to_string();
            let again = shown.parse::<T>();
            assert_eq!(again.as_ref().ok(), Some(&value), "round trip of {text:?} via {shown:?}: {again:?}");
        }
        Err(e) => {
            assert!(e.offset <= text.len(), "error offset {} beyond {} bytes of {text:?}: {e}", e.offset, text.len());
            assert!(text.is_char_boundary(e.offset), "error offset {} inside a character of {text:?}: {e}", e.offset);
        }
    }
}

/// `"…".parse::<MtaStsRecord>()`.
pub fn check_mta_sts_record(data: &[u8]) {
    round_trip::<MtaStsRecord, _>(data);
}

/// `"…".parse::<MtaStsPolicy>()`; a parsed policy's patterns match what they print as.
pub fn check_mta_sts_policy(data: &[u8]) {
    round_trip::<MtaStsPolicy, _>(data);
    if let Ok(policy) = String::from_utf8_lossy(data).parse::<MtaStsPolicy>() {
        for p in policy.mx.iter().filter(|p| !p.wildcard) {
            assert!(p.matches(&p.domain), "{p} does not match itself");
        }
    }
}

/// `"…".parse::<TlsRptRecord>()`.
pub fn check_tlsrpt(data: &[u8]) {
    round_trip::<TlsRptRecord, _>(data);
}

/// `"…".parse::<BimiRecord>()`.
pub fn check_bimi(data: &[u8]) {
    round_trip::<BimiRecord, _>(data);
}

/// `"3 1 1 <hex>".parse::<Tlsa>()`; `issues()` never panics.
pub fn check_tlsa(data: &[u8]) {
    round_trip::<Tlsa, _>(data);
    if let Ok(t) = String::from_utf8_lossy(data).parse::<Tlsa>() {
        assert_eq!(t.usable_for_smtp(), t.issues().is_empty());
    }
}
