//! SPF generator: fixes over realistic zones, the builder, and the proof —
//! every generated record parses, lints without errors, stays within 10
//! lookups, and lets the intended senders pass when evaluated over the zone.

use std::net::IpAddr;

use futures::executor::block_on;
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::finding::Severity;
use maildoctor_core::generate::spf::{
    fix_spf, fix_spf_checked, preview_spf, provider, provider_for_mx, SpfBuilder, SpfFixInput, MAX_LOOKUPS, PROVIDERS,
};
use maildoctor_core::spf::{check_spf, lint_text, Qualifier, SpfRecord, SpfResult};
use proptest::prelude::*;

/// The providers' published records, shortened but shaped like the real ones.
const PROVIDER_ZONE: &str = r#"
_spf.google.com TXT "v=spf1 include:_netblocks.google.com include:_netblocks2.google.com ~all"
_netblocks.google.com TXT "v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ip4:66.102.0.0/20 ~all"
_netblocks2.google.com TXT "v=spf1 ip6:2001:4860:4000::/36 ip6:2404:6800:4000::/36 ~all"
spf.protection.outlook.com TXT "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/14 ip6:2a01:111:f400::/48 -all"
sendgrid.net TXT "v=spf1 ip4:167.89.0.0/17 ip4:149.72.0.0/16 ~all"
mailgun.org TXT "v=spf1 include:_spf.mailgun.org ~all"
_spf.mailgun.org TXT "v=spf1 ip4:209.61.151.0/24 ip4:166.78.68.0/22 ~all"
spf.mtasv.net TXT "v=spf1 ip4:50.31.156.96/27 ip4:104.245.209.192/26 ~all"
"#;

fn zone(extra: &str) -> MemoryResolver {
    MemoryResolver::from_zone_text(&format!("{PROVIDER_ZONE}\n{extra}")).unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// The proof for one generated record, over the zone it will live in.
fn prove(r: &MemoryResolver, domain: &str, text: &str, senders: &[IpAddr], outsider: IpAddr) {
    let parsed: SpfRecord = text.parse().unwrap_or_else(|e| panic!("{text}: {e:?}"));
    assert_eq!(parsed.to_string(), text, "Display round trip");
    let strings: Vec<Vec<u8>> =
        maildoctor_core::generate::split_strings(text).into_iter().map(String::into_bytes).collect();
    let lint_errors: Vec<_> =
        lint_text(domain, &strings).into_iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(lint_errors.is_empty(), "{text}: {lint_errors:?}");
    let mut all = senders.to_vec();
    all.push(outsider);
    let preview = block_on(preview_spf(r, domain, text, &all));
    assert!(preview.errors().is_empty(), "{text}: {:?}", preview.errors());
    assert!(preview.lookup_count <= MAX_LOOKUPS, "{text}: {} lookups", preview.lookup_count);
    for (ip, result) in &preview.senders {
        if *ip == outsider {
            assert!(matches!(result, SpfResult::Fail | SpfResult::SoftFail), "{text}: outsider {ip} got {result:?}");
        } else {
            assert_eq!(*result, SpfResult::Pass, "{text}: sender {ip}");
        }
    }
}

struct FixCase {
    name: &'static str,
    zone: &'static str,
    mx_hosts: &'static [&'static str],
    sending_ip: Option<&'static str>,
    want: &'static str,
    /// Words each expected change contains.
    changes: &'static [&'static str],
    senders: &'static [&'static str],
}

const FIX_CASES: &[FixCase] = &[
    FixCase {
        name: "two records merged (RFC 7208 §4.5 PermError)",
        zone: "example.com TXT \"v=spf1 include:_spf.google.com ~all\"\nexample.com TXT \"v=spf1 ip4:192.0.2.10 -all\"",
        mx_hosts: &[],
        sending_ip: None,
        want: "v=spf1 include:_spf.google.com ip4:192.0.2.10 ~all",
        changes: &["Merged 2 SPF records"],
        senders: &["64.233.160.5", "192.0.2.10", "2001:4860:4000::1"],
    },
    FixCase {
        name: "ptr removed, +all replaced, the sending IP authorized",
        zone: "example.com TXT \"v=spf1 ptr +all\"\nexample.com MX 10 mail.example.com\nmail.example.com A 192.0.2.25",
        mx_hosts: &["mail.example.com"],
        sending_ip: Some("192.0.2.25"),
        want: "v=spf1 ip4:192.0.2.25 ~all",
        changes: &["Removed ptr", "Added ip4:192.0.2.25", "Replaced +all with ~all"],
        senders: &["192.0.2.25"],
    },
    FixCase {
        name: "registrar kept the quotes; a space after ip4:; a trailing comma",
        zone: "example.com TXT \"\\\"v=spf1 ip4: 192.0.2.1, include:sendgrid.net -all\\\"\"",
        mx_hosts: &[],
        sending_ip: None,
        want: "v=spf1 ip4:192.0.2.1 include:sendgrid.net -all",
        changes: &["Repaired the record", "Removed quotation marks", "Joined \"ip4: 192.0.2.1,\""],
        senders: &["192.0.2.1", "167.89.1.1"],
    },
    FixCase {
        name: "duplicates and a void a: term removed, ?all replaced",
        zone: "example.com TXT \"v=spf1 a a:gone.example.com include:mailgun.org include:mailgun.org ?all\"\nexample.com A 192.0.2.80",
        mx_hosts: &[],
        sending_ip: None,
        want: "v=spf1 a include:mailgun.org ~all",
        changes: &["duplicate \"include:mailgun.org\"", "Removed a:gone.example.com", "Replaced ?all with ~all"],
        senders: &["192.0.2.80", "209.61.151.3"],
    },
    FixCase {
        name: "include without SPF removed; bad address removed; ipv4: rewritten",
        zone: "example.com TXT \"v=spf1 include:nospf.example.net ip4:300.1.1.1 ipv4:192.0.2.5 include:spf.mtasv.net -all\"\nnospf.example.net TXT \"google-site-verification=abc\"",
        mx_hosts: &[],
        sending_ip: None,
        want: "v=spf1 ip4:192.0.2.5 include:spf.mtasv.net -all",
        changes: &["Removed include:nospf.example.net", "Removed \"ip4:300.1.1.1\"", "Rewrote \"ipv4:192.0.2.5\""],
        senders: &["192.0.2.5", "50.31.156.100"],
    },
    FixCase {
        name: "no record: start from the MX provider",
        zone: "example.com MX 1 aspmx.l.google.com\nexample.com TXT \"google-site-verification=xyz\"",
        mx_hosts: &["aspmx.l.google.com", "alt1.aspmx.l.google.com"],
        sending_ip: None,
        want: "v=spf1 include:_spf.google.com ~all",
        changes: &["Added include:_spf.google.com", "Added ~all"],
        senders: &["66.102.1.1"],
    },
    FixCase {
        name: "redirect beside an all from a second record becomes an include",
        zone: "example.com TXT \"v=spf1 redirect=spf.protection.outlook.com\"\nexample.com TXT \"v=spf1 ip4:192.0.2.7 -all\"",
        mx_hosts: &[],
        sending_ip: None,
        want: "v=spf1 ip4:192.0.2.7 include:spf.protection.outlook.com -all",
        changes: &["Merged 2", "Replaced redirect=spf.protection.outlook.com by include:spf.protection.outlook.com"],
        senders: &["192.0.2.7", "40.107.1.1"],
    },
    FixCase {
        name: "redirect to a domain without SPF",
        zone: "example.com TXT \"v=spf1 ip4:192.0.2.8 redirect=old-provider.example\"\nold-provider.example A 192.0.2.200",
        mx_hosts: &[],
        sending_ip: None,
        want: "v=spf1 ip4:192.0.2.8 ~all",
        changes: &["Removed redirect=old-provider.example", "Added ~all"],
        senders: &["192.0.2.8"],
    },
    FixCase {
        name: "no all at all",
        zone: "example.com TXT \"v=spf1 mx\"\nexample.com MX 10 mx.example.com\nmx.example.com A 192.0.2.30",
        mx_hosts: &["mx.example.com"],
        sending_ip: None,
        want: "v=spf1 mx ~all",
        changes: &["Added ~all"],
        senders: &["192.0.2.30"],
    },
];

#[test]
fn fixes_over_realistic_zones() {
    for case in FIX_CASES {
        let r = zone(case.zone);
        let sending_ip = case.sending_ip.map(ip);
        let report = block_on(check_spf(&r, "example.com", sending_ip));
        let mx: Vec<String> = case.mx_hosts.iter().map(|s| s.to_string()).collect();
        let input = SpfFixInput { domain: "example.com", report: &report, mx_hosts: &mx, sending_ip };
        let (fix, preview) = block_on(fix_spf_checked(&r, &input));
        assert!(preview.errors().is_empty(), "{}: {:?}", case.name, preview.errors());
        if let Some(ip) = sending_ip {
            assert_eq!(preview.senders, vec![(ip, SpfResult::Pass)], "{}", case.name);
        }
        assert_eq!(fix.text, case.want, "{}: {:#?}", case.name, fix.changes);
        for want in case.changes {
            assert!(
                fix.changes.iter().any(|c| c.what.contains(want)),
                "{}: no change {want:?} in {:#?}",
                case.name,
                fix.changes
            );
        }
        assert!(fix.changes.iter().all(|c| !c.why.is_empty()));
        assert_eq!(fix.registrar.host_short, "@");
        assert_eq!(fix.registrar.value, fix.text);
        let senders: Vec<IpAddr> = case.senders.iter().map(|s| ip(s)).collect();
        prove(&r, "example.com", &fix.text, &senders, ip("203.0.113.250"));
    }
}

#[test]
fn too_many_lookups_are_flattened_with_the_caveat() {
    // 12 includes of plain address lists: 12 lookups, over the limit.
    let mut z = String::from("example.com TXT \"v=spf1");
    for i in 1..=12 {
        z.push_str(&format!(" include:s{i}.example.net"));
    }
    z.push_str(" -all\"\n");
    for i in 1..=12 {
        z.push_str(&format!("s{i}.example.net TXT \"v=spf1 ip4:198.51.100.{i} ip4:198.18.{i}.0/24 -all\"\n"));
    }
    let r = zone(&z);
    let report = block_on(check_spf(&r, "example.com", None));
    assert_eq!(report.lookup_count, 12);
    assert!(report.findings.iter().any(|f| f.code == "spf.too-many-lookups"));
    let fix = fix_spf(&SpfFixInput { domain: "example.com", report: &report, mx_hosts: &[], sending_ip: None });
    assert!(fix.lookup_estimate <= MAX_LOOKUPS, "{}", fix.text);
    let flattened: Vec<_> = fix.changes.iter().filter(|c| c.what.starts_with("Replaced include:")).collect();
    assert_eq!(flattened.len(), 2, "{:#?}", fix.changes);
    assert!(flattened.iter().all(|c| c.why.contains("Caveat")));
    let senders: Vec<IpAddr> = (1..=12).map(|i| ip(&format!("198.51.100.{i}"))).collect();
    prove(&r, "example.com", &fix.text, &senders, ip("203.0.113.250"));
}

#[test]
fn providers_catalogue() {
    assert!(PROVIDERS.len() >= 15);
    for p in PROVIDERS {
        let build = SpfBuilder::new().provider(p.id).all(Qualifier::Fail).build();
        assert_eq!(build.text, format!("v=spf1 include:{} -all", p.include), "{}", p.id);
    }
    let ids: std::collections::BTreeSet<_> = PROVIDERS.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), PROVIDERS.len(), "ids are unique");
    assert_eq!(provider_for_mx("ALT2.ASPMX.L.GOOGLE.COM.").map(|p| p.id), Some("google"));
    assert_eq!(provider_for_mx("example-com.mail.protection.outlook.com").map(|p| p.id), Some("microsoft365"));
    assert_eq!(provider_for_mx("mx.example.com"), None);
    assert_eq!(provider("postmark").map(|p| p.include), Some("spf.mtasv.net"));
}

#[test]
fn builder_with_live_count_and_evaluation() {
    let r = zone("example.com A 192.0.2.99");
    let build = SpfBuilder::new()
        .a(true)
        .provider("google")
        .provider("microsoft365")
        .provider("sendgrid")
        .ip(ip("192.0.2.10"), None)
        .ip(ip("2001:db8:1::"), Some(48))
        .all(Qualifier::Fail)
        .build();
    assert_eq!(
        build.text,
        "v=spf1 a ip4:192.0.2.10 ip6:2001:db8:1::/48 include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net -all"
    );
    assert_eq!(build.top_level_lookups, 4);
    let preview = block_on(preview_spf(&r, "example.com", &build.text, &[]));
    // a, 3 includes, and Google's two nested includes.
    assert_eq!(preview.lookup_count, 6);
    prove(
        &r,
        "example.com",
        &build.text,
        &[
            ip("192.0.2.99"),
            ip("192.0.2.10"),
            ip("2001:db8:1::5"),
            ip("64.233.160.1"),
            ip("40.92.3.3"),
            ip("149.72.1.1"),
        ],
        ip("203.0.113.250"),
    );
}

#[test]
fn builder_notes() {
    let plus = SpfBuilder::new().ip(ip("192.0.2.1"), None).all(Qualifier::Pass).build();
    assert_eq!(plus.text, "v=spf1 ip4:192.0.2.1 ~all");
    assert!(plus.notes.iter().any(|n| n.contains("+all would let every server")));
    let bad = SpfBuilder::new().include("not a domain").provider("nope").build();
    assert_eq!(bad.text, "v=spf1 ~all");
    assert_eq!(bad.notes.iter().filter(|n| n.contains("left out")).count(), 2);
    let many = (0..11).fold(SpfBuilder::new(), |b, i| b.include(&format!("s{i}.example.net"))).build();
    assert!(many.notes.iter().any(|n| n.contains("over the limit")));
}

fn builder_strategy() -> impl Strategy<Value = SpfBuilder> {
    (
        prop::sample::subsequence(PROVIDERS.iter().map(|p| p.id).collect::<Vec<_>>(), 0..=6),
        prop::collection::vec("[a-z][a-z0-9-]{0,10}[a-z0-9]\\.[a-z]{2,6}", 0..=2),
        prop::collection::vec((any::<[u8; 4]>(), prop::option::of(0u8..=40)), 0..5),
        prop::collection::vec((any::<[u16; 8]>(), prop::option::of(0u8..=140)), 0..3),
        any::<bool>(),
        any::<bool>(),
        prop::sample::select(vec![Qualifier::Fail, Qualifier::SoftFail, Qualifier::Neutral, Qualifier::Pass]),
    )
        .prop_map(|(providers, includes, v4, v6, a, mx, all)| {
            let mut b = SpfBuilder::new().a(a).mx(mx).all(all);
            for p in providers {
                b = b.provider(p);
            }
            for i in includes {
                b = b.include(&i);
            }
            for (o, p) in v4 {
                b = b.ip(IpAddr::from(o), p);
            }
            for (s, p) in v6 {
                b = b.ip(IpAddr::from(s), p);
            }
            b
        })
}

proptest! {
    // The proof over the builder's inputs: parses, prints back the same, lints without errors.
    #[test]
    fn every_built_record_parses_and_lints_clean(b in builder_strategy()) {
        let build = b.build();
        let parsed: SpfRecord = build.text.parse().map_err(|e| TestCaseError::fail(format!("{}: {e:?}", build.text)))?;
        prop_assert_eq!(&parsed, &build.record);
        prop_assert_eq!(parsed.to_string(), build.text.clone());
        prop_assert!(build.top_level_lookups <= MAX_LOOKUPS);
        let strings: Vec<Vec<u8>> =
            maildoctor_core::generate::split_strings(&build.text).into_iter().map(String::into_bytes).collect();
        let errors: Vec<_> = lint_text("example.com", &strings).into_iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{}: {:?}", build.text, errors);
    }
}

fn term_strategy() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "a",
        "mx",
        "ptr",
        "+all",
        "-all",
        "~all",
        "?all",
        "all",
        "include:_spf.google.com",
        "include:sendgrid.net",
        "include:nospf.example.net",
        "include:example.com",
        "a:gone.example.com",
        "ip4:192.0.2.1",
        "ip4:192.0.2.0/24",
        "ip4: 198.51.100.7,",
        "ipv4:192.0.2.9",
        "ip4:300.1.1.1",
        "ip6:2001:db8::1",
        "ip4:2001:db8::2",
        "exists:%{i}.x.example.com",
        "redirect=spf.protection.outlook.com",
        "redirect=old.example.net",
        "exp=exp.example.com",
        "foo=bar",
        "mx:",
        "include:",
        "a/24",
        "-ip4:192.0.2.66",
        "\"",
        "\u{201c}",
        "v=spf1",
        "spf2.0/pra",
        "%{z}",
        "a:%{d}",
        ";",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    // Whatever record(s) a domain publishes, the fix parses, prints back the same and lints without errors.
    #[test]
    fn any_published_record_fixes_to_a_clean_record(
        records in prop::collection::vec(prop::collection::vec(term_strategy(), 0..8), 1..3),
        garbage in "[ -~]{0,30}",
        ip_given in any::<bool>(),
    ) {
        let mut z = String::from("example.com MX 10 mail.example.com\nmail.example.com A 192.0.2.25\nnospf.example.net TXT \"hello\"\n");
        for terms in &records {
            let text = format!("v=spf1 {} {}", terms.join(" "), if ip_given { "" } else { garbage.as_str() });
            z.push_str(&format!("example.com TXT \"{}\"\n", text.replace('\\', "\\\\").replace('"', "\\\"")));
        }
        let r = zone(&z);
        let sending_ip = ip_given.then(|| ip("192.0.2.25"));
        let report = block_on(check_spf(&r, "example.com", sending_ip));
        let mx = vec!["mail.example.com".to_string()];
        let fix = fix_spf(&SpfFixInput { domain: "example.com", report: &report, mx_hosts: &mx, sending_ip });
        let parsed: SpfRecord = fix.text.parse().map_err(|e| TestCaseError::fail(format!("{}: {e:?}", fix.text)))?;
        prop_assert_eq!(parsed.to_string(), fix.text.clone());
        let strings: Vec<Vec<u8>> = maildoctor_core::generate::split_strings(&fix.text).into_iter().map(String::into_bytes).collect();
        let errors: Vec<_> = lint_text("example.com", &strings).into_iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{:?} → {}: {:?}", records, fix.text, errors);
        // And once re-checked against DNS, nothing is left that receivers reject.
        let (checked, preview) = block_on(fix_spf_checked(&r, &SpfFixInput { domain: "example.com", report: &report, mx_hosts: &mx, sending_ip }));
        prop_assert!(preview.errors().is_empty(), "{:?} → {}: {:?}", records, checked.text, preview.errors());
        if let Some(ip) = sending_ip {
            prop_assert_eq!(&preview.senders, &vec![(ip, SpfResult::Pass)], "{}", checked.text);
        }
    }
}

#[test]
fn huge_hostile_record_is_fixed_quickly() {
    // A 60 KB record of thousands of terms, many repeated: dedupe must not be quadratic.
    let terms: Vec<String> = (0..6000).map(|i| format!("ip4:10.{}.{}.1", (i % 50) / 10, i % 10)).collect();
    let text = format!("v=spf1 {} -all", terms.join(" "));
    let quoted: Vec<String> =
        maildoctor_core::generate::split_strings(&text).iter().map(|s| format!("\"{s}\"")).collect();
    let r = zone(&format!("example.com TXT {}", quoted.join(" ")));
    let start = std::time::Instant::now();
    let report = block_on(check_spf(&r, "example.com", None));
    let fix = fix_spf(&SpfFixInput { domain: "example.com", report: &report, mx_hosts: &[], sending_ip: None });
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    assert_eq!(fix.record.directives().count(), 50 + 1, "{}", fix.text);
    assert!(fix.changes.iter().filter(|c| c.what.starts_with("Removed the duplicate")).count() == 5950);
}

// ── Issue 15 §4: every record offered is within the limits, or says it cannot be ──

fn fix_of(r: &MemoryResolver, mx: &[String]) -> maildoctor_core::generate::spf::SpfFix {
    let report = block_on(check_spf(r, "example.com", None));
    fix_spf(&SpfFixInput { domain: "example.com", report: &report, mx_hosts: mx, sending_ip: None })
}

/// example.com with `first` terms, its own include (_spf.example.com: a:out,
/// mx; 192.0.2.20 and .21) and 8 others, one lookup each: 11 in all.
fn own_include_zone(first: &str) -> MemoryResolver {
    let mut z = format!("example.com TXT \"v=spf1 {first}include:_spf.example.com");
    for i in 1..=8 {
        z.push_str(&format!(" include:s{i}.example.net"));
    }
    z.push_str(" -all\"\n_spf.example.com TXT \"v=spf1 a:out.example.com mx -all\"\nout.example.com A 192.0.2.20\n");
    z.push_str("_spf.example.com MX 10 mx.example.com\nmx.example.com A 192.0.2.21\n");
    for i in 1..=8 {
        z.push_str(&format!("s{i}.example.net TXT \"v=spf1 ip4:198.51.100.{i} -all\"\n"));
    }
    zone(&z)
}

#[test]
fn own_domain_includes_are_flattened_first() {
    // 11 lookups: the own _spf include (a + mx inside) is what gets flattened.
    let r = own_include_zone("");
    let fix = fix_of(&r, &[]);
    assert!(fix.valid, "{:#?}", fix.warnings);
    let flat: Vec<_> = fix.changes.iter().filter(|c| c.what.starts_with("Replaced include:")).collect();
    assert_eq!(flat.len(), 1, "{:#?}", fix.changes);
    assert!(flat[0].what.contains("include:_spf.example.com"), "{:#?}", flat);
    assert!(flat[0].why.contains("your own servers"), "{}", flat[0].why);
    assert!(flat[0].why.contains("IPv6"), "a and mx were resolved to IPv4: {}", flat[0].why);
    let mut senders: Vec<IpAddr> = (1..=8).map(|i| ip(&format!("198.51.100.{i}"))).collect();
    senders.extend([ip("192.0.2.20"), ip("192.0.2.21")]);
    prove(&r, "example.com", &fix.text, &senders, ip("203.0.113.250"));
}

#[test]
fn flattened_addresses_that_a_range_already_covers_are_not_added() {
    // 11 lookups; _spf.example.com flattens to 192.0.2.20 and 192.0.2.21, and
    // the record already passes 192.0.2.0/24: only the /24 stays.
    let r = own_include_zone("ip4:192.0.2.0/24 ");
    let fix = fix_of(&r, &[]);
    assert!(fix.valid, "{:#?}", fix.warnings);
    assert!(fix.text.contains("ip4:192.0.2.0/24"), "{}", fix.text);
    assert!(!fix.text.contains("ip4:192.0.2.20") && !fix.text.contains("ip4:192.0.2.21"), "{}", fix.text);
    let senders: Vec<IpAddr> = [ip("192.0.2.20"), ip("192.0.2.21"), ip("198.51.100.3")].into();
    prove(&r, "example.com", &fix.text, &senders, ip("203.0.113.250"));
}

#[test]
fn void_lookups_are_brought_under_two() {
    // mx: three hosts without addresses, one with: 3 voids, permerror for everyone.
    let z = "example.com TXT \"v=spf1 mx ip4:198.51.100.9 -all\"\nexample.com MX 10 a.example.com\nexample.com MX 20 b.example.com\nexample.com MX 30 c.example.com\nexample.com MX 40 d.example.com\nd.example.com A 192.0.2.40";
    let r = zone(z);
    let report = block_on(check_spf(&r, "example.com", None));
    assert_eq!(report.void_lookups, 3);
    let fix = fix_spf(&SpfFixInput { domain: "example.com", report: &report, mx_hosts: &[], sending_ip: None });
    assert!(fix.valid && fix.void_estimate <= 2, "{} {:#?}", fix.text, fix.warnings);
    assert!(!fix.text.contains(" mx"), "{}", fix.text);
    let preview = block_on(preview_spf(&r, "example.com", &fix.text, &[]));
    assert!(preview.void_lookups <= 2, "{}", fix.text);
    prove(&r, "example.com", &fix.text, &[ip("192.0.2.40"), ip("198.51.100.9")], ip("203.0.113.250"));
}

#[test]
fn when_no_valid_record_can_be_built_it_says_so_with_the_choices() {
    // 12 includes that depend on the sender (exists with macros): nothing to flatten.
    let mut z = String::from("example.com TXT \"v=spf1");
    for i in 1..=12 {
        z.push_str(&format!(" include:s{i}.example.net"));
    }
    z.push_str(" -all\"\n");
    for i in 1..=12 {
        z.push_str(&format!(
            "s{i}.example.net TXT \"v=spf1 exists:%{{i}}.s{i}.example.net ip4:198.51.100.{i} -all\"\n"
        ));
    }
    let r = zone(&z);
    let fix = fix_of(&r, &[]);
    assert!(!fix.valid);
    let first = fix.warnings.first().map(String::as_str).unwrap_or("");
    assert!(first.starts_with("No valid SPF record can be built automatically"), "{first}");
    for choice in ["drop senders", "subdomain", "IP ranges"] {
        assert!(first.contains(choice), "{choice}: {first}");
    }
}

#[test]
fn a_record_that_authorises_no_one_is_flagged_on_a_mail_domain() {
    let r = zone("example.com TXT \"v=spf1 include:nospf.example.net -all\"\nnospf.example.net TXT \"hello\"");
    let fix = fix_of(&r, &["mail.example.com".to_string()]);
    assert_eq!(fix.text, "v=spf1 -all");
    assert!(fix.warnings.iter().any(|w| w.contains("authorises no server")), "{:#?}", fix.warnings);
}

/// A generated zone: the domain's record of plain addresses, includes (own and
/// others', nested, with a/mx inside), a/mx terms with hosts that may not
/// resolve; and the addresses the record authorises.
fn generated_zone() -> impl Strategy<Value = (String, Vec<IpAddr>)> {
    // Each element: (kind, with address?) for up to 14 top-level terms.
    prop::collection::vec((0u8..6, any::<bool>(), 0u8..3), 1..14).prop_map(|terms| {
        let mut zone = String::new();
        let mut top = Vec::new();
        let mut senders = Vec::new();
        for (i, (kind, resolves, depth)) in terms.into_iter().enumerate() {
            let addr = format!("198.51.{}.{}", 100 + i, 10 + kind);
            match kind {
                0 => {
                    top.push(format!("ip4:{addr}"));
                    senders.push(addr);
                }
                1 | 2 => {
                    // An include chain of `depth` levels ending in ip4 (own names for kind 1).
                    let base = if kind == 1 { format!("_s{i}.example.com") } else { format!("s{i}.example.net") };
                    top.push(format!("include:{base}"));
                    let mut name = base;
                    for level in 0..depth {
                        let next = format!("l{level}.{name}");
                        zone.push_str(&format!("{name} TXT \"v=spf1 include:{next} ~all\"\n"));
                        name = next;
                    }
                    zone.push_str(&format!("{name} TXT \"v=spf1 ip4:{addr} -all\"\n"));
                    senders.push(addr);
                }
                3 => {
                    let host = format!("h{i}.example.com");
                    top.push(format!("a:{host}"));
                    if resolves {
                        zone.push_str(&format!("{host} A {addr}\n"));
                        senders.push(addr);
                    }
                }
                4 => {
                    // mx of a sub-name: two hosts, the second may not resolve.
                    let name = format!("m{i}.example.com");
                    top.push(format!("mx:{name}"));
                    zone.push_str(&format!("{name} MX 10 x.{name}\n{name} MX 20 y.{name}\nx.{name} A {addr}\n"));
                    senders.push(addr.clone());
                    if resolves {
                        let other = format!("198.51.{}.200", 100 + i);
                        zone.push_str(&format!("y.{name} A {other}\n"));
                        senders.push(other);
                    }
                }
                _ => {
                    // An include of someone else's record with an `a` inside.
                    let name = format!("p{i}.example.org");
                    top.push(format!("include:{name}"));
                    zone.push_str(&format!("{name} TXT \"v=spf1 a:out.{name} -all\"\nout.{name} A {addr}\n"));
                    senders.push(addr);
                }
            }
        }
        zone.push_str(&format!("example.com TXT \"v=spf1 {} -all\"\n", top.join(" ")));
        (zone, senders.iter().map(|s| s.parse().unwrap()).collect())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    // The record offered for any generated zone parses, lints clean, needs at
    // most 10 lookups and 2 void lookups when evaluated over the zone, and
    // every sender the original record authorised still passes.
    #[test]
    fn generated_zones_get_a_record_within_the_limits((text, senders) in generated_zone()) {
        let r = MemoryResolver::from_zone_text(&text).unwrap();
        let fix = fix_of(&r, &[]);
        prop_assert!(fix.valid, "{}\n→ {}\n{:#?}", text, fix.text, fix.warnings);
        let parsed: SpfRecord = fix.text.parse().map_err(|e| TestCaseError::fail(format!("{}: {e:?}", fix.text)))?;
        prop_assert_eq!(parsed.to_string(), fix.text.clone());
        let strings: Vec<Vec<u8>> = maildoctor_core::generate::split_strings(&fix.text).into_iter().map(String::into_bytes).collect();
        let errors: Vec<_> = lint_text("example.com", &strings).into_iter().filter(|f| f.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "{}: {:?}", fix.text, errors);
        let preview = block_on(preview_spf(&r, "example.com", &fix.text, &senders));
        prop_assert!(preview.errors().is_empty(), "{}\n→ {}: {:?}", text, fix.text, preview.errors());
        prop_assert!(preview.lookup_count <= MAX_LOOKUPS, "{} lookups: {}", preview.lookup_count, fix.text);
        prop_assert!(preview.void_lookups <= 2, "{} voids: {}", preview.void_lookups, fix.text);
        for (ip, result) in &preview.senders {
            prop_assert_eq!(*result, SpfResult::Pass, "{} lost {}\n{}", fix.text, ip, text);
        }
    }
}
