//! What Gmail, Microsoft and Yahoo document a reply to mean, keyed by the
//! full code: the reply code's class digit and the whole enhanced status.
//! `450 4.2.1` (recipient receiving too fast) and `550 5.2.1` (account
//! inactive) share a subject and detail but not a meaning; `5.7.515`
//! (authentication) is not the `4.7.5xx` throttling.
//!
//! Each entry keeps the provider's own wording (abridged, quoted as
//! written) next to our advice, and each table names its page and the date
//! the wording was checked.

use super::provider::Provider;
use super::status::EnhancedStatus;

/// One documented meaning.
#[derive(Debug, Clone, Copy)]
pub struct CodeMeaning {
    /// The reply code the page gives, when the meaning depends on it.
    pub basic: Option<u16>,
    /// `4.7.26`, a range `5.7.606-649`, or a provider code in the text (`RP-001`, `[TSS04]`).
    pub code: &'static str,
    /// Words (lower case) that pick this entry among several for one code.
    pub when: Option<&'static str>,
    /// The provider's own wording.
    pub official: &'static str,
    /// What it means for the sender, in our words.
    pub advice: &'static str,
}

/// A table of meanings written as `m(basic, code, when, official, advice)` entries,
/// stored as one string: a line per entry, its fields separated by `|` (`None`
/// as an empty field). A slice of [`CodeMeaning`] cost 36 bytes of pointers,
/// lengths and reply code per entry in the wasm (-1 019 gzip bytes, measured).
macro_rules! table {
    ($(m($basic:ident $(($n:literal))?, $code:literal, $when:ident $(($w:literal))?, $official:literal, $advice:literal $(,)?)),* $(,)?) => {
        concat!($($($n,)? "|", $code, "|", $($w,)? "|", $official, "|", $advice, "\n"),*)
    };
}

/// The entries of a table, in order.
fn entries(table: &'static str) -> impl Iterator<Item = CodeMeaning> {
    table.lines().filter_map(|line| {
        let mut field = line.split('|');
        let (basic, code, when, official, advice) =
            (field.next()?, field.next()?, field.next()?, field.next()?, field.next()?);
        Some(CodeMeaning {
            basic: basic.parse().ok(),
            code,
            when: Some(when).filter(|w| !w.is_empty()),
            official,
            advice,
        })
    })
}

/// Google, "Gmail SMTP errors and codes", https://support.google.com/a/answer/3726730
/// ("Last updated 2026-02-12"), read in the 2026-02-15 capture of
/// github.com/azumakuniyuki/feb-2024-no-auth-no-entry; checked 2026-12-05.
/// `4.7.31` is the older name the FAQ (https://support.google.com/a/answer/14229414,
/// 2026-03-11 capture) still gives the missing-DMARC deferral.
pub const GMAIL: &str = table![
    m(Some(450), "4.2.1", None, "The user you are trying to contact is receiving email at a rate that prevents additional messages from being delivered. Please resend your message at a later time.", "The recipient is getting mail too fast; retry later. Your setup is fine."),
    m(Some(550), "5.2.1", Some("at a rate"), "The user you are trying to contact is receiving email at a rate that prevents additional messages from being delivered.", "The recipient is getting mail too fast and Gmail refused this message; send it again later."),
    m(Some(550), "5.2.1", None, "The email account that you tried to reach is inactive.", "The account is disabled or inactive: retrying will not help; remove the address from your list."),
    m(Some(452), "4.2.2", None, "The recipient's inbox is out of storage space.", "The recipient's mailbox is over quota; Gmail defers until they free space. Your setup is fine."),
    m(Some(552), "5.2.2", None, "The recipient's inbox is out of storage space and inactive.", "The recipient's mailbox is full and unused: stop mailing it."),
    m(Some(550), "5.1.1", None, "The email account that you tried to reach does not exist.", "No such address at Gmail: check it for typos; if it is right, remove it."),
    m(Some(451), "4.4.2", None, "Timeout - closing connection.", "Gmail timed out the connection: your server was too slow between commands or sending the message."),
    m(Some(421), "4.4.5", None, "Server busy, try again later.", "Gmail's servers are busy; your server retries on its own."),
    m(Some(421), "4.7.0", Some("ptr record"), "The IP address sending this message does not have a PTR record, or the corresponding forward DNS entry does not point to the sending IP.", "Gmail requires forward-confirmed reverse DNS: the IP has no PTR record, or its name does not resolve back to it."),
    m(Some(421), "4.7.0", Some("reputation of the sending domain"), "This message is suspicious due to the very low reputation of the sending domain.", "Gmail blocked it: very low sending-domain reputation. Check Google Postmaster Tools; fix authentication before sending more."),
    m(Some(421), "4.7.0", Some("reputation of the sending ip"), "This message is suspicious due to the very low reputation of the sending IP address.", "Gmail rate-limits your sending IP: very low reputation. Check Google Postmaster Tools and slow down."),
    m(Some(421), "4.7.0", Some("tls required"), "TLS required for RCPT domain, closing connection.", "Gmail requires TLS for this mail: offer STARTTLS with a valid certificate."),
    m(Some(421), "4.7.0", None, "Try again later, closing connection.", "Gmail's generic temporary block (\"try again later, closing connection\"): usually the IP's reputation or a burst of suspicious traffic; per Google, also denial-of-service protection at HELO."),
    // The table has 421 and 451; the page prints 451: any reply code.
    m(None, "4.7.23", None, "The sending IP address for this message doesn't have a PTR record, or the PTR record's forward DNS entry doesn't match the sending IP address.", "Gmail rate-limits IPs without forward-confirmed reverse DNS: publish a PTR whose name resolves back to the IP."),
    m(Some(550), "5.7.25", None, "This message was blocked because the sending IP address doesn't have a PTR record, or the forwarding DNS entry doesn't reference the sending IP address.", "Gmail blocked it: the sending IP has no PTR (reverse DNS) record, or it does not resolve back to the IP."),
    m(Some(451), "4.7.24", None, "The SPF record of the sending domain has one or more suspicious entries.", "Gmail rate-limits it for suspicious SPF entries: check the record with the SPF checker (over-broad ranges, too many lookups)."),
    m(Some(550), "5.7.24", None, "The SPF record of the sending domain has one or more suspicious entries.", "Gmail blocked it: the domain's SPF record has suspicious entries. Fix the SPF record."),
    m(Some(451), "4.7.26", None, "Unauthenticated email from domain-name is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication.", "DNS failures kept Gmail from checking SPF/DKIM, and DMARC rejects unauthenticated mail: make the domain's DNS answer reliably."),
    m(Some(421), "4.7.26", None, "This email has been rate limited because it is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.", "Gmail: neither SPF nor DKIM passed. Publish SPF and sign with DKIM."),
    m(Some(550), "5.7.26", Some("-all"), "The (E)MAIL FROM domain [domain-name] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [ip-address].", "Gmail blocked it: SPF fails under -all. Add the sending server to the envelope domain's SPF record."),
    m(Some(550), "5.7.26", Some("dmarc policy"), "Unauthenticated email from domain-name is not accepted due to domain's DMARC policy.", "Gmail blocked it under the From domain's DMARC policy: align SPF or DKIM with the From domain."),
    m(Some(550), "5.7.26", None, "This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.", "Gmail: neither SPF nor DKIM passed. Publish SPF and sign with DKIM."),
    m(Some(421), "4.7.27", None, "Your email has been rate limited because SPF authentication didn't pass for this message.", "Gmail: SPF did not pass. Add the sending server to the domain's SPF record."),
    m(Some(550), "5.7.27", None, "This message was blocked because it didn't pass SPF authentication.", "Gmail: SPF did not pass. Add the sending server to the domain's SPF record."),
    m(Some(421), "4.7.28", Some("dkim domain"), "Gmail has detected an unusual rate of unsolicited email originating from your DKIM domain domain-name.", "Gmail rate-limits mail signed by your DKIM domain for too much unsolicited mail. Slow down, review who you mail; Google Postmaster Tools shows the domain's reputation."),
    m(Some(421), "4.7.28", Some("spf domain"), "Gmail has detected an unusual rate of unsolicited email originating from your SPF domain domain-name.", "Gmail rate-limits your SPF (envelope) domain for too much unsolicited mail. Slow down and review who you mail."),
    m(Some(421), "4.7.28", Some("url domain"), "Gmail has detected an unusual rate of unsolicited email containing one of your URL domains.", "Gmail limits mail containing one of your URL domains, seen in unsolicited mail."),
    m(Some(421), "4.7.28", Some("netblock"), "Gmail has detected an unusual rate of unsolicited email originating from your IP Netblock ip-address.", "Gmail rate-limits your IP netblock for too much unsolicited mail."),
    m(Some(421), "4.7.28", None, "Gmail has detected an unusual rate of email originating from your IP address ip-address.", "Gmail rate-limits your sending IP for too much unsolicited mail. Slow down, mail only people who asked, and watch Google Postmaster Tools."),
    m(Some(550), "5.7.28", None, "There is an unusual rate of unsolicited email originating from your IP address.", "Gmail blocked your sending IP for too much unsolicited mail."),
    m(Some(421), "4.7.29", None, "Your email has been rate limited because you're not using a TLS connection.", "Gmail requires bulk senders to use TLS: offer STARTTLS with a valid certificate."),
    m(Some(550), "5.7.29", None, "This message was blocked because it wasn't sent over a TLS connection.", "Gmail requires bulk senders to use TLS: offer STARTTLS with a valid certificate."),
    m(Some(421), "4.7.30", None, "Your email has been rate limited because DKIM authentication didn't pass for this message.", "Gmail: DKIM did not pass. Sign mail with a DKIM key published in DNS."),
    m(Some(550), "5.7.30", None, "This message was blocked because it didn't pass DKIM authentication.", "Gmail: DKIM did not pass. Sign mail with a DKIM key published in DNS."),
    m(Some(421), "4.7.40", None, "Your email has been rate limited because the sending domain doesn't have a DMARC record, or the DMARC record doesn't specify a DMARC policy.", "Gmail requires bulk senders to publish a DMARC policy (p=none is enough)."),
    m(Some(421), "4.7.31", None, "Your email has been rate limited because the sending domain doesn't have a DMARC record, or the DMARC record doesn't specify a DMARC policy.", "Gmail requires bulk senders to publish a DMARC policy (p=none is enough)."),
    m(Some(550), "5.7.40", None, "Your message was blocked because the sending domain doesn't have a DMARC record or the DMARC record doesn't specify a DMARC policy.", "Gmail requires bulk senders to publish a DMARC policy (p=none is enough)."),
    m(Some(421), "4.7.32", None, "Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.", "Gmail: DMARC fails, as the From domain aligns with neither SPF nor DKIM. Sign with its DKIM key or use an aligned envelope domain."),
    // The page prints 421 before 5.7.32, probably a typo: match any reply code.
    m(None, "5.7.32", None, "Your email was blocked because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain.", "Gmail: DMARC fails, as the From domain aligns with neither SPF nor DKIM. Sign with its DKIM key or use an aligned envelope domain."),
    m(Some(550), "5.7.1", Some("ipv6 sending guidelines"), "This message does not meet IPv6 sending guidelines regarding PTR records and authentication.", "Gmail's stricter IPv6 rules: a PTR record for the IPv6 address, and SPF or DKIM passing."),
    m(Some(550), "5.7.1", Some("reputation of the sending domain"), "This message is likely suspicious due to the very low reputation of the sending domain.", "Gmail blocked it: the sending domain's reputation is very low. Check Google Postmaster Tools."),
    m(Some(550), "5.7.1", Some("reputation of the sending ip"), "This message is likely suspicious due to the very low reputation of the sending IP address.", "Gmail blocked it: the sending IP's reputation is very low. Check Google Postmaster Tools."),
    m(Some(550), "5.7.1", Some("likely unsolicited"), "This message is likely unsolicited email. To reduce the amount of spam sent to Gmail, this message has been blocked.", "Gmail's spam filter refused this message; review content and list hygiene."),
];

/// Microsoft. 5.7.515 and the RP/SC/DY/OU codes: the Outlook.com postmaster
/// troubleshooting page's "SMTP Error Codes" table (its first sentences, as
/// written), https://sendersupport.olc.protection.outlook.com/pm/troubleshooting
/// (2025-12-03 capture in github.com/azumakuniyuki/feb-2024-no-auth-no-entry,
/// checked 2026-12-05); the reply itself reads "Access denied, sending domain
/// [SendingDomain] does not meet the required authentication level."
/// (support.microsoft.com, "Fix NDR error 550 5.7.515"). The other enhanced codes: "Email non-delivery
/// reports and SMTP errors in Exchange Online",
/// https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online
/// (checked 2026-12-05 against the replies the page documents).
///
/// Exchange Online wording verified 2026-12-05: 5.7.509, 5.7.606-649,
/// 5.7.501-503, 4.7.500-699, 4.4.316 and 4.4.7 against
/// that learn.microsoft.com page's source (MicrosoftDocs/OfficeDocs-Exchange,
/// Exchange/ExchangeOnline/mail-flow-best-practices/non-delivery-reports-in-exchange-online/
/// non-delivery-reports-in-exchange-online.md, read in the fork
/// x13-me/OfficeDocs-Exchange at 040dec762345021ee42dafaf443d1bda0d46f413) and
/// fix-error-code-451-4-7-500-699-asxxx-in-exchange-online.md ("IP
/// throttling"). Not on Microsoft's pages: 4.7.650 (its text is as
/// Outlook.com's replies print it), 4.4.310-319, 4.4.62 and 421 4.3.2 (the
/// page lists 432 4.3.2, a recipient thread limit).
pub const MICROSOFT: &str = table![
    m(Some(550), "5.7.515", None, "Mail rejected by Outlook.com for policy reasons. Messages from domains sending over 5,000 emails per day to Outlook.com accounts must be authenticated with SPF, DKIM, and DMARC (p=none or p=reject) to be accepted.", "Outlook.com requires domains sending over 5,000 messages a day to its consumer addresses to pass SPF, DKIM and DMARC (at least p=none, aligned with SPF or DKIM); this sender failed. Not throttling: fix authentication, then resend."),
    m(Some(550), "5.7.509", None, "Access denied, sending domain [SendingDomain] does not pass DMARC verification and has a DMARC policy of reject.", "It failed DMARC for the From domain (p=reject), so Microsoft rejected it: align SPF or DKIM with the From domain. Not throttling."),
    m(Some(550), "5.7.606-649", None, "Access denied, banned sending IP [IP1].", "Microsoft banned the sending IP: request delisting at https://sender.office.com; retrying fails until then. Not throttling."),
    m(Some(550), "5.7.501-503", None, "Access denied, spam abuse detected.", "Microsoft 365 banned the sending account for spam (5.7.502-503: \"banned sender\"), usually a compromised one: secure it, reset its credentials, then ask Microsoft support to restore sending."),
    m(Some(451), "4.7.650", None, "The mail server [IP] has been temporarily rate limited due to IP reputation.", "Microsoft rate-limits the sending IP for its reputation (often a new or cold IP). Ramp up slowly; Microsoft SNDS shows how it sees the IP."),
    m(None, "4.7.500-699", None, "Access denied, please try again later.", "Microsoft is throttling the sending IP (ASxxx codes): a sudden pattern change, or little history. Ramp volume up over days; it clears as history builds."),
    m(None, "4.4.316", None, "Connection refused.", "The recipient's server refused Microsoft 365's connection: a problem at that server or its network."),
    m(None, "4.4.310-319", None, "Connection to the destination failed.", "Microsoft 365 could not open or keep a connection to the recipient's server (4.4.31x): a receiving-side network or server problem."),
    m(None, "4.4.7", None, "Message expired.", "Microsoft: every retry failed until the message expired in the queue, usually as the receiving server was unreachable or kept deferring."),
    m(None, "4.4.62", None, "Mail sent to the wrong Office 365 region.", "Microsoft: mail went to the wrong Microsoft 365 region or tenant — a connector or MX misconfiguration."),
    m(Some(421), "4.3.2", None, "Service not available.", "Microsoft: too many concurrent connections from your server; open fewer connections at a time."),
    m(Some(421), "RP-001", None, "The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed. Reason for rate limitation is related to IP/domain reputation.", "Outlook.com rate-limits the sending IP for its reputation: slow down and check Microsoft SNDS."),
    m(Some(421), "RP-002", None, "The mail server IP connecting to Outlook.com server has exceeded the rate limit allowed on this connection. Reason for rate limitation is related to IP/domain reputation.", "Outlook.com rate-limits for the sending domain's reputation: slow down and review complaints."),
    m(Some(421), "RP-003", None, "The mail server IP connecting to Outlook.com server has exceeded the connection limit allowed. Reason for limitation is related to IP/domain reputation.", "Outlook.com limits how many connections your IP may open: open fewer at a time."),
    m(Some(550), "SC-001", None, "Mail rejected by Outlook.com for policy reasons. Reasons for rejection may be related to content with spam-like characteristics or IP/domain reputation.", "Outlook.com blocked this IP for content or reputation; request delisting at https://sender.office.com."),
    m(Some(550), "SC-002", None, "Mail rejected by Outlook.com for policy reasons. The mail server IP connecting to Outlook.com has exhibited namespace mining behavior.", "Outlook.com saw many unknown recipients from this IP (namespace mining): clean your list."),
    m(Some(550), "SC-003", None, "Mail rejected by Outlook.com for policy reasons. Your IP address appears to be an open proxy/relay.", "Outlook.com thinks the sending IP is an open proxy or relay: close it."),
    m(Some(550), "SC-004", None, "Mail rejected by Outlook.com for policy reasons. A block has been placed against your IP address because we have received complaints concerning mail coming from that IP address.", "Outlook.com users complained about mail from this IP: join JMRP/SNDS and remove complainers."),
    m(Some(550), "DY-001", None, "Mail rejected by Outlook.com for policy reasons. We generally do not accept email from dynamic IP's as they are not typically used to deliver unauthenticated SMTP email to an Internet mail server.", "Outlook.com does not take mail straight from dynamic (residential) IPs: send through your provider's relay."),
    m(Some(550), "DY-002", None, "Mail rejected by Outlook.com for policy reasons. The likely cause is a compromised or virus infected server/personal computer.", "Outlook.com thinks the sending host is compromised: check it for malware or abuse."),
    m(Some(550), "OU-001", None, "Mail rejected by Outlook.com for policy reasons. … For more information about this block and to request removal please go to: Spamhaus.", "The sending IP is on a Spamhaus list: delist it there first."),
    m(Some(550), "OU-002", None, "Mail rejected by Outlook.com for policy reasons. Reasons for rejection may be related to content with spam-like characteristics or IP/domain reputation.", "Outlook.com blocked mail for its content or the sender's reputation."),
];

/// Yahoo, "SMTP Error Codes", https://senders.yahooinc.com/smtp-error-codes/
/// (2026-02-15 capture in github.com/azumakuniyuki/feb-2024-no-auth-no-entry,
/// checked 2026-12-05). That page documents categories, not reply strings:
/// "Message temporarily deferred (eg: TS* Errors)", "Your IP is listed by
/// Spamhaus", authentication failures, and "Unresolvable RFC.5321 or RFC.5322
/// from domain" ("We determine if the domain name exists by using an SOA
/// query … returned as either a timeout/servfail (451) or a permfail (554)").
/// The `official` strings of the bracket codes and 5.7.9 are Yahoo's replies
/// as quoted in ../shared/reference/email-requirements-2026.md §2 (`550 5.7.9`
/// as seen in 2025: voxmail.it, autospf.com, secondary sources).
pub const YAHOO: &str = table![
    m(None, "[TSS11]", None, "Excessive unknown recipients.", "Yahoo: too many unknown recipients from this IP (suspected open relay or bad list): clean your list."),
    m(None, "[TS03]", None, "Messages from x.x.x.x permanently deferred.", "Yahoo refuses all mail from this IP until its reputation recovers; retrying won't help. Stop sending to Yahoo from it; check complaints and list quality."),
    m(None, "[TSS09]", None, "All messages from x.x.x.x will be permanently deferred.", "Yahoo refuses all mail from this IP until its reputation recovers; retrying won't help. Stop sending to Yahoo from it; check complaints and list quality."),
    m(None, "[TSS04]", None, "Messages from x.x.x.x temporarily deferred due to unexpected volume or user complaints.", "Yahoo defers this IP for unexpected volume or user complaints. Slow down, retry later, and drop recipients who complain or never engage."),
    m(None, "[TS01]", None, "Messages from x.x.x.x temporarily deferred.", "Yahoo defers this IP for unexpected volume or user complaints. Slow down, retry later, and drop recipients who complain or never engage."),
    m(None, "[TS02]", None, "Messages from x.x.x.x temporarily deferred.", "Yahoo defers this IP for unexpected volume or user complaints. Slow down, retry later, and drop recipients who complain or never engage."),
    m(Some(553), "[BL21]", None, "The ip is in Spamhaus's list.", "The sending IP is on a Spamhaus block list: delist it there, then retry."),
    m(Some(553), "[BL23]", None, "The ip is in Spamhaus's list.", "The sending IP is on a Spamhaus block list: delist it there, then retry."),
    m(Some(550), "5.7.9", None, "This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.", "Yahoo: neither SPF nor DKIM passed. Publish SPF and sign with DKIM."),
    m(Some(554), "5.7.9", None, "Message not accepted for policy reasons.", "Yahoo refused it under the From domain's DMARC policy: align SPF or DKIM with the From domain."),
    // Matched by its words (`when`), with or without an enhanced code.
    m(None, "SOA", Some("unresolvable rfc.532"), "Unresolvable RFC.5321 or RFC.5322 from domain. We determine if the domain name exists by using an SOA query.", "Yahoo could not confirm your MAIL FROM or From domain exists (it queries SOA). Every (sub)domain you send from must resolve, with an SOA at or above it (a wildcard A or MX is not enough); 451 is a DNS timeout or SERVFAIL, 554 no such domain."),
];

/// Does `code` (`4.7.26` or `4.7.500-699`) cover this status?
fn covers(code: &str, e: EnhancedStatus) -> bool {
    let (head, max) = match code.split_once('-') {
        Some((h, m)) => (h, m.parse::<u16>().ok()),
        None => (code, None),
    };
    let Ok(low) = head.parse::<EnhancedStatus>() else { return false };
    let high = max.unwrap_or(low.detail);
    low.class == e.class && low.subject == e.subject && (low.detail..=high).contains(&e.detail)
}

/// The documented meaning of this reply, if the provider documents it.
pub fn lookup(
    provider: Provider,
    basic: Option<u16>,
    enhanced: Option<EnhancedStatus>,
    lower: &str,
) -> Option<CodeMeaning> {
    let table = match provider {
        Provider::Gmail => GMAIL,
        Provider::Microsoft => MICROSOFT,
        Provider::Yahoo => YAHOO,
        _ => return None,
    };
    // Provider codes in the words ([TSS04], RP-001) are the most specific;
    // an entry named by its words alone (Yahoo's SOA check) is matched by them.
    let by_word = entries(table).filter(|c| !c.code.starts_with(|d: char| d.is_ascii_digit())).find(|c| {
        let marker = match (c.code.starts_with('[') || c.code.as_bytes().get(2) == Some(&b'-'), c.when) {
            (true, _) => c.code.to_ascii_lowercase(),
            (false, Some(w)) => w.to_string(),
            (false, None) => return false,
        };
        lower.contains(&marker) && c.basic.is_none_or(|b| basic.is_none_or(|x| x == b))
    });
    by_word.or_else(|| {
        let e = enhanced?;
        entries(table).find(|c| {
            covers(c.code, e)
                && c.basic.is_none_or(|b| basic.is_none_or(|x| x == b))
                && c.when.is_none_or(|w| lower.contains(w))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_its_five_fields() {
        for table in [GMAIL, MICROSOFT, YAHOO] {
            for line in table.lines() {
                assert_eq!(line.matches('|').count(), 4, "{line}");
            }
            assert_eq!(entries(table).count(), table.lines().count());
        }
        assert_eq!(entries(GMAIL).count(), 43);
        let first = entries(GMAIL).next().unwrap();
        assert_eq!((first.basic, first.code, first.when), (Some(450), "4.2.1", None));
        let second = entries(GMAIL).nth(1).unwrap();
        assert_eq!((second.basic, second.code, second.when), (Some(550), "5.2.1", Some("at a rate")));
    }

    #[test]
    fn ranges_and_classes() {
        let e = |s: &str| s.parse::<EnhancedStatus>().unwrap();
        assert!(covers("5.7.606-649", e("5.7.606")) && covers("5.7.606-649", e("5.7.649")));
        assert!(!covers("4.7.500-699", e("5.7.515")));
        assert!(!covers("4.2.1", e("5.2.1")));
    }
}
