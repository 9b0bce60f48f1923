//! DNS-over-HTTPS client (RFC 8484), browser only.
