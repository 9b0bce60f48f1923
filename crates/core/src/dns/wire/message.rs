//! The message around the records: header, questions and record framing (RFC 1035 §4.1),
//! and the OPT pseudo-record (RFC 6891 §6): the extended RCODE, and the options of
//! which Extended DNS Errors (RFC 8914) are read.

use std::ops::Range;

use super::ede::{ExtendedError, OPTION_EDE};
use super::name::{Name, Writer};

/// RFC 1035 §4.1.1 header bits (AD: RFC 4035 §3.2.3), as bits of the 16-bit flags word.
pub(super) const QR: u16 = 0x8000;
pub(super) const TC: u16 = 0x0200;
pub(super) const RD: u16 = 0x0100;
pub(super) const RA: u16 = 0x0080;
pub(super) const AD: u16 = 0x0020;
/// Checking Disabled (RFC 4035 §3.2.2): the resolver answers without validating.
pub(super) const CD: u16 = 0x0010;
const RCODE_BITS: u16 = 0x000F;

/// RFC 6891 §6.1.1: the OPT pseudo-record, only ever in the additional section.
const TYPE_OPT: u16 = 41;
const TYPE_SOA: u16 = 6;
/// RFC 1035 §3.2.4.
pub(super) const CLASS_IN: u16 = 1;
/// The payload size an OPT record of ours states (RFC 6891 §6.2.5; the DNS flag day 2020 value).
const OPT_PAYLOAD: u16 = 1232;

/// A resource record with its RDATA still in the message (names in it may point anywhere).
pub(super) struct RawRecord {
    pub(super) name: Name,
    pub(super) rtype: u16,
    pub(super) ttl: u32,
    pub(super) rdata: Range<usize>,
}

/// The parts of a message the module reads. Authority and additional records are
/// walked (a message whose framing is broken anywhere is refused) but not kept,
/// except what an authority SOA says about negative caching.
pub(super) struct Message {
    pub(super) id: u16,
    pub(super) flags: u16,
    /// RCODE, with the upper 8 bits from an OPT record when there is one (RFC 6891 §6.1.3).
    pub(super) rcode: u16,
    /// (QNAME, QTYPE) of each question; QCLASS is not looked at.
    pub(super) questions: Vec<(Name, u16)>,
    pub(super) answers: Vec<RawRecord>,
    /// The Extended DNS Errors of the OPT record, in the order sent.
    pub(super) extended_errors: Vec<ExtendedError>,
    /// RFC 2308 §5: an authority SOA's TTL, capped by its MINIMUM field (the
    /// last 32 bits of its RDATA), is how long a negative answer is cached.
    pub(super) negative_ttl: Option<u32>,
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self, what: &str) -> Result<[u8; N], String> {
        let got = self.bytes.get(self.pos..self.pos + N).and_then(|s| <[u8; N]>::try_from(s).ok());
        let got = got.ok_or_else(|| format!("the message ends inside {what}"))?;
        self.pos += N;
        Ok(got)
    }

    fn u16(&mut self, what: &str) -> Result<u16, String> {
        self.take::<2>(what).map(u16::from_be_bytes)
    }

    fn name(&mut self) -> Result<Name, String> {
        let (name, end) = Name::read(self.bytes, self.pos, self.bytes.len())?;
        self.pos = end;
        Ok(name)
    }

    /// RFC 1035 §4.1.3: NAME, TYPE, CLASS, TTL, RDLENGTH, RDATA.
    fn record(&mut self) -> Result<RawRecord, String> {
        let name = self.name()?;
        let rtype = self.u16("a record type")?;
        let _class = self.u16("a record class")?;
        let ttl = self.take::<4>("a TTL").map(u32::from_be_bytes)?;
        let len = usize::from(self.u16("an RDLENGTH")?);
        let rdata = self.pos..self.pos + len;
        if rdata.end > self.bytes.len() {
            return Err(format!("the data of a record for {name} runs past the end of the message"));
        }
        self.pos = rdata.end;
        Ok(RawRecord { name, rtype, ttl, rdata })
    }
}

impl Message {
    /// Reads a message; bytes after the last counted record are ignored, as BIND does.
    pub(super) fn read(bytes: &[u8]) -> Result<Message, String> {
        let mut r = Reader { bytes, pos: 0 };
        let header =
            r.take::<12>("the header").map_err(|_| format!("{} octets is shorter than a header", bytes.len()))?;
        let word = |i: usize| u16::from_be_bytes([header[i], header[i + 1]]);
        let (id, flags) = (word(0), word(2));
        let (qd, an, ns, ar) = (word(4), word(6), word(8), word(10));
        // No `with_capacity` from the counts: they are untrusted (65535 × a record).
        let mut questions = Vec::new();
        for _ in 0..qd {
            let name = r.name()?;
            let qtype = r.u16("a question type")?;
            r.u16("a question class")?;
            questions.push((name, qtype));
        }
        let mut answers = Vec::new();
        for _ in 0..an {
            answers.push(r.record()?);
        }
        let mut negative_ttl = None;
        for _ in 0..ns {
            let record = r.record()?;
            // Two names (one octet at least each) and five 32-bit fields: 22 octets at least.
            if record.rtype != TYPE_SOA || record.rdata.len() < 22 {
                continue;
            }
            if let Some(&[a, b, c, d]) = bytes.get(record.rdata.end - 4..record.rdata.end) {
                negative_ttl = Some(record.ttl.min(u32::from_be_bytes([a, b, c, d])));
            }
        }
        let mut extended = 0;
        let mut extended_errors = Vec::new();
        for _ in 0..ar {
            let record = r.record()?;
            // RFC 6891 §6.1.3: "EXTENDED-RCODE: Forms the upper 8 bits of extended 12-bit RCODE".
            if record.rtype == TYPE_OPT {
                extended = (record.ttl >> 24) as u16;
                extended_errors.extend(read_options(bytes.get(record.rdata).unwrap_or_default()));
            }
        }
        let rcode = extended << 4 | (flags & RCODE_BITS);
        Ok(Message { id, flags, rcode, questions, answers, extended_errors, negative_ttl })
    }
}

/// The EDE options among an OPT record's options (RFC 6891 §6.1.2: OPTION-CODE,
/// OPTION-LENGTH, OPTION-DATA, repeated). Other options are skipped. An option that
/// runs past the RDATA ends the reading, keeping what was read before it: the options
/// only explain the answer, and a broken one must not cost the answer itself.
fn read_options(mut data: &[u8]) -> Vec<ExtendedError> {
    let mut found = Vec::new();
    while let [c0, c1, l0, l1, rest @ ..] = data {
        let len = usize::from(u16::from_be_bytes([*l0, *l1]));
        let Some(option) = rest.get(..len) else { break };
        if u16::from_be_bytes([*c0, *c1]) == OPTION_EDE {
            // Shorter than its INFO-CODE: not an EDE, skipped like an unknown option.
            found.extend(ExtendedError::read(option));
        }
        data = rest.get(len..).unwrap_or_default();
    }
    found
}

/// Writes the header and the one question; the caller then writes `answers` records,
/// then the OPT record if `with_opt` (see [`write_opt`]). An RCODE over 15 needs one
/// (RFC 6891 §6.1.3). Fails only for an RCODE over 4095, which has no wire form.
pub(super) fn write_header(
    w: &mut Writer,
    id: u16,
    flags: u16,
    rcode: u16,
    question: (&Name, u16),
    answers: u16,
    with_opt: bool,
) -> Result<(), String> {
    if rcode > 0x0FFF {
        return Err(format!("RCODE {rcode} is over 4095"));
    }
    if rcode > RCODE_BITS && !with_opt {
        return Err(format!("RCODE {rcode} needs an OPT record"));
    }
    w.u16(id);
    w.u16(flags | (rcode & RCODE_BITS));
    for count in [1, answers, 0, u16::from(with_opt)] {
        w.u16(count);
    }
    w.name(question.0, true);
    w.u16(question.1);
    w.u16(CLASS_IN);
    Ok(())
}

/// Whether a response needs an OPT record: for an RCODE over 15 or to carry EDEs.
pub(super) fn needs_opt(rcode: u16, extended_errors: &[ExtendedError]) -> bool {
    rcode > RCODE_BITS || !extended_errors.is_empty()
}

/// An OPT record (RFC 6891 §6.1.2): root owner, our payload size as CLASS, the upper
/// RCODE bits in the TTL with VERSION 0 and the DO bit clear (we do not want DNSSEC
/// records, only the resolver's verdict in AD), and `extended_errors` as options.
/// No padding (RFC 7830): the query is already inside HTTPS, and padding it is a
/// size/privacy trade we do not make.
pub(super) fn write_opt(w: &mut Writer, rcode: u16, extended_errors: &[ExtendedError]) -> Result<(), String> {
    w.bytes.push(0); // the root name
    w.u16(TYPE_OPT);
    w.u16(OPT_PAYLOAD);
    w.u32(u32::from(rcode >> 4) << 24);
    let options: Vec<Vec<u8>> = extended_errors.iter().map(ExtendedError::option_data).collect();
    let total: usize = options.iter().map(|o| 4 + o.len()).sum();
    w.u16(u16::try_from(total).map_err(|_| format!("{total} octets of EDNS options, over 65535"))?);
    for option in options {
        w.u16(OPTION_EDE);
        // Each option is at most the total, checked above.
        w.u16(u16::try_from(option.len()).unwrap_or(u16::MAX));
        w.bytes.extend_from_slice(&option);
    }
    Ok(())
}
