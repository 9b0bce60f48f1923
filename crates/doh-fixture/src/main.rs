//! doh-fixture: a local RFC 8484 DoH server over zone data, with fault
//! injection, for maildoctor's browser tests and benchmarks.
//!
//! ```text
//! doh-fixture --zone FILE [--zone FILE…] [--port N] [--h2-port N] [--latency-ms N] [--serve-dir DIR [--base /sub/path/]]
//! doh-fixture --zone FILE [--zone FILE…] --write-master-file OUT
//! doh-fixture --write-cert DIR
//! ```
//!
//! The two other forms feed the real DoH server of the tests (scripts/real-doh.sh)
//! and exit: `--write-master-file` writes the zones, merged, as one RFC 1035 master
//! file for the root zone (`Zone::master_file`); `--write-cert` writes a fresh
//! self-signed certificate for 127.0.0.1 and its key, as the h2 listener makes
//! one, to `DIR/cert.pem` and `DIR/key.pem`, and prints `spki=BASE64`.
//!
//! Prints `listening http://127.0.0.1:PORT` when ready; with `--h2-port`
//! (0: any free port) exactly one more line after it,
//! `listening-h2 https://127.0.0.1:PORT2 spki=BASE64`: the same routes over
//! HTTPS + HTTP/2 (TLS 1.3, ALPN "h2" only, as real DoH providers are
//! reached) with a self-signed certificate for 127.0.0.1 made at start.
//! BASE64 is the standard base64 of the SHA-256 of its SubjectPublicKeyInfo,
//! what Chromium's `--ignore-certificate-errors-spki-list` takes.
//!
//! Routes, the same on both listeners (every response carries
//! `Access-Control-Allow-Origin: *`, `Access-Control-Expose-Headers:
//! Retry-After` and `Timing-Allow-Origin: *`):
//! - `GET /dns-query?dns=<base64url>` (and `POST /dns-query` with an
//!   `application/dns-message` body): answers from the zones; per-name
//!   `FAULT` lines apply.
//! - `GET /fault/<kind>/dns-query?dns=…`: the same, but every query gets the
//!   fault `<kind>` (any `Fault` word: timeout, http500, http429, malformed,
//!   content-type, servfail, refused, truncated, latency=MS).
//! - `OPTIONS *`: a CORS preflight answer.
//! - `GET /log`: JSON list of every query received,
//!   `[{"name":…,"type":…,"method":"GET","accept":…,"referer":…,"cookie":false}]`
//!   (`accept`, `referer`: the request's headers, or null; `cookie`: whether
//!   one came).
//! - `GET /log/preflights`: `{"count":N}`, the CORS preflights (OPTIONS) received.
//! - `GET /log/transport`: `{"h2_connections":N,"h2_streams":M}`, the HTTP/2
//!   connections (counted once TLS settled on h2) and streams (requests, this
//!   one included if asked over HTTP/2) since start; `/log/clear` leaves them.
//! - `POST /log/clear` or `GET /log/clear`: empties the query log and the preflight count.
//! - with `--serve-dir`: static files under `--base` (default `/`); with
//!   `--pages` also gzip-encoded when accepted and cacheable for 10 minutes,
//!   as GitHub Pages serves them.
//!
//! Latency (`--latency-ms`, `FAULT latency=MS`, `/fault/latency=MS/`) is
//! waited before the answer; the timeout fault answers nothing, holding the
//! request open until the client gives up (at most 30 s). HTTP/1.1 (std, a
//! thread per connection, keep-alive) in `h1.rs`; HTTP/2 (tokio, h2, rustls)
//! in `h2.rs`, with every stream of a connection waiting concurrently; both
//! answer through `route.rs`.

mod answer;
mod files;
mod h1;
mod h2;
mod http;
mod route;
mod tls;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use answer::Answerer;
use maildoctor_core::dns::zone::Zone;
use route::Server;

/// A timeout fault holds its request at most this long.
const SILENCE_LIMIT: Duration = Duration::from_secs(30);

const USAGE: &str = "usage: doh-fixture --zone FILE [--zone FILE…] [--port N] [--h2-port N] [--latency-ms N] [--serve-dir DIR [--base /sub/path/]]\n       doh-fixture --zone FILE [--zone FILE…] --write-master-file OUT\n       doh-fixture --write-cert DIR";

struct Config {
    zones: Vec<PathBuf>,
    port: u16,
    /// `--h2-port`: also listen with HTTPS + HTTP/2 there.
    h2_port: Option<u16>,
    latency_ms: u64,
    serve_dir: Option<PathBuf>,
    base: String,
    /// `--pages`: serve the static files as GitHub Pages does (gzip, max-age=600).
    pages: bool,
    /// `--write-master-file`: write the zones there as a master file and exit.
    master_file: Option<PathBuf>,
    /// `--write-cert`: write a certificate and key there and exit.
    cert_dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("doh-fixture: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = &config.cert_dir {
        return match tls::write_pem(dir) {
            Ok(spki) => {
                println!("spki={spki}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("doh-fixture: {e}");
                ExitCode::from(1)
            }
        };
    }
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
                // Every kind of line: EDE and AD lines travel with the answers too.
                zone.records.extend(z.records);
                zone.faults.extend(z.faults);
                zone.extended_errors.extend(z.extended_errors);
                zone.authenticated.extend(z.authenticated);
            }
            Err(e) => {
                eprintln!("doh-fixture: {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    if let Some(out) = &config.master_file {
        let written = zone.master_file(".").and_then(|text| std::fs::write(out, text).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("doh-fixture: cannot write the master file {}: {e}", out.display());
            return ExitCode::from(1);
        }
        return ExitCode::SUCCESS;
    }
    let bind = |port: u16| {
        TcpListener::bind(("127.0.0.1", port))
            .map_err(|e| eprintln!("doh-fixture: cannot listen on 127.0.0.1:{port}: {e}"))
    };
    let Ok(listener) = bind(config.port) else { return ExitCode::from(1) };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(config.port);
    let files = config.serve_dir.map(|dir| {
        let files = files::StaticFiles::new(dir, &config.base);
        if config.pages {
            files.like_pages()
        } else {
            files
        }
    });
    let server = Arc::new(Server::new(Answerer::new(zone), config.latency_ms, files));
    let mut h2_line = None;
    if let Some(h2_port) = config.h2_port {
        let Ok(h2_listener) = bind(h2_port) else { return ExitCode::from(1) };
        let h2_port = h2_listener.local_addr().map(|a| a.port()).unwrap_or(h2_port);
        let identity = match tls::self_signed() {
            Ok(identity) => identity,
            Err(e) => {
                eprintln!("doh-fixture: cannot make the TLS certificate: {e}");
                return ExitCode::from(1);
            }
        };
        if let Err(e) = h2::start(h2_listener, identity.config, Arc::clone(&server)) {
            eprintln!("doh-fixture: cannot start the HTTP/2 listener: {e}");
            return ExitCode::from(1);
        }
        h2_line = Some(format!("listening-h2 https://127.0.0.1:{h2_port} spki={}", identity.spki));
    }
    println!("listening http://127.0.0.1:{port}");
    if let Some(line) = h2_line {
        println!("{line}");
    }
    h1::serve(listener, server);
    ExitCode::SUCCESS
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config {
        zones: Vec::new(),
        port: 0,
        h2_port: None,
        latency_ms: 0,
        serve_dir: None,
        base: "/".into(),
        pages: false,
        master_file: None,
        cert_dir: None,
    };
    while let Some(flag) = args.next() {
        if flag == "--pages" {
            config.pages = true;
            continue;
        }
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--zone" => config.zones.push(PathBuf::from(value()?)),
            "--port" => config.port = value()?.parse().map_err(|_| "--port needs a number 0-65535".to_string())?,
            "--h2-port" => {
                config.h2_port = Some(value()?.parse().map_err(|_| "--h2-port needs a number 0-65535".to_string())?)
            }
            "--latency-ms" => config.latency_ms = value()?.parse().map_err(|_| "--latency-ms needs a number")?,
            "--serve-dir" => config.serve_dir = Some(PathBuf::from(value()?)),
            "--base" => config.base = value()?,
            "--write-master-file" => config.master_file = Some(PathBuf::from(value()?)),
            "--write-cert" => config.cert_dir = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if config.zones.is_empty() && config.cert_dir.is_none() {
        return Err("at least one --zone FILE is needed".into());
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments() {
        let args = |s: &str| parse_args(s.split_whitespace().map(String::from).collect::<Vec<_>>().into_iter());
        let c = args("--zone a.zone --zone b.zone --port 8053 --latency-ms 5 --serve-dir dist --base /md/").unwrap();
        assert_eq!((c.zones.len(), c.port, c.h2_port, c.latency_ms, c.base.as_str()), (2, 8053, None, 5, "/md/"));
        assert_eq!(args("--zone a --h2-port 0").unwrap().h2_port, Some(0));
        assert!(args("--zone a --pages").unwrap().pages && !args("--zone a").unwrap().pages);
        assert!(args("--zone a --h2-port x").is_err());
        assert!(args("--port 1").is_err());
        assert!(args("--zone").is_err());
        assert!(args("--zone a --bogus").is_err());
        assert_eq!(args("--write-cert d").unwrap().cert_dir, Some(PathBuf::from("d")));
        assert_eq!(args("--zone a --write-master-file m").unwrap().master_file, Some(PathBuf::from("m")));
        assert!(args("--write-master-file m").is_err(), "a master file needs zones");
    }
}
