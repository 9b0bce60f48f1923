#![no_main]
//! cargo-fuzz target mta_sts_record: see `maildoctor_fuzz::transport::check_mta_sts_record`.
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    maildoctor_fuzz::transport::check_mta_sts_record(data);
});
