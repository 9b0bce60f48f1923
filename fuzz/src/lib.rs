//! What the fuzzers check, shared by the cargo-fuzz targets and the stable
//! harness: no input may panic, errors must point inside the input, and
//! whatever parses must print as text that parses back to it.

pub mod checks;
pub mod dkim;
pub mod mutate;
pub mod seeds;
pub mod spf;
pub mod targets;
pub mod transport;

pub use spf::{check_macro, check_record};
