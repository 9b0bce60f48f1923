//! [`SharedResolver`]: asks each distinct question once.
//!
//! A report run fans out into many checks that ask overlapping questions
//! (the MX hosts' A records for the MX check and for PTR, the domain's TXT
//! for SPF and for the overview…). Wrapping the resolver in a
//! `SharedResolver` makes identical (name, type) questions that are in
//! flight at the same time share one query, and keeps every finished lookup
//! for the wrapper's lifetime, so one run sends each distinct question once
//! and every check sees the same answer (a failure too: "Ask again" makes a
//! new run, with a new wrapper).
//!
//! Keys are normalized (ASCII lower case, no trailing dot: RFC 4343 says DNS
//! names compare case-insensitively). The lookup handed back carries the
//! name as the caller spelled it.
//!
//! [`SharedLookups`] is the same for a resolver that lives for `'r` only: it
//! wraps a borrowed one too (`SharedLookups::new(&resolver)`, since `Resolver`
//! is implemented for `&R`), which is how one check shares answers between its
//! own steps. `SharedResolver<R>` is `SharedLookups<'static, R>`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};

use super::{normalize_name, Lookup, RecordType, Resolver};

type Key = (String, RecordType);
type SharedLookup<'r> = Shared<LocalBoxFuture<'r, Lookup>>;

/// How many lookups were asked of a [`SharedResolver`] and how many it passed on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueryStats {
    /// Calls to `lookup`.
    pub requested: usize,
    /// Queries actually sent to the wrapped resolver.
    pub issued: usize,
}

/// Wraps a resolver that lives for `'static` so that identical questions are asked once (see the module docs).
pub type SharedResolver<R> = SharedLookups<'static, R>;

/// Wraps a resolver that lives for `'r` so that identical questions are asked once (see the module docs).
pub struct SharedLookups<'r, R> {
    inner: Rc<R>,
    /// A list, not a hash map: a run asks about a hundred distinct questions,
    /// and a map type here added about 2 KB of hashing code to the wasm.
    entries: RefCell<Vec<(Key, SharedLookup<'r>)>>,
    requested: Cell<usize>,
    issued: Cell<usize>,
}

impl<'r, R: Resolver + 'r> SharedLookups<'r, R> {
    /// Shares in-flight questions and remembers every answer for the wrapper's
    /// lifetime (make one per report run). Failures are remembered too, so
    /// every check of a run sees the same outcome for the same question.
    pub fn new(inner: R) -> SharedLookups<'r, R> {
        SharedLookups {
            inner: Rc::new(inner),
            entries: RefCell::default(),
            requested: Cell::new(0),
            issued: Cell::new(0),
        }
    }

    pub fn inner(&self) -> &R {
        &self.inner
    }

    pub fn stats(&self) -> QueryStats {
        QueryStats { requested: self.requested.get(), issued: self.issued.get() }
    }

    fn entry(&self, name: &str, rtype: RecordType) -> SharedLookup<'r> {
        let key = (normalize_name(name), rtype);
        let mut entries = self.entries.borrow_mut();
        if let Some((_, shared)) = entries.iter().find(|(k, _)| *k == key) {
            return shared.clone();
        }
        self.issued.set(self.issued.get() + 1);
        let inner = Rc::clone(&self.inner);
        let name = name.to_string();
        let shared = async move { inner.lookup(&name, rtype).await }.boxed_local().shared();
        entries.push((key, shared.clone()));
        shared
    }
}

impl<'r, R: Resolver + 'r> Resolver for SharedLookups<'r, R> {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        self.requested.set(self.requested.get() + 1);
        let shared = self.entry(name, rtype);
        let mut lookup = shared.await;
        lookup.name = name.to_string();
        lookup
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::{MemoryResolver, Outcome};
    use futures::executor::block_on;
    use futures::future::join_all;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// Returns `Pending` this many times before finishing: keeps the wrapped lookup
    /// "in flight" until every caller of a `join_all` has polled at least once
    /// (each poll of any clone of the shared future advances it by one).
    struct Yield(u8);

    impl Future for Yield {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 == 0 {
                Poll::Ready(())
            } else {
                self.0 -= 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    /// A MemoryResolver whose answers take a few polls to arrive.
    struct Slow(MemoryResolver);

    impl Resolver for Slow {
        async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
            Yield(20).await;
            self.0.lookup(name, rtype).await
        }
    }

    fn zone() -> MemoryResolver {
        MemoryResolver::from_zone_text("example.com MX 10 mx.example.com\nmx.example.com A 192.0.2.1\n").unwrap()
    }

    const QUESTIONS: [(&str, RecordType); 6] = [
        ("example.com", RecordType::Mx),
        ("EXAMPLE.com.", RecordType::Mx),
        ("mx.example.com", RecordType::A),
        ("example.com", RecordType::Mx),
        ("mx.example.com", RecordType::Aaaa),
        ("Mx.Example.Com", RecordType::A),
    ];

    #[test]
    fn concurrent_identical_questions_are_issued_once() {
        let shared = SharedResolver::new(Slow(zone()));
        let lookups = block_on(join_all(QUESTIONS.iter().map(|(n, t)| shared.lookup(n, *t))));
        assert_eq!(shared.inner().0.queries().len(), 3, "{:?}", shared.inner().0.queries());
        assert_eq!(shared.stats(), QueryStats { requested: 6, issued: 3 });
        // Everyone gets the answer, under the name they asked with.
        assert_eq!(lookups[1].name, "EXAMPLE.com.");
        assert_eq!(lookups[1].outcome, lookups[0].outcome);
        assert!(matches!(lookups[5].outcome, Outcome::Records(_)));
        assert_eq!(lookups[4].outcome, Outcome::NoData(vec![]));
    }

    #[test]
    fn finished_lookups_are_remembered() {
        let shared = SharedResolver::new(zone());
        for (n, t) in QUESTIONS {
            block_on(shared.lookup(n, t));
        }
        assert_eq!(shared.inner().queries().len(), 3);
        assert_eq!(shared.stats(), QueryStats { requested: 6, issued: 3 });
    }

    #[test]
    fn wraps_a_borrowed_resolver() {
        let zone = zone();
        let shared = SharedLookups::new(&zone);
        for (n, t) in QUESTIONS {
            block_on(shared.lookup(n, t));
        }
        assert_eq!(zone.queries().len(), 3);
    }
}
