//! The Gmail / Yahoo / Outlook.com sender-requirements checklist (issue 15 §1)
//! over in-memory zones: all pass, each single failure, and what DNS cannot
//! show listed as such, each requirement with its source and date.

use std::net::IpAddr;

use futures::executor::block_on;
use maildoctor_core::dkim::check_dkim;
use maildoctor_core::dmarc::check_dmarc;
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::mx::check_mx;
use maildoctor_core::ptr::{check_ptr, ptr_targets};
use maildoctor_core::requirements::{checklist, Checklist, ChecklistInput, Mark, Topic, PROVIDERS};
use maildoctor_core::spf::check_spf;

const SPKI_512: &str = include_str!("data/dkim/spki512.b64");
const SPKI_1024: &str = include_str!("data/dkim/spki1024.b64");
const SPKI_2048: &str = include_str!("data/dkim/spki2048.b64");

fn txt(name: &str, record: &str) -> String {
    let strings: Vec<String> =
        record.as_bytes().chunks(255).map(|c| format!("\"{}\"", String::from_utf8_lossy(c))).collect();
    format!("{name} TXT {}\n", strings.join(" "))
}

/// A sender that meets every requirement DNS can show.
fn healthy() -> String {
    let mut z = String::from(
        "shop.example MX 10 mail.shop.example\nmail.shop.example A 185.12.64.10\n\
         shop.example TXT \"v=spf1 mx ip4:185.12.64.10 -all\"\n\
         _dmarc.shop.example TXT \"v=DMARC1; p=quarantine; rua=mailto:d@shop.example\"\n\
         10.64.12.185.in-addr.arpa PTR mail.shop.example\n",
    );
    z += &txt("s1._domainkey.shop.example", &format!("v=DKIM1; k=rsa; p={SPKI_2048}"));
    z
}

fn edit(zone: &str, drop: &str, add: &str) -> String {
    let mut lines: Vec<String> =
        zone.lines().filter(|l| drop.is_empty() || !l.starts_with(drop)).map(String::from).collect();
    lines.extend(add.lines().map(String::from));
    lines.join("\n")
}

fn run(zone: &str, ip: Option<&str>) -> Vec<Checklist> {
    let r = MemoryResolver::from_zone_text(zone).unwrap();
    let ip: Option<IpAddr> = ip.map(|s| s.parse().unwrap());
    let selectors = vec!["s1".to_string()];
    let (spf, dkim, dmarc, mx) = block_on(async {
        futures::join!(
            check_spf(&r, "shop.example", ip),
            check_dkim(&r, "shop.example", &selectors),
            check_dmarc(&r, "shop.example"),
            check_mx(&r, "shop.example"),
        )
    });
    let ptr = block_on(check_ptr(&r, &ptr_targets(&mx, ip)));
    checklist(&ChecklistInput {
        spf: Some(&spf.findings),
        dkim: Some(&dkim.findings),
        dmarc: Some(&dmarc.findings),
        ptr: Some(&ptr.findings),
        sending_ip: ip,
    })
}

/// The mark of `topic` for every provider that lists it.
fn marks(lists: &[Checklist], topic: Topic) -> Vec<Mark> {
    lists.iter().flat_map(|c| c.rows.iter().filter(|r| r.requirement.topic == topic).map(|r| r.mark)).collect()
}

const IP: Option<&str> = Some("185.12.64.10");

#[test]
fn all_pass_and_what_dns_cannot_show_is_listed_as_such() {
    let lists = run(&healthy(), IP);
    assert_eq!(lists.len(), 3);
    for topic in [Topic::Spf, Topic::Dkim, Topic::Dmarc, Topic::Ptr] {
        let m = marks(&lists, topic);
        assert!(!m.is_empty() && m.iter().all(|m| *m == Mark::Pass), "{topic:?}: {m:?}");
    }
    assert!(marks(&lists, Topic::Alignment).iter().all(|m| *m == Mark::NeedsInput));
    for topic in [Topic::Tls, Topic::Format, Topic::SpamRate, Topic::Unsubscribe, Topic::Arc] {
        for c in &lists {
            for r in c.rows.iter().filter(|r| r.requirement.topic == topic) {
                assert_eq!(r.mark, Mark::NotCheckable, "{topic:?}");
                assert!(r.detail.contains("Verify it in"), "{}", r.detail);
            }
        }
    }
    // Gmail lists TLS and a spam rate, Yahoo ARC; every provider names its source and date.
    assert!(!marks(&lists, Topic::Tls).is_empty() && !marks(&lists, Topic::Arc).is_empty());
    for p in PROVIDERS {
        assert!(p.source.starts_with("https://") && p.checked.contains("20"), "{}", p.name);
        assert!(!p.bulk.is_empty());
    }
    assert!(PROVIDERS[0].bulk.contains("5,000") && PROVIDERS[2].bulk.contains("5,000"));
}

#[test]
fn each_single_failure() {
    let h = healthy();
    let cases: &[(&str, String, Option<&str>, Topic, Mark)] = &[
        ("no SPF", edit(&h, "shop.example TXT", ""), IP, Topic::Spf, Mark::Fail),
        (
            "SPF fails for the IP",
            edit(&h, "shop.example TXT", "shop.example TXT \"v=spf1 ip4:192.0.2.1 -all\""),
            IP,
            Topic::Spf,
            Mark::Fail,
        ),
        ("SPF, no IP given", h.clone(), None, Topic::Spf, Mark::NeedsInput),
        (
            "DKIM key of 512 bits",
            edit(&h, "s1._domainkey", &txt("s1._domainkey.shop.example", &format!("v=DKIM1; p={SPKI_512}"))),
            IP,
            Topic::Dkim,
            Mark::Fail,
        ),
        (
            "DKIM key of 1024 bits",
            edit(&h, "s1._domainkey", &txt("s1._domainkey.shop.example", &format!("v=DKIM1; p={SPKI_1024}"))),
            IP,
            Topic::Dkim,
            Mark::Pass,
        ),
        ("no DKIM key at the selectors", edit(&h, "s1._domainkey", ""), IP, Topic::Dkim, Mark::NeedsInput),
        ("no DMARC", edit(&h, "_dmarc", ""), IP, Topic::Dmarc, Mark::Fail),
        (
            "DMARC p=none is enough",
            edit(&h, "_dmarc", "_dmarc.shop.example TXT \"v=DMARC1; p=none; rua=mailto:d@shop.example\""),
            IP,
            Topic::Dmarc,
            Mark::Pass,
        ),
        ("no PTR", edit(&h, "10.64.12.185", ""), IP, Topic::Ptr, Mark::Fail),
        ("PTR, no IP given", h.clone(), None, Topic::Ptr, Mark::NeedsInput),
        (
            "DMARC lookup fails",
            edit(&h, "_dmarc", "_dmarc.shop.example FAULT servfail"),
            IP,
            Topic::Dmarc,
            Mark::NotCheckable,
        ),
    ];
    for (name, zone, ip, topic, want) in cases {
        let lists = run(zone, *ip);
        let m = marks(&lists, *topic);
        assert!(!m.is_empty() && m.iter().all(|m| m == want), "{name}: {m:?}");
        // The other DNS-checkable requirements are unaffected by this one failure.
        for other in [Topic::Spf, Topic::Dkim, Topic::Dmarc, Topic::Ptr].into_iter().filter(|t| t != topic) {
            let m = marks(&lists, other);
            let expect_input = ip.is_none() && matches!(other, Topic::Spf | Topic::Ptr);
            assert!(
                m.iter().all(|m| if expect_input { *m == Mark::NeedsInput } else { *m == Mark::Pass }),
                "{name}: {other:?} {m:?}"
            );
        }
    }
}

#[test]
fn nothing_answered_yet_is_not_a_failure() {
    let lists = checklist(&ChecklistInput::default());
    for c in &lists {
        assert!(c.rows.iter().all(|r| r.mark != Mark::Fail && r.mark != Mark::Pass), "{}", c.provider.name);
    }
}
