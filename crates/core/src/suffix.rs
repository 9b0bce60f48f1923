//! Public suffixes, partially.
//!
//! **This is not the Public Suffix List.** The full PSL (publicsuffix.org)
//! is far too big for the page's size budget, so this module knows only:
//! every single label is a suffix (a TLD such as `com` or `uk`), plus a short
//! list of the most common multi-label suffixes (`co.uk`, `com.au`,
//! `github.io`, …). A less common multi-label suffix (say `kawasaki.jp`) is
//! not recognised, and its registrable domain comes out one label too short.
//!
//! It is only used to catch a person typing a suffix instead of their own
//! domain, and to phrase advice. DMARC itself does not use it: RFC 9989
//! replaced the PSL with the DNS tree walk (see [`crate::dmarc`]).

use crate::dns::normalize_name;
use crate::finding::{Finding, Severity};
use crate::input::InputCode;

/// Common multi-label public suffixes (ICANN and a few private ones), lower case,
/// separated by spaces: one string, not a table of `&str` (each entry would add 8
/// bytes of pointer and length to the wasm; -282 gzip bytes, measured).
pub const MULTI_LABEL_SUFFIXES: &str = concat!(
    // United Kingdom
    "co.uk org.uk me.uk ltd.uk plc.uk net.uk ac.uk gov.uk sch.uk nhs.uk ",
    // Australia, New Zealand
    "com.au net.au org.au edu.au gov.au asn.au id.au co.nz net.nz org.nz govt.nz ",
    // Asia
    "co.jp ne.jp or.jp ac.jp go.jp co.kr or.kr com.cn net.cn org.cn gov.cn edu.cn com.hk com.tw org.tw com.sg com.my ",
    "co.in net.in org.in gov.in co.id or.id co.th in.th com.ph com.vn com.pk co.il org.il com.tr com.sa ",
    // Americas
    "com.br net.br org.br gov.br com.mx org.mx com.ar com.co com.pe gob.mx gc.ca ",
    // Europe, Africa
    "com.pl co.at or.at com.es com.ua co.za org.za com.ng co.ke com.eg ",
    // Hosting platforms where users get their own subdomain
    "github.io gitlab.io herokuapp.com netlify.app vercel.app pages.dev workers.dev web.app ",
    "firebaseapp.com appspot.com blogspot.com azurewebsites.net cloudfront.net amazonaws.com",
);

/// The public suffix of `domain` as far as this partial list knows:
/// the longest known multi-label suffix, else the last label.
pub fn public_suffix(domain: &str) -> String {
    let name = normalize_name(domain);
    let labels: Vec<&str> = name.split('.').collect();
    for take in (2..=labels.len()).rev() {
        let candidate = labels[labels.len() - take..].join(".");
        if MULTI_LABEL_SUFFIXES.split(' ').any(|known| known == candidate) {
            return candidate;
        }
    }
    labels.last().copied().unwrap_or("").to_string()
}

/// True if `domain` is itself a public suffix (per the partial list).
pub fn is_public_suffix(domain: &str) -> bool {
    let name = normalize_name(domain);
    !name.is_empty() && public_suffix(&name) == name
}

/// The registrable domain ("eTLD+1"): the public suffix plus one label, or
/// `None` if `domain` is a public suffix itself.
pub fn registrable_domain(domain: &str) -> Option<String> {
    let name = normalize_name(domain);
    let suffix = public_suffix(&name);
    if name == suffix || name.is_empty() {
        return None;
    }
    let head = name.strip_suffix(&suffix)?.strip_suffix('.')?;
    let label = head.rsplit('.').next()?;
    Some(format!("{label}.{suffix}"))
}

/// For the input form: a warning when someone typed a public suffix (`co.uk`)
/// rather than their own domain. Code `input.public-suffix`.
pub fn public_suffix_finding(domain: &str) -> Option<Finding> {
    let name = normalize_name(domain);
    is_public_suffix(&name).then(|| {
        Finding::new(
            InputCode::PublicSuffix,
            Severity::Warning,
            format!(
                "{name} is a public suffix: people register their own domains under it (like yourcompany.{name}), \
                 but it is not a mail domain itself. Type the domain you send mail from."
            ),
        )
        .hint("Only the most common public suffixes are known here, not the whole Public Suffix List.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_and_registrable_domains() {
        let cases = [
            ("example.com", "com", Some("example.com")),
            ("www.mail.example.com.", "com", Some("example.com")),
            ("shop.example.co.uk", "co.uk", Some("example.co.uk")),
            ("co.uk", "co.uk", None),
            ("uk", "uk", None),
            ("alice.github.io", "github.io", Some("alice.github.io")),
            ("Foo.Bar.Com.AU", "com.au", Some("bar.com.au")),
            // Partial by design: kawasaki.jp is on the real PSL but not here.
            ("city.kawasaki.jp", "jp", Some("kawasaki.jp")),
        ];
        for (domain, suffix, registrable) in cases {
            assert_eq!(public_suffix(domain), suffix, "{domain}");
            assert_eq!(registrable_domain(domain).as_deref(), registrable, "{domain}");
            assert_eq!(is_public_suffix(domain), registrable.is_none(), "{domain}");
        }
        assert!(!is_public_suffix(""));
        assert_eq!(public_suffix_finding("CO.UK.").map(|f| f.code.as_str()), Some("input.public-suffix"));
        assert!(public_suffix_finding("example.co.uk").is_none());
    }
}
