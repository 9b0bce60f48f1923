//! A small zone-data text format, shared by the in-memory resolver (native
//! tests) and the fixture DoH server (browser tests and benchmarks).
//!
//! One record per line, BIND-like, every name absolute (trailing dot optional):
//!
//! ```text
//! ; comment
//! example.com.        300 MX    10 mx1.example.com.
//! example.com.            TXT   "v=spf1 " "include:_spf.example.net -all"
//! mx1.example.com.    60  A     192.0.2.10
//! broken.example.         FAULT servfail        ; fault injection, see Fault
//! broken.example.         EDE   22 "no reachable authority at broken.example"
//! signed.example.         FAULT bogus           ; SERVFAIL, the records only with CD set
//! slow.example.           FAULT latency=800
//! _25._tcp.mx1.example.com. TLSA 3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6
//! _25._tcp.mx1.example.com. AD                  ; answers for this name are DNSSEC-validated
//! ```
//!
//! The TTL and an `IN` class are optional (TTL defaults to 300). Types: A,
//! AAAA, MX, TXT, SPF, PTR, CNAME, NS, TLSA (data in hex, may be split into
//! words). TXT strings are quoted, with `\"`, `\\` and `\DDD` escapes; an
//! unquoted word is one string. `EDE code "text"` gives every answer for the
//! name an Extended DNS Error (RFC 8914; the text is optional), typically next
//! to a `FAULT servfail`; `AD` makes every answer for the name carry the AD bit,
//! as a validating resolver sets it for a signed zone (failures never carry it).
//!
//! [`Zone::master_file`] writes the records as an RFC 1035 master file, so that
//! real DNS servers serve the same data as the fixture (scripts/real-doh.sh;
//! the differential test, crates/doh-fixture/tests/differential.rs, compares).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::{escape_character_string, normalize_name, ExtendedError, RData, Record, RecordType};

/// A fault the fixture server (or the in-memory resolver) injects for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Never answer.
    Timeout,
    /// Answer with RCODE SERVFAIL.
    ServFail,
    /// Answer with RCODE REFUSED.
    Refused,
    /// HTTP 500.
    Http500,
    /// HTTP 429 with `Retry-After`.
    Http429,
    /// HTTP 200 with a body that is not a DNS message.
    Malformed,
    /// HTTP 200, a good DNS body, but `Content-Type: text/html`.
    WrongContentType,
    /// The TC bit set and the answer section dropped.
    Truncated,
    /// Answer normally after this many milliseconds.
    Latency(u32),
    /// DNSSEC validation fails: SERVFAIL, but the records as they are (without
    /// AD) when the query sets CD, as a validating resolver does for a bogus zone.
    Bogus,
}

impl Fault {
    pub fn parse(word: &str) -> Option<Fault> {
        let word = word.to_ascii_lowercase();
        if let Some(ms) = word.strip_prefix("latency=") {
            return ms.parse().ok().map(Fault::Latency);
        }
        Some(match word.as_str() {
            "timeout" => Fault::Timeout,
            "servfail" => Fault::ServFail,
            "refused" => Fault::Refused,
            "http500" => Fault::Http500,
            "http429" => Fault::Http429,
            "malformed" => Fault::Malformed,
            "content-type" => Fault::WrongContentType,
            "truncated" => Fault::Truncated,
            "bogus" => Fault::Bogus,
            _ => return None,
        })
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Timeout => f.write_str("timeout"),
            Fault::ServFail => f.write_str("servfail"),
            Fault::Refused => f.write_str("refused"),
            Fault::Http500 => f.write_str("http500"),
            Fault::Http429 => f.write_str("http429"),
            Fault::Malformed => f.write_str("malformed"),
            Fault::WrongContentType => f.write_str("content-type"),
            Fault::Truncated => f.write_str("truncated"),
            Fault::Latency(ms) => write!(f, "latency={ms}"),
            Fault::Bogus => f.write_str("bogus"),
        }
    }
}

/// Parsed zone data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Zone {
    pub records: Vec<Record>,
    /// (normalized name, fault) pairs.
    pub faults: Vec<(String, Fault)>,
    /// (normalized name, Extended DNS Error) pairs: `EDE` lines.
    pub extended_errors: Vec<(String, ExtendedError)>,
    /// Normalized names whose answers carry the AD bit: `AD` lines.
    pub authenticated: Vec<String>,
}

/// The zone line that gives `name` the Extended DNS Error `ede` (it parses back to it).
pub fn ede_line(name: &str, ede: &ExtendedError) -> String {
    format!("{name}. EDE {} \"{}\"", ede.code, escape_character_string(ede.text.as_bytes()))
}

/// A zone line that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "zone line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ZoneError {}

impl Zone {
    pub fn parse(text: &str) -> Result<Zone, ZoneError> {
        let mut zone = Zone::default();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let err = |message: String| ZoneError { line: line_no, message };
            let tokens = tokenize(line).map_err(err)?;
            if tokens.is_empty() {
                continue;
            }
            let mut it = tokens.into_iter().peekable();
            let name = match it.next() {
                Some(owner) => zone_name(&owner).map_err(err)?,
                None => continue,
            };
            let mut ttl = 300u32;
            if let Some(t) = it.peek() {
                if !t.quoted && t.text.bytes().all(|b| b.is_ascii_digit()) {
                    ttl = t.text.parse().map_err(|_| err(format!("bad TTL {:?}", t.text)))?;
                    it.next();
                }
            }
            if it.peek().is_some_and(|t| t.text.eq_ignore_ascii_case("IN")) {
                it.next();
            }
            let Some(kind) = it.next() else {
                return Err(err("missing record type".into()));
            };
            let rest: Vec<Token> = it.collect();
            if kind.text.eq_ignore_ascii_case("FAULT") {
                let word = rest.first().map(|t| t.text.as_str()).unwrap_or("");
                let fault = Fault::parse(word).ok_or_else(|| err(format!("unknown fault {word:?}")))?;
                zone.faults.push((name, fault));
                continue;
            }
            if kind.text.eq_ignore_ascii_case("EDE") {
                zone.extended_errors.push((name, parse_ede(&rest).map_err(err)?));
                continue;
            }
            if kind.text.eq_ignore_ascii_case("AD") && !kind.quoted {
                if !rest.is_empty() {
                    return Err(err("AD takes no data".into()));
                }
                zone.authenticated.push(name);
                continue;
            }
            let rtype = RecordType::from_mnemonic(&kind.text)
                .ok_or_else(|| err(format!("unknown record type {:?}", kind.text)))?;
            let data = parse_rdata(rtype, &rest).map_err(err)?;
            zone.records.push(Record { name, ttl, data });
        }
        Ok(zone)
    }
}

/// The SOA and NS a master file written by [`Zone::master_file`] gives its origin:
/// an authoritative server needs both, and the names are in the reserved
/// `.invalid` TLD (RFC 6761 §6.4) so that they can never clash with test data.
const MASTER_SOA: &str = "ns.fixture.invalid. hostmaster.fixture.invalid. 1 3600 600 86400 300";
const MASTER_NS: &str = "ns.fixture.invalid.";

impl Zone {
    /// The zone as an RFC 1035 §5 master file for the zone `origin` ("" or "."
    /// for the root), so that a real authoritative server serves the same data
    /// (scripts/real-doh.sh: unbound's `auth-zone`):
    /// `$ORIGIN` and `$TTL`, an SOA and an NS at `@`, then one line per record
    /// with its own TTL, owners written relative to the origin, other names
    /// absolute; TXT as quoted character-strings, several per record as they
    /// came; a byte no name or string may show as itself as `\DDD` (§5.1).
    /// FAULT, EDE and AD lines are the fixture's own and have no master-file
    /// form: they become comments. A record outside `origin` is an error.
    pub fn master_file(&self, origin: &str) -> Result<String, String> {
        let origin = normalize_name(origin.strip_suffix('.').unwrap_or(origin));
        let mut out = format!(
            "; written by maildoctor-core dns::zone::Zone::master_file\n$ORIGIN {}\n$TTL 300\n\
             @ 300 IN SOA {MASTER_SOA}\n@ 300 IN NS {MASTER_NS}\n",
            master_name(&origin)
        );
        for record in &self.records {
            let owner = relative_owner(&record.name, &origin)
                .ok_or_else(|| format!("{} is outside the zone {}", record.name, master_name(&origin)))?;
            let rtype = record.data.record_type();
            let data = match &record.data {
                RData::Mx { preference, exchange } => format!("{preference} {}", master_name(exchange)),
                RData::Ptr(n) | RData::Cname(n) | RData::Ns(n) => master_name(n),
                other => other.to_string(),
            };
            out.push_str(&format!("{owner} {} IN {rtype} {data}\n", record.ttl));
        }
        for (name, fault) in &self.faults {
            out.push_str(&format!("; fixture only: {name}. FAULT {fault}\n"));
        }
        for (name, ede) in &self.extended_errors {
            out.push_str(&format!("; fixture only: {}\n", ede_line(name, ede)));
        }
        for name in &self.authenticated {
            out.push_str(&format!("; fixture only: {name}. AD\n"));
        }
        Ok(out)
    }
}

/// A name as an absolute master-file name: labels with `\DDD` for every byte
/// other than letters, digits, `-`, `_` and `*` (RFC 1035 §5.1), then the final dot.
fn master_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 1);
    for label in name.split('.').filter(|l| !l.is_empty()) {
        out.push_str(&master_label(label));
        out.push('.');
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

fn master_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for &b in label.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'*' => out.push(char::from(b)),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
    out
}

/// An owner relative to `origin` ("" is the root): `@` for the origin itself,
/// the leading labels for a name below it, `None` for a name outside.
fn relative_owner(name: &str, origin: &str) -> Option<String> {
    let relative = if origin.is_empty() {
        name
    } else if name == origin {
        return Some("@".into());
    } else {
        name.strip_suffix(origin)?.strip_suffix('.')?
    };
    if relative.is_empty() {
        return Some("@".into());
    }
    Some(relative.split('.').map(master_label).collect::<Vec<_>>().join("."))
}

/// `EDE <code> ["text"]`: an INFO-CODE (0–65535) and an optional EXTRA-TEXT.
fn parse_ede(rest: &[Token]) -> Result<ExtendedError, String> {
    let code = match rest.first() {
        Some(t) if !t.quoted => t.text.parse::<u16>().map_err(|_| format!("bad EDE code {:?}", t.text))?,
        _ => return Err("EDE needs a code (0–65535)".into()),
    };
    match rest.get(1..).unwrap_or_default() {
        [] => Ok(ExtendedError::new(code, "")),
        [text] => Ok(ExtendedError::new(code, &String::from_utf8_lossy(&text.bytes))),
        _ => Err("EDE takes a code and one quoted text".into()),
    }
}

/// TLSA data (RFC 6698 §2.2): three numbers, then the association data in hex,
/// possibly split into several words.
fn parse_tlsa(rest: &[Token]) -> Result<RData, String> {
    let field = |i: usize, what: &str| -> Result<u8, String> {
        let t = rest.get(i).ok_or_else(|| format!("TLSA record is missing its {what}"))?;
        t.text.parse().map_err(|_| format!("bad TLSA {what} {:?}", t.text))
    };
    let (usage, selector, matching_type) = (field(0, "usage")?, field(1, "selector")?, field(2, "matching type")?);
    let hex: String = rest.iter().skip(3).map(|t| t.text.as_str()).collect();
    if !hex.len().is_multiple_of(2) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("TLSA data {hex:?} is not hexadecimal octets"));
    }
    let data = (0..hex.len())
        .step_by(2)
        .map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0))
        .collect();
    Ok(RData::Tlsa { usage, selector, matching_type, data })
}

fn parse_rdata(rtype: RecordType, rest: &[Token]) -> Result<RData, String> {
    let word = |i: usize| -> Result<&str, String> {
        rest.get(i).map(|t| t.text.as_str()).ok_or_else(|| format!("{rtype} record is missing data"))
    };
    let name = |i: usize| -> Result<String, String> {
        rest.get(i).ok_or_else(|| format!("{rtype} record is missing data")).and_then(zone_name)
    };
    Ok(match rtype {
        RecordType::A => RData::A(word(0)?.parse::<Ipv4Addr>().map_err(|e| format!("bad IPv4 address: {e}"))?),
        RecordType::Aaaa => RData::Aaaa(word(0)?.parse::<Ipv6Addr>().map_err(|e| format!("bad IPv6 address: {e}"))?),
        RecordType::Mx => {
            RData::Mx { preference: word(0)?.parse().map_err(|_| "bad MX preference".to_string())?, exchange: name(1)? }
        }
        RecordType::Txt | RecordType::Spf => {
            let strings: Vec<Vec<u8>> = rest.iter().map(|t| t.bytes.clone()).collect();
            if rtype == RecordType::Txt {
                RData::Txt(strings)
            } else {
                RData::Spf(strings)
            }
        }
        RecordType::Ptr => RData::Ptr(name(0)?),
        RecordType::Cname => RData::Cname(name(0)?),
        RecordType::Ns => RData::Ns(name(0)?),
        RecordType::Tlsa => parse_tlsa(rest)?,
        other => return Err(format!("record type {other} is not supported in zone data")),
    })
}

/// A name token, normalized. Quoted strings, and names holding what a record line
/// cannot show unquoted (spaces, quotes, `;`, `\\`, control characters), are refused,
/// so that every record prints (`Display`) as a line that reads back the same.
fn zone_name(token: &Token) -> Result<String, String> {
    let unprintable = |c: char| c.is_whitespace() || c.is_control() || matches!(c, '"' | ';' | '\\');
    if token.quoted || token.text.contains(unprintable) {
        return Err(format!("{:?} cannot be a name in zone data", token.text));
    }
    Ok(normalize_name(&token.text))
}

struct Token {
    text: String,
    bytes: Vec<u8>,
    quoted: bool,
}

/// Splits a line into words and quoted strings; `;` outside quotes starts a comment.
fn tokenize(line: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b';' {
            break;
        }
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let quoted = b == b'"';
        if quoted {
            i += 1;
        }
        let mut out = Vec::new();
        loop {
            let Some(&c) = bytes.get(i) else {
                if quoted {
                    return Err("unterminated quoted string".into());
                }
                break;
            };
            if quoted && c == b'"' {
                i += 1;
                break;
            }
            if !quoted && (c.is_ascii_whitespace() || c == b';') {
                break;
            }
            if c == b'\\' {
                let next = bytes.get(i + 1..i + 4).unwrap_or(&[]);
                if next.len() == 3 && next.iter().all(u8::is_ascii_digit) {
                    let v = next.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
                    out.push(u8::try_from(v).map_err(|_| format!("escape \\{v} is over 255"))?);
                    i += 4;
                } else if let Some(&e) = bytes.get(i + 1) {
                    out.push(e);
                    i += 2;
                } else {
                    return Err("line ends in a backslash".into());
                }
                continue;
            }
            out.push(c);
            i += 1;
        }
        tokens.push(Token { text: String::from_utf8_lossy(&out).into_owned(), bytes: out, quoted });
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_records_and_faults() {
        let zone = Zone::parse(
            "; a comment\n\
             Example.COM. 60 IN MX 10 mx1.example.com.\n\
             example.com. TXT \"v=spf1 \" \"a\\\"b\\059c\" ; trailing comment\n\
             mx1.example.com A 192.0.2.1\n\
             bad.example FAULT servfail\n\
             slow.example FAULT latency=50\n",
        )
        .unwrap();
        assert_eq!(zone.records.len(), 3);
        assert_eq!(zone.records[0].name, "example.com");
        assert_eq!(zone.records[0].ttl, 60);
        assert_eq!(zone.records[0].data, RData::Mx { preference: 10, exchange: "mx1.example.com".into() });
        assert_eq!(zone.records[1].data, RData::Txt(vec![b"v=spf1 ".to_vec(), b"a\"b;c".to_vec()]));
        assert_eq!(
            zone.faults,
            vec![("bad.example".into(), Fault::ServFail), ("slow.example".into(), Fault::Latency(50))]
        );
    }

    #[test]
    fn reports_bad_lines_with_numbers() {
        let e = Zone::parse("ok.example A 192.0.2.1\nx.example A 300.1.1.1\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(Zone::parse("x.example TXT \"open").is_err());
        assert!(Zone::parse("x.example BOGUS 1").is_err());
        assert!(Zone::parse("x.example FAULT nope").is_err());
    }

    #[test]
    fn ede_ad_and_tlsa_lines() {
        let zone = Zone::parse(
            "broken.example FAULT servfail\n\
             broken.example EDE 22 \"no reachable authority\"\n\
             bogus.example EDE 6\n\
             _25._tcp.mx.example AD\n\
             _25._tcp.mx.example TLSA 3 1 1 0c72 AC70\n",
        )
        .unwrap();
        assert_eq!(
            zone.extended_errors,
            vec![
                ("broken.example".into(), ExtendedError::new(22, "no reachable authority")),
                ("bogus.example".into(), ExtendedError::new(6, ""))
            ]
        );
        assert_eq!(zone.authenticated, vec!["_25._tcp.mx.example".to_string()]);
        let tlsa = RData::Tlsa { usage: 3, selector: 1, matching_type: 1, data: vec![0x0c, 0x72, 0xac, 0x70] };
        assert_eq!(zone.records[0].data, tlsa);
        assert_eq!(Zone::parse(&zone.records[0].to_string()).unwrap().records, zone.records);
        for (name, ede) in &zone.extended_errors {
            assert_eq!(Zone::parse(&ede_line(name, ede)).unwrap().extended_errors, vec![(name.clone(), ede.clone())]);
        }
        for bad in [
            "x EDE",
            "x EDE 70000",
            "x EDE 1 \"a\" \"b\"",
            "x AD 1",
            "x TLSA 3 1",
            "x TLSA 3 1 1 abc",
            "x TLSA 3 1 1 zz",
        ] {
            assert!(Zone::parse(bad).is_err(), "{bad}");
        }
    }

    /// Found by fuzzing: a quoted or escaped name (`" "`, `a\032b`) parsed, but its
    /// record printed as a line that reads back differently. Such names are refused.
    #[test]
    fn names_must_print_as_they_read() {
        for line in [
            "www.example. CNAME \" \"x.example.",
            "\"a b\".example. A 192.0.2.1",
            "a\\032b.example. A 192.0.2.1",
            "x.example. PTR a\\;b.example.",
        ] {
            let e = Zone::parse(line).expect_err(line);
            assert!(e.message.contains("cannot be a name"), "{line}: {e}");
        }
        let zone = Zone::parse("x.example. 60 IN MX 10 mx.example.").unwrap();
        assert_eq!(Zone::parse(&zone.records[0].to_string()).unwrap(), zone);
    }
}
