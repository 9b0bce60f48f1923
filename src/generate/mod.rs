//! Corrected records and how to publish them: SPF and DMARC generators
//! (fix an existing record, or build one from choices) and registrar-ready
//! output for any record.

mod registrar;

pub use registrar::{registrar, split_strings, RegistrarRecord, MAX_STRING};
