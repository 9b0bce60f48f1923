//! "Check yourself": what a browser cannot test, as commands with the
//! person's real hosts filled in.

use std::net::IpAddr;

use super::facts::Facts;
use super::{Cause, ManualCheck};

fn check(what: &str, why: &str, command: String) -> ManualCheck {
    ManualCheck { what: what.to_string(), why: why.to_string(), command }
}

fn has(causes: &[Cause], id: &str) -> bool {
    causes.iter().any(|c| c.id == id && c.score >= 35)
}

/// The DNSBL query name of an IPv4 address (RFC 5782 §2.1: octets reversed).
fn dnsbl_name(ip: IpAddr, zone: &str) -> Option<String> {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            Some(format!("{}.{}.{}.{}.{zone}", o[3], o[2], o[1], o[0]))
        }
        IpAddr::V6(_) => None,
    }
}

pub fn checks(f: &Facts, causes: &[Cause]) -> Vec<ManualCheck> {
    let domain = f.recipient_domain().unwrap_or("RECIPIENT-DOMAIN");
    let host = f.recipient_host().unwrap_or("RECIPIENT-MX-HOST");
    let sender = if f.input.sender_domain.is_empty() { "YOUR-DOMAIN" } else { f.input.sender_domain };
    let mut out = vec![
        check(
            "Look up the recipient's mail servers from your sending server",
            "Confirms your server's resolver sees the MX hosts we saw over DNS-over-HTTPS.",
            format!("dig +short MX {domain}"),
        ),
        check(
            "The same on Windows",
            "nslookup is available on every Windows machine.",
            format!("nslookup -type=mx {domain}"),
        ),
        check(
            "Open a TCP connection to port 25",
            "If this hangs, your ISP, cloud host or a firewall blocks port 25, or their server is down.",
            format!("nc -vz -w 10 {host} 25"),
        ),
        check(
            "Test STARTTLS and read the server's greeting",
            "Shows the 220 banner, whether STARTTLS works, and the certificate; a banner of asterisks means a firewall inspects SMTP.",
            format!("openssl s_client -starttls smtp -connect {host}:25 -servername {host} -crlf"),
        ),
        check(
            "Walk through an SMTP conversation without sending a message",
            "Shows which step stalls, or the receiver's answers to your HELO, sender and recipient.",
            format!("swaks --server {host} --from postmaster@{sender} --to postmaster@{domain} --quit-after RCPT"),
        ),
        check(
            "Trace the route on port 25",
            "Shows where packets to their server stop or slow down (needs root for TCP mode).",
            format!("sudo traceroute -T -p 25 {host}"),
        ),
    ];
    if has(causes, "network.path-mtu") || has(causes, "network.path") {
        out.push(check(
            "Test for a path-MTU black hole",
            "If full-size (1500-byte) \"don't fragment\" packets are lost but small ones pass, big messages stall while short commands work.",
            format!("ping -M do -s 1472 -c 3 {host}; tracepath -n {host}"),
        ));
    }
    match f.sending_ip() {
        Some(ip) => {
            out.push(check(
                "Check your sending IP's reverse DNS",
                "The PTR name must resolve back to the same IP (forward-confirmed reverse DNS).",
                format!("dig +short -x {ip}"),
            ));
            if let Some(q) = dnsbl_name(ip, "zen.spamhaus.org") {
                out.push(check(
                    "Check the Spamhaus blocklist",
                    "127.0.0.x means listed; no answer, not listed. Use your own resolver: Spamhaus refuses public ones, answering 127.255.255.254 (or .255, too many queries), which is not a listing.",
                    format!("dig +short {q}"),
                ));
            }
        }
        None => out.push(check(
            "Find your sending server's public IP",
            "Enter it above to check reverse DNS and SPF for the IP receivers see.",
            "dig +short myip.opendns.com @resolver1.opendns.com".to_string(),
        )),
    }
    out.push(check(
        "If your server relays through a provider, test its submission ports",
        "Relaying (smarthost) uses port 587 (STARTTLS) or 465 (TLS). Replace YOUR-SMTP-SERVER with your provider's documented host.",
        "nc -vz -w 10 YOUR-SMTP-SERVER 587; nc -vz -w 10 YOUR-SMTP-SERVER 465".to_string(),
    ));
    if has(causes, "sender.relay") {
        out.push(check(
            "Test your outgoing relay (submission port 587)",
            "Replace YOUR-SMTP-SERVER with your provider's documented submission host.",
            "openssl s_client -starttls smtp -connect YOUR-SMTP-SERVER:587 -crlf".to_string(),
        ));
    }
    out.push(check(
        "Look at your queue and sending rate",
        "A long queue or bursts of connections to one provider trigger throttling; server load slows every conversation.",
        "postqueue -p | tail -n 1; uptime".to_string(),
    ));
    out
}
