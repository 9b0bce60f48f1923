//! RFC 9990 §4 external report authorisation published as a DNS wildcard
//! (`*._report._dmarc.<destination>`, RFC 4592), over the e2e zone that the
//! fixture and the real DNS stack both serve (tests/e2e/zones/wildcard.zone;
//! crates/doh-fixture/tests/differential.rs holds their answers together).

use futures::executor::block_on;
use maildoctor_core::dmarc::check_dmarc;
use maildoctor_core::dns::{MemoryResolver, Outcome};

fn zone() -> MemoryResolver {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/e2e/zones/wildcard.zone");
    MemoryResolver::from_zone_text(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn codes(domain: &str) -> Vec<&'static str> {
    let report = block_on(check_dmarc(&zone(), domain));
    let mut codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    codes.sort();
    codes
}

#[test]
fn a_wildcard_authorises_reports() {
    assert_eq!(codes("shop.example"), ["dmarc.external-authorized", "dmarc.ok"]);
    let report = block_on(check_dmarc(&zone(), "shop.example"));
    let external = &report.external[0];
    assert_eq!(external.domain, "dmarc-reports.example");
    assert_eq!(external.authorized, Some(true));
    // The answer is synthesised for the name asked, as a resolver returns it.
    let Outcome::Records(records) = &external.lookup.outcome else { panic!("{:?}", external.lookup.outcome) };
    assert_eq!(records[0].name, "shop.example._report._dmarc.dmarc-reports.example");
}

/// RFC 4592 §3.3.1: other.example.org's own name at the report service makes
/// example.org._report._dmarc.dmarc-reports.example exist (empty), and that empty
/// name, not the wildcard's parent, is the closest encloser of shop.example.org's.
#[test]
fn an_empty_non_terminal_blocks_the_wildcard() {
    assert_eq!(codes("shop.example.org"), ["dmarc.external-unauthorized", "dmarc.ok"]);
    let report = block_on(check_dmarc(&zone(), "shop.example.org"));
    assert_eq!(report.external[0].lookup.outcome, Outcome::NxDomain);
}
