//! Every recipient of a bounce with its own status. An RFC 3464 report has
//! one group of per-recipient fields for each address (§2.3), and one
//! message can fail for one recipient, be delayed for another and be
//! delivered to a third; Postfix's human-readable part has one
//! `<address>: host … said: …` paragraph per recipient.

use super::extract::{self, first_email, host_bracket_ip, is_host_name, status_value, strip_type};
use super::mask::diagnostic_type;
use super::scan::{choose, replies};
use super::status::{basic_meaning, EnhancedStatus};
use super::words::{self, Wording};

/// One recipient of a bounce or delay notice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recipient {
    /// The address (`Final-Recipient`, else `Original-Recipient`; the
    /// `<address>:` of a Postfix paragraph).
    pub address: String,
    /// RFC 3464 §2.3.3 `Action`, lower case: `failed`, `delayed`,
    /// `delivered`, `relayed` or `expanded`.
    pub action: Option<String>,
    /// The remote server's reply code, from an `smtp;` Diagnostic-Code.
    pub basic_code: Option<u16>,
    /// The enhanced status: the more specific of `Status:` and the reply's own.
    pub status: Option<EnhancedStatus>,
    /// The diagnostic words (Diagnostic-Code without its type, or the remote's reply).
    pub diagnostic: Option<String>,
    /// RFC 3464 §2.3.6 diagnostic type, lower case (`smtp`, `x-unix`, `x-postfix`).
    pub diagnostic_type: Option<String>,
    /// `Remote-MTA` (or the host named in the paragraph).
    pub remote_host: Option<String>,
    /// Set only when there is no code: what the words say.
    pub words: Option<Wording>,
    /// What the status means (registry meaning, reply-code meaning, or the words').
    pub meaning: String,
}

/// Of the enhanced codes found (in order of preference), the first specific
/// one of the reply's class: a generic `X.0.0` only when nothing says more.
pub fn pick_status(basic: Option<u16>, options: &[Option<EnhancedStatus>]) -> Option<EnhancedStatus> {
    let class_ok = |e: &&EnhancedStatus| basic.is_none_or(|c| u16::from(e.class) == c / 100);
    let generic = |e: &&EnhancedStatus| e.subject == 0 && e.detail == 0;
    let all = || options.iter().flatten();
    all().filter(class_ok).find(|e| !generic(e)).or_else(|| all().find(class_ok)).or_else(|| all().next()).copied()
}

/// What a status means, for a recipient or the whole reply.
pub fn meaning_of(basic: Option<u16>, status: Option<EnhancedStatus>, words: Option<Wording>) -> String {
    match (status, basic, words) {
        (Some(e), _, _) => e.meaning(),
        (None, Some(c), _) => basic_meaning(c).to_string(),
        (None, None, Some(w)) => format!("Read from the words (no code in the text): {}", w.describe()),
        (None, None, None) => "No status given for this recipient".to_string(),
    }
}

#[derive(Default)]
struct Group<'a> {
    address: Option<String>,
    final_seen: bool,
    original_seen: bool,
    action: Option<&'a str>,
    status: Option<&'a str>,
    diagnostic: Option<&'a str>,
    remote: Option<&'a str>,
}

impl Group<'_> {
    fn build(&self) -> Option<Recipient> {
        let address = self.address.clone()?;
        let remote_host = self.remote.map(strip_type).and_then(|v| {
            let word = v.split_whitespace().next().unwrap_or("").trim_end_matches('.');
            is_host_name(word).then(|| word.to_ascii_lowercase())
        });
        Some(build(address, self.action, self.status, self.diagnostic, remote_host))
    }
}

fn build(
    address: String,
    action: Option<&str>,
    status_field: Option<&str>,
    diagnostic: Option<&str>,
    remote_host: Option<String>,
) -> Recipient {
    let diagnostic_type = diagnostic.and_then(diagnostic_type);
    let text = diagnostic.map(|d| strip_type(d).to_string());
    let is_smtp = diagnostic_type.as_deref().is_none_or(|t| t == "smtp");
    let found = text.as_deref().filter(|_| is_smtp).map(replies).and_then(|c| {
        let (i, _) = choose(&c)?;
        c.get(i).cloned()
    });
    let basic_code = found.as_ref().map(|f| f.code);
    let status =
        pick_status(basic_code, &[found.as_ref().and_then(|f| f.enhanced), status_field.and_then(status_value)]);
    let action = action.map(|a| a.trim().to_ascii_lowercase());
    let words = if basic_code.is_none() && status.is_none() {
        words::read(&text.as_deref().unwrap_or("").to_ascii_lowercase(), action.as_deref())
    } else {
        None
    };
    Recipient {
        address,
        action,
        basic_code,
        status,
        diagnostic: text.filter(|t| !t.is_empty()),
        diagnostic_type,
        remote_host,
        words,
        meaning: meaning_of(basic_code, status, words),
    }
}

/// The recipients of an RFC 3464 report, from its fields in order. A group
/// starts at a recipient field when the group before already has one of
/// that kind or already has its Action or Status.
pub fn from_dsn(fields: &[(String, String)]) -> Vec<Recipient> {
    let mut out = Vec::new();
    let mut group = Group::default();
    for (name, value) in fields {
        let value = value.as_str();
        let starts = match name.as_str() {
            "final-recipient" => group.final_seen,
            "original-recipient" => group.original_seen,
            _ => false,
        } || (matches!(name.as_str(), "final-recipient" | "original-recipient")
            && (group.action.is_some() || group.status.is_some()));
        if starts {
            out.extend(group.build());
            group = Group::default();
        }
        match name.as_str() {
            "final-recipient" => {
                group.final_seen = true;
                // The final recipient is the address the report is about (§2.3.2).
                if let Some(a) = first_email(strip_type(value)) {
                    group.address = Some(a);
                }
            }
            "original-recipient" => {
                group.original_seen = true;
                if group.address.is_none() {
                    group.address = first_email(strip_type(value));
                }
            }
            "action" => group.action = Some(value),
            "status" => group.status = Some(value),
            "diagnostic-code" => group.diagnostic = Some(value),
            "remote-mta" => group.remote = Some(value),
            _ => {}
        }
    }
    out.extend(group.build());
    out
}

/// Postfix's human-readable part: one paragraph per recipient,
/// `<bob@example.com>: host mx…[ip] said: 550 … (in reply to RCPT TO command)`,
/// continued on indented lines.
pub fn from_postfix_body(text: &str) -> Vec<Recipient> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        let starts = trimmed.starts_with('<') && trimmed.contains(">:") && trimmed.contains('@');
        let continues = !starts && line.starts_with([' ', '\t']) && !trimmed.is_empty();
        match (&mut current, starts, continues) {
            (Some((_, para)), false, true) => {
                para.push(' ');
                para.push_str(trimmed);
            }
            _ => {
                out.extend(current.take().map(|(a, p)| paragraph(a, &p)));
                if starts {
                    let (addr, rest) = trimmed.split_once(">:").unwrap_or((trimmed, ""));
                    if let Some(a) = first_email(addr) {
                        current = Some((a, rest.trim().to_string()));
                    }
                }
            }
        }
    }
    out.extend(current.map(|(a, p)| paragraph(a, &p)));
    out
}

/// Exim's bounce body: each failed address alone on a line indented by two
/// spaces, then its host and the remote's reply indented further:
///
/// ```text
///   bob@example.com
///     host mx.example.com [192.0.2.1]
///     SMTP error from remote mail server after RCPT TO:<bob@example.com>:
///     550 5.1.1 User unknown
/// ```
pub fn from_exim_body(text: &str) -> Vec<Recipient> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        let address = (1..4)
            .contains(&indent)
            .then(|| first_email(trimmed))
            .flatten()
            .filter(|a| trimmed.trim_matches(|c| c == '<' || c == '>') == a);
        if let Some(a) = address {
            out.extend(current.take().map(|(a, p)| exim_paragraph(a, &p)));
            current = Some((a, String::new()));
        } else if let Some((_, para)) = current.as_mut().filter(|_| indent >= 4 && !trimmed.is_empty()) {
            para.push_str(trimmed);
            para.push('\n');
        } else if !trimmed.is_empty() {
            out.extend(current.take().map(|(a, p)| exim_paragraph(a, &p)));
        }
    }
    out.extend(current.map(|(a, p)| exim_paragraph(a, &p)));
    out
}

fn exim_paragraph(address: String, para: &str) -> Recipient {
    let remote_host = host_bracket_ip(para).map(|(h, _)| h);
    let mut r = build(address, None, None, Some(para), remote_host);
    r.diagnostic = r.diagnostic.map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "));
    r
}

fn paragraph(address: String, para: &str) -> Recipient {
    let lower = para.to_ascii_lowercase();
    let end = lower.find("(in reply to").unwrap_or(para.len());
    let words = para.get(..end).unwrap_or(para).trim();
    let remote_host = host_bracket_ip(words).map(|(h, _)| h);
    let mut r = build(address, None, None, Some(words), remote_host);
    // Postfix says "said:" before the remote's own words: show those.
    if let Some(said) = extract::after_ci(words, "said:") {
        r.diagnostic = Some(said.trim().to_string());
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specific_beats_generic() {
        let e = |s: &str| s.parse::<EnhancedStatus>().ok();
        assert_eq!(pick_status(Some(550), &[e("5.0.0"), e("5.1.1")]), e("5.1.1"));
        assert_eq!(pick_status(Some(550), &[e("5.7.606"), e("5.0.0")]), e("5.7.606"));
        assert_eq!(pick_status(None, &[None, e("4.4.7")]), e("4.4.7"));
    }
}
