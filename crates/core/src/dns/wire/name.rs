//! Domain names: presentation text ↔ labels ↔ wire form (RFC 1035 §3.1, §4.1.4, §5.1).

use std::fmt::{self, Write};

use super::WireError;

/// RFC 1035 §2.3.4: "labels 63 octets or less", "names 255 octets or less" (on the wire,
/// length octets and the root's zero octet included).
const MAX_LABEL: usize = 63;
const MAX_NAME: usize = 255;
/// A name has at most 127 labels, so a legitimate one needs no more pointers than that.
/// Without a cap, chains of pointer-to-pointer (each one legal on its own) would let a
/// 64 KiB message make every one of its thousands of names walk thousands of hops.
const MAX_POINTERS: usize = 128;

/// A domain name as its labels, most specific first; the root has none.
/// Every label is 1..=63 octets and the wire form is at most 255 octets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Name {
    labels: Vec<Vec<u8>>,
}

impl Name {
    #[cfg(test)]
    fn labels(&self) -> &[Vec<u8>] {
        &self.labels
    }

    /// Parses a presentation-form name: trailing dot optional, `\.`, `\\` and `\DDD` escapes.
    pub(super) fn parse(text: &str) -> Result<Name, WireError> {
        let bad = |why: &str| WireError::BadName { name: text.to_string(), why: why.to_string() };
        // One trailing dot marks the root; an escaped one (`\.`) is part of the last label.
        let body = text.strip_suffix('.').filter(|_| !text.ends_with("\\.")).unwrap_or(text);
        let mut labels: Vec<Vec<u8>> = Vec::new();
        if !body.is_empty() {
            let bytes = body.as_bytes();
            let mut label = Vec::new();
            let mut i = 0;
            while let Some(&b) = bytes.get(i) {
                match b {
                    b'.' => {
                        labels.push(std::mem::take(&mut label));
                        i += 1;
                    }
                    b'\\' => {
                        let digits = bytes.get(i + 1..i + 4).filter(|d| d.iter().all(u8::is_ascii_digit));
                        if let Some(d) = digits {
                            let v = d.iter().fold(0u32, |a, d| a * 10 + u32::from(d - b'0'));
                            label.push(u8::try_from(v).map_err(|_| bad("escape over \\255"))?);
                            i += 4;
                        } else {
                            label.push(*bytes.get(i + 1).ok_or_else(|| bad("ends in a backslash"))?);
                            i += 2;
                        }
                    }
                    _ => {
                        label.push(b);
                        i += 1;
                    }
                }
            }
            labels.push(label);
        }
        if labels.iter().any(Vec::is_empty) {
            return Err(bad("empty label (two dots in a row?)"));
        }
        if let Some(long) = labels.iter().find(|l| l.len() > MAX_LABEL) {
            return Err(bad(&format!("a label is {} octets, over the limit of 63", long.len())));
        }
        let name = Name { labels };
        let wire_len = name.wire_len();
        if wire_len > MAX_NAME {
            return Err(bad(&format!("the name is {wire_len} octets on the wire, over the limit of 255")));
        }
        Ok(name)
    }

    /// Octets of the uncompressed wire form: each label and its length octet, plus the root octet.
    fn wire_len(&self) -> usize {
        self.labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1
    }

    /// Reads the name at `start` of `message` (RFC 1035 §4.1.4 compression included) and
    /// returns it with the offset just past it where it started (after its first pointer).
    ///
    /// Labels read in place must end before `limit` (the end of the RDATA they sit in).
    /// Untrusted input cannot make this loop or read far: a pointer must point before the
    /// run of labels it ends ("a prior occurrence"), and the run it jumps to must end before
    /// that run began, so every jump goes strictly backwards (hickory-proto applies
    /// the same rule), at most 128 times. Names over 255 octets and the reserved label types
    /// 01/10 are refused.
    pub(super) fn read(message: &[u8], start: usize, limit: usize) -> Result<(Name, usize), String> {
        let mut labels = Vec::new();
        let mut wire_len = 1;
        let mut pos = start;
        let mut run_start = start;
        let mut limit = limit.min(message.len());
        let mut after = None;
        let mut pointers = 0;
        loop {
            if pos >= limit {
                return Err("a name runs past its end".into());
            }
            let len = *message.get(pos).ok_or("a name runs past the end of the message")?;
            match len & 0xC0 {
                0x00 if len == 0 => return Ok((Name { labels }, after.unwrap_or(pos + 1))),
                0x00 => {
                    let label = message.get(pos + 1..pos + 1 + usize::from(len)).ok_or("a label runs past the end")?;
                    wire_len += label.len() + 1;
                    if wire_len > MAX_NAME {
                        return Err("a name is over 255 octets".into());
                    }
                    labels.push(label.to_vec());
                    pos += 1 + label.len();
                }
                0xC0 => {
                    let low = *message.get(pos + 1).ok_or("a compression pointer is cut off")?;
                    let target = usize::from(len & 0x3F) << 8 | usize::from(low);
                    if target >= run_start {
                        return Err("a compression pointer does not point to an earlier name".into());
                    }
                    pointers += 1;
                    if pointers > MAX_POINTERS {
                        return Err("a name has more compression pointers than it could have labels".into());
                    }
                    after.get_or_insert(pos + 2);
                    limit = run_start;
                    run_start = target;
                    pos = target;
                }
                _ => return Err(format!("unknown label type {len:#04x}")),
            }
        }
    }
}

/// Presentation form without the trailing dot; the root is the empty string. Bytes
/// outside printable ASCII, `.` and `\` are escaped (RFC 1035 §5.1), so the text
/// parses back to the same labels.
impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, label) in self.labels.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            // One `write_char` per plain byte, not `write!`: names are printed
            // for every record of every answer, and the formatting machinery
            // per byte took 1.8-2 ms of the page's 83 answers (CPU profile,
            // 2026-12-06).
            for &b in label {
                match b {
                    b'.' | b'\\' => {
                        f.write_char('\\')?;
                        f.write_char(char::from(b))?;
                    }
                    0x21..=0x7e => f.write_char(char::from(b))?,
                    _ => write!(f, "\\{b:03}")?,
                }
            }
        }
        Ok(())
    }
}

/// A message being written, with the names already in it for compression.
#[derive(Default)]
pub(super) struct Writer {
    pub(super) bytes: Vec<u8>,
    /// (suffix of a written name, its offset) for RFC 1035 §4.1.4 pointers.
    suffixes: Vec<(Vec<Vec<u8>>, u16)>,
}

impl Writer {
    pub(super) fn u16(&mut self, v: u16) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }

    pub(super) fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_be_bytes());
    }

    /// Writes `name`; with `compress`, its longest suffix already written becomes a pointer
    /// (only offsets below 0x4000 fit in a pointer). Matching is byte-exact, so the case of
    /// every name is kept as given.
    pub(super) fn name(&mut self, name: &Name, compress: bool) {
        for (i, label) in name.labels.iter().enumerate() {
            let suffix = name.labels.get(i..).unwrap_or_default();
            if compress {
                if let Some((_, offset)) = self.suffixes.iter().find(|(s, _)| s.as_slice() == suffix) {
                    self.u16(0xC000 | offset);
                    return;
                }
                if let Ok(offset) = u16::try_from(self.bytes.len()) {
                    if offset < 0x4000 {
                        self.suffixes.push((suffix.to_vec(), offset));
                    }
                }
            }
            // Labels are at most 63 octets (checked when the name was made).
            self.bytes.push(u8::try_from(label.len()).unwrap_or(0));
            self.bytes.extend_from_slice(label);
        }
        self.bytes.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(name: &str) -> Vec<u8> {
        let mut w = Writer::default();
        w.name(&Name::parse(name).unwrap(), false);
        w.bytes
    }

    #[test]
    fn escaped_labels_round_trip() {
        let name = Name::parse("a\\.b\\255c\\\\.example").unwrap();
        assert_eq!(name.labels().first().map(Vec::as_slice), Some(&b"a.b\xffc\\"[..]));
        assert_eq!(name.to_string(), "a\\.b\\255c\\\\.example");
        // A trailing escaped dot belongs to the label; a plain one is the root.
        assert_eq!(Name::parse("x\\.").unwrap().labels(), &[b"x.".to_vec()]);
        assert_eq!(Name::parse("x.").unwrap().labels(), &[b"x".to_vec()]);
    }

    #[test]
    fn limits_of_rfc_1035_2_3_4() {
        // 63-octet labels are fine, 64 is not.
        assert!(Name::parse(&"a".repeat(63)).is_ok());
        assert!(Name::parse(&"a".repeat(64)).is_err());
        // Three 63-octet labels and one of 61: 3·64 + 62 + 1 = 255 octets exactly; one more label is over.
        let at_limit = [&"a".repeat(63)[..], &"b".repeat(63), &"c".repeat(63), &"d".repeat(61)].join(".");
        assert_eq!(wire(&at_limit).len(), 255);
        let over = format!("e.{at_limit}");
        assert!(Name::parse(&over).is_err());
    }

    /// Reads a name at `start` of `bytes`, as text.
    fn read(bytes: &[u8], start: usize) -> Result<(String, usize), String> {
        Name::read(bytes, start, bytes.len()).map(|(n, end)| (n.to_string(), end))
    }

    #[test]
    fn compression_pointers_rfc_1035_4_1_4() {
        // The RFC's own example: F.ISI.ARPA at 20, FOO.F.ISI.ARPA at 40, ARPA at 64, root at 92.
        let mut msg = vec![0u8; 94];
        msg[20..32].copy_from_slice(b"\x01F\x03ISI\x04ARPA\x00");
        msg[40..46].copy_from_slice(b"\x03FOO\xc0\x14");
        msg[64..66].copy_from_slice(b"\xc0\x1a");
        msg[92] = 0;
        assert_eq!(read(&msg, 20), Ok(("F.ISI.ARPA".into(), 32)));
        assert_eq!(read(&msg, 40), Ok(("FOO.F.ISI.ARPA".into(), 46)));
        assert_eq!(read(&msg, 64), Ok(("ARPA".into(), 66)));
        assert_eq!(read(&msg, 92), Ok(("".into(), 93)));
    }

    #[test]
    fn hostile_names_are_refused() {
        let cases: [(&[u8], usize, &str); 8] = [
            // A pointer to itself, and two pointers pointing at each other.
            (b"\xc0\x00", 0, "earlier"),
            (b"\x01a\xc0\x04\xc0\x00", 4, "earlier"),
            // A forward pointer.
            (b"\xc0\x02\x00", 0, "earlier"),
            // A jump back into the middle of the same name: reading it again would loop.
            (b"\x01a\x01b\xc0\x02", 0, "earlier"),
            // Reserved label types (RFC 6891 §5 retired 01; 10 was never defined).
            (b"\x41a\x00", 0, "label type"),
            (b"\x81a\x00", 0, "label type"),
            // Cut off: inside a label, before the root, inside a pointer.
            (b"\x05ab", 0, "past the end"),
            (b"\xc0", 0, "cut off"),
        ];
        for (bytes, start, expect) in cases {
            let r = read(bytes, start);
            assert!(matches!(&r, Err(why) if why.contains(expect)), "{bytes:?}: {r:?}");
        }
        // A chain of pointers that each add one label, going backwards: legal until 255 octets.
        let mut msg = b"\x00".to_vec();
        let mut last = 0u16;
        for _ in 0..130 {
            let here = msg.len() as u16;
            msg.extend_from_slice(b"\x01x");
            msg.extend_from_slice(&(0xC000 | last).to_be_bytes());
            last = here;
        }
        assert!(matches!(read(&msg, usize::from(last)), Err(why) if why.contains("255")));
        // Pointers to pointers: each is legal, but 129 of them are more than any name needs.
        let mut chain = b"\x00".to_vec();
        for hops in 1..=129u16 {
            let to = if hops == 1 { 0 } else { chain.len() as u16 - 2 };
            chain.extend_from_slice(&(0xC000 | to).to_be_bytes());
            let r = read(&chain, chain.len() - 2);
            assert_eq!(r.is_ok(), hops <= 128, "{hops} hops: {r:?}");
        }
        // 127 labels of one octet: 127·2 + 1 = 255 octets, the largest legal name.
        let start = 1 + 4 * 126;
        assert_eq!(read(&msg, start).map(|(n, _)| n.len()), Ok(127 * 2 - 1));
    }

    #[test]
    fn labels_in_rdata_stay_inside_it() {
        // The name's own labels must end before the RDATA's end.
        assert!(Name::read(b"\x03abc\x00", 0, 4).is_err());
        assert_eq!(Name::read(b"\x03abc\x00", 0, 5).map(|(n, e)| (n.to_string(), e)), Ok(("abc".into(), 5)));
    }

    #[test]
    fn compression_writes_pointers_to_earlier_suffixes() {
        let mut w = Writer::default();
        w.name(&Name::parse("mail.example.com").unwrap(), true);
        w.name(&Name::parse("example.com").unwrap(), true);
        w.name(&Name::parse("www.example.com").unwrap(), true);
        // Different case is a different suffix: names keep the case they were given.
        w.name(&Name::parse("EXAMPLE.com").unwrap(), true);
        assert_eq!(&w.bytes[18..20], b"\xc0\x05");
        assert_eq!(&w.bytes[20..26], b"\x03www\xc0\x05");
        assert_eq!(read(&w.bytes, 20), Ok(("www.example.com".into(), 26)));
        assert_eq!(read(&w.bytes, 26), Ok(("EXAMPLE.com".into(), 36)));
    }
}
