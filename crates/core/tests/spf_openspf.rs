//! The openspf SPF conformance suites (RFC 7208 and RFC 4408), run against
//! `check_host()` with an in-memory resolver built from each scenario's zone data.
//!
//! Harness semantics follow the suite README and pyspf's `testspf.py`, the
//! reference driver:
//! - `SPF` (type 99) records are also served as `TXT`, unless the name has
//!   any `TXT` entry of its own (`TXT: NONE` is one that adds no record);
//! - `TIMEOUT` makes every query for the name time out, except queries for a
//!   type that has records listed *before* the `TIMEOUT` entry (pyspf returns
//!   those: see `spftimeout`); synthesised TXT records come after it;
//! - an empty MAIL FROM is checked as `postmaster@<helo>` (RFC 7208 §2.4);
//! - `explanation: DEFAULT` means "no exp= text was used".

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;

use futures::executor::block_on;
use maildoctor_core::dns::zone::Fault;
use maildoctor_core::dns::{normalize_name, Failure, Lookup, MemoryResolver, Outcome, RData, RecordType, Resolver};
use maildoctor_core::spf::check_mail_from;
use serde_yaml::Value;

const RFC7208: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/conformance/openspf-rfc7208/rfc7208-tests.yml");
const RFC4408: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/conformance/openspf-rfc4408/rfc4408-tests.yml");

/// Cases whose accepted results RFC 7208 narrowed or changed from the RFC 4408
/// suite, and why. The test compares the two suites and requires this list to
/// be exactly the set of cases whose `result` differs, so it cannot go stale.
/// (`upper-macro` also differs, but only in its sender and explanation text.)
const CHANGED_BY_RFC7208: &[(&str, &str)] = &[
    ("cidr6-0-ip4", "RFC 7208 §5: an IPv4 client never matches ip6 (RFC 4408 also accepted pass)"),
    (
        "cidr6-ip4",
        "RFC 7208 §5: an IPv4-mapped IPv6 client is IPv4 and never matches ip6 (RFC 4408 also accepted pass)",
    ),
    ("exists-dnserr", "RFC 7208 §5: a DNS error during exists is a temperror (RFC 4408 also accepted fail)"),
    (
        "multispf2",
        "RFC 7208 §3.1/§4.4: type 99 is not queried, the single TXT record decides (RFC 4408 also accepted permerror)",
    ),
    (
        "multitxt1",
        "RFC 7208 §4.5: two v=spf1 TXT records are a permerror whatever type 99 holds (RFC 4408 also accepted pass)",
    ),
    ("mx-limit", "RFC 7208 §4.6.4: more than 10 MX names is a permerror (RFC 4408 also accepted neutral or pass)"),
    (
        "nospftxttimeout",
        "RFC 7208 §4.4: a TXT timeout is a temperror; type 99 is not consulted (RFC 4408 also accepted none)",
    ),
    (
        "spfonly",
        "RFC 7208 §3.1/§4.4: a record published only as type 99 is not seen: none (RFC 4408 also accepted fail)",
    ),
    ("spfoverride", "RFC 7208 §4.4: type 99 no longer overrides TXT: fail (RFC 4408 also accepted pass)"),
    (
        "spftimeout",
        "RFC 7208 §4.4: only TXT is queried, a type 99 timeout cannot matter: fail (RFC 4408 also accepted temperror)",
    ),
    ("txtonly", "RFC 7208 §4.4: TXT is where the record is looked for: fail (RFC 4408 also accepted none)"),
    ("txttimeout", "RFC 7208 §4.4: a TXT timeout is a temperror (RFC 4408 also accepted fail from type 99)"),
];

#[derive(Debug)]
struct Case {
    scenario: usize,
    name: String,
    host: String,
    helo: String,
    mailfrom: String,
    results: Vec<String>,
    explanation: Option<String>,
}

/// A scenario's zone: a MemoryResolver plus pyspf's per-type TIMEOUT rule.
struct SuiteResolver {
    inner: MemoryResolver,
    /// Names with TIMEOUT listed after records: the types answered normally; every other type times out.
    partial_timeouts: HashMap<String, HashSet<RecordType>>,
}

impl Resolver for SuiteResolver {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        if let Some(answered) = self.partial_timeouts.get(&normalize_name(name)) {
            if !answered.contains(&rtype) {
                return Lookup::new(name, rtype, Outcome::Failed(Failure::Timeout));
            }
        }
        self.inner.lookup(name, rtype).await
    }
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => panic!("expected a scalar, got {other:?}"),
    }
}

fn strings(v: &Value) -> Vec<Vec<u8>> {
    match v {
        Value::Sequence(items) => items.iter().map(|i| as_text(i).into_bytes()).collect(),
        other => vec![as_text(other).into_bytes()],
    }
}

fn build_resolver(zonedata: &Value) -> SuiteResolver {
    let mut inner = MemoryResolver::new();
    let mut partial_timeouts = HashMap::new();
    let Some(zone) = zonedata.as_mapping() else { return SuiteResolver { inner, partial_timeouts } };
    for (name, entries) in zone {
        let name = normalize_name(&as_text(name));
        let entries = entries.as_sequence().cloned().unwrap_or_default();
        let has_txt = entries.iter().any(|e| e.as_mapping().is_some_and(|m| m.contains_key("TXT")));
        let mut synthesized = Vec::new();
        let mut answered_before_timeout: HashSet<RecordType> = HashSet::new();
        let mut timeout = false;
        for entry in &entries {
            if entry.as_str() == Some("TIMEOUT") {
                timeout = true;
                continue;
            }
            let map = entry.as_mapping().unwrap_or_else(|| panic!("zone entry {entry:?}"));
            for (rtype, value) in map {
                let rtype = as_text(rtype);
                if value.as_str() == Some("NONE") {
                    continue;
                }
                let data = match rtype.as_str() {
                    "SPF" => {
                        if !has_txt {
                            synthesized.push(RData::Txt(strings(value)));
                        }
                        RData::Spf(strings(value))
                    }
                    "TXT" => RData::Txt(strings(value)),
                    "A" => RData::A(as_text(value).parse().unwrap()),
                    "AAAA" => RData::Aaaa(as_text(value).parse().unwrap()),
                    "PTR" => RData::Ptr(normalize_name(&as_text(value))),
                    "CNAME" => RData::Cname(normalize_name(&as_text(value))),
                    "MX" => {
                        let pair = value.as_sequence().unwrap();
                        RData::Mx {
                            preference: as_text(&pair[0]).parse().unwrap(),
                            exchange: normalize_name(&as_text(&pair[1])),
                        }
                    }
                    other => panic!("record type {other} in zone data"),
                };
                if !timeout {
                    answered_before_timeout.insert(data.record_type());
                }
                inner.add(&name, 300, data);
            }
        }
        for data in synthesized {
            inner.add(&name, 300, data);
        }
        if timeout {
            if answered_before_timeout.is_empty() {
                inner.add_fault(&name, Fault::Timeout);
            } else {
                partial_timeouts.insert(name.clone(), answered_before_timeout);
            }
        }
    }
    SuiteResolver { inner, partial_timeouts }
}

fn load(path: &str) -> (Vec<SuiteResolver>, Vec<Case>) {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("the conformance suite must be present at {path}: {e}"));
    let mut resolvers = Vec::new();
    let mut cases = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(&text) {
        let scenario: Value = serde::Deserialize::deserialize(doc).unwrap();
        let index = resolvers.len();
        resolvers.push(build_resolver(&scenario["zonedata"]));
        for (name, t) in scenario["tests"].as_mapping().unwrap() {
            let results = match &t["result"] {
                Value::Sequence(list) => list.iter().map(as_text).collect(),
                one => vec![as_text(one)],
            };
            cases.push(Case {
                scenario: index,
                name: as_text(name),
                host: as_text(&t["host"]),
                helo: as_text(&t["helo"]),
                mailfrom: t.get("mailfrom").map(as_text).unwrap_or_default(),
                results,
                explanation: t.get("explanation").map(as_text),
            });
        }
    }
    (resolvers, cases)
}

/// Runs every case; returns the failures as (name, what happened).
fn run(path: &str) -> (usize, BTreeMap<String, String>) {
    let (resolvers, cases) = load(path);
    let mut failures = BTreeMap::new();
    for case in &cases {
        let ip: IpAddr = case.host.parse().unwrap_or_else(|e| panic!("{}: host {:?}: {e}", case.name, case.host));
        let eval = block_on(check_mail_from(&resolvers[case.scenario], ip, &case.mailfrom, &case.helo));
        let got = eval.result.to_string();
        let explanation = eval.explanation.clone().unwrap_or_else(|| "DEFAULT".to_string());
        let result_ok = case.results.contains(&got);
        let exp_ok = case.explanation.as_ref().is_none_or(|want| *want == explanation);
        if !(result_ok && exp_ok) {
            failures.insert(
                case.name.clone(),
                format!(
                    "expected {:?}{}, got {got} ({}){}",
                    case.results,
                    case.explanation.as_ref().map(|e| format!(" with explanation {e:?}")).unwrap_or_default(),
                    eval.reason,
                    if exp_ok { String::new() } else { format!(", explanation {explanation:?}") }
                ),
            );
        }
    }
    (cases.len(), failures)
}

#[test]
fn openspf_rfc7208_all_cases_pass() {
    let (total, failures) = run(RFC7208);
    println!("openspf rfc7208: {}/{total} passed", total - failures.len());
    for (name, why) in &failures {
        println!("  FAILED {name}: {why}");
    }
    assert_eq!(total, 203, "the RFC 7208 suite should have 203 cases");
    assert!(failures.is_empty(), "{} RFC 7208 cases failed: {:?}", failures.len(), failures.keys().collect::<Vec<_>>());
}

#[test]
fn openspf_rfc4408_passes_and_rfc7208_changes_are_listed() {
    let (total, failures) = run(RFC4408);
    println!("openspf rfc4408: {}/{total} passed", total - failures.len());
    for (name, why) in &failures {
        println!("  FAILED {name}: {why}");
    }
    assert_eq!(total, 191, "the RFC 4408 suite should have 191 cases");
    assert!(failures.is_empty(), "{} RFC 4408 cases failed: {:?}", failures.len(), failures.keys().collect::<Vec<_>>());

    // Where the suites disagree, we follow RFC 7208 (checked above); name each such case and its reason.
    let (_, old) = load(RFC4408);
    let (_, new) = load(RFC7208);
    let mut changed = Vec::new();
    for case in &old {
        if let Some(now) = new.iter().find(|c| c.name == case.name) {
            let (mut a, mut b) = (case.results.clone(), now.results.clone());
            a.sort();
            b.sort();
            if a != b {
                changed.push(case.name.clone());
                let reason = CHANGED_BY_RFC7208.iter().find(|(n, _)| *n == case.name).map(|(_, r)| *r).unwrap_or("?");
                println!("  rfc7208 changed {}: {:?} -> {:?}: {reason}", case.name, case.results, now.results);
            }
        }
    }
    changed.sort();
    let mut listed: Vec<String> = CHANGED_BY_RFC7208.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(changed, listed, "CHANGED_BY_RFC7208 must list exactly the cases whose expected result changed");
}
