//! The message-header reader: what a pasted header block (of a message that
//! did arrive, or of a bounce) says about authentication.
//!
//! [`read_headers`] unfolds the fields (RFC 5322 §2.2.3) and reads:
//! - `DKIM-Signature` (RFC 6376 §3.5): the signing domain and selector to check;
//! - `Authentication-Results` (RFC 8601): the receiver's SPF/DKIM/DMARC verdicts;
//! - `Received` (RFC 5321 §4.4): the sending server's IP ([`received`] explains the rule);
//! - `Return-Path` / `From`: envelope and header domains, and DMARC alignment.
//!
//! It is tolerant, because people paste from mail clients: junk before the
//! first field, CRLF or LF, a body after the blank line (ignored), a
//! truncated last field. It is linear in the input and never panics; input
//! it cannot use at all is a [`HeaderError`] with a clear message.

pub mod align;
pub mod auth;
pub mod received;
pub mod signature;

use crate::finding::Finding;
use crate::parse_error::ParseError;

pub use align::{Alignment, AlignmentCheck, OrgDomains};
pub use auth::{AuthResult, AuthResults};
pub use received::{ReceivedHop, SendingIp, SendingIpRule};
pub use signature::DkimSignature;

/// A header block larger than this is refused: real ones are a few KB, so
/// this is a paste of something else (the body is not counted).
pub const MAX_HEADER_BYTES: usize = 256 * 1024;

/// One unfolded header field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HeaderField {
    /// As written (compare case-insensitively).
    pub name: String,
    /// Unfolded: each CRLF/LF before whitespace removed (RFC 5322 §2.2.3), ends trimmed.
    pub value: String,
    /// 1-based line of the pasted text where the field starts.
    pub line: usize,
}

/// Everything read from one header block.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MessageHeaders {
    /// All fields, top to bottom.
    pub fields: Vec<HeaderField>,
    pub dkim_signatures: Vec<DkimSignature>,
    /// Top to bottom; the first is the most recent receiver's.
    pub auth_results: Vec<AuthResults>,
    /// Top (the last hop, the recipient's server) to bottom (the first hop).
    pub received: Vec<ReceivedHop>,
    pub sending_ip: Option<SendingIp>,
    /// The address in `Return-Path` (the envelope sender, MAIL FROM), if any.
    pub return_path: Option<String>,
    /// The address of `From` (the first one, if there are several).
    pub from: Option<String>,
    /// DMARC identifier alignment, organizational domains approximated (see [`align`]).
    pub alignment: Alignment,
    /// Lines before the first field and lines that were not fields, skipped.
    pub skipped_lines: usize,
    /// Problems in the message's headers (a sha1 signature, no From, …).
    pub findings: Vec<Finding>,
}

impl MessageHeaders {
    /// The fields named `name` (case-insensitive), top to bottom.
    pub fn get<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a HeaderField> + 'a {
        self.fields.iter().filter(move |f| f.name.eq_ignore_ascii_case(name))
    }

    /// The `From` domain, lower case.
    pub fn from_domain(&self) -> Option<String> {
        self.from.as_deref().and_then(align::domain_of)
    }

    /// The domain SPF checked: `smtp.mailfrom` of the receiver's results, else the `Return-Path` domain.
    pub fn spf_domain(&self) -> Option<String> {
        let reported =
            self.auth_results.first().and_then(|ar| ar.result("spf")).and_then(|r| r.property("smtp.mailfrom"));
        reported.and_then(align::domain_of).or_else(|| self.return_path.as_deref().and_then(align::domain_of))
    }

    /// DMARC alignment again, with organizational domains from `org` (for
    /// example the DMARC check's DNS tree walk) instead of the approximation.
    pub fn alignment_with(&self, org: &dyn Fn(&str) -> Option<String>) -> Alignment {
        align::alignment(self, OrgDomains::Given(org))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum HeaderErrorKind {
    /// Nothing but whitespace.
    Empty,
    /// NUL bytes or other binary data: not a pasted header.
    Binary,
    /// The header block is larger than [`MAX_HEADER_BYTES`].
    TooLarge,
    /// No `Name: value` line anywhere.
    NoFields,
}

/// Why a paste could not be read: kind, byte offset, words for a person.
pub type HeaderError = ParseError<HeaderErrorKind>;

/// Reads a pasted header block. See the module documentation.
pub fn read_headers(text: &str) -> Result<MessageHeaders, HeaderError> {
    let (fields, skipped_lines) = unfold(text)?;
    let mut findings = Vec::new();
    let mut dkim_signatures = Vec::new();
    let mut auth_results = Vec::new();
    let mut return_path = None;
    let mut from = None;
    for field in &fields {
        let name = field.name.to_ascii_lowercase();
        match name.as_str() {
            "dkim-signature" => {
                let sig = DkimSignature::parse(&field.value);
                findings.extend(sig.findings());
                dkim_signatures.push(sig);
            }
            "authentication-results" => auth_results.push(AuthResults::parse(&field.value)),
            // The topmost Return-Path is the one the final delivery added (RFC 5321 §4.4).
            "return-path" if return_path.is_none() => return_path = align::first_address(&field.value),
            "from" if from.is_none() => from = align::first_address(&field.value),
            _ => {}
        }
    }
    let received: Vec<ReceivedHop> = fields
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("received"))
        .map(|f| ReceivedHop::parse(&f.value, f.line))
        .collect();
    let mut headers = MessageHeaders {
        sending_ip: None,
        fields,
        dkim_signatures,
        auth_results,
        received,
        return_path,
        from,
        alignment: Alignment::default(),
        skipped_lines,
        findings,
    };
    headers.sending_ip = received::sending_ip(&headers);
    headers.alignment = align::alignment(&headers, OrgDomains::Approximate);
    headers.findings.extend(align::findings(&headers));
    Ok(headers)
}

/// Splits the header block into unfolded fields; stops at the first blank
/// line after a field (the body follows). Returns the fields and how many
/// non-field lines were skipped.
fn unfold(text: &str) -> Result<(Vec<HeaderField>, usize), HeaderError> {
    let err = |kind, offset, message: &str| Err(ParseError::new(kind, offset, message));
    if text.trim().is_empty() {
        return err(
            HeaderErrorKind::Empty,
            0,
            "Nothing was pasted. Paste the full headers of the message (in Gmail: ⋮ → Show original).",
        );
    }
    let mut fields: Vec<HeaderField> = Vec::new();
    let mut skipped = 0;
    let mut offset = 0;
    // Whether the previous line was a field (so a continuation line belongs to it).
    let mut in_field = false;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let at = offset;
        offset += raw.len();
        if offset > MAX_HEADER_BYTES {
            return err(HeaderErrorKind::TooLarge, at, "This is more than 256 KB of headers. Paste only the header part of the message (up to the first blank line).");
        }
        if let Some(i) = raw.find(|c: char| c == '\0' || (c.is_control() && !matches!(c, '\t' | '\r' | '\n'))) {
            return err(
                HeaderErrorKind::Binary,
                at + i,
                "This contains binary data, not message headers. Paste the headers as text.",
            );
        }
        let line = raw.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() {
            // A blank line ends the header block — once a field was read; blank lines before are paste noise.
            if !fields.is_empty() {
                break;
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            if let (true, Some(last)) = (in_field, fields.last_mut()) {
                last.value.push_str(line);
                continue;
            }
            skipped += 1;
            continue;
        }
        match field_start(line) {
            Some((name, value)) => {
                fields.push(HeaderField { name: name.to_string(), value: value.to_string(), line: index + 1 });
                in_field = true;
            }
            None => {
                // mbox "From " lines, a mail client's labels, quoted text: not fields.
                skipped += 1;
                in_field = false;
            }
        }
    }
    for f in &mut fields {
        f.value = f.value.trim().to_string();
    }
    if fields.is_empty() {
        return err(HeaderErrorKind::NoFields, 0, "No header fields (lines like \"Received: …\" or \"From: …\") were found. Paste the full headers of the message.");
    }
    Ok((fields, skipped))
}

/// `Name: value` with a field name of printable ASCII other than `:` (RFC 5322 §2.2).
fn field_start(line: &str) -> Option<(&str, &str)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim_end_matches([' ', '\t']); // obs-optional: "Name :" (RFC 5322 §4.5)
    let ok = !name.is_empty() && name.len() <= 76 && name.bytes().all(|b| (33..=126).contains(&b));
    ok.then_some((name, value))
}
