//! The MTA-STS policy file (RFC 8461 §3.2), as a person pastes it from
//! `https://mta-sts.<domain>/.well-known/mta-sts.txt`: a positioned parser
//! (`FromStr`, LF or CRLF lines) and a printer (`Display`, CRLF) that parses back
//! to the same value; and the MX pattern matching of §4.1.
//!
//! ```text
//! version: STSv1
//! mode: enforce
//! mx: mail.example.com
//! mx: *.example.net
//! max_age: 604800
//! ```

use std::fmt;
use std::str::FromStr;

use super::tags::is_ext_name;
use crate::parse_error::ParseError;

/// RFC 8461 §3.2: "maximum value of 31557600" seconds (a year).
pub const MAX_AGE_LIMIT: u32 = 31_557_600;

/// The policy mode (RFC 8461 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Mode {
    /// Senders must not deliver unless an MX matches and its certificate validates.
    Enforce,
    /// Senders deliver anyway and report failures (TLS-RPT).
    Testing,
    /// No policy: how a domain withdraws MTA-STS (§8.3).
    None,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Testing => "testing",
            Mode::None => "none",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An `mx:` pattern: a host name, or `*.` and a domain (RFC 8461 §3.2 `["*."] Domain`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct MxPattern {
    /// `*.` in front: matches exactly one more label.
    pub wildcard: bool,
    /// The name after any `*.`, lower case, without a trailing dot.
    pub domain: String,
}

impl MxPattern {
    /// RFC 8461 §4.1: a host matches if it is the pattern, or for `*.d`, if it is one
    /// label and a dot in front of `d` ("the wildcard ... matches only the left-most
    /// label": `*.example.com` matches `mx1.example.com`, not `a.b.example.com` nor
    /// `example.com`). Case-insensitive; a trailing dot on `host` is ignored.
    pub fn matches(&self, host: &str) -> bool {
        let host = host.strip_suffix('.').unwrap_or(host);
        if !self.wildcard {
            return host.eq_ignore_ascii_case(&self.domain);
        }
        match host.split_once('.') {
            Some((label, rest)) => !label.is_empty() && rest.eq_ignore_ascii_case(&self.domain),
            None => false,
        }
    }
}

impl FromStr for MxPattern {
    type Err = String;

    /// RFC 5321 `Domain`: dot-separated labels of letters, digits and inner hyphens.
    fn from_str(text: &str) -> Result<MxPattern, String> {
        let (wildcard, domain) = match text.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let label_ok = |l: &str| {
            (1..=63).contains(&l.len())
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if domain.is_empty() || domain.len() > 253 || !domain.split('.').all(label_ok) {
            return Err(format!("\"{text}\" is not a host name or *.domain pattern"));
        }
        Ok(MxPattern { wildcard, domain: domain.to_ascii_lowercase() })
    }
}

impl fmt::Display for MxPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wildcard {
            f.write_str("*.")?;
        }
        f.write_str(&self.domain)
    }
}

/// A valid policy file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MtaStsPolicy {
    pub mode: Mode,
    /// Seconds senders may cache the policy, at most [`MAX_AGE_LIMIT`].
    pub max_age: u32,
    /// The allowed MX hosts, in order.
    pub mx: Vec<MxPattern>,
    /// Fields RFC 8461 does not define, in order (§3.2: ignored by senders).
    pub extensions: Vec<(String, String)>,
}

impl MtaStsPolicy {
    /// The first pattern `host` matches, if any.
    pub fn pattern_for(&self, host: &str) -> Option<&MxPattern> {
        self.mx.iter().find(|p| p.matches(host))
    }
}

/// What is wrong in a policy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum PolicyErrorKind {
    /// A line that is not `key: value`.
    MalformedLine,
    /// `version`, `mode` or `max_age` is missing.
    MissingField,
    /// `version`, `mode` or `max_age` given twice.
    DuplicateField,
    /// `version` other than `STSv1`.
    BadVersion,
    /// `mode` other than enforce, testing or none.
    BadMode,
    /// `max_age` not a number of at most 10 digits.
    BadMaxAge,
    /// `max_age` over 31557600.
    MaxAgeTooLong,
    /// An `mx` value that is not a host name or `*.domain`.
    BadMx,
    /// No `mx` line with mode enforce or testing.
    MissingMx,
}

pub type PolicyError = ParseError<PolicyErrorKind>;

/// One `key: value` line with the value's byte offset.
struct Line<'a> {
    key: &'a str,
    value: &'a str,
    at: usize,
    value_at: usize,
}

/// Splits on LF (a CR before it is dropped); blank lines are skipped, which the ABNF
/// does not allow but no sender refuses. `key:` is followed by optional space.
fn lines(text: &str) -> Result<Vec<Line<'_>>, PolicyError> {
    let mut out = Vec::new();
    let mut at = 0;
    for raw in text.split('\n') {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let start = at;
        at += raw.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        let malformed = |message: String| ParseError::new(PolicyErrorKind::MalformedLine, start, message);
        let Some((key, rest)) = line.split_once(':') else {
            return Err(malformed(format!("\"{line}\" is not a \"key: value\" line.")));
        };
        if !is_ext_name(key) {
            return Err(malformed(format!("\"{key}\" is not a field name (no spaces before the colon).")));
        }
        let value = rest.trim_matches([' ', '\t']);
        if value.is_empty() || value.chars().any(char::is_control) {
            return Err(malformed(format!("The field \"{key}\" has no usable value.")));
        }
        let value_at = start + key.len() + 1 + (rest.len() - rest.trim_start_matches([' ', '\t']).len());
        out.push(Line { key, value, at: start, value_at });
    }
    Ok(out)
}

impl FromStr for MtaStsPolicy {
    type Err = PolicyError;

    fn from_str(text: &str) -> Result<MtaStsPolicy, PolicyError> {
        use PolicyErrorKind::*;
        let (mut version, mut mode, mut max_age) = (None, None, None);
        let (mut mx, mut extensions) = (Vec::new(), Vec::new());
        for line in lines(text)? {
            let err = |kind, message: String| ParseError::new(kind, line.value_at, message);
            let once = |seen: bool| {
                let message = format!("The field \"{}\" appears more than once.", line.key);
                if seen {
                    Err(ParseError::new(DuplicateField, line.at, message))
                } else {
                    Ok(())
                }
            };
            match line.key {
                "version" => {
                    once(version.is_some())?;
                    if line.value != "STSv1" {
                        return Err(err(BadVersion, format!("version must be STSv1, not \"{}\".", line.value)));
                    }
                    version = Some(());
                }
                "mode" => {
                    once(mode.is_some())?;
                    mode = Some(match line.value {
                        "enforce" => Mode::Enforce,
                        "testing" => Mode::Testing,
                        "none" => Mode::None,
                        other => {
                            return Err(err(
                                BadMode,
                                format!("mode must be enforce, testing or none, not \"{other}\"."),
                            ))
                        }
                    });
                }
                "max_age" => {
                    once(max_age.is_some())?;
                    let digits = line.value.len() <= 10 && line.value.bytes().all(|b| b.is_ascii_digit());
                    let n: u64 = line.value.parse().ok().filter(|_| digits).ok_or_else(|| {
                        err(BadMaxAge, format!("max_age must be a number of seconds, not \"{}\".", line.value))
                    })?;
                    if n > u64::from(MAX_AGE_LIMIT) {
                        let message = format!("max_age {n} is over the limit of {MAX_AGE_LIMIT} seconds (a year).");
                        return Err(err(MaxAgeTooLong, message));
                    }
                    max_age = u32::try_from(n).ok();
                }
                "mx" => mx.push(line.value.parse::<MxPattern>().map_err(|why| err(BadMx, format!("{why}.")))?),
                key => extensions.push((key.to_string(), line.value.to_string())),
            }
        }
        let missing =
            |field: &str| ParseError::new(MissingField, text.len(), format!("The policy has no {field}: line."));
        version.ok_or_else(|| missing("version"))?;
        let mode = mode.ok_or_else(|| missing("mode"))?;
        let max_age = max_age.ok_or_else(|| missing("max_age"))?;
        if mx.is_empty() && mode != Mode::None {
            let message = format!("A policy in mode {mode} needs at least one mx: line naming the mail servers.");
            return Err(ParseError::new(MissingMx, text.len(), message));
        }
        Ok(MtaStsPolicy { mode, max_age, mx, extensions })
    }
}

/// CRLF lines, as RFC 8461 §3.2 shows them: version, mode, the mx lines, max_age, extensions.
impl fmt::Display for MtaStsPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "version: STSv1\r\nmode: {}\r\n", self.mode)?;
        for mx in &self.mx {
            write!(f, "mx: {mx}\r\n")?;
        }
        write!(f, "max_age: {}\r\n", self.max_age)?;
        for (key, value) in &self.extensions {
            write!(f, "{key}: {value}\r\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_one_label() {
        let p: MxPattern = "*.Example.net".parse().unwrap();
        assert!(p.matches("mx1.example.NET.") && !p.matches("a.b.example.net") && !p.matches("example.net"));
        let exact: MxPattern = "mail.example.com".parse().unwrap();
        assert!(exact.matches("MAIL.example.com") && !exact.matches("x.mail.example.com"));
        for bad in ["*", "*.", "a..b", "-a.b", "a.*.b", "mail.example.com."] {
            assert!(bad.parse::<MxPattern>().is_err(), "{bad}");
        }
    }
}
