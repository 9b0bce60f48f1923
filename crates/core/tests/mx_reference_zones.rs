//! The end-to-end reference zones (tests/e2e/zones) through the MX, PTR and
//! DMARC checks natively: the browser tests expect exactly these codes.

use futures::executor::block_on;
use maildoctor_core::dmarc::check_dmarc;
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::finding::Severity;
use maildoctor_core::mx::check_mx;
use maildoctor_core::ptr::{check_ptr, ptr_targets};

fn zones() -> MemoryResolver {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/e2e/zones");
    let mut text = String::new();
    for name in ["healthy.zone", "broken.zone", "faults.zone"] {
        text.push_str(&std::fs::read_to_string(format!("{dir}/{name}")).unwrap());
        text.push('\n');
    }
    MemoryResolver::from_zone_text(&text).unwrap()
}

fn codes(findings: &[maildoctor_core::finding::Finding]) -> Vec<&'static str> {
    let mut c: Vec<&'static str> = findings.iter().map(|f| f.code.as_str()).collect();
    c.sort();
    c
}

#[test]
fn healthy_domain_passes_everything() {
    let r = zones();
    let mx = block_on(check_mx(&r, "healthy.example"));
    assert_eq!(codes(&mx.findings), ["mx.ok"]);
    let ptr = block_on(check_ptr(&r, &ptr_targets(&mx, None)));
    assert_eq!(codes(&ptr.findings), ["ptr.ok", "ptr.ok"]);
    let dmarc = block_on(check_dmarc(&r, "healthy.example"));
    assert_eq!(codes(&dmarc.findings), ["dmarc.ok"]);
}

#[test]
fn broken_domain_names_each_problem() {
    let r = zones();
    let mx = block_on(check_mx(&r, "broken.example"));
    assert!(codes(&mx.findings).contains(&"mx.target-cname"), "{:?}", codes(&mx.findings));
    let ptr = block_on(check_ptr(&r, &ptr_targets(&mx, None)));
    assert_eq!(codes(&ptr.findings), ["ptr.missing"]);
    let dmarc = block_on(check_dmarc(&r, "broken.example"));
    assert_eq!(codes(&dmarc.findings), ["dmarc.none"]);
}

#[test]
fn resolver_failures_are_unknown_not_broken() {
    let r = zones();
    for (domain, word) in [("servfail.example", "SERVFAIL"), ("slow.example", "timed out")] {
        let mx = block_on(check_mx(&r, domain));
        assert_eq!(codes(&mx.findings), ["mx.lookup-failed"], "{domain}");
        assert!(mx.findings[0].message.contains(word), "{}", mx.findings[0].message);
        let dmarc = block_on(check_dmarc(&r, domain));
        assert_eq!(codes(&dmarc.findings), ["dmarc.lookup-failed"], "{domain}");
        assert!(dmarc.findings.iter().all(|f| f.severity == Severity::Warning));
        assert!(dmarc.findings[0].message.contains(word), "{}", dmarc.findings[0].message);
    }
}
