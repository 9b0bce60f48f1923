//! Base64 (RFC 4648 §4, the standard alphabet), two ways: [`decode`] is
//! strict and says where the first bad character is (a DKIM key's `p=`,
//! which the page marks), [`decode_lenient`] skips what is not in the
//! alphabet, as RFC 2045 §6.8 asks of a MIME body part.

/// A base64 problem: offset into the text given to [`decode`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Error {
    pub offset: usize,
    pub message: String,
}

fn value(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Decodes standard base64 with padding, skipping whitespace (the key may be
/// folded, RFC 6376 §3.6.1 `base64string` allows FWS). Errors carry the byte
/// offset of the first bad character.
pub fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut n, mut pad, mut last) = (0u32, 0usize, 0usize, 0usize);
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
            continue;
        }
        last = i;
        if b == b'=' {
            pad += 1;
            // Padding only completes a quantum: "xx==" or "xxx=".
            if pad > 2 || n % 4 < 2 {
                return Err(Base64Error { offset: i, message: "the padding \"=\" is in the wrong place.".into() });
            }
            acc <<= 6;
            n += 1;
            if n % 4 == 0 {
                out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
                acc = 0;
            }
            continue;
        }
        if pad > 0 {
            return Err(Base64Error { offset: i, message: "there is data after the padding \"=\".".into() });
        }
        let Some(v) = value(b) else {
            let c = text.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
            return Err(Base64Error {
                offset: i,
                message: format!("{} is not a base64 character.", crate::quote::QuotedChar(c)),
            });
        };
        acc = (acc << 6) | v;
        n += 1;
        if n % 4 == 0 {
            out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]);
            acc = 0;
        }
    }
    if n % 4 != 0 {
        let offset = if n == 0 { 0 } else { last + 1 };
        return Err(Base64Error {
            offset,
            message: "its length is not a multiple of 4 (is part of the key missing?).".into(),
        });
    }
    // Drop the bytes that only padding filled: "xx==" is one byte, "xxx=" two.
    if pad > 0 {
        let keep = out.len().saturating_sub(pad);
        out.truncate(keep);
    }
    Ok(out)
}

/// RFC 2045 §6.8; characters outside the alphabet are ignored, as it says.
pub fn decode_lenient(bytes: impl Iterator<Item = u8>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in bytes {
        if b == b'=' {
            break;
        }
        let Some(v) = value(b) else { continue };
        acc = (acc << 6 | v) & 0xFF_FFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xFF) as u8);
        }
    }
    out
}
