#![no_main]
//! cargo-fuzz target mta_sts_policy: see `maildoctor_fuzz::transport::check_mta_sts_policy`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::transport::check_mta_sts_policy(data);
});
