//! Seed inputs, read at run time from the conformance data beside the checkout
//! and from the string literals of the library's own tests and sources (the
//! vectors people already wrote down). Nothing is copied into the repository;
//! a missing file is a failure, not a silent empty corpus.

/// The checkout's `src/`, `tests/` and the shared conformance data.
pub fn repo_file(relative: &str) -> String {
    format!("{}/../{relative}", env!("CARGO_MANIFEST_DIR"))
}

pub fn conformance_file(relative: &str) -> String {
    format!("{}/../../shared/conformance/{relative}", env!("CARGO_MANIFEST_DIR"))
}

pub fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("seed file missing at {path}: {e}"))
}

/// Every string literal in the given repository files (test vectors, mostly).
pub fn literals_of(files: &[&str]) -> Vec<Vec<u8>> {
    files.iter().flat_map(|f| string_literals(&read(&repo_file(f)))).collect()
}

/// The string literals of Rust source text, unescaped: `"…"` with the usual
/// escapes and line continuations, and raw strings `r"…"`, `r#"…"#`.
/// A rough scanner (a quote inside a comment starts a "literal" too), which is
/// fine for seeds: odd seeds only widen the search.
pub fn string_literals(source: &str) -> Vec<Vec<u8>> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            // A char literal such as '"' must not open a string.
            b'\'' if bytes.get(i + 2) == Some(&b'\'') => i += 3,
            b'\'' if bytes.get(i + 1) == Some(&b'\\') => {
                i += 2;
                while i < bytes.len() && bytes[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            }
            b'r' if matches!(bytes.get(i + 1), Some(b'"' | b'#'))
                && !ident_byte(i.checked_sub(1).map(|p| bytes[p])) =>
            {
                let hashes = bytes[i + 1..].iter().take_while(|&&b| b == b'#').count();
                let open = i + 1 + hashes;
                if bytes.get(open) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
                let body = &bytes[open + 1..];
                let end = body.windows(close.len()).position(|w| w == close.as_slice()).unwrap_or(body.len());
                out.push(body[..end].to_vec());
                i = open + 1 + end + close.len();
            }
            b'"' => {
                let (literal, next) = unescape_from(bytes, i + 1);
                out.push(literal);
                i = next;
            }
            _ => i += 1,
        }
    }
    out
}

fn ident_byte(b: Option<u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Reads an escaped literal body from `start` to its closing quote; returns it and the index after the quote.
fn unescape_from(bytes: &[u8], start: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => return (out, i + 1),
            b'\\' => {
                let Some(&e) = bytes.get(i + 1) else { break };
                i += 2;
                match e {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'0' => out.push(0),
                    b'x' => {
                        let hex = bytes.get(i..i + 2).and_then(|h| std::str::from_utf8(h).ok());
                        out.push(hex.and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(b'?'));
                        i += 2;
                    }
                    b'u' => {
                        let end = bytes[i..].iter().position(|&c| c == b'}').map_or(bytes.len(), |p| i + p);
                        let hex = std::str::from_utf8(bytes.get(i + 1..end).unwrap_or(&[])).unwrap_or("");
                        let c = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).unwrap_or('?');
                        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                        i = end + 1;
                    }
                    // Line continuation: the newline and the next line's indent vanish.
                    b'\n' => {
                        while bytes.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
                            i += 1;
                        }
                    }
                    other => out.push(other),
                }
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    (out, bytes.len())
}

/// Record and explanation texts from the openspf YAML suites, read line by line
/// (`- SPF: …` / `- TXT: …`), with the YAML escapes the suites use undone.
pub fn seeds_from_suite(yaml: &str) -> Vec<Vec<u8>> {
    let mut seeds = Vec::new();
    for line in yaml.lines() {
        let line = line.trim_start();
        let Some(value) = line.strip_prefix("- SPF:").or_else(|| line.strip_prefix("- TXT:")) else { continue };
        let value = value.trim();
        if let Some(list) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let joined: Vec<u8> = list.split(',').flat_map(|s| unquote(s.trim())).collect();
            seeds.push(joined);
        } else if value != "NONE" {
            seeds.push(unquote(value));
        }
    }
    seeds
}

fn unquote(s: &str) -> Vec<u8> {
    if let Some(inner) = s.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        return inner.as_bytes().to_vec();
    }
    let Some(inner) = s.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else { return s.as_bytes().to_vec() };
    let mut out = Vec::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        match chars.next() {
            Some('0') => out.push(0),
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.push(u8::from_str_radix(&hex, 16).unwrap_or(b'?'));
            }
            Some(other) => out.push(other as u8),
            None => {}
        }
    }
    out
}

/// The openspf suites' records (both RFC 4408 and RFC 7208 editions).
pub fn openspf_records() -> Vec<Vec<u8>> {
    ["openspf-rfc7208/rfc7208-tests.yml", "openspf-rfc4408/rfc4408-tests.yml"]
        .iter()
        .flat_map(|f| seeds_from_suite(&read(&conformance_file(f))))
        .collect()
}

/// The OpenDMARC tree-walk zone: the whole file, each record line, and each quoted TXT value.
pub fn opendmarc_zone() -> (String, Vec<Vec<u8>>) {
    let zone = read(&conformance_file("opendmarc-dmarc-treewalk/test-dns.zone.inc"));
    let mut values = Vec::new();
    for line in zone.lines().filter(|l| !l.trim_start().starts_with(';') && !l.trim().is_empty()) {
        let mut rest = line;
        while let Some(open) = rest.find('"') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('"') else { break };
            values.push(after.as_bytes()[..close].to_vec());
            rest = &after[close + 1..];
        }
    }
    (zone, values)
}

/// The dnslib captures: every `;; QUERY:` and `;; RESPONSE:` hex message, as bytes.
pub fn dnslib_messages() -> Vec<Vec<u8>> {
    let dir = conformance_file("dnslib-wire-format/test");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("seed folder missing at {dir}: {e}"));
    // The captures are the plain files; `dig/` below holds dig's own output, not hex messages.
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = read(&path.to_string_lossy());
        for line in text.lines() {
            let Some(hex) = line.strip_prefix(";; RESPONSE: ").or_else(|| line.strip_prefix(";; QUERY: ")) else {
                continue;
            };
            if let Some(bytes) = from_hex(hex.trim()) {
                out.push(bytes);
            }
        }
    }
    out
}

fn from_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// Lines of the given texts that hold a record (for the zone target: one line is a zone).
pub fn lines_of(texts: &[String]) -> Vec<Vec<u8>> {
    texts.iter().flat_map(|t| t.lines().map(|l| l.as_bytes().to_vec())).collect()
}
