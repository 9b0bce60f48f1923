//! RDATA of the record types the checks read (RFC 1035 §3.3, RFC 3596 §2.2, TLSA:
//! RFC 6698 §2.1), and the rest kept as opaque bytes (RFC 3597).

use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;

use super::message::CLASS_IN;
use super::name::{Name, Writer};
use super::WireError;
use crate::dns::{RData, Record, RecordType};

/// How a type we do not model lays out its RDATA, where it holds names: those may be
/// compressed, and a pointer means nothing outside its message, so they are expanded
/// before the bytes are kept. RFC 3597 §4: "Receiving servers MUST decompress domain
/// names in RRs of well-known type, and SHOULD also decompress RRs of type RP, AFSDB,
/// RT, SIG, PX, NXT, NAPTR, and SRV". Other types' RDATA must not be compressed and is
/// kept as it came.
#[derive(Clone, Copy)]
enum Field {
    Octets(usize),
    Name,
    CharacterString,
    /// Whatever is left.
    Rest,
}

fn layout(rtype: u16) -> Option<&'static [Field]> {
    use Field::*;
    Some(match rtype {
        // MD, MF, MB, MG, MR (RFC 1035 §3.3, obsolete or experimental).
        3 | 4 | 7 | 8 | 9 => &[Name],
        // MINFO (RFC 1035 §3.3.7), RP (RFC 1183 §2.2).
        14 | 17 => &[Name, Name],
        // AFSDB (RFC 1183 §1), RT (RFC 1183 §3.3).
        18 | 21 => &[Octets(2), Name],
        // SIG (RFC 2535 §4.1): 18 octets, signer's name, signature.
        24 => &[Octets(18), Name, Rest],
        // PX (RFC 2163 §4).
        26 => &[Octets(2), Name, Name],
        // NXT (RFC 2535 §5.2): next name, type bitmap.
        30 => &[Name, Rest],
        // SRV (RFC 2782): priority, weight, port, target.
        33 => &[Octets(6), Name],
        // NAPTR (RFC 3403 §4.1): order, preference, flags, services, regexp, replacement.
        35 => &[Octets(4), CharacterString, CharacterString, CharacterString, Name],
        _ => return None,
    })
}

/// Reads the RDATA at `range` of `message` as a record of type `rtype`.
pub(super) fn read(message: &[u8], rtype: u16, range: Range<usize>) -> Result<RData, String> {
    let data = message.get(range.clone()).ok_or("the data runs past the end")?;
    // A name in the RDATA, which must end where the RDATA ends.
    let name_at = |start: usize| -> Result<(Name, usize), String> { Name::read(message, start, range.end) };
    let only_name = |start: usize| -> Result<String, String> {
        match name_at(start)? {
            (name, end) if end == range.end => Ok(name.to_string()),
            _ => Err("data after the name".into()),
        }
    };
    let wrong_length = || format!("{} octets of data", data.len());
    Ok(match RecordType::from_code(rtype) {
        RecordType::A => RData::A(Ipv4Addr::from(<[u8; 4]>::try_from(data).map_err(|_| wrong_length())?)),
        RecordType::Aaaa => RData::Aaaa(Ipv6Addr::from(<[u8; 16]>::try_from(data).map_err(|_| wrong_length())?)),
        RecordType::Mx => match data {
            [a, b, ..] => RData::Mx { preference: u16::from_be_bytes([*a, *b]), exchange: only_name(range.start + 2)? },
            _ => return Err(wrong_length()),
        },
        RecordType::Ptr => RData::Ptr(only_name(range.start)?),
        RecordType::Cname => RData::Cname(only_name(range.start)?),
        RecordType::Ns => RData::Ns(only_name(range.start)?),
        RecordType::Soa => {
            let (mname, next) = name_at(range.start)?;
            let (rname, next) = name_at(next)?;
            // SERIAL REFRESH RETRY EXPIRE MINIMUM; only serial and minimum are kept.
            let numbers = message.get(next..range.end).filter(|n| n.len() == 20).ok_or_else(wrong_length)?;
            let word =
                |i: usize| numbers.get(i..i + 4).and_then(|w| <[u8; 4]>::try_from(w).ok()).map(u32::from_be_bytes);
            RData::Soa {
                mname: mname.to_string(),
                rname: rname.to_string(),
                serial: word(0).unwrap_or(0),
                minimum: word(16).unwrap_or(0),
            }
        }
        RecordType::Txt => RData::Txt(character_strings(data)?),
        RecordType::Spf => RData::Spf(character_strings(data)?),
        // RFC 6698 §2.1: three one-octet fields, then the certificate association data.
        RecordType::Tlsa => match data {
            [usage, selector, matching_type, rest @ ..] => {
                RData::Tlsa { usage: *usage, selector: *selector, matching_type: *matching_type, data: rest.to_vec() }
            }
            _ => return Err(wrong_length()),
        },
        RecordType::Other(code) => match layout(code) {
            Some(fields) => RData::Other { rtype: code, data: expand_names(message, range, fields)? },
            None => RData::Other { rtype: code, data: data.to_vec() },
        },
    })
}

/// RFC 1035 §3.3.14: TXT-DATA is "One or more <character-string>s" (a length octet and
/// that many octets, §3.3), filling the RDATA exactly.
fn character_strings(mut data: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    if data.is_empty() {
        return Err("no character-string".into());
    }
    let mut strings = Vec::new();
    while let Some((&len, rest)) = data.split_first() {
        let s = rest.get(..usize::from(len)).ok_or("a character-string runs past the data")?;
        strings.push(s.to_vec());
        data = rest.get(usize::from(len)..).unwrap_or_default();
    }
    Ok(strings)
}

/// The RDATA with every name of `fields` written out uncompressed.
fn expand_names(message: &[u8], range: Range<usize>, fields: &[Field]) -> Result<Vec<u8>, String> {
    let mut out = Writer::default();
    let mut pos = range.start;
    let short = || "the data is shorter than its type's fields".to_string();
    for field in fields {
        let end = match field {
            Field::Octets(n) => pos + n,
            Field::CharacterString => pos + 1 + usize::from(*message.get(pos).ok_or_else(short)?),
            Field::Rest => range.end,
            Field::Name => {
                let (name, end) = Name::read(message, pos, range.end)?;
                out.name(&name, false);
                pos = end;
                continue;
            }
        };
        out.bytes.extend_from_slice(message.get(pos..end).filter(|_| end <= range.end).ok_or_else(short)?);
        pos = end;
    }
    if pos != range.end {
        return Err("data after the last field".into());
    }
    Ok(out.bytes)
}

/// Writes `record` (class IN). Names in the RDATA of the RFC 1035 types are compressed,
/// which RFC 3597 §4 allows for them alone; other types' RDATA is written as it is.
pub(super) fn write_record(w: &mut Writer, record: &Record) -> Result<(), WireError> {
    let encode =
        |why: String| WireError::Encode(format!("{} record for {}: {why}", record.data.record_type(), record.name));
    w.name(&Name::parse(&record.name)?, true);
    w.u16(record.data.record_type().code());
    w.u16(CLASS_IN);
    w.u32(record.ttl);
    let length_at = w.bytes.len();
    w.u16(0);
    let name = |w: &mut Writer, text: &str| Name::parse(text).map(|n| w.name(&n, true));
    match &record.data {
        RData::A(ip) => w.bytes.extend_from_slice(&ip.octets()),
        RData::Aaaa(ip) => w.bytes.extend_from_slice(&ip.octets()),
        RData::Mx { preference, exchange } => {
            w.u16(*preference);
            name(w, exchange)?;
        }
        RData::Ptr(n) | RData::Cname(n) | RData::Ns(n) => name(w, n)?,
        RData::Soa { mname, rname, serial, minimum } => {
            name(w, mname)?;
            name(w, rname)?;
            // Refresh/retry/expire are not modelled; these are RFC 1912 §2.2's suggested values.
            for n in [*serial, 86_400, 7_200, 3_600_000, *minimum] {
                w.u32(n);
            }
        }
        RData::Txt(strings) | RData::Spf(strings) => {
            if strings.is_empty() {
                return Err(encode("a TXT record needs at least one string".into()));
            }
            for s in strings {
                let len = u8::try_from(s.len())
                    .map_err(|_| encode(format!("a TXT string is {} octets, over the limit of 255", s.len())))?;
                w.bytes.push(len);
                w.bytes.extend_from_slice(s);
            }
        }
        RData::Tlsa { usage, selector, matching_type, data } => {
            w.bytes.extend_from_slice(&[*usage, *selector, *matching_type]);
            w.bytes.extend_from_slice(data);
        }
        // RFC 3597 §5: opaque RDATA; RDLENGTH 0 is legal for some types, so it is written too.
        RData::Other { data, .. } => w.bytes.extend_from_slice(data),
    }
    let len = w.bytes.len() - length_at - 2;
    let len = u16::try_from(len).map_err(|_| encode(format!("{len} octets of data, over the limit of 65535")))?;
    if let Some(slot) = w.bytes.get_mut(length_at..length_at + 2) {
        slot.copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}
