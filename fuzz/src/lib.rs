//! What the fuzzers check, shared by the cargo-fuzz targets and the stable
//! `spf-fuzz` harness: no input may panic, errors must point inside the
//! input, and whatever parses must print as text that parses back to it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use futures::executor::block_on;
use maildoctor::dns::{MemoryResolver, RData};
use maildoctor::spf::macros::{truncate_domain, MacroString, MacroSyntax, MacroValues};
use maildoctor::spf::{check_host, lint_text, SpfRecord};

/// The record parser, the linter and check_host() on `data` as a TXT record.
pub fn check_record(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match SpfRecord::parse_positioned(&text) {
        Ok(parsed) => {
            assert_eq!(parsed.term_spans.len(), parsed.record.terms.len());
            for span in &parsed.term_spans {
                assert!(text.get(span.clone()).is_some(), "span {span:?} outside {text:?}");
            }
            let shown = parsed.record.to_string();
            let again: SpfRecord =
                shown.parse().unwrap_or_else(|e| panic!("Display output {shown:?} does not parse: {e}"));
            assert_eq!(again, parsed.record, "round trip of {text:?} via {shown:?}");
        }
        Err(e) => assert!(e.offset <= text.len(), "error offset {} beyond {} bytes: {e}", e.offset, text.len()),
    }
    let _ = lint_text("example.com", &[data.to_vec()]);
    if data.len() <= 512 {
        let mut zone = MemoryResolver::new();
        zone.add("example.com", 300, RData::Txt(vec![data.to_vec()]));
        zone.add("example.com", 300, RData::A(Ipv4Addr::new(192, 0, 2, 1)));
        let ip = ip_from(data);
        let eval = block_on(check_host(&zone, ip, "example.com", "someone@example.com", "mail.example.com"));
        assert!(eval.lookup_count <= 11, "the limit of 10 lookups was not enforced: {}", eval.lookup_count);
    }
}

/// The macro-string parser and expander: the first byte picks the syntax, the rest is the text.
pub fn check_macro(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let syntax = match selector % 3 {
        0 => MacroSyntax::DomainSpec,
        1 => MacroSyntax::ModifierValue,
        _ => MacroSyntax::Explanation,
    };
    let text = String::from_utf8_lossy(rest);
    match MacroString::parse(&text, 0, syntax) {
        Ok(ms) => {
            let shown = ms.to_string();
            assert_eq!(MacroString::parse(&shown, 0, syntax).ok().as_ref(), Some(&ms), "round trip of {text:?}");
            // Values made from the input too, so odd senders and HELO names are covered.
            let values = MacroValues {
                sender: &text,
                domain: "example.com",
                ip: ip_from(rest),
                helo: &text,
                validated_name: if selector & 4 == 0 { None } else { Some("mail.example.com") },
                receiver: "unknown",
                timestamp: u64::from(selector),
            };
            let expanded = ms.expand(&values);
            assert!(truncate_domain(&expanded).len() <= 253);
        }
        Err(e) => assert!(e.offset <= text.len()),
    }
}

fn ip_from(data: &[u8]) -> IpAddr {
    let mut b = [0u8; 16];
    for (slot, byte) in b.iter_mut().zip(data.iter().rev()) {
        *slot = *byte;
    }
    if data.len().is_multiple_of(2) {
        IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
    } else {
        IpAddr::V6(Ipv6Addr::from(b))
    }
}

/// Record and explanation texts from the openspf YAML suites, read line by line
/// (`- SPF: …` / `- TXT: …`), with the YAML escapes the suites use undone.
pub fn seeds_from_suite(yaml: &str) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for line in yaml.lines() {
        let line = line.trim_start();
        let Some(value) = line.strip_prefix("- SPF:").or_else(|| line.strip_prefix("- TXT:")) else { continue };
        let value = value.trim();
        if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let joined: Vec<u8> = list.split(',').flat_map(|s| unquote(s.trim())).collect();
            seeds.push(joined);
        } else if value != "NONE" {
            seeds.push(unquote(value));
        }
    }
    seeds
}

fn unquote(s: &str) -> Vec<u8> {
    if let Some(inner) = s.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return inner.as_bytes().to_vec();
    }
    let Some(inner) = s.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else { return s.as_bytes().to_vec() };
    let mut out = Vec::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('0') => out.push(0),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).unwrap_or(b'?'));
            }
            Some(other) => out.push(other as u8),
            None => {}
        }
    }
    out
}

/// A small deterministic PRNG (xorshift64*), so runs are reproducible from a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
}

/// Tokens worth inserting: they make mutants reach the deeper grammar.
const DICTIONARY: &[&str] = &[
    "v=spf1",
    " ",
    "  ",
    "all",
    "-all",
    "~all",
    "?all",
    "+",
    "include:",
    "a",
    "mx",
    "ptr",
    "exists:",
    "ip4:",
    "ip6:",
    "redirect=",
    "exp=",
    ":",
    "/",
    "//",
    ".",
    "..",
    "%{",
    "}",
    "%%",
    "%_",
    "%-",
    "%{d}",
    "%{i}",
    "%{ir}",
    "%{l2r-}",
    "%{D2}",
    "%{p}",
    "%{c}",
    "0",
    "1",
    "32",
    "128",
    "129",
    "255",
    "256",
    "-",
    "=",
    "::",
    "::ffff:",
    "1.2.3.4",
    "2001:db8::1",
    "example.com",
    ".com",
    "\t",
    "\r\n",
    "\0",
    "\u{201c}",
    "\"",
    "\u{a0}",
];

/// One mutant of `input` (sometimes spliced with `other`).
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] = rng.below(256) as u8;
            }
            2 => {
                let token = DICTIONARY[rng.below(DICTIONARY.len())].as_bytes();
                let at = rng.below(out.len() + 1);
                out.splice(at..at, token.iter().copied());
            }
            3 if !out.is_empty() => {
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(8)).min(out.len());
                out.drain(start..end);
            }
            4 if !out.is_empty() => {
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(16)).min(out.len());
                let chunk: Vec<u8> = out[start..end].to_vec();
                let at = rng.below(out.len() + 1);
                out.splice(at..at, chunk);
            }
            5 if !other.is_empty() => {
                let cut = rng.below(out.len() + 1);
                let from = rng.below(other.len());
                out.truncate(cut);
                out.extend_from_slice(&other[from..]);
            }
            _ => {
                let at = rng.below(out.len() + 1);
                out.insert(at, b' ');
            }
        }
    }
    out.truncate(2048);
    out
}
