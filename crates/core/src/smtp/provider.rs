//! Recognising the big receivers, and what their own documentation says a
//! code means. Generic RFC meanings ("4.7.0 other security status") tell a
//! person little; "Gmail is rate-limiting your IP for unsolicited mail" tells
//! them what to do.

use std::fmt;

use super::status::EnhancedStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Provider {
    Gmail,
    Microsoft,
    Yahoo,
    Apple,
    Comcast,
    /// GMX, WEB.DE and other 1&1 mail brands.
    Gmx,
    TOnline,
    Orange,
    Yandex,
    MailRu,
    Proton,
    Zoho,
    Mimecast,
    Proofpoint,
    Barracuda,
    /// Amazon Simple Email Service, which writes bounces for its senders.
    AmazonSes,
}

impl Provider {
    pub fn name(self) -> &'static str {
        match self {
            Provider::Gmail => "Gmail / Google Workspace",
            Provider::Microsoft => "Microsoft (Outlook.com / Microsoft 365)",
            Provider::Yahoo => "Yahoo / AOL",
            Provider::Apple => "Apple iCloud Mail",
            Provider::Comcast => "Comcast",
            Provider::Gmx => "GMX / WEB.DE (1&1)",
            Provider::TOnline => "Telekom (t-online.de)",
            Provider::Orange => "Orange",
            Provider::Yandex => "Yandex",
            Provider::MailRu => "Mail.ru",
            Provider::Proton => "Proton Mail",
            Provider::Zoho => "Zoho Mail",
            Provider::Mimecast => "Mimecast",
            Provider::Proofpoint => "Proofpoint",
            Provider::Barracuda => "Barracuda",
            Provider::AmazonSes => "Amazon SES",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Host-name suffixes of the providers' mail servers (MX and outbound).
const HOST_SUFFIXES: &[(&str, Provider)] = &[
    ("google.com", Provider::Gmail),
    ("googlemail.com", Provider::Gmail),
    ("outlook.com", Provider::Microsoft),
    ("hotmail.com", Provider::Microsoft),
    ("office365.com", Provider::Microsoft),
    // Microsoft 365 tenants' own domains: their NDRs come from postmaster@….onmicrosoft.com.
    ("onmicrosoft.com", Provider::Microsoft),
    ("amazonses.com", Provider::AmazonSes),
    ("zohomail.com", Provider::Zoho),
    ("yahoodns.net", Provider::Yahoo),
    ("yahoo.com", Provider::Yahoo),
    ("aol.com", Provider::Yahoo),
    ("icloud.com", Provider::Apple),
    ("apple.com", Provider::Apple),
    ("comcast.net", Provider::Comcast),
    ("gmx.net", Provider::Gmx),
    ("web.de", Provider::Gmx),
    ("kundenserver.de", Provider::Gmx),
    ("t-online.de", Provider::TOnline),
    ("orange.fr", Provider::Orange),
    ("yandex.net", Provider::Yandex),
    ("yandex.ru", Provider::Yandex),
    ("mail.ru", Provider::MailRu),
    ("protonmail.ch", Provider::Proton),
    ("zoho.com", Provider::Zoho),
    ("zoho.eu", Provider::Zoho),
    ("mimecast.com", Provider::Mimecast),
    ("pphosted.com", Provider::Proofpoint),
    ("ppe-hosted.com", Provider::Proofpoint),
    ("barracudanetworks.com", Provider::Barracuda),
];

/// Mailbox domains whose mail those providers host.
const MAILBOX_DOMAINS: &[(&str, Provider)] = &[
    ("gmail.com", Provider::Gmail),
    ("googlemail.com", Provider::Gmail),
    ("outlook.com", Provider::Microsoft),
    ("hotmail.com", Provider::Microsoft),
    ("live.com", Provider::Microsoft),
    ("msn.com", Provider::Microsoft),
    ("yahoo.com", Provider::Yahoo),
    ("ymail.com", Provider::Yahoo),
    ("aol.com", Provider::Yahoo),
    ("icloud.com", Provider::Apple),
    ("me.com", Provider::Apple),
    ("mac.com", Provider::Apple),
    ("comcast.net", Provider::Comcast),
    ("gmx.de", Provider::Gmx),
    ("gmx.net", Provider::Gmx),
    ("web.de", Provider::Gmx),
    ("t-online.de", Provider::TOnline),
    ("orange.fr", Provider::Orange),
    ("wanadoo.fr", Provider::Orange),
    ("yandex.ru", Provider::Yandex),
    ("mail.ru", Provider::MailRu),
    ("proton.me", Provider::Proton),
    ("protonmail.com", Provider::Proton),
];

/// Phrases the providers put in their replies (lower case).
const TEXT_MARKERS: &[(&str, Provider)] = &[
    ("- gsmtp", Provider::Gmail),
    ("support.google.com/mail", Provider::Gmail),
    ("protection.outlook.com", Provider::Microsoft),
    ("prod.outlook.com", Provider::Microsoft),
    // Microsoft 365's own servers, named in the NDRs they generate.
    ("exchangelabs.com", Provider::Microsoft),
    ("outlook.office365.com", Provider::Microsoft),
    ("postmaster.yahooinc.com", Provider::Yahoo),
    ("senders.yahooinc.com", Provider::Yahoo),
    ("[tss0", Provider::Yahoo),
    ("[ts0", Provider::Yahoo),
    ("support.apple.com", Provider::Apple),
    ("mimecast", Provider::Mimecast),
    ("pphosted", Provider::Proofpoint),
    ("barracuda", Provider::Barracuda),
];

fn has_suffix(name: &str, suffix: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == suffix || name.strip_suffix(suffix).is_some_and(|head| head.ends_with('.'))
}

/// The provider whose server this is (`gmail-smtp-in.l.google.com` → Gmail).
pub fn from_host(host: &str) -> Option<Provider> {
    HOST_SUFFIXES.iter().find(|(s, _)| has_suffix(host, s)).map(|(_, p)| *p)
}

/// The provider hosting a well-known mailbox domain (`hotmail.com` → Microsoft).
pub fn from_mailbox_domain(domain: &str) -> Option<Provider> {
    let d = domain.trim_end_matches('.').to_ascii_lowercase();
    MAILBOX_DOMAINS.iter().find(|(s, _)| d == *s).map(|(_, p)| *p)
}

/// The provider named by markers in the reply text.
pub fn from_text(lower_text: &str) -> Option<Provider> {
    TEXT_MARKERS.iter().find(|(m, _)| lower_text.contains(m)).map(|(_, p)| *p)
}

/// What the provider's own documentation says this reply means, if we know:
/// its wording, quoted, and what to do (tables in [`super::meanings`]).
pub fn provider_meaning(
    provider: Provider,
    basic: Option<u16>,
    enhanced: Option<EnhancedStatus>,
    text: &str,
) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if provider == Provider::Microsoft {
        // Exchange's own connection failures, whatever the code around them.
        if lower.contains("socketerror") || lower.contains("socket error") {
            return Some("Microsoft: the connection dropped mid-conversation with a socket error — a network break (firewall, load balancer, path-MTU, or an overloaded server), not a policy decision.".to_string());
        }
        if lower.contains("dns query failed") {
            return Some("Microsoft: the DNS lookup of the recipient's mail servers failed; Exchange could not find where to deliver.".to_string());
        }
    }
    let m = super::meanings::lookup(provider, basic, enhanced, &lower)?;
    Some(format!("{} (its documentation: \"{}\")", m.advice, m.official))
}

/// Gmail's bracket with the sending IP and a number, `[203.0.113.42      15]`.
fn gmail_bracket(text: &str) -> bool {
    text.match_indices('[').any(|(i, _)| {
        let inside = text.get(i + 1..).and_then(|r| r.get(..r.len().min(64))).and_then(|r| r.split(']').next());
        let mut words = inside.unwrap_or("").split_whitespace();
        matches!(
            (words.next(), words.next(), words.next()),
            (Some(ip), Some(n), None) if ip.parse::<std::net::IpAddr>().is_ok() && n.bytes().all(|b| b.is_ascii_digit())
        )
    })
}

/// Microsoft's own wording: Exchange Online's "Access denied, …" replies
/// (5.7.515, 5.7.509, 5.7.606) and Outlook.com's letter codes right after
/// the reply code (`421 RP-001`, `550 SC-004`).
fn microsoft_words(lower: &str) -> bool {
    const WORDS: &[&str] = &[
        "does not meet the required authentication level",
        "access denied, sending domain",
        "access denied, banned sending ip",
        "mail rejected by outlook.com",
    ];
    const LETTERS: &[&str] = &["rp-00", "sc-00", "dy-00", "ou-00"];
    WORDS.iter().any(|w| lower.contains(w))
        || lower.split_whitespace().take(3).any(|w| LETTERS.iter().any(|l| w.starts_with(l) && w.len() == 6))
}

/// The provider recognised from the reply's own shape when no host is
/// pasted: Gmail's `[IP      NN]` bracket and `- gsmtp` trailer, Microsoft's
/// `[…PROD.OUTLOOK.COM]` front-end host, Yahoo's `[TSnn]`/`[TSSnn]`/`[BLnn]`.
pub fn from_reply_shape(text: &str) -> Option<Provider> {
    let lower = text.to_ascii_lowercase();
    if lower.contains("- gsmtp") || lower.contains("- gcdp") || gmail_bracket(text) {
        return Some(Provider::Gmail);
    }
    if lower.contains("prod.outlook.com]") || lower.contains("protection.outlook.com") || microsoft_words(&lower) {
        return Some(Provider::Microsoft);
    }
    if ["[ts0", "[tss", "[bl2"].iter().any(|m| lower.contains(m)) {
        return Some(Provider::Yahoo);
    }
    None
}

/// The provider named by a mail address or host (`mailer-daemon@googlemail.com`,
/// `postmaster@contoso.onmicrosoft.com`, `a1-2.smtp-out.amazonses.com`).
pub fn from_address_or_host(s: &str) -> Option<Provider> {
    let domain = s.rsplit('@').next().unwrap_or(s).trim_matches(|c: char| c == '>' || c == '<' || c.is_whitespace());
    from_host(domain).or_else(|| from_mailbox_domain(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_hosts_domains_and_markers() {
        assert_eq!(from_host("gmail-smtp-in.l.google.com."), Some(Provider::Gmail));
        assert_eq!(from_host("example-com.mail.protection.outlook.com"), Some(Provider::Microsoft));
        assert_eq!(from_host("mta7.am0.yahoodns.net"), Some(Provider::Yahoo));
        assert_eq!(from_host("notgoogle.com"), None, "suffix must match on a label boundary");
        assert_eq!(from_mailbox_domain("Hotmail.com"), Some(Provider::Microsoft));
        assert_eq!(from_text("421 4.7.0 try again later, closing connection. - gsmtp"), Some(Provider::Gmail));
    }

    /// Issue 15 §2: the provider from the reply alone, no host pasted.
    #[test]
    fn recognises_the_reply_shape() {
        let cases = [
            ("421-4.7.0 [203.0.113.5      15] Our system has detected an unusual rate of unsolicited mail.", Some(Provider::Gmail)),
            ("550 5.7.26 This mail is unauthenticated. - gsmtp", Some(Provider::Gmail)),
            ("550 5.7.515 Access denied, sending domain shop.example does not meet the required authentication level.", Some(Provider::Microsoft)),
            ("451 4.7.500 Server busy. [BN1PEPF00004686.NAMPRD05.PROD.OUTLOOK.COM]", Some(Provider::Microsoft)),
            ("421 RP-001 (COL004-MC1F23) Unfortunately, some messages from 203.0.113.9 weren't sent.", Some(Provider::Microsoft)),
            ("421 4.7.0 [TS01] Messages from 203.0.113.8 temporarily deferred", Some(Provider::Yahoo)),
            ("421 4.7.0 [TSS04] Messages from 203.0.113.8 temporarily deferred", Some(Provider::Yahoo)),
            ("553 5.7.1 [BL21] Connections will not be accepted", Some(Provider::Yahoo)),
            // Look-alikes: a bracket without an address, a code deep in the text.
            ("421 4.7.0 [mx 15] try later", None),
            ("550 5.1.1 user unknown; see ticket RP-001 in our tracker", None),
        ];
        for (text, want) in cases {
            assert_eq!(from_reply_shape(text), want, "{text}");
        }
    }
}
