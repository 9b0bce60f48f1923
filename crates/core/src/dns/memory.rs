//! An in-memory [`Resolver`] fed from zone data: what native tests check against.
//!
//! It behaves like a recursive resolver in front of authoritative zones, as
//! unbound does in front of NSD serving the same data (the differential test,
//! `crates/doh-fixture/tests/differential.rs`, holds the two together):
//! - CNAMEs are followed and returned as part of the answer, each followed by
//!   the target's records; a loop (or a chain over [`MAX_CNAME_HOPS`]) is SERVFAIL.
//! - A name with no records of the asked type but with other records — or
//!   names below it (an empty non-terminal) — is NODATA.
//! - Wildcards as RFC 4592 says: a name that does not exist is answered from
//!   `*.<closest encloser>` (its longest existing ancestor), the records taking
//!   the asked name as owner; an existing name, empty non-terminals included,
//!   is never matched by a wildcard, and `*` elsewhere in a name is a plain label.
//! - Anything else is NXDOMAIN, a CNAME to a name that does not exist too.
//!
//! Faults from the zone turn into failures;
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

    /// True if the zone data says anything at exactly this name: records, or a
    /// FAULT, EDE or AD line (a faulted name exists, so the fixture's real answer
    /// for it is NODATA rather than NXDOMAIN).
    fn owns(&self, key: &str) -> bool {
        self.at(key).next().is_some()
            || self.faults.iter().any(|(n, _)| n == key)
            || self.extended_errors.iter().any(|(n, _)| n == key)
            || self.authenticated.iter().any(|n| n == key)
    }

    /// True if the name owns data or is an ancestor of a name that does: an
    /// "empty non-terminal" exists (RFC 8020: NXDOMAIN means nothing below).
    /// The root always exists.
    fn exists(&self, key: &str) -> bool {
        if key.is_empty() {
            return true;
        }
        let below = |n: &str| n.len() > key.len() + 1 && is_below(n, key);
        self.owns(key)
            || self.records.iter().any(|r| below(&r.name))
            || self.faults.iter().any(|(n, _)| below(n))
            || self.extended_errors.iter().any(|(n, _)| below(n))
            || self.authenticated.iter().any(|n| below(n))
    }

    /// Where the data for `key` comes from (RFC 4592 §3.3.1): the name itself if
    /// it exists (an existing name, empty non-terminals included, is never matched
    /// by a wildcard), else the wildcard `*.<closest encloser>` if that exists, else
    /// nothing (NXDOMAIN). The closest encloser is the longest existing ancestor.
    fn source(&self, key: &str) -> Option<String> {
        if self.exists(key) {
            return Some(key.to_string());
        }
        let mut encloser = key;
        loop {
            encloser = match encloser.split_once('.') {
                Some((_, parent)) => parent,
                None => "",
            };
            if self.exists(encloser) {
                let wildcard = if encloser.is_empty() { "*".to_string() } else { format!("*.{encloser}") };
                return self.exists(&wildcard).then_some(wildcard);
            }
        }
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
                // Resolved as with checking disabled; `lookup` turns it into SERVFAIL.
                Some(Fault::Latency(_)) | Some(Fault::Bogus) | None => {}
            }
            // A CNAME pointing nowhere is NXDOMAIN, as resolvers answer it (the
            // chain is dropped: an NXDOMAIN answer carries no records the checks read).
            let Some(source) = self.source(&key) else { return Outcome::NxDomain };
            // Records synthesised from a wildcard take the asked name as owner (RFC 4592 §2.2.1).
            let owned = |r: &Record| Record { name: key.clone(), ..r.clone() };
            let matching: Vec<Record> = self.at(&source).filter(|r| r.data.record_type() == rtype).map(owned).collect();
            if !matching.is_empty() {
                chain.extend(matching);
                return Outcome::Records(chain);
            }
            let cname = self.at(&source).find_map(|r| match &r.data {
                RData::Cname(target) => Some((owned(r), normalize_name(target))),
                _ => None,
            });
            match cname {
                Some((rec, target)) if rtype != RecordType::Cname => {
                    key = target;
                    chain.push(rec);
                }
                _ => return Outcome::NoData(chain),
            }
        }
        Outcome::Failed(Failure::ServFail)
    }
}

/// True if `name` is `ancestor` or below it (ASCII case-insensitive, whole labels).
fn is_below(name: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || name.eq_ignore_ascii_case(ancestor)
        || (name.len() > ancestor.len()
            && name.as_bytes()[name.len() - ancestor.len() - 1] == b'.'
            && name[name.len() - ancestor.len()..].eq_ignore_ascii_case(ancestor))
}

impl Resolver for MemoryResolver {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let key = normalize_name(name);
        self.log.borrow_mut().push((key.clone(), rtype));
        let mut lookup = Lookup::new(name, rtype, self.resolve(name, rtype));
        // A bogus name: what the DoH client reports after its CD retry got an answer.
        if self.fault_for(&key) == Some(Fault::Bogus) {
            lookup.outcome = Outcome::Failed(Failure::ServFail);
            lookup.bogus = true;
        }
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
    /// RFC 4592 §2.2.1's example zone (SRV and the delegation left out).
    fn rfc4592() -> MemoryResolver {
        MemoryResolver::from_zone_text(
            "*.example. TXT \"this is a wildcard\"\n\
             *.example. MX 10 host1.example.\n\
             sub.*.example. TXT \"this is not a wildcard\"\n\
             host1.example. A 192.0.2.1\n\
             _ssh._tcp.host1.example. TXT srv\n\
             _ssh._tcp.host2.example. TXT srv\n",
        )
        .unwrap()
    }

    fn outcome(r: &MemoryResolver, name: &str, rtype: RecordType) -> Outcome {
        block_on(r.lookup(name, rtype)).outcome
    }

    #[test]
    fn wildcards_synthesise_for_names_that_do_not_exist() {
        let r = rfc4592();
        let mx = RData::Mx { preference: 10, exchange: "host1.example".into() };
        // §2.2.1 "matched": the answer takes the asked name as owner.
        let l = block_on(r.lookup("Host3.Example.", RecordType::Mx));
        assert_eq!(l.outcome, Outcome::Records(vec![Record { name: "host3.example".into(), ttl: 300, data: mx }]));
        assert_eq!(outcome(&r, "host3.example", RecordType::A), Outcome::NoData(vec![]));
        let txt = outcome(&r, "foo.bar.example", RecordType::Txt);
        assert!(matches!(txt, Outcome::Records(ref v) if v[0].name == "foo.bar.example"), "{txt:?}");
        // §2.2.1 "not matched": names that exist, empty non-terminals included.
        assert_eq!(outcome(&r, "host1.example", RecordType::Mx), Outcome::NoData(vec![]));
        assert_eq!(outcome(&r, "sub.*.example", RecordType::Mx), Outcome::NoData(vec![]));
        assert_eq!(outcome(&r, "_tcp.host2.example", RecordType::Txt), Outcome::NoData(vec![]));
        assert_eq!(outcome(&r, "host2.example", RecordType::Txt), Outcome::NoData(vec![]));
        // The closest encloser is host1.example, which has no wildcard child.
        assert_eq!(outcome(&r, "_telnet._tcp.host1.example", RecordType::Txt), Outcome::NxDomain);
        // The closest encloser is *.example itself: *.*.example does not exist.
        assert_eq!(outcome(&r, "ghost.*.example", RecordType::Mx), Outcome::NxDomain);
        // The wildcard's own name is an ordinary name.
        assert!(
            matches!(outcome(&r, "*.example", RecordType::Mx), Outcome::Records(ref v) if v[0].name == "*.example")
        );
        // Outside the wildcard's reach.
        assert_eq!(outcome(&r, "x.other", RecordType::Txt), Outcome::NxDomain);
    }

    #[test]
    fn an_empty_non_terminal_wildcard_gives_nodata() {
        let r = MemoryResolver::from_zone_text("a.*.w.example TXT x\nw.example A 192.0.2.1\n").unwrap();
        assert_eq!(outcome(&r, "b.w.example", RecordType::Txt), Outcome::NoData(vec![]));
        assert_eq!(outcome(&r, "b.c.w.example", RecordType::A), Outcome::NoData(vec![]));
        assert_eq!(outcome(&r, "b.example", RecordType::A), Outcome::NxDomain);
    }

    #[test]
    fn cnames_through_wildcards_and_loops() {
        let r = MemoryResolver::from_zone_text(
            "*.cdn.example CNAME edge.host.example\n\
             edge.host.example A 192.0.2.9\n\
             www.example CNAME x.cdn.example\n\
             dangling.example CNAME gone.example\n\
             self.example CNAME self.example\n\
             c1.example CNAME c2.example\n\
             c2.example CNAME c3.example\n\
             c3.example CNAME c1.example\n",
        )
        .unwrap();
        let l = block_on(r.lookup("www.example", RecordType::A));
        let names: Vec<&str> = l.records().iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["www.example", "x.cdn.example", "edge.host.example"]);
        assert_eq!(l.cname_chain(), ["x.cdn.example", "edge.host.example"]);
        // Asking for the CNAME stops at it, synthesised too.
        let l = block_on(r.lookup("y.cdn.example", RecordType::Cname));
        assert_eq!(
            l.outcome,
            Outcome::Records(vec![Record {
                name: "y.cdn.example".into(),
                ttl: 300,
                data: RData::Cname("edge.host.example".into())
            }])
        );
        assert_eq!(outcome(&r, "dangling.example", RecordType::A), Outcome::NxDomain);
        for name in ["self.example", "c1.example", "c2.example"] {
            assert_eq!(outcome(&r, name, RecordType::Txt), Outcome::Failed(Failure::ServFail), "{name}");
        }
    }

    #[test]
    fn below_compares_whole_labels() {
        assert!(is_below("a.example", "example"));
        assert!(is_below("example", "example"));
        assert!(is_below("x", ""));
        assert!(!is_below("aexample", "example"));
        assert!(!is_below("example", "a.example"));
        assert!(is_below("ü.example", "example"));
    }
}
