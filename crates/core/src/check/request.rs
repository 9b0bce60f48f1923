//! The checked request a run is made from: what the person asked about, read
//! and validated (the form's validation lives in the app, `ui/request.rs`).

use std::net::IpAddr;

use crate::input::DomainInput;
use crate::smtp::SmtpReply;

/// Where the queries go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolverSetting {
    Cloudflare,
    Google,
    /// A DoH URL the person typed (http(s)://…).
    Custom(String),
    /// The example report's answers, bundled with the page: nothing is sent.
    Example,
}

impl ResolverSetting {
    pub fn describe(&self) -> String {
        match self {
            ResolverSetting::Cloudflare => "Cloudflare (cloudflare-dns.com)".to_string(),
            ResolverSetting::Google => "Google (dns.google)".to_string(),
            ResolverSetting::Custom(url) => url.clone(),
            ResolverSetting::Example => "the example data bundled with the page (nothing is sent)".to_string(),
        }
    }
}

/// A checked request: everything a run needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub domain: DomainInput,
    pub recipient: Option<DomainInput>,
    pub sending_ip: Option<IpAddr>,
    /// DKIM selectors the person named (or a pasted header's signature did).
    pub dkim_selectors: Vec<String>,
    /// The pasted SMTP reply or bounce, if any (trimmed, non-empty).
    pub smtp_text: Option<String>,
    /// What the reader found in it (`None`: nothing pasted, or no status code in it).
    pub reply: Option<SmtpReply>,
    /// The MTA-STS policy file as pasted (trimmed, non-empty): the page never fetches it.
    pub mta_sts_policy: Option<String>,
    pub resolver: ResolverSetting,
}
