#![no_main]
//! cargo-fuzz target mx_parse: see `maildoctor_fuzz::checks::check_mx`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::checks::check_mx(data);
});
