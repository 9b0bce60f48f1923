//! The page's [`IdnaMapper`]: the browser's own UTS #46, so the wasm build
//! ships no Unicode tables.
//!
//! The WHATWG URL parser's host parsing runs "domain to ASCII" (UTS #46
//! ToASCII, non-transitional, CheckBidi and CheckJoiners on, CheckHyphens and
//! VerifyDnsLength off) — the same algorithm as the `idna` crate's
//! `domain_to_ascii` the native build uses. [`page`] picks the browser mapper
//! in the wasm build and the native one elsewhere (server-side rendering tests).

use maildoctor_core::input::{IdnaError, IdnaMapper};

/// UTS #46 ToASCII through `new URL("http://" + name + ".a/").hostname`.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserIdna;

/// A last label that is not a number: the URL parser reads a host whose last
/// label is a number ("bücher.123", "0x7f.1") as an IPv4 address, and fails
/// or rewrites it where the `idna` crate just maps it. An ASCII label is left
/// alone by UTS #46 and cannot change whether the name is a "bidi domain name"
/// (RFC 5893 §2: only RTL labels make it one), and the URL parser does not
/// check lengths, so it changes nothing else.
const SUFFIX: &str = ".a";

impl IdnaMapper for BrowserIdna {
    fn to_ascii(&self, domain: &str) -> Result<String, IdnaError> {
        // The URL parser would read these itself (authority delimiters, percent
        // escapes, stripped whitespace) instead of passing them to UTS #46.
        // parse_domain refuses them before asking; refuse them here too.
        // Chromium also percent-decodes after mapping the fullwidth and small
        // percent signs to "%" ("bü％41.de" became "ŏba.de" in a test), where
        // UTS #46 and the `idna` crate keep a "%" no host name may hold.
        let read_by_url_parser = |c: char| {
            matches!(c, '/' | '?' | '#' | '@' | ':' | '\\' | '%' | '[' | ']' | '\u{FF05}' | '\u{FE6A}')
                || c.is_whitespace()
                || c.is_control()
        };
        if domain.is_empty() || domain.chars().any(read_by_url_parser) {
            return Err(IdnaError);
        }
        let url = web_sys::Url::new(&format!("http://{domain}{SUFFIX}/")).map_err(|_| IdnaError)?;
        let host = url.hostname();
        match host.strip_suffix(SUFFIX) {
            Some(ascii) if host.is_ascii() => Ok(ascii.to_string()),
            _ => Err(IdnaError),
        }
    }
}

/// The mapper the page uses: the browser's in the wasm build, the `idna`
/// crate's natively (server-side rendering in tests).
pub fn page() -> &'static dyn IdnaMapper {
    #[cfg(target_arch = "wasm32")]
    {
        &BrowserIdna
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        &maildoctor_core::input::NativeIdna
    }
}
