#![no_main]
//! cargo-fuzz target header_reader: see `maildoctor_fuzz::dkim`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::dkim::check_headers(data);
});
