//! The native [`IdnaMapper`]: the `idna` crate's UTS #46 (tests, fuzzing,
//! examples, server-side rendering). Not in the wasm build, where the page
//! uses the browser's own UTS #46 (`ui::idna::BrowserIdna`) instead of
//! shipping the Unicode tables.

use super::{IdnaError, IdnaMapper};

/// UTS #46 ToASCII as the WHATWG URL standard's "domain to ASCII" runs it
/// (non-transitional, CheckBidi, CheckJoiners, no hyphen or length checks),
/// through `idna::domain_to_ascii`.
#[derive(Debug, Clone, Copy, Default)]
pub struct NativeIdna;

impl IdnaMapper for NativeIdna {
    fn to_ascii(&self, domain: &str) -> Result<String, IdnaError> {
        idna::domain_to_ascii(domain).map_err(|_| IdnaError)
    }
}
