//! The permalink: the page's inputs carried in the URL hash.
//!
//! A hash (not a query string) because GitHub Pages serves one static file:
//! everything after `#` stays in the browser and never reaches a server.
//! Format: `#d=<domain>&r=<recipient>&ip=<ip>&sel=<selectors>&doh=<url>&resolver=cloudflare|google|custom`,
//! only the keys that are set, values percent-encoded; `#example` is the
//! example report (`crate::doh::example`).

use std::fmt::Write as _;

/// Which DNS-over-HTTPS resolver the person chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ResolverChoice {
    #[default]
    Cloudflare,
    Google,
    Custom,
    /// The example report's bundled answers (only through `#example`).
    Example,
}

impl ResolverChoice {
    /// The `<option value>` and hash value.
    pub fn key(self) -> &'static str {
        match self {
            ResolverChoice::Cloudflare => "cloudflare",
            ResolverChoice::Google => "google",
            ResolverChoice::Custom => "custom",
            ResolverChoice::Example => "example",
        }
    }

    pub fn from_key(key: &str) -> Option<ResolverChoice> {
        match key {
            "cloudflare" => Some(ResolverChoice::Cloudflare),
            "google" => Some(ResolverChoice::Google),
            "custom" => Some(ResolverChoice::Custom),
            // Not "example": only `#example` opens it, with the example's own
            // inputs (any other domain has no answers in its data).
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ResolverChoice::Cloudflare => "Cloudflare (cloudflare-dns.com)",
            ResolverChoice::Google => "Google (dns.google)",
            ResolverChoice::Custom => "Custom DoH URL",
            ResolverChoice::Example => "Example data (no network)",
        }
    }
}

/// What a URL hash says. Empty strings mean "not set".
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permalink {
    pub domain: String,
    pub recipient: String,
    pub ip: String,
    /// DKIM selectors, comma separated.
    pub selectors: String,
    pub doh: String,
    /// `None` when the hash does not say; a `doh=` alone then means [`ResolverChoice::Custom`].
    pub resolver: Option<ResolverChoice>,
}

impl Permalink {
    /// Reads a hash such as `#d=example.com&ip=192.0.2.1`. Unknown keys and
    /// malformed pairs are ignored: a hand-edited URL should still open the page.
    pub fn parse(hash: &str) -> Permalink {
        let mut link = Permalink::default();
        let body = hash.strip_prefix('#').unwrap_or(hash);
        if body == "example" {
            return Permalink::example();
        }
        for pair in body.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value);
            match key {
                "d" => link.domain = value,
                "r" => link.recipient = value,
                "ip" => link.ip = value,
                "sel" => link.selectors = value,
                "doh" => link.doh = value,
                "resolver" => link.resolver = ResolverChoice::from_key(&value),
                _ => {}
            }
        }
        if link.resolver.is_none() && !link.doh.is_empty() {
            link.resolver = Some(ResolverChoice::Custom);
        }
        link
    }

    /// The example report's inputs (`#example`).
    pub fn example() -> Permalink {
        use crate::doh::example;
        Permalink {
            domain: example::DOMAIN.to_string(),
            recipient: example::RECIPIENT.to_string(),
            ip: example::SENDING_IP.to_string(),
            resolver: Some(ResolverChoice::Example),
            ..Permalink::default()
        }
    }

    /// The resolver to use: the one named, else Cloudflare.
    pub fn resolver_or_default(&self) -> ResolverChoice {
        self.resolver.unwrap_or_default()
    }

    /// Whether opening this link should run a check (it names a domain).
    pub fn runs_check(&self) -> bool {
        !self.domain.trim().is_empty()
    }

    /// The hash, starting with `#`, with only the keys that are set.
    pub fn to_hash(&self) -> String {
        if self.resolver == Some(ResolverChoice::Example) {
            return "#example".to_string();
        }
        let mut out = String::from("#");
        let mut put = |key: &str, value: &str| {
            if value.is_empty() {
                return;
            }
            if out.len() > 1 {
                out.push('&');
            }
            out.push_str(key);
            out.push('=');
            out.push_str(&percent_encode(value));
        };
        put("d", &self.domain);
        put("r", &self.recipient);
        put("ip", &self.ip);
        put("sel", &self.selectors);
        let custom = self.resolver == Some(ResolverChoice::Custom);
        if custom {
            put("doh", &self.doh);
        }
        if let Some(choice) = self.resolver {
            put("resolver", choice.key());
        }
        out
    }
}

/// Percent-encodes all but RFC 3986 §2.3 unreserved characters (and `:`, `/`,
/// `@`, which §3.5 allows in a fragment and keep URLs readable).
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':' | b'/' | b'@') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` as a space (what `URLSearchParams` writes).
/// A broken escape is kept as typed; invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
