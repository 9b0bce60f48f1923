//! Which DoH resolver to ask.
//!
//! Only resolvers that send CORS headers can be used from a web page:
//! Cloudflare and Google do (checked 2026-11); Quad9, AdGuard and NextDNS did
//! not. A custom URL is allowed for people who run their own.

use maildoctor_core::quote::{Quoted, QuotedChar};
use std::fmt;

use super::base64url;

/// A DNS-over-HTTPS endpoint (RFC 8484 "URI Template" without the variable).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Provider {
    /// https://cloudflare-dns.com/dns-query (the default).
    Cloudflare,
    /// https://dns.google/dns-query
    Google,
    /// Any other endpoint, checked by [`Provider::custom`].
    Custom(String),
    /// No endpoint: the example report's answers, bundled with the page
    /// ([`super::example`]). Nothing is sent.
    Example,
}

/// `host[:port]` → host and port; a `:` not followed by a valid port number
/// stays part of the host.
pub fn split_port(authority: &str) -> (&str, Option<u16>) {
    match authority.rsplit_once(':').and_then(|(host, port)| Some((host, port.parse::<u16>().ok()?))) {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

impl Provider {
    pub const CLOUDFLARE_URL: &'static str = "https://cloudflare-dns.com/dns-query";
    pub const GOOGLE_URL: &'static str = "https://dns.google/dns-query";

    /// A custom endpoint. It must be `https://` — a page served over HTTPS may
    /// not fetch plain `http://` (mixed content) — except on the loopback
    /// address, where the test fixture and local resolvers live.
    pub fn custom(url: &str) -> Result<Provider, String> {
        let url = url.trim();
        let rest = if let Some(rest) = url.strip_prefix("https://") {
            rest
        } else if let Some(rest) = url.strip_prefix("http://") {
            let host = rest.split(['/', '?']).next().unwrap_or("");
            let (host, _) = split_port(host);
            if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
                return Err(format!(
                    "{}: use an https:// address (plain http is only allowed for 127.0.0.1)",
                    Quoted(url)
                ));
            }
            rest
        } else {
            return Err(format!(
                "{}: a DoH address starts with https://, e.g. {}",
                Quoted(url),
                Provider::CLOUDFLARE_URL
            ));
        };
        if rest.is_empty() || rest.starts_with(['/', '?', ':']) {
            return Err(format!("{}: the address has no host name", Quoted(url)));
        }
        if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control() || *c == '#') {
            return Err(format!("{}: the address contains {}", Quoted(url), QuotedChar(c)));
        }
        Ok(Provider::Custom(url.to_string()))
    }

    pub fn url(&self) -> &str {
        match self {
            Provider::Cloudflare => Provider::CLOUDFLARE_URL,
            Provider::Google => Provider::GOOGLE_URL,
            Provider::Custom(url) => url,
            Provider::Example => "",
        }
    }

    /// The URL's origin (scheme, host and port, RFC 6454 §4), e.g. for a
    /// `<link rel="preconnect">`: `https://cloudflare-dns.com`.
    pub fn origin(&self) -> &str {
        let url = self.url();
        let host_start = url.find("://").map_or(0, |i| i + 3);
        // Scheme and "://" are ASCII and so are '/' and '?': the cut falls on a char boundary.
        let host_end =
            url.get(host_start..).and_then(|rest| rest.find(['/', '?'])).map_or(url.len(), |i| host_start + i);
        url.get(..host_end).unwrap_or(url)
    }

    /// The name shown to people and recorded in `Lookup::answered_by`. A custom
    /// provider is named by its full URL, so two paths on one host stay apart.
    pub fn name(&self) -> String {
        match self {
            Provider::Cloudflare => "Cloudflare".into(),
            Provider::Google => "Google".into(),
            Provider::Custom(url) => url.clone(),
            Provider::Example => "example data".into(),
        }
    }

    /// The provider to fall back to when none is chosen: the other big one.
    pub fn default_fallback(&self) -> Provider {
        match self {
            Provider::Cloudflare => Provider::Google,
            Provider::Google | Provider::Custom(_) | Provider::Example => Provider::Cloudflare,
        }
    }

    /// The GET URL for a wire-format query: RFC 8484 §4.1 `?dns=` + base64url, no padding.
    pub fn request_url(&self, query: &[u8]) -> String {
        let url = self.url();
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}dns={}", base64url::encode(query))
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_urls_are_checked() {
        let ok = [
            "https://doh.example/dns-query",
            " https://doh.example:8443/q?ct ",
            "http://127.0.0.1:8053/dns-query",
            "http://localhost/dns-query",
            "http://[::1]:80/dns-query",
        ];
        for url in ok {
            assert!(Provider::custom(url).is_ok(), "{url}");
        }
        let bad = [
            ("", "starts with https://"),
            ("doh.example/dns-query", "starts with https://"),
            ("http://doh.example/dns-query", "plain http"),
            ("http://127.0.0.1.evil.example/dns-query", "plain http"),
            ("https:///dns-query", "no host"),
            ("https://doh.example/dns query", "contains"),
            ("https://doh.example/dns-query#x", "contains"),
        ];
        for (url, why) in bad {
            let err = Provider::custom(url).unwrap_err();
            assert!(err.contains(why), "{url}: {err}");
        }
    }

    #[test]
    fn request_urls() {
        // RFC 8484 §4.1.1 example: ?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB
        let query =
            maildoctor_core::dns::wire::encode_query("www.example.com", maildoctor_core::dns::RecordType::A).unwrap();
        let url = Provider::Cloudflare.request_url(&query);
        assert!(url.starts_with("https://cloudflare-dns.com/dns-query?dns=AAA"), "{url}");
        let param = url.split_once("dns=").unwrap().1;
        assert!(!param.contains('='), "no padding: {param}");
        let custom = Provider::custom("https://doh.example/q?ct=x").unwrap();
        assert!(custom.request_url(&[0]).starts_with("https://doh.example/q?ct=x&dns=AA"));
    }

    #[test]
    fn ports_are_split_only_when_they_are_port_numbers() {
        assert_eq!(split_port("127.0.0.1:8053"), ("127.0.0.1", Some(8053)));
        assert_eq!(split_port("dns.google"), ("dns.google", None));
        assert_eq!(split_port("dns.google:"), ("dns.google:", None));
        assert_eq!(split_port("localhost:99999"), ("localhost:99999", None));
        assert_eq!(split_port("[::1]:443"), ("[::1]", Some(443)));
    }

    #[test]
    fn origins() {
        let cases = [
            (Provider::Cloudflare, "https://cloudflare-dns.com"),
            (Provider::Google, "https://dns.google"),
            (Provider::custom("https://doh.example:8443/q?ct").unwrap(), "https://doh.example:8443"),
            (Provider::custom("https://doh.example?dns-query").unwrap(), "https://doh.example"),
            (Provider::custom("https://doh.example").unwrap(), "https://doh.example"),
            (Provider::custom("http://[::1]:80/dns-query").unwrap(), "http://[::1]:80"),
        ];
        for (provider, origin) in cases {
            assert_eq!(provider.origin(), origin, "{provider}");
        }
    }

    #[test]
    fn names_and_fallbacks() {
        assert_eq!(Provider::Cloudflare.to_string(), "Cloudflare");
        assert_eq!(Provider::Google.default_fallback(), Provider::Cloudflare);
        assert_eq!(Provider::Cloudflare.default_fallback(), Provider::Google);
        let c = Provider::custom("http://127.0.0.1:1/fault/http500/dns-query").unwrap();
        assert_eq!(c.name(), "http://127.0.0.1:1/fault/http500/dns-query");
    }
}
