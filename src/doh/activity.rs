//! When the page's DNS traffic last moved: a query sent or an answer read.
//!
//! The report renders answers in batches (`ui::app`'s `AnswerBatch`), and a
//! render holds the main thread for a few milliseconds. During a burst of DoH
//! answers that would delay the queries those answers lead to, and those
//! queries are the report's critical path. So a batch waits until the traffic
//! has been quiet for a moment ([`quiet_ms`]): just after a round's answers
//! were handled and its next queries sent, when no answer is due for about a
//! round trip. The client calls [`touch`] as each query leaves and as each
//! answer is read.

use std::cell::Cell;

thread_local! {
    static LAST: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
}

/// Traffic just moved.
pub fn touch() {
    if let Some(now) = now() {
        LAST.with(|last| last.set(now));
    }
}

/// Milliseconds since the last [`touch`] (infinite before the first, and
/// natively, where there is no traffic to watch).
pub fn quiet_ms() -> f64 {
    now().map_or(f64::INFINITY, |now| now - LAST.with(Cell::get))
}

/// The page's clock in ms (`performance.now()`).
fn now() -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.performance()).map(|p| p.now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}
