//! An in-memory [`Resolver`] fed from zone data: what native tests check against.
//!
//! It behaves like a recursive resolver in front of authoritative zones:
//! CNAMEs are followed (and returned as part of the answer), a name with no
//! records of the asked type but with other records — or names below it — is
//! NODATA, anything else NXDOMAIN. Faults from the zone turn into failures;
//! a name's `EDE` lines become the lookup's Extended DNS Errors, its `AD` line
//! the AD bit of its answers (never of a failure: a resolver that could not
//! answer validated nothing).
//! Every question asked is logged, so tests can assert what was queried.

use std::cell::RefCell;

use super::zone::{Fault, Zone, ZoneError};
use super::{normalize_name, ExtendedError, Failure, Lookup, Outcome, RData, Record, RecordType, Resolver};

/// How many CNAMEs are followed before the chain counts as a loop.
const MAX_CNAME_HOPS: usize = 8;

#[derive(Debug, Default)]
pub struct MemoryResolver {
    records: Vec<Record>,
    faults: Vec<(String, Fault)>,
    extended_errors: Vec<(String, ExtendedError)>,
    authenticated: Vec<String>,
    log: RefCell<Vec<(String, RecordType)>>,
}

impl MemoryResolver {
    pub fn new() -> MemoryResolver {
        MemoryResolver::default()
    }

    pub fn from_zone(zone: Zone) -> MemoryResolver {
        MemoryResolver {
            records: zone.records,
            faults: zone.faults,
            extended_errors: zone.extended_errors,
            authenticated: zone.authenticated,
            log: RefCell::default(),
        }
    }

    pub fn from_zone_text(text: &str) -> Result<MemoryResolver, ZoneError> {
        Zone::parse(text).map(MemoryResolver::from_zone)
    }

    pub fn add(&mut self, name: &str, ttl: u32, data: RData) {
        self.records.push(Record { name: normalize_name(name), ttl, data });
    }

    pub fn add_fault(&mut self, name: &str, fault: Fault) {
        self.faults.push((normalize_name(name), fault));
    }

    /// Every (name, type) asked so far, in order, names normalized.
    pub fn queries(&self) -> Vec<(String, RecordType)> {
        self.log.borrow().clone()
    }

    fn fault_for(&self, key: &str) -> Option<Fault> {
        self.faults.iter().find(|(n, _)| n == key).map(|(_, f)| *f)
    }

    fn at<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Record> + 'a {
        self.records.iter().filter(move |r| r.name.eq_ignore_ascii_case(key))
    }

    /// True if the name owns records or is an ancestor of a name that does
    /// (an "empty non-terminal" exists: RFC 8020 NXDOMAIN means nothing below).
    fn exists(&self, key: &str) -> bool {
        let suffix = format!(".{key}");
        self.records.iter().any(|r| {
            let n = r.name.to_ascii_lowercase();
            n == key || n.ends_with(&suffix)
        }) || self.faults.iter().any(|(n, _)| n == key)
            || self.extended_errors.iter().any(|(n, _)| n == key)
            || self.authenticated.iter().any(|n| n == key)
    }

    fn resolve(&self, name: &str, rtype: RecordType) -> Outcome {
        let mut chain: Vec<Record> = Vec::new();
        let mut key = normalize_name(name);
        for _ in 0..=MAX_CNAME_HOPS {
            match self.fault_for(&key) {
                Some(Fault::Timeout) => return Outcome::Failed(Failure::Timeout),
                Some(Fault::ServFail) => return Outcome::Failed(Failure::ServFail),
                Some(Fault::Refused) => return Outcome::Failed(Failure::Refused),
                Some(Fault::Http500) => return Outcome::Failed(Failure::Transport("HTTP 500".into())),
                Some(Fault::Http429) => return Outcome::Failed(Failure::Transport("HTTP 429".into())),
                Some(Fault::Malformed) | Some(Fault::WrongContentType) | Some(Fault::Truncated) => {
                    return Outcome::Failed(Failure::Malformed("injected fault".into()))
                }
                Some(Fault::Latency(_)) | None => {}
            }
            let matching: Vec<Record> = self.at(&key).filter(|r| r.data.record_type() == rtype).cloned().collect();
            if !matching.is_empty() {
                chain.extend(matching);
                return Outcome::Records(chain);
            }
            let cname = self.at(&key).find_map(|r| match &r.data {
                RData::Cname(target) => Some((r.clone(), normalize_name(target))),
                _ => None,
            });
            match cname {
                Some((rec, target)) if rtype != RecordType::Cname => {
                    key = target;
                    chain.push(rec);
                }
                _ => {
                    // A CNAME pointing nowhere is NXDOMAIN too, as resolvers answer it.
                    return if self.exists(&key) { Outcome::NoData(chain) } else { Outcome::NxDomain };
                }
            }
        }
        Outcome::Failed(Failure::ServFail)
    }
}

impl Resolver for MemoryResolver {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let key = normalize_name(name);
        self.log.borrow_mut().push((key.clone(), rtype));
        let mut lookup = Lookup::new(name, rtype, self.resolve(name, rtype));
        lookup.authenticated = !lookup.is_failure() && self.authenticated.contains(&key);
        lookup.extended_errors =
            self.extended_errors.iter().filter(|(n, _)| *n == key).map(|(_, e)| e.clone()).collect();
        lookup
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    fn zone() -> MemoryResolver {
        MemoryResolver::from_zone_text(
            "example.com MX 10 mail.example.com\n\
             mail.example.com CNAME host.example.net\n\
             host.example.net A 192.0.2.7\n\
             a.b.example.com TXT hi\n\
             loop1.example CNAME loop2.example\n\
             loop2.example CNAME loop1.example\n\
             down.example FAULT timeout\n",
        )
        .unwrap()
    }

    #[test]
    fn outcomes_are_distinct() {
        let r = zone();
        let l = block_on(r.lookup("EXAMPLE.com.", RecordType::Mx));
        assert!(matches!(l.outcome, Outcome::Records(ref v) if v.len() == 1));
        assert_eq!(block_on(r.lookup("example.com", RecordType::A)).outcome, Outcome::NoData(vec![]));
        // empty non-terminal: b.example.com has nothing itself, but a.b.example.com exists
        assert_eq!(block_on(r.lookup("b.example.com", RecordType::Txt)).outcome, Outcome::NoData(vec![]));
        assert_eq!(block_on(r.lookup("nope.example.com", RecordType::A)).outcome, Outcome::NxDomain);
        assert_eq!(block_on(r.lookup("down.example", RecordType::A)).outcome, Outcome::Failed(Failure::Timeout));
        assert_eq!(block_on(r.lookup("loop1.example", RecordType::A)).outcome, Outcome::Failed(Failure::ServFail));
        assert_eq!(r.queries().len(), 6);
    }

    #[test]
    fn ede_and_ad_come_with_the_name() {
        let r = MemoryResolver::from_zone_text(
            "down.example FAULT servfail\n\
             down.example EDE 22 \"no servers\"\n\
             signed.example A 192.0.2.1\n\
             signed.example AD\n\
             badsig.example FAULT servfail\n\
             badsig.example AD\n",
        )
        .unwrap();
        let l = block_on(r.lookup("down.example", RecordType::A));
        assert_eq!(l.extended_errors, vec![ExtendedError::new(22, "no servers")]);
        assert!(!l.authenticated);
        assert!(block_on(r.lookup("Signed.Example.", RecordType::A)).authenticated);
        // NODATA at a signed name is validated too; a failure never is.
        assert!(block_on(r.lookup("signed.example", RecordType::Mx)).authenticated);
        assert!(!block_on(r.lookup("badsig.example", RecordType::A)).authenticated);
    }

    #[test]
    fn follows_cnames_and_keeps_the_chain() {
        let r = zone();
        let l = block_on(r.lookup("mail.example.com", RecordType::A));
        assert_eq!(l.cname_chain(), vec!["host.example.net"]);
        assert_eq!(l.data().collect::<Vec<_>>(), vec![&RData::A("192.0.2.7".parse().unwrap())]);
    }
}
