//! Random DNS names, TXT strings and records for the wire property tests
//! (tests/dns_wire_vectors.rs and tests/dns_wire_hickory.rs share them).

use maildoctor_core::dns::{RData, Record};
use proptest::prelude::*;

/// RFC 1035 §5.1 presentation of one label, as src/dns/wire presents names.
pub fn escape_label(bytes: &[u8]) -> String {
    let mut s = String::new();
    for &b in bytes {
        match b {
            b'.' | b'\\' => {
                s.push('\\');
                s.push(char::from(b));
            }
            0x21..=0x7e => s.push(char::from(b)),
            _ => s.push_str(&format!("\\{b:03}")),
        }
    }
    s
}

pub fn name_strategy() -> impl Strategy<Value = String> {
    let label = prop_oneof![
        // Few distinct labels, so that names share suffixes and get compressed.
        4 => prop::sample::select(vec!["example", "com", "mail", "EXAMPLE", "mx1", "_dmarc", "a-b"])
            .prop_map(|s| s.as_bytes().to_vec()),
        2 => "[a-zA-Z0-9_-]{1,20}".prop_map(|s| s.into_bytes()),
        // Any octets, escaped as \DDD where needed.
        1 => prop::collection::vec(any::<u8>(), 1..12),
    ];
    prop::collection::vec(label, 0..5)
        .prop_map(|labels| labels.iter().map(|l| escape_label(l)).collect::<Vec<_>>().join("."))
}

/// One to three character-strings of 0–255 octets (RFC 1035 §3.3).
pub fn strings_strategy() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 0..=255usize), 1..4)
}

pub fn rdata_strategy() -> impl Strategy<Value = RData> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|o| RData::A(o.into())),
        any::<[u8; 16]>().prop_map(|o| RData::Aaaa(o.into())),
        (any::<u16>(), name_strategy()).prop_map(|(preference, exchange)| RData::Mx { preference, exchange }),
        strings_strategy().prop_map(RData::Txt),
        strings_strategy().prop_map(RData::Spf),
        name_strategy().prop_map(RData::Ptr),
        name_strategy().prop_map(RData::Cname),
        name_strategy().prop_map(RData::Ns),
        (name_strategy(), name_strategy(), any::<u32>(), any::<u32>())
            .prop_map(|(mname, rname, serial, minimum)| RData::Soa { mname, rname, serial, minimum }),
        // Private-use types (RFC 6895 §3.1): opaque RDATA, which hickory keeps opaque too.
        // Hickory refuses RDLENGTH 0 outside UPDATE messages, so the data is never empty here.
        (65306u16..=65534, prop::collection::vec(any::<u8>(), 1..40))
            .prop_map(|(rtype, data)| RData::Other { rtype, data }),
    ]
}

/// Up to `max - 1` answer records with random owners, TTLs and data.
pub fn records_strategy(max: usize) -> impl Strategy<Value = Vec<Record>> {
    prop::collection::vec((name_strategy(), any::<u32>(), rdata_strategy()), 0..max)
        .prop_map(|v| v.into_iter().map(|(name, ttl, data)| Record { name, ttl, data }).collect())
}
