//! The example report (`#example`): what a person sees before typing their
//! own domain, with no network at all.
//!
//! The inputs are a realistic deferral: `broken.example` (the reference
//! broken domain of the tests and the benchmark, `tests/e2e/zones/broken.zone`)
//! sending to `customer.example` (`tests/example.zone`), and the Postfix log
//! line of a 421 4.4.2. The answers are DNS response messages, one per
//! question the checks ask, in `example.bin`; [`Provider::Example`](super::Provider)
//! hands them to the same decoder a DoH answer goes through, so the example
//! runs the page's real code from the query on.
//!
//! `example.bin` is generated from those zones by `tests/example_data.rs`,
//! which fails when it is stale (`MAILDOCTOR_BLESS=1` rewrites it) and checks
//! that a run over it gives the same report as over the zones themselves.
//! Bundling the answers, not the zones and the in-memory resolver, keeps the
//! example cheap: the zone reader and `MemoryResolver` stay out of the page.
//!
//! Entry layout, repeated: type (u16, big-endian), name length (u8), the
//! name (lower-case ASCII, no trailing dot), message length (u16), message.

use maildoctor_core::dns::RecordType;

/// The example's sending domain.
pub const DOMAIN: &str = "broken.example";
/// Where the example's mail is going (the log line's recipient).
pub const RECIPIENT: &str = "customer.example";
/// The server the example's mail leaves from (its MX host's address).
pub const SENDING_IP: &str = "93.184.216.34";
/// What the example's mail server logged.
pub const LOG_LINE: &str = "Dec  5 09:14:02 mail postfix/smtp[2211]: 7C1F2A0B4D: to=<orders@customer.example>, relay=mx.customer.example[93.184.215.200]:25, delay=3605, delays=0.1/0/5/3600, dsn=4.4.2, status=deferred (host mx.customer.example[93.184.215.200] said: 421 4.4.2 Bad connection / timeout during transmission (in reply to end of DATA command))";

/// The answers, as generated (see the module docs).
pub const ANSWERS: &[u8] = include_bytes!("example.bin");

/// The bundled response message for (`name`, `rtype`), if the example has one.
pub fn response(name: &str, rtype: RecordType) -> Option<&'static [u8]> {
    let name = name.trim_end_matches('.');
    let mut rest = ANSWERS;
    while let [t0, t1, name_len, tail @ ..] = rest {
        let (entry_name, tail) = tail.split_at_checked(usize::from(*name_len))?;
        let [l0, l1, tail @ ..] = tail else { return None };
        let (message, tail) = tail.split_at_checked(usize::from(u16::from_be_bytes([*l0, *l1])))?;
        if u16::from_be_bytes([*t0, *t1]) == rtype.code() && entry_name.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(message);
        }
        rest = tail;
    }
    None
}

/// One entry of [`ANSWERS`] (what the generator writes); `None` for a name
/// or message too long for the layout.
pub fn entry(name: &str, rtype: RecordType, message: &[u8]) -> Option<Vec<u8>> {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let mut out = rtype.code().to_be_bytes().to_vec();
    out.push(u8::try_from(name.len()).ok()?);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&u16::try_from(message.len()).ok()?.to_be_bytes());
    out.extend_from_slice(message);
    Some(out)
}
