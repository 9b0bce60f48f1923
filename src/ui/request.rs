//! The form's fields and the checked request a run is made from.
//!
//! Validation only calls the library's parsers; a field that does not parse
//! stops the run before any query is made and says why.

use crate::doh::{split_port, Provider};
use maildoctor_core::header::read_headers;
use maildoctor_core::input::{parse_domain, IdnaMapper};
use maildoctor_core::ptr::parse_sending_ip;
use maildoctor_core::smtp::parse_reply;

pub use maildoctor_core::check::request::{Request, ResolverSetting};

use super::permalink::{Permalink, ResolverChoice};

/// What is typed in the form, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormFields {
    pub domain: String,
    pub recipient: String,
    pub sending_ip: String,
    /// DKIM selectors, comma or space separated.
    pub dkim_selectors: String,
    pub smtp_text: String,
    pub resolver: ResolverChoice,
    pub doh_url: String,
    /// The MTA-STS policy file as pasted (never fetched, never in a URL).
    pub mta_sts_policy: String,
    /// Which fields were filled in from the pasted reply (and may be refilled as it changes).
    pub filled: Filled,
}

/// Fields filled from the pasted reply rather than typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Filled {
    pub domain: bool,
    pub recipient: bool,
    pub sending_ip: bool,
    pub selectors: bool,
}

impl FormFields {
    /// The pasted reply changed: read it with the library's reader and fill
    /// the sender domain, recipient domain and sending IP it names — never
    /// over what the person typed, but over what an earlier paste filled.
    /// `idna` maps domains written in Unicode (the page passes [`super::idna::page`]).
    pub fn with_reply_text(&self, text: String, idna: &dyn IdnaMapper) -> FormFields {
        let mut next = FormFields { smtp_text: text, ..self.clone() };
        fn fill(field: &mut String, flag: &mut bool, value: Option<String>) {
            if let Some(value) = value {
                if field.trim().is_empty() || *flag {
                    *field = value;
                    *flag = true;
                }
            }
        }
        let Ok(reply) = parse_reply(&next.smtp_text, idna) else {
            // No SMTP status: the header block of a message that arrived?
            // (Not for bounces: their From and DKIM-Signature are the
            // provider that wrote the bounce, not the sender.)
            if let Ok(h) = read_headers(&next.smtp_text) {
                let sig = h.dkim_signatures.iter().find(|s| s.selector.is_some());
                fill(&mut next.dkim_selectors, &mut next.filled.selectors, sig.and_then(|s| s.selector.clone()));
                fill(&mut next.domain, &mut next.filled.domain, h.from_domain());
                fill(&mut next.sending_ip, &mut next.filled.sending_ip, h.sending_ip.map(|s| s.ip.to_string()));
            }
            return next;
        };
        fill(&mut next.domain, &mut next.filled.domain, reply.sender_domain.clone());
        fill(&mut next.recipient, &mut next.filled.recipient, reply.recipient_domain.clone());
        fill(&mut next.sending_ip, &mut next.filled.sending_ip, reply.sending_ip.map(|ip| ip.to_string()));
        next
    }
}

impl FormFields {
    /// The fields a permalink fills (the pasted bounce text is never put in a
    /// URL; the example's own log line comes with `#example`).
    pub fn from_permalink(link: &Permalink, smtp_text: String) -> FormFields {
        let example = link.resolver == Some(ResolverChoice::Example);
        let smtp_text = if example { crate::doh::example::LOG_LINE.to_string() } else { smtp_text };
        FormFields {
            domain: link.domain.clone(),
            recipient: link.recipient.clone(),
            sending_ip: link.ip.clone(),
            dkim_selectors: link.selectors.clone(),
            smtp_text,
            resolver: link.resolver_or_default(),
            doh_url: link.doh.clone(),
            mta_sts_policy: String::new(),
            filled: Filled::default(),
        }
    }

    /// The origin of the resolver these fields choose, if the choice is
    /// complete (a custom URL must be valid and allowed by the page's CSP):
    /// what the page preconnects to.
    pub fn doh_origin(&self) -> Option<String> {
        let provider = match self.resolver {
            ResolverChoice::Cloudflare => Provider::Cloudflare,
            ResolverChoice::Google => Provider::Google,
            ResolverChoice::Custom => Provider::custom(&self.doh_url).ok().filter(|p| csp_allows(p.origin()))?,
            ResolverChoice::Example => return None,
        };
        Some(provider.origin().to_string())
    }

    /// The permalink for these fields, as typed (trimmed).
    pub fn permalink(&self) -> Permalink {
        let custom = self.resolver == ResolverChoice::Custom;
        Permalink {
            domain: self.domain.trim().to_string(),
            recipient: self.recipient.trim().to_string(),
            ip: self.sending_ip.trim().to_string(),
            selectors: self.dkim_selectors.trim().to_string(),
            doh: if custom { self.doh_url.trim().to_string() } else { String::new() },
            resolver: if self.resolver == ResolverChoice::Cloudflare { None } else { Some(self.resolver) },
        }
    }
}

impl FormFields {
    /// These fields (the address's permalink) with what was typed into
    /// index.html's copy of the form before the app ran (`typed`: its text
    /// fields and resolver choice as they stood) over them, read as the app's
    /// own form reads an edit: a pasted reply or header fills what was left
    /// empty. `None` when nothing was typed or chosen there.
    pub fn with_typed_before_start(&self, typed: FormFields, idna: &dyn IdnaMapper) -> Option<FormFields> {
        let mut next = self.clone();
        let mut any = false;
        let fields = [
            (&mut next.domain, typed.domain),
            (&mut next.recipient, typed.recipient),
            (&mut next.sending_ip, typed.sending_ip),
            (&mut next.dkim_selectors, typed.dkim_selectors),
            (&mut next.mta_sts_policy, typed.mta_sts_policy),
        ];
        for (field, value) in fields {
            if !value.is_empty() {
                *field = value;
                any = true;
            }
        }
        if typed.resolver != ResolverChoice::default() {
            next.resolver = typed.resolver;
            any = true;
        }
        if typed.smtp_text.is_empty() {
            return any.then_some(next);
        }
        Some(next.with_reply_text(typed.smtp_text, idna))
    }
}

impl FormFields {
    /// The fields after an edit from `self`: typing over the example's
    /// inputs leaves the example, so the person's own domain is asked of
    /// the real resolver, not looked up in the example's data.
    pub fn edited(&self, mut next: FormFields) -> FormFields {
        let same_inputs = self.domain == next.domain
            && self.recipient == next.recipient
            && self.sending_ip == next.sending_ip
            && self.dkim_selectors == next.dkim_selectors
            && self.smtp_text == next.smtp_text;
        if self.resolver == ResolverChoice::Example && next.resolver == self.resolver && !same_inputs {
            next.resolver = ResolverChoice::default();
        }
        next
    }
}

/// A field that stops the run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The `id` of the input to focus.
    pub field: &'static str,
    pub message: String,
}

impl FormFields {
    /// `idna` maps domains typed in Unicode (the page passes [`super::idna::page`]).
    pub fn validate(&self, idna: &dyn IdnaMapper) -> Result<Request, FieldError> {
        let domain = parse_domain(&self.domain, idna)
            .map_err(|e| FieldError { field: "domain", message: format!("Sending domain: {}", e.message) })?;
        let recipient =
            match self.recipient.trim() {
                "" => None,
                text => Some(parse_domain(text, idna).map_err(|e| FieldError {
                    field: "recipient",
                    message: format!("Recipient domain: {}", e.message),
                })?),
            };
        let sending_ip = match self.sending_ip.trim() {
            "" => None,
            text => Some(parse_ip(text)?),
        };
        let resolver = match self.resolver {
            ResolverChoice::Cloudflare => ResolverSetting::Cloudflare,
            ResolverChoice::Google => ResolverSetting::Google,
            ResolverChoice::Custom => ResolverSetting::Custom(check_doh_url(&self.doh_url)?),
            ResolverChoice::Example => ResolverSetting::Example,
        };
        let smtp_text = Some(self.smtp_text.trim()).filter(|t| !t.is_empty()).map(str::to_string);
        let reply = smtp_text.as_deref().and_then(|t| parse_reply(t, idna).ok());
        let dkim_selectors = selector_list(&self.dkim_selectors);
        let mta_sts_policy = Some(self.mta_sts_policy.trim()).filter(|t| !t.is_empty()).map(str::to_string);
        Ok(Request { domain, recipient, sending_ip, dkim_selectors, smtp_text, reply, mta_sts_policy, resolver })
    }
}

/// "s1, google  k1" → ["s1", "google", "k1"]: each selector once, as typed
/// (the DKIM check normalizes and says which it cannot use).
pub fn selector_list(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in text.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(s)) {
            out.push(s.to_string());
        }
    }
    out
}

fn parse_ip(text: &str) -> Result<std::net::IpAddr, FieldError> {
    parse_sending_ip(text)
        .map_err(|e| FieldError { field: "sending-ip", message: format!("Sending IP: {}", e.message) })
}

fn check_doh_url(url: &str) -> Result<String, FieldError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(FieldError {
            field: "doh-url",
            message: "Custom resolver: type the DoH URL, such as https://dns.example/dns-query.".to_string(),
        });
    }
    match Provider::custom(url) {
        Ok(provider) if csp_allows(provider.origin()) => Ok(provider.url().to_string()),
        Ok(provider) => Err(FieldError {
            field: "doh-url",
            message: format!(
                "Custom resolver: this page may only connect to {}; its security policy makes the browser block {}. Choose Cloudflare or Google, or run maildoctor from your own copy.",
                CSP_DOH_HOSTS.join(", "),
                provider.origin()
            ),
        }),
        Err(why) => Err(FieldError { field: "doh-url", message: format!("Custom resolver: {why}") }),
    }
}

/// The hosts that index.html's Content-Security-Policy (`connect-src`) lets
/// the page reach: https on every one, plain http on the loopback names only,
/// any port on loopback. A test reads index.html so the two cannot drift.
pub const CSP_DOH_HOSTS: &[&str] = &["cloudflare-dns.com", "dns.google", "127.0.0.1", "localhost"];
const LOOPBACK: &[&str] = &["127.0.0.1", "localhost"];

/// Whether the page's CSP lets it fetch from `origin` (`scheme://host[:port]`),
/// so that a blocked resolver is refused with a reason before anything is asked.
pub fn csp_allows(origin: &str) -> bool {
    let Some((scheme, authority)) = origin.split_once("://") else { return false };
    let (host, port) = split_port(authority);
    let host = host.to_ascii_lowercase();
    let loopback = LOOPBACK.contains(&host.as_str());
    match scheme.to_ascii_lowercase().as_str() {
        // Without a port in the policy only the scheme's default port matches (CSP 3 §6.7.2.8).
        "https" => loopback || (CSP_DOH_HOSTS.contains(&host.as_str()) && matches!(port, None | Some(443))),
        "http" => loopback,
        _ => false,
    }
}
