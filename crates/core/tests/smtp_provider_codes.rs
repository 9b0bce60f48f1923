//! The Gmail, Outlook.com and Yahoo code tables (issue 15 §2), each row a
//! reply in the provider's own words read end to end: the provider meaning
//! must quote the provider's wording for that exact code and reply class.
//!
//! Sources (wording checked 2026-12-05):
//! - Gmail: https://support.google.com/a/answer/3726730 ("Last updated
//!   2026-02-12"), 2026-02-15 capture in github.com/azumakuniyuki/feb-2024-no-auth-no-entry;
//!   4.7.31 from the FAQ https://support.google.com/a/answer/14229414.
//! - Outlook.com: https://sendersupport.olc.protection.outlook.com/pm/troubleshooting
//!   (2025-12-03 capture, its "SMTP Error Codes" table); 5.7.509/5.7.606: the Exchange Online NDR reference,
//!   https://learn.microsoft.com/exchange/mail-flow-best-practices/non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online
//! - Yahoo: https://senders.yahooinc.com/smtp-error-codes/ (2026-02-15 capture:
//!   categories and the SOA check); the bracket codes' and 5.7.9's words as Yahoo
//!   sends them (../shared/reference/email-requirements-2026.md §2; 550 5.7.9 seen 2025).

use maildoctor_core::input::NativeIdna;
use maildoctor_core::smtp::{parse_reply, Provider};

/// (provider, the reply as the provider sends it, official words the meaning must quote)
const ROWS: &[(Provider, &str, &str)] = &[
    (Provider::Gmail, "450 4.2.1 The user you are trying to contact is receiving email at a rate that prevents additional messages from being delivered. - gsmtp", "receiving email at a rate that prevents additional messages"),
    (Provider::Gmail, "550 5.2.1 The email account that you tried to reach is inactive. For more information, go to https://support.google.com/mail/?p=DisabledUser - gsmtp", "The email account that you tried to reach is inactive."),
    (Provider::Gmail, "451 4.4.2 Timeout - closing connection. - gsmtp", "Timeout - closing connection."),
    (Provider::Gmail, "451 4.7.23 The sending IP address for this message doesn't have a PTR record, or the PTR record's forward DNS entry doesn't match the sending IP address. - gsmtp", "doesn't have a PTR record, or the PTR record's forward DNS entry doesn't match"),
    (Provider::Gmail, "421 4.7.23 The sending IP address for this message doesn't have a PTR record. - gsmtp", "doesn't have a PTR record, or the PTR record's forward DNS entry doesn't match"),
    (Provider::Gmail, "550 5.7.25 This message was blocked because the sending IP address doesn't have a PTR record. - gsmtp", "This message was blocked because the sending IP address doesn't have a PTR record"),
    (Provider::Gmail, "451 4.7.24 The SPF record of the sending domain has one or more suspicious entries. - gsmtp", "The SPF record of the sending domain has one or more suspicious entries."),
    (Provider::Gmail, "550 5.7.24 The SPF record of the sending domain has one or more suspicious entries. - gsmtp", "The SPF record of the sending domain has one or more suspicious entries."),
    (Provider::Gmail, "421 4.7.26 This email has been rate limited because it is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp", "rate limited because it is unauthenticated"),
    (Provider::Gmail, "451 4.7.26 Unauthenticated email from sender.example is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. - gsmtp", "temporary DNS failures prevent authentication"),
    (Provider::Gmail, "550 5.7.26 This email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp", "blocked because the sender is unauthenticated"),
    (Provider::Gmail, "550 5.7.26 The MAIL FROM domain [sender.example] has an SPF record with a hard fail policy (-all) but it fails to pass SPF checks with the ip: [203.0.113.5]. - gsmtp", "hard fail policy (-all)"),
    (Provider::Gmail, "550 5.7.26 Unauthenticated email from sender.example is not accepted due to domain's DMARC policy. - gsmtp", "not accepted due to domain's DMARC policy."),
    (Provider::Gmail, "421 4.7.27 Your email has been rate limited because SPF authentication didn't pass for this message. - gsmtp", "SPF authentication didn't pass"),
    (Provider::Gmail, "550 5.7.27 This message was blocked because it didn't pass SPF authentication. - gsmtp", "didn't pass SPF authentication"),
    (Provider::Gmail, "421 4.7.28 Gmail has detected an unusual rate of email originating from your IP address 203.0.113.5. - gsmtp", "unusual rate of email originating from your IP address"),
    (Provider::Gmail, "550 5.7.28 There is an unusual rate of unsolicited email originating from your IP address. - gsmtp", "There is an unusual rate of unsolicited email originating from your IP address."),
    (Provider::Gmail, "421 4.7.29 Your email has been rate limited because you're not using a TLS connection. - gsmtp", "you're not using a TLS connection"),
    (Provider::Gmail, "550 5.7.29 This message was blocked because it wasn't sent over a TLS connection. - gsmtp", "wasn't sent over a TLS connection"),
    (Provider::Gmail, "421 4.7.30 Your email has been rate limited because DKIM authentication didn't pass for this message. - gsmtp", "DKIM authentication didn't pass"),
    (Provider::Gmail, "550 5.7.30 This message was blocked because it didn't pass DKIM authentication. - gsmtp", "didn't pass DKIM authentication"),
    (Provider::Gmail, "421 4.7.40 Your email has been rate limited because the sending domain doesn't have a DMARC record. - gsmtp", "doesn't have a DMARC record"),
    (Provider::Gmail, "421 4.7.31 Your email has been rate limited because the sending domain doesn't have a DMARC record. - gsmtp", "doesn't have a DMARC record"),
    (Provider::Gmail, "550 5.7.40 Your message was blocked because the sending domain doesn't have a DMARC record. - gsmtp", "blocked because the sending domain doesn't have a DMARC record"),
    (Provider::Gmail, "421 4.7.32 Your email has been rate limited because the From: header (RFC5322) in this message isn't aligned with either the authenticated SPF or DKIM organizational domain. - gsmtp", "isn't aligned with either the authenticated SPF or DKIM organizational domain"),
    (Provider::Gmail, "550 5.7.32 Your email was blocked because the From: header (RFC5322) in this message isn't aligned. - gsmtp", "Your email was blocked because the From: header"),
    (Provider::Gmail, "550 5.7.1 This message does not meet IPv6 sending guidelines regarding PTR records and authentication. - gsmtp", "IPv6 sending guidelines"),
    (Provider::Microsoft, "550 5.7.515 Access denied, sending domain sender.example does not meet the required authentication level. [BN1PEPF00004686.namprd05.prod.outlook.com]", "Messages from domains sending over 5,000 emails per day to Outlook.com accounts must be authenticated with SPF, DKIM, and DMARC (p=none or p=reject) to be accepted."),
    (Provider::Microsoft, "550 5.7.509 Access denied, sending domain sender.example does not pass DMARC verification and has a DMARC policy of reject. [CO1PEPF000044EF.namprd05.prod.outlook.com]", "does not pass DMARC verification and has a DMARC policy of reject."),
    (Provider::Microsoft, "550 5.7.606 Access denied, banned sending IP [203.0.113.182]. [VE1EUR02FT006.eop-EUR02.prod.protection.outlook.com]", "Access denied, banned sending IP"),
    (Provider::Microsoft, "451 4.7.650 The mail server [203.0.113.9] has been temporarily rate limited due to IP reputation. [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]", "temporarily rate limited due to IP reputation"),
    (Provider::Microsoft, "421 RP-001 (COL004-MC1F23) Unfortunately, some messages from 203.0.113.9 weren't sent. Please try again. [hotmail-com.olc.protection.outlook.com]", "has exceeded the rate limit allowed. Reason for rate limitation is related to IP/domain reputation."),
    (Provider::Microsoft, "421 RP-003 (COL004-MC1F23) Unfortunately, some messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "has exceeded the connection limit allowed."),
    (Provider::Microsoft, "550 SC-001 (SNT004-MC4F53) Unfortunately, messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "Reasons for rejection may be related to content with spam-like characteristics or IP/domain reputation."),
    (Provider::Microsoft, "550 SC-002 (SNT004-MC4F53) Unfortunately, messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "has exhibited namespace mining behavior."),
    (Provider::Microsoft, "550 SC-004 (SNT004-MC4F53) Unfortunately, messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "we have received complaints concerning mail coming from that IP address."),
    (Provider::Microsoft, "550 DY-001 (SNT004-MC4F53) Unfortunately, messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "We generally do not accept email from dynamic IP's"),
    (Provider::Microsoft, "550 OU-001 (SNT004-MC4F53) Unfortunately, messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "For more information about this block and to request removal please go to: Spamhaus."),
    (Provider::Microsoft, "421 RP-002 (COL004-MC1F23) Unfortunately, some messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "has exceeded the rate limit allowed on this connection."),
    (Provider::Microsoft, "550 SC-003 (SNT004-MC4F53) Unfortunately, messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "Your IP address appears to be an open proxy/relay."),
    (Provider::Microsoft, "550 DY-002 (SNT004-MC4F53) Unfortunately, messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "The likely cause is a compromised or virus infected server/personal computer."),
    (Provider::Microsoft, "550 OU-002 (SNT004-MC4F53) Unfortunately, messages from 203.0.113.9 weren't sent. [hotmail-com.olc.protection.outlook.com]", "Reasons for rejection may be related to content with spam-like characteristics"),
    (Provider::Gmail, "421 4.7.0 Try again later, closing connection. (EHLO) - gsmtp", "Try again later, closing connection."),
    (Provider::Yahoo, "host mta6.am0.yahoodns.net[67.195.204.77] said: 451 Message temporarily deferred due to unresolvable RFC.5321 from domain; see https://senders.yahooinc.com/error-codes (in reply to MAIL FROM command)", "We determine if the domain name exists by using an SOA query."),
    (Provider::Yahoo, "421 4.7.0 [TSS04] Messages from 203.0.113.8 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "temporarily deferred due to unexpected volume or user complaints"),
    (Provider::Yahoo, "421 4.7.0 [TS01] Messages from 203.0.113.8 temporarily deferred - 4.16.56.1; see https://postmaster.yahooinc.com/error-codes", "temporarily deferred."),
    (Provider::Yahoo, "421 4.7.1 [TS03] All messages from 203.0.113.8 will be permanently deferred; Retrying will NOT succeed. See https://postmaster.yahooinc.com/error-codes", "permanently deferred."),
    (Provider::Yahoo, "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.9, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes", "The ip is in Spamhaus's list."),
    (Provider::Yahoo, "553 5.7.1 [BL23] Connections not accepted from IP addresses on Spamhaus XBL; see https://postmaster.yahooinc.com/error-codes", "The ip is in Spamhaus's list."),
    (Provider::Yahoo, "host mta6.am0.yahoodns.net[67.195.204.77] said: 550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM. (in reply to end of DATA command)", "Yahoo requires all senders to authenticate with either SPF or DKIM."),
    (Provider::Yahoo, "host mta6.am0.yahoodns.net[67.195.204.77] said: 554 5.7.9 Message not accepted for policy reasons.  See https://senders.yahooinc.com/error-codes (in reply to end of DATA command)", "Message not accepted for policy reasons."),
];

#[test]
fn official_wording_for_each_documented_code() {
    for (provider, reply, official) in ROWS {
        let r = parse_reply(reply, &NativeIdna).unwrap_or_else(|e| panic!("{reply}: {e}"));
        assert_eq!(r.provider, Some(*provider), "{reply}");
        let meaning = r.provider_meaning.unwrap_or_default();
        assert!(meaning.contains(official), "{reply}\n  meaning: {meaning}\n  wanted: {official}");
    }
}

#[test]
fn the_class_digit_and_full_code_decide() {
    let meaning = |reply: &str| parse_reply(reply, &NativeIdna).unwrap().provider_meaning.unwrap_or_default();
    // Gmail: same subject and detail, different class, different meaning.
    assert!(meaning("450 4.2.1 try later - gsmtp").contains("too fast"));
    assert!(!meaning("550 5.2.1 The email account that you tried to reach is inactive. - gsmtp").contains("too fast"));
    // Microsoft: only class 4 X.7.5xx–6xx is throttling.
    let host = "[BN1PEPF00004686.namprd05.prod.outlook.com]";
    assert!(meaning(&format!("451 4.7.500 Server busy, please try again later. {host}"))
        .contains("is throttling the sending IP"));
    for code in ["550 5.7.515", "550 5.7.509", "550 5.7.606", "550 5.7.620", "550 5.7.699"] {
        assert!(!meaning(&format!("{code} Access denied. {host}")).contains("is throttling the sending IP"), "{code}");
    }
    // A 504 5.7.40 is Gmail's "Unrecognized authentication type", not the DMARC rule.
    assert!(!meaning("504 5.7.40 Unrecognized authentication type. - gsmtp").contains("DMARC"));
}
