//! What a bounce says in words when it gives no code: a delay notice
//! ("has been delayed … will retry", `Action: delayed` without a `Status:`)
//! or the common failures every mailer words alike. The reader reports
//! these as read from the words, never as a code the text did not contain.

/// A failure or delay recognised from the wording alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Wording {
    /// The message is still queued and will be retried.
    Delayed,
    /// The recipient address does not exist.
    UserUnknown,
    /// The recipient's mailbox is over its quota.
    MailboxFull,
    /// The recipient's domain or mail host does not resolve.
    HostUnknown,
}

impl Wording {
    pub fn describe(self) -> &'static str {
        match self {
            Wording::Delayed => "delivery is delayed; the sending server keeps the message and will retry",
            Wording::UserUnknown => "the recipient address does not exist (usually 550 5.1.1)",
            Wording::MailboxFull => "the recipient's mailbox is full (usually 452 4.2.2 or 552 5.2.2)",
            Wording::HostUnknown => "the recipient's domain or mail host was not found in DNS (usually 5.1.2 or 4.4.3)",
        }
    }
}

/// Phrases, lower case, most specific failure first: a delay notice that
/// names the reason is read as the reason.
const PHRASES: &[(&str, Wording)] = &[
    ("user unknown", Wording::UserUnknown),
    ("unknown user", Wording::UserUnknown),
    ("no such user", Wording::UserUnknown),
    ("unknown recipient", Wording::UserUnknown),
    ("recipient unknown", Wording::UserUnknown),
    ("no such recipient", Wording::UserUnknown),
    ("mailbox not found", Wording::UserUnknown),
    ("no mailbox here", Wording::UserUnknown),
    ("address does not exist", Wording::UserUnknown),
    ("account that you tried to reach does not exist", Wording::UserUnknown),
    ("mailbox full", Wording::MailboxFull),
    ("mailbox is full", Wording::MailboxFull),
    ("over quota", Wording::MailboxFull),
    ("quota exceeded", Wording::MailboxFull),
    ("out of storage space", Wording::MailboxFull),
    ("host unknown", Wording::HostUnknown),
    ("unknown host", Wording::HostUnknown),
    ("host not found", Wording::HostUnknown),
    ("domain not found", Wording::HostUnknown),
    ("host or domain name not found", Wording::HostUnknown),
    ("unrouteable address", Wording::HostUnknown),
    ("has been delayed", Wording::Delayed),
    ("delivery delayed", Wording::Delayed),
    ("delayed mail", Wording::Delayed),
    ("will retry", Wording::Delayed),
    ("still being retried", Wording::Delayed),
    ("temporary problem delivering", Wording::Delayed),
];

/// The wording of `lower` (ASCII-lower-cased text); `action` is a DSN's
/// `Action:` value, lower case.
pub fn read(lower: &str, action: Option<&str>) -> Option<Wording> {
    PHRASES
        .iter()
        .find(|(p, _)| lower.contains(p))
        .map(|(_, w)| *w)
        .or_else(|| (action == Some("delayed")).then_some(Wording::Delayed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_common_wordings() {
        assert_eq!(read("your message has been delayed and we will retry", None), Some(Wording::Delayed));
        assert_eq!(read("<bob@x>: user unknown", None), Some(Wording::UserUnknown));
        assert_eq!(read("nothing", Some("delayed")), Some(Wording::Delayed));
        assert_eq!(read("hello", None), None);
    }
}
