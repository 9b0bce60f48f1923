//! Turning a record into what a registrar's form, an API or a zone file wants.
//!
//! TXT data is one or more character-strings of at most 255 octets each
//! (RFC 1035 §3.3.14); SPF (RFC 7208 §3.3) and DMARC (RFC 7489 §6.1) read
//! them concatenated without spaces, so a long value may be split anywhere.

use crate::dns::{escape_character_string, normalize_name, RecordType};

/// Longest character-string (RFC 1035 §3.3).
pub const MAX_STRING: usize = 255;

/// A record ready to paste.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RegistrarRecord {
    pub rtype: RecordType,
    /// Relative to the domain: "@" for the domain itself, "_dmarc", "mail", …
    pub host_short: String,
    /// Fully qualified with the trailing dot: "_dmarc.example.com."
    pub host_fqdn: String,
    /// The value as one string (what one-box registrar forms want).
    pub value: String,
    /// The value split into character-strings of at most 255 octets.
    pub strings: Vec<String>,
    /// `"…" "…"`: the strings quoted and escaped, for zone files and forms that want quotes.
    pub quoted: String,
    pub ttl: u32,
    /// A BIND zone-file line.
    pub zone_line: String,
    /// Which form which registrar wants, and warnings about this value.
    pub notes: Vec<String>,
}

/// `host` may be "@", "", a relative name ("_dmarc"), or the full name with
/// or without the trailing dot; `domain` is the zone's domain.
pub fn registrar(rtype: RecordType, host: &str, domain: &str, value: &str, ttl: u32) -> RegistrarRecord {
    let domain = normalize_name(domain.trim());
    let host = normalize_name(host.trim());
    let relative = if host.is_empty() || host == "@" || host == domain {
        String::new()
    } else if let Some(head) = host.strip_suffix(&format!(".{domain}")) {
        head.to_string()
    } else {
        host.clone()
    };
    let host_short = if relative.is_empty() { "@".to_string() } else { relative.clone() };
    let host_fqdn = match (relative.is_empty(), domain.is_empty()) {
        (true, _) => format!("{domain}."),
        (false, true) => format!("{relative}."),
        (false, false) => format!("{relative}.{domain}."),
    };

    let is_text = matches!(rtype, RecordType::Txt | RecordType::Spf);
    let strings = if is_text { split_strings(value) } else { vec![value.to_string()] };
    let quoted = if is_text {
        strings.iter().map(|s| format!("\"{}\"", escape_character_string(s.as_bytes()))).collect::<Vec<_>>().join(" ")
    } else {
        value.to_string()
    };
    let zone_line = format!("{host_fqdn} {ttl} IN {rtype} {quoted}");

    let mut notes = vec![
        format!(
            "Host/Name: most registrar panels (GoDaddy, Namecheap, Cloudflare, OVH, IONOS, Gandi, Porkbun) want \"{host_short}\" and add {domain} themselves; the full name there can create {}{domain}.",
            if relative.is_empty() { format!("{domain}.") } else { format!("{relative}.{domain}.") }
        ),
        format!(
            "Zone files, DNS APIs and some consoles (BIND, PowerDNS, the Route 53 and Google Cloud DNS APIs) want the full name \"{host_fqdn}\" with the trailing dot."
        ),
    ];
    if is_text {
        notes.push(
            "Value: paste it without quotes into a one-box form; the panel adds them. If the form keeps quotes as text, remove them."
                .to_string(),
        );
        if strings.len() > 1 {
            notes.push(format!(
                "The value is {} octets, over the 255-octet limit of one TXT string, so it is split into {} strings that receivers join without spaces (RFC 7208 §3.3). If your panel rejects the long value, paste the quoted form: {quoted}",
                value.len(),
                strings.len()
            ));
        }
    }
    if ttl < 300 {
        notes.push(format!(
            "A TTL of {ttl} s is very short; 300–3600 s is usual (300 while you are still changing the record)."
        ));
    } else if ttl > 86_400 {
        notes.push(format!("A TTL of {ttl} s means a mistake stays cached for over a day; 3600 s is usual."));
    }
    RegistrarRecord { rtype, host_short, host_fqdn, value: value.to_string(), strings, quoted, ttl, zone_line, notes }
}

/// Splits `value` into strings of at most 255 octets, on character
/// boundaries, preferring to cut just after a space so each piece reads well.
pub fn split_strings(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = value;
    while rest.len() > MAX_STRING {
        let mut cut = MAX_STRING;
        while cut > 0 && !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        // After a space in the last third, if there is one.
        if let Some(space) = rest.get(..cut).and_then(|head| head.rfind(' ')) {
            if space + 1 >= MAX_STRING * 2 / 3 {
                cut = space + 1;
            }
        }
        if cut == 0 {
            break;
        }
        let (head, tail) = rest.split_at(cut);
        out.push(head.to_string());
        rest = tail;
    }
    out.push(rest.to_string());
    out
}
