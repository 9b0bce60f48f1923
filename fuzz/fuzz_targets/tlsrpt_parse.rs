#![no_main]
//! cargo-fuzz target tlsrpt_parse: see `maildoctor_fuzz::transport::check_tlsrpt`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::transport::check_tlsrpt(data);
});
