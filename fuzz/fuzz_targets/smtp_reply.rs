#![no_main]
//! cargo-fuzz target smtp_reply: see `maildoctor_fuzz::checks::check_smtp`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::checks::check_smtp(data);
});
