#![no_main]
//! cargo-fuzz target: the SPF record parser, linter and check_host() on arbitrary bytes.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::check_record(data);
});
