//! Undoes the MIME transfer encodings of a pasted bounce (RFC 2045 §6.7
//! quoted-printable, §6.8 base64) so the reader sees the words the mailer
//! wrote: a Microsoft 365 NDR is often quoted-printable (`=3D`, soft line
//! breaks in the middle of `550 5.7.=\n515`), and some mailers send the
//! whole report, DSN part included, in base64.
//!
//! One pass over the lines; decoded text is never longer than the encoded
//! text, so the result stays linear in the paste.

/// Part boundaries we track; a real bounce has two or three nested levels.
const MAX_BOUNDARIES: usize = 16;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Plain,
    QuotedPrintable,
    Base64,
}

/// The text with its encoded parts decoded, and how many parts were decoded;
/// `None` when nothing in the text was encoded.
pub fn decode(text: &str) -> Option<(String, usize)> {
    let lower = text.to_ascii_lowercase();
    if !lower.contains("content-transfer-encoding") {
        return None;
    }
    let boundaries = boundaries(text, &lower);
    let mut out = String::with_capacity(text.len());
    let mut decoded = 0;
    // Headers of the message or part we are in; the top is a header block
    // only when the paste starts with one.
    let mut in_headers = text.lines().find(|l| !l.trim().is_empty()).is_some_and(is_header_line);
    let mut header = PartHeader::default();
    let mut body = Body { encoding: Encoding::Plain, lines: Vec::new() };
    for line in text.lines() {
        if is_boundary(line, &boundaries) {
            decoded += body.flush(&mut out);
            out.push_str(line);
            out.push('\n');
            in_headers = true;
            header = PartHeader::default();
            continue;
        }
        if in_headers {
            out.push_str(line);
            out.push('\n');
            if line.trim().is_empty() {
                if header.is_message {
                    // The returned message's own header block follows.
                    header = PartHeader::default();
                } else {
                    in_headers = false;
                    body = Body { encoding: header.body_encoding(), lines: Vec::new() };
                }
            } else {
                header.read(line);
            }
            continue;
        }
        if body.encoding == Encoding::Plain {
            out.push_str(line);
            out.push('\n');
        } else {
            body.lines.push(line);
        }
    }
    decoded += body.flush(&mut out);
    (decoded > 0).then_some((out, decoded))
}

/// What a part's header block says about its body.
#[derive(Default)]
struct PartHeader {
    encoding: Option<Encoding>,
    /// `text/*`, `message/*` or no type: worth decoding (an image is not).
    readable: bool,
    typed: bool,
    /// `message/rfc822`: the body starts with the returned message's own headers.
    is_message: bool,
}

impl PartHeader {
    fn read(&mut self, line: &str) {
        let lower = line.trim().to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-transfer-encoding:") {
            self.encoding = Some(match v.trim() {
                "quoted-printable" => Encoding::QuotedPrintable,
                "base64" => Encoding::Base64,
                _ => Encoding::Plain,
            });
        } else if let Some(v) = lower.strip_prefix("content-type:") {
            let v = v.trim();
            self.typed = true;
            self.readable = v.starts_with("text/") || v.starts_with("message/");
            self.is_message = v.starts_with("message/rfc822") || v.starts_with("message/global");
        }
    }

    fn body_encoding(&self) -> Encoding {
        match self.encoding {
            Some(e) if self.readable || !self.typed => e,
            _ => Encoding::Plain,
        }
    }
}

struct Body<'a> {
    encoding: Encoding,
    lines: Vec<&'a str>,
}

impl Body<'_> {
    /// Writes the decoded body; 1 if something was decoded.
    fn flush(&mut self, out: &mut String) -> usize {
        if self.lines.is_empty() {
            return 0;
        }
        let bytes = match self.encoding {
            Encoding::Plain => return 0,
            Encoding::QuotedPrintable => quoted_printable(&self.lines),
            Encoding::Base64 => crate::base64::decode_lenient(self.lines.iter().flat_map(|l| l.bytes())),
        };
        out.push_str(&String::from_utf8_lossy(&bytes));
        if !out.ends_with('\n') {
            out.push('\n');
        }
        self.lines.clear();
        1
    }
}

fn is_header_line(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(name, _)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// The `boundary=` parameters of the Content-Type fields (RFC 2046 §5.1.1).
fn boundaries(text: &str, lower: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (at, _) in lower.match_indices("boundary=") {
        let rest = text.get(at + "boundary=".len()..).unwrap_or("");
        let value = match rest.strip_prefix('"') {
            Some(q) => q.split('"').next().unwrap_or(""),
            None => rest.split(|c: char| c == ';' || c.is_whitespace()).next().unwrap_or(""),
        };
        // RFC 2046: at most 70 characters.
        if !value.is_empty() && value.len() <= 70 && !out.iter().any(|b| b == value) {
            out.push(value.to_string());
        }
        if out.len() >= MAX_BOUNDARIES {
            break;
        }
    }
    out
}

fn is_boundary(line: &str, boundaries: &[String]) -> bool {
    let Some(rest) = line.trim_end().strip_prefix("--") else { return false };
    let rest = rest.strip_suffix("--").unwrap_or(rest);
    boundaries.iter().any(|b| b == rest)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// RFC 2045 §6.7: `=XX` is a byte, `=` at the end of a line is a soft break.
fn quoted_printable(lines: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in lines {
        let line = line.trim_end_matches([' ', '\t']);
        let (line, soft) = match line.strip_suffix('=') {
            Some(l) => (l, true),
            None => (line, false),
        };
        let bytes = line.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let pair = (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex));
            match (b, pair) {
                (b'=', (Some(hi), Some(lo))) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                }
                _ => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        if !soft {
            out.push(b'\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_quoted_printable_and_base64_parts() {
        let qp = "Content-Type: multipart/report; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\nRemote server returned '550 5.7.=\n515 Access denied =3D no'\n--b1--\n";
        let (text, n) = decode(qp).unwrap();
        assert_eq!(n, 1);
        assert!(text.contains("550 5.7.515 Access denied = no'"), "{text}");
        // "Status: 5.1.1\n" in base64.
        let b64 = "MIME-Version: 1.0\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\nU3RhdHVzOiA1LjEuMQo=\n";
        let (text, _) = decode(b64).unwrap();
        assert!(text.contains("Status: 5.1.1"), "{text}");
        assert_eq!(decode("550 5.1.1 user unknown"), None);
    }

    #[test]
    fn leaves_binary_parts_alone() {
        let text = "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--x--\n";
        assert_eq!(decode(text), None);
    }
}
