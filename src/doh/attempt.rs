//! What one HTTP exchange with one provider came to, and the rules for
//! trying the other provider. Pure, so it is tested natively.

use std::fmt;

use maildoctor_core::dns::{Failure, Lookup, Outcome, RecordType};
use maildoctor_core::quote::Quoted;

/// RFC 8484 §6: the media type of a DNS wire-format message.
pub const DNS_MESSAGE: &str = "application/dns-message";

/// How an exchange failed before a DNS message could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DohError {
    /// HTTP 429: the provider rate-limits us. `retry_after` is the header as sent, if readable.
    RateLimited { retry_after: Option<String> },
    /// Any other HTTP status outside 2xx (5xx: the provider failed).
    HttpStatus(u16),
    /// `fetch` itself failed: offline, name not found, TLS, or the browser
    /// blocked the answer for lack of CORS headers — a page cannot tell which.
    Network(String),
    /// HTTP 2xx but not `application/dns-message` (a captive portal, a proxy's error page…).
    ContentType(Option<String>),
    /// No complete answer within the timeout.
    Timeout,
}

impl DohError {
    /// The [`Failure`] a lookup reports for this error.
    pub fn to_failure(&self) -> Failure {
        match self {
            DohError::Timeout => Failure::Timeout,
            DohError::ContentType(_) => Failure::Malformed(self.to_string()),
            _ => Failure::Transport(self.to_string()),
        }
    }
}

impl fmt::Display for DohError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DohError::RateLimited { retry_after: Some(s) } => {
                write!(f, "HTTP 429: too many requests (the resolver asks to wait {s} s)")
            }
            DohError::RateLimited { retry_after: None } => f.write_str("HTTP 429: too many requests"),
            DohError::HttpStatus(code @ 500..=599) => write!(f, "HTTP {code}: the resolver had a server error"),
            DohError::HttpStatus(code) => write!(f, "HTTP {code}: the resolver did not accept the request"),
            DohError::Network(why) => write!(f, "network error, or the browser blocked the answer (CORS): {why}"),
            DohError::ContentType(Some(ct)) => write!(f, "the answer is {}, not {DNS_MESSAGE}", Quoted(ct)),
            DohError::ContentType(None) => write!(f, "the answer has no content type, not {DNS_MESSAGE}"),
            DohError::Timeout => f.write_str("no answer in time"),
        }
    }
}

/// Checks the HTTP status and content type of a response, before its body is decoded.
pub fn check_response(status: u16, content_type: Option<&str>, retry_after: Option<&str>) -> Result<(), DohError> {
    match status {
        429 => return Err(DohError::RateLimited { retry_after: retry_after.map(|s| s.trim().to_string()) }),
        200..=299 => {}
        other => return Err(DohError::HttpStatus(other)),
    }
    // Media types are case-insensitive and may carry parameters (RFC 9110 §8.3.1).
    let media_type = content_type.map(|ct| ct.split(';').next().unwrap_or("").trim());
    match media_type {
        Some(mt) if mt.eq_ignore_ascii_case(DNS_MESSAGE) => Ok(()),
        _ => Err(DohError::ContentType(content_type.map(str::to_string))),
    }
}

/// One exchange with one provider, kept for display and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub name: String,
    pub rtype: RecordType,
    /// `Provider::name()` of the provider asked.
    pub provider: String,
    /// Either the error before a DNS message could be read, or what the message said
    /// (which may itself be `Failed(Malformed)` when the body was not a DNS message).
    pub result: Result<Outcome, DohError>,
}

impl Attempt {
    pub fn outcome(&self) -> Outcome {
        match &self.result {
            Ok(outcome) => outcome.clone(),
            Err(e) => Outcome::Failed(e.to_failure()),
        }
    }
}

/// Whether an outcome from the first provider is worth asking the second one.
///
/// Yes for anything that says "this provider could not answer": a timeout, an
/// HTTP or network error, a body that is not a DNS message, and SERVFAIL
/// (which is often one resolver's problem, e.g. its DNSSEC view or an
/// upstream timeout). No for real answers (records, NODATA, NXDOMAIN) and
/// for REFUSED or other RCODEs, which are decisions, not breakdowns.
pub fn worth_retrying(outcome: &Outcome) -> bool {
    matches!(
        outcome,
        Outcome::Failed(Failure::Timeout | Failure::Transport(_) | Failure::Malformed(_) | Failure::ServFail)
    )
}

/// When both providers failed, which failure to report: the second one's,
/// unless the first got a DNS-level answer (SERVFAIL) and the second only a
/// transport failure — "the resolver could not get an answer" tells the
/// person more about their domain than "we could not reach Google".
pub fn pick_failure(first: Lookup, second: Lookup) -> Lookup {
    let transport_level = |l: &Lookup| {
        matches!(l.outcome, Outcome::Failed(Failure::Timeout | Failure::Transport(_) | Failure::Malformed(_)))
    };
    if transport_level(&second) && !transport_level(&first) {
        first
    } else {
        second
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_content_types() {
        let ok = Some("application/dns-message");
        type Case<'a> = (u16, Option<&'a str>, Option<&'a str>, Result<(), DohError>);
        let cases: [Case; 9] = [
            (200, ok, None, Ok(())),
            (200, Some("Application/DNS-Message; charset=binary"), None, Ok(())),
            (200, Some("text/html"), None, Err(DohError::ContentType(Some("text/html".into())))),
            (200, None, None, Err(DohError::ContentType(None))),
            (429, ok, Some(" 7 "), Err(DohError::RateLimited { retry_after: Some("7".into()) })),
            (429, None, None, Err(DohError::RateLimited { retry_after: None })),
            (500, ok, None, Err(DohError::HttpStatus(500))),
            (503, ok, None, Err(DohError::HttpStatus(503))),
            (404, Some("text/plain"), None, Err(DohError::HttpStatus(404))),
        ];
        for (status, ct, retry, expected) in cases {
            assert_eq!(check_response(status, ct, retry), expected, "{status} {ct:?}");
        }
    }

    #[test]
    fn errors_become_distinct_failures() {
        assert_eq!(DohError::Timeout.to_failure(), Failure::Timeout);
        let f = DohError::HttpStatus(502).to_failure();
        assert_eq!(f, Failure::Transport("HTTP 502: the resolver had a server error".into()));
        let f = DohError::RateLimited { retry_after: Some("3".into()) }.to_failure();
        assert!(matches!(f, Failure::Transport(ref s) if s.starts_with("HTTP 429") && s.contains("3 s")));
        assert!(matches!(DohError::Network("x".into()).to_failure(), Failure::Transport(ref s) if s.contains("CORS")));
        let f = DohError::ContentType(Some("text/html".into())).to_failure();
        assert!(matches!(f, Failure::Malformed(ref s) if s.contains("text/html")));
    }

    #[test]
    fn retry_policy() {
        let retry =
            [Failure::Timeout, Failure::Transport("x".into()), Failure::Malformed("x".into()), Failure::ServFail];
        for f in retry {
            assert!(worth_retrying(&Outcome::Failed(f.clone())), "{f:?}");
        }
        let keep =
            [Outcome::Records(vec![]), Outcome::NoData(vec![]), Outcome::NxDomain, Outcome::Failed(Failure::Refused)];
        for o in keep.iter().chain([&Outcome::Failed(Failure::Rcode(4))]) {
            assert!(!worth_retrying(o), "{o:?}");
        }
    }

    #[test]
    fn reported_failure_prefers_dns_level_answers() {
        let l = |f: Failure, by: &str| {
            let mut l = Lookup::new("x.example", RecordType::A, Outcome::Failed(f));
            l.answered_by = Some(by.into());
            l
        };
        let chosen = pick_failure(l(Failure::ServFail, "A"), l(Failure::Timeout, "B"));
        assert_eq!(chosen.answered_by.as_deref(), Some("A"));
        let chosen = pick_failure(l(Failure::Timeout, "A"), l(Failure::ServFail, "B"));
        assert_eq!(chosen.answered_by.as_deref(), Some("B"));
        let chosen = pick_failure(l(Failure::Timeout, "A"), l(Failure::Transport("x".into()), "B"));
        assert_eq!(chosen.answered_by.as_deref(), Some("B"));
    }
}
