//! The HTTP/1.1 listener: a thread per connection, one request at a time,
//! keep-alive; injected latency is that thread's sleep.

use std::io::{BufReader, ErrorKind};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use crate::http::{self, ReadError, Response};
use crate::route::{route, Server};
use crate::SILENCE_LIMIT;

/// Idle keep-alive connections are closed after this.
const IDLE_LIMIT: Duration = Duration::from_secs(60);

/// Accepts connections forever.
pub fn serve(listener: TcpListener, server: Arc<Server>) {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let server = Arc::clone(&server);
                thread::spawn(move || serve_connection(&server, stream));
            }
            Err(e) => eprintln!("doh-fixture: accept failed: {e}"),
        }
    }
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
        let routed = route(server, &request);
        if !routed.delay.is_zero() {
            thread::sleep(routed.delay);
        }
        let Some(response) = routed.response else {
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
    let started = Instant::now();
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
