//! maildoctor, the web app: the Yew UI ([`ui`]) and the DNS-over-HTTPS
//! transport ([`doh`]). Everything else — input, DNS, every check, the
//! diagnosis, the generators — is the pure core crate, `maildoctor-core`
//! (crates/core), which cannot depend on the browser.
//! See README.md for the code map and the invariants.

pub mod doh;
pub mod ui;
