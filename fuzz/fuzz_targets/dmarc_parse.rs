#![no_main]
//! cargo-fuzz target dmarc_parse: see `maildoctor_fuzz::checks::check_dmarc`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::checks::check_dmarc(data);
});
