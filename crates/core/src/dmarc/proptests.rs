//! Property tests for issue 17: whatever else a record says, one with a
//! repeated tag, anything before `v=DMARC1`, or whitespace other than SP and
//! HTAB in its policy tag is never applied — no policy is taken from it.

use futures::executor::block_on;
use proptest::prelude::*;

use super::check::check_dmarc;
use super::record::{parse_dmarc, Policy};
use crate::dns::{MemoryResolver, RData};

const DOMAIN: &str = "example.test";

/// The policy the DMARC check applies when `text` is the only DMARC record in DNS.
fn applied(text: &str) -> Option<Policy> {
    let mut r = MemoryResolver::new();
    r.add(&format!("_dmarc.{DOMAIN}"), 300, RData::Txt(vec![text.as_bytes().to_vec()]));
    block_on(check_dmarc(&r, DOMAIN)).applied_policy
}

fn strict_policy() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("quarantine"), Just("reject")]
}

/// Valid `tag=value` parts other than `p`.
fn other_tags() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::sample::subsequence(
        vec!["sp=reject", "np=quarantine", "adkim=s", "aspf=r", "psd=u", "t=n", "ruf=mailto:f@example.test", "fo=1:d"],
        0..4,
    )
}

fn rua() -> impl Strategy<Value = Option<&'static str>> {
    proptest::option::of(Just("rua=mailto:d@example.test"))
}

/// Whitespace that is neither SP nor HTAB (RFC 5234 WSP), and other invisible characters.
fn bad_whitespace() -> impl Strategy<Value = char> {
    prop_oneof![
        Just('\u{a0}'),
        Just('\r'),
        Just('\n'),
        Just('\u{b}'),
        Just('\u{c}'),
        Just('\u{2003}'),
        Just('\u{200b}'),
        Just('\u{feff}')
    ]
}

/// `v=DMARC1; ` then the parts in order, and the byte range of `p=<policy>` in it.
fn record(p: &str, mut others: Vec<&'static str>, rua: Option<&'static str>, at: usize) -> (String, usize, usize) {
    others.extend(rua);
    let at = at % (others.len() + 1);
    let mut text = String::from("v=DMARC1");
    let mut p_range = (0, 0);
    for (i, part) in others.iter().enumerate() {
        if i == at {
            text.push_str("; ");
            p_range = (text.len(), text.len() + 2 + p.len());
            text.push_str(&format!("p={p}"));
        }
        text.push_str("; ");
        text.push_str(part);
    }
    if at == others.len() {
        text.push_str("; ");
        p_range = (text.len(), text.len() + 2 + p.len());
        text.push_str(&format!("p={p}"));
    }
    (text, p_range.0, p_range.1)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// RFC 6376 §3.2: "if a tag name does occur more than once, the entire tag-list is invalid."
    #[test]
    fn a_repeated_tag_is_never_applied(
        p in strict_policy(), others in other_tags(), rua in rua(), at in 0usize..8,
        which in 0usize..8, again in prop_oneof![Just("none"), Just("reject"), Just("s"), Just("mailto:x@example.test")],
    ) {
        let (text, ..) = record(p, others, rua, at);
        let names: Vec<&str> = text.split("; ").map(|t| t.split('=').next().unwrap_or("")).collect();
        let name = names[which % names.len()];
        let text = format!("{text}; {name}={again}");
        let parsed = parse_dmarc(&text);
        prop_assert!(parsed.valid_record().is_none(), "{text:?}");
        prop_assert_eq!(applied(&text), None, "{:?}", text);
    }

    /// RFC 9989 §4.7: v "MUST be the first tag in the list"; otherwise "the entire record MUST be ignored".
    #[test]
    fn anything_before_v_is_never_applied(
        p in strict_policy(), others in other_tags(), rua in rua(), at in 0usize..8,
        lead in prop_oneof![bad_whitespace(), Just(' '), Just('\t'), Just('"'), Just(';'), Just('x'), Just('V')],
    ) {
        let (text, ..) = record(p, others, rua, at);
        let text = format!("{lead}{text}");
        prop_assert!(parse_dmarc(&text).valid_record().is_none(), "{text:?}");
        prop_assert_eq!(applied(&text), None, "{:?}", text);
    }

    /// RFC 5234 "WSP = SP / HTAB" and §4.8 "dmarc-value = %x20-3A / %x3C-7E": a p tag holding other
    /// whitespace is invalid, so §4.10.1 applies: p=none with a valid rua, else no DMARC — never the p written.
    #[test]
    fn other_whitespace_in_the_policy_is_never_applied(
        p in strict_policy(), others in other_tags(), rua in rua(), at in 0usize..8,
        c in bad_whitespace(), offset in 0usize..16,
    ) {
        let (mut text, start, end) = record(p, others, rua, at);
        let at_byte = start + offset % (end - start + 1);
        text.insert(at_byte, c);
        let want = rua.map(|_| Policy::None);
        prop_assert_eq!(applied(&text), want, "{:?}", text);
    }
}
