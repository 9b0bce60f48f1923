//! Does a PTR name look like an ISP's generic, dynamic-pool name?
//!
//! Large receivers (Gmail, Microsoft, Yahoo) defer or reject mail from hosts
//! whose reverse name looks like a consumer or pool address, e.g.
//! `203-0-113-7.dsl.dynamic.example.net`. There is no standard for this; the
//! signs used here are the ones those providers' guidance and common
//! anti-spam rules (e.g. SpamAssassin's RDNS_DYNAMIC) look for: the IP
//! address written into the name, and words naming dynamic access.

use std::net::IpAddr;

/// Words that, as a whole token of the name, mark dynamic or consumer access.
const DYNAMIC_WORDS: &[&str] = &[
    "dynamic",
    "dyn",
    "dynip",
    "dhcp",
    "pool",
    "dsl",
    "adsl",
    "vdsl",
    "xdsl",
    "cable",
    "dial",
    "dialup",
    "dialin",
    "ppp",
    "pppoe",
    "broadband",
    "residential",
    "resnet",
    "cust",
    "customer",
    "client",
    "clients",
    "cpe",
    "unassigned",
    "nat",
];

/// Why a name looks generic, or `None` if it does not.
pub fn generic_reason(name: &str, ip: IpAddr) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    // Only the host part counts: the words may legitimately appear in a provider's domain.
    let host_part: Vec<&str> = lower.split('.').collect();
    let host_labels = &host_part[..host_part.len().saturating_sub(2)];
    if embeds_ip(&lower, ip) {
        return Some(format!("the name contains the address {ip}"));
    }
    for label in host_labels {
        for token in tokens(label) {
            if DYNAMIC_WORDS.contains(&token) {
                return Some(format!("the name contains \"{token}\", which marks dynamic or consumer addresses"));
            }
        }
    }
    None
}

/// Splits a label into letter runs and digit runs: "dsl123-x" → ["dsl", "123", "x"].
fn tokens(label: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = label.as_bytes();
    for i in 1..=bytes.len() {
        let boundary = match (bytes.get(i - 1), bytes.get(i)) {
            (Some(a), Some(b)) => {
                !a.is_ascii_alphanumeric() || !b.is_ascii_alphanumeric() || a.is_ascii_digit() != b.is_ascii_digit()
            }
            _ => true,
        };
        if boundary {
            // `get`, not indexing: a boundary can fall inside a non-ASCII character.
            if let Some(t) =
                label.get(start..i).filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric()))
            {
                out.push(t);
            }
            start = i;
        }
    }
    out
}

fn embeds_ip(name: &str, ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let octets = v4.octets();
            // Decimal runs of the name, e.g. "ip-203-0-113-7" → [203, 0, 113, 7]
            // Loops, not filter_maps collected (see the MX report's lookups; with
            // lint_strings: -271 gzip bytes, measured).
            let mut runs: Vec<u32> = Vec::new();
            for s in name.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty() && s.len() <= 3) {
                if let Ok(n) = s.parse() {
                    runs.push(n);
                }
            }
            let want: Vec<u32> = octets.iter().map(|&o| u32::from(o)).collect();
            let rev: Vec<u32> = want.iter().rev().copied().collect();
            let hex = format!("{:08x}", u32::from(v4));
            let padded: String = octets.iter().map(|o| format!("{o:03}")).collect();
            runs.windows(4).any(|w| w == want.as_slice() || w == rev.as_slice())
                || name.contains(&hex)
                || name.contains(&padded)
        }
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            let mut runs: Vec<u16> = Vec::new();
            for s in name.split(|c: char| !c.is_ascii_hexdigit()).filter(|s| !s.is_empty() && s.len() <= 4) {
                if let Ok(n) = u16::from_str_radix(s, 16) {
                    runs.push(n);
                }
            }
            let full: String = segments.iter().map(|s| format!("{s:04x}")).collect();
            let squashed: String = name.chars().filter(char::is_ascii_hexdigit).collect();
            // The interface identifier (last 64 bits) written out is the usual pattern.
            let tail = segments.get(4..).unwrap_or(&[]);
            (runs.windows(tail.len().max(1)).any(|w| w == tail) && tail.iter().any(|&s| s != 0))
                || squashed.contains(&full)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_names() {
        let cases = [
            ("203-0-113-7.dsl.example.net", "203.0.113.7", true),
            ("7.113.0.203.static.example.net", "203.0.113.7", true),
            ("host203000113007.example.net", "203.0.113.7", true),
            ("cb007107.example.net", "203.0.113.7", true),
            ("203-0-113-8.example.net", "203.0.113.7", false),
            ("dhcp-44.example.net", "203.0.113.7", true),
            ("cable12.pool.isp.example", "203.0.113.7", true),
            ("mail.dynamic-dns.example", "203.0.113.7", false),
            ("mail.example.com", "203.0.113.7", false),
            ("mx1.dsl-provider.net", "203.0.113.7", false),
            ("mailhost.example.com", "203.0.113.7", false),
            ("2001-db8--1-2-3-4.v6.example.net", "2001:db8::1:2:3:4", true),
            ("mail6.example.com", "2001:db8::1:2:3:4", false),
            ("mail.example.com", "2001:db8::1", false),
        ];
        for (name, ip, want) in cases {
            assert_eq!(generic_reason(name, ip.parse().unwrap()).is_some(), want, "{name} {ip}");
        }
    }

    #[test]
    fn tokenizes_letters_and_digits() {
        assert_eq!(tokens("dsl123-x"), vec!["dsl", "123", "x"]);
        assert_eq!(tokens("a--b"), vec!["a", "b"]);
        assert_eq!(tokens(""), Vec::<&str>::new());
        // Non-ASCII bytes are separators, never split points inside a character.
        assert_eq!(tokens("é1dsl—x"), vec!["1", "dsl", "x"]);
    }
}
