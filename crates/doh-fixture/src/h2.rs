//! The HTTPS + HTTP/2 listener (`--h2-port`), the transport real DoH
//! providers speak: TLS with ALPN "h2" only, every stream its own task on one
//! tokio thread, answered by the same [`route`] as HTTP/1.1. Injected latency
//! is a timer, so the streams of one connection wait side by side; the timeout
//! fault leaves its stream unanswered until the client resets it (or
//! [`SILENCE_LIMIT`]). A bad handshake or a protocol error ends only that
//! connection (a line on stderr); a malformed request, only its stream.

use std::future::poll_fn;
use std::io;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use ::h2::server::{self, SendResponse};
use ::h2::{Reason, RecvStream};
use ::http::{HeaderName, HeaderValue, StatusCode};
use bytes::Bytes;
use rustls::ServerConfig;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{sleep, timeout};
use tokio_rustls::TlsAcceptor;

use crate::http::{Request, Response, CORS_HEADERS, MAX_BODY};
use crate::route::{route, Server};
use crate::SILENCE_LIMIT;

/// Longest a client may take for the TLS handshake and the HTTP/2 preface.
const HANDSHAKE_LIMIT: Duration = Duration::from_secs(10);

/// Serves `listener` (already bound) on a thread of its own with a
/// single-threaded tokio runtime.
pub fn start(listener: std::net::TcpListener, tls: Arc<ServerConfig>, server: Arc<Server>) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build()?;
    let listener = {
        let _guard = runtime.enter();
        TcpListener::from_std(listener)?
    };
    thread::Builder::new().name("h2".into()).spawn(move || runtime.block_on(serve(listener, tls, server)))?;
    Ok(())
}

async fn serve(listener: TcpListener, tls: Arc<ServerConfig>, server: Arc<Server>) {
    let acceptor = TlsAcceptor::from(tls);
    loop {
        match listener.accept().await {
            Ok((tcp, _)) => {
                tokio::spawn(connection(tcp, acceptor.clone(), Arc::clone(&server)));
            }
            Err(e) => {
                eprintln!("doh-fixture: h2 accept failed: {e}");
                // E.g. out of file descriptors: do not spin.
                sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn connection(tcp: TcpStream, acceptor: TlsAcceptor, server: Arc<Server>) {
    // No Nagle wait for the small TLS records that HEADERS and DATA frames are.
    let _ = tcp.set_nodelay(true);
    let tls = match timeout(HANDSHAKE_LIMIT, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => tls,
        // A browser closing a spare connection it opened ahead: not a failure.
        Ok(Err(e)) if e.kind() == io::ErrorKind::UnexpectedEof => return,
        Ok(Err(e)) => return eprintln!("doh-fixture: h2: TLS handshake failed: {e}"),
        Err(_) => return eprintln!("doh-fixture: h2: TLS handshake timed out"),
    };
    if tls.get_ref().1.alpn_protocol() != Some(b"h2") {
        return eprintln!("doh-fixture: h2: the client did not offer ALPN h2; closing");
    }
    // Counted once TLS has settled on h2 (a browser's preconnect stops here until its first request).
    server.h2_connections.fetch_add(1, Ordering::SeqCst);
    let mut connection =
        match timeout(HANDSHAKE_LIMIT, server::Builder::new().max_concurrent_streams(256).handshake(tls)).await {
            Ok(Ok(c)) => c,
            Ok(Err(e)) => return log_error("HTTP/2 handshake failed", &e),
            Err(_) => return eprintln!("doh-fixture: h2: no HTTP/2 preface"),
        };
    while let Some(next) = connection.accept().await {
        match next {
            Ok((request, respond)) => {
                server.h2_streams.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(stream(request, respond, Arc::clone(&server)));
            }
            Err(e) => return log_error("connection ended", &e),
        }
    }
}

/// A connection the client dropped or closed is no failure; anything else
/// (e.g. its protocol error) gets a line.
fn log_error(what: &str, e: &::h2::Error) {
    if !e.is_io() && !e.is_remote() && e.reason() != Some(Reason::NO_ERROR) {
        eprintln!("doh-fixture: h2: {what}: {e}");
    }
}

async fn stream(request: ::http::Request<RecvStream>, mut respond: SendResponse<Bytes>, server: Arc<Server>) {
    let (head, body) = request.into_parts();
    let body = match read_body(body).await {
        Ok(body) => body,
        Err(Some(response)) => return send(&mut respond, response),
        // The client reset the stream or the connection broke.
        Err(None) => return,
    };
    let request = Request {
        method: head.method.as_str().to_string(),
        path: head.uri.path().to_string(),
        query: head.uri.query().unwrap_or("").to_string(),
        headers: head
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str().to_string(), value.to_str().ok()?.to_string())))
            .collect(),
        body,
        close: false,
    };
    let routed = route(&server, &request);
    if !routed.delay.is_zero() {
        wait_precisely(routed.delay).await;
    }
    match routed.response {
        Some(response) => send(&mut respond, response),
        None => hold_silent(&mut respond).await,
    }
}

/// Waits `delay` to within a fraction of a millisecond. tokio's timer works
/// in whole milliseconds and its thread wakes from epoll, so its sleeps end
/// 1-3 ms late (measured: 3 rounds of 50 ms took 163 ms from a Node client,
/// against 156 ms over HTTP/1.1, whose threads sleep with the OS); that is
/// the benchmark's own latency coming out wrong. A thread of the blocking
/// pool sleeps with the OS instead; its stream task waits for it.
async fn wait_precisely(delay: Duration) {
    if tokio::task::spawn_blocking(move || thread::sleep(delay)).await.is_err() {
        // The pool is gone (the runtime is shutting down): wait the ordinary way.
        sleep(delay).await;
    }
}

/// The request body, or why not: `Some(response)` to answer, `None` when the stream is gone.
async fn read_body(mut body: RecvStream) -> Result<Vec<u8>, Option<Response>> {
    let mut bytes = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.map_err(|_| None)?;
        let _ = body.flow_control().release_capacity(chunk.len());
        if bytes.len() + chunk.len() > MAX_BODY {
            return Err(Some(Response::text(400, &format!("body of more than {MAX_BODY} bytes is too large"))));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// HEADERS and then the whole body as one DATA frame with END_STREAM, queued
/// together so they leave in one write.
fn send(respond: &mut SendResponse<Bytes>, response: Response) {
    let mut head = ::http::Response::new(());
    *head.status_mut() = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = head.headers_mut();
    let named = response.headers.iter().map(|(n, v)| (*n, v.as_str())).chain(CORS_HEADERS);
    for (name, value) in named {
        // HeaderName lower-cases, as HTTP/2 requires; nothing here is invalid, but never panic.
        if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
            headers.append(name, value);
        }
    }
    headers.insert(::http::header::CONTENT_LENGTH, HeaderValue::from(response.body.len()));
    let end = response.body.is_empty();
    // Errors mean the client reset the stream meanwhile: nobody to tell.
    if let Ok(mut data) = respond.send_response(head, end) {
        if !end {
            let _ = data.send_data(Bytes::from(response.body), true);
        }
    }
}

/// The timeout fault: no response until the client resets the stream (or the
/// connection goes), at most [`SILENCE_LIMIT`]; then the stream is cancelled.
async fn hold_silent(respond: &mut SendResponse<Bytes>) {
    let reset = timeout(SILENCE_LIMIT, poll_fn(|cx| respond.poll_reset(cx))).await;
    if reset.is_err() {
        respond.send_reset(Reason::CANCEL);
    }
}
