//! Corrected records and how to publish them: SPF and DMARC generators
//! (fix an existing record, or build one from choices) and registrar-ready
//! output for any record.

pub mod dmarc;
mod overlay;
mod registrar;
pub mod spf;

pub use registrar::{registrar, split_strings, RegistrarRecord, MAX_STRING};

/// One change a generator made, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub what: String,
    pub why: String,
}
