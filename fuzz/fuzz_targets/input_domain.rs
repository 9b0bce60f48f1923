#![no_main]
//! cargo-fuzz target input_domain: see `maildoctor_fuzz::checks::check_domain`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::checks::check_domain(data);
});
