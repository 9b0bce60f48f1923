//! DNS data as the checks see it, and the [`Resolver`] trait they query through.
//!
//! Invariants:
//! - A lookup never returns `Err`: NXDOMAIN, NODATA, SERVFAIL, REFUSED, timeout
//!   and transport errors are distinct [`Outcome`]s, so a check can say
//!   exactly what happened ("the name does not exist" is not "we couldn't ask").
//! - TXT data is kept as its character-strings (`Vec<Vec<u8>>`); only a
//!   protocol that says so (SPF, DMARC) joins them.
//! - Names are stored without the trailing dot, in the case they came in;
//!   comparisons are ASCII case-insensitive.

// Test support (the `testkit` feature): zone data in, answers out.
#[cfg(any(test, feature = "testkit"))]
pub mod memory;
pub mod shared;
#[cfg(any(test, feature = "testkit"))]
pub mod stepped;
pub mod wire;
#[cfg(any(test, feature = "testkit"))]
pub mod zone;

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

#[cfg(any(test, feature = "testkit"))]
pub use memory::MemoryResolver;
pub use shared::{QueryStats, SharedLookups, SharedResolver};
pub use wire::ExtendedError;

/// The record types maildoctor asks for (and a catch-all for the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum RecordType {
    A,
    Aaaa,
    Mx,
    Txt,
    Ptr,
    Cname,
    Ns,
    Soa,
    /// Type 99, the obsolete SPF record type (RFC 7208 §3.1 says: do not publish it).
    Spf,
    /// Type 52, DANE's certificate association (RFC 6698 §7.1).
    Tlsa,
    Other(u16),
}

impl RecordType {
    pub fn code(self) -> u16 {
        match self {
            RecordType::A => 1,
            RecordType::Ns => 2,
            RecordType::Cname => 5,
            RecordType::Soa => 6,
            RecordType::Ptr => 12,
            RecordType::Mx => 15,
            RecordType::Txt => 16,
            RecordType::Aaaa => 28,
            RecordType::Spf => 99,
            RecordType::Tlsa => 52,
            RecordType::Other(c) => c,
        }
    }

    pub fn from_code(code: u16) -> RecordType {
        match code {
            1 => RecordType::A,
            2 => RecordType::Ns,
            5 => RecordType::Cname,
            6 => RecordType::Soa,
            12 => RecordType::Ptr,
            15 => RecordType::Mx,
            16 => RecordType::Txt,
            28 => RecordType::Aaaa,
            99 => RecordType::Spf,
            52 => RecordType::Tlsa,
            c => RecordType::Other(c),
        }
    }

    /// Parses a mnemonic such as `MX` or `TYPE65534` (case-insensitive).
    pub fn from_mnemonic(s: &str) -> Option<RecordType> {
        let upper = s.to_ascii_uppercase();
        Some(match upper.as_str() {
            "A" => RecordType::A,
            "AAAA" => RecordType::Aaaa,
            "MX" => RecordType::Mx,
            "TXT" => RecordType::Txt,
            "PTR" => RecordType::Ptr,
            "CNAME" => RecordType::Cname,
            "NS" => RecordType::Ns,
            "SOA" => RecordType::Soa,
            "SPF" => RecordType::Spf,
            "TLSA" => RecordType::Tlsa,
            other => RecordType::from_code(other.strip_prefix("TYPE")?.parse().ok()?),
        })
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordType::A => f.write_str("A"),
            RecordType::Aaaa => f.write_str("AAAA"),
            RecordType::Mx => f.write_str("MX"),
            RecordType::Txt => f.write_str("TXT"),
            RecordType::Ptr => f.write_str("PTR"),
            RecordType::Cname => f.write_str("CNAME"),
            RecordType::Ns => f.write_str("NS"),
            RecordType::Soa => f.write_str("SOA"),
            RecordType::Spf => f.write_str("SPF"),
            RecordType::Tlsa => f.write_str("TLSA"),
            RecordType::Other(c) => write!(f, "TYPE{c}"),
        }
    }
}

/// Record data, decoded for the types the checks read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum RData {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Mx {
        preference: u16,
        exchange: String,
    },
    /// The character-strings, unjoined, as bytes (TXT is not necessarily UTF-8).
    Txt(Vec<Vec<u8>>),
    /// Type 99 (obsolete SPF type); same layout as TXT.
    Spf(Vec<Vec<u8>>),
    Ptr(String),
    Cname(String),
    Ns(String),
    Soa {
        mname: String,
        rname: String,
        serial: u32,
        minimum: u32,
    },
    /// RFC 6698 §2.1: certificate usage, selector, matching type, certificate association data.
    Tlsa {
        usage: u8,
        selector: u8,
        matching_type: u8,
        data: Vec<u8>,
    },
    /// Anything else, kept raw.
    Other {
        rtype: u16,
        data: Vec<u8>,
    },
}

impl RData {
    pub fn record_type(&self) -> RecordType {
        match self {
            RData::A(_) => RecordType::A,
            RData::Aaaa(_) => RecordType::Aaaa,
            RData::Mx { .. } => RecordType::Mx,
            RData::Txt(_) => RecordType::Txt,
            RData::Spf(_) => RecordType::Spf,
            RData::Ptr(_) => RecordType::Ptr,
            RData::Cname(_) => RecordType::Cname,
            RData::Ns(_) => RecordType::Ns,
            RData::Soa { .. } => RecordType::Soa,
            RData::Tlsa { .. } => RecordType::Tlsa,
            RData::Other { rtype, .. } => RecordType::from_code(*rtype),
        }
    }
}

/// Presentation form, as `dig` would print the RDATA (TXT strings quoted and escaped).
impl fmt::Display for RData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RData::A(ip) => write!(f, "{ip}"),
            RData::Aaaa(ip) => write!(f, "{ip}"),
            RData::Mx { preference, exchange } => write!(f, "{preference} {exchange}."),
            RData::Txt(strings) | RData::Spf(strings) => {
                for (i, s) in strings.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write!(f, "\"{}\"", escape_character_string(s))?;
                }
                Ok(())
            }
            RData::Ptr(n) | RData::Cname(n) | RData::Ns(n) => write!(f, "{n}."),
            RData::Soa { mname, rname, serial, minimum } => {
                write!(f, "{mname}. {rname}. {serial} … {minimum}")
            }
            // RFC 6698 §2.2: the data as hexadecimal; upper case, as dig prints it.
            RData::Tlsa { usage, selector, matching_type, data } => {
                write!(f, "{usage} {selector} {matching_type} ")?;
                for b in data {
                    write!(f, "{b:02X}")?;
                }
                Ok(())
            }
            RData::Other { rtype, data } => {
                write!(f, "\\# {} ", data.len())?;
                let _ = rtype;
                for b in data {
                    write!(f, "{b:02x}")?;
                }
                Ok(())
            }
        }
    }
}

/// Escapes a TXT character-string for presentation (RFC 1035 §5.1): `"` and `\`
/// are backslash-escaped, bytes outside printable ASCII become `\DDD`.
pub fn escape_character_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
    out
}

/// One resource record of an answer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    /// Owner name, without the trailing dot.
    pub name: String,
    pub ttl: u32,
    pub data: RData,
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}. {} IN {} {}", self.name, self.ttl, self.data.record_type(), self.data)
    }
}

/// Why a lookup produced no usable answer although the name may exist.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Failure {
    /// RCODE 2: the resolver could not get an answer (often a broken zone or DNSSEC).
    ServFail,
    /// RCODE 5: the resolver refused to answer.
    Refused,
    /// Another RCODE (FORMERR, NOTIMP, …).
    Rcode(u16),
    /// No answer in time.
    Timeout,
    /// The HTTP exchange failed: network error, CORS, or an HTTP status.
    Transport(String),
    /// An answer came but could not be decoded as a DNS message.
    Malformed(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::ServFail => f.write_str("SERVFAIL (the resolver could not get an answer)"),
            Failure::Refused => f.write_str("REFUSED (the resolver refused to answer)"),
            Failure::Rcode(c) => write!(f, "DNS error code {c}"),
            Failure::Timeout => f.write_str("timed out"),
            Failure::Transport(why) => write!(f, "could not reach the resolver: {why}"),
            Failure::Malformed(why) => write!(f, "the resolver's answer could not be read: {why}"),
        }
    }
}

/// What one (name, type) question came back with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Outcome {
    /// NOERROR with records. May include the CNAME chain that led to them.
    Records(Vec<Record>),
    /// NOERROR, but the name has no records of this type (RFC 2308 "NODATA").
    /// May still carry a CNAME chain.
    NoData(Vec<Record>),
    /// RCODE 3: the name does not exist.
    NxDomain,
    /// We could not learn the answer.
    Failed(Failure),
}

/// A finished lookup: the question, what came back, and how.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Lookup {
    pub name: String,
    pub rtype: RecordType,
    pub outcome: Outcome,
    /// The AD flag: the resolver validated the answer with DNSSEC.
    pub authenticated: bool,
    /// Which resolver answered (for DoH: provider name), if known.
    pub answered_by: Option<String>,
    /// The resolver's Extended DNS Errors (RFC 8914): why it failed, or what is odd
    /// about its answer. Empty when it gave none.
    pub extended_errors: Vec<ExtendedError>,
    /// For an answer with no records of the asked type (NXDOMAIN, NODATA): how
    /// long resolvers may keep saying so, from the SOA record the server sent
    /// with it — the smaller of its TTL and its MINIMUM field (RFC 2308 §5).
    pub negative_ttl: Option<u32>,
    /// DNSSEC validation failed: the resolver answered SERVFAIL, and the same
    /// question with checking disabled (CD, RFC 4035 §3.2.2) was answered. The
    /// outcome stays the SERVFAIL: senders that validate get nothing either.
    pub bogus: bool,
}

/// What DNSSEC says about one answer, as the resolver reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dnssec {
    /// AD set: the resolver validated the answer (RFC 4035 §3.2.3).
    Secure,
    /// An answer without AD: the zone is unsigned (or the resolver does not validate).
    Insecure,
    /// SERVFAIL that turns into an answer with checking disabled.
    Bogus,
}

impl Dnssec {
    /// What the evidence shows next to an answer.
    pub fn label(self) -> &'static str {
        match self {
            Dnssec::Secure => "DNSSEC: secure (validated, AD)",
            Dnssec::Insecure => "DNSSEC: insecure (not validated)",
            Dnssec::Bogus => "DNSSEC: bogus (validation failed)",
        }
    }
}

impl Lookup {
    pub fn new(name: &str, rtype: RecordType, outcome: Outcome) -> Lookup {
        Lookup {
            name: name.to_string(),
            rtype,
            outcome,
            authenticated: false,
            answered_by: None,
            extended_errors: Vec::new(),
            negative_ttl: None,
            bogus: false,
        }
    }

    /// The DNSSEC state of the answer; `None` for a failure that is not a
    /// validation failure (nothing was answered to judge).
    pub fn dnssec(&self) -> Option<Dnssec> {
        match (self.bogus, self.authenticated, &self.outcome) {
            (true, _, _) => Some(Dnssec::Bogus),
            (_, _, Outcome::Failed(_)) => None,
            (_, true, _) => Some(Dnssec::Secure),
            _ => Some(Dnssec::Insecure),
        }
    }

    /// All records of the answer (including any CNAME chain).
    pub fn records(&self) -> &[Record] {
        match &self.outcome {
            Outcome::Records(r) | Outcome::NoData(r) => r,
            _ => &[],
        }
    }

    /// The answer's data of the asked type only (the CNAME chain left out).
    pub fn data(&self) -> impl Iterator<Item = &RData> {
        let rtype = self.rtype;
        self.records().iter().map(|r| &r.data).filter(move |d| d.record_type() == rtype)
    }

    /// The TXT records of the answer, each one's strings joined in order and
    /// read as UTF-8 (bad bytes replaced), in answer order: the rule SPF
    /// (RFC 7208 §3.3), DMARC (RFC 9989), DKIM (RFC 6376 §3.6.2.2), MTA-STS,
    /// TLS-RPT and BIMI all follow.
    pub fn joined_txt(&self) -> Vec<String> {
        // A loop, not a filter_map collected (see the MX report's lookups; with the
        // other answers' records read the same way: -1 298 gzip bytes, measured).
        let mut out = Vec::new();
        for d in self.data() {
            if let RData::Txt(strings) = d {
                out.push(String::from_utf8_lossy(&strings.concat()).into_owned());
            }
        }
        out
    }

    /// The CNAME targets followed to reach the answer, in order.
    pub fn cname_chain(&self) -> Vec<&str> {
        self.records()
            .iter()
            .filter_map(|r| match &r.data {
                RData::Cname(t) if self.rtype != RecordType::Cname => Some(t.as_str()),
                _ => None,
            })
            .collect()
    }

    pub fn is_failure(&self) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
    }

    /// One short phrase for the outcome: "NOERROR, 2 records", "NXDOMAIN", …;
    /// with the resolver's reason after it when it gave one (see [`Lookup::resolver_says`]).
    pub fn status(&self) -> String {
        match self.resolver_says() {
            Some(says) => format!("{} — {says}", self.bare_status()),
            None => self.bare_status(),
        }
    }

    /// "the resolver says: No Reachable Authority (22): <text>" (several EDEs joined
    /// by "; "), or `None` when the response carried no Extended DNS Error.
    pub fn resolver_says(&self) -> Option<String> {
        if self.extended_errors.is_empty() {
            return None;
        }
        // A loop, not a map chain collected: smaller in the wasm.
        let mut reasons: Vec<String> = Vec::with_capacity(self.extended_errors.len());
        for e in &self.extended_errors {
            reasons.push(e.to_string());
        }
        Some(format!("the resolver says: {}", reasons.join("; ")))
    }

    /// For a lookup that failed, what to tell a person: "couldn't ask — the resolver
    /// says: No Reachable Authority (22): <text>", or, without an EDE, "couldn't ask —
    /// SERVFAIL (the resolver could not get an answer)". `None` when it did not fail:
    /// a failure is never "missing", and this keeps the two apart in words.
    pub fn couldnt_ask(&self) -> Option<String> {
        let Outcome::Failed(failure) = &self.outcome else { return None };
        Some(match self.resolver_says() {
            Some(says) if self.bogus => format!("couldn't ask — {} — {says}", self.bare_status()),
            Some(says) => format!("couldn't ask — {says}"),
            None if self.bogus => format!("couldn't ask — {}", self.bare_status()),
            None => format!("couldn't ask — {failure}"),
        })
    }

    fn bare_status(&self) -> String {
        match &self.outcome {
            Outcome::Records(_) => {
                let n = self.data().count();
                format!("NOERROR, {n} record{}", if n == 1 { "" } else { "s" })
            }
            Outcome::NoData(_) => "NOERROR, no records of this type (NODATA)".to_string(),
            Outcome::NxDomain => "NXDOMAIN (the name does not exist)".to_string(),
            Outcome::Failed(_) if self.bogus => {
                "SERVFAIL: DNSSEC validation failed (bogus) — answered only with checking disabled, so validating \
                 senders cannot resolve it"
                    .to_string()
            }
            Outcome::Failed(f) => f.to_string(),
        }
    }
}

/// The one way checks reach DNS. Async, and deliberately without a `Send`
/// bound: browser futures are not `Send`.
///
/// Implementations: [`MemoryResolver`] (tests, zone data) and the DoH client
/// (`crate::doh`, browser only).
#[allow(async_fn_in_trait)]
pub trait Resolver {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup;
}

impl<R: Resolver + ?Sized> Resolver for &R {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        (**self).lookup(name, rtype).await
    }
}

impl<R: Resolver + ?Sized> Resolver for std::rc::Rc<R> {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        (**self).lookup(name, rtype).await
    }
}

/// Lower-cases and strips one trailing dot: the key names are compared by.
pub fn normalize_name(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

/// The reverse-lookup name of an address (RFC 1035 §3.5 in-addr.arpa, RFC 3596 §2.5 ip6.arpa).
pub fn reverse_name(ip: std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let o = v4.octets();
            format!("{}.{}.{}.{}.in-addr.arpa", o[3], o[2], o[1], o[0])
        }
        std::net::IpAddr::V6(v6) => {
            let mut s = String::with_capacity(72);
            for byte in v6.octets().iter().rev() {
                s.push(hex_digit(byte & 0xf));
                s.push('.');
                s.push(hex_digit(byte >> 4));
                s.push('.');
            }
            s.push_str("ip6.arpa");
            s
        }
    }
}

fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n), 16).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_names() {
        assert_eq!(reverse_name("192.0.2.1".parse().unwrap()), "1.2.0.192.in-addr.arpa");
        assert_eq!(
            reverse_name("2001:db8::1".parse().unwrap()),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
    }

    #[test]
    fn extended_errors_explain_failures() {
        let mut l = Lookup::new("x.example", RecordType::Txt, Outcome::Failed(Failure::ServFail));
        assert_eq!(l.couldnt_ask().as_deref(), Some("couldn't ask — SERVFAIL (the resolver could not get an answer)"));
        l.extended_errors.push(ExtendedError::new(22, "at delegation x.example."));
        assert_eq!(
            l.couldnt_ask().as_deref(),
            Some("couldn't ask — the resolver says: No Reachable Authority (22): at delegation x.example.")
        );
        assert!(l.status().starts_with("SERVFAIL") && l.status().ends_with("(22): at delegation x.example."));
        assert_eq!(Lookup::new("x", RecordType::A, Outcome::NxDomain).couldnt_ask(), None);
    }

    #[test]
    fn type_mnemonics_round_trip() {
        for t in [
            RecordType::A,
            RecordType::Aaaa,
            RecordType::Mx,
            RecordType::Spf,
            RecordType::Tlsa,
            RecordType::Other(65534),
        ] {
            assert_eq!(RecordType::from_mnemonic(&t.to_string()), Some(t));
        }
    }
}
