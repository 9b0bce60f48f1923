//! The page's IDNA mapper (the browser's URL parser) in headless Chromium
//! against the same table the native mapper passes (tests/input_idna.rs).
//!
//! Run with scripts/wasm-test.sh.

#![cfg(target_arch = "wasm32")]

#[path = "../crates/core/tests/support/idna_cases.rs"]
mod idna_cases;

use maildoctor::ui::idna::BrowserIdna;
use maildoctor_core::input::IdnaMapper;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn browser_mapper_gives_the_table() {
    let failures = idna_cases::failures(&BrowserIdna);
    assert!(failures.is_empty(), "{} of {} cases:\n{}", failures.len(), idna_cases::CASES.len(), failures.join("\n"));
    wasm_bindgen_test::console_log!("{} IDNA cases agree with the native mapper's table", idna_cases::CASES.len());
}

/// UTS #46 ToASCII directly, as tests/input_idna.rs asks the native mapper.
#[wasm_bindgen_test]
fn browser_to_ascii() {
    assert_eq!(BrowserIdna.to_ascii("faß.de"), Ok("xn--fa-hia.de".to_string()));
    // Without the suffix label the URL parser would read this as an IPv4 address and fail.
    assert_eq!(BrowserIdna.to_ascii("bücher.123"), Ok("xn--bcher-kva.123".to_string()));
    // ... and rewrite this one to 127.0.0.1.
    assert_eq!(BrowserIdna.to_ascii("０x7f.1"), Ok("0x7f.1".to_string()));
    assert_eq!(BrowserIdna.to_ascii("x\u{3002}"), Ok("x.".to_string()));
    assert!(BrowserIdna.to_ascii("a\u{200D}b.com").is_err());
}

/// What the URL parser would read itself never reaches it.
#[wasm_bindgen_test]
fn browser_mapper_refuses_url_syntax() {
    for text in [
        "",
        "bü@evil.example",
        "bü/x.de",
        "bü%41.de",
        "bü:80.de",
        "bü\\x.de",
        "bü?.de",
        "bü#.de",
        "bü de",
        "bü\t.de",
        "[::1]",
        "bü\u{FF05}41.de",
    ] {
        assert_eq!(BrowserIdna.to_ascii(text), Err(maildoctor_core::input::IdnaError), "{text:?}");
    }
}
