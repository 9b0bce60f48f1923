//! Finding the SPF record among a name's TXT records (RFC 7208 §4.5, §3.3).

use crate::dns::{Failure, Lookup, Outcome, RData};

/// What a TXT (or type 99) answer holds, SPF-wise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// We could not learn the answer (SERVFAIL, timeout, …).
    Failed(Failure),
    /// The name does not exist.
    NxDomain,
    /// The name exists but has no `v=spf1` record; `other_txt` counts the TXT records that are not SPF.
    NoSpf {
        other_txt: usize,
    },
    One(String),
    /// More than one `v=spf1` record: a permerror (RFC 7208 §4.5).
    Multiple(Vec<String>),
}

/// RFC 7208 §4.5: a record is SPF if it starts with "v=spf1" (any case) followed by a space or its end.
pub fn is_spf_text(bytes: &[u8]) -> bool {
    bytes.get(..6).is_some_and(|v| v.eq_ignore_ascii_case(b"v=spf1")) && bytes.get(6).is_none_or(|&b| b == b' ')
}

/// RFC 7208 §3.3: the character-strings of one record are concatenated "with no spaces added".
pub fn join_strings(strings: &[Vec<u8>]) -> Vec<u8> {
    strings.concat()
}

/// The character-strings of each answer record of the asked type (TXT or SPF).
pub fn record_strings(lookup: &Lookup) -> Vec<&Vec<Vec<u8>>> {
    // A loop, not a filter_map collected (see the MX report's lookups).
    let mut out = Vec::new();
    for d in lookup.data() {
        if let RData::Txt(s) | RData::Spf(s) = d {
            out.push(s);
        }
    }
    out
}

/// Bytes as text. Invalid UTF-8 becomes U+FFFD, which the parser then reports as non-ASCII.
pub fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn select(lookup: &Lookup) -> Selection {
    match &lookup.outcome {
        Outcome::Failed(f) => return Selection::Failed(f.clone()),
        Outcome::NxDomain => return Selection::NxDomain,
        Outcome::NoData(_) | Outcome::Records(_) => {}
    }
    // A loop, not map/filter chains collected: smaller in the wasm.
    let mut total = 0;
    let mut spf: Vec<String> = Vec::new();
    for s in record_strings(lookup) {
        let joined = join_strings(s);
        total += 1;
        if is_spf_text(&joined) {
            spf.push(text_of(&joined));
        }
    }
    match spf.len() {
        0 => Selection::NoSpf { other_txt: total },
        1 => Selection::One(spf.into_iter().next().unwrap_or_default()),
        _ => {
            // Sorted: servers send an RRset in any order and rotate it (RFC 1035
            // §6.3), and "SPF record 1 of 2" must name the same record on every run.
            let mut spf = spf;
            spf.sort();
            Selection::Multiple(spf)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::RecordType;

    fn txt(records: &[&[&str]]) -> Lookup {
        let recs = records
            .iter()
            .map(|strings| crate::dns::Record {
                name: "example.com".into(),
                ttl: 300,
                data: RData::Txt(strings.iter().map(|s| s.as_bytes().to_vec()).collect()),
            })
            .collect();
        Lookup::new("example.com", RecordType::Txt, Outcome::Records(recs))
    }

    #[test]
    fn several_records_come_in_one_order_whatever_the_server_sent() {
        let a: &[&str] = &["v=spf1 ip4:192.0.2.0/24 -all"];
        let b: &[&str] = &["v=spf1 a mx +all"];
        let want = Selection::Multiple(vec![b[0].to_string(), a[0].to_string()]);
        assert_eq!(select(&txt(&[a, b])), want);
        assert_eq!(select(&txt(&[b, a])), want);
    }

    #[test]
    fn selects_by_version_prefix() {
        assert_eq!(select(&txt(&[&["v=spf1 -all"], &["hello"]])), Selection::One("v=spf1 -all".into()));
        assert_eq!(select(&txt(&[&["v=spf1 ", "mx -all"]])), Selection::One("v=spf1 mx -all".into()));
        // strings are joined without a space: "v=spf1" + "mx" is "v=spf1mx", not SPF
        assert_eq!(select(&txt(&[&["v=spf1", "mx"]])), Selection::NoSpf { other_txt: 1 });
        assert_eq!(select(&txt(&[&["v=spf10"], &["V=SPF1"]])), Selection::One("V=SPF1".into()));
        assert!(matches!(select(&txt(&[&["v=spf1 -all"], &["v=spf1 +all"]])), Selection::Multiple(v) if v.len() == 2));
        assert_eq!(select(&Lookup::new("x", RecordType::Txt, Outcome::NxDomain)), Selection::NxDomain);
    }
}
