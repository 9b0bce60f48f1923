#![no_main]
//! cargo-fuzz target zone_parse: see `maildoctor_fuzz::checks::check_zone`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::checks::check_zone(data);
});
