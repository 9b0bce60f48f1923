//! A checked request for a domain with nothing else given, as the form makes
//! one from the domain field alone (tests that need more set those fields
//! with `..domain_request(…)`).

use maildoctor_core::check::request::{Request, ResolverSetting};
use maildoctor_core::input::{parse_domain, NativeIdna};

pub fn domain_request(domain: &str) -> Request {
    Request {
        domain: parse_domain(domain, &NativeIdna).unwrap(),
        recipient: None,
        sending_ip: None,
        dkim_selectors: Vec::new(),
        smtp_text: None,
        reply: None,
        mta_sts_policy: None,
        resolver: ResolverSetting::Cloudflare,
    }
}
