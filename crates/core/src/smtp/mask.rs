//! Blanks the header fields a code must never be read from.
//!
//! A pasted bounce carries the returned message's headers, and their values
//! are full of numbers shaped like statuses: `X-Mailer: Apple Mail
//! (2.753.1)`, `X-Scanner: MOS 4.1.8-GA`, `Received: … id 15.20.8137.28`.
//! Only the DSN's own `Status:` and an `smtp;`-typed `Diagnostic-Code:`
//! (RFC 3464 §2.3.4, §2.3.6) carry a status, so every other header field is
//! replaced by spaces before codes are looked for. The masked text keeps
//! every line and byte offset of the original.

/// RFC 5322 / RFC 2045 / common trace and authentication fields: seeing
/// one marks its whole block of fields as a message header. Separated by spaces:
/// one string, not a table of `&str` (8 bytes of pointer and length each in the wasm;
/// -97 gzip bytes, measured).
const MESSAGE_HEADERS: &str = concat!(
    "received return-path from to cc bcc subject date message-id in-reply-to references reply-to sender ",
    "mime-version content-type content-transfer-encoding content-description content-disposition ",
    "content-id user-agent delivered-to dkim-signature authentication-results received-spf arc-seal ",
    "arc-message-signature arc-authentication-results list-unsubscribe list-id auto-submitted ",
    "thread-topic thread-index feedback-id precedence importance",
);

/// The lower-case name of a header field line (`Name: value`), if it is one.
pub fn field_name(line: &str) -> Option<String> {
    let (name, _) = line.split_once(':')?;
    let ok = !name.is_empty()
        && name.len() <= 76
        && name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then(|| name.to_ascii_lowercase())
}

/// Fields whose value may hold a status.
fn carries_status(name: &str, line: &str) -> bool {
    match name {
        "status" => true,
        // RFC 3464 §2.3.6: only the `smtp` diagnostic type is an SMTP reply
        // (`X-Unix; 255` is a program's exit status).
        "diagnostic-code" => diagnostic_type(line.split_once(':').map_or("", |(_, v)| v)).is_none_or(|t| t == "smtp"),
        _ => false,
    }
}

/// The diagnostic type of a `Diagnostic-Code` value (`smtp; 550 …` → `smtp`),
/// lower case; `None` when the value has no type.
pub fn diagnostic_type(value: &str) -> Option<String> {
    let (kind, _) = value.split_once(';')?;
    let kind = kind.trim();
    (!kind.is_empty() && kind.len() <= 32 && kind.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| kind.to_ascii_lowercase())
}

fn is_masked_name(name: &str) -> bool {
    name.starts_with("x-") || MESSAGE_HEADERS.split(' ').any(|known| known == name)
}

/// The text with every header field that cannot carry a status blanked:
/// `X-…` fields anywhere, known message header fields, and any field in a
/// block of fields that holds a known one; folded lines go with their field.
pub fn mask_headers(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    // A block is a run of field lines and their folded continuations.
    let mut block_masked = vec![false; lines.len()];
    let mut start = 0;
    let mut any = false;
    let mut in_block = false;
    for (i, line) in lines.iter().enumerate() {
        let folded = in_block && line.starts_with([' ', '\t']) && !line.trim().is_empty();
        let name = if folded { None } else { field_name(line) };
        if !folded && name.is_none() {
            block_masked.iter_mut().take(i).skip(start).for_each(|m| *m = any);
            in_block = false;
            any = false;
            start = i + 1;
            continue;
        }
        in_block = true;
        any |= name.as_deref().is_some_and(is_masked_name);
    }
    block_masked.iter_mut().skip(start).for_each(|m| *m = any);

    let mut out = String::with_capacity(text.len());
    let mut masking = false;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let folded = line.starts_with([' ', '\t']) && !line.trim().is_empty();
        if !folded {
            masking = match field_name(line) {
                Some(name) => {
                    !carries_status(&name, line)
                        && (is_masked_name(&name)
                            || block_masked.get(i).copied().unwrap_or(false)
                            || name == "diagnostic-code")
                }
                None => false,
            };
        }
        if masking {
            out.extend(std::iter::repeat_n(' ', line.len()));
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_header_fields_but_not_the_dsn_status() {
        let text = "X-Mailer: Apple Mail (2.753.1)\nSubject: hi\nThread-Topic: 5.1.1\nStatus: 5.1.1\nDiagnostic-Code: X-Unix; 255\nDiagnostic-Code: smtp; 550 5.1.1 x\nReceived: from a\n\tby b id 15.20.1.2\n\nError: 550 5.1.1 no\n";
        let m = mask_headers(text);
        assert_eq!(m.len(), text.len());
        assert!(!m.contains("2.753.1") && !m.contains("hi") && !m.contains("15.20") && !m.contains("255"), "{m}");
        assert!(m.contains("Status: 5.1.1") && m.contains("Error: 550") && m.contains("smtp; 550"), "{m}");
    }
}
