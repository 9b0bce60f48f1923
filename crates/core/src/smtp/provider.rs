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
        }
    }

    /// Where the provider documents its codes or takes sender requests.
    pub fn postmaster_url(self) -> Option<&'static str> {
        Some(match self {
            Provider::Gmail => "https://support.google.com/a/answer/3726730",
            Provider::Microsoft => "https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online",
            Provider::Yahoo => "https://senders.yahooinc.com/smtp-error-codes/",
            Provider::Apple => "https://support.apple.com/102322",
            Provider::Comcast => "https://postmaster.comcast.net/",
            Provider::Gmx => "https://postmaster.gmx.net/",
            Provider::TOnline => "https://postmaster.t-online.de/",
            _ => return None,
        })
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

/// What the provider's own documentation says this reply means, if we know.
pub fn provider_meaning(
    provider: Provider,
    basic: Option<u16>,
    enhanced: Option<EnhancedStatus>,
    text: &str,
) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let code = enhanced.map(|e| (e.subject, e.detail));
    match provider {
        Provider::Gmail => gmail(code, &lower),
        Provider::Microsoft => microsoft(basic, code, &lower),
        Provider::Yahoo => yahoo(&lower),
        _ => None,
    }
    .map(str::to_string)
}

/// Google's SMTP error reference (support.google.com/a/answer/3726730) and
/// the bulk-sender guidelines it links to.
fn gmail(code: Option<(u16, u16)>, lower: &str) -> Option<&'static str> {
    if lower.contains("ptr record") {
        return Some("Gmail: the sending IP has no PTR (reverse DNS) record, or the name it points to does not resolve back to the IP. Gmail requires forward-confirmed reverse DNS for every sending IP.");
    }
    if lower.contains("unusual rate of unsolicited mail") || code == Some((7, 28)) {
        let whose = if lower.contains("dkim domain") {
            "your DKIM signing domain"
        } else if lower.contains("spf domain") {
            "your SPF (envelope) domain"
        } else if lower.contains("url") {
            "a URL domain in your messages"
        } else {
            "your sending IP address"
        };
        return Some(match whose {
            "your sending IP address" => "Gmail is temporarily rate-limiting mail from your sending IP address: it saw an unusual rate of unsolicited mail from it. Slow down, keep only recipients who asked for mail, and watch Google Postmaster Tools.",
            "your DKIM signing domain" => "Gmail is temporarily rate-limiting mail signed by your DKIM domain: it saw an unusual rate of unsolicited mail from it. Slow down and review who you mail; Google Postmaster Tools shows the domain's reputation.",
            "your SPF (envelope) domain" => "Gmail is temporarily rate-limiting mail from your SPF (envelope) domain: it saw an unusual rate of unsolicited mail from it. Slow down and review who you mail.",
            _ => "Gmail is temporarily limiting mail containing one of your URL domains, which it saw in unsolicited mail.",
        });
    }
    if lower.contains("low reputation") {
        return Some("Gmail blocked this message because the sending domain's reputation is very low. Check Google Postmaster Tools and fix authentication before sending more.");
    }
    if lower.contains("tls") && (lower.contains("required") || lower.contains("requires")) {
        return Some("Gmail requires this mail to arrive over TLS: make sure your server offers STARTTLS with a valid certificate.");
    }
    match code {
        Some((7, 26)) => Some("Gmail: the message is not authenticated — neither SPF nor DKIM passed. Gmail rate-limits or blocks unauthenticated mail; publish SPF and sign with DKIM."),
        Some((7, 27)) => Some("Gmail: the message did not pass SPF. Add the sending server to the domain's SPF record."),
        Some((7, 30)) => Some("Gmail: the message did not pass DKIM. Sign outgoing mail with a DKIM key published in DNS."),
        Some((7, 32)) => Some("Gmail: the From domain is not aligned with SPF or DKIM, so DMARC does not pass. Sign with a DKIM key of the From domain or send with an aligned envelope domain."),
        Some((7, 25)) => Some("Gmail: the sending IP has no PTR (reverse DNS) record, or it does not resolve back to the IP."),
        Some((2, 1)) => Some("Gmail: this recipient is receiving mail too fast; retry later. Not a problem with your setup."),
        Some((2, 2)) => Some("Gmail: the recipient's mailbox is over its storage quota."),
        Some((4, 2)) => Some("Gmail closed the connection because of a timeout: your server took too long between commands or while sending the message."),
        Some((4, 5)) => Some("Gmail's servers are busy; try again later."),
        Some((7, 0)) => Some("Gmail's generic temporary block (\"try again later, closing connection\"): usually the sending IP's reputation or a burst of suspicious traffic; Google says this can also be denial-of-service protection at the HELO stage."),
        _ => None,
    }
}

/// Microsoft's Exchange Online NDR reference ("Email non-delivery reports and
/// SMTP errors in Exchange Online") and its IP-throttling pages.
fn microsoft(basic: Option<u16>, code: Option<(u16, u16)>, lower: &str) -> Option<&'static str> {
    if lower.contains("socketerror") || lower.contains("socket error") {
        return Some("Microsoft: the connection dropped with a socket error in the middle of the conversation — a network-level break (firewall, load balancer, path-MTU, or an overloaded server), not a policy decision.");
    }
    if lower.contains("dns query failed") {
        return Some("Microsoft: the DNS lookup for the recipient's mail servers failed, so Exchange could not find where to deliver.");
    }
    match code {
        Some((7, 650)) => Some("Microsoft has temporarily rate-limited the sending IP because of its reputation (typically a new or cold IP). Ramp volume up slowly; Microsoft's SNDS shows how it sees the IP."),
        Some((7, d)) if (500..=699).contains(&d) => Some("Microsoft is throttling the sending IP (ASxxx codes): its sending pattern changed suddenly or it has little history. Ramp volume up over days; it clears as history builds."),
        Some((4, 316)) => Some("Microsoft 365 could not connect to the recipient's server: connection refused. The problem is at the receiving server or its network."),
        Some((4, d)) if (310..=319).contains(&d) => Some("Microsoft 365 could not open or keep a connection to the recipient's server (4.4.31x): a network or server problem on the receiving side."),
        Some((4, 7)) => Some("Microsoft: the message expired in the queue — every retry failed until the time limit, usually because the receiving server was unreachable or kept deferring."),
        Some((4, 62)) => Some("Microsoft: mail was sent to the wrong Microsoft 365 region or tenant — a connector or MX misconfiguration."),
        Some((3, 2)) if basic == Some(421) => Some("Microsoft: too many concurrent connections from your server; open fewer connections at a time."),
        _ => None,
    }
}

/// Yahoo's sender hub error codes (senders.yahooinc.com/smtp-error-codes).
fn yahoo(lower: &str) -> Option<&'static str> {
    if lower.contains("[tss11]") {
        return Some("Yahoo: too many unknown recipients from this IP — clean your list; Yahoo suspects an open relay or a bad list.");
    }
    if lower.contains("[ts03]") || lower.contains("[tss09]") || lower.contains("permanently deferred") {
        return Some("Yahoo: all mail from this IP is being refused for now; retrying will not succeed until the IP's reputation recovers. Stop sending to Yahoo from it and look at complaints and list quality.");
    }
    if lower.contains("[tss04]")
        || lower.contains("[ts01]")
        || lower.contains("[ts02]")
        || lower.contains("temporarily deferred")
    {
        return Some("Yahoo is temporarily deferring mail from this IP because of unexpected volume or user complaints. Slow down, retry later, and remove recipients who complain or never engage.");
    }
    None
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
}
