//! The RFC 9989 DNS tree walk against OpenDMARC's tree-walk fixture zone
//! (shared/conformance/opendmarc-dmarc-treewalk, BIND syntax, relative
//! names). The zone's README states the expected organizational domain per
//! scenario in prose; they are encoded below as cases.

use std::cell::Cell;
use std::collections::HashSet;

use futures::executor::block_on;
use maildoctor_core::dmarc::{check_dmarc, discover, OrgRule, Policy, PolicySource, StepFound, MAX_WALK_QUERIES};
use maildoctor_core::dns::{Lookup, MemoryResolver, Outcome, RData, Record, RecordType, Resolver};

const FIXTURE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/conformance/opendmarc-dmarc-treewalk/test-dns.zone.inc");

/// Two labels, so that the fixture's 10-label name (d6…eightlabel.dmarcwalk) has 10 labels.
const ORIGIN: &str = "example.com";

// ---------------------------------------------------------------------------
// A small BIND master-file loader: $ORIGIN (absolute or relative), "@",
// relative owner and target names, optional TTL and class, blank owner =
// previous owner, quoted TXT strings, ";" comments. Enough for this zone.

fn tokens(line: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c == ';' {
            break;
        }
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let quoted = c == '"';
        if quoted {
            chars.next();
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if quoted && c == '"' {
                chars.next();
                break;
            }
            if !quoted && (c.is_whitespace() || c == ';') {
                break;
            }
            chars.next();
            if c == '\\' {
                if let Some(e) = chars.next() {
                    word.push(e);
                }
                continue;
            }
            word.push(c);
        }
        out.push((word, quoted));
    }
    out
}

fn absolute(name: &str, origin: &str) -> String {
    if name == "@" {
        origin.to_string()
    } else if let Some(abs) = name.strip_suffix('.') {
        abs.to_string()
    } else {
        format!("{name}.{origin}")
    }
}

fn load_bind(text: &str, origin: &str) -> Vec<Record> {
    let mut origin = origin.to_string();
    let mut last_owner = origin.clone();
    let mut records = Vec::new();
    for line in text.lines() {
        let toks = tokens(line);
        let Some((first, _)) = toks.first() else { continue };
        if first.eq_ignore_ascii_case("$ORIGIN") {
            origin = absolute(&toks[1].0, &origin);
            continue;
        }
        let mut rest = toks.iter().map(|(t, q)| (t.as_str(), *q)).peekable();
        let owner = if line.starts_with(char::is_whitespace) {
            last_owner.clone()
        } else {
            absolute(rest.next().unwrap().0, &origin)
        };
        last_owner = owner.clone();
        let mut ttl = 300;
        while let Some(&(t, _)) = rest.peek() {
            if t.bytes().all(|b| b.is_ascii_digit()) {
                ttl = t.parse().unwrap();
            } else if !t.eq_ignore_ascii_case("IN") {
                break;
            }
            rest.next();
        }
        let rtype = rest.next().unwrap().0.to_ascii_uppercase();
        let args: Vec<&str> = rest.map(|(t, _)| t).collect();
        let data = match rtype.as_str() {
            "A" => RData::A(args[0].parse().unwrap()),
            "AAAA" => RData::Aaaa(args[0].parse().unwrap()),
            "MX" => RData::Mx { preference: args[0].parse().unwrap(), exchange: absolute(args[1], &origin) },
            "TXT" => RData::Txt(args.iter().map(|s| s.as_bytes().to_vec()).collect()),
            "CNAME" => RData::Cname(absolute(args[0], &origin)),
            other => panic!("loader does not know record type {other} in line {line:?}"),
        };
        records.push(Record { name: owner, ttl, data });
    }
    records
}

// ---------------------------------------------------------------------------
// A resolver with RFC 4592 wildcards (MemoryResolver has none) that counts
// the tree-walk questions (`_dmarc.` TXT) asked of it. The author domain's
// MX question, asked alongside the first round to tell sp from np, is not a
// walk query (and in the page the MX check asks it anyway).

struct Zone {
    inner: MemoryResolver,
    wildcards: HashSet<String>,
    asked: Cell<usize>,
}

impl Zone {
    fn new(records: Vec<Record>) -> Zone {
        let mut inner = MemoryResolver::new();
        let mut wildcards = HashSet::new();
        for r in records {
            if let Some(parent) = r.name.strip_prefix("*.") {
                wildcards.insert(parent.to_ascii_lowercase());
            }
            inner.add(&r.name, r.ttl, r.data);
        }
        Zone { inner, wildcards, asked: Cell::new(0) }
    }

    fn fixture() -> Zone {
        let text =
            std::fs::read_to_string(FIXTURE).unwrap_or_else(|e| panic!("conformance data missing at {FIXTURE}: {e}"));
        Zone::new(load_bind(&text, ORIGIN))
    }
}

impl Resolver for Zone {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        if name.starts_with("_dmarc.") {
            self.asked.set(self.asked.get() + 1);
        }
        let direct = self.inner.lookup(name, rtype).await;
        if direct.outcome != Outcome::NxDomain {
            return direct;
        }
        // RFC 4592 §3.3.1: the closest existing ancestor's "*" child answers, with the owner rewritten.
        let lower = name.to_ascii_lowercase();
        let mut labels: Vec<&str> = lower.split('.').collect();
        while labels.len() > 1 {
            labels.remove(0);
            let ancestor = labels.join(".");
            if self.wildcards.contains(&ancestor) {
                let mut l = self.inner.lookup(&format!("*.{ancestor}"), rtype).await;
                if let Outcome::Records(rs) | Outcome::NoData(rs) = &mut l.outcome {
                    for r in rs {
                        r.name = name.to_string();
                    }
                }
                l.name = name.to_string();
                return l;
            }
            if self.inner.lookup(&ancestor, RecordType::Txt).await.outcome != Outcome::NxDomain {
                break; // the closest encloser exists and has no wildcard
            }
        }
        direct
    }
}

// ---------------------------------------------------------------------------

fn at(name: &str) -> String {
    if name.is_empty() {
        ORIGIN.to_string()
    } else {
        format!("{name}.{ORIGIN}")
    }
}

struct Case {
    query: &'static str,
    /// Expected organizational domain (RFC 9989 mode, from the fixture's README/comments).
    org: &'static str,
    /// Where the applicable record is, and its role (RFC 9989 §4.10.1).
    policy_at: Option<(&'static str, PolicySource)>,
    applied: Option<Policy>,
    /// The domains queried (without "_dmarc."), in order.
    walk: &'static [&'static str],
}

#[test]
fn fixture_scenarios() {
    use PolicySource::*;
    let cases = [
        // Own record: it applies; the walk continues only to settle the org domain,
        // and stops at the psd=y apex: org = one label below it = the domain itself.
        Case {
            query: "direct.dmarcwalk",
            org: "direct.dmarcwalk",
            policy_at: Some(("direct.dmarcwalk", AuthorDomain)),
            applied: Some(Policy::Reject),
            walk: &["direct.dmarcwalk", "dmarcwalk"],
        },
        // No psd on nopsd: keep walking; the apex's psd=y makes nopsd (one below) the org domain.
        Case {
            query: "sub.nopsd.dmarcwalk",
            org: "nopsd.dmarcwalk",
            policy_at: Some(("nopsd.dmarcwalk", OrganizationalDomain)),
            applied: Some(Policy::Quarantine),
            walk: &["sub.nopsd.dmarcwalk", "nopsd.dmarcwalk", "dmarcwalk"],
        },
        // RFC 9989 §4.10 step 6: psd=n stops the walk on its first hit.
        Case {
            query: "sub.psdn.dmarcwalk",
            org: "psdn.dmarcwalk",
            policy_at: Some(("psdn.dmarcwalk", OrganizationalDomain)),
            applied: Some(Policy::Reject),
            walk: &["sub.psdn.dmarcwalk", "psdn.dmarcwalk"],
        },
        // §4.10.2 rule 2: psd=y at psdy → org is mid.psdy (no record there), so the
        // PSD's record applies (RFC 7489 would have said psdy: the divergence case).
        Case {
            query: "leaf.mid.psdy.dmarcwalk",
            org: "mid.psdy.dmarcwalk",
            policy_at: Some(("psdy.dmarcwalk", PublicSuffixDomain)),
            applied: Some(Policy::None),
            walk: &["leaf.mid.psdy.dmarcwalk", "mid.psdy.dmarcwalk", "psdy.dmarcwalk"],
        },
        // §4.10 step 4: 10 labels → the second query is already at 7 labels, where the record is.
        Case {
            query: "d6.d5.d4.d3.d2.d1.eightlabel.dmarcwalk",
            org: "d3.d2.d1.eightlabel.dmarcwalk",
            policy_at: Some(("d3.d2.d1.eightlabel.dmarcwalk", OrganizationalDomain)),
            applied: Some(Policy::Reject),
            walk: &["d6.d5.d4.d3.d2.d1.eightlabel.dmarcwalk", "d3.d2.d1.eightlabel.dmarcwalk"],
        },
        // §4.10 step 2: two records at one name are both discarded; the walk goes on, and the
        // apex's psd=y makes multirecord itself the org domain (RFC 7489 would say dmarcwalk).
        Case {
            query: "multirecord.dmarcwalk",
            org: "multirecord.dmarcwalk",
            policy_at: Some(("dmarcwalk", PublicSuffixDomain)),
            applied: Some(Policy::Reject),
            walk: &["multirecord.dmarcwalk", "dmarcwalk"],
        },
        // Apex records: the bare domain's own p=none; no psd anywhere, so the walk reaches the TLD.
        Case {
            query: "",
            org: "",
            policy_at: Some(("", AuthorDomain)),
            applied: Some(Policy::None),
            walk: &["", "com"],
        },
        // webhost exists but has no _dmarc: the org domain's record applies (sp defaults to p).
        Case {
            query: "webhost",
            org: "",
            policy_at: Some(("", OrganizationalDomain)),
            applied: Some(Policy::None),
            walk: &["webhost", "", "com"],
        },
    ];

    for case in cases {
        let zone = Zone::fixture();
        let query = at(case.query);
        let report = block_on(check_dmarc(&zone, &query));
        let d = &report.discovery;
        let walked: Vec<&str> = d.steps.iter().map(|s| s.domain.as_str()).collect();
        let want_walk: Vec<String> =
            case.walk.iter().map(|w| if *w == "com" { "com".to_string() } else { at(w) }).collect();
        assert_eq!(walked, want_walk, "{query}: walk");
        assert_eq!(report.org_domain.as_deref(), Some(at(case.org).as_str()), "{query}: org domain\n{}", report.why);
        let got_policy = report.found_at.clone().zip(report.policy_source);
        assert_eq!(got_policy, case.policy_at.map(|(n, s)| (at(n), s)), "{query}: policy\n{}", report.why);
        assert_eq!(report.applied_policy, case.applied, "{query}: applied policy");
        assert!(zone.asked.get() <= MAX_WALK_QUERIES, "{query}: {} queries", zone.asked.get());
        // Every step of the walk is in the report's evidence (a speculative query past the stop is not a step),
        // and for an inherited record the MX answer that decides sp or np (RFC 9989 §4.10.1).
        let inherited = matches!(case.policy_at, Some((_, OrganizationalDomain | PublicSuffixDomain)));
        assert_eq!(report.lookups.len(), walked.len() + usize::from(inherited), "{query}: every step is reported");
        assert!(zone.asked.get() <= walked.len() + 1, "{query}: at most one query past the stop");
        assert!(!report.why.is_empty());
    }
}

#[test]
fn multiple_records_are_discarded_and_said_so() {
    let zone = Zone::fixture();
    let report = block_on(check_dmarc(&zone, &at("multirecord.dmarcwalk")));
    let step = &report.discovery.steps[0];
    assert!(matches!(&step.found, StepFound::Multiple(t) if t.len() == 2));
    let f = report.findings.iter().find(|f| f.code == "dmarc.multiple").expect("dmarc.multiple");
    assert_eq!(f.severity, maildoctor_core::finding::Severity::Error);
    assert_eq!(f.evidence[0].records.len(), 2);
    assert!(report.why.contains("more than one DMARC record"), "{}", report.why);
    // The PSD's record applies instead, and that is said too.
    assert!(report.findings.iter().any(|f| f.code == "dmarc.inherited"));
}

#[test]
fn org_rules_are_named() {
    let zone = Zone::fixture();
    let d = block_on(discover(&zone, &at("leaf.mid.psdy.dmarcwalk")));
    assert_eq!(d.org_rule, OrgRule::PsdYes { public_suffix_domain: at("psdy.dmarcwalk") });
    let d = block_on(discover(&zone, &at("sub.psdn.dmarcwalk")));
    assert_eq!(d.org_rule, OrgRule::PsdNo);
    let d = block_on(discover(&zone, &at("webhost")));
    assert_eq!(d.org_rule, OrgRule::FewestLabels);
}

#[test]
fn the_eight_label_shortcut_makes_the_record_the_second_query() {
    let zone = Zone::fixture();
    let _ = block_on(discover(&zone, &at("d6.d5.d4.d3.d2.d1.eightlabel.dmarcwalk")));
    // The 10-label name, then straight to 7 labels — not d5…, d4… as RFC 7489's walk would.
    assert_eq!(zone.asked.get(), 2);
}

#[test]
fn wildcard_report_authorization_counts() {
    // Our own zone beside the fixture: a domain that sends reports to the fixture's
    // origin, which authorizes everyone with "*._report._dmarc".
    let mut records = load_bind(&std::fs::read_to_string(FIXTURE).expect("conformance data"), ORIGIN);
    records.extend(load_bind(
        "_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:agg@example.com,mailto:x@nobody.test; ruf=mailto:f@sender.test\"\n\
         nobody.test. IN A 81.2.69.170\n",
        "sender.test",
    ));
    let zone = Zone::new(records);
    let report = block_on(check_dmarc(&zone, "sender.test"));
    let by_domain: Vec<(&str, Option<bool>)> =
        report.external.iter().map(|e| (e.domain.as_str(), e.authorized)).collect();
    // ruf at sender.test itself is internal and not queried.
    assert_eq!(by_domain, [("example.com", Some(true)), ("nobody.test", Some(false))]);
    assert_eq!(report.external[0].lookup.name, "sender.test._report._dmarc.example.com");
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.contains(&"dmarc.external-authorized"), "{codes:?}");
    assert!(codes.contains(&"dmarc.external-unauthorized"), "{codes:?}");
    assert!(codes.contains(&"dmarc.ok"), "{codes:?}");
}

#[test]
fn loader_reads_the_whole_fixture() {
    let records = load_bind(&std::fs::read_to_string(FIXTURE).expect("conformance data"), ORIGIN);
    let txt_at = |name: &str| records.iter().filter(|r| r.name == name && matches!(r.data, RData::Txt(_))).count();
    assert_eq!(txt_at("_dmarc.example.com"), 1);
    assert_eq!(txt_at("*._report._dmarc.example.com"), 1);
    assert_eq!(txt_at("_dmarc.multirecord.dmarcwalk.example.com"), 2);
    assert_eq!(txt_at("_dmarc.d3.d2.d1.eightlabel.dmarcwalk.example.com"), 1);
    assert!(records.iter().any(|r| r.name == "example.com"
        && r.data == RData::Mx { preference: 10, exchange: "mailserver01.example.com".into() }));
    assert_eq!(records.len(), 16);
}
