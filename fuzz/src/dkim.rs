//! The checks of the DKIM key record and message-header targets.

use maildoctor_core::dkim::{key_info, DkimKeyRecord};
use maildoctor_core::header::read_headers;

/// `"…".parse::<DkimKeyRecord>()`: offsets inside the text, the printed record
/// parses back equal, and reading the key data (DER) never panics.
pub fn check_dkim_key(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match text.parse::<DkimKeyRecord>() {
        Ok(record) => {
            let shown = record.to_string();
            assert_eq!(shown.parse::<DkimKeyRecord>().as_ref(), Ok(&record), "round trip of {text:?} via {shown:?}");
            if let Some(bytes) = record.key_bytes() {
                if let Err(e) = key_info(&record.key_type(), &bytes) {
                    assert!(e.offset <= bytes.len(), "key error offset {} beyond {} bytes: {e}", e.offset, bytes.len());
                }
            }
        }
        Err(e) => {
            assert!(e.offset <= text.len(), "error offset {} beyond {text:?}: {e}", e.offset);
            assert!(text.is_char_boundary(e.offset), "error offset {} inside a character of {text:?}: {e}", e.offset);
        }
    }
    // Raw bytes as key data too: the DER reader must survive anything.
    let _ = maildoctor_core::dkim::key::rsa_key_info(data);
}

/// `header::read_headers` on a paste: never panics; a found sending IP comes
/// from the text; every finding's span (if any) is a slice of its subject.
pub fn check_headers(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    match read_headers(&text) {
        Ok(headers) => {
            assert!(!headers.fields.is_empty(), "headers without fields from {text:?}");
            for f in &headers.findings {
                if let (Some(subject), Some(span)) = (&f.subject, &f.span) {
                    assert!(subject.get(span.clone()).is_some(), "span {span:?} outside {subject:?}");
                }
            }
            if let Some(ip) = &headers.sending_ip {
                let hop = ip.hop.map(|i| headers.received.get(i).is_some());
                assert_ne!(hop, Some(false), "sending IP from a hop that is not there");
            }
        }
        Err(e) => assert!(e.offset <= text.len(), "error offset {} beyond {} bytes: {e}", e.offset, text.len()),
    }
}
