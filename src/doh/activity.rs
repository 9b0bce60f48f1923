//! The page's DNS traffic as it happens: when it last moved, what is in
//! flight, and so when the next answer is due.
//!
//! The report renders answers in batches (`ui::app`'s `AnswerBatch`), and a
//! render with its style, layout and paint holds the main thread for several
//! milliseconds. If an answer lands meanwhile, the queries it leads to leave
//! late, and those queries are the report's critical path. So a batch is
//! drawn when the traffic has settled ([`quiet_ms`]) and no answer is due for
//! a while ([`next_answer_in_ms`]): after a round's queries left, while their
//! answers are a round trip away. The client marks each query with a
//! [`Flight`] from the moment it leaves until its answer has been read.

use std::cell::RefCell;

struct Traffic {
    /// When the traffic last moved (a query sent, an answer read), in ms.
    last: Option<f64>,
    /// Send times of the queries in flight.
    in_flight: Vec<f64>,
    /// Round-trip time of the answers so far, smoothed.
    round_trip: Option<f64>,
}

thread_local! {
    // Const-initialized: no lazy-initialization code in the page.
    static TRAFFIC: RefCell<Traffic> = const { RefCell::new(Traffic { last: None, in_flight: Vec::new(), round_trip: None }) };
}

/// How much a new round trip moves the estimate (as TCP's SRTT, RFC 6298).
const SMOOTHING: f64 = 0.125;

/// A query in flight: made as it leaves, [`Flight::answered`] when its answer
/// has been read. Dropped unanswered (an error, a timeout, a run given up),
/// it still leaves the books.
pub struct Flight {
    sent: Option<f64>,
}

impl Flight {
    pub fn start() -> Flight {
        let sent = now();
        if let Some(at) = sent {
            TRAFFIC.with(|t| {
                let mut t = t.borrow_mut();
                t.last = Some(at);
                t.in_flight.push(at);
            });
        }
        Flight { sent }
    }

    /// The answer is in: its round trip joins the estimate.
    pub fn answered(mut self) {
        if let (Some(sent), Some(at)) = (self.sent.take(), now()) {
            TRAFFIC.with(|t| {
                let mut t = t.borrow_mut();
                t.last = Some(at);
                remove(&mut t.in_flight, sent);
                let sample = at - sent;
                t.round_trip = Some(t.round_trip.map_or(sample, |rtt| rtt + SMOOTHING * (sample - rtt)));
            });
        }
    }
}

impl Drop for Flight {
    fn drop(&mut self) {
        if let Some(sent) = self.sent.take() {
            TRAFFIC.with(|t| remove(&mut t.borrow_mut().in_flight, sent));
        }
    }
}

fn remove(in_flight: &mut Vec<f64>, sent: f64) {
    if let Some(i) = in_flight.iter().position(|&t| t == sent) {
        in_flight.swap_remove(i);
    }
}

/// Milliseconds since the traffic last moved (infinite before it ever did,
/// and natively, where there is no traffic to watch).
pub fn quiet_ms() -> f64 {
    match (now(), TRAFFIC.with(|t| t.borrow().last)) {
        (Some(now), Some(last)) => now - last,
        _ => f64::INFINITY,
    }
}

/// Milliseconds until the next answer is due: the earliest query in flight
/// plus the round-trip estimate. Infinite when nothing is in flight or there
/// is no estimate yet; a query already later than the estimate is left out
/// (it may come at any time, so no lull can be planned around it).
pub fn next_answer_in_ms() -> f64 {
    let Some(now) = now() else { return f64::INFINITY };
    TRAFFIC.with(|t| {
        let t = t.borrow();
        let Some(rtt) = t.round_trip else { return f64::INFINITY };
        t.in_flight.iter().map(|sent| sent + rtt - now).filter(|due| *due >= 0.0).fold(f64::INFINITY, f64::min)
    })
}

/// The page's clock in ms (`performance.now()`); `None` natively.
pub fn now() -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        // The global `performance.now` imported as it is: one call into the
        // browser, not three (`window`, its `performance`, `now`), twice a query.
        #[wasm_bindgen::prelude::wasm_bindgen]
        extern "C" {
            #[wasm_bindgen(js_namespace = performance, js_name = now)]
            fn performance_now() -> f64;
        }
        Some(performance_now())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        None
    }
}
