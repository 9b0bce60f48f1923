//! Measures the critical path of a check in DNS round trips.
//!
//! [`SteppedResolver`] holds every lookup until the driver releases a
//! "round"; [`run_in_rounds`] runs a future, releasing all waiting lookups
//! together whenever nothing else can make progress. The number of rounds is
//! the longest chain of dependent queries: with a resolver that answers every
//! query in `L` ms and perfect concurrency, a report cannot finish faster than
//! `rounds × L`. The benchmark compares the real browser time with that bound.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::executor::LocalPool;
use futures::task::LocalSpawnExt;

use super::{Lookup, RecordType, Resolver};

/// A question as it reached the wrapped resolver.
pub type Question = (String, RecordType);

struct Gate {
    question: Question,
    open: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// Wraps a resolver so that each lookup waits for the next round.
pub struct SteppedResolver<R> {
    inner: R,
    waiting: RefCell<Vec<Rc<Gate>>>,
}

impl<R: Resolver> SteppedResolver<R> {
    pub fn new(inner: R) -> SteppedResolver<R> {
        SteppedResolver { inner, waiting: RefCell::default() }
    }

    pub fn inner(&self) -> &R {
        &self.inner
    }

    /// Opens every gate waiting now; returns the questions released, in the order asked.
    fn release_round(&self) -> Vec<Question> {
        let gates: Vec<Rc<Gate>> = self.waiting.borrow_mut().drain(..).collect();
        for gate in &gates {
            gate.open.set(true);
            if let Some(w) = gate.waker.borrow_mut().take() {
                w.wake();
            }
        }
        gates.iter().map(|g| g.question.clone()).collect()
    }
}

struct GateFuture(Rc<Gate>);

impl Future for GateFuture {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0.open.get() {
            Poll::Ready(())
        } else {
            *self.0.waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl<R: Resolver> Resolver for SteppedResolver<R> {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let gate =
            Rc::new(Gate { question: (name.to_string(), rtype), open: Cell::new(false), waker: RefCell::default() });
        self.waiting.borrow_mut().push(gate.clone());
        GateFuture(gate).await;
        self.inner.lookup(name, rtype).await
    }
}

/// Runs `make(resolver)` to completion, one round of lookups at a time.
/// Returns the output and the questions of each round: their number is the
/// critical path in queries.
pub fn run_in_rounds<R, T, F, Fut>(resolver: Rc<SteppedResolver<R>>, make: F) -> (Option<T>, Vec<Vec<Question>>)
where
    R: Resolver + 'static,
    T: 'static,
    F: FnOnce(Rc<SteppedResolver<R>>) -> Fut,
    Fut: Future<Output = T> + 'static,
{
    let mut pool = LocalPool::new();
    let out: Rc<RefCell<Option<T>>> = Rc::default();
    let slot = out.clone();
    let fut = make(resolver.clone());
    if pool.spawner().spawn_local(async move { *slot.borrow_mut() = Some(fut.await) }).is_err() {
        return (None, Vec::new());
    }
    let mut rounds = Vec::new();
    loop {
        pool.run_until_stalled();
        if out.borrow().is_some() {
            break;
        }
        let round = resolver.release_round();
        if round.is_empty() {
            break; // stalled with nothing to release: the future waits on something else
        }
        rounds.push(round);
    }
    let result = out.borrow_mut().take();
    (result, rounds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::MemoryResolver;

    #[test]
    fn counts_dependent_rounds_not_queries() {
        let zone = MemoryResolver::from_zone_text("a.example MX 10 mx.a.example\nmx.a.example A 192.0.2.1\n").unwrap();
        let r = Rc::new(SteppedResolver::new(zone));
        let (out, rounds) = run_in_rounds(r.clone(), |r| async move {
            // Two independent lookups, then one that depends on the first: 2 rounds.
            let (mx, _txt) =
                futures::join!(r.lookup("a.example", RecordType::Mx), r.lookup("a.example", RecordType::Txt));
            for data in mx.data() {
                if let crate::dns::RData::Mx { exchange, .. } = data {
                    r.lookup(exchange, RecordType::A).await;
                }
            }
            3
        });
        assert_eq!(out, Some(3));
        let q = |n: &str, t| (n.to_string(), t);
        assert_eq!(
            rounds,
            vec![
                vec![q("a.example", RecordType::Mx), q("a.example", RecordType::Txt)],
                vec![q("mx.a.example", RecordType::A)]
            ]
        );
        assert_eq!(r.inner().queries().len(), 3);
    }
}
