#![no_main]
//! cargo-fuzz target bimi_parse: see `maildoctor_fuzz::transport::check_bimi`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::transport::check_bimi(data);
});
