//! Just enough HTTP/1.1 (RFC 9112) for browsers and tests: one request at a
//! time per connection, keep-alive, Content-Length bodies only. [`Request`]
//! and [`Response`] are also what the HTTP/2 listener hands to and gets from
//! the router, and [`CORS_HEADERS`] go out on both.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// Longest request line or header line accepted.
const MAX_LINE: usize = 16 * 1024;
const MAX_HEADERS: usize = 100;
/// Largest request body accepted (a DNS message is at most 64 KiB).
pub const MAX_BODY: usize = 65_535;

/// The headers every response carries, over either transport: any page may
/// read it (the wasm tests and the app run on another origin than their
/// resolver), including Retry-After, and its Resource Timing details
/// (`Timing-Allow-Origin`, for tests/e2e/profile.mjs).
pub const CORS_HEADERS: [(&str, &str); 3] = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", "Retry-After"),
    ("Timing-Allow-Origin", "*"),
];

pub struct Request {
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The client asked to close the connection, or spoke HTTP/1.0 (always false over HTTP/2).
    pub close: bool,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The value of `key` in the query string (no percent-decoding: base64url needs none).
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query.split('&').find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
    }
}

/// Why no request could be read.
pub enum ReadError {
    /// The peer closed the connection (or went idle past the read timeout) between requests.
    Closed,
    /// Something that is not an HTTP request we accept; answer 400 and close.
    Bad(String),
}

fn read_line(reader: &mut BufReader<TcpStream>) -> Result<String, ReadError> {
    let mut line = Vec::new();
    let n = reader.by_ref().take(MAX_LINE as u64 + 1).read_until(b'\n', &mut line).map_err(|_| ReadError::Closed)?;
    if n == 0 {
        return Err(ReadError::Closed);
    }
    if line.len() > MAX_LINE {
        return Err(ReadError::Bad("line too long".into()));
    }
    let line = String::from_utf8(line).map_err(|_| ReadError::Bad("request is not UTF-8".into()))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub fn read_request(reader: &mut BufReader<TcpStream>) -> Result<Request, ReadError> {
    // RFC 9112 §2.2: ignore empty lines before the request line.
    let mut line = read_line(reader)?;
    while line.is_empty() {
        line = read_line(reader)?;
    }
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Bad(format!("bad request line {line:?}")));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(ReadError::Bad(format!("unsupported version {version:?}")));
    }
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader).map_err(|e| match e {
            ReadError::Closed => ReadError::Bad("connection closed inside the headers".into()),
            bad => bad,
        })?;
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(ReadError::Bad("too many headers".into()));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Bad(format!("bad header line {line:?}")));
        };
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut request = Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
        close: version == "HTTP/1.0",
    };
    if request.header("connection").is_some_and(|c| c.eq_ignore_ascii_case("close")) {
        request.close = true;
    }
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Bad("chunked request bodies are not supported".into()));
    }
    if let Some(len) = request.header("content-length") {
        let len: usize = len.parse().map_err(|_| ReadError::Bad(format!("bad Content-Length {len:?}")))?;
        if len > MAX_BODY {
            return Err(ReadError::Bad(format!("body of {len} bytes is too large")));
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).map_err(|_| ReadError::Bad("body shorter than Content-Length".into()))?;
        request.body = body;
    }
    Ok(request)
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, headers: vec![("Content-Type", content_type.to_string())], body: body.into() }
    }

    pub fn text(status: u16, text: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("{text}\n"))
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

/// Writes the response, with [`CORS_HEADERS`].
pub fn write_response(stream: &mut TcpStream, response: &Response, close: bool) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    for (name, value) in CORS_HEADERS {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    head.push_str(if close { "Connection: close\r\n\r\n" } else { "Connection: keep-alive\r\n\r\n" });
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    stream.write_all(&bytes)?;
    stream.flush()
}
