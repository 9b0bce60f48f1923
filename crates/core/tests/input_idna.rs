//! The shared IDNA table (tests/support/idna_cases.rs) with the native mapper;
//! tests/wasm_idna.rs runs the same table in the browser.

#![cfg(not(target_arch = "wasm32"))]

#[path = "support/idna_cases.rs"]
mod idna_cases;

use maildoctor_core::input::{IdnaMapper, NativeIdna};

#[test]
fn native_mapper_gives_the_table() {
    let failures = idna_cases::failures(&NativeIdna);
    assert!(failures.is_empty(), "{} of {} cases:\n{}", failures.len(), idna_cases::CASES.len(), failures.join("\n"));
    println!("{} IDNA cases agree", idna_cases::CASES.len());
}

/// UTS #46 ToASCII directly: non-transitional ß, a number as last label, a trailing empty label.
#[test]
fn native_to_ascii() {
    assert_eq!(NativeIdna.to_ascii("faß.de"), Ok("xn--fa-hia.de".to_string()));
    assert_eq!(NativeIdna.to_ascii("bücher.123"), Ok("xn--bcher-kva.123".to_string()));
    assert_eq!(NativeIdna.to_ascii("x\u{3002}"), Ok("x.".to_string()));
    assert!(NativeIdna.to_ascii("a\u{200D}b.com").is_err());
}
