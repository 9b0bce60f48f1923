//! maildoctor-core: why is my mail deferred with "421 4.4.2"?
//!
//! The pure core — input, DNS data and wire codec, SPF, DMARC, MX, PTR, the
//! SMTP reply reader, diagnosis, record generation — never touches the
//! browser: this crate depends on no yew, web-sys, js-sys, gloo or
//! wasm-bindgen (scripts/test.sh fails if it ever does). The web app (the
//! root package) adds only the Yew UI and the DoH transport.
//! See README.md for the code map and the invariants.

// First: the `finding_codes!` macro it defines is used by every check module.
#[macro_use]
pub mod finding;

pub mod address;
pub mod base64;
pub mod bimi;
pub mod blocklist;
pub mod dane;
pub mod diagnosis;
pub mod dkim;
pub mod dmarc;
pub mod dns;
pub mod generate;
pub mod header;
pub mod input;
pub mod join;
pub mod mta_sts;
pub mod mx;
pub mod parse_error;
pub mod ptr;
pub mod quote;
pub mod rank;
pub mod requirements;
pub mod smtp;
pub mod spf;
pub mod suffix;

pub mod check;
pub mod tlsrpt;
