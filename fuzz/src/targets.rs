//! The fuzz targets: one name per parser, its check, where its seeds come
//! from, and the tokens worth inserting into its inputs. The cargo-fuzz
//! targets in `fuzz_targets/` and the stable harness both go through this table.

use crate::checks::{check_dmarc, check_domain, check_mx, check_sending_ip, check_smtp, check_wire, check_zone};
use crate::dkim::{check_dkim_key, check_headers};
use crate::mutate::SPF_TOKENS;
use crate::seeds::{dnslib_messages, lines_of, literals_of, opendmarc_zone, openspf_records, read, repo_file};
use crate::spf::{check_macro, check_record};
use crate::transport::{check_bimi, check_mta_sts_policy, check_mta_sts_record, check_tlsa, check_tlsrpt};

pub struct Target {
    /// Also the cargo-fuzz target's name.
    pub name: &'static str,
    pub check: fn(&[u8]),
    pub seeds: fn() -> Vec<Vec<u8>>,
    pub tokens: &'static [&'static str],
}

pub const TARGETS: &[Target] = &[
    Target { name: "spf_parse", check: check_record, seeds: openspf_records, tokens: SPF_TOKENS },
    Target { name: "spf_macro", check: check_macro, seeds: macro_seeds, tokens: SPF_TOKENS },
    Target { name: "dmarc_parse", check: check_dmarc, seeds: dmarc_seeds, tokens: DMARC_TOKENS },
    Target { name: "mx_parse", check: check_mx, seeds: mx_seeds, tokens: NAME_TOKENS },
    Target { name: "smtp_reply", check: check_smtp, seeds: smtp_seeds, tokens: SMTP_TOKENS },
    Target { name: "dns_wire", check: check_wire, seeds: dnslib_messages, tokens: WIRE_TOKENS },
    Target { name: "zone_parse", check: check_zone, seeds: zone_seeds, tokens: ZONE_TOKENS },
    Target { name: "input_domain", check: check_domain, seeds: domain_seeds, tokens: NAME_TOKENS },
    Target { name: "sending_ip", check: check_sending_ip, seeds: ip_seeds, tokens: IP_TOKENS },
    Target { name: "dkim_key", check: check_dkim_key, seeds: dkim_key_seeds, tokens: DKIM_TOKENS },
    Target { name: "header_reader", check: check_headers, seeds: header_seeds, tokens: HEADER_TOKENS },
    Target { name: "mta_sts_record", check: check_mta_sts_record, seeds: transport_seeds, tokens: TAG_TOKENS },
    Target { name: "mta_sts_policy", check: check_mta_sts_policy, seeds: transport_seeds, tokens: POLICY_TOKENS },
    Target { name: "tlsrpt_parse", check: check_tlsrpt, seeds: transport_seeds, tokens: TAG_TOKENS },
    Target { name: "bimi_parse", check: check_bimi, seeds: transport_seeds, tokens: TAG_TOKENS },
    Target { name: "tlsa_parse", check: check_tlsa, seeds: transport_seeds, tokens: TLSA_TOKENS },
];

/// The string literals of the transport-security parsers and their tests: records,
/// policies and TLSA texts, good and bad, for all five targets.
fn transport_seeds() -> Vec<Vec<u8>> {
    literals_of(&[
        "crates/core/src/mta_sts/record.rs",
        "crates/core/src/mta_sts/policy.rs",
        "crates/core/src/mta_sts/tags.rs",
        "crates/core/src/mta_sts/check.rs",
        "crates/core/src/tlsrpt.rs",
        "crates/core/src/bimi.rs",
        "crates/core/src/dane/tlsa.rs",
        "crates/core/tests/mta_sts.rs",
        "crates/core/tests/tlsrpt.rs",
        "crates/core/tests/bimi.rs",
        "crates/core/tests/dane.rs",
    ])
}

const TAG_TOKENS: &[&str] = &[
    "v=STSv1",
    "v=TLSRPTv1",
    "v=BIMI1",
    ";",
    "; ",
    "=",
    " = ",
    "id=",
    "rua=",
    "l=",
    "a=",
    "avp=",
    "mailto:",
    "https://",
    "@",
    ",",
    ", ",
    ".svg",
    ".pem",
    "example.com",
    "/",
    " ",
    "\t",
    "_",
    "-",
    "\u{0}",
    "é",
];

const POLICY_TOKENS: &[&str] = &[
    "version: STSv1",
    "mode: ",
    "enforce",
    "testing",
    "none",
    "max_age: ",
    "31557600",
    "31557601",
    "86400",
    "mx: ",
    "*.",
    "mail.example.com",
    "\r\n",
    "\n",
    "\r",
    ":",
    " ",
    "\t",
    "-",
    ".",
    "é",
];

const TLSA_TOKENS: &[&str] = &["3", "2", "1", "0", "255", "256", " ", "\t", "00", "0C72", "ff", "g", "é"];

pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// The macro target reads its first byte as the syntax: records and test literals under each.
fn macro_seeds() -> Vec<Vec<u8>> {
    let texts = [openspf_records(), literals_of(&["crates/core/src/spf/macros.rs"])].concat();
    texts.iter().flat_map(|t| (0u8..3).map(move |syntax| [&[syntax][..], t].concat())).collect()
}

fn dmarc_seeds() -> Vec<Vec<u8>> {
    let (_, values) = opendmarc_zone();
    let literals = literals_of(&[
        "crates/core/src/dmarc/record/mod.rs",
        "crates/core/src/dmarc/record/parse.rs",
        "crates/core/src/dmarc/record/uri.rs",
        "crates/core/src/dmarc/check.rs",
        "crates/core/src/generate/dmarc.rs",
        "crates/core/tests/dmarc_record.rs",
        "crates/core/tests/dmarc_check.rs",
    ]);
    [values, literals].concat()
}

fn mx_seeds() -> Vec<Vec<u8>> {
    let mut seeds =
        literals_of(&["crates/core/src/mx/record.rs", "crates/core/src/mx/mod.rs", "crates/core/tests/mx_check.rs", "crates/core/tests/mx_reference_zones.rs"]);
    // The MX data of the zone files: "10 mx1.example.com." after the MX type.
    let zones = [read(&repo_file("tests/fixtures/doh.zone")), opendmarc_zone().0];
    for line in zones.iter().flat_map(|z| z.lines()) {
        if let Some(at) = line.find(" MX ").or_else(|| line.find("\tMX\t")) {
            seeds.push(line[at + 4..].trim().as_bytes().to_vec());
        }
    }
    seeds
}

fn smtp_seeds() -> Vec<Vec<u8>> {
    literals_of(&[
        "crates/core/src/smtp/mod.rs",
        "crates/core/src/smtp/extract.rs",
        "crates/core/src/smtp/mask.rs",
        "crates/core/src/smtp/mime.rs",
        "crates/core/src/smtp/scan.rs",
        "crates/core/src/smtp/recipients.rs",
        "crates/core/src/smtp/words.rs",
        "crates/core/src/smtp/status.rs",
        "crates/core/src/smtp/provider.rs",
        "crates/core/src/smtp/meanings.rs",
        "crates/core/tests/smtp_reader.rs",
        "crates/core/tests/smtp_bounces.rs",
        "crates/core/tests/diagnosis_causes.rs",
    ])
}

fn zone_seeds() -> Vec<Vec<u8>> {
    let files = [read(&repo_file("tests/fixtures/doh.zone")), opendmarc_zone().0];
    let mut seeds = lines_of(&files);
    seeds.extend(files.iter().map(|f| f.as_bytes().to_vec()));
    seeds.extend(literals_of(&[
        "crates/core/src/dns/zone.rs",
        "crates/core/src/dns/memory.rs",
        "crates/core/tests/mx_reference_zones.rs",
    ]));
    seeds
}

fn domain_seeds() -> Vec<Vec<u8>> {
    literals_of(&["crates/core/src/input.rs", "crates/core/src/suffix.rs"])
}

fn ip_seeds() -> Vec<Vec<u8>> {
    literals_of(&["crates/core/src/address.rs", "crates/core/src/ptr/mod.rs", "crates/core/tests/ptr_check.rs"])
}

/// The key records of the parser's tests and the real openssl keys, as records.
fn dkim_key_seeds() -> Vec<Vec<u8>> {
    let mut seeds = literals_of(&[
        "crates/core/src/dkim/record.rs",
        "crates/core/src/dkim/key.rs",
        "crates/core/src/dkim/tags.rs",
        "crates/core/tests/dkim_record.rs",
        "crates/core/tests/dkim_check.rs",
    ]);
    for key in ["spki512", "spki1024", "spki2048", "spki4096", "pkcs1_1024", "pkcs1_2048", "ed_raw", "ed_spki"] {
        let b64 = read(&repo_file(&format!("crates/core/tests/data/dkim/{key}.b64")));
        let k = if key.starts_with("ed") { "ed25519" } else { "rsa" };
        seeds.push(format!("v=DKIM1; k={k}; p={}", b64.trim()).into_bytes());
    }
    seeds
}

/// The Gmail, Outlook.com and Yahoo header blocks of the reader's tests.
fn header_seeds() -> Vec<Vec<u8>> {
    literals_of(&[
        "crates/core/tests/header_reader.rs",
        "crates/core/src/header/mod.rs",
        "crates/core/src/header/received.rs",
        "crates/core/src/header/auth.rs",
    ])
}

const DKIM_TOKENS: &[&str] = &[
    "v=DKIM1",
    "v=DKIM2",
    "; ",
    ";",
    "=",
    "k=rsa",
    "k=ed25519",
    "h=sha1",
    "h=sha256",
    "h=sha1:sha256",
    "s=email",
    "s=*",
    "t=y",
    "t=s",
    "t=y:s",
    "n=",
    "p=",
    "p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ",
    "IDAQAB",
    "==",
    "=",
    "+",
    "/",
    " ",
    "\t",
    "\r\n ",
    ":",
    "\u{e9}",
    "\"",
];

const HEADER_TOKENS: &[&str] = &[
    "\r\n",
    "\n",
    "\n ",
    "\n\t",
    "\n\n",
    "Received: ",
    "from ",
    " by ",
    "(",
    ")",
    "[",
    "]",
    "[IPv6:2001:db8::1]",
    "209.85.220.41",
    "10.0.0.1",
    "; ",
    "Authentication-Results: ",
    "spf=pass",
    "dkim=pass",
    "dmarc=fail",
    "smtp.mailfrom=",
    "header.d=",
    "header.from=",
    "Received-SPF: ",
    "client-ip=",
    "DKIM-Signature: ",
    "d=",
    "s=",
    "a=rsa-sha1",
    "h=from:to",
    "From: ",
    "Return-Path: ",
    "<",
    ">",
    "@",
    "\"",
    "\u{0}",
    ":",
];

const DMARC_TOKENS: &[&str] = &[
    "v=DMARC1",
    "v=dmarc1",
    " v=DMARC1",
    ";",
    "; ",
    "=",
    " = ",
    "p=",
    "sp=",
    "np=",
    "psd=",
    "t=",
    "adkim=",
    "aspf=",
    "fo=",
    "rua=",
    "ruf=",
    "pct=",
    "rf=",
    "ri=",
    "none",
    "quarantine",
    "reject",
    "y",
    "n",
    "u",
    "r",
    "s",
    "0",
    "1",
    "d",
    ":",
    "mailto:",
    "https://",
    "!10m",
    "!",
    ",",
    "@",
    "example.com",
    " ",
    "\t",
    "\u{a0}",
    "\u{201c}",
    "%",
    "%2C",
];

const NAME_TOKENS: &[&str] = &[
    ".",
    "..",
    " ",
    "0",
    "10",
    "65535",
    "65536",
    "-1",
    "mx.example.com",
    "xn--",
    "xn--bcher-kva",
    "bücher",
    "ß",
    "\u{3002}",
    "@",
    "mailto:",
    "https://",
    "http://",
    ":8080",
    "/path",
    "?q=1",
    "#",
    "[",
    "]",
    "_",
    "-",
    "*",
    "192.0.2.1",
    "\t",
    "\u{200b}",
    "\u{fe0f}",
    "a",
];

const SMTP_TOKENS: &[&str] = &[
    "421",
    "451",
    "550",
    "4.4.2",
    "5.7.1",
    "4.7.0",
    "421-",
    "421 ",
    "\r\n",
    "\n",
    "Status: ",
    "Diagnostic-Code: smtp; ",
    "Remote-MTA: dns; ",
    "Final-Recipient: rfc822; ",
    "Action: delayed",
    "dsn=",
    "host ",
    "[",
    "]",
    "said: ",
    "(in reply to end of DATA command)",
    "timed out",
    "Connection refused",
    "lost connection",
    "<",
    ">",
    "@",
    "192.0.2.1",
    "2001:db8::1",
    "[IPv6:2001:db8::1]",
    "mx.example.com",
    "gmail",
    "outlook.com",
    ".",
    " ",
    // Bounce shapes: MIME parts, header fields, transcripts, mid-line markers.
    "Content-Type: multipart/report; boundary=\"b\"\n\n--b\n",
    "Content-Transfer-Encoding: quoted-printable\n\n",
    "Content-Transfer-Encoding: base64\n\n",
    "=\n",
    "=3D",
    "--b--\n",
    "X-Mailer: Apple Mail (2.753.1)\n",
    "Diagnostic-Code: X-Unix; ",
    "Action: failed\n",
    "<<< ",
    "#",
    "ERROR_CODE :",
    "]: ",
    "<421 4.4.2 ",
    "554 4.4.7 ",
    "Out: 250 2.0.0 Ok\n",
];

const WIRE_TOKENS: &[&str] = &[
    "\0",
    "\u{1}",
    "\u{c}",
    "\u{c0}\u{c}",
    "\u{ff}",
    "\u{3f}",
    "\0\u{1}\0\u{1}",
    "\0\u{10}\0\u{1}",
    "\0\u{f}\0\u{1}",
    "\u{7}example\u{3}com\0",
    "\u{81}\u{80}",
    "\u{81}\u{83}",
    "\0\0\u{29}\u{4}\u{d0}\0\0\0\0",
    "\0\u{f}\0\u{2}\0\u{16}",
    "\0\0\u{34}\0\u{1}",
];

const ZONE_TOKENS: &[&str] = &[
    "\n",
    " ",
    "\t",
    ";",
    "\"",
    "\\",
    "\\065",
    "\\256",
    ".",
    "300",
    "IN",
    "A",
    "AAAA",
    "MX",
    "TXT",
    "SPF",
    "PTR",
    "CNAME",
    "NS",
    "SOA",
    "FAULT",
    "EDE",
    "22",
    "AD",
    "TLSA",
    "3 1 1 ",
    "servfail",
    "latency=",
    "4294967296",
    "192.0.2.1",
    "2001:db8::1",
    "10",
    "example.com.",
];

const IP_TOKENS: &[&str] = &[
    "[",
    "]",
    "IPv6:",
    "::",
    "::ffff:",
    ":",
    ".",
    "/24",
    ":25",
    "%eth0",
    "192.0.2.1",
    "2001:db8::1",
    "0",
    "255",
    "256",
    "00",
    " ",
    "mail.example.com",
    "x",
];
