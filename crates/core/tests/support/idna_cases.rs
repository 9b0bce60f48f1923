//! One table of names typed in Unicode and what `parse_domain` must make of
//! them, run natively with `NativeIdna` (tests/input_idna.rs) and in headless
//! Chromium with the browser's URL parser (tests/wasm_idna.rs): the two
//! mappers must agree, UTS #46 non-transitional as the WHATWG URL standard's
//! "domain to ASCII" runs it (UTS #46 §4, RFC 5891–5893).

use maildoctor_core::input::{parse_domain, IdnaMapper};

/// What `parse_domain` gives for a typed name.
pub enum Want {
    /// Accepted: the A-label form queried and the Unicode form shown.
    Ok { ascii: &'static str, unicode: &'static str },
    /// Refused (the kind may differ between mappers: the browser refuses
    /// some names the `idna` crate maps to characters `parse_domain` then refuses).
    Refused,
}

use Want::*;

pub const CASES: &[(&str, Want)] = &[
    // Plain IDNs (UTS #46 §4.1 mapping: upper case folds, fullwidth forms map).
    ("bücher.de", Ok { ascii: "xn--bcher-kva.de", unicode: "bücher.de" }),
    ("ÖBB.at", Ok { ascii: "xn--bb-eka.at", unicode: "öbb.at" }),
    ("BÜCHER.example", Ok { ascii: "xn--bcher-kva.example", unicode: "bücher.example" }),
    ("ｅｘａｍｐｌｅ．ｃｏｍ", Ok { ascii: "example.com", unicode: "example.com" }),
    ("ｂüｃｈｅｒ．ｄｅ", Ok { ascii: "xn--bcher-kva.de", unicode: "bücher.de" }),
    ("мойдомен.рф", Ok { ascii: "xn--d1acklchcc.xn--p1ai", unicode: "мойдомен.рф" }),
    ("مثال.إختبار", Ok { ascii: "xn--mgbh0fb.xn--kgbechtv", unicode: "مثال.إختبار" }),
    ("例え.テスト", Ok { ascii: "xn--r8jz45g.xn--zckzah", unicode: "例え.テスト" }),
    // UTS #46 §2.3: the ideographic full stop separates labels.
    ("日本語。jp", Ok { ascii: "xn--wgv71a119e.jp", unicode: "日本語.jp" }),
    ("日本語｡jp", Ok { ascii: "xn--wgv71a119e.jp", unicode: "日本語.jp" }),
    // Non-transitional processing (UTS #46 §4): ß and ς stay, no "ss".
    ("faß.de", Ok { ascii: "xn--fa-hia.de", unicode: "faß.de" }),
    ("FASS.de", Ok { ascii: "fass.de", unicode: "fass.de" }),
    ("βόλος.gr", Ok { ascii: "xn--nxasmm1c.gr", unicode: "βόλος.gr" }),
    // Emoji are valid in UTS #46 (not in IDNA2008 proper), as browsers resolve them.
    ("😀.com", Ok { ascii: "xn--e28h.com", unicode: "😀.com" }),
    // Ignored code points (soft hyphen, variation selector) vanish.
    ("bü\u{00AD}cher.de", Ok { ascii: "xn--bcher-kva.de", unicode: "bücher.de" }),
    // NFC: u + combining diaeresis is ü.
    ("bu\u{0308}cher.de", Ok { ascii: "xn--bcher-kva.de", unicode: "bücher.de" }),
    // A last label that is a number: a name for UTS #46, not an IPv4 address.
    ("bücher.123", Ok { ascii: "xn--bcher-kva.123", unicode: "bücher.123" }),
    // No CheckHyphens in the URL standard: hyphens at the ends and in 3–4 stay.
    ("-bücher.de", Ok { ascii: "xn---bcher-4ya.de", unicode: "-bücher.de" }),
    ("bücher-.de", Ok { ascii: "xn--bcher--3ya.de", unicode: "bücher-.de" }),
    // From an email address and a URL.
    ("anna@bücher.de", Ok { ascii: "xn--bcher-kva.de", unicode: "bücher.de" }),
    ("https://bücher.de/path", Ok { ascii: "xn--bcher-kva.de", unicode: "bücher.de" }),
    // A-labels typed in ASCII are shown in Unicode.
    ("xn--bcher-kva.de", Ok { ascii: "xn--bcher-kva.de", unicode: "bücher.de" }),
    ("XN--BCHER-KVA.DE", Ok { ascii: "xn--bcher-kva.de", unicode: "bücher.de" }),
    ("xn--fa-hia.de", Ok { ascii: "xn--fa-hia.de", unicode: "faß.de" }),
    ("xn--wgv71a119e.jp", Ok { ascii: "xn--wgv71a119e.jp", unicode: "日本語.jp" }),
    // An A-label that decodes to a label UTS #46 refuses stays ASCII.
    (
        "xn--xn--bcher-her-kvfoo.example",
        Ok { ascii: "xn--xn--bcher-her-kvfoo.example", unicode: "xn--xn--bcher-her-kvfoo.example" },
    ),
    // Bidi rule (RFC 5893 §2): an RTL label may not mix in L, and in a bidi
    // name an LTR label must start with L.
    ("aא.com", Refused),
    ("אa.com", Refused),
    ("אב.1a", Refused),
    // Joiners (RFC 5892 Appendix A.1/A.2): ZWJ and ZWNJ only after a virama.
    ("a\u{200D}b.com", Refused),
    ("a\u{200C}b.com", Refused),
    // An "xn--" label must be valid Punycode of a valid label.
    ("xn--ü.de", Refused),
    // Disallowed code points, and mappings to what no host name may hold.
    ("a\u{2028}b.com", Refused),
    ("example.com\u{FF0F}", Refused),
    ("a\u{3203}.org", Refused),
    // Fullwidth and small forms of URL syntax map to ASCII no host name may
    // hold; Chromium percent-decodes after mapping "％" (BrowserIdna refuses it first).
    ("bü\u{FF05}41.de", Refused),
    ("bü\u{FE6A}41.de", Refused),
    ("bü\u{FF20}evil.de", Refused),
    ("bü\u{FF1A}80.de", Refused),
    ("bü\u{FF1F}x.de", Refused),
    ("bü\u{FF03}x.de", Refused),
    ("bü\u{FF3C}x.de", Refused),
    // Too long once in A-labels (RFC 1035 §2.3.4: 63 octets a label).
    ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaü.com", Refused),
    // An empty label after mapping, or nothing left.
    ("a\u{3002}.org", Refused),
    ("\u{FE0F}.com", Refused),
];

/// Every case `idna` gets wrong, one line each (empty: all agree).
pub fn failures(idna: &dyn IdnaMapper) -> Vec<String> {
    let mut out = Vec::new();
    for (typed, want) in CASES {
        let got = parse_domain(typed, idna);
        match (want, &got) {
            (Ok { ascii, unicode }, Result::Ok(d)) if d.ascii == *ascii && d.unicode == *unicode => {}
            (Refused, Err(_)) => {}
            (Ok { ascii, unicode }, _) => out.push(format!("{typed:?}: want {ascii} / {unicode}, got {got:?}")),
            (Refused, Result::Ok(d)) => out.push(format!("{typed:?}: want refused, got {} / {}", d.ascii, d.unicode)),
        }
    }
    out
}
