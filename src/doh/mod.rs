//! DNS-over-HTTPS client (RFC 8484), browser only: the crate's only network code.
//!
//! - [`Provider`]: Cloudflare (default), Google, a custom URL, or the example data.
//! - [`DohClient`]: implements [`maildoctor_core::dns::Resolver`] with RFC 8484 GET
//!   (`?dns=` base64url, `Accept: application/dns-message`: no CORS
//!   preflight), a per-attempt timeout and one retry on the other provider
//!   (the page shares answers across a run with `SharedResolver`). Message
//!   encoding and decoding is [`maildoctor_core::dns::wire`].
//! - [`example`]: the example report's inputs and its DNS answers, bundled as
//!   DNS messages and read by the same decoder: `#example` works offline.
//! - [`activity`]: the traffic as it happens: when the next answer is due
//!   (the report renders in the lulls).
//! - [`attempt`]: what one exchange came to ([`DohError`]) and the retry rules,
//!   pure and tested natively.
//!
//! The HTTP part needs a browser's `fetch`; it is exercised by the wasm tests
//! (tests/wasm_doh.rs, run by scripts/wasm-test.sh) against the fixture server.

pub mod activity;
pub mod attempt;
mod base64url;
mod client;
pub mod example;
mod provider;

pub use attempt::{Attempt, DohError};
pub use client::{DohClient, DEFAULT_TIMEOUT};
pub use provider::{split_port, Provider};
