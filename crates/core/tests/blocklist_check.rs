//! The blocklist check against zone data: a listed IP, an unlisted one,
//! Spamhaus refusing, a list whose test entry fails, a list that times out,
//! a SERVFAIL, and addresses that must never be sent.

use std::net::{IpAddr, Ipv4Addr};

use futures::executor::block_on;
use maildoctor_core::blocklist::answer::answer_addresses;
use maildoctor_core::blocklist::check::row_lookup;
use maildoctor_core::blocklist::{
    check_blocklists, plan, BlocklistReport, BlocklistTargets, MxHostTarget, ProbeHealth, State,
};
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::finding::{Check, Severity};

/// Sender 81.2.69.160; MX mx.shop.test at 81.2.69.161, 2a02:898:0:20::1 and
/// two addresses that must never be sent (documentation, private).
const ZONE: &str = "
; Spamhaus ZEN and DBL answer every query through a public resolver with 127.255.255.254.
2.0.0.127.zen.spamhaus.org       A 127.255.255.254
160.69.2.81.zen.spamhaus.org     A 127.255.255.254
dbltest.com.dbl.spamhaus.org     A 127.255.255.254
; SpamCop: healthy; the sender is listed, the MX host is not.
2.0.0.127.bl.spamcop.net         A 127.0.0.2
160.69.2.81.bl.spamcop.net       A 127.0.0.2
; Barracuda: this resolver is not registered, nothing answers (test entry NXDOMAIN).
; UCEPROTECT 1: healthy, nothing listed.
2.0.0.127.dnsbl-1.uceprotect.net A 127.0.0.2
; PSBL: its must-not-be-listed test entry is listed: the list answers 'listed' to everything.
2.0.0.127.psbl.surriel.com       A 127.0.0.2
1.0.0.127.psbl.surriel.com       A 127.0.0.2
160.69.2.81.psbl.surriel.com     A 127.0.0.2
161.69.2.81.psbl.surriel.com     A 127.0.0.2
; Mailspike: times out.
2.0.0.127.bl.mailspike.net       FAULT timeout
; S5H: healthy, but the question about the sender fails.
2.0.0.127.all.s5h.net            A 127.0.0.2
160.69.2.81.all.s5h.net          FAULT servfail
; SURBL: healthy, the domain is not listed.
test.surbl.org.multi.surbl.org   A 127.0.0.254
; URIBL refuses: 127.0.0.1 'Query Refused'.
test.uribl.com.multi.uribl.com   A 127.0.0.1
";

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn targets() -> BlocklistTargets {
    BlocklistTargets {
        sending_ip: Some(ip("81.2.69.160")),
        mx_hosts: vec![MxHostTarget {
            name: "mx.shop.test".into(),
            addresses: vec![ip("81.2.69.161"), ip("2a02:898:0:20::1"), ip("203.0.113.5"), ip("192.168.1.20")],
        }],
        domains: vec!["shop.test".into()],
    }
}

fn run() -> (BlocklistReport, MemoryResolver) {
    let r = MemoryResolver::from_zone_text(ZONE).unwrap();
    let report = block_on(check_blocklists(&r, &targets()));
    (report, r)
}

fn state(report: &BlocklistReport, list: &str, subject: &str) -> State {
    let target = report.targets.iter().position(|t| t.subject.to_string() == subject).unwrap();
    let row = report.rows.iter().find(|r| r.list.id == list && r.target == target);
    row.unwrap_or_else(|| panic!("no row for {list} × {subject}")).state.clone()
}

#[test]
fn a_listed_ip_and_an_unlisted_one() {
    let (report, _) = run();
    match state(&report, "spamcop", "81.2.69.160") {
        State::Listed { codes } => assert_eq!(codes[0].0.to_string(), "127.0.0.2"),
        other => panic!("{other:?}"),
    }
    assert_eq!(state(&report, "spamcop", "81.2.69.161"), State::NotListed);
    assert_eq!(state(&report, "uceprotect-1", "81.2.69.160"), State::NotListed);
    assert_eq!(state(&report, "surbl", "shop.test"), State::NotListed);
    let listed: Vec<_> = report.findings.iter().filter(|f| f.code == "blocklist.listed").collect();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].severity, Severity::Error);
    assert_eq!(listed[0].check(), Check::Blocklist);
    assert!(listed[0].message.contains("SpamCop") && listed[0].message.contains("81.2.69.160"));
    assert_eq!(listed[0].evidence[0].name, "160.69.2.81.bl.spamcop.net");
    let row = report.rows.iter().find(|r| r.list.id == "spamcop" && r.query_name.starts_with("160.")).unwrap();
    assert_eq!(answer_addresses(row_lookup(&report, row).unwrap()), [Ipv4Addr::new(127, 0, 0, 2)]);
}

#[test]
fn spamhaus_refusing_is_never_listed_and_comes_with_a_dig_command() {
    let (report, _) = run();
    for subject in ["81.2.69.160", "81.2.69.161", "2a02:898:0:20::1"] {
        match state(&report, "spamhaus-zen", subject) {
            State::Refused { code: Some(code), .. } => assert_eq!(code.to_string(), "127.255.255.254"),
            other => panic!("{subject}: {other:?}"),
        }
    }
    assert!(matches!(state(&report, "spamhaus-dbl", "shop.test"), State::Refused { .. }));
    let zen = report.lists.iter().find(|h| h.list.id == "spamhaus-zen").unwrap();
    assert!(matches!(zen.health, ProbeHealth::Refused { .. }));
    // Raw answers are kept: the sender's own query came back with the refusal code.
    let row = report.rows.iter().find(|r| r.query_name == "160.69.2.81.zen.spamhaus.org").unwrap();
    assert_eq!(answer_addresses(row_lookup(&report, row).unwrap()), [Ipv4Addr::new(127, 255, 255, 254)]);
    // The command, with the right reversed names, and the lookup page.
    let cmds: Vec<&str> =
        report.commands.iter().filter(|c| c.list.id == "spamhaus-zen").map(|c| c.command.as_str()).collect();
    assert!(cmds.contains(&"dig +short A 160.69.2.81.zen.spamhaus.org"), "{cmds:?}");
    assert!(
        cmds.contains(&"dig +short A 1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.0.0.0.8.9.8.0.2.0.a.2.zen.spamhaus.org")
    );
    assert!(report.commands.iter().all(|c| c.lookup_url.starts_with("https://")));
    let refused: Vec<_> = report.findings.iter().filter(|f| f.code == "blocklist.refused").collect();
    let lists: Vec<bool> = ["Spamhaus ZEN", "Spamhaus DBL", "Barracuda", "URIBL"]
        .iter()
        .map(|n| refused.iter().any(|f| f.message.starts_with(n)))
        .collect();
    assert_eq!(lists, [true; 4], "{refused:#?}");
    assert!(refused.iter().all(|f| f.severity == Severity::Info));
    let zen_finding = refused.iter().find(|f| f.message.starts_with("Spamhaus ZEN")).unwrap();
    let hint = zen_finding.hint.as_deref().unwrap();
    assert!(
        hint.contains("dig +short A 160.69.2.81.zen.spamhaus.org") && hint.contains("check.spamhaus.org"),
        "{hint}"
    );
}

#[test]
fn a_list_that_needs_a_registered_resolver_and_one_that_refuses_by_code() {
    let (report, _) = run();
    // Barracuda's test entry did not answer, and Barracuda is known to want a registered resolver.
    match state(&report, "barracuda", "81.2.69.160") {
        State::Refused { code: None, meaning } => assert!(meaning.contains("registered"), "{meaning}"),
        other => panic!("{other:?}"),
    }
    match state(&report, "uribl", "shop.test") {
        State::Refused { code: Some(code), .. } => assert_eq!(code.to_string(), "127.0.0.1"),
        other => panic!("{other:?}"),
    }
    // URIBL holds registrable domains only: the domain and its mail host's
    // name are one question, so one command to run, in the list and in the note.
    let uribl: Vec<&str> =
        report.commands.iter().filter(|c| c.list.id == "uribl").map(|c| c.command.as_str()).collect();
    assert_eq!(uribl, ["dig +short A shop.test.multi.uribl.com"]);
    let note =
        report.findings.iter().find(|f| f.code == "blocklist.refused" && f.message.starts_with("URIBL")).unwrap();
    let hint = note.hint.as_deref().unwrap_or_default();
    assert_eq!(hint.matches("dig +short").count(), 1, "{hint}");
    // The table's words: short, as the note explains.
    assert_eq!(state(&report, "uribl", "shop.test").label(), "refused this resolver (127.0.0.1)");
}

#[test]
fn a_list_whose_test_entry_fails_is_unusable_not_listed() {
    let (report, _) = run();
    let psbl = report.lists.iter().find(|h| h.list.id == "psbl").unwrap();
    assert!(matches!(psbl.health, ProbeHealth::Broken { .. }), "{:?}", psbl.health);
    // Both the "listed" sender and the MX host: neither may be reported as listed.
    for subject in ["81.2.69.160", "81.2.69.161"] {
        assert!(matches!(state(&report, "psbl", subject), State::Unusable { .. }), "{subject}");
    }
    let f = report.findings.iter().find(|f| f.code == "blocklist.unusable" && f.message.contains("PSBL")).unwrap();
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("must never be listed"), "{}", f.message);
    assert_eq!(f.evidence.len(), 2, "both test entries shown");
    assert!(!report.findings.iter().any(|f| f.code == "blocklist.listed" && f.message.contains("PSBL")));
}

#[test]
fn a_list_that_times_out_and_a_query_that_servfails_are_couldnt_ask() {
    let (report, _) = run();
    let mailspike = report.lists.iter().find(|h| h.list.id == "mailspike").unwrap();
    assert!(matches!(mailspike.health, ProbeHealth::CouldNotAsk { .. }));
    match state(&report, "mailspike", "81.2.69.160") {
        State::Unusable { why } => assert!(why.contains("timed out"), "{why}"),
        other => panic!("{other:?}"),
    }
    // S5H is healthy, but the sender's own question failed.
    assert!(matches!(state(&report, "s5h", "81.2.69.160"), State::LookupFailed { .. }));
    assert_eq!(state(&report, "s5h", "81.2.69.161"), State::NotListed);
    let failed: Vec<_> = report.findings.iter().filter(|f| f.code == "blocklist.lookup-failed").collect();
    assert_eq!(failed.len(), 1, "{failed:#?}");
    assert!(failed[0].message.contains("S5H") && failed[0].message.contains("not a \"not listed\""));
    assert_eq!(failed[0].severity, Severity::Warning);
}

#[test]
fn documentation_and_private_addresses_are_never_queried() {
    let (report, resolver) = run();
    let asked = resolver.queries();
    for (name, _) in &asked {
        assert!(!name.starts_with("5.113.0.203.") && !name.starts_with("20.1.168.192."), "{name} was asked");
    }
    let not_sent: Vec<_> = report.findings.iter().filter(|f| f.code == "blocklist.not-sent").collect();
    assert_eq!(not_sent.len(), 2);
    assert!(not_sent[0].message.contains("203.0.113.5") && not_sent[0].message.contains("documentation"));
    assert!(not_sent[1].message.contains("192.168.1.20") && not_sent[1].message.contains("private"));
    assert!(not_sent.iter().all(|f| f.severity == Severity::Info));
}

#[test]
fn one_round_each_question_once_counts_per_list() {
    let (report, resolver) = run();
    let asked = resolver.queries();
    let planned = plan(&targets()).query_names();
    assert_eq!(asked.len(), planned.len(), "each question asked exactly once");
    assert_eq!(report.lookups.len(), planned.len());
    let total: usize = report.lists.iter().map(|h| h.queries).sum();
    assert_eq!(total, planned.len());
    let zen = report.lists.iter().find(|h| h.list.id == "spamhaus-zen").unwrap();
    // Two test entries, 81.2.69.160, 81.2.69.161, 2a02:898:0:20::1.
    assert_eq!(zen.queries, 5);
    assert_eq!(report.closed.iter().map(|l| l.id).collect::<Vec<_>>(), ["sorbs"]);
    assert!(asked.iter().all(|(n, _)| !n.contains("sorbs")));
}

#[test]
fn not_listed_summary_names_only_the_lists_that_could_answer() {
    let (report, _) = run();
    let ok: Vec<_> = report.findings.iter().filter(|f| f.code == "blocklist.not-listed").collect();
    let mx = ok.iter().find(|f| f.message.starts_with("81.2.69.161")).unwrap();
    assert_eq!(mx.severity, Severity::Ok);
    assert!(mx.message.contains("SpamCop") && mx.message.contains("UCEPROTECT"), "{}", mx.message);
    assert!(!mx.message.contains("PSBL") && !mx.message.contains("Spamhaus") && !mx.message.contains("Mailspike"));
    // The worst finding is the SpamCop listing.
    assert_eq!(maildoctor_core::finding::worst(&report.findings), Severity::Error);
}

#[test]
fn the_report_tells_each_list_once_with_its_listings_first() {
    let (report, _) = run();
    let lists = report.by_list();
    let ids: Vec<&str> = lists.iter().map(|l| l.list.id).collect();
    assert_eq!(ids[0], "spamcop", "the list with a listing leads: {ids:?}");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "one entry per list: {ids:?}");
    // Every row is told exactly once.
    let told: usize = lists.iter().flat_map(|l| &l.lines).map(|line| line.targets.len()).sum();
    assert_eq!(told, report.rows.len());
    // SpamCop answered the two addresses differently: two lines.
    let spamcop: Vec<String> = lists[0].lines.iter().map(|l| format!("{}: {}", l.about(), l.row.meaning)).collect();
    assert_eq!(spamcop.len(), 2, "{spamcop:?}");
    assert!(spamcop[0].starts_with("81.2.69.160 (sending server): listed — 127.0.0.2"), "{spamcop:?}");
    assert_eq!(spamcop[1], "81.2.69.161 (mail host mx.shop.test): not listed");
    // Spamhaus ZEN refused every address in the same words: one line.
    let zen = lists.iter().find(|l| l.list.id == "spamhaus-zen").unwrap();
    assert_eq!(zen.lines.len(), 1, "{:?}", zen.lines);
    assert!(matches!(zen.lines[0].row.state, State::Refused { .. }));
    assert_eq!(
        zen.lines[0].about(),
        "81.2.69.160 (sending server); 81.2.69.161 (mail host mx.shop.test); 2a02:898:0:20::1 (mail host mx.shop.test)"
    );
}

#[test]
fn every_list_healthy_and_nothing_listed() {
    let zone = "
2.0.0.127.bl.spamcop.net A 127.0.0.2
";
    let r = MemoryResolver::from_zone_text(zone).unwrap();
    let t = BlocklistTargets { sending_ip: Some(ip("81.2.69.170")), ..Default::default() };
    let report = block_on(check_blocklists(&r, &t));
    assert_eq!(state(&report, "spamcop", "81.2.69.170"), State::NotListed);
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"blocklist.not-listed"));
    assert!(!codes.contains(&"blocklist.listed"));
}

/// tests/e2e/zones/blocklists.zone, loaded with the other reference zones as
/// the browser tests load them: what the page should show for blocklisted.example.
#[test]
fn reference_zone_for_the_browser_tests() {
    use maildoctor_core::mx::check_mx;
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/e2e/zones");
    let mut text = String::new();
    for name in ["healthy.zone", "broken.zone", "faults.zone", "idn.zone", "blocklists.zone"] {
        text.push_str(&std::fs::read_to_string(format!("{dir}/{name}")).unwrap());
        text.push('\n');
    }
    let r = MemoryResolver::from_zone_text(&text).unwrap();
    let mx = block_on(check_mx(&r, "blocklisted.example"));
    let targets = BlocklistTargets::from_mx(&mx, Some(ip("93.184.216.21")));
    let report = block_on(check_blocklists(&r, &targets));

    assert!(matches!(state(&report, "spamcop", "93.184.216.21"), State::Listed { .. }));
    assert_eq!(state(&report, "spamcop", "93.184.216.20"), State::NotListed);
    assert_eq!(state(&report, "uceprotect-1", "93.184.216.21"), State::NotListed);
    assert_eq!(state(&report, "s5h", "93.184.216.20"), State::NotListed);
    assert_eq!(state(&report, "surbl", "blocklisted.example"), State::NotListed);
    for (list, subject) in [
        ("spamhaus-zen", "93.184.216.21"),
        ("spamhaus-dbl", "blocklisted.example"),
        ("spamhaus-dbl", "mx1.blocklisted.example"),
        ("barracuda", "93.184.216.20"),
        ("uribl", "blocklisted.example"),
    ] {
        assert!(matches!(state(&report, list, subject), State::Refused { .. }), "{list} × {subject}");
    }
    assert!(matches!(state(&report, "psbl", "93.184.216.21"), State::Unusable { .. }));
    assert!(matches!(state(&report, "mailspike", "93.184.216.20"), State::Unusable { .. }));

    let mut codes: Vec<(&str, Severity)> = report.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect();
    codes.sort();
    codes.dedup();
    assert_eq!(
        codes,
        [
            ("blocklist.listed", Severity::Error),
            ("blocklist.not-listed", Severity::Ok),
            ("blocklist.refused", Severity::Info),
            ("blocklist.unusable", Severity::Info),
        ]
    );
    let cmd = "dig +short A 21.216.184.93.zen.spamhaus.org";
    assert!(report.commands.iter().any(|c| c.command == cmd));
}
