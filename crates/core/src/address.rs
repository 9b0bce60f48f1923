//! IP addresses as the checks need them: reading the sending IP a person
//! typed, and telling public addresses from ones nobody outside can reach.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::parse_error::ParseError;

/// Why an address is not a public unicast address (RFC 6890 special-purpose registries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum SpecialRange {
    /// RFC 1918 (10/8, 172.16/12, 192.168/16) or IPv6 unique-local fc00::/7 (RFC 4193).
    Private,
    /// 100.64.0.0/10, carrier-grade NAT (RFC 6598).
    SharedCgnat,
    /// 127/8 or ::1.
    Loopback,
    /// 169.254/16 or fe80::/10.
    LinkLocal,
    /// 0.0.0.0, "this network" 0/8, or ::.
    Unspecified,
    /// 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32 (RFC 5737, RFC 3849).
    Documentation,
    /// 198.18/15 (RFC 2544).
    Benchmarking,
    /// 224/4 or ff00::/8.
    Multicast,
    /// 240/4 and 255.255.255.255, 192.0.0/24 protocol assignments.
    Reserved,
}

impl SpecialRange {
    /// Plain words for messages: "a private (RFC 1918) address".
    pub fn describe(self) -> &'static str {
        match self {
            SpecialRange::Private => "a private address (RFC 1918 / unique-local), only reachable inside a network",
            SpecialRange::SharedCgnat => "a carrier-grade NAT address (100.64.0.0/10), not reachable from the internet",
            SpecialRange::Loopback => "a loopback address, which always means \"this machine\"",
            SpecialRange::LinkLocal => "a link-local address, only valid on one network segment",
            SpecialRange::Unspecified => "the unspecified address (0.0.0.0 or ::), which names no host",
            SpecialRange::Documentation => "an address reserved for documentation and examples",
            SpecialRange::Benchmarking => "an address reserved for network benchmarking",
            SpecialRange::Multicast => "a multicast address, not a single host",
            SpecialRange::Reserved => "a reserved address that is not routed on the internet",
        }
    }
}

/// `Some(range)` if `ip` cannot be a public internet host.
pub fn special_range(ip: IpAddr) -> Option<SpecialRange> {
    match ip {
        IpAddr::V4(v4) => special_v4(v4),
        IpAddr::V6(v6) => special_v6(v6),
    }
}

fn special_v4(ip: Ipv4Addr) -> Option<SpecialRange> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => SpecialRange::Unspecified,
        (10, _, _) => SpecialRange::Private,
        (172, 16..=31, _) => SpecialRange::Private,
        (192, 168, _) => SpecialRange::Private,
        (100, 64..=127, _) => SpecialRange::SharedCgnat,
        (127, _, _) => SpecialRange::Loopback,
        (169, 254, _) => SpecialRange::LinkLocal,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => SpecialRange::Documentation,
        (198, 18..=19, _) => SpecialRange::Benchmarking,
        (192, 0, 0) => SpecialRange::Reserved,
        (224..=239, _, _) => SpecialRange::Multicast,
        (240..=255, _, _) => SpecialRange::Reserved,
        _ => return None,
    })
}

fn special_v6(ip: Ipv6Addr) -> Option<SpecialRange> {
    // An IPv4-mapped address (::ffff:a.b.c.d) is the IPv4 address in disguise.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return special_v4(v4);
    }
    let s = ip.segments();
    Some(if ip.is_unspecified() {
        SpecialRange::Unspecified
    } else if ip.is_loopback() {
        SpecialRange::Loopback
    } else if s[0] & 0xfe00 == 0xfc00 {
        SpecialRange::Private
    } else if s[0] & 0xffc0 == 0xfe80 {
        SpecialRange::LinkLocal
    } else if s[0] == 0x2001 && s[1] == 0x0db8 {
        SpecialRange::Documentation
    } else if s[0] & 0xff00 == 0xff00 {
        SpecialRange::Multicast
    } else if s[0] & 0xe000 != 0x2000 {
        // Only 2000::/3 is allocated as global unicast (RFC 4291 §2.4).
        SpecialRange::Reserved
    } else {
        return None;
    })
}

/// What was wrong with a typed sending IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendingIpErrorKind {
    Empty,
    /// A host name where an address was expected.
    HostName,
    /// A network (`192.0.2.0/24`) rather than one address.
    Network,
    /// An address with a port (`192.0.2.1:25`).
    Port,
    /// Anything else that is not an IPv4 or IPv6 address.
    NotAnAddress,
}

/// A sending IP that could not be read; `message` is for the person who typed it.
pub type SendingIpError = ParseError<SendingIpErrorKind>;

/// Reads the IPv4 or IPv6 address of the server that sends the mail.
///
/// Accepts the SMTP address-literal forms `[192.0.2.1]` and `[IPv6:2001:db8::1]`
/// (RFC 5321 §4.1.3) as well as plain addresses; an IPv4-mapped IPv6 address
/// comes back as the IPv4 address. Private addresses are
/// accepted here: the PTR check reports that they cannot be checked from
/// outside, rather than refusing the input.
pub fn parse_sending_ip(text: &str) -> Result<IpAddr, SendingIpError> {
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    let err = |kind, offset: usize, message: String| Err(ParseError::new(kind, lead + offset, message));
    if trimmed.is_empty() {
        return Err(ParseError::new(
            SendingIpErrorKind::Empty,
            0,
            "Type the IP address of the server that sends the mail.",
        ));
    }
    let mut inner = trimmed;
    let mut skipped = 0;
    if let Some(rest) = inner.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        inner = rest;
        skipped = 1;
    }
    if inner.len() >= 5 && inner.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("ipv6:")) {
        inner = inner.get(5..).unwrap_or("");
        skipped += 5;
    }
    if let Ok(ip) = inner.parse::<IpAddr>() {
        // ::ffff:192.0.2.1 is how some logs write an IPv4 sender; its reverse name is in-addr.arpa.
        return Ok(ip.to_canonical());
    }
    if let Some(slash) = inner.find('/') {
        return err(
            SendingIpErrorKind::Network,
            skipped + slash,
            format!(
                "{trimmed} is a network range; type the single address of the sending server, such as {}.",
                &inner[..slash]
            ),
        );
    }
    // 192.0.2.1:25 or [2001:db8::1]:25
    if let Some((host, port)) = trimmed.rsplit_once(':') {
        let host = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
        if port.bytes().all(|b| b.is_ascii_digit()) && !port.is_empty() && host.parse::<IpAddr>().is_ok() {
            return err(
                SendingIpErrorKind::Port,
                trimmed.len() - port.len() - 1,
                format!("Leave out the port: type just {host}."),
            );
        }
    }
    let looks_like_name = inner.contains('.')
        && inner.chars().any(|c| c.is_alphabetic())
        && inner.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == '_');
    if looks_like_name {
        return err(
            SendingIpErrorKind::HostName,
            skipped,
            format!(
                "{inner} is a host name, not an IP address. Type the sending server's IP address \
                 (from the \"Received:\" header of a message it sent, or the bounce)."
            ),
        );
    }
    let bad = inner.char_indices().find(|&(_, c)| !(c.is_ascii_hexdigit() || c == '.' || c == ':'));
    let offset = bad.map(|(i, _)| skipped + i).unwrap_or(skipped);
    err(
        SendingIpErrorKind::NotAnAddress,
        offset,
        format!("{trimmed} is not an IP address. Type an IPv4 address such as 192.0.2.25 or an IPv6 address such as 2001:db8::25."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_ranges() {
        let cases: [(&str, Option<SpecialRange>); 20] = [
            ("10.1.2.3", Some(SpecialRange::Private)),
            ("172.16.0.1", Some(SpecialRange::Private)),
            ("172.32.0.1", None),
            ("192.168.1.1", Some(SpecialRange::Private)),
            ("100.64.0.1", Some(SpecialRange::SharedCgnat)),
            ("100.128.0.1", None),
            ("127.0.0.1", Some(SpecialRange::Loopback)),
            ("169.254.1.1", Some(SpecialRange::LinkLocal)),
            ("0.0.0.0", Some(SpecialRange::Unspecified)),
            ("192.0.2.10", Some(SpecialRange::Documentation)),
            ("198.18.0.1", Some(SpecialRange::Benchmarking)),
            ("224.0.0.1", Some(SpecialRange::Multicast)),
            ("255.255.255.255", Some(SpecialRange::Reserved)),
            ("8.8.8.8", None),
            ("::1", Some(SpecialRange::Loopback)),
            ("fd00::1", Some(SpecialRange::Private)),
            ("fe80::1", Some(SpecialRange::LinkLocal)),
            ("2001:db8::1", Some(SpecialRange::Documentation)),
            ("::ffff:10.0.0.1", Some(SpecialRange::Private)),
            ("2a00:1450:4001::1", None),
        ];
        for (ip, want) in cases {
            assert_eq!(special_range(ip.parse().unwrap()), want, "{ip}");
        }
    }

    #[test]
    fn sending_ip_forms() {
        for (text, want) in [
            ("203.0.113.9", "203.0.113.9"),
            ("  2001:db8::25 ", "2001:db8::25"),
            ("[192.0.2.1]", "192.0.2.1"),
            ("[IPv6:2001:db8::1]", "2001:db8::1"),
            ("10.0.0.1", "10.0.0.1"),
            ("::ffff:81.2.69.160", "81.2.69.160"),
        ] {
            assert_eq!(parse_sending_ip(text), Ok(want.parse().unwrap()), "{text}");
        }
    }

    #[test]
    fn sending_ip_errors() {
        use SendingIpErrorKind::*;
        let cases: [(&str, SendingIpErrorKind, usize); 8] = [
            ("", Empty, 0),
            ("   ", Empty, 0),
            ("mail.example.com", HostName, 0),
            ("192.0.2.0/24", Network, 9),
            ("192.0.2.1:25", Port, 9),
            ("[2001:db8::1]:25", Port, 13),
            ("192.0.2.300", NotAnAddress, 0),
            ("hello world", NotAnAddress, 0),
        ];
        for (text, kind, offset) in cases {
            let e = parse_sending_ip(text).unwrap_err();
            assert_eq!((e.kind, e.offset), (kind, offset), "{text}: {}", e.message);
            assert!(!e.message.is_empty());
        }
    }
}
