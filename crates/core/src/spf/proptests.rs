//! Property tests: Display → parse round-trips, and no input makes the
//! parser, the macro expander, the linter or check_host() panic.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use futures::executor::block_on;
use proptest::prelude::*;

use super::macros::{MacroString, MacroSyntax, MacroValues};
use super::record::{Directive, DomainSpec, DualCidr, Mechanism, Modifier, Qualifier, SpfRecord, Term};
use crate::dns::{MemoryResolver, RData};

fn domain_spec() -> impl Strategy<Value = DomainSpec> {
    prop_oneof![
        "[a-z0-9_]{1,8}(\\.[a-z0-9-]{1,8}){0,3}\\.[a-z][a-z0-9]{1,5}\\.?",
        "%\\{[slodiphvSLODIPHV][0-9]{0,2}r?[-.+,/_=]{0,2}\\}(\\.[a-z]{1,6}){0,2}\\.[a-z]{2,4}",
        "[a-z]{1,5}\\.%\\{[dDiIhHoO][1-9]?r?\\}",
        "[a-z]{1,4}%%%_%-[a-z]{1,4}\\.[a-z]{2,4}",
    ]
    .prop_filter_map("a valid domain-spec", |s| s.parse::<DomainSpec>().ok())
}

fn qualifier() -> impl Strategy<Value = Qualifier> {
    prop_oneof![Just(Qualifier::Pass), Just(Qualifier::Fail), Just(Qualifier::SoftFail), Just(Qualifier::Neutral)]
}

fn dual_cidr() -> impl Strategy<Value = DualCidr> {
    (proptest::option::of(0u8..=32), proptest::option::of(0u8..=128)).prop_map(|(v4, v6)| DualCidr { v4, v6 })
}

fn mechanism() -> impl Strategy<Value = Mechanism> {
    prop_oneof![
        Just(Mechanism::All),
        domain_spec().prop_map(Mechanism::Include),
        (proptest::option::of(domain_spec()), dual_cidr()).prop_map(|(domain, cidr)| Mechanism::A { domain, cidr }),
        (proptest::option::of(domain_spec()), dual_cidr()).prop_map(|(domain, cidr)| Mechanism::Mx { domain, cidr }),
        proptest::option::of(domain_spec()).prop_map(Mechanism::Ptr),
        (any::<u32>(), proptest::option::of(0u8..=32))
            .prop_map(|(a, prefix)| Mechanism::Ip4 { addr: Ipv4Addr::from(a), prefix }),
        (any::<u128>(), proptest::option::of(0u8..=128))
            .prop_map(|(a, prefix)| Mechanism::Ip6 { addr: Ipv6Addr::from(a), prefix }),
        domain_spec().prop_map(Mechanism::Exists),
    ]
}

fn modifier() -> impl Strategy<Value = Modifier> {
    prop_oneof![
        domain_spec().prop_map(Modifier::Redirect),
        domain_spec().prop_map(Modifier::Explanation),
        ("[a-zA-Z][a-zA-Z0-9._-]{0,8}", "([!-$&-~]|%%|%_|%-|%\\{[slodiphvcrt][0-9]?r?\\}){0,12}")
            .prop_filter("not a known modifier", |(n, _)| {
                !n.eq_ignore_ascii_case("redirect") && !n.eq_ignore_ascii_case("exp")
            })
            .prop_filter_map("a valid macro-string", |(name, value)| {
                MacroString::parse(&value, 0, MacroSyntax::ModifierValue)
                    .ok()
                    .map(|value| Modifier::Unknown { name, value })
            }),
    ]
}

fn record() -> impl Strategy<Value = SpfRecord> {
    let term = prop_oneof![
        3 => (qualifier(), mechanism()).prop_map(|(qualifier, mechanism)| Term::Directive(Directive { qualifier, mechanism })),
        1 => modifier().prop_map(Term::Modifier),
    ];
    proptest::collection::vec(term, 0..10)
        .prop_filter("redirect and exp at most once", |terms| {
            let count = |f: fn(&Term) -> bool| terms.iter().filter(|t| f(t)).count();
            count(|t| matches!(t, Term::Modifier(Modifier::Redirect(_)))) <= 1
                && count(|t| matches!(t, Term::Modifier(Modifier::Explanation(_)))) <= 1
        })
        .prop_map(SpfRecord::new)
}

/// Text that is mostly SPF-shaped, so the fuzzing reaches deep into the parser.
fn spf_like_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("all".to_string()),
        Just("-all".to_string()),
        "[+~?-]?(a|mx|ptr|include|exists|ip4|ip6)[:/]?[ -~]{0,20}",
        "[a-z]{1,6}=[ -~]{0,12}",
        "%\\{?[a-zA-Z0-9.+/_=-]{0,5}\\}?",
        "[\\x00-\\x7f]{0,8}",
        ".{0,6}",
    ];
    ("(v=spf1|V=SPF1|v=spf1 |)", proptest::collection::vec(word, 0..8))
        .prop_map(|(version, words)| format!("{version} {}", words.join(" ")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn display_then_parse_round_trips(rec in record()) {
        let text = rec.to_string();
        let back: SpfRecord = text.parse().map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(&back, &rec);
        prop_assert_eq!(back.to_string(), text);
    }

    #[test]
    fn parse_then_display_is_stable(text in spf_like_text()) {
        if let Ok(rec) = text.parse::<SpfRecord>() {
            let shown = rec.to_string();
            let again: SpfRecord = shown.parse().map_err(|e| TestCaseError::fail(format!("{shown}: {e}")))?;
            prop_assert_eq!(again, rec);
        }
    }

    #[test]
    fn parser_never_panics_and_points_inside(text in prop_oneof![spf_like_text(), ".*", "v=spf1 [\\x00-\\xff]{0,40}"]) {
        match super::record::SpfRecord::parse_positioned(&text) {
            Ok(p) => {
                prop_assert_eq!(p.term_spans.len(), p.record.terms.len());
                for s in &p.term_spans {
                    prop_assert!(s.end <= text.len() && text.get(s.clone()).is_some());
                }
            }
            Err(e) => {
                prop_assert!(e.offset <= text.len(), "offset {} > {}", e.offset, text.len());
                prop_assert!(!e.message.is_empty());
            }
        }
        let _ = super::lint::lint_text("example.com", &[text.as_bytes().to_vec()]);
    }

    #[test]
    fn macro_expansion_never_panics(
        text in prop_oneof!["([ -~]|%\\{[a-zA-Z][0-9]{0,12}[rR]?[-.+,/_=]{0,3}\\})*", ".*"],
        sender in ".*",
        domain in ".*",
        helo in ".*",
        ip in prop_oneof![any::<u32>().prop_map(|a| IpAddr::V4(a.into())), any::<u128>().prop_map(|a| IpAddr::V6(a.into()))],
    ) {
        for syntax in [MacroSyntax::DomainSpec, MacroSyntax::ModifierValue, MacroSyntax::Explanation] {
            if let Ok(ms) = MacroString::parse(&text, 0, syntax) {
                let values = MacroValues {
                    sender: &sender, domain: &domain, ip, helo: &helo,
                    validated_name: None, receiver: "unknown", timestamp: 0,
                };
                let out = ms.expand(&values);
                let _ = super::macros::truncate_domain(&out);
                prop_assert_eq!(MacroString::parse(&ms.to_string(), 0, syntax).ok(), Some(ms));
            }
        }
    }

    #[test]
    fn check_host_never_panics(
        text in spf_like_text(),
        sender in "[ -~]{0,20}",
        ip in prop_oneof![any::<u32>().prop_map(|a| IpAddr::V4(a.into())), any::<u128>().prop_map(|a| IpAddr::V6(a.into()))],
    ) {
        let mut zone = MemoryResolver::new();
        zone.add("example.com", 300, RData::Txt(vec![text.into_bytes()]));
        zone.add("example.com", 300, RData::A(Ipv4Addr::new(192, 0, 2, 1)));
        let eval = block_on(super::check_host(&zone, ip, "example.com", &sender, "mail.example.com"));
        prop_assert!(eval.lookup_count <= 11);
        let report = block_on(super::check_spf(&zone, "example.com", Some(ip)));
        prop_assert!(!report.findings.is_empty());
    }
}
