//! doh-fixture: a local RFC 8484 DoH server over zone data, with fault
//! injection, for maildoctor's browser tests and benchmarks.
//!
//! ```text
//! doh-fixture --zone FILE [--zone FILE…] [--port N] [--latency-ms N] [--serve-dir DIR [--base /sub/path/]]
//! ```
//!
//! Prints exactly one line, `listening http://127.0.0.1:PORT`, when ready.
//!
//! Routes (every response carries `Access-Control-Allow-Origin: *`):
//! - `GET /dns-query?dns=<base64url>` (and `POST /dns-query` with an
//!   `application/dns-message` body): answers from the zones; per-name
//!   `FAULT` lines apply.
//! - `GET /fault/<kind>/dns-query?dns=…`: the same, but every query gets the
//!   fault `<kind>` (any `Fault` word: timeout, http500, http429, malformed,
//!   content-type, servfail, refused, truncated, latency=MS).
//! - `OPTIONS *`: a CORS preflight answer.
//! - `GET /log`: JSON list of every query received,
//!   `[{"name":…,"type":…,"method":"GET","accept":…}]` (`accept`: the
//!   request's Accept header, or null).
//! - `GET /log/preflights`: `{"count":N}`, the CORS preflights (OPTIONS) received.
//! - `POST /log/clear` or `GET /log/clear`: empties both.
//! - with `--serve-dir`: static files under `--base` (default `/`).
//!
//! std only: a thread per connection, HTTP/1.1 with keep-alive.

mod answer;
mod files;
mod http;

use std::io::{BufReader, ErrorKind};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use answer::{Answerer, Reply, DNS_MESSAGE};
use http::{ReadError, Request, Response};
use maildoctor::dns::wire::decode_query;
use maildoctor::dns::zone::{Fault, Zone};
use maildoctor::dns::{normalize_name, RecordType};

/// A timeout fault holds the connection at most this long.
const SILENCE_LIMIT: Duration = Duration::from_secs(30);
/// Idle keep-alive connections are closed after this.
const IDLE_LIMIT: Duration = Duration::from_secs(60);

struct Config {
    zones: Vec<PathBuf>,
    port: u16,
    latency_ms: u64,
    serve_dir: Option<PathBuf>,
    base: String,
}

struct Server {
    answerer: Answerer,
    latency_ms: u64,
    log: Mutex<Vec<LogEntry>>,
    preflights: AtomicUsize,
    files: Option<files::StaticFiles>,
}

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("doh-fixture: {e}\nusage: doh-fixture --zone FILE [--zone FILE…] [--port N] [--latency-ms N] [--serve-dir DIR [--base /sub/path/]]");
            return ExitCode::from(2);
        }
    };
    let mut zone = Zone::default();
    for path in &config.zones {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("doh-fixture: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        match Zone::parse(&text) {
            Ok(z) => {
                zone.records.extend(z.records);
                zone.faults.extend(z.faults);
            }
            Err(e) => {
                eprintln!("doh-fixture: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let listener = match TcpListener::bind(("127.0.0.1", config.port)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("doh-fixture: cannot listen on 127.0.0.1:{}: {e}", config.port);
            return ExitCode::from(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(config.port);
    let server = Arc::new(Server {
        answerer: Answerer::new(zone),
        latency_ms: config.latency_ms,
        log: Mutex::default(),
        preflights: AtomicUsize::new(0),
        files: config.serve_dir.map(|dir| files::StaticFiles::new(dir, &config.base)),
    });
    println!("listening http://127.0.0.1:{port}");
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let server = Arc::clone(&server);
                thread::spawn(move || serve_connection(&server, stream));
            }
            Err(e) => eprintln!("doh-fixture: accept failed: {e}"),
        }
    }
    ExitCode::SUCCESS
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config { zones: Vec::new(), port: 0, latency_ms: 0, serve_dir: None, base: "/".into() };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--zone" => config.zones.push(PathBuf::from(value()?)),
            "--port" => config.port = value()?.parse().map_err(|_| "--port needs a number 0-65535".to_string())?,
            "--latency-ms" => config.latency_ms = value()?.parse().map_err(|_| "--latency-ms needs a number")?,
            "--serve-dir" => config.serve_dir = Some(PathBuf::from(value()?)),
            "--base" => config.base = value()?,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if config.zones.is_empty() {
        return Err("at least one --zone FILE is needed".into());
    }
    Ok(config)
}

fn serve_connection(server: &Server, stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IDLE_LIMIT));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    loop {
        let request = match http::read_request(&mut reader) {
            Ok(r) => r,
            Err(ReadError::Closed) => return,
            Err(ReadError::Bad(why)) => {
                let _ = http::write_response(&mut writer, &Response::text(400, &why), true);
                return;
            }
        };
        let Some(response) = route(server, &request) else {
            hold_silent(&writer);
            return;
        };
        if http::write_response(&mut writer, &response, request.close).is_err() || request.close {
            return;
        }
    }
}

/// The timeout fault: send nothing, and wait until the client hangs up or
/// [`SILENCE_LIMIT`] passes, whichever is first.
fn hold_silent(stream: &TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_millis(250)));
    let started = std::time::Instant::now();
    let mut byte = [0u8; 1];
    while started.elapsed() < SILENCE_LIMIT {
        match stream.peek(&mut byte) {
            Ok(0) => return,
            // More bytes (another request); keep ignoring them, without spinning.
            Ok(_) => thread::sleep(Duration::from_millis(250)),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return,
        }
    }
}

/// The response to a request, or `None` to answer with silence (timeout fault).
fn route(server: &Server, request: &Request) -> Option<Response> {
    let path = request.path.as_str();
    if request.method == "OPTIONS" {
        server.preflights.fetch_add(1, Ordering::SeqCst);
        // CORS preflight (RFC 8484 GET with Accept needs none, but POST does).
        return Some(
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
            None => Some(Response::text(404, &format!("unknown fault {kind:?}"))),
        };
    }
    if path == "/log" && request.method == "GET" {
        return Some(Response::new(200, "application/json", log_json(&lock(&server.log))));
    }
    if path == "/log/preflights" && request.method == "GET" {
        let count = server.preflights.load(Ordering::SeqCst);
        return Some(Response::new(200, "application/json", format!("{{\"count\":{count}}}")));
    }
    if path == "/log/clear" && matches!(request.method.as_str(), "GET" | "POST") {
        let mut log = lock(&server.log);
        let n = log.len();
        log.clear();
        server.preflights.store(0, Ordering::SeqCst);
        return Some(Response::new(200, "application/json", format!("{{\"cleared\":{n}}}")));
    }
    if let Some(files) = &server.files {
        if request.method == "GET" {
            if let Some(response) = files.get(path) {
                return Some(response);
            }
        }
    }
    Some(Response::text(404, &format!("nothing at {path}")))
}

fn dns_query(server: &Server, request: &Request, global_fault: Option<Fault>) -> Option<Response> {
    let query = match request.method.as_str() {
        "GET" => match request.param("dns").map(base64url_decode) {
            Some(Some(bytes)) => bytes,
            Some(None) => return Some(Response::text(400, "the dns parameter is not base64url")),
            None => return Some(Response::text(400, "missing dns parameter")),
        },
        "POST" => {
            if !request.header("content-type").is_some_and(|ct| ct.eq_ignore_ascii_case(DNS_MESSAGE)) {
                return Some(Response::text(415, "POST needs Content-Type: application/dns-message"));
            }
            request.body.clone()
        }
        _ => return Some(Response::text(405, "use GET or POST")),
    };
    let question = match decode_query(&query) {
        Ok(q) => q,
        Err(e) => return Some(Response::text(400, &e.to_string())),
    };
    lock(&server.log).push(LogEntry {
        name: normalize_name(&question.name),
        rtype: question.rtype,
        method: request.method.clone(),
        accept: request.header("accept").map(str::to_string),
    });
    let fault = global_fault.or_else(|| server.answerer.fault_for(&question.name));
    let mut delay = server.latency_ms + server.answerer.latency_ms(&question.name);
    if let Some(Fault::Latency(ms)) = global_fault {
        delay += u64::from(ms);
    }
    if delay > 0 {
        thread::sleep(Duration::from_millis(delay));
    }
    Some(match server.answerer.reply(&question, fault) {
        Reply::Silence => return None,
        Reply::Http500 => Response::text(500, "injected fault: internal server error"),
        Reply::Http429 { retry_after } => {
            Response::text(429, "injected fault: too many requests").with_header("Retry-After", retry_after.to_string())
        }
        Reply::Message { body, content_type } => {
            Response::new(200, content_type, body).with_header("Cache-Control", "no-store")
        }
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One DNS query received (names normalized).
struct LogEntry {
    name: String,
    rtype: RecordType,
    method: String,
    accept: Option<String>,
}

fn log_json(log: &[LogEntry]) -> String {
    let entries: Vec<String> = log
        .iter()
        .map(|e| {
            let accept = e.accept.as_deref().map_or("null".to_string(), json_string);
            format!(
                "{{\"name\":{},\"type\":\"{}\",\"method\":{},\"accept\":{accept}}}",
                json_string(&e.name),
                e.rtype,
                json_string(&e.method)
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
        };
        let log = vec![
            entry("a\"b.example", RecordType::Mx, Some("application/dns-message")),
            entry("c.example", RecordType::Other(65), None),
        ];
        assert_eq!(
            log_json(&log),
            r#"[{"name":"a\"b.example","type":"MX","method":"GET","accept":"application/dns-message"},{"name":"c.example","type":"TYPE65","method":"GET","accept":null}]"#
        );
    }

    #[test]
    fn arguments() {
        let args = |s: &str| parse_args(s.split_whitespace().map(String::from).collect::<Vec<_>>().into_iter());
        let c = args("--zone a.zone --zone b.zone --port 8053 --latency-ms 5 --serve-dir dist --base /md/").unwrap();
        assert_eq!((c.zones.len(), c.port, c.latency_ms, c.base.as_str()), (2, 8053, 5, "/md/"));
        assert!(args("--port 1").is_err());
        assert!(args("--zone").is_err());
        assert!(args("--zone a --bogus").is_err());
    }
}
