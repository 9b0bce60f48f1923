//! Blocklist query names (RFC 5782 §2) and the question plan.

use std::net::IpAddr;

use maildoctor_core::blocklist::query::{collect_targets, domain_list_subject};
use maildoctor_core::blocklist::{
    blocklist_questions, domain_query_name, ip_query_name, list_by_id, plan, BlocklistTargets, MxHostTarget, Role,
    Subject, CATALOGUE,
};
use maildoctor_core::dns::RecordType;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn ip_names_ipv4_reversed_octets_and_ipv6_nibbles() {
    let cases = [
        ("192.0.2.99", "zen.spamhaus.org", "99.2.0.192.zen.spamhaus.org"),
        ("127.0.0.2", "bl.spamcop.net", "2.0.0.127.bl.spamcop.net"),
        ("81.2.69.160", "b.barracudacentral.org.", "160.69.2.81.b.barracudacentral.org"),
        ("81.2.69.160", "ALL.S5H.NET", "160.69.2.81.all.s5h.net"),
        // IPv4-mapped IPv6 is the IPv4 address (RFC 5782 has no mapped form).
        ("::ffff:81.2.69.160", "zen.spamhaus.org", "160.69.2.81.zen.spamhaus.org"),
        // RFC 5782 §2.4's own example.
        (
            "2001:db8:1:2:3:4:567:89ab",
            "ugly.example.com",
            "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com",
        ),
        (
            "2a02:898:0:20::1",
            "all.s5h.net",
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.0.0.0.0.0.0.8.9.8.0.2.0.a.2.all.s5h.net",
        ),
    ];
    for (addr, zone, want) in cases {
        assert_eq!(ip_query_name(ip(addr), zone), want, "{addr} under {zone}");
    }
}

#[test]
fn domain_names_and_their_refusals() {
    let ok = [
        ("example.com", "dbl.spamhaus.org", "example.com.dbl.spamhaus.org"),
        ("Example.COM.", "dbl.spamhaus.org", "example.com.dbl.spamhaus.org"),
        ("  mx1.example.com ", "multi.surbl.org", "mx1.example.com.multi.surbl.org"),
        // IDN: the A-label goes to the list as is.
        ("xn--bcher-kva.de", "dbl.spamhaus.org", "xn--bcher-kva.de.dbl.spamhaus.org"),
        ("xn--80ak6aa92e.com", "multi.uribl.com", "xn--80ak6aa92e.com.multi.uribl.com"),
        ("_dmarc.example.com", "dbl.spamhaus.org", "_dmarc.example.com.dbl.spamhaus.org"),
    ];
    for (name, zone, want) in ok {
        assert_eq!(domain_query_name(name, zone).as_deref(), Ok(want), "{name}");
    }
    let long = format!("{}.{}.{}.{}.com", "a".repeat(60), "b".repeat(60), "c".repeat(60), "d".repeat(60));
    for bad in ["", "bücher.de", "192.0.2.1", "2001:db8::1", "a..b", "exa mple.com", &long] {
        assert!(domain_query_name(bad, "dbl.spamhaus.org").is_err(), "{bad:?} must not be asked");
    }
}

#[test]
fn registrable_only_lists_get_the_registrable_domain() {
    let surbl = list_by_id("surbl").unwrap();
    let dbl = list_by_id("spamhaus-dbl").unwrap();
    assert_eq!(domain_list_subject(surbl, "mx1.mail.example.co.uk").as_deref(), Some("example.co.uk"));
    assert_eq!(domain_list_subject(dbl, "mx1.mail.example.co.uk").as_deref(), Some("mx1.mail.example.co.uk"));
    assert_eq!(domain_list_subject(surbl, "co.uk"), None);
}

fn targets() -> BlocklistTargets {
    BlocklistTargets {
        sending_ip: Some(ip("81.2.69.160")),
        mx_hosts: vec![
            MxHostTarget { name: "mx.shop.test".into(), addresses: vec![ip("81.2.69.160"), ip("2a02:898:0:20::1")] },
            MxHostTarget { name: "MX2.shop.test.".into(), addresses: vec![ip("192.0.2.10"), ip("10.1.2.3")] },
        ],
        domains: vec!["shop.test".into()],
    }
}

#[test]
fn targets_are_merged_with_all_their_roles() {
    let t = collect_targets(&targets());
    let subjects: Vec<String> = t.iter().map(|t| t.subject.to_string()).collect();
    assert_eq!(
        subjects,
        ["81.2.69.160", "2a02:898:0:20::1", "192.0.2.10", "10.1.2.3", "shop.test", "mx.shop.test", "mx2.shop.test"]
    );
    assert_eq!(t[0].roles, vec![Role::SendingIp, Role::MxAddress("mx.shop.test".into())]);
    assert_eq!(t[5].roles, vec![Role::MxName]);
}

#[test]
fn documentation_and_private_addresses_are_never_asked() {
    let p = plan(&targets());
    let names = p.query_names();
    for n in &names {
        assert!(!n.starts_with("10.2.0.192.") && !n.starts_with("3.2.1.10."), "{n} leaks a private address");
    }
    let kept: Vec<(String, &str)> =
        p.not_sent.iter().map(|n| (p.targets[n.target].subject.to_string(), n.why.as_str())).collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(kept[0].0 == "192.0.2.10" && kept[0].1.contains("documentation"), "{kept:?}");
    assert!(kept[1].0 == "10.1.2.3" && kept[1].1.contains("private"), "{kept:?}");
    // Every special range the PTR check knows, alone: nothing at all is asked.
    for special in [
        "192.0.2.1",
        "198.51.100.7",
        "203.0.113.9",
        "127.0.0.1",
        "169.254.0.1",
        "100.64.0.1",
        "::1",
        "fd00::1",
        "2001:db8::25",
    ] {
        let t = BlocklistTargets { sending_ip: Some(ip(special)), ..Default::default() };
        assert!(blocklist_questions(&t).is_empty(), "{special} was asked about");
        assert_eq!(plan(&t).not_sent.len(), 1, "{special}");
    }
}

#[test]
fn ipv6_only_to_lists_that_publish_it_and_ip_lists_only_get_ips() {
    let p = plan(&targets());
    let v6_lists: Vec<&str> = p
        .rows
        .iter()
        .filter(|r| p.targets[r.target].subject == Subject::Ip(ip("2a02:898:0:20::1")))
        .map(|r| r.list.id)
        .collect();
    let want: Vec<&str> = CATALOGUE.iter().filter(|l| l.is_active() && l.ipv6).map(|l| l.id).collect();
    assert_eq!(v6_lists, want);
    for r in &p.rows {
        let is_ip = matches!(p.targets[r.target].subject, Subject::Ip(_));
        assert_eq!(is_ip, r.list.kind == maildoctor_core::blocklist::ListKind::Ip, "{} on {}", r.query_name, r.list.id);
    }
}

#[test]
fn questions_counted_per_list_probes_included_and_closed_lists_never_asked() {
    let p = plan(&targets());
    let q = blocklist_questions(&targets());
    assert!(q.iter().all(|(_, t)| *t == RecordType::A));
    assert_eq!(q.len(), p.query_names().len());
    let total: usize = CATALOGUE.iter().map(|l| p.queries_for(l)).sum();
    assert_eq!(total, q.len(), "per-list counts add up to the distinct questions");
    // SURBL: shop.test, mx.shop.test and mx2.shop.test all become shop.test: one question, plus two probes.
    assert_eq!(p.queries_for(list_by_id("surbl").unwrap()), 3);
    // DBL: three names plus two probes.
    assert_eq!(p.queries_for(list_by_id("spamhaus-dbl").unwrap()), 5);
    // ZEN: 81.2.69.160 and the IPv6 address, plus two probes.
    assert_eq!(p.queries_for(list_by_id("spamhaus-zen").unwrap()), 4);
    // SpamCop: IPv4 only.
    assert_eq!(p.queries_for(list_by_id("spamcop").unwrap()), 3);
    assert!(q.iter().all(|(n, _)| !n.ends_with("sorbs.net")));
    assert!(q.iter().any(|(n, _)| n == "2.0.0.127.zen.spamhaus.org"));
    assert!(q.iter().any(|(n, _)| n == "1.0.0.127.zen.spamhaus.org"));
    assert!(q.iter().any(|(n, _)| n == "dbltest.com.dbl.spamhaus.org"));
    assert!(q.iter().any(|(n, _)| n == "invalid.dbl.spamhaus.org"));
    assert_eq!(p.probes.len(), CATALOGUE.iter().filter(|l| l.is_active()).count());
}

#[test]
fn nothing_to_check_asks_nothing() {
    assert!(blocklist_questions(&BlocklistTargets::default()).is_empty());
}
