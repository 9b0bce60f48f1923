//! `Received` fields (RFC 5321 §4.4) and the rule that picks the sending
//! server's IP out of a delivered message's headers.
//!
//! The rule, first match wins:
//! 1. The topmost `Received-SPF` field's `client-ip=` (RFC 7208 §9.1): the
//!    receiver wrote down the address it checked SPF for — the host that
//!    connected to it. Microsoft adds this field.
//! 2. The comment of the topmost `Authentication-Results` `spf=` result,
//!    "domain of … designates 209.85.220.41 as permitted sender" (Gmail's wording).
//! 3. The `Received` chain, read top down (each receiving server adds its
//!    field on top): skip hops whose `from` address is private or otherwise
//!    not on the internet, and hops between the recipient's own servers —
//!    a `from` host in the same organization as the recipient, known from
//!    the topmost `by` host and the first `Authentication-Results` authserv-id.
//!    The first hop left is where the message entered the recipient's
//!    system: its `from` IP is the sending server's.
//! 4. If every public hop was the recipient's own (say, Gmail to Gmail),
//!    the topmost public `from` IP: the sender's provider is also the recipient's.
//!
//! Fields below the entry hop were written by the sending side and can say
//! anything, so they are never preferred over the ones above.

use std::net::IpAddr;

use super::auth::strip_comments;
use super::MessageHeaders;
use crate::address::special_range;
use crate::suffix::registrable_domain;

/// One `Received` field, read loosely.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct ReceivedHop {
    /// The name the client gave (HELO/EHLO) after `from`.
    pub from_helo: Option<String>,
    /// The client's reverse-DNS name, from the `from` comment, if given.
    pub from_host: Option<String>,
    /// The client's address, from `[…]` or `(…)` in the `from` clause.
    pub from_ip: Option<IpAddr>,
    /// The receiving server after `by`.
    pub by_host: Option<String>,
    /// 1-based line of the paste where the field starts.
    pub line: usize,
}

/// Which step of the rule (module documentation) found the sending IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SendingIpRule {
    ReceivedSpf,
    AuthResults,
    FirstExternalHop,
    RecipientsOwnProvider,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SendingIp {
    pub ip: IpAddr,
    pub rule: SendingIpRule,
    /// The `Received` hop it came from (index into `MessageHeaders::received`), for rules 3 and 4.
    pub hop: Option<usize>,
    /// The sending server's name as that hop recorded it.
    pub host: Option<String>,
}

impl ReceivedHop {
    pub fn parse(value: &str, line: usize) -> ReceivedHop {
        let (text, comments) = strip_comments(value);
        // The date follows the last ";" (RFC 5321 §4.4); the clauses come before it.
        let clauses = text.rsplit_once(';').map_or(text.as_str(), |(c, _)| c);
        let words: Vec<(usize, &str)> = crate::parse_error::words(clauses);
        let after =
            |kw: &str| words.iter().position(|(_, w)| w.eq_ignore_ascii_case(kw)).and_then(|i| words.get(i + 1));
        let by_at = words.iter().find(|(_, w)| w.eq_ignore_ascii_case("by")).map_or(clauses.len(), |(at, _)| *at);
        let from_helo = after("from").filter(|(at, _)| *at < by_at).map(|(_, w)| w.to_string());
        let by_host = after("by").map(|(_, w)| clean_host(w));
        // The from clause's own tokens and its comments, before "by".
        let mut from_comments: Vec<&str> = Vec::new();
        for (at, c) in &comments {
            if *at < by_at {
                from_comments.push(c);
            }
        }
        // The address the receiver saw (TCP-info, in the comment) before the one the client claims (HELO).
        let seen = from_comments.iter().flat_map(|c| c.split(|ch: char| ch.is_whitespace() || "[]()=".contains(ch)));
        let from_ip = seen.chain(from_helo.as_deref()).find_map(parse_ip);
        let from_host = from_comments
            .iter()
            .flat_map(|c| c.split(|ch: char| ch.is_whitespace() || "[]()".contains(ch)))
            .find(|t| t.contains('.') && parse_ip(t).is_none() && !t.contains('=') && !t.contains('@'))
            .map(clean_host);
        ReceivedHop { from_helo: from_helo.map(|h| clean_host(&h)), from_host, from_ip, by_host, line }
    }
}

fn clean_host(h: &str) -> String {
    h.trim_matches(|c: char| "[]()<>,;".contains(c)).trim_end_matches('.').to_ascii_lowercase()
}

/// `192.0.2.1`, `[192.0.2.1]`, `IPv6:2001:db8::1`, `2001:db8::1`.
pub fn parse_ip(token: &str) -> Option<IpAddr> {
    let t = token.trim_matches(|c: char| "[]();,".contains(c));
    let t = t.strip_prefix("IPv6:").or_else(|| t.strip_prefix("ipv6:")).unwrap_or(t);
    t.parse().ok()
}

fn is_public(ip: IpAddr) -> bool {
    special_range(ip).is_none()
}

/// The organizational domain as far as the partial suffix list knows (see `crate::suffix`).
fn org(name: &str) -> Option<String> {
    registrable_domain(name)
}

/// Applies the rule of the module documentation.
pub fn sending_ip(headers: &MessageHeaders) -> Option<SendingIp> {
    let by_rule = |ip, rule| SendingIp { ip, rule, hop: None, host: None };
    if let Some(f) = headers.get("received-spf").next() {
        let lower = f.value.to_ascii_lowercase();
        let ip = lower.find("client-ip=").and_then(|at| {
            let rest = lower.get(at + "client-ip=".len()..)?;
            parse_ip(rest.split(|c: char| c.is_whitespace() || c == ';').next()?)
        });
        if let Some(ip) = ip {
            return Some(by_rule(ip, SendingIpRule::ReceivedSpf));
        }
    }
    let spf = headers.auth_results.first().and_then(|ar| ar.result("spf"));
    let designated = spf.into_iter().flat_map(|r| &r.comments).find_map(|c| {
        let (_, rest) = c.split_once("designate")?;
        rest.split_whitespace().find_map(parse_ip)
    });
    if let Some(ip) = designated {
        return Some(by_rule(ip, SendingIpRule::AuthResults));
    }
    received_walk(headers)
}

/// Rules 3 and 4: the first hop into the recipient's servers from outside them.
fn received_walk(headers: &MessageHeaders) -> Option<SendingIp> {
    let mut recipient: Vec<String> = Vec::new();
    let top_by = headers.received.iter().find_map(|h| h.by_host.clone());
    let authserv = headers.auth_results.first().map(|a| a.authserv_id.clone());
    recipient
        .extend([top_by, authserv].into_iter().flatten().filter(|n| parse_ip(n).is_none()).filter_map(|n| org(&n)));
    let is_recipients = |hop: &ReceivedHop| {
        [&hop.from_host, &hop.from_helo].into_iter().flatten().filter_map(|n| org(n)).any(|o| recipient.contains(&o))
    };
    let mut own_provider = None;
    for (i, hop) in headers.received.iter().enumerate() {
        let Some(ip) = hop.from_ip.filter(|ip| is_public(*ip)) else { continue };
        let found = SendingIp {
            ip,
            rule: SendingIpRule::FirstExternalHop,
            hop: Some(i),
            host: hop.from_host.clone().or(hop.from_helo.clone()),
        };
        if !is_recipients(hop) {
            return Some(found);
        }
        own_provider.get_or_insert(SendingIp { rule: SendingIpRule::RecipientsOwnProvider, ..found });
    }
    own_provider
}
