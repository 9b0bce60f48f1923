//! The fixture binary started for a test: its ports (and with `--h2-port`,
//! the certificate's SPKI hash it printed), killed when dropped.
#![allow(dead_code)]

pub mod h2_client;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use maildoctor_core::dns::wire::encode_query;
use maildoctor_core::dns::RecordType;

pub const ZONE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/doh.zone");

pub struct Fixture {
    child: Child,
    /// Kept open: the fixture's stdout is not closed under it.
    _stdout: BufReader<ChildStdout>,
    pub port: u16,
    /// With `--h2-port`: the HTTPS + HTTP/2 port and the `spki=` value.
    pub h2: Option<(u16, String)>,
    /// The startup lines as printed.
    pub lines: Vec<String>,
}

impl Fixture {
    pub fn start(extra: &[&str]) -> Fixture {
        Fixture::start_with_zones(&[ZONE], extra)
    }

    /// Started over these zone files instead of the default one.
    pub fn start_with_zones(zones: &[&str], extra: &[&str]) -> Fixture {
        let mut child = Command::new(env!("CARGO_BIN_EXE_doh-fixture"))
            .args(zones.iter().flat_map(|z| ["--zone", z]))
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut read_line = || {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            line.trim_end_matches('\n').to_string()
        };
        let first = read_line();
        let port = first.strip_prefix("listening http://127.0.0.1:").expect(&first).parse().expect(&first);
        let mut lines = vec![first];
        let mut h2 = None;
        if extra.contains(&"--h2-port") {
            let second = read_line();
            let rest = second.strip_prefix("listening-h2 https://127.0.0.1:").expect(&second);
            let (h2_port, spki) = rest.split_once(" spki=").expect(&second);
            h2 = Some((h2_port.parse().expect(&second), spki.to_string()));
            lines.push(second);
        }
        Fixture { child, _stdout: stdout, port, h2, lines }
    }

    /// One HTTP/1.1 request on a fresh connection; (status, headers lower-cased, body).
    pub fn request(&self, method: &str, target: &str, body: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let head = format!(
            "{method} {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/dns-message\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("no end of headers");
        let head = String::from_utf8(raw[..split].to_vec()).unwrap();
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines
            .map(|l| {
                let (n, v) = l.split_once(':').unwrap();
                (n.trim().to_ascii_lowercase(), v.trim().to_string())
            })
            .collect();
        (status, headers, raw[split + 4..].to_vec())
    }

    pub fn get(&self, target: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        self.request("GET", target, &[])
    }

    pub fn h2_port(&self) -> u16 {
        self.h2.as_ref().expect("started without --h2-port").0
    }

    pub fn spki(&self) -> &str {
        &self.h2.as_ref().expect("started without --h2-port").1
    }

    /// The process is still running (nothing it was sent made it exit).
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// RFC 4648 §5 base64url without padding, as RFC 8484 asks.
pub fn b64url(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

pub fn query_path(prefix: &str, name: &str, rtype: RecordType) -> String {
    format!("{prefix}/dns-query?dns={}", b64url(&encode_query(name, rtype).unwrap()))
}
