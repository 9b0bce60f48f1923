#![no_main]
//! cargo-fuzz target dns_wire: see `maildoctor_fuzz::checks::check_wire`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::checks::check_wire(data);
});
