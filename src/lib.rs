//! maildoctor: why is my mail deferred with "421 4.4.2"?
//!
//! The library is pure logic — input, DNS data, SPF, DMARC, MX, PTR,
//! diagnosis, record generation — and never touches the browser. Only
//! [`doh`] (the DNS-over-HTTPS transport) and [`ui`] (the Yew app) do.
//! See README.md for the code map and the invariants.

pub mod diagnosis;
pub mod dmarc;
pub mod dns;
pub mod finding;
pub mod generate;
pub mod input;
pub mod join;
pub mod mx;
pub mod parse_error;
pub mod ptr;
pub mod quote;
pub mod rank;
pub mod smtp;
pub mod spf;
pub mod suffix;

pub mod doh;
pub mod ui;
