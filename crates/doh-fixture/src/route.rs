//! What the fixture answers, whatever the transport: one [`route`] for the
//! HTTP/1.1 and the HTTP/2 listener. It decides the response and the delay
//! before it; each listener waits in its own way (a thread sleeps, a task
//! awaits a timer) and then sends the response, or holds the request silent.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::answer::{Answerer, Reply, DNS_MESSAGE};
use crate::files::StaticFiles;
use crate::http::{Request, Response};
use maildoctor_core::dns::wire::decode_query;
use maildoctor_core::dns::zone::Fault;
use maildoctor_core::dns::{normalize_name, RecordType};

/// The state every connection of either listener shares.
pub struct Server {
    pub answerer: Answerer,
    /// Added to every DNS query (`--latency-ms`).
    pub latency_ms: u64,
    pub log: Mutex<Vec<LogEntry>>,
    pub preflights: AtomicUsize,
    pub files: Option<StaticFiles>,
    /// HTTP/2 connections and streams since start (`GET /log/transport`).
    pub h2_connections: AtomicUsize,
    pub h2_streams: AtomicUsize,
}

impl Server {
    pub fn new(answerer: Answerer, latency_ms: u64, files: Option<StaticFiles>) -> Server {
        Server {
            answerer,
            latency_ms,
            log: Mutex::default(),
            preflights: AtomicUsize::new(0),
            files,
            h2_connections: AtomicUsize::new(0),
            h2_streams: AtomicUsize::new(0),
        }
    }
}

/// What a request gets: after `delay`, the `response`, or — when it is
/// `None` (the timeout fault) — silence.
pub struct Routed {
    pub delay: Duration,
    pub response: Option<Response>,
}

impl Routed {
    fn now(response: Response) -> Routed {
        Routed { delay: Duration::ZERO, response: Some(response) }
    }
}

/// The answer to a request (logged as received, before any delay).
pub fn route(server: &Server, request: &Request) -> Routed {
    let path = request.path.as_str();
    if request.method == "OPTIONS" {
        server.preflights.fetch_add(1, Ordering::SeqCst);
        // CORS preflight (RFC 8484 GET with Accept needs none, but POST does).
        return Routed::now(
            Response::new(204, "text/plain", Vec::new())
                .with_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .with_header("Access-Control-Allow-Headers", "Accept, Content-Type")
                .with_header("Access-Control-Max-Age", "600"),
        );
    }
    if path == "/dns-query" {
        return dns_query(server, request, None);
    }
    if let Some(kind) = path.strip_prefix("/fault/").and_then(|rest| rest.strip_suffix("/dns-query")) {
        return match Fault::parse(kind) {
            Some(fault) => dns_query(server, request, Some(fault)),
            None => Routed::now(Response::text(404, &format!("unknown fault {kind:?}"))),
        };
    }
    let json = |body: String| Routed::now(Response::new(200, "application/json", body));
    if path == "/log" && request.method == "GET" {
        return json(log_json(&lock(&server.log)));
    }
    if path == "/log/preflights" && request.method == "GET" {
        return json(format!("{{\"count\":{}}}", server.preflights.load(Ordering::SeqCst)));
    }
    if path == "/log/transport" && request.method == "GET" {
        let connections = server.h2_connections.load(Ordering::SeqCst);
        let streams = server.h2_streams.load(Ordering::SeqCst);
        return json(format!("{{\"h2_connections\":{connections},\"h2_streams\":{streams}}}"));
    }
    if path == "/log/clear" && matches!(request.method.as_str(), "GET" | "POST") {
        let mut log = lock(&server.log);
        let n = log.len();
        log.clear();
        server.preflights.store(0, Ordering::SeqCst);
        return json(format!("{{\"cleared\":{n}}}"));
    }
    if let Some(files) = &server.files {
        if request.method == "GET" {
            let gzip_ok = request.header("accept-encoding").is_some_and(|e| e.to_ascii_lowercase().contains("gzip"));
            if let Some(response) = files.get(path, gzip_ok) {
                return Routed::now(response);
            }
        }
    }
    Routed::now(Response::text(404, &format!("nothing at {path}")))
}

fn dns_query(server: &Server, request: &Request, global_fault: Option<Fault>) -> Routed {
    let query = match request.method.as_str() {
        "GET" => match request.param("dns").map(base64url_decode) {
            Some(Some(bytes)) => bytes,
            Some(None) => return Routed::now(Response::text(400, "the dns parameter is not base64url")),
            None => return Routed::now(Response::text(400, "missing dns parameter")),
        },
        "POST" => {
            if !request.header("content-type").is_some_and(|ct| ct.eq_ignore_ascii_case(DNS_MESSAGE)) {
                return Routed::now(Response::text(415, "POST needs Content-Type: application/dns-message"));
            }
            request.body.clone()
        }
        _ => return Routed::now(Response::text(405, "use GET or POST")),
    };
    let question = match decode_query(&query) {
        Ok(q) => q,
        Err(e) => return Routed::now(Response::text(400, &e.to_string())),
    };
    lock(&server.log).push(LogEntry {
        name: normalize_name(&question.name),
        rtype: question.rtype,
        method: request.method.clone(),
        accept: request.header("accept").map(str::to_string),
        referer: request.header("referer").map(str::to_string),
        cookie: request.header("cookie").is_some(),
    });
    let fault = global_fault.or_else(|| server.answerer.fault_for(&question.name));
    let mut delay = server.latency_ms + server.answerer.latency_ms(&question.name);
    if let Some(Fault::Latency(ms)) = global_fault {
        delay += u64::from(ms);
    }
    let response = match server.answerer.reply(&question, fault) {
        Reply::Silence => None,
        Reply::Http500 => Some(Response::text(500, "injected fault: internal server error")),
        Reply::Http429 { retry_after } => Some(
            Response::text(429, "injected fault: too many requests")
                .with_header("Retry-After", retry_after.to_string()),
        ),
        Reply::Message { body, content_type } => {
            Some(Response::new(200, content_type, body).with_header("Cache-Control", "no-store"))
        }
    };
    Routed { delay: Duration::from_millis(delay), response }
}

pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One DNS query received (names normalized).
pub struct LogEntry {
    name: String,
    rtype: RecordType,
    method: String,
    accept: Option<String>,
    /// The Referer header, if any (the page sends none: its referrer policy).
    referer: Option<String>,
    /// Whether a Cookie header came (the page sends its queries without credentials).
    cookie: bool,
}

fn log_json(log: &[LogEntry]) -> String {
    let entries: Vec<String> = log
        .iter()
        .map(|e| {
            let accept = e.accept.as_deref().map_or("null".to_string(), json_string);
            let referer = e.referer.as_deref().map_or("null".to_string(), json_string);
            format!(
                "{{\"name\":{},\"type\":\"{}\",\"method\":{},\"accept\":{accept},\"referer\":{referer},\"cookie\":{}}}",
                json_string(&e.name),
                e.rtype,
                json_string(&e.method),
                e.cookie
            )
        })
        .collect();
    format!("[{}]", entries.join(","))
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// RFC 4648 §5 base64url; padding tolerated though RFC 8484 says to omit it.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A single leftover symbol (6 bits) cannot end a valid encoding.
    if bits >= 6 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use maildoctor_core::dns::wire::encode_query;
    use maildoctor_core::dns::zone::Zone;

    #[test]
    fn base64url_decodes_rfc4648_vectors() {
        for (encoded, plain) in [("", ""), ("Zg", "f"), ("Zm8", "fo"), ("Zm9v", "foo"), ("Zm9vYmE=", "fooba")] {
            assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
        assert_eq!(base64url_decode("Zm9vY"), None);
        assert_eq!(base64url_decode("Zm+v"), None);
    }

    #[test]
    fn log_is_json() {
        let entry = |name: &str, rtype, accept: Option<&str>| LogEntry {
            name: name.into(),
            rtype,
            method: "GET".into(),
            accept: accept.map(str::to_string),
            referer: None,
            cookie: false,
        };
        let log = vec![
            entry("a\"b.example", RecordType::Mx, Some("application/dns-message")),
            entry("c.example", RecordType::Other(65), None),
        ];
        assert_eq!(
            log_json(&log),
            r#"[{"name":"a\"b.example","type":"MX","method":"GET","accept":"application/dns-message","referer":null,"cookie":false},{"name":"c.example","type":"TYPE65","method":"GET","accept":null,"referer":null,"cookie":false}]"#
        );
    }

    #[test]
    fn latency_is_returned_not_slept() {
        let zone = Zone::parse("a.example A 192.0.2.1\na.example FAULT latency=7\nt.example FAULT timeout\n").unwrap();
        let server = Server::new(Answerer::new(zone), 100, None);
        let get = |path: &str, name: &str| {
            let mut query = String::new();
            for chunk in encode_query(name, RecordType::A).unwrap().chunks(3) {
                // base64url without padding, as RFC 8484 asks.
                const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
                (0..=chunk.len()).for_each(|i| query.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char));
            }
            let request = Request {
                method: "GET".into(),
                path: path.into(),
                query: format!("dns={query}"),
                headers: Vec::new(),
                body: Vec::new(),
                close: false,
            };
            route(&server, &request)
        };
        let started = std::time::Instant::now();
        let a = get("/dns-query", "a.example");
        assert_eq!((a.delay, a.response.map(|r| r.status)), (Duration::from_millis(107), Some(200)));
        let slower = get("/fault/latency=20/dns-query", "a.example");
        assert_eq!(slower.delay, Duration::from_millis(127));
        let silent = get("/dns-query", "t.example");
        assert!(silent.response.is_none(), "the timeout fault is silence");
        assert_eq!(silent.delay, Duration::from_millis(100));
        assert!(started.elapsed() < Duration::from_millis(100), "route() itself never waits");
        assert_eq!(lock(&server.log).len(), 3);
    }
}
