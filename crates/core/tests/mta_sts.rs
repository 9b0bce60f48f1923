//! MTA-STS (RFC 8461): the TXT record and policy file parsers (tables, round trips,
//! properties) and the check on small zones, with and without a pasted policy.

use futures::executor::block_on;
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::finding::Severity;
use maildoctor_core::mta_sts::{
    check_mta_sts, Mode, MtaStsPolicy, MtaStsRecord, MtaStsRecordErrorKind as R, MxPattern, PolicyErrorKind as P,
};

#[test]
fn txt_record_table() {
    let ok = [
        ("v=STSv1; id=20160831085700Z;", "20160831085700Z", 0),
        ("v=STSv1;id=1", "1", 0),
        ("v=STSv1; id=abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345", 0),
        ("v=STSv1 ; id=x ; ext_1=a:b", "x", 1),
    ];
    for (text, id, ext) in ok {
        let r: MtaStsRecord = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!((r.id.as_str(), r.extensions.len()), (id, ext), "{text}");
        assert_eq!(r.to_string().parse::<MtaStsRecord>(), Ok(r), "{text}");
    }
    let bad = [
        ("v=STSv2; id=1", R::NotStsV1, 0),
        ("v=stsv1; id=1", R::NotStsV1, 0),
        ("id=1; v=STSv1", R::NotStsV1, 0),
        ("v=STSv1", R::MissingId, 7),
        ("v=STSv1; id=", R::BadId, 12),
        ("v=STSv1; id=abcdefghijklmnopqrstuvwxyz0123456", R::BadId, 12),
        ("v=STSv1; id=2024-01-01", R::BadId, 12),
        ("v=STSv1; id=1; id=2", R::DuplicateField, 15),
        ("v=STSv1;; id=1", R::MalformedField, 8),
        ("v=STSv1; id = 1", R::MalformedField, 9),
        ("v=STSv1; id=1; _x=1", R::BadExtension, 15),
    ];
    for (text, kind, offset) in bad {
        let e = text.parse::<MtaStsRecord>().unwrap_err();
        assert_eq!((e.kind, e.offset), (kind, offset), "{text}: {e}");
    }
}

const POLICY: &str =
    "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n";

#[test]
fn policy_table() {
    let p: MtaStsPolicy = POLICY.parse().unwrap();
    assert_eq!((p.mode, p.max_age, p.mx.len()), (Mode::Enforce, 604800, 2));
    assert_eq!(p.to_string(), POLICY);
    // LF lines, no final newline, fields in another order, an extension: all fine.
    let lf = "mode: testing\nversion: STSv1\nmx: a.example\nmax_age:86400\nfuture_field: some value";
    let p: MtaStsPolicy = lf.parse().unwrap();
    assert_eq!((p.mode, p.extensions.len()), (Mode::Testing, 1));
    assert_eq!(p.to_string().parse::<MtaStsPolicy>(), Ok(p));
    // mode: none needs no mx (the withdrawal policy of §8.3).
    assert_eq!("version: STSv1\nmode: none\nmax_age: 86400\n".parse::<MtaStsPolicy>().unwrap().mode, Mode::None);
    let bad = [
        ("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1", P::BadVersion, 9),
        ("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1", P::BadMode, 21),
        ("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601", P::MaxAgeTooLong, 52),
        ("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1", P::BadMaxAge, 52),
        ("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901", P::BadMaxAge, 52),
        ("version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1", P::BadMx, 33),
        ("version: STSv1\nmode: enforce\nmax_age: 1", P::MissingMx, 39),
        ("version: STSv1\nmode: enforce\nmx: a.example", P::MissingField, 42),
        ("version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmax_age: 1", P::DuplicateField, 29),
        ("version STSv1\nmode: enforce", P::MalformedLine, 0),
        ("version : STSv1", P::MalformedLine, 0),
    ];
    for (text, kind, offset) in bad {
        let e = text.parse::<MtaStsPolicy>().unwrap_err();
        assert_eq!((e.kind, e.offset), (kind, offset), "{text:?}: {e}");
    }
    assert_eq!(
        "version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 31557600\r\n"
            .parse::<MtaStsPolicy>()
            .unwrap()
            .max_age,
        31_557_600
    );
}

#[test]
fn wildcard_matches_exactly_one_label() {
    let p: MxPattern = "*.mail.example".parse().unwrap();
    for (host, matches) in
        [("mx1.mail.example", true), ("MX1.Mail.Example.", true), ("mail.example", false), ("a.b.mail.example", false)]
    {
        assert_eq!(p.matches(host), matches, "{host}");
    }
}

const ZONE: &str = r#"
_mta-sts.good.test          TXT "v=STSv1; id=20260101"
mta-sts.good.test           A   192.0.2.10
_mta-sts.nohost.test        TXT "v=STSv1; id=1"
_mta-sts.two.test           TXT "v=STSv1; id=1"
_mta-sts.two.test           TXT "v=STSv1; id=2"
mta-sts.two.test            A   192.0.2.10
_mta-sts.bad.test           TXT "v=STSv1; id=not-valid"
mta-sts.bad.test            A   192.0.2.10
_mta-sts.other.test         TXT "google-site-verification=x"
_mta-sts.down.test          FAULT servfail
_mta-sts.down.test          EDE 22 "no reachable authority at down.test"
"#;

fn check(domain: &str, policy: Option<&str>, mx: &[&str]) -> Vec<(&'static str, Severity)> {
    let r = MemoryResolver::from_zone_text(ZONE).unwrap();
    let mx: Vec<String> = mx.iter().map(|s| s.to_string()).collect();
    let report = block_on(check_mta_sts(&r, domain, policy, &mx));
    assert_eq!(report.lookups.len(), 3);
    let mut got: Vec<_> = report.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect();
    got.sort();
    got
}

/// (domain, pasted policy, MX hosts, expected findings).
type Case<'a> = (&'a str, Option<&'a str>, &'a [&'a str], Vec<(&'a str, Severity)>);

#[test]
fn check_on_zones() {
    use Severity::*;
    let good_mx = &["mail.example.com", "mx2.example.net"];
    let testing = POLICY.replace("enforce", "testing").replace("604800", "3600");
    let cases: Vec<Case> = vec![
        ("good.test", None, good_mx, vec![("mta-sts.policy-not-fetched", Info), ("mta-sts.record-ok", Ok)]),
        ("good.test", Some(POLICY), good_mx, vec![("mta-sts.mx-covered", Ok), ("mta-sts.record-ok", Ok)]),
        // Enforce with an MX the pasted policy does not cover: that MX gets no mail.
        (
            "good.test",
            Some(POLICY),
            &["mail.example.com", "backup.example.org"],
            vec![("mta-sts.mx-not-covered", Error), ("mta-sts.record-ok", Ok)],
        ),
        (
            "good.test",
            Some(&testing),
            &["a.b.example.net"],
            vec![
                ("mta-sts.max-age-short", Warning),
                ("mta-sts.mode-testing", Info),
                ("mta-sts.mx-not-covered-testing", Warning),
                ("mta-sts.record-ok", Ok),
            ],
        ),
        (
            "good.test",
            Some("version: STSv1\nmode: none\nmax_age: 86400"),
            good_mx,
            vec![("mta-sts.mode-none", Info), ("mta-sts.record-ok", Ok)],
        ),
        (
            "good.test",
            Some("mode: enforce"),
            good_mx,
            vec![("mta-sts.policy-syntax", Error), ("mta-sts.record-ok", Ok)],
        ),
        (
            "nohost.test",
            None,
            good_mx,
            vec![("mta-sts.host-missing", Error), ("mta-sts.policy-not-fetched", Info), ("mta-sts.record-ok", Ok)],
        ),
        ("two.test", None, good_mx, vec![("mta-sts.multiple", Error)]),
        ("bad.test", None, good_mx, vec![("mta-sts.record-syntax", Error)]),
        ("other.test", None, good_mx, vec![("mta-sts.none", Info)]),
        ("nothing.test", None, good_mx, vec![("mta-sts.none", Info)]),
        ("down.test", None, good_mx, vec![("mta-sts.lookup-failed", Warning)]),
    ];
    for (domain, policy, mx, want) in cases {
        assert_eq!(check(domain, policy, mx), want, "{domain} {policy:?}");
    }
}

#[test]
fn report_carries_the_curl_command_and_the_resolver_reason() {
    let r = MemoryResolver::from_zone_text(ZONE).unwrap();
    let report = block_on(check_mta_sts(&r, "Good.Test.", None, &[]));
    assert_eq!(report.policy_url, "https://mta-sts.good.test/.well-known/mta-sts.txt");
    assert!(report.curl_command.starts_with("curl ") && report.curl_command.contains("--max-redirs 0"));
    // The finding names the URL; the section shows the command (not twice: no hint with it).
    let unfetched = report.findings.iter().find(|f| f.code == "mta-sts.policy-not-fetched").unwrap();
    assert!(unfetched.message.contains(&report.policy_url) && unfetched.hint.is_none(), "{unfetched:?}");
    let report = block_on(check_mta_sts(&r, "down.test", None, &[]));
    let f = &report.findings[0];
    assert!(f.message.contains("No Reachable Authority (22): no reachable authority at down.test"), "{}", f.message);
    assert!(f.evidence[0].status.contains("(22)"));
    // A pasted policy that fails points at its bad line.
    let report = block_on(check_mta_sts(&r, "good.test", Some("version: STSv1\nmode: sometimes\n"), &[]));
    let bad = report.findings.iter().find(|f| f.code == "mta-sts.policy-syntax").unwrap();
    assert_eq!(bad.marked_subject().map(|(_, m, _)| m), Some("sometimes"));
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn label() -> impl Strategy<Value = String> {
        "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?"
    }

    fn pattern() -> impl Strategy<Value = MxPattern> {
        (any::<bool>(), prop::collection::vec(label(), 1..4))
            .prop_map(|(wildcard, labels)| MxPattern { wildcard, domain: labels.join(".") })
    }

    proptest! {
        #[test]
        fn records_round_trip(id in "[A-Za-z0-9]{1,32}", ext in prop::collection::vec(("[a-z][a-z0-9_.-]{0,10}", "[!-:<>-~]{1,10}"), 0..3)) {
            let ext: Vec<(String, String)> = ext.into_iter().filter(|(n, _)| n != "id" && n != "v").collect();
            let mut seen = std::collections::HashSet::new();
            let ext: Vec<_> = ext.into_iter().filter(|(n, _)| seen.insert(n.clone())).collect();
            let r = MtaStsRecord { id, extensions: ext };
            prop_assert_eq!(r.to_string().parse::<MtaStsRecord>(), Ok(r));
        }

        #[test]
        fn policies_round_trip(
            mode in prop::sample::select(vec![Mode::Enforce, Mode::Testing, Mode::None]),
            max_age in 0u32..=31_557_600,
            mx in prop::collection::vec(pattern(), 1..4),
        ) {
            let p = MtaStsPolicy { mode, max_age, mx, extensions: vec![("x-note".into(), "a b: c".into())] };
            prop_assert_eq!(p.to_string().parse::<MtaStsPolicy>(), Ok(p.clone()));
            prop_assert_eq!(p.to_string().replace("\r\n", "\n").parse::<MtaStsPolicy>(), Ok(p));
        }

        #[test]
        fn wildcard_never_matches_two_labels(p in pattern(), a in label(), b in label()) {
            prop_assert_eq!(p.matches(&format!("{a}.{}", p.domain)), p.wildcard);
            let deeper = format!("{a}.{b}.{}", p.domain);
            prop_assert!(!p.matches(&deeper));
        }

        #[test]
        fn errors_point_inside_the_text(text in "(v=STSv1|version: STSv1|mode: |mx: |max_age: |id=|[;:=\\n\\r *. a-z0-9])*") {
            if let Err(e) = text.parse::<MtaStsRecord>() { prop_assert!(e.offset <= text.len()); }
            if let Err(e) = text.parse::<MtaStsPolicy>() { prop_assert!(e.offset <= text.len()); }
        }
    }
}
