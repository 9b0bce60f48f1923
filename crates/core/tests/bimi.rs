//! BIMI: the assertion record parser (table, round trip, properties) and the
//! check on small zones, with the DMARC-enforcement prerequisite.

use futures::executor::block_on;
use maildoctor_core::bimi::{check_bimi, dmarc_enforcement, BimiErrorKind as K, BimiRecord};
use maildoctor_core::dmarc::check_dmarc;
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::finding::Severity;

#[test]
fn record_table() {
    let ok = [
        ("v=BIMI1; l=https://example.com/logo.svg; a=https://example.com/vmc.pem", true, true),
        ("v=BIMI1; l=https://example.com/logo.svg", true, false),
        ("v=BIMI1; l=; a=;", false, false),
        ("v=BIMI1;l=https://example.com/l.svg;avp=brand", true, false),
    ];
    for (text, logo, authority) in ok {
        let r: BimiRecord = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!((r.logo.is_some(), r.authority.is_some()), (logo, authority), "{text}");
        assert_eq!(r.to_string().parse::<BimiRecord>(), Ok(r), "{text}");
    }
    let bad = [
        ("v=BIMI2; l=https://x.example/l.svg", K::NotBimi1, 0),
        ("v=BIMI1; a=https://x.example/a.pem", K::MissingLogo, 34),
        ("v=BIMI1; l=http://x.example/l.svg", K::NotHttps, 11),
        ("v=BIMI1; l=https://x.example/l.svg; a=ftp://x", K::NotHttps, 38),
        ("v=BIMI1; l=; l=", K::DuplicateField, 13),
        ("v=BIMI1; l= https://x.example/l.svg", K::MalformedField, 9),
    ];
    for (text, kind, offset) in bad {
        let e = text.parse::<BimiRecord>().unwrap_err();
        assert_eq!((e.kind, e.offset), (kind, offset), "{text}: {e}");
    }
}

const ZONE: &str = r#"
default._bimi.good.test    TXT "v=BIMI1; l=https://good.test/logo.svg; a=https://good.test/vmc.pem"
default._bimi.noa.test     TXT "v=BIMI1; l=https://noa.test/logo.png"
default._bimi.declined.test TXT "v=BIMI1; l=;"
default._bimi.bad.test     TXT "v=BIMI1; l=http://bad.test/logo.svg"
default._bimi.down.test    FAULT servfail
"#;

fn codes(domain: &str, dmarc: Option<Result<(), String>>) -> Vec<(&'static str, Severity)> {
    let r = MemoryResolver::from_zone_text(ZONE).unwrap();
    let report = block_on(check_bimi(&r, domain, dmarc));
    assert_eq!(report.lookups[0].name, format!("default._bimi.{domain}"));
    let mut got: Vec<_> = report.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect();
    got.sort();
    got
}

#[test]
fn check_on_zones() {
    use Severity::*;
    assert_eq!(codes("good.test", Some(Result::Ok(()))), vec![("bimi.ok", Ok)]);
    // BIMI with p=none: the logo is ignored.
    assert_eq!(
        codes("good.test", Some(Err("p=none".into()))),
        vec![("bimi.dmarc-not-enforced", Error), ("bimi.ok", Ok)]
    );
    assert_eq!(codes("good.test", None), vec![("bimi.dmarc-unknown", Info), ("bimi.ok", Ok)]);
    assert_eq!(
        codes("noa.test", Some(Result::Ok(()))),
        vec![("bimi.logo-not-svg", Warning), ("bimi.no-authority", Info), ("bimi.ok", Ok)]
    );
    assert_eq!(codes("declined.test", Some(Result::Ok(()))), vec![("bimi.declined", Info)]);
    // A declination asks for no logo: weak DMARC does not fail it.
    assert_eq!(codes("declined.test", Some(Err("p=none".into()))), vec![("bimi.declined", Info)]);
    assert_eq!(codes("bad.test", Some(Result::Ok(()))), vec![("bimi.syntax", Error)]);
    assert_eq!(codes("none.test", Some(Err("p=none".into()))), vec![("bimi.none", Info)]);
    assert_eq!(codes("down.test", Some(Result::Ok(()))), vec![("bimi.lookup-failed", Warning)]);
}

/// BIMI's DMARC requirement (the draft's receiver steps 7 to 9), from the DMARC
/// check's answer: the policy that applies, the organizational domain's own
/// record, sp=none, pct under 100 with quarantine, and RFC 9989's t=y.
#[test]
fn dmarc_requirement_from_the_dmarc_answer() {
    const DMARC: &str = r#"
_dmarc.org.test        TXT "v=DMARC1; p=reject"
org.test               MX 10 mx.org.test
_dmarc.weak.test       TXT "v=DMARC1; p=none"
_dmarc.sub.weak.test   TXT "v=DMARC1; p=reject"
sub.weak.test          MX 10 mx.org.test
_dmarc.sp.test         TXT "v=DMARC1; p=reject; sp=none"
_dmarc.pct.test        TXT "v=DMARC1; p=quarantine; pct=50"
_dmarc.full.test       TXT "v=DMARC1; p=quarantine; pct=100"
_dmarc.t.test          TXT "v=DMARC1; p=reject; t=y"
_dmarc.inherit.test    TXT "v=DMARC1; p=reject; sp=quarantine"
a.inherit.test         MX 10 mx.org.test
_dmarc.down.test       FAULT servfail
"#;
    let r = MemoryResolver::from_zone_text(DMARC).unwrap();
    let verdict = |domain: &str| dmarc_enforcement(&block_on(check_dmarc(&r, domain)));
    assert_eq!(verdict("org.test"), Some(Ok(())));
    assert_eq!(verdict("full.test"), Some(Ok(())));
    // An inherited record: sp=quarantine applies to the subdomain.
    assert_eq!(verdict("a.inherit.test"), Some(Ok(())));
    // The subdomain's own record is at reject, its organizational domain's is p=none.
    assert_eq!(verdict("sub.weak.test"), Some(Err("_dmarc.weak.test has p=none".into())));
    assert_eq!(verdict("sp.test"), Some(Err("_dmarc.sp.test has sp=none".into())));
    assert_eq!(verdict("pct.test"), Some(Err("_dmarc.pct.test has p=quarantine with pct=50".into())));
    assert_eq!(verdict("t.test"), Some(Err("_dmarc.t.test has t=y (testing)".into())));
    assert_eq!(verdict("nothing.test"), Some(Err("the policy for nothing.test is none".into())));
    assert_eq!(verdict("down.test"), None);
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn url(ext: &'static str) -> impl Strategy<Value = String> {
        ("[a-z0-9-]{1,10}\\.[a-z]{2,5}", "[a-zA-Z0-9/_-]{0,12}").prop_map(move |(h, p)| format!("https://{h}/{p}{ext}"))
    }

    proptest! {
        #[test]
        fn records_round_trip(logo in prop::option::of(url(".svg")), authority in prop::option::of(url(".pem"))) {
            let r = BimiRecord { logo, authority, extensions: vec![] };
            prop_assert_eq!(r.to_string().parse::<BimiRecord>(), Ok(r));
        }

        #[test]
        fn errors_point_inside_the_text(text in "(v=BIMI1|l=|a=|https://|[;=/ a-z.])*") {
            if let Err(e) = text.parse::<BimiRecord>() { prop_assert!(e.offset <= text.len()); }
        }
    }
}
