#![no_main]
//! cargo-fuzz target dkim_key: see `maildoctor_fuzz::dkim`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::dkim::check_dkim_key(data);
});
