//! One rule per cause. Each scores 0–100 from the findings and the reply; 0
//! means "nothing points here". A cause whose check came back clean is kept
//! with a low score and says so, so the person sees what was ruled out.

use super::facts::Facts;
use super::{Cause, CauseGroup, Confidence};
use crate::finding::Finding;
use crate::smtp::{Phase, Provider, Symptom};

use crate::check::derive::DnsCode;
use crate::dmarc::DmarcCode;
use crate::finding::Code;
use crate::mx::MxCode;
use crate::ptr::PtrCode;
use crate::spf::SpfCode;
use CauseGroup::{Network, SenderSide, ServerSide};

mod blocklists;
mod dkim;

struct Draft {
    cause: Cause,
    score: i32,
}

fn draft(id: &'static str, group: CauseGroup, title: &str) -> Draft {
    Draft {
        cause: Cause {
            id,
            group,
            title: title.to_string(),
            confidence: Confidence::Unlikely,
            score: 0,
            why: Vec::new(),
            finding_codes: Vec::new(),
            fix: Vec::new(),
        },
        score: 0,
    }
}

impl Draft {
    fn score(mut self, n: i32) -> Draft {
        self.score = self.score.max(n);
        self
    }

    fn add(mut self, n: i32) -> Draft {
        if self.score > 0 {
            self.score += n;
        }
        self
    }

    fn why(mut self, s: impl Into<String>) -> Draft {
        self.cause.why.push(s.into());
        self
    }

    fn findings(mut self, findings: &[&Finding]) -> Draft {
        for f in findings {
            if !self.cause.finding_codes.contains(&f.code) {
                self.cause.finding_codes.push(f.code);
                self.cause.why.push(f.message.clone());
            }
        }
        self
    }

    fn reply(mut self, facts: &Facts) -> Draft {
        if let Some(s) = facts.reply_says() {
            self.cause.why.push(s);
        }
        self
    }

    /// Adds steps, one per line of `steps`: one string per call rather than a
    /// slice of `&str` (8 bytes of pointer and length per step in the wasm;
    /// -412 gzip bytes, measured).
    fn fix(mut self, steps: &str) -> Draft {
        self.cause.fix.extend(steps.lines().map(String::from));
        self
    }

    fn fix_one(mut self, step: String) -> Draft {
        self.cause.fix.push(step);
        self
    }

    fn done(mut self) -> Cause {
        let score = u8::try_from(self.score.clamp(0, 100)).unwrap_or(0);
        self.cause.score = score;
        self.cause.confidence = Confidence::from_score(score);
        self.cause
    }
}

/// A clean check: keep the cause at "unlikely" and say what was checked.
fn ruled_out(d: Draft, ok: &[&Finding], what: &str) -> Draft {
    if ok.is_empty() || d.score > 0 {
        return d;
    }
    let mut d = d.score(10).why(format!("Checked: {what}."));
    for f in ok {
        if !d.cause.finding_codes.contains(&f.code) {
            d.cause.finding_codes.push(f.code);
        }
    }
    d
}

pub fn all(facts: &Facts) -> Vec<Cause> {
    vec![
        resolver_unreachable(facts),
        recipient_domain_missing(facts),
        recipient_no_mail_server(facts),
        recipient_mx_broken(facts),
        recipient_dns_failing(facts),
        recipient_server_busy(facts),
        greylisting(facts),
        recipient_mailbox(facts),
        tls_failure(facts),
        network_path(facts),
        path_mtu(facts),
        port_25_blocked(facts),
        smtp_inspection(facts),
        sending_rate(facts),
        reputation(facts),
        ptr(facts),
        spf(facts),
        dmarc(facts),
        dkim::dkim(facts),
        authentication_reported(facts),
        relay(facts),
        sender_domain_unroutable(facts),
        sender_dns_failing(facts),
        sender_too_slow(facts),
        recipient_authority_unreachable(facts),
        sender_authority_unreachable(facts),
    ]
    .into_iter()
    .map(Draft::done)
    .collect()
}

/// The page's own DNS resolver could not be reached: never the domain's fault.
fn resolver_unreachable(f: &Facts) -> Draft {
    let mut d = draft("resolver.unreachable", Network, "This page could not reach the DNS resolver");
    if f.resolver_unreachable() {
        let why = f.transport_error().unwrap_or("no answer");
        d = d
            .score(95)
            .why(format!("Every DNS question failed before reaching the resolver ({why}): nothing is known yet about the domains or your DNS."))
            .fix(
                "Check this device's connection. A VPN, proxy, firewall or content blocker may block DNS-over-HTTPS: pause it and check again.\n\
                 Choose another resolver in the form (Cloudflare, Google or your own DNS-over-HTTPS URL) and check again.\n\
                 Company and school networks often block DNS-over-HTTPS: try another network.",
            );
    } else if !f.unasked.is_empty() {
        d.cause.title = "Some questions did not reach the DNS resolver".into();
        d = d
            .score(30)
            .findings(&f.unasked)
            .why("Their answers are unknown, not missing: the connection to the resolver failed.")
            .fix("Check again; if the same questions fail, try another resolver or network.");
    }
    d
}

fn recipient_domain_missing(f: &Facts) -> Draft {
    let hits = f.recipient(&[Code::Mx(MxCode::Nxdomain)]);
    let mut d = draft("server.domain-missing", ServerSide, "The recipient domain does not exist");
    if !hits.is_empty() {
        d = d.score(95).findings(&hits).fix(
            "Check the recipient's address for typos: the domain after @ has no DNS at all.\n\
             If the domain is new or just renewed, ask its owner to check its registration and name servers.",
        );
    }
    d
}

fn recipient_no_mail_server(f: &Facts) -> Draft {
    let null = f.recipient(&[Code::Mx(MxCode::Null)]);
    let none = f.recipient(&[Code::Mx(MxCode::None)]);
    let implicit = f.recipient(&[Code::Mx(MxCode::NoneImplicit)]);
    let mut d = draft("server.no-mail-server", ServerSide, "The recipient domain has no mail server");
    if !null.is_empty() {
        d.cause.title = "The recipient domain says it accepts no mail (null MX)".into();
        d = d.score(95).findings(&null).fix("It publishes \"MX 0 .\" (RFC 7505): use another address for this person.");
    } else if !none.is_empty() {
        d = d.score(90).findings(&none).fix("No MX or address records: nothing can receive its mail. Tell the recipient another way; the domain's owner must add MX records.");
    } else if !implicit.is_empty() {
        d.cause.title = "The recipient domain has no MX record; mail goes to its web server's address".into();
        d = d.score(45).findings(&implicit).fix(
            "Senders then use its A/AAAA address (RFC 5321 §5.1), usually a web server without SMTP: connections time out or are refused.\n\
             The domain's owner should publish MX records for their mail provider.",
        );
    }
    d
}

fn recipient_mx_broken(f: &Facts) -> Draft {
    let hard = f.recipient(&[
        Code::Mx(MxCode::NoUsableTarget),
        Code::Mx(MxCode::TargetNxdomain),
        Code::Mx(MxCode::TargetNoAddress),
        Code::Mx(MxCode::TargetIpLiteral),
        Code::Mx(MxCode::TargetPrivate),
    ]);
    let soft = f.recipient(&[Code::Mx(MxCode::TargetCname), Code::Mx(MxCode::Duplicate), Code::Mx(MxCode::Single)]);
    let mut d =
        draft("server.mx-misconfigured", ServerSide, "The recipient's MX points at hosts that cannot be reached");
    if !hard.is_empty() {
        d = d.score(75).findings(&hard).findings(&soft).fix(
            "Tell the recipient (by phone or another address): their MX hosts have no usable public address.\n\
             Their DNS admin must point each MX at a name with public A/AAAA records (RFC 5321 §5.1; RFC 7505 for domains taking no mail).",
        );
    } else if soft.iter().any(|x| x.code == Code::Mx(MxCode::TargetCname)) {
        d.cause.title = "The recipient's MX points at an alias (CNAME)".into();
        d = d.score(30).findings(&soft).fix("RFC 2181 §10.3 forbids alias MX targets; some senders fail on them. Their DNS admin should point the MX at the canonical name.");
    }
    let ok: Vec<&Finding> = f.recipient(&[Code::Mx(MxCode::Ok)]);
    ruled_out(d, &ok, "the recipient's MX records and their hosts resolve")
}

fn recipient_dns_failing(f: &Facts) -> Draft {
    let hits = f.recipient(&[Code::Mx(MxCode::LookupFailed), Code::Mx(MxCode::TargetLookupFailed)]);
    let mut d = draft("server.dns-failing", ServerSide, "The recipient's DNS is failing to answer");
    if !hits.is_empty() {
        d = d.score(70).findings(&hits);
    }
    if f.symptom() == Some(Symptom::DnsFailure) || f.status(4, 3) {
        d = d.score(60).add(15).reply(f);
    }
    if d.score > 0 {
        d = d.fix(
            "Their name servers return errors (SERVFAIL, timeouts), so no one finds their mail server; mail flows once they answer.\n\
             Tell the recipient's IT another way; usual causes: broken DNSSEC or an expired domain.",
        );
    }
    d
}

fn recipient_server_busy(f: &Facts) -> Draft {
    let mut d = draft(
        "server.overloaded",
        ServerSide,
        "The recipient's mail server is down, overloaded or refusing connections",
    );
    let busy_words = f.says(
        "too many connections|server busy|try again later|service unavailable|\
         concurrent connections",
    );
    // "Try again later" under a security/policy status (Gmail's 421 4.7.0) is a
    // block of the sender, not a busy server.
    let busy_words = busy_words && !f.subject(7);
    if f.status(3, 2) || f.status(4, 5) || f.status(3, 1) || f.status_in(4, 310..=319) || busy_words {
        d = d.score(75).reply(f);
    } else if let (Some(via), Some(Phase::Connect)) = (f.sent_via(), f.phase()) {
        d = d.score(75).reply(f).why(format!(
            "{via} could not connect to their server. A big provider's port 25 is not blocked, so their server is down, overloaded or firewalled."
        ));
    } else if f.symptom() == Some(Symptom::ConnectionRefused) {
        d = d
            .score(70)
            .reply(f)
            .why("Connection refused: nothing takes mail on port 25; the mail service is down or blocks you.");
    } else if f.is_bad_connection() && !f.remote_spoke() {
        // Our MTA gave up waiting: the far end is slow, or something drops packets.
        d = d.score(match f.phase() {
            Some(Phase::Greeting) | Some(Phase::EndOfData) => 55,
            _ => 40,
        });
        d = d.reply(f);
        if let Some(p) = f.phase() {
            d = d.why(format!("Your server gave up waiting {}: the receiver was too slow.", p.describe()));
        }
    }
    if d.score > 0 {
        let single = f.recipient(&[Code::Mx(MxCode::Single)]);
        if !single.is_empty() {
            d = d.add(5).findings(&single);
        }
        d = d.fix(
            "Wait: your server retries deferred mail (typically for 4–5 days); most such deferrals clear within hours.\n\
             If it lasts, tell the recipient another way that their server times out or refuses connections.",
        );
    }
    d
}

fn greylisting(f: &Facts) -> Draft {
    let mut d = draft("server.greylisting", ServerSide, "The recipient greylists first-time senders");
    if f.says("greylist|graylist|grey-list|gray-list") {
        d = d
            .score(85)
            .reply(f)
            .fix("Nothing to fix: your server's retry, minutes later, gets through (every real mail server retries).");
    }
    d
}

fn recipient_mailbox(f: &Facts) -> Draft {
    let mut d = draft("server.recipient-mailbox", ServerSide, "The recipient's mailbox is full or receiving too fast");
    if f.status(2, 2) || f.status(2, 1) || f.says("mailbox full|over quota|quota exceeded") {
        d = d.score(80).reply(f).fix("Not your setup: your server retries. If urgent, tell the recipient another way; they may need to free space.");
    }
    d
}

fn tls_failure(f: &Facts) -> Draft {
    let mut d = draft("server.starttls", ServerSide, "STARTTLS fails between the two servers");
    let lost_in_tls = f.phase() == Some(Phase::StartTls) && f.is_bad_connection();
    if f.symptom() == Some(Symptom::TlsFailure) || lost_in_tls {
        d = d.score(if lost_in_tls { 65 } else { 60 }).reply(f).fix(
            "Test the TLS handshake (command below). Usual causes: an expired or mismatched certificate, or a firewall stripping STARTTLS.\n\
             If the receiver requires TLS, your server must offer it (Postfix: smtp_tls_security_level = may).",
        );
    }
    d
}

fn network_path(f: &Facts) -> Draft {
    let mut d =
        draft("network.path", Network, "Packet loss, congestion or a firewall on the path breaks the connection");
    if f.is_bad_connection() && !matches!(f.phase(), Some(Phase::Body) | Some(Phase::Connect)) {
        d = d.score(50).reply(f);
        if f.recipient_checked() && f.recipient(&mx_problems()).is_empty() {
            d = d.add(10).why("The recipient's MX records are fine: the problem is past DNS.");
        }
        d = d.fix(
            "Trace the route from your server to theirs (traceroute below): where do packets stop or times jump?\n\
             Check your firewall and NAT for idle timeouts shorter than SMTP needs (RFC 5321 §4.5.3.2 lets servers take up to 10 minutes per step).\n\
             If many destinations fail, ask your hosting provider or ISP about packet loss on their uplink.",
        );
    }
    d
}

fn path_mtu(f: &Facts) -> Draft {
    let mut d = draft("network.path-mtu", Network, "Large packets are lost on the way (path-MTU black hole)");
    let broke = matches!(f.symptom(), Some(Symptom::Timeout | Symptom::ConnectionLost)) || f.status(4, 2);
    match f.phase() {
        Some(Phase::Body) if broke => d = d.score(75),
        Some(Phase::EndOfData) if broke => d = d.score(45),
        _ if f.status(4, 2) && f.remote_spoke() => d = d.score(35),
        _ => {}
    }
    if d.score > 0 {
        d = d.reply(f).why("Short commands passed but the message (full-size packets) stalled: the path drops big packets and the ICMP \"fragmentation needed\" replies that would make your server shrink them.").fix(
            "Test with large unfragmentable pings and tracepath (commands below): if 1472-byte pings fail but small ones pass, the path MTU is below 1500.\n\
             Allow ICMP type 3 code 4 (\"fragmentation needed\") and ICMPv6 \"packet too big\" through your firewall, or clamp TCP MSS on your router (e.g. iptables --clamp-mss-to-pmtu).\n\
             To test, lower the sending server's interface MTU (e.g. to 1400) and retry the queue.",
        );
    }
    d
}

fn port_25_blocked(f: &Facts) -> Draft {
    let mut d = draft("network.port-25-blocked", Network, "Outbound port 25 is blocked by your ISP or a firewall");
    let connect_failed = f.phase() == Some(Phase::Connect)
        && matches!(f.symptom(), Some(Symptom::Timeout | Symptom::Unreachable | Symptom::ConnectionRefused));
    if (connect_failed || f.status(4, 1)) && f.sent_via().is_none() {
        d = d.score(if f.symptom() == Some(Symptom::ConnectionRefused) { 45 } else { 70 }).reply(f);
        if f.recipient_checked() && f.recipient(&mx_problems()).is_empty() {
            d = d.add(10).why("The recipient's MX hosts resolve, yet the TCP connection never opened.");
        }
        d = d.fix(
            "From your server, try port 25 on their MX and on a big provider (commands below). If all time out, your ISP or cloud host blocks it (most home ISPs; AWS/GCP/Azure by default).\n\
             Ask the provider to unblock port 25, or relay via an authenticated smarthost on port 587 (your provider's or a sending service).",
        );
    }
    d
}

fn smtp_inspection(f: &Facts) -> Draft {
    let mut d = draft("network.smtp-inspection", Network, "A firewall's SMTP inspection is breaking the conversation");
    if f.phase() == Some(Phase::Ehlo) && f.is_bad_connection() {
        d = d.score(65).reply(f).fix("SMTP \"fixup\"/ESMTP inspection (e.g. Cisco ASA) rewrites or drops EHLO and STARTTLS. If their banner shows asterisks (\"220 ****\"), turn it off on your firewall.");
    }
    d
}

fn sending_rate(f: &Facts) -> Draft {
    let mut d = draft("sender.rate-limited", SenderSide, "You are sending too fast: the receiver is throttling you");
    // Gmail's authentication codes say "rate limited because …" too
    // (4.7.26 unauthenticated, 4.7.27 SPF, 4.7.30 DKIM, 4.7.32 alignment,
    // 4.7.40 no DMARC): the cause is authentication, not volume.
    let auth_code = [26, 27, 30, 32, 40].iter().any(|&d| f.status(7, d));
    let words = !auth_code
        && f.says(
            "unusual rate|rate limit|rate-limit|throttl|too many messages|unexpected volume|\
             too fast|sending limit",
        );
    // The documented throttling codes only: Microsoft's 5.7.515 is
    // authentication and 5.7.606 a ban, not throttling.
    let documented = f.documented("4.7.500-699|4.7.650|RP-001|RP-002|RP-003|[TSS04]|[TS01]|[TS02]|4.7.28|5.7.28");
    if words || f.status(7, 28) || documented {
        d = d.score(85).reply(f).fix(
            "Slow down: fewer parallel connections and messages per connection to this provider (Postfix: a transport with smtp_destination_concurrency_limit = 2 and a rate delay).\n\
             Mail only people who asked for it, remove bounces and non-openers, and spread large sends over hours.\n\
             Watch the provider's sender tools (Google Postmaster Tools, Microsoft SNDS, Yahoo Sender Hub); ramp up volume slowly on new IPs.",
        );
    } else if f.is_bad_connection() && f.remote_spoke() && f.says("closing connection") {
        d = d.score(35).reply(f);
    }
    d
}

fn reputation(f: &Facts) -> Draft {
    let mut d = draft("sender.reputation", SenderSide, "Your IP or domain has a poor reputation or is on a blocklist");
    let words = f.says(
        "reputation|blocklist|blacklist|block list|spamhaus|blocked using|listed|complaints|\
         permanently deferred|[ts03]|[tss09]|suspicious",
    ) && !f.status(7, 24);
    let documented = f.documented(
        "5.7.606-649|SC-001|SC-002|SC-003|SC-004|DY-001|DY-002|OU-001|OU-002|[TS03]|[TSS09]|\
         [BL21]|[BL23]",
    );
    if words || documented {
        d = d.score(80).reply(f).fix(REPUTATION_LOOKUP).fix(REPUTATION_FIX);
    }
    blocklists::weigh(f, d)
}

/// The reputation cause's first step (the Blocklists check gives each list's removal page instead).
const REPUTATION_LOOKUP: &str = "Look up your sending IP on the major blocklists (command below); once the cause is fixed, follow each list's removal process.";

/// The reputation cause's other steps.
const REPUTATION_FIX: &str =
    "Find what hurt the reputation: a compromised account or form sending spam, a bought list, or a sudden volume spike.\n\
     Make SPF, DKIM and DMARC pass: providers weigh authenticated domain reputation heavily.";

/// PTR findings about the sending IP. The PTR check also covers the sender
/// domain's MX hosts; their reverse DNS is not what receivers judge (unless
/// they also send), so those findings do not count here. Findings name the
/// address in their message or carry its reverse lookup as evidence.
fn about_sending_ip<'a>(f: &Facts, findings: Vec<&'a Finding>) -> Vec<&'a Finding> {
    let Some(ip) = f.sending_ip() else { return Vec::new() };
    let text = ip.to_string();
    let reverse = crate::dns::reverse_name(ip);
    // A loop, not a filter chain collected: smaller in the wasm.
    let mut out = Vec::new();
    for x in findings {
        if x.message.contains(&text) || x.evidence.iter().any(|e| e.name.eq_ignore_ascii_case(&reverse)) {
            out.push(x);
        }
    }
    out
}

fn ptr(f: &Facts) -> Draft {
    let hits = about_sending_ip(
        f,
        f.sender(&[Code::Ptr(PtrCode::Missing), Code::Ptr(PtrCode::NotConfirmed), Code::Ptr(PtrCode::Generic)]),
    );
    let private = about_sending_ip(f, f.sender(&[Code::Ptr(PtrCode::PrivateIp)]));
    let mut d = draft("sender.ptr", SenderSide, "Your sending IP has no matching reverse DNS (PTR / FCrDNS)");
    let reply_points_here = f
        .says("ptr record|reverse dns|reverse lookup|rdns|fcrdns|client host rejected: cannot find your")
        || f.status(7, 25);
    if !hits.is_empty() {
        d = d.score(50).findings(&hits);
        if reply_points_here {
            d = d.score(90).reply(f);
        } else if f.is_bad_connection() && matches!(f.phase(), Some(Phase::Greeting) | None) {
            d = d.add(15).why("Many receivers slow down (tarpit) or drop connections from IPs without forward-confirmed reverse DNS: this looks like timeouts.");
        }
    } else if reply_points_here {
        d = d.score(75).reply(f);
    }
    if !private.is_empty() {
        // Name the address class as RFC 6890 does: a documentation address
        // (RFC 5737) is not a private one.
        let class = f.sending_ip().and_then(crate::ptr::special_range).map_or("not a public address", |r| r.describe());
        d = d.score(30).findings(&private).fix_one(format!(
            "The IP you gave is {class}; receivers see your server's public address. Find it (command below) and check that."
        ));
    }
    if d.score > 0 && private.is_empty() {
        let ip = f.sending_ip().map(|i| i.to_string()).unwrap_or_else(|| "your sending IP".into());
        d = d
            .fix_one(format!(
                "Ask the owner of {ip} (your hosting or cloud provider: reverse DNS is not in your zone) to set its PTR to your server's name, e.g. mail.{}.",
                f.input.sender_domain
            ))
            .fix(
                "Give that name an A (or AAAA) record pointing back to the same IP, so the pair is forward-confirmed.\n\
                 Use the same name as your server's HELO/EHLO name.",
            );
    }
    let ptr_checked =
        !about_sending_ip(f, f.input.sender_findings.iter().filter(|x| matches!(x.code, Code::Ptr(_))).collect())
            .is_empty();
    if !ptr_checked && f.sending_ip().is_none() && d.score == 0 && (reply_points_here || f.is_bad_connection()) {
        // Not a finding, a gap: say what would let us check.
        d = d
            .score(if reply_points_here { 35 } else { 20 })
            .why("We could not check reverse DNS: give your sending server's public IP.");
    }
    ruled_out(
        d,
        &about_sending_ip(f, f.sender(&[Code::Ptr(PtrCode::Ok)])),
        "your sending IP's reverse DNS is forward-confirmed",
    )
}

/// Findings that make receivers return permerror for the record.
pub(crate) const SPF_BROKEN: &[Code] = &[
    Code::Spf(SpfCode::Multiple),
    Code::Spf(SpfCode::Syntax),
    Code::Spf(SpfCode::Version),
    Code::Spf(SpfCode::TooManyLookups),
    Code::Spf(SpfCode::VoidLookups),
    Code::Spf(SpfCode::IncludeLoop),
    Code::Spf(SpfCode::IncludeNoSpf),
    Code::Spf(SpfCode::MxTooManyNames),
    Code::Spf(SpfCode::PtrTooManyNames),
    Code::Spf(SpfCode::BadCharacters),
    Code::Spf(SpfCode::DuplicateModifier),
    Code::Spf(SpfCode::RedirectNoSpf),
    Code::Spf(SpfCode::SenderPermerror),
];

fn auth_complaint(f: &Facts) -> bool {
    // X.7.25 is reverse DNS (the PTR rule's), not SPF/DKIM/DMARC.
    f.status_in(7, 20..=24)
        || f.status(7, 26)
        || f.status(7, 27)
        || f.status(7, 30)
        || f.status(7, 32)
        // Outlook.com's high-volume authentication (5.7.515) and DMARC reject
        // (5.7.509), Yahoo's unauthenticated / policy 5.7.9.
        || f.documented("5.7.515|5.7.509|5.7.9|4.7.40|4.7.31|5.7.40")
        || f.says("not authenticated|unauthenticated|authentication checks|spf|dkim|dmarc")
}

fn spf(f: &Facts) -> Draft {
    let broken = f.sender(SPF_BROKEN);
    let fail = f.sender(&[Code::Spf(SpfCode::SenderFail)]);
    let soft = f.sender(&[Code::Spf(SpfCode::SenderSoftfail), Code::Spf(SpfCode::SenderNeutral)]);
    let none = f.sender(&[Code::Spf(SpfCode::None), Code::Spf(SpfCode::Type99Only)]);
    let weak = f.sender(&[
        Code::Spf(SpfCode::AllPermissive),
        Code::Spf(SpfCode::NoAll),
        Code::Spf(SpfCode::Ptr),
        Code::Spf(SpfCode::RedirectIgnored),
    ]);
    let mut d = draft("sender.spf", SenderSide, "Your SPF record is missing, broken or does not list this server");
    if !fail.is_empty() {
        d = d.score(75).findings(&fail);
    }
    if !broken.is_empty() {
        d = d.score(60).findings(&broken);
    }
    if !soft.is_empty() {
        d = d.score(50).findings(&soft);
    }
    if !none.is_empty() {
        d = d.score(45).findings(&none);
    }
    if d.score > 0 && auth_complaint(f) {
        d = d.add(25).reply(f);
    }
    if d.score == 0 && !weak.is_empty() {
        d = d.score(20).findings(&weak);
    }
    if d.score > 0 {
        d = d.fix(
            "Publish one SPF record listing everything that sends as your domain. \"Do these, in this order\" has it, built from yours (or says why it cannot, and what to choose).\n\
             Receivers treat a broken SPF record (PermError, RFC 7208 §2.6.7) as none; Gmail and Yahoo defer or reject unauthenticated mail.",
        );
    }
    ruled_out(d, &f.sender(&[Code::Spf(SpfCode::Ok), Code::Spf(SpfCode::SenderPass)]), "your SPF record is valid")
}

fn dmarc(f: &Facts) -> Draft {
    let hits = f.sender(&[
        Code::Dmarc(DmarcCode::None),
        Code::Dmarc(DmarcCode::Multiple),
        Code::Dmarc(DmarcCode::Syntax),
        Code::Dmarc(DmarcCode::MissingP),
        Code::Dmarc(DmarcCode::PublicSuffix),
    ]);
    let mut d = draft("sender.dmarc", SenderSide, "Your domain has no valid DMARC record");
    if !hits.is_empty() {
        d = d.score(40).findings(&hits);
        if f.status(7, 32) || f.says("dmarc|not aligned|alignment") {
            d = d.add(40).reply(f);
        } else if matches!(f.provider(), Some(Provider::Gmail | Provider::Yahoo | Provider::Microsoft)) {
            d = d.add(10).why("Gmail, Yahoo and Microsoft require a DMARC record from bulk senders (since 2024–2025).");
        }
        d = d.fix("Publish a DMARC record at _dmarc with p=none and a rua address for reports (ready under \"Do these, in this order\"); once reports show all your mail passes, move to quarantine, then reject.");
    }
    ruled_out(
        d,
        &f.sender(&[Code::Dmarc(DmarcCode::Ok), Code::Dmarc(DmarcCode::Inherited)]),
        "your DMARC record is valid",
    )
}

fn authentication_reported(f: &Facts) -> Draft {
    let mut d =
        draft("sender.authentication", SenderSide, "The receiver says your mail is not authenticated (SPF/DKIM/DMARC)");
    if auth_complaint(f) && f.reply.is_some() {
        d = d.score(80).reply(f);
        // Once the DKIM check has run, its findings speak for themselves (the DKIM cause).
        if !f.input.sender_findings.iter().any(|x| matches!(x.code, Code::Dkim(_))) {
            d = d.why("DNS alone cannot check DKIM (the selector is in each message's signature): see a sent message's Authentication-Results header.");
        }
        d = d.fix(
            "Send a message to a Gmail address and use \"Show original\": SPF, DKIM and DMARC must each say PASS for your domain.\n\
             Turn on DKIM signing with your mail provider and publish its key; fix SPF and DMARC with the generators below.",
        );
    }
    d
}

fn relay(f: &Facts) -> Draft {
    let mut d = draft("sender.relay", SenderSide, "Your mail server or relay is misconfigured");
    if f.says(
        "relay access denied|relaying denied|relay not permitted|not permitted to relay|\
         authentication required|must authenticate|unable to relay|smarthost",
    ) || (f.status(7, 0) && f.says("auth"))
        || f.status(7, 8)
    {
        d = d.score(85).reply(f).fix(
            "Check your outgoing relay (smarthost) settings: host, port 587, STARTTLS, username and password.\n\
             Relaying via your provider? Use their documented submission host and authenticate; direct delivery from home or cloud IPs is often refused.",
        );
    }
    d
}

fn mx_problems() -> Vec<Code> {
    vec![
        Code::Mx(MxCode::Nxdomain),
        Code::Mx(MxCode::None),
        Code::Mx(MxCode::Null),
        Code::Mx(MxCode::LookupFailed),
        Code::Mx(MxCode::NoUsableTarget),
        Code::Mx(MxCode::TargetNxdomain),
        Code::Mx(MxCode::TargetNoAddress),
        Code::Mx(MxCode::TargetPrivate),
        Code::Mx(MxCode::TargetIpLiteral),
        Code::Mx(MxCode::TargetLookupFailed),
    ]
}

fn sender_domain_unroutable(f: &Facts) -> Draft {
    let hits = f.sender(&[
        Code::Mx(MxCode::Nxdomain),
        Code::Mx(MxCode::None),
        Code::Mx(MxCode::Null),
        Code::Mx(MxCode::NoUsableTarget),
    ]);
    let mut d = draft(
        "sender.domain-unroutable",
        SenderSide,
        "Your own domain cannot receive mail, so receivers distrust it as a sender",
    );
    // Yahoo checks the MAIL FROM and From domains with an SOA query
    // ("unresolvable RFC.5321 or RFC.5322 from domain").
    let reply = f.status(1, 8)
        || f.status(1, 7)
        || f.documented("SOA")
        || f.says("sender address rejected|sender domain|domain not found|unresolvable rfc.532");
    if !hits.is_empty() {
        d = d.score(if reply { 85 } else { 40 }).findings(&hits);
    } else if reply {
        d = d.score(65);
    }
    if reply {
        d = d.reply(f);
    }
    if d.score > 0 {
        d = d.fix("Receivers check that a sender's domain can take replies and bounces: publish MX records pointing at a working mail server.");
    }
    d
}

fn sender_dns_failing(f: &Facts) -> Draft {
    let hits = f.sender(&[
        Code::Spf(SpfCode::LookupFailed),
        Code::Spf(SpfCode::SenderTemperror),
        Code::Dmarc(DmarcCode::LookupFailed),
        Code::Mx(MxCode::LookupFailed),
        Code::Ptr(PtrCode::LookupFailed),
    ]);
    let mut d = draft("sender.dns-failing", SenderSide, "Your domain's DNS is failing to answer");
    if hits.is_empty() {
        return d;
    }
    let mut failed: Vec<String> = Vec::new();
    for h in &hits {
        let name = failed_lookup(h);
        if !failed.contains(&name) {
            failed.push(name);
        }
    }
    let list = failed.join(", ");
    // One failed question while the others answered is a hiccup to re-check,
    // not "your DNS is failing".
    let one_of_many = failed.len() == 1 && f.answered_lookups() >= 2;
    if one_of_many {
        d.cause.title = format!("One DNS lookup of your domain failed: {list}");
    }
    let score = match (f.status(4, 3), one_of_many) {
        (true, _) => 80,
        (false, true) => 30,
        (false, false) => 55,
    };
    let spf = hits.iter().any(|h| matches!(h.code, Code::Spf(_)));
    d.score(score)
        .findings(&hits)
        .fix_one(format!(
            "Receivers that cannot look up {list} get a temporary error and may defer your mail{}. Check that your name servers answer (dig +trace), then check again.",
            if spf { " (SPF: RFC 7208 §2.6.6 TempError)" } else { "" }
        ))
        .fix("Usual causes: a broken DNSSEC chain, a lapsed domain or an unreachable name server.")
}

/// The question a lookup-failed finding is about: "TXT _dmarc.shop.example"
/// from its evidence, or what its check looks up.
fn failed_lookup(f: &Finding) -> String {
    if let Some(e) = f.evidence.first() {
        return format!("{} {}", e.rtype, e.name);
    }
    match f.code {
        Code::Spf(_) => "your SPF record",
        Code::Dmarc(_) => "your DMARC record (_dmarc)",
        Code::Mx(_) => "your MX records",
        Code::Ptr(_) => "your sending IP's reverse DNS",
        _ => "a record of your domain",
    }
    .to_string()
}

fn sender_too_slow(f: &Facts) -> Draft {
    let mut d = draft("sender.too-slow", SenderSide, "Your server sends too slowly and the receiver gives up waiting");
    // The receiver itself said 4.4.2 (it timed out waiting for us), rather
    // than our MTA reporting that it timed out waiting for them.
    if f.status(4, 2) && f.remote_spoke() && f.symptom() != Some(Symptom::ConnectionLost) {
        d = d.score(45).reply(f).why("The receiving server itself answered 4.4.2: it timed out waiting for yours.").fix(
            "Look for delays on your side: content filters or milters holding the connection, a saturated upload link, or very large attachments.\n\
             Check your server's load and disk (uptime, iostat) when the deferrals happen.",
        );
    }
    d
}

/// The resolver's own words (RFC 8914 EDE 22 No Reachable Authority, 23
/// Network Error) or a DNSSEC validation failure: the domain's authoritative
/// servers cannot give an answer, for us and for every mail server alike.
const AUTHORITY_UNREACHABLE: &[Code] = &[Code::Dns(DnsCode::NoReachableAuthority), Code::Dns(DnsCode::DnssecBogus)];

fn recipient_authority_unreachable(f: &Facts) -> Draft {
    let hits = f.recipient(AUTHORITY_UNREACHABLE);
    let mut d = draft(
        "server.authority-unreachable",
        ServerSide,
        "The recipient domain's name servers cannot be reached (or its DNSSEC is broken)",
    );
    if !hits.is_empty() {
        // A sending MTA that cannot resolve the MX defers with 4.4.3 / 4.4.2 and retries.
        let score = if f.is_bad_connection() || f.status(4, 3) { 90 } else { 80 };
        d = d.score(score).findings(&hits).fix(
            "Until the recipient's name servers answer (with valid DNSSEC, if signed), senders cannot find where to deliver and defer the mail.\n\
             Tell the recipient's IT another way: their name servers (or DS record at their registrar) need fixing; dig +trace shows where the chain breaks.",
        );
    }
    d
}

fn sender_authority_unreachable(f: &Facts) -> Draft {
    let hits = f.sender(AUTHORITY_UNREACHABLE);
    let mut d = draft(
        "sender.authority-unreachable",
        SenderSide,
        "Your domain's name servers cannot be reached (or its DNSSEC is broken)",
    );
    if !hits.is_empty() {
        d = d.score(if f.is_bad_connection() || f.status(4, 3) { 85 } else { 70 }).findings(&hits).fix(
            "Until they answer (with valid DNSSEC, if signed), receivers cannot look up your SPF, DKIM or MX records and defer your mail.\n\
             Check that each name server answers (dig @ns1.your-host your-domain SOA) and the DS record at your registrar matches your zone's keys (dig +trace or DNSViz).",
        );
    }
    d
}
