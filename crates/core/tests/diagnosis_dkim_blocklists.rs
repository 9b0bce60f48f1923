//! The DKIM cause and the blocklist part of the reputation cause, over the
//! real checks: `check_dkim` and `check_blocklists` run against in-memory
//! zones, then the diagnosis reads their findings with the pasted reply
//! (Gmail 4.7.26 / 4.7.30, Outlook.com 5.7.515, a Spamhaus rejection).

use std::net::IpAddr;

use futures::executor::block_on;
use maildoctor_core::blocklist::{check_blocklists, BlocklistTargets, MxHostTarget};
use maildoctor_core::diagnosis::{diagnose, Cause, Confidence, Diagnosis, DiagnosisInput};
use maildoctor_core::dkim::check_dkim;
use maildoctor_core::dns::{Lookup, MemoryResolver, Outcome, RData, Record, RecordType, Resolver};
use maildoctor_core::finding::{Code, Finding};
use maildoctor_core::input::NativeIdna;
use maildoctor_core::smtp::parse_reply;

const SPKI_512: &str = include_str!("data/dkim/spki512.b64");
const SPKI_1024: &str = include_str!("data/dkim/spki1024.b64");
const SPKI_2048: &str = include_str!("data/dkim/spki2048.b64");

/// Gmail, support.google.com/a/answer/3726730 (updated 2026-02-12), as a server prints it.
const GMAIL_DKIM: &str = "421-4.7.30 This message does not pass DKIM authentication. Gmail requires all\n421-4.7.30 bulk email senders to authenticate with DKIM. To learn more, go to\n421 4.7.30 https://support.google.com/mail/answer/81126 d9443c01a7336-2f1 - gsmtp";
const GMAIL_UNAUTH: &str = "421-4.7.26 This mail has been rate limited because it is unauthenticated.\n421-4.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.\n421 4.7.26 https://support.google.com/mail/answer/81126 - gsmtp";
const GMAIL_DMARC_DNS: &str = "451 4.7.26 Unauthenticated email from shop.test is not accepted due to domain's DMARC policy, but temporary DNS failures prevent authentication. - gsmtp";
/// Outlook.com, sendersupport.olc.protection.outlook.com/pm/troubleshooting (read 2025-12-03).
const OUTLOOK_515: &str =
    "550 5.7.515 Access denied, sending domain shop.test does not meet the required authentication level.";
/// Yahoo 550 5.7.9, unauthenticated (seen 2025; the reference's secondary sources), as Postfix logs it.
const YAHOO_UNAUTH: &str = "postfix/smtp[9]: 1A2B: to=<carol@yahoo.com>, relay=mta7.am0.yahoodns.net[67.195.204.77]:25, dsn=5.7.9, status=bounced (host mta7.am0.yahoodns.net[67.195.204.77] said: 550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM. (in reply to end of DATA command))";
const SPAMHAUS_REJECT: &str =
    "554 5.7.1 Service unavailable; Client host [81.2.69.160] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/81.2.69.160";

/// A TXT line with the record split into 255-octet strings, as published.
fn txt(name: &str, record: &str) -> String {
    let strings: Vec<String> =
        record.as_bytes().chunks(255).map(|c| format!("\"{}\"", String::from_utf8_lossy(c))).collect();
    format!("{name} TXT {}\n", strings.join(" "))
}

/// One domain per DKIM situation.
fn dkim_zone() -> String {
    let key = |k: &str| format!("v=DKIM1; k=rsa; p={k}");
    let mut z = String::new();
    z += &txt("google._domainkey.good.test", &key(SPKI_2048));
    z += &txt("mail._domainkey.minimum.test", &key(SPKI_1024));
    z += &txt("default._domainkey.weak.test", &key(SPKI_512));
    z += &txt("s1._domainkey.mixed.test", &key(SPKI_512));
    z += &txt("google._domainkey.mixed.test", &key(SPKI_2048));
    z += &txt("s1._domainkey.revoked.test", "v=DKIM1; p=");
    z += &txt("k1._domainkey.testing.test", &format!("v=DKIM1; t=y; p={SPKI_2048}"));
    z += "nokey.test MX 10 mx.nokey.test\n";
    z
}

/// Answers every otherwise unknown TXT name under `_domainkey.wild.test`
/// with one record, as a `*._domainkey` wildcard would (MemoryResolver
/// stores `*` as a literal label).
struct Wildcard(MemoryResolver);

impl Resolver for Wildcard {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let l = self.0.lookup(name, rtype).await;
        if l.outcome == Outcome::NxDomain && name.ends_with("._domainkey.wild.test") && rtype == RecordType::Txt {
            let data = RData::Txt(vec![format!("v=DKIM1; p={SPKI_2048}").into_bytes()]);
            let record = Record { name: name.to_string(), ttl: 300, data };
            return Lookup::new(name, rtype, Outcome::Records(vec![record]));
        }
        l
    }
}

fn dkim_findings(domain: &str, given: &[&str]) -> Vec<Finding> {
    let resolver = Wildcard(MemoryResolver::from_zone_text(&dkim_zone()).unwrap());
    let given: Vec<String> = given.iter().map(|s| s.to_string()).collect();
    block_on(check_dkim(&resolver, domain, &given)).findings
}

fn diagnosis(sender: &[Finding], ip: Option<&str>, reply: &str) -> Diagnosis {
    let reply = (!reply.is_empty()).then(|| parse_reply(reply, &NativeIdna).unwrap());
    diagnose(&DiagnosisInput {
        sender_domain: "shop.test",
        sender_findings: sender,
        recipient_domain: None,
        recipient_findings: &[],
        recipient_mx_hosts: &[],
        sending_ip: ip.map(|s| s.parse::<IpAddr>().unwrap()),
        reply: reply.as_ref(),
        // The in-memory resolver never fails to be reached: no lookup says "offline".
        lookups: &[],
    })
}

/// The cause rests on the finding code written `code` (which must be one the checks have).
fn cites(c: &Cause, code: &str) -> bool {
    let code: Code = code.parse().unwrap_or_else(|_| panic!("{code} is not a finding code"));
    c.finding_codes.contains(&code)
}

fn cause<'a>(d: &'a Diagnosis, id: &str) -> Option<&'a Cause> {
    d.cause(id)
}

struct DkimCase {
    name: &'static str,
    domain: &'static str,
    given: &'static [&'static str],
    reply: &'static str,
    /// `None`: the DKIM cause must not be listed at all.
    confidence: Option<Confidence>,
    cites: &'static [&'static str],
    /// A phrase one of the cause's reasons must contain.
    why: &'static str,
}

const DKIM_CASES: &[DkimCase] = &[
    DkimCase {
        name: "nothing found among the probed selectors, Gmail says DKIM did not pass",
        domain: "nokey.test",
        given: &[],
        reply: GMAIL_DKIM,
        confidence: Some(Confidence::Likely),
        cites: &["dkim.no-key-found"],
        why: "No DKIM key found among the",
    },
    DkimCase {
        name: "nothing found, no reply: unlikely (selectors cannot be listed)",
        domain: "nokey.test",
        given: &[],
        reply: "",
        confidence: Some(Confidence::Unlikely),
        cites: &["dkim.no-key-found"],
        why: "DNS cannot list selectors",
    },
    DkimCase {
        name: "nothing found, Outlook.com 5.7.515 requires DKIM of high-volume senders",
        domain: "nokey.test",
        given: &[],
        reply: OUTLOOK_515,
        confidence: Some(Confidence::Likely),
        cites: &["dkim.no-key-found"],
        why: "5.7.515",
    },
    DkimCase {
        name: "nothing found, Gmail 451 4.7.26 is a DNS failure, not missing DKIM",
        domain: "nokey.test",
        given: &[],
        reply: GMAIL_DMARC_DNS,
        confidence: Some(Confidence::Unlikely),
        cites: &["dkim.no-key-found"],
        why: "No DKIM key found",
    },
    DkimCase {
        name: "a 512-bit key, Outlook.com 5.7.515",
        domain: "weak.test",
        given: &[],
        reply: OUTLOOK_515,
        confidence: Some(Confidence::Likely),
        cites: &["dkim.key-too-short"],
        why: "512-bit",
    },
    DkimCase {
        name: "a 512-bit key and no reply: possible",
        domain: "weak.test",
        given: &[],
        reply: "",
        confidence: Some(Confidence::Possible),
        cites: &["dkim.key-too-short"],
        why: "512-bit",
    },
    DkimCase {
        name: "a 512-bit key beside a good one: only mail signed with it fails",
        domain: "mixed.test",
        given: &[],
        reply: "",
        confidence: Some(Confidence::Possible),
        cites: &["dkim.key-too-short"],
        why: "only mail signed with the broken one fails",
    },
    DkimCase {
        name: "a revoked key and nothing else, Gmail 4.7.26 unauthenticated",
        domain: "revoked.test",
        given: &[],
        reply: GMAIL_UNAUTH,
        confidence: Some(Confidence::Possible),
        cites: &["dkim.revoked"],
        why: "revoked",
    },
    DkimCase {
        // "SPF or DKIM": DKIM is one way out, so the weaker weight, although the words name DKIM.
        name: "a revoked key and nothing else, Yahoo 5.7.9 unauthenticated",
        domain: "revoked.test",
        given: &[],
        reply: YAHOO_UNAUTH,
        confidence: Some(Confidence::Possible),
        cites: &["dkim.revoked"],
        why: "Yahoo requires",
    },
    DkimCase {
        name: "a key in testing mode, Gmail 4.7.30",
        domain: "testing.test",
        given: &[],
        reply: GMAIL_DKIM,
        confidence: Some(Confidence::Likely),
        cites: &["dkim.testing"],
        why: "t=y",
    },
    DkimCase {
        name: "a wildcard under _domainkey, Gmail 4.7.30",
        domain: "wild.test",
        given: &[],
        reply: GMAIL_DKIM,
        confidence: Some(Confidence::Likely),
        cites: &["dkim.wildcard"],
        why: "wildcard",
    },
    DkimCase {
        name: "a 2048-bit key and no reply: ruled out, and says what was checked",
        domain: "good.test",
        given: &[],
        reply: "",
        confidence: Some(Confidence::Unlikely),
        cites: &["dkim.key-ok"],
        why: "Checked: a DKIM key receivers accept",
    },
    DkimCase {
        name: "a 2048-bit key, yet Gmail says DKIM did not pass: another selector or a changed message",
        domain: "good.test",
        given: &[],
        reply: GMAIL_DKIM,
        confidence: Some(Confidence::Possible),
        cites: &["dkim.key-ok"],
        why: "another selector",
    },
    DkimCase {
        name: "a 1024-bit key (Gmail's minimum) found via the given selector: ruled out",
        domain: "minimum.test",
        given: &["mail"],
        reply: "",
        confidence: Some(Confidence::Unlikely),
        cites: &["dkim.key-1024"],
        why: "Checked:",
    },
];

#[test]
fn dkim_cause_table() {
    for case in DKIM_CASES {
        let findings = dkim_findings(case.domain, case.given);
        let d = diagnosis(&findings, None, case.reply);
        let c = cause(&d, "sender.dkim");
        match (case.confidence, c) {
            (None, None) => {}
            (None, Some(c)) => panic!("{}: unexpected cause {c:?}", case.name),
            (Some(_), None) => panic!("{}: no DKIM cause in {:?}", case.name, d.causes),
            (Some(want), Some(c)) => {
                assert_eq!(c.confidence, want, "{}: {c:?}", case.name);
                for code in case.cites {
                    assert!(cites(c, code), "{}: {code} not cited in {c:?}", case.name);
                }
                assert!(
                    c.why.iter().any(|w| w.contains(case.why)),
                    "{}: no reason with {:?} in {c:?}",
                    case.name,
                    case.why
                );
            }
        }
    }
}

#[test]
fn a_broken_key_with_a_dkim_reply_tops_the_list() {
    let d = diagnosis(&dkim_findings("weak.test", &[]), None, OUTLOOK_515);
    let c = cause(&d, "sender.dkim").unwrap();
    assert!(c.score >= 90, "{c:?}");
    assert_eq!(d.causes[0].id, "sender.dkim", "{:?}", d.causes);
    assert!(c.fix.iter().any(|s| s.contains("2048-bit")), "{c:?}");
}

#[test]
fn no_key_found_is_worded_as_among_the_probed_selectors() {
    let d = diagnosis(&dkim_findings("nokey.test", &[]), None, GMAIL_DKIM);
    // Gmail's "rate limited because DKIM did not pass" is about DKIM, not volume.
    assert_eq!(d.causes[0].id, "sender.dkim", "{:?}", d.causes);
    assert!(cause(&d, "sender.rate-limited").is_none(), "{:?}", d.causes);
    let c = cause(&d, "sender.dkim").unwrap();
    assert_eq!(c.title, "No DKIM key found for your domain");
    assert!(c.why.iter().any(|w| w.contains("There may still be DKIM")), "{c:?}");
    assert!(c.fix.iter().any(|s| s.contains("s= (selector)")), "{c:?}");
}

#[test]
fn once_dkim_was_checked_the_authentication_cause_stops_saying_it_cannot_be() {
    let said = |findings: &[Finding]| {
        let d = diagnosis(findings, None, GMAIL_UNAUTH);
        let c = cause(&d, "sender.authentication").unwrap().clone();
        c.why.iter().any(|w| w.contains("DNS alone cannot check DKIM"))
    };
    assert!(said(&[]));
    assert!(!said(&dkim_findings("good.test", &[])));
    assert!(!said(&dkim_findings("nokey.test", &[])));
}

/// The sender 81.2.69.160 (SpamCop lists it in `LISTED`), its domain shop.test,
/// and one MX host mx.shop.test at 81.2.69.161.
const BLOCKLISTS: &str = "
; Spamhaus ZEN and DBL refuse public resolvers: every answer is 127.255.255.254.
2.0.0.127.zen.spamhaus.org       A 127.255.255.254
160.69.2.81.zen.spamhaus.org     A 127.255.255.254
161.69.2.81.zen.spamhaus.org     A 127.255.255.254
dbltest.com.dbl.spamhaus.org     A 127.255.255.254
shop.test.dbl.spamhaus.org       A 127.255.255.254
mx.shop.test.dbl.spamhaus.org    A 127.255.255.254
; SpamCop and UCEPROTECT 1: healthy.
2.0.0.127.bl.spamcop.net         A 127.0.0.2
2.0.0.127.dnsbl-1.uceprotect.net A 127.0.0.2
; SURBL: healthy.
test.surbl.org.multi.surbl.org   A 127.0.0.254
; URIBL refuses.
test.uribl.com.multi.uribl.com   A 127.0.0.1
";

fn blocklist_findings(extra: &str, sending_ip: Option<&str>) -> Vec<Finding> {
    let r = MemoryResolver::from_zone_text(&format!("{BLOCKLISTS}\n{extra}")).unwrap();
    let targets = BlocklistTargets {
        sending_ip: sending_ip.map(|s| s.parse().unwrap()),
        mx_hosts: vec![MxHostTarget { name: "mx.shop.test".into(), addresses: vec!["81.2.69.161".parse().unwrap()] }],
        domains: vec!["shop.test".into()],
    };
    block_on(check_blocklists(&r, &targets)).findings
}

const SENDER: &str = "81.2.69.160";

#[test]
fn a_listed_sending_ip_is_a_likely_reputation_cause_with_the_removal_page() {
    let findings = blocklist_findings("160.69.2.81.bl.spamcop.net A 127.0.0.2", Some(SENDER));
    let d = diagnosis(&findings, Some(SENDER), "");
    let c = cause(&d, "sender.reputation").unwrap();
    assert_eq!(c.confidence, Confidence::Likely, "{c:?}");
    assert_eq!(c.score, 85);
    assert!(cites(c, "blocklist.listed"));
    assert!(c.why.iter().any(|w| w.contains("81.2.69.160") && w.contains("SpamCop")), "{c:?}");
    assert!(c.fix.iter().any(|s| s.contains("https://www.spamcop.net/bl.shtml")), "{c:?}");
    assert!(c.fix.iter().any(|s| s.contains("compromised account")), "the general steps too: {c:?}");
    // Spamhaus refused this resolver: named as not asked, never as listed or clean.
    assert!(!c.fix.iter().any(|s| s.contains("spamhaus")), "{c:?}");
    let not_asked = c.why.iter().find(|w| w.starts_with("Could not ask")).unwrap();
    assert!(not_asked.contains("Spamhaus ZEN") && not_asked.contains("neither listed nor clean"), "{not_asked}");
    assert_eq!(d.causes[0].id, "sender.reputation");
}

#[test]
fn a_listing_the_reply_also_names_ranks_higher() {
    let findings = blocklist_findings("160.69.2.81.bl.spamcop.net A 127.0.0.2", Some(SENDER));
    let reply = "550 5.7.1 Service unavailable; client [81.2.69.160] blocked using bl.spamcop.net";
    let c = cause(&diagnosis(&findings, Some(SENDER), reply), "sender.reputation").unwrap().clone();
    assert_eq!(c.score, 95, "{c:?}");
}

#[test]
fn a_listed_domain_is_likely() {
    let findings = blocklist_findings("shop.test.multi.surbl.org A 127.0.0.64", Some(SENDER));
    let c = cause(&diagnosis(&findings, Some(SENDER), ""), "sender.reputation").unwrap().clone();
    assert_eq!(c.score, 80, "{c:?}");
    assert!(c.fix.iter().any(|s| s.contains("SURBL multi") && s.contains("https://www.surbl.org/")), "{c:?}");
}

#[test]
fn a_listed_mx_address_counts_less_than_the_sending_server() {
    let mx_listed = "161.69.2.81.bl.spamcop.net A 127.0.0.2";
    // The person named another sending server: the MX host's listing matters
    // only if it sends too.
    let c = cause(&diagnosis(&blocklist_findings(mx_listed, Some(SENDER)), Some(SENDER), ""), "sender.reputation")
        .unwrap()
        .clone();
    assert_eq!((c.score, c.confidence), (35, Confidence::Possible), "{c:?}");
    // No sending server given: the MX host often is it.
    let c = cause(&diagnosis(&blocklist_findings(mx_listed, None), None, ""), "sender.reputation").unwrap().clone();
    assert_eq!((c.score, c.confidence), (50, Confidence::Possible), "{c:?}");
}

#[test]
fn not_listed_where_we_could_ask_is_weak_evidence_only() {
    let findings = blocklist_findings("", Some(SENDER));
    // No reply: kept as "unlikely", saying what was checked.
    let d = diagnosis(&findings, Some(SENDER), "");
    let c = cause(&d, "sender.reputation").unwrap();
    assert_eq!(c.confidence, Confidence::Unlikely, "{c:?}");
    assert!(c.why.iter().any(|w| w.contains("weak evidence")), "{c:?}");
    // The reply blames Spamhaus, which refused this page: still likely, the
    // refusal named, the clean lists only a little weight against.
    let d = diagnosis(&findings, Some(SENDER), SPAMHAUS_REJECT);
    let c = cause(&d, "sender.reputation").unwrap();
    assert_eq!((c.score, c.confidence), (75, Confidence::Likely), "{c:?}");
    assert!(c.why.iter().any(|w| w.starts_with("Could not ask") && w.contains("Spamhaus ZEN")), "{c:?}");
    assert!(c.why.iter().any(|w| w.contains("weak evidence")), "{c:?}");
    assert!(!cites(c, "blocklist.listed"));
}

#[test]
fn lists_that_could_not_be_asked_are_never_clean() {
    // Every list refuses or is unusable: nothing cleared the sender, so the
    // diagnosis neither raises nor rules out reputation.
    let r = MemoryResolver::from_zone_text(
        "2.0.0.127.zen.spamhaus.org A 127.255.255.254\n160.69.2.81.zen.spamhaus.org A 127.255.255.254",
    )
    .unwrap();
    let targets = BlocklistTargets { sending_ip: Some(SENDER.parse().unwrap()), mx_hosts: vec![], domains: vec![] };
    let findings = block_on(check_blocklists(&r, &targets)).findings;
    let d = diagnosis(&findings, Some(SENDER), "");
    assert!(cause(&d, "sender.reputation").is_none(), "{:?}", d.causes);
}
