//! The `DKIM-Signature` header field (RFC 6376 §3.5), read for what the DNS
//! check needs: which domain signed (`d=`), with which selector (`s=`) and
//! algorithm (`a=`), over which fields (`h=`), for which identity (`i=`).
//! The signature itself is not verified (that needs the body and crypto).

use crate::dkim::tags::split_tags;
use crate::dkim::DkimCode;
use crate::finding::{Finding, Severity};

#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct DkimSignature {
    /// `d=`, lower case.
    pub domain: Option<String>,
    /// `s=`, lower case.
    pub selector: Option<String>,
    /// `a=`, e.g. `rsa-sha256`.
    pub algorithm: Option<String>,
    /// `h=`, lower case, in order.
    pub signed_headers: Vec<String>,
    /// `i=`, the agent or user identifier.
    pub identity: Option<String>,
    /// The field value as unfolded (for display).
    pub raw: String,
}

impl DkimSignature {
    /// Reads the tags it knows; anything else (including `b=` with its folding) is ignored.
    pub fn parse(value: &str) -> DkimSignature {
        let mut sig = DkimSignature { raw: value.to_string(), ..DkimSignature::default() };
        for tag in split_tags(value).into_iter().flatten() {
            let v: String = tag.value.chars().filter(|c| !c.is_whitespace()).collect();
            match tag.name {
                "d" => sig.domain = Some(v.trim_end_matches('.').to_ascii_lowercase()),
                "s" => sig.selector = Some(v.to_ascii_lowercase()),
                "a" => sig.algorithm = Some(v.to_ascii_lowercase()),
                "h" => {
                    sig.signed_headers =
                        v.split(':').filter(|h| !h.is_empty()).map(|h| h.to_ascii_lowercase()).collect()
                }
                "i" => sig.identity = Some(v),
                _ => {}
            }
        }
        sig
    }

    /// The domain of `i=` (after the `@`), lower case.
    pub fn identity_domain(&self) -> Option<String> {
        let i = self.identity.as_deref()?;
        let domain = i.rsplit_once('@').map_or(i, |(_, d)| d);
        Some(domain.trim_end_matches('.').to_ascii_lowercase())
    }

    /// What is wrong with the signature's parameters.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        let d = self.domain.as_deref().unwrap_or("?");
        let s = self.selector.as_deref().unwrap_or("?");
        if self.domain.is_none() || self.selector.is_none() {
            out.push(Finding::new(DkimCode::SigIncomplete,
                Severity::Warning,
                "A DKIM-Signature header has no d= or s= tag (was it cut off when pasting?); its key cannot be looked up.",
            ).rfc(6376, "3.5"));
        }
        if self.algorithm.as_deref() == Some("rsa-sha1") {
            out.push(
                Finding::new(DkimCode::SigSha1,
                    Severity::Warning,
                    format!("The message is signed with rsa-sha1 (d={d}, s={s}). Receivers must not accept rsa-sha1 signatures any more, so this signature counts as failed."),
                )
                .rfc(8301, "3.1")
                .hint("Configure the signer to use rsa-sha256."),
            );
        }
        if !self.signed_headers.is_empty() && !self.signed_headers.iter().any(|h| h == "from") {
            out.push(
                Finding::new(
                    DkimCode::SigFromUnsigned,
                    Severity::Error,
                    format!(
                        "The DKIM signature (d={d}) does not cover the From field, which it must; verifiers reject it."
                    ),
                )
                .rfc(6376, "5.4"),
            );
        }
        if let (Some(id), Some(dom)) = (self.identity_domain(), &self.domain) {
            if id != *dom && !id.ends_with(&format!(".{dom}")) {
                out.push(
                    Finding::new(DkimCode::SigIdentityMismatch, Severity::Warning, format!("The signature's i= domain ({id}) is not d= ({dom}) or below it; verifiers treat the signature as invalid."))
                        .rfc(6376, "3.5"),
                );
            }
        }
        out
    }
}
