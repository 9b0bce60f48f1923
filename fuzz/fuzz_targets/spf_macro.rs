#![no_main]
//! cargo-fuzz target: the SPF macro-string parser and expander on arbitrary bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::check_macro(data);
});
