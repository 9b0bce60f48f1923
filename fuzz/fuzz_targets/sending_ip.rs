#![no_main]
//! cargo-fuzz target sending_ip: see `maildoctor_fuzz::checks::check_sending_ip`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::checks::check_sending_ip(data);
});
