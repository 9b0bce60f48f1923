//! Turns a DNS query into what the fixture sends back: a DNS answer from the
//! zone data (via maildoctor's MemoryResolver, so the semantics are the same
//! as in native tests) or an injected fault. A name's `EDE` and `AD` zone lines
//! travel with every DNS message sent for it: the EDEs in an OPT record, AD as the bit.

use std::future::Future;
use std::pin::pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

use maildoctor_core::dns::wire::{self, Question, ResponseOptions};
use maildoctor_core::dns::zone::{Fault, Zone};
use maildoctor_core::dns::{normalize_name, Failure, Lookup, MemoryResolver, Outcome, Resolver};

/// What to do for one query.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// Send this DNS message with `Content-Type: <content_type>`.
    Message { body: Vec<u8>, content_type: &'static str },
    /// HTTP 500.
    Http500,
    /// HTTP 429 with `Retry-After: <seconds>`.
    Http429 { retry_after: u32 },
    /// Say nothing: hold the connection open until the client gives up (bounded).
    Silence,
}

pub const DNS_MESSAGE: &str = "application/dns-message";

pub struct Answerer {
    /// Behind a mutex because its query log is a RefCell; lookups are instant.
    resolver: Mutex<MemoryResolver>,
    /// Per-name faults, names normalized.
    faults: Vec<(String, Fault)>,
}

impl Answerer {
    /// Faults apply to the queried name and are injected here, at the HTTP or
    /// message level. The resolver gets them as harmless `Latency(0)` entries:
    /// a name with only a FAULT line still exists (NODATA, not NXDOMAIN), and
    /// the body sent with `content-type`/`truncated`/`malformed` is the name's
    /// real answer rather than the resolver's own simulation of the fault.
    pub fn new(zone: Zone) -> Answerer {
        let faults = zone.faults.clone();
        let neutral = zone.faults.iter().map(|(name, _)| (name.clone(), Fault::Latency(0))).collect();
        let resolver = MemoryResolver::from_zone(Zone { faults: neutral, ..zone });
        Answerer { resolver: Mutex::new(resolver), faults }
    }

    /// The zone's `FAULT latency=MS` delay for this name (the sum, if several), in ms.
    pub fn latency_ms(&self, qname: &str) -> u64 {
        let key = normalize_name(qname);
        self.faults
            .iter()
            .filter(|(n, _)| *n == key)
            .map(|(_, f)| if let Fault::Latency(ms) = f { u64::from(*ms) } else { 0 })
            .sum()
    }

    /// The first non-latency fault the zone sets for this name.
    pub fn fault_for(&self, qname: &str) -> Option<Fault> {
        let key = normalize_name(qname);
        self.faults.iter().find(|(n, f)| *n == key && !matches!(f, Fault::Latency(_))).map(|(_, f)| *f)
    }

    /// The reply to `question`, with `fault` (global from the URL, or the name's own) applied.
    pub fn reply(&self, question: &Question, fault: Option<Fault>) -> Reply {
        let lookup = self.resolve(question);
        // The name's EDEs go with every message; AD only with its real answer.
        let failure = ResponseOptions { extended_errors: lookup.extended_errors.clone(), ..Default::default() };
        let answer = ResponseOptions { authenticated: lookup.authenticated, ..failure.clone() };
        let message = |outcome: &Outcome, options: ResponseOptions| -> Vec<u8> {
            wire::encode_response(question, outcome, options).unwrap_or_else(|_| {
                // Zone data that cannot be encoded (e.g. an over-long TXT string): SERVFAIL,
                // as a real server would. That one always encodes; if not, say nothing.
                wire::encode_response(question, &Outcome::Failed(Failure::ServFail), ResponseOptions::default())
                    .unwrap_or_default()
            })
        };
        let dns = |body: Vec<u8>| Reply::Message { body, content_type: DNS_MESSAGE };
        match fault {
            Some(Fault::Timeout) => Reply::Silence,
            Some(Fault::Http500) => Reply::Http500,
            Some(Fault::Http429) => Reply::Http429 { retry_after: 2 },
            Some(Fault::ServFail) => dns(message(&Outcome::Failed(Failure::ServFail), failure)),
            Some(Fault::Refused) => dns(message(&Outcome::Failed(Failure::Refused), failure)),
            Some(Fault::Truncated) => {
                let options = ResponseOptions { truncated: true, ..answer };
                dns(message(&lookup.outcome, options))
            }
            Some(Fault::Malformed) => {
                // A real answer cut short: the header promises more than the body holds.
                let mut body = message(&lookup.outcome, answer);
                body.truncate(body.len().saturating_sub(3));
                dns(body)
            }
            Some(Fault::WrongContentType) => {
                Reply::Message { body: message(&lookup.outcome, answer), content_type: "text/html; charset=utf-8" }
            }
            // A bogus zone: SERVFAIL (with the name's EDEs), unless the query set CD.
            Some(Fault::Bogus) if question.checking_disabled => {
                dns(message(&lookup.outcome, ResponseOptions::default()))
            }
            Some(Fault::Bogus) => dns(message(&Outcome::Failed(Failure::ServFail), failure)),
            Some(Fault::Latency(_)) | None => dns(message(&lookup.outcome, answer)),
        }
    }

    fn resolve(&self, question: &Question) -> Lookup {
        let resolver = match self.resolver.lock() {
            Ok(r) => r,
            Err(poisoned) => poisoned.into_inner(),
        };
        // MemoryResolver never waits, so one poll finishes the lookup.
        poll_once(resolver.lookup(&question.name, question.rtype))
            .unwrap_or_else(|| Lookup::new(&question.name, question.rtype, Outcome::Failed(Failure::ServFail)))
    }
}

fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let future = pin!(future);
    match future.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use maildoctor_core::dns::wire::{decode_query, decode_response, encode_query, encode_query_checking_disabled};
    use maildoctor_core::dns::RecordType;

    fn answerer() -> Answerer {
        Answerer::new(
            Zone::parse(
                "example.com MX 10 mx.example.com\n\
                 mx.example.com A 192.0.2.1\n\
                 slow.example.com A 192.0.2.2\n\
                 slow.example.com FAULT latency=40\n\
                 slow.example.com FAULT latency=2\n\
                 bad.example.com FAULT servfail\n",
            )
            .unwrap(),
        )
    }

    fn ask(a: &Answerer, name: &str, rtype: RecordType, fault: Option<Fault>) -> (Reply, Option<Outcome>) {
        let q = decode_query(&encode_query(name, rtype).unwrap()).unwrap();
        let reply = a.reply(&q, fault);
        let outcome = match &reply {
            Reply::Message { body, .. } => Some(decode_response(body, name, rtype).outcome),
            _ => None,
        };
        (reply, outcome)
    }

    #[test]
    fn answers_like_the_memory_resolver() {
        let a = answerer();
        assert!(
            matches!(ask(&a, "example.com", RecordType::Mx, None).1, Some(Outcome::Records(ref r)) if r.len() == 1)
        );
        assert_eq!(ask(&a, "example.com", RecordType::A, None).1, Some(Outcome::NoData(vec![])));
        assert_eq!(ask(&a, "nope.example.com", RecordType::A, None).1, Some(Outcome::NxDomain));
    }

    #[test]
    fn faults() {
        let a = answerer();
        assert_eq!(a.fault_for("BAD.example.com."), Some(Fault::ServFail));
        assert_eq!(a.fault_for("slow.example.com"), None);
        assert_eq!(a.latency_ms("slow.example.com"), 42);
        // The resolver itself does not simulate faults: a FAULT-only name exists, with no records.
        assert_eq!(ask(&a, "bad.example.com", RecordType::A, None).1, Some(Outcome::NoData(vec![])));
        let name = "example.com";
        let f = |fault| ask(&a, name, RecordType::Mx, Some(fault));
        assert_eq!(f(Fault::Timeout).0, Reply::Silence);
        assert_eq!(f(Fault::Http500).0, Reply::Http500);
        assert_eq!(f(Fault::Http429).0, Reply::Http429 { retry_after: 2 });
        assert_eq!(f(Fault::ServFail).1, Some(Outcome::Failed(Failure::ServFail)));
        assert_eq!(f(Fault::Refused).1, Some(Outcome::Failed(Failure::Refused)));
        assert!(matches!(f(Fault::Truncated).1, Some(Outcome::Failed(Failure::Malformed(ref w))) if w.contains("TC")));
        assert!(matches!(f(Fault::Malformed).1, Some(Outcome::Failed(Failure::Malformed(_)))));
        let (reply, outcome) = f(Fault::WrongContentType);
        assert!(matches!(reply, Reply::Message { content_type, .. } if content_type.starts_with("text/html")));
        assert!(matches!(outcome, Some(Outcome::Records(_))), "the body itself is a good answer");
    }

    #[test]
    fn ede_and_ad_travel_with_the_name() {
        let a = Answerer::new(
            Zone::parse(
                "down.example FAULT servfail\n\
                 down.example EDE 22 \"no reachable authority\"\n\
                 signed.example A 192.0.2.1\n\
                 signed.example AD\n",
            )
            .unwrap(),
        );
        let ask_lookup = |name: &str| {
            let q = decode_query(&encode_query(name, RecordType::A).unwrap()).unwrap();
            match a.reply(&q, a.fault_for(name)) {
                Reply::Message { body, .. } => decode_response(&body, name, RecordType::A),
                other => panic!("{other:?}"),
            }
        };
        let down = ask_lookup("down.example");
        assert_eq!(down.outcome, Outcome::Failed(Failure::ServFail));
        assert!(!down.authenticated);
        assert_eq!(
            down.couldnt_ask().as_deref(),
            Some("couldn't ask — the resolver says: No Reachable Authority (22): no reachable authority")
        );
        let signed = ask_lookup("signed.example");
        assert!(signed.authenticated && matches!(signed.outcome, Outcome::Records(_)));
        assert!(signed.extended_errors.is_empty());
        assert!(!ask_lookup("other.example").authenticated);
    }

    /// The fixture answers from MemoryResolver, so RFC 4592 wildcards and CNAME
    /// chains come out on the wire as a recursive resolver sends them: the
    /// synthesised records owned by the asked name, the chain before the target's records.
    #[test]
    fn wildcards_and_cname_chains_on_the_wire() {
        let a = Answerer::new(
            Zone::parse(
                "*._report._dmarc.reports.example TXT \"v=DMARC1\"\n\
                 www.example CNAME x.cdn.example\n\
                 *.cdn.example CNAME edge.example\n\
                 edge.example A 192.0.2.9\n",
            )
            .unwrap(),
        );
        let (_, txt) = ask(&a, "shop.example._report._dmarc.reports.example", RecordType::Txt, None);
        let Some(Outcome::Records(txt)) = txt else { panic!("{txt:?}") };
        assert_eq!(txt[0].name, "shop.example._report._dmarc.reports.example");
        let (_, chain) = ask(&a, "www.example", RecordType::A, None);
        let Some(Outcome::Records(chain)) = chain else { panic!("{chain:?}") };
        let owners: Vec<&str> = chain.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(owners, ["www.example", "x.cdn.example", "edge.example"]);
        assert_eq!(ask(&a, "_report._dmarc.reports.example", RecordType::Txt, None).1, Some(Outcome::NoData(vec![])));
    }

    #[test]
    fn a_bogus_name_answers_only_with_checking_disabled() {
        let a = Answerer::new(
            Zone::parse(
                "bogus.example A 192.0.2.1
bogus.example FAULT bogus
bogus.example EDE 6 \"\"\n",
            )
            .unwrap(),
        );
        let ask_with = |query: Vec<u8>| {
            let q = decode_query(&query).unwrap();
            match a.reply(&q, a.fault_for("bogus.example")) {
                Reply::Message { body, .. } => decode_response(&body, "bogus.example", RecordType::A),
                other => panic!("{other:?}"),
            }
        };
        let validated = ask_with(encode_query("bogus.example", RecordType::A).unwrap());
        assert_eq!(validated.outcome, Outcome::Failed(Failure::ServFail));
        assert_eq!(validated.extended_errors.first().map(|e| e.code), Some(6));
        let unchecked = ask_with(encode_query_checking_disabled("bogus.example", RecordType::A).unwrap());
        assert!(matches!(unchecked.outcome, Outcome::Records(ref r) if r.len() == 1), "{unchecked:?}");
        assert!(!unchecked.authenticated && unchecked.extended_errors.is_empty());
    }
}
