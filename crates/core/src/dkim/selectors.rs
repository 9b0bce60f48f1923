//! Which selectors to probe: the ones the person gives, the documented
//! selectors of common mail providers, and a short common list.
//!
//! DKIM selectors cannot be listed through DNS, so the check probes names:
//! every selector below in one parallel round (28 queries with the wildcard
//! probe). Which provider a selector belongs to is only a label for the
//! report — no query waits on the MX or SPF checks to pick selectors.
//! Sources: the project's reference notes §3 (Google Workspace help 180504,
//! Microsoft's DKIM setup page, Mailgun's DKIM page, DomainDetective's
//! DKIMSelectors.cs, OpenEASD PR #417, Fastmail/Proton setup pages).
//! Amazon SES Easy DKIM and Postmark use generated tokens and cannot be guessed.

use crate::dns::normalize_name;
use crate::quote::{Quoted, QuotedChar};

/// Where a probed selector came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SelectorSource {
    /// Typed in by the person (or read from a message's DKIM-Signature).
    Given,
    /// A provider's documented default; the name says whose.
    Provider(&'static str),
    /// A name many hosts and tools use.
    Common,
}

/// `(selector, provider)`: the providers' documented selectors. A selector
/// two providers share (`s1`, `s2`) is listed once, naming both.
pub const PROVIDER_SELECTORS: &[(&str, &str)] = &[
    ("google", "Google Workspace"),
    ("selector1", "Microsoft 365"),
    ("selector2", "Microsoft 365"),
    ("s1", "SendGrid or Tuta"),
    ("s2", "SendGrid or Tuta"),
    ("k1", "Mailchimp"),
    ("k2", "Mailchimp"),
    ("k3", "Mailchimp"),
    ("mandrill", "Mandrill (Mailchimp)"),
    ("pdk1", "Mailgun"),
    ("pdk2", "Mailgun"),
    ("smtp", "Mailgun (older keys)"),
    ("mx", "Mailgun (older keys)"),
    ("fm1", "Fastmail"),
    ("fm2", "Fastmail"),
    ("fm3", "Fastmail"),
    ("protonmail", "Proton"),
    ("protonmail2", "Proton"),
    ("protonmail3", "Proton"),
    ("zoho", "Zoho"),
    ("zmail", "Zoho"),
    ("default", "cPanel-style hosting"),
    ("mail", "cPanel-style hosting"),
    ("dkim", "cPanel-style hosting or Hetzner"),
];

/// A few more names seen across many domains (DomainDetective's list).
pub const COMMON_SELECTORS: &[&str] = &["selector", "key1", "everlytickey1"];

/// Given selectors beyond this many are not probed, to keep one round small.
pub const MAX_GIVEN: usize = 10;

/// Providers whose selectors are generated per domain: the report asks for the selector.
pub const UNGUESSABLE: &[&str] = &["Amazon SES (Easy DKIM)", "Postmark"];

/// CNAME target suffixes that show which provider hosts a key.
const TARGET_PROVIDERS: &[(&str, &str)] = &[
    ("onmicrosoft.com", "Microsoft 365"),
    ("dkim.mail.microsoft", "Microsoft 365"),
    ("sendgrid.net", "SendGrid"),
    ("mcsv.net", "Mailchimp"),
    ("mandrillapp.com", "Mandrill (Mailchimp)"),
    ("mailgun.org", "Mailgun"),
    ("mailgun.com", "Mailgun"),
    ("dkim.fmhosted.com", "Fastmail"),
    ("proton.ch", "Proton"),
    ("tutanota.de", "Tuta"),
    ("amazonses.com", "Amazon SES"),
    ("zoho.com", "Zoho"),
    ("zoho.eu", "Zoho"),
];

/// The provider a CNAME target belongs to, if it is one of the known ones.
pub fn provider_of_target(target: &str) -> Option<&'static str> {
    let name = normalize_name(target);
    TARGET_PROVIDERS
        .iter()
        .find(|(suffix, _)| name == *suffix || name.ends_with(&format!(".{suffix}")))
        .map(|(_, provider)| *provider)
}

/// A given selector in the form to probe: lower case, no trailing dot, and
/// a pasted full name (`s1._domainkey.example.com`) cut to the selector.
/// `Err` says why it cannot be a selector.
pub fn normalize_selector(given: &str) -> Result<String, String> {
    let mut s = normalize_name(given.trim());
    if let Some(at) = s.find("._domainkey") {
        s.truncate(at);
    }
    if s.is_empty() {
        return Err("an empty selector".into());
    }
    // A selector is one or more DNS labels (RFC 6376 §3.1: sub-domain syntax).
    for label in s.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err(format!("\"{s}\" has an empty or over-long label"));
        }
        if let Some(c) = label.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
            return Err(format!("{} contains {}, which a selector cannot hold", Quoted(&s), QuotedChar(c)));
        }
    }
    if s.len() > 200 {
        return Err(format!("\"{s}\" is too long to be a selector"));
    }
    Ok(s)
}

/// Every selector to probe, in order: the valid given ones (at most
/// [`MAX_GIVEN`]), then the providers', then the common ones; each once.
pub fn selectors_to_probe(given: &[String]) -> Vec<(String, SelectorSource)> {
    // Plain loops rather than an iterator chain: smaller in the wasm.
    fn add(out: &mut Vec<(String, SelectorSource)>, selector: String, source: SelectorSource) {
        if !out.iter().any(|(s, _)| *s == selector) {
            out.push((selector, source));
        }
    }
    let mut out: Vec<(String, SelectorSource)> = Vec::new();
    let mut valid = 0;
    for g in given {
        if valid == MAX_GIVEN {
            break;
        }
        if let Ok(s) = normalize_selector(g) {
            valid += 1;
            add(&mut out, s, SelectorSource::Given);
        }
    }
    for (s, p) in PROVIDER_SELECTORS {
        add(&mut out, s.to_string(), SelectorSource::Provider(p));
    }
    for s in COMMON_SELECTORS {
        add(&mut out, s.to_string(), SelectorSource::Common);
    }
    out
}

/// A selector no one publishes, the same for the same domain every time (the
/// crate has no randomness, and a stable name keeps reports reproducible):
/// if it has a TXT record, `_domainkey` has a wildcard.
pub fn wildcard_probe(domain: &str) -> String {
    // FNV-1a, 32 bits: any stable hash does; it only has to look unlike a real selector.
    let hash = normalize_name(domain).bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("maildoctor-nokey-{hash:08x}")
}

/// The name a selector's key lives at (RFC 6376 §3.6.2.1).
pub fn key_name(selector: &str, domain: &str) -> String {
    format!("{selector}._domainkey.{}", normalize_name(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_list_is_small_and_given_first() {
        let list =
            selectors_to_probe(&["Google".into(), "custom._domainkey.example.com.".into(), "bad selector".into()]);
        assert_eq!(list[0], ("google".to_string(), SelectorSource::Given));
        assert_eq!(list[1], ("custom".to_string(), SelectorSource::Given));
        assert!(list.iter().all(|(s, _)| s != "bad selector"));
        assert_eq!(list.iter().filter(|(s, _)| s == "google").count(), 1);
        assert!(selectors_to_probe(&[]).len() < 30, "one round (with the wildcard probe) stays within 30 queries");
    }

    #[test]
    fn wildcard_probe_is_stable_and_a_label() {
        assert_eq!(wildcard_probe("Example.com."), wildcard_probe("example.com"));
        assert_ne!(wildcard_probe("a.example"), wildcard_probe("b.example"));
        assert!(normalize_selector(&wildcard_probe("x.example")).is_ok());
    }

    #[test]
    fn targets_name_providers() {
        assert_eq!(
            provider_of_target("selector1-example-com._domainkey.contoso.onmicrosoft.com."),
            Some("Microsoft 365")
        );
        assert_eq!(provider_of_target("s1.domainkey.u123.wl1.sendgrid.net"), Some("SendGrid"));
        assert_eq!(provider_of_target("notsendgrid.net"), None);
    }
}
