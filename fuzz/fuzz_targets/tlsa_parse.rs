#![no_main]
//! cargo-fuzz target tlsa_parse: see `maildoctor_fuzz::transport::check_tlsa`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::transport::check_tlsa(data);
});
