//! MX check against zone data: one case per situation the issue lists.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::executor::block_on;
use maildoctor_core::dns::{Lookup, MemoryResolver, RecordType, Resolver};
use maildoctor_core::finding::Severity;
use maildoctor_core::mx::{check_mx, MxRecord};

/// Public-looking addresses (not in any RFC 6890 special range).
const ZONE: &str = "
good.test        MX 10 mx1.good.test
good.test        MX 20 mx2.good.test
mx1.good.test    A 81.2.69.160
mx1.good.test    AAAA 2a02:898:0:20::1
mx2.good.test    A 81.2.69.161

one.test         MX 10 mx.one.test
mx.one.test      A 81.2.69.162

implicit.test    A 81.2.69.163
implicit.test    AAAA 2a02:898:0:20::2

textonly.test    TXT \"v=spf1 -all\"

null.test        MX 0 .
nullmixed.test   MX 0 .
nullmixed.test   MX 10 mx.one.test

alias.test       MX 10 mail.alias.test
mail.alias.test  CNAME real.alias.test
real.alias.test  A 81.2.69.164

literal.test     MX 10 81.2.69.165
literal.test     MX 20 mx.one.test

gone.test        MX 10 nowhere.gone.test
gone.test        MX 20 mx.one.test

noaddr.test      MX 10 mx.noaddr.test
mx.noaddr.test   TXT \"no address here\"

private.test     MX 10 mx.private.test
mx.private.test  A 10.0.0.25

halfprivate.test MX 10 mx.halfprivate.test
mx.halfprivate.test A 192.168.1.25
mx.halfprivate.test A 81.2.69.166

dup.test         MX 10 mx.one.test
dup.test         MX 20 MX.ONE.TEST.

broken.test      MX 10 mx.broken.test
mx.broken.test   FAULT servfail

implicitpriv.test A 192.168.7.7

servfail.test    FAULT servfail
timeout.test     FAULT timeout
";

fn resolver() -> MemoryResolver {
    MemoryResolver::from_zone_text(ZONE).unwrap()
}

fn codes(domain: &str) -> Vec<(&'static str, Severity)> {
    let report = block_on(check_mx(&resolver(), domain));
    let mut c: Vec<(&'static str, Severity)> = report.findings.iter().map(|f| (f.code.as_str(), f.severity)).collect();
    c.sort();
    c
}

#[test]
fn findings_per_situation() {
    use Severity::*;
    let cases: Vec<(&str, Vec<(&str, Severity)>)> = vec![
        ("good.test", vec![("mx.ok", Ok)]),
        // A single host works but has no redundancy.
        ("one.test", vec![("mx.ok", Ok), ("mx.single", Info)]),
        // RFC 5321 §5.1: no MX → implicit MX from A/AAAA.
        ("implicit.test", vec![("mx.none-implicit", Warning)]),
        ("implicitpriv.test", vec![("mx.none-implicit", Warning), ("mx.target-private", Error)]),
        // No MX and no address: cannot receive mail.
        ("textonly.test", vec![("mx.none", Error)]),
        // RFC 7505 §3/§4: null MX, alone and mixed.
        ("null.test", vec![("mx.null", Warning)]),
        ("nullmixed.test", vec![("mx.null", Error)]),
        // RFC 2181 §10.3: MX target must not be an alias.
        ("alias.test", vec![("mx.ok", Ok), ("mx.single", Info), ("mx.target-cname", Warning)]),
        // RFC 5321 §5.1: the exchange is a name, not an address.
        ("literal.test", vec![("mx.ok", Ok), ("mx.single", Info), ("mx.target-ip-literal", Error)]),
        ("gone.test", vec![("mx.ok", Ok), ("mx.single", Info), ("mx.target-nxdomain", Error)]),
        ("noaddr.test", vec![("mx.no-usable-target", Error), ("mx.target-no-address", Error)]),
        ("private.test", vec![("mx.no-usable-target", Error), ("mx.target-private", Error)]),
        ("halfprivate.test", vec![("mx.ok", Ok), ("mx.single", Info), ("mx.target-private", Warning)]),
        ("dup.test", vec![("mx.duplicate", Info), ("mx.ok", Ok), ("mx.single", Info)]),
        ("broken.test", vec![("mx.no-usable-target", Error), ("mx.target-lookup-failed", Warning)]),
        ("nosuch.test", vec![("mx.nxdomain", Error)]),
        // SERVFAIL and timeout are "couldn't ask", never "no MX".
        ("servfail.test", vec![("mx.lookup-failed", Warning)]),
        ("timeout.test", vec![("mx.lookup-failed", Warning)]),
    ];
    for (domain, want) in cases {
        let mut want = want;
        want.sort();
        assert_eq!(codes(domain), want, "{domain}");
    }
}

#[test]
fn report_shape() {
    let r = resolver();
    let good = block_on(check_mx(&r, "Good.Test."));
    assert_eq!(good.domain, "good.test");
    assert!(!good.implicit && !good.null_mx);
    let names: Vec<&str> = good.hosts.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(names, ["mx1.good.test", "mx2.good.test"]);
    assert_eq!(good.hosts[0].preference, 10);
    assert_eq!(
        good.hosts[0].addresses,
        vec!["81.2.69.160".parse::<std::net::IpAddr>().unwrap(), "2a02:898:0:20::1".parse().unwrap()]
    );
    assert_eq!(good.hosts[0].lookups.len(), 2);

    let implicit = block_on(check_mx(&r, "implicit.test"));
    assert!(implicit.implicit);
    assert_eq!(implicit.hosts.len(), 1);
    assert_eq!(implicit.hosts[0].name, "implicit.test");
    assert_eq!(implicit.hosts[0].addresses.len(), 2);

    let null = block_on(check_mx(&r, "null.test"));
    assert!(null.null_mx);
    assert!(null.hosts.is_empty());

    // Duplicates are resolved once.
    let dup = block_on(check_mx(&r, "dup.test"));
    assert_eq!(dup.hosts.len(), 1);
}

#[test]
fn findings_carry_evidence_and_rfc() {
    let report = block_on(check_mx(&resolver(), "gone.test"));
    let f = report.findings.iter().find(|f| f.code == "mx.target-nxdomain").unwrap();
    assert_eq!(f.rfc.map(|r| r.to_string()).as_deref(), Some("RFC 5321 §5.1"));
    assert!(f.evidence.iter().any(|e| e.name == "nowhere.gone.test" && e.status.contains("NXDOMAIN")));
    assert!(f.message.contains("nowhere.gone.test"));

    let report = block_on(check_mx(&resolver(), "servfail.test"));
    let f = &report.findings[0];
    assert!(f.message.contains("SERVFAIL"), "{}", f.message);
    assert!(!f.message.contains("does not exist"));
    assert_eq!(f.evidence[0].rtype, RecordType::Mx);

    let report = block_on(check_mx(&resolver(), "alias.test"));
    let f = report.findings.iter().find(|f| f.code == "mx.target-cname").unwrap();
    assert!(f.message.contains("real.alias.test"));
    assert_eq!(f.rfc.map(|r| r.to_string()).as_deref(), Some("RFC 2181 §10.3"));
}

/// A resolver that makes every lookup wait one poll, and records how many
/// were in flight at once.
struct Gate {
    inner: MemoryResolver,
    in_flight: Cell<usize>,
    max: Cell<usize>,
}

struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl Resolver for Gate {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        self.in_flight.set(self.in_flight.get() + 1);
        self.max.set(self.max.get().max(self.in_flight.get()));
        YieldOnce(false).await;
        self.in_flight.set(self.in_flight.get() - 1);
        self.inner.lookup(name, rtype).await
    }
}

#[test]
fn target_addresses_are_resolved_concurrently() {
    let gate = Gate { inner: resolver(), in_flight: Cell::new(0), max: Cell::new(0) };
    let report = block_on(check_mx(&gate, "good.test"));
    assert_eq!(report.hosts.len(), 2);
    // MX first, then A+AAAA of both hosts together.
    assert_eq!(gate.max.get(), 4);
    assert_eq!(gate.inner.queries().len(), 5);
}

#[test]
fn mx_record_text_round_trips() {
    for text in ["10 mx.example.com.", "0 ."] {
        let m: MxRecord = text.parse().unwrap();
        assert_eq!(m.to_string(), text);
    }
    assert!("x y".parse::<MxRecord>().is_err());
}
