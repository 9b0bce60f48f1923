//! SMTP status codes and what they mean: the basic reply code (RFC 5321
//! §4.2) and the enhanced status code (RFC 3463, with the additions in the
//! IANA registry that RFC 5248 set up).

use std::fmt;
use std::str::FromStr;

/// An enhanced status code `class.subject.detail` (RFC 3463 §2), e.g. `4.4.2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct EnhancedStatus {
    /// 2 success, 4 persistent transient failure, 5 permanent failure.
    pub class: u8,
    /// 0–7: what the status is about (address, mailbox, system, network, …).
    pub subject: u16,
    pub detail: u16,
}

impl EnhancedStatus {
    pub fn is(&self, subject: u16, detail: u16) -> bool {
        self.subject == subject && self.detail == detail
    }

    /// "Persistent transient failure: bad connection" — the registry meaning in words.
    pub fn meaning(&self) -> String {
        let class = class_meaning(self.class);
        match detail_meaning(self.subject, self.detail) {
            Some(detail) => format!("{class}: {detail}"),
            None => format!(
                "{class}: {} (detail {} is not in the IANA registry: the server's own meaning)",
                subject_meaning(self.subject),
                self.detail
            ),
        }
    }
}

impl fmt::Display for EnhancedStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.detail)
    }
}

/// Why a string is not an enhanced status code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSyntaxError {
    /// Byte offset of the problem.
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for StatusSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StatusSyntaxError {}

/// RFC 3463 §2: `status-code = class "." subject "." detail`, class is 2, 4 or 5,
/// subject 1–3 digits, detail 1–3 digits.
impl FromStr for EnhancedStatus {
    type Err = StatusSyntaxError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |offset: usize, message: &str| StatusSyntaxError { offset, message: message.to_string() };
        let mut parts = s.split('.');
        let (Some(c), Some(subj), Some(det), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(err(0, "an enhanced status code has three numbers separated by dots, such as 4.4.2"));
        };
        let class = match c {
            "2" => 2,
            "4" => 4,
            "5" => 5,
            _ => return Err(err(0, "the first number (the class) must be 2, 4 or 5")),
        };
        let number = |t: &str, offset: usize| -> Result<u16, StatusSyntaxError> {
            if t.is_empty() || t.len() > 3 || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(offset, "the second and third numbers must have one to three digits"));
            }
            t.parse().map_err(|_| err(offset, "not a number"))
        };
        let subject = number(subj, c.len() + 1)?;
        let detail = number(det, c.len() + subj.len() + 2)?;
        Ok(EnhancedStatus { class, subject, detail })
    }
}

/// RFC 3463 §3.1–3.3.
pub fn class_meaning(class: u8) -> &'static str {
    match class {
        2 => "Success",
        4 => "Temporary failure (the sender should retry)",
        5 => "Permanent failure (retrying will not help)",
        _ => "Unknown class",
    }
}

/// RFC 3463 §3.4–3.10 subject headings.
pub fn subject_meaning(subject: u16) -> &'static str {
    match subject {
        0 => "other or undefined status",
        1 => "addressing status",
        2 => "mailbox status",
        3 => "mail system status",
        4 => "network and routing status",
        5 => "mail delivery protocol status",
        6 => "message content or media status",
        7 => "security or policy status",
        _ => "unknown subject",
    }
}

/// The registry's name for `X.subject.detail` (RFC 3463 §3, RFC 5248's IANA
/// registry and the RFCs that added to it), or `None` if unregistered.
pub fn detail_meaning(subject: u16, detail: u16) -> Option<&'static str> {
    Some(match (subject, detail) {
        (0, 0) => "other undefined status",
        (1, 0) => "other address status",
        (1, 1) => "bad destination mailbox address (no such user)",
        (1, 2) => "bad destination system address (the domain does not accept mail)",
        (1, 3) => "bad destination mailbox address syntax",
        (1, 4) => "destination mailbox address ambiguous",
        (1, 5) => "destination address valid",
        (1, 6) => "destination mailbox has moved, no forwarding address",
        (1, 7) => "bad sender's mailbox address syntax",
        (1, 8) => "bad sender's system address",
        // RFC 7505 §4.2
        (1, 10) => "recipient address has null MX (the domain accepts no mail)",
        (2, 0) => "other or undefined mailbox status",
        (2, 1) => "mailbox disabled, not accepting messages",
        (2, 2) => "mailbox full",
        (2, 3) => "message length exceeds administrative limit",
        (2, 4) => "mailing list expansion problem",
        (3, 0) => "other or undefined mail system status",
        (3, 1) => "mail system full",
        (3, 2) => "system not accepting network messages",
        (3, 3) => "system not capable of selected features",
        (3, 4) => "message too big for system",
        (3, 5) => "system incorrectly configured",
        (4, 0) => "other or undefined network or routing status",
        (4, 1) => "no answer from host",
        (4, 2) => "bad connection (the connection timed out or broke after it was opened)",
        (4, 3) => "directory server failure (for example DNS)",
        (4, 4) => "unable to route",
        (4, 5) => "mail system congestion",
        (4, 6) => "routing loop detected",
        (4, 7) => "delivery time expired",
        (5, 0) => "other or undefined protocol status",
        (5, 1) => "invalid command",
        (5, 2) => "syntax error",
        (5, 3) => "too many recipients",
        (5, 4) => "invalid command arguments",
        (5, 5) => "wrong protocol version",
        // RFC 4954 §6
        (5, 6) => "authentication exchange line is too long",
        (6, 0) => "other or undefined media error",
        (6, 1) => "media not supported",
        (6, 2) => "conversion required and prohibited",
        (6, 3) => "conversion required but not supported",
        (6, 4) => "conversion with loss performed",
        (6, 5) => "conversion failed",
        (7, 0) => "other or undefined security status",
        (7, 1) => "delivery not authorized, message refused",
        (7, 2) => "mailing list expansion prohibited",
        (7, 3) => "security conversion required but not possible",
        (7, 4) => "security features not supported",
        (7, 5) => "cryptographic failure",
        (7, 6) => "cryptographic algorithm not supported",
        (7, 7) => "message integrity failure",
        // RFC 4954 §6
        (7, 8) => "authentication credentials invalid",
        (7, 9) => "authentication mechanism is too weak",
        (7, 10) => "encryption needed",
        (7, 11) => "encryption required for requested authentication mechanism",
        // RFC 7372 §3
        (7, 20) => "no passing DKIM signature found",
        (7, 21) => "no acceptable DKIM signature found",
        (7, 22) => "no valid author-matched DKIM signature found",
        (7, 23) => "SPF validation failed",
        (7, 24) => "SPF validation error",
        (7, 25) => "reverse DNS validation failed",
        (7, 26) => "multiple authentication checks failed",
        // RFC 7505 §4.2
        (7, 27) => "sender address has null MX",
        _ => return None,
    })
}

/// RFC 5321 §4.2.2–4.2.3: what the basic reply code says on its own.
pub fn basic_meaning(code: u16) -> &'static str {
    match code {
        211 => "System status",
        214 => "Help message",
        220 => "Service ready",
        221 => "Service closing transmission channel",
        250 => "Requested action okay, completed",
        251 => "User not local; will forward",
        252 => "Cannot verify the user, but will accept the message",
        354 => "Start mail input",
        421 => "Service not available, closing transmission channel (temporary: the sender should retry)",
        450 => "Mailbox unavailable (busy or temporarily blocked); retry later",
        451 => "Local error in processing; retry later",
        452 => "Insufficient system storage; retry later",
        455 => "Server unable to accommodate parameters",
        500 => "Syntax error, command unrecognised",
        501 => "Syntax error in parameters or arguments",
        502 => "Command not implemented",
        503 => "Bad sequence of commands",
        504 => "Command parameter not implemented",
        521 => "Host does not accept mail (RFC 7504)",
        550 => "Mailbox unavailable or message refused by policy",
        551 => "User not local",
        552 => "Exceeded storage allocation",
        553 => "Mailbox name not allowed",
        554 => "Transaction failed (often a policy rejection)",
        555 => "MAIL FROM/RCPT TO parameters not recognised",
        556 => "Domain does not accept mail (RFC 7504)",
        c if (400..500).contains(&c) => "Temporary failure (the sender should retry)",
        c if (500..600).contains(&c) => "Permanent failure",
        c if (200..300).contains(&c) => "Success",
        _ => "Intermediate reply",
    }
}

/// RFC 5321 §4.2: a reply code is three digits, the first 2–5, the second 0–5.
pub fn is_reply_code(code: u16) -> bool {
    (200..=599).contains(&code) && (code / 10) % 10 <= 5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enhanced_round_trips_and_rejects() {
        for s in ["4.4.2", "5.7.1", "2.0.0", "4.7.650", "4.4.316"] {
            assert_eq!(s.parse::<EnhancedStatus>().unwrap().to_string(), s);
        }
        let bad = [("3.4.2", 0), ("4.4", 0), ("4.4.2.1", 0), ("4.x.2", 2), ("4.4.1234", 4), ("4..2", 2)];
        for (s, offset) in bad {
            let e = s.parse::<EnhancedStatus>().unwrap_err();
            assert_eq!(e.offset, offset, "{s}: {}", e.message);
        }
    }

    #[test]
    fn meanings() {
        // RFC 3463 §3.5: X.4.2 "Bad connection".
        assert!("4.4.2".parse::<EnhancedStatus>().unwrap().meaning().contains("bad connection"));
        // RFC 7372 §3.3: X.7.26.
        assert!("5.7.26".parse::<EnhancedStatus>().unwrap().meaning().contains("multiple authentication"));
        // Unregistered detail: say so rather than invent.
        let m = "4.7.650".parse::<EnhancedStatus>().unwrap().meaning();
        assert!(m.contains("not in the IANA registry") && m.contains("security or policy"), "{m}");
        assert!(is_reply_code(421) && !is_reply_code(461) && !is_reply_code(199) && !is_reply_code(600));
    }
}
