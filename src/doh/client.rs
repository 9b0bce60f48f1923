//! [`DohClient`]: the [`Resolver`] the web page uses.

#[cfg(any(test, feature = "testkit"))]
use std::cell::RefCell;
use std::time::Duration;

#[cfg(any(test, feature = "testkit"))]
use super::attempt::Attempt;
use super::attempt::{pick_failure, worth_retrying, DohError};
use super::provider::Provider;
use maildoctor_core::dns::{wire, Failure, Lookup, Outcome, RecordType, Resolver};

/// Default per-attempt timeout. Public resolvers answer in well under a second;
/// a few seconds covers a slow authoritative server behind them.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// How many attempts [`DohClient::attempts`] keeps (oldest dropped first).
#[cfg(any(test, feature = "testkit"))]
const ATTEMPT_LOG_LIMIT: usize = 500;

/// A DNS-over-HTTPS client (RFC 8484 GET, wire format).
///
/// Each question goes to the primary provider; if that attempt times out,
/// fails at the HTTP/network level, returns something that is not a DNS
/// message, or says SERVFAIL, it is asked once more of the fallback
/// provider. `Lookup::answered_by` names the provider whose answer is
/// returned. Every lookup is sent: the page wraps the client in a
/// `SharedResolver` per run (`ui::Doh`), which sends identical questions once.
/// (The client had its own in-flight sharing layer too; the run's layer made
/// it redundant, and a second `SharedLookups` type cost about 2 KB gzip.)
///
/// A SERVFAIL that stands is asked once more, of the provider that gave it,
/// with checking disabled (CD): if that is answered, DNSSEC validation is what
/// failed, and the lookup says so (`Lookup::bogus`). Only then: every other
/// answer costs no extra query.
pub struct DohClient {
    primary: Provider,
    fallback: Option<Provider>,
    timeout: Duration,
    /// Test support: every exchange, for the tests to inspect. The page never
    /// reads it, so it is not kept there (a clone and a push per query, and
    /// 349 gzip bytes of page, measured with a release build).
    #[cfg(any(test, feature = "testkit"))]
    attempts: RefCell<Vec<Attempt>>,
}

impl DohClient {
    /// `fallback: None` disables the second try.
    pub fn new(primary: Provider, fallback: Option<Provider>, timeout: Duration) -> DohClient {
        DohClient {
            primary,
            fallback,
            timeout,
            #[cfg(any(test, feature = "testkit"))]
            attempts: RefCell::default(),
        }
    }

    /// `primary`, falling back to the other big provider, with the default timeout.
    pub fn with_primary(primary: Provider) -> DohClient {
        let fallback = primary.default_fallback();
        DohClient::new(primary, Some(fallback), DEFAULT_TIMEOUT)
    }

    pub fn primary(&self) -> &Provider {
        &self.primary
    }

    pub fn fallback(&self) -> Option<&Provider> {
        self.fallback.as_ref()
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Every exchange so far (the most recent [`ATTEMPT_LOG_LIMIT`]), oldest first.
    #[cfg(any(test, feature = "testkit"))]
    pub fn attempts(&self) -> Vec<Attempt> {
        self.attempts.borrow().clone()
    }
}

impl Default for DohClient {
    /// Cloudflare, falling back to Google, 5 s per attempt.
    fn default() -> DohClient {
        DohClient::with_primary(Provider::Cloudflare)
    }
}

impl Resolver for DohClient {
    async fn lookup(&self, name: &str, rtype: RecordType) -> Lookup {
        let query = match wire::encode_query(name, rtype) {
            Ok(q) => q,
            // Not a name DNS can carry: nothing to send. (Input checking should have caught it.)
            Err(e) => return Lookup::new(name, rtype, Outcome::Failed(Failure::Malformed(e.to_string()))),
        };
        let first = self.ask(&self.primary, &query, name, rtype).await;
        let Some(fallback) = self.fallback.as_ref().filter(|_| worth_retrying(&first.outcome)) else {
            return self.bogus_or_not(first, &self.primary).await;
        };
        let second = self.ask(fallback, &query, name, rtype).await;
        if !second.is_failure() {
            return second;
        }
        let chosen = pick_failure(first, second);
        let by = if chosen.answered_by.as_deref() == Some(fallback.name().as_str()) { fallback } else { &self.primary };
        self.bogus_or_not(chosen, by).await
    }
}

impl DohClient {
    /// A SERVFAIL from `provider`, asked again with CD: answered means bogus.
    async fn bogus_or_not(&self, mut lookup: Lookup, provider: &Provider) -> Lookup {
        if lookup.outcome != Outcome::Failed(Failure::ServFail) {
            return lookup;
        }
        let Ok(query) = wire::encode_query_checking_disabled(&lookup.name, lookup.rtype) else { return lookup };
        let unchecked = self.ask(provider, &query, &lookup.name, lookup.rtype).await;
        lookup.bogus = !unchecked.is_failure();
        lookup
    }
}

impl DohClient {
    async fn ask(&self, provider: &Provider, query: &[u8], name: &str, rtype: RecordType) -> Lookup {
        let result = match provider {
            Provider::Example => super::example::response(name, rtype)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| DohError::Network(format!("{name} ({rtype}) is not in the example data"))),
            _ => fetch::get(&provider.request_url(query), self.timeout).await,
        };
        let mut lookup = match &result {
            Ok(body) => wire::decode_response(body, name, rtype),
            Err(e) => Lookup::new(name, rtype, Outcome::Failed(e.to_failure())),
        };
        lookup.answered_by = Some(provider.name());
        #[cfg(any(test, feature = "testkit"))]
        self.log(Attempt {
            name: name.to_string(),
            rtype,
            provider: provider.name(),
            result: result.map(|_| lookup.outcome.clone()),
        });
        lookup
    }

    #[cfg(any(test, feature = "testkit"))]
    fn log(&self, attempt: Attempt) {
        let mut log = self.attempts.borrow_mut();
        if log.len() >= ATTEMPT_LOG_LIMIT {
            log.remove(0);
        }
        log.push(attempt);
    }
}

/// The HTTP GET. Browser only: natively there is no `fetch`, and calling
/// wasm-bindgen imports would panic, so it reports a network error instead.
mod fetch {
    use super::{DohError, Duration};

    // The global `fetch` (a window's or a worker's), resolving to a Response;
    // and `AbortSignal.timeout()`, which throws where it does not exist.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen::prelude::wasm_bindgen]
    extern "C" {
        fn fetch(url: &str, init: &web_sys::RequestInit) -> js_sys::Promise;
        #[wasm_bindgen(catch, js_namespace = AbortSignal, js_name = timeout)]
        fn abort_after(ms: u32) -> Result<web_sys::AbortSignal, wasm_bindgen::JsValue>;
        // A promise whose `then` takes any function, and `Promise.all`.
        type Then;
        #[wasm_bindgen(method, js_name = then)]
        fn then_call(this: &Then, f: &js_sys::Function) -> js_sys::Promise;
        #[wasm_bindgen(js_namespace = Promise, js_name = all)]
        fn all(promises: &js_sys::Array) -> js_sys::Promise;
    }

    /// `response => response.arrayBuffer()` with no closure into the wasm:
    /// `Function.prototype.call` bound to `Response.prototype.arrayBuffer`,
    /// made once. Chained to the `fetch` promise, it starts reading the body
    /// the moment the response is in, and the query costs the page one
    /// promise to await and one wake-up of the check, not two.
    #[cfg(target_arch = "wasm32")]
    fn read_body() -> Option<js_sys::Function> {
        use wasm_bindgen::JsCast;
        thread_local! {
            static READ: Option<js_sys::Function> = {
                let get = |target: &wasm_bindgen::JsValue, key: &str| js_sys::Reflect::get(target, &key.into()).ok();
                let response = get(&js_sys::global(), "Response");
                let array_buffer = response.and_then(|r| get(&r, "prototype")).and_then(|p| get(&p, "arrayBuffer"));
                array_buffer.and_then(|f| f.dyn_into::<js_sys::Function>().ok()).and_then(|array_buffer| {
                    let call = get(&array_buffer, "call")?.dyn_into::<js_sys::Function>().ok()?;
                    Some(call.bind0(&array_buffer))
                })
            };
        }
        READ.with(Clone::clone)
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub async fn get(_url: &str, _timeout: Duration) -> Result<Vec<u8>, DohError> {
        Err(DohError::Network("DNS-over-HTTPS needs a browser's fetch; none outside wasm".into()))
    }

    /// The options every query is fetched with, made once: `Accept:
    /// application/dns-message` (a CORS-safelisted header, so no preflight),
    /// past the HTTP cache, without credentials. `fetch` reads them when it is
    /// called, so the one object serves every request, with the signal of
    /// its batch (`outbox`) set just before. (Made per request, with a
    /// `Request` and an `AbortController` and a timer of its own, each query
    /// cost 13 calls into the browser more than it does now; 83 queries in a
    /// report.)
    #[cfg(target_arch = "wasm32")]
    fn options() -> web_sys::RequestInit {
        thread_local! {
            static OPTIONS: web_sys::RequestInit = {
                let init = web_sys::RequestInit::new();
                // No method set: GET is the default. A plain object as the headers.
                let headers = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&headers, &"Accept".into(), &super::super::attempt::DNS_MESSAGE.into());
                init.set_headers(&headers);
                // Every check asks afresh: the resolver's answer as it is now, not the
                // browser cache's copy of an earlier one (the resolver caches by TTL
                // itself). Skipping the HTTP cache also saves its work on every query.
                init.set_cache(web_sys::RequestCache::NoStore);
                // An anonymous question: no cookies or other credentials go to the resolver.
                init.set_credentials(web_sys::RequestCredentials::Omit);
                init
            };
        }
        OPTIONS.with(Clone::clone)
    }

    /// GET `url` with [`options`], aborted after `timeout`.
    ///
    /// Straight web-sys, not gloo-net: its request builder re-parses the URL to
    /// merge query parameters we do not use, and converts every JS error through
    /// its own error type; the page saved about 1 KB gzip without them.
    #[cfg(target_arch = "wasm32")]
    pub async fn get(url: &str, timeout: Duration) -> Result<Vec<u8>, DohError> {
        use wasm_bindgen::{JsCast, JsValue};
        use wasm_bindgen_futures::JsFuture;

        use super::super::attempt::check_response;

        // What `fetch` and `arrayBuffer()` reject with is an Error (a
        // TypeError, a DOMException): its `toString()`, "TypeError: …". The
        // signal of `AbortSignal.timeout` rejects with a TimeoutError.
        fn network(e: JsValue) -> DohError {
            let e = e.unchecked_into::<js_sys::Error>();
            if e.name() == "TimeoutError" {
                return DohError::Timeout;
            }
            DohError::Network(e.to_string().into())
        }

        let read = read_body().ok_or_else(|| DohError::Network("this browser has no Response.arrayBuffer".into()))?;
        let flight = super::super::activity::Flight::start();
        let millis = u32::try_from(timeout.as_millis()).unwrap_or(u32::MAX);
        let response = outbox::send(url, millis).await;
        let exchange = async {
            // The response and its body together: [Response, ArrayBuffer]. The
            // body is read whatever the status; the status and type are checked
            // before it is decoded.
            let body = response.unchecked_ref::<Then>().then_call(&read);
            let both: js_sys::Array =
                JsFuture::from(all(&js_sys::Array::of2(&response, &body))).await.map_err(network)?.unchecked_into();
            let response: web_sys::Response = both.get(0).unchecked_into();
            let headers = response.headers();
            let status = response.status();
            // Retry-After is read only for a 429, the one status it is used with
            // (and readable cross-origin only if the server exposes it; it is
            // optional). `get` throws only for a header name that is not one.
            let retry_after = if status == 429 { headers.get("retry-after").ok().flatten() } else { None };
            check_response(status, headers.get("content-type").ok().flatten().as_deref(), retry_after.as_deref())?;
            let body = js_sys::Uint8Array::new(&both.get(1)).to_vec();
            Ok(body)
        };
        let outcome = exchange.await;
        if outcome.is_ok() {
            flight.answered();
        }
        outcome
    }

    /// The queries waiting to leave. A check asks for a query when it is
    /// polled, between its own work and the other checks'; `fetch()` is a
    /// large piece of the browser, and run between other code it took twice
    /// as long as in a loop of fetches (0.27 against 0.15 ms a call in the
    /// page, 2026-12-05; a loop touching 4 MB between fetches doubled it
    /// too). So the queries asked for in one poll leave together, one
    /// `fetch()` after another, in a microtask right after it.
    #[cfg(target_arch = "wasm32")]
    mod outbox {
        use std::cell::RefCell;
        use std::rc::Rc;
        use std::task::{Poll, Waker};

        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;

        /// One query: its URL and timeout, then its `fetch` promise.
        struct Query {
            url: String,
            millis: u32,
            sent: RefCell<Option<js_sys::Promise>>,
            waker: RefCell<Option<Waker>>,
        }

        #[wasm_bindgen::prelude::wasm_bindgen]
        extern "C" {
            #[wasm_bindgen(js_name = queueMicrotask)]
            fn queue_microtask(f: &js_sys::Function);
        }

        thread_local! {
            static WAITING: RefCell<Vec<Rc<Query>>> = const { RefCell::new(Vec::new()) };
            static FLUSH: Closure<dyn FnMut()> = Closure::new(flush);
        }

        /// `fetch(url)` with a signal that aborts it after `millis`, once the
        /// poll that asked for it is over.
        pub async fn send(url: &str, millis: u32) -> js_sys::Promise {
            let query =
                Rc::new(Query { url: url.to_string(), millis, sent: RefCell::default(), waker: RefCell::default() });
            let first = WAITING.with(|w| {
                let mut w = w.borrow_mut();
                w.push(Rc::clone(&query));
                w.len() == 1
            });
            if first {
                FLUSH.with(|f| queue_microtask(f.as_ref().unchecked_ref()));
            }
            std::future::poll_fn(|cx| match query.sent.borrow_mut().take() {
                Some(sent) => Poll::Ready(sent),
                None => {
                    *query.waker.borrow_mut() = Some(cx.waker().clone());
                    Poll::Pending
                }
            })
            .await
        }

        /// Sends every waiting query, then wakes the checks that asked.
        fn flush() {
            let queries = WAITING.with(|w| std::mem::take(&mut *w.borrow_mut()));
            let init = super::options();
            // The queries leave together, so those with the same timeout
            // share one signal: one browser timer a flush, not one a query
            // (33 in the first round).
            let mut signal_millis = None;
            for query in &queries {
                // After `millis` the signal aborts the request, or the body
                // download, rather than let it run on, and what is pending
                // rejects. A browser without `AbortSignal.timeout` (before
                // 2022) sends without one: its own network timeout then ends
                // a request that hangs.
                if signal_millis != Some(query.millis) {
                    init.set_signal(super::abort_after(query.millis).ok().as_ref());
                    signal_millis = Some(query.millis);
                }
                *query.sent.borrow_mut() = Some(super::fetch(&query.url, &init));
            }
            for query in queries {
                if let Some(waker) = query.waker.borrow_mut().take() {
                    waker.wake();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    #[test]
    fn without_a_browser_lookups_fail_as_transport_errors_on_both_providers() {
        let client = DohClient::default();
        let lookup = block_on(client.lookup("example.com", RecordType::Mx));
        assert!(matches!(lookup.outcome, Outcome::Failed(Failure::Transport(_))), "{lookup:?}");
        // Tried Cloudflare, then Google, and says so.
        let providers: Vec<String> = client.attempts().into_iter().map(|a| a.provider).collect();
        assert_eq!(providers, vec!["Cloudflare", "Google"]);
        assert_eq!(lookup.answered_by.as_deref(), Some("Google"));
    }

    #[test]
    fn names_dns_cannot_carry_are_not_sent() {
        let client = DohClient::new(Provider::Google, None, Duration::from_millis(10));
        let lookup = block_on(client.lookup("a..b", RecordType::A));
        assert!(matches!(lookup.outcome, Outcome::Failed(Failure::Malformed(_))));
        assert!(client.attempts().is_empty());
    }
}
