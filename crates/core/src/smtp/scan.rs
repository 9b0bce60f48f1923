//! Finds every SMTP reply in a text and chooses the one that explains it.
//!
//! A bounce quotes more than one reply: a transcript's `250 2.0.0 Ok` before
//! the `451 4.3.0` that failed, a `220-` banner whose last line is the real
//! `421`, an expiry notice (`554 4.4.7 Message expired`) wrapping the
//! `<421 4.4.2 Connection timed out>` the receiver gave. The reply that
//! explains a bounce is its first failure (4xx/5xx), and inside a wrapper,
//! the reply it reports.
//!
//! A code counts at the start of a line; in the middle of a line only with
//! an enhanced code of the same class, or after a marker MTAs put before the
//! remote's words (`said:`, Exim's `host … [ip]:`, `smtp;`, Zoho's
//! `ERROR_CODE :`), so a number in prose never becomes a status.
//! Every line is looked at once, and each position with O(1) work.

use super::extract::{enhanced_at, reply_head, strip_inline_heads, ReplyHead};
use super::status::EnhancedStatus;

/// More candidates than a real bounce has; bounds memory on hostile input.
const MAX_CANDIDATES: usize = 256;
/// A reply's words, capped: RFC 5321 §4.5.3.1.5 limits a reply line to 512
/// octets, and a few joined lines are all a person reads.
const MAX_TEXT: usize = 4096;

/// Words MTAs write right before the remote server's reply (lower case,
/// compared with the end of the text before the code, quotes trimmed).
const MARKERS: &[&str] =
    &["said:", "]:", ">:", "smtp;", "error_code :", "error_code:", "<", "with:", "returned", "reason:", "error:"];

/// One reply found in the text.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub code: u16,
    pub enhanced: Option<EnhancedStatus>,
    pub text: String,
    /// Index of the line it starts on.
    pub line: usize,
}

impl Candidate {
    fn failed(&self) -> bool {
        self.code >= 400
    }

    /// An expiry or generic status that may carry the real reply inside it.
    fn is_wrapper(&self) -> bool {
        match self.enhanced {
            None => true,
            Some(e) => e.detail == 0 || e.is(4, 7),
        }
    }
}

fn cap(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or("")
}

fn after_marker(before: &str) -> bool {
    let tail = before.trim_end_matches([' ', '\t', '"', '\'']);
    // The longest marker is 12 bytes: look at the last 16 only.
    let mut start = tail.len().saturating_sub(16);
    while !tail.is_char_boundary(start) {
        start += 1;
    }
    let lower = tail.get(start..).unwrap_or("").to_ascii_lowercase();
    MARKERS.iter().any(|m| lower.ends_with(m))
}

/// Zoho: `ERROR_CODE :550, ERROR_CODE :5.1.1 <bob@…>… User unknown`.
fn zoho_head(s: &str) -> Option<ReplyHead<'_>> {
    let digits = s.get(..3)?;
    let code: u16 = digits.parse().ok()?;
    let rest = s.get(3..)?.strip_prefix(',')?.trim_start();
    let lower = cap(rest, 24).to_ascii_lowercase();
    let skip = ["error_code :", "error_code:"].iter().find(|m| lower.starts_with(*m)).map(|m| m.len());
    let after = rest.get(skip.unwrap_or(0)..)?.trim_start();
    match enhanced_at(after) {
        Some((e, len)) => Some(ReplyHead { code, continues: false, enhanced: Some(e), rest: after.get(len..)?.trim() }),
        None => Some(ReplyHead { code, continues: false, enhanced: None, rest: after.trim() }),
    }
    .filter(|h| super::status::is_reply_code(h.code))
}

/// Replies that start in the middle of `line`, from byte `from` on.
fn mid_line(line: &str, from: usize, idx: usize, out: &mut Vec<Candidate>) {
    let bytes = line.as_bytes();
    let mut last: Option<(u16, Option<EnhancedStatus>)> = None;
    for i in from.max(1)..bytes.len() {
        if out.len() >= MAX_CANDIDATES {
            return;
        }
        let (Some(&b), Some(&prev)) = (bytes.get(i), bytes.get(i - 1)) else { continue };
        if !b.is_ascii_digit() || prev.is_ascii_alphanumeric() || prev == b'.' || prev == b'-' {
            continue;
        }
        let (Some(rest), Some(before)) = (line.get(i..), line.get(..i)) else { continue };
        let marked = after_marker(before);
        let head = reply_head(rest).or_else(|| if marked { zoho_head(rest) } else { None });
        let Some(h) = head else { continue };
        let same_class = h.enhanced.is_some_and(|e| u16::from(e.class) == h.code / 100);
        if !(same_class || marked) || last == Some((h.code, h.enhanced)) {
            continue;
        }
        last = Some((h.code, h.enhanced));
        let mut text = strip_inline_heads(cap(h.rest, MAX_TEXT), h.code, h.enhanced);
        if prev == b'<' {
            text = text.trim_end_matches('>').trim_end().to_string();
        }
        out.push(Candidate { code: h.code, enhanced: h.enhanced, text, line: idx });
    }
}

/// A line without what transcripts and quotes put before a reply
/// (sendmail's `<<< `, `> `, quotes, brackets, Exchange's `#`).
fn lead_trimmed(line: &str) -> &str {
    line.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '>' | '<' | '"' | '\'' | '(' | '[' | '#'))
}

/// Every reply in `segment`, in order. Continuation lines (`421-…` then
/// `421 …`, RFC 5321 §4.2.1) are joined, also when a log put them on one line.
pub fn replies(segment: &str) -> Vec<Candidate> {
    let lines: Vec<&str> = segment.lines().collect();
    let mut out = Vec::new();
    let mut idx = 0;
    while let Some(line) = lines.get(idx) {
        if out.len() >= MAX_CANDIDATES {
            break;
        }
        let trimmed = lead_trimmed(line);
        let offset = line.len() - trimmed.len();
        let Some(head) = reply_head(trimmed) else {
            mid_line(line, 0, idx, &mut out);
            idx += 1;
            continue;
        };
        let mut parts = vec![head.rest];
        let mut len = head.rest.len();
        let mut continues = head.continues;
        let mut next = idx + 1;
        while continues && len < MAX_TEXT {
            match lines.get(next).and_then(|l| reply_head(lead_trimmed(l))) {
                Some(h) if h.code == head.code => {
                    parts.push(h.rest);
                    len += h.rest.len() + 1;
                    continues = h.continues;
                    next += 1;
                }
                _ => break,
            }
        }
        let text = strip_inline_heads(cap(&parts.join(" "), MAX_TEXT), head.code, head.enhanced);
        let single = next == idx + 1;
        out.push(Candidate { code: head.code, enhanced: head.enhanced, text, line: idx });
        if single {
            // A wrapper's inner reply or a second reply on the same line.
            mid_line(line, offset + 3, idx, &mut out);
        }
        idx = next;
    }
    out
}

/// The reply that explains the text: the first failure (4xx/5xx) if any,
/// else the first reply; when that is an expiry or generic wrapper with a
/// failure inside it on the same line, the inner one. Returns the index of
/// the chosen candidate and of the wrapper it came out of.
pub fn choose(candidates: &[Candidate]) -> Option<(usize, Option<usize>)> {
    let first = candidates.iter().position(Candidate::failed).or_else(|| (!candidates.is_empty()).then_some(0))?;
    let outer = candidates.get(first)?;
    if outer.failed() && outer.is_wrapper() {
        let inner = candidates
            .iter()
            .enumerate()
            .skip(first + 1)
            .take_while(|(_, c)| c.line == outer.line)
            .find(|(_, c)| c.failed() && (c.code, c.enhanced) != (outer.code, outer.enhanced));
        if let Some((i, _)) = inner {
            return Some((i, Some(first)));
        }
    }
    Some((first, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(text: &str) -> Option<(u16, Option<String>, String)> {
        let c = replies(text);
        let (i, _) = choose(&c)?;
        let c = c.get(i)?;
        Some((c.code, c.enhanced.map(|e| e.to_string()), c.text.clone()))
    }

    #[test]
    fn failures_win_over_transcript_successes() {
        let t = "Out: 220 mx.example ESMTP\nOut: 250 2.0.0 Ok\nIn: RCPT TO:<a@b.example>\nOut: 451 4.3.0 Try later";
        assert_eq!(chosen(t).map(|c| c.0), Some(451));
        let t = "220-mx.example ESMTP\n220-Too many connections\n421 4.7.0 Error: too many connections";
        assert_eq!(chosen(t).map(|c| c.0), Some(421));
    }

    #[test]
    fn wrappers_give_the_inner_reply() {
        let t = "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>";
        assert_eq!(chosen(t), Some((421, Some("4.4.2".into()), "Connection timed out".into())));
    }

    #[test]
    fn markers_allow_codes_without_enhanced_status() {
        assert_eq!(chosen("host mx.b.example [192.0.2.7]: 550 No such user here").map(|c| c.0), Some(550));
        assert_eq!(chosen("host mx said: 550 mailbox unavailable").map(|c| c.0), Some(550));
        assert_eq!(
            chosen("Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <x@y.example>... User unknown"),
            Some((550, Some("5.1.1".into()), "<x@y.example>... User unknown".into()))
        );
        assert_eq!(chosen("we sold 550 apples"), None);
    }
}
