//! A per-check memo in front of a [`Resolver`], so the lint walk and the
//! check_host() evaluation of one report ask DNS each question once.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::dns::{normalize_name, Lookup, RecordType, Resolver};

pub struct CachedResolver<'a, R: Resolver> {
    inner: &'a R,
    answers: RefCell<HashMap<(String, RecordType), Lookup>>,
}

impl<'a, R: Resolver> CachedResolver<'a, R> {
    pub fn new(inner: &'a R) -> CachedResolver<'a, R> {
        CachedResolver { inner, answers: RefCell::new(HashMap::new()) }
    }
}

impl<R: Resolver> Resolver for CachedResolver<'_, R> {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let key = (normalize_name(name), rtype);
        if let Some(hit) = self.answers.borrow().get(&key) {
            return hit.clone();
        }
        // No borrow is held across the await: concurrent lookups may both miss, which only costs a query.
        let lookup = self.inner.lookup(name, rtype).await;
        self.answers.borrow_mut().insert(key, lookup.clone());
        lookup
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::MemoryResolver;
    use futures::executor::block_on;

    #[test]
    fn asks_each_question_once() {
        let zone = MemoryResolver::from_zone_text("example.com TXT \"v=spf1 -all\"\n").unwrap();
        let cached = CachedResolver::new(&zone);
        let a = block_on(cached.lookup("example.com", RecordType::Txt));
        let b = block_on(cached.lookup("EXAMPLE.com.", RecordType::Txt));
        block_on(cached.lookup("example.com", RecordType::A));
        assert_eq!(a, b);
        assert_eq!(zone.queries().len(), 2);
    }
}
