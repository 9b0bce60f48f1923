//! The SPF checks: record parser, linter, check_host() and the macro expander.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use futures::executor::block_on;
use maildoctor_core::dns::{MemoryResolver, RData};
use maildoctor_core::spf::macros::{truncate_domain, MacroString, MacroSyntax, MacroValues};
use maildoctor_core::spf::{check_host, lint_text, SpfRecord};

/// The record parser, the linter and check_host() on `data` as a TXT record.
pub fn check_record(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match SpfRecord::parse_positioned(&text) {
        Ok(parsed) => {
            assert_eq!(parsed.term_spans.len(), parsed.record.terms.len());
            for span in &parsed.term_spans {
                assert!(text.get(span.clone()).is_some(), "span {span:?} outside {text:?}");
            }
            let shown = parsed.record.to_string();
            let again: SpfRecord =
                shown.parse().unwrap_or_else(|e| panic!("Display output {shown:?} does not parse: {e}"));
            assert_eq!(again, parsed.record, "round trip of {text:?} via {shown:?}");
        }
        Err(e) => assert!(e.offset <= text.len(), "error offset {} beyond {} bytes: {e}", e.offset, text.len()),
    }
    let _ = lint_text("example.com", &[data.to_vec()]);
    if data.len() <= 512 {
        let mut zone = MemoryResolver::new();
        zone.add("example.com", 300, RData::Txt(vec![data.to_vec()]));
        zone.add("example.com", 300, RData::A(Ipv4Addr::new(192, 0, 2, 1)));
        let ip = ip_from(data);
        let eval = block_on(check_host(&zone, ip, "example.com", "someone@example.com", "mail.example.com"));
        assert!(eval.lookup_count <= 11, "the limit of 10 lookups was not enforced: {}", eval.lookup_count);
    }
}

/// The macro-string parser and expander: the first byte picks the syntax, the rest is the text.
pub fn check_macro(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let syntax = match selector % 3 {
        0 => MacroSyntax::DomainSpec,
        1 => MacroSyntax::ModifierValue,
        _ => MacroSyntax::Explanation,
    };
    let text = String::from_utf8_lossy(rest);
    match MacroString::parse(&text, 0, syntax) {
        Ok(ms) => {
            let shown = ms.to_string();
            assert_eq!(MacroString::parse(&shown, 0, syntax).ok().as_ref(), Some(&ms), "round trip of {text:?}");
            // Values made from the input too, so odd senders and HELO names are covered.
            let values = MacroValues {
                sender: &text,
                domain: "example.com",
                ip: ip_from(rest),
                helo: &text,
                validated_name: if selector & 4 == 0 { None } else { Some("mail.example.com") },
                receiver: "unknown",
                timestamp: u64::from(selector),
            };
            let expanded = ms.expand(&values);
            assert!(truncate_domain(&expanded).len() <= 253);
        }
        Err(e) => assert!(e.offset <= text.len()),
    }
}

fn ip_from(data: &[u8]) -> IpAddr {
    let mut b = [0u8; 16];
    for (slot, byte) in b.iter_mut().zip(data.iter().rev()) {
        *slot = *byte;
    }
    if data.len().is_multiple_of(2) {
        IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
    } else {
        IpAddr::V6(Ipv6Addr::from(b))
    }
}
