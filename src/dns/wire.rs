//! RFC 1035 wire format ↔ [`super::Lookup`]: the bodies of RFC 8484 exchanges.
