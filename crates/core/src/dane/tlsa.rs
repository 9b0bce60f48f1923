//! A TLSA record's data (RFC 6698 §2) in presentation form — `3 1 1 <hex>` — with
//! a positioned parser (`FromStr`) and a printer (`Display`, upper-case hex as dig
//! prints it) that parses back to the same value; and what its fields mean for SMTP
//! (RFC 7672 §3.1: only DANE-TA(2) and DANE-EE(3) are usable there).

use std::fmt;
use std::str::FromStr;

use crate::dns::RData;
use crate::parse_error::ParseError;

/// One TLSA record's fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Tlsa {
    /// Certificate usage: 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 7218 names).
    pub usage: u8,
    /// 0 full certificate, 1 SubjectPublicKeyInfo.
    pub selector: u8,
    /// 0 exact match, 1 SHA-256, 2 SHA-512.
    pub matching_type: u8,
    pub data: Vec<u8>,
}

/// Something about a TLSA record that makes it unusable or suspect for SMTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TlsaIssue {
    /// Usage 0 or 1 (PKIX-TA/PKIX-EE): RFC 7672 §3.1.3 says SMTP clients treat them as unusable.
    PkixUsage,
    /// A usage above 3: not defined.
    UnknownUsage,
    /// A selector above 1: not defined.
    UnknownSelector,
    /// A matching type above 2: not defined.
    UnknownMatchingType,
    /// A digest whose length does not fit its matching type (32 octets for SHA-256, 64 for SHA-512).
    DigestLength,
    /// No association data at all.
    EmptyData,
}

impl Tlsa {
    pub fn from_rdata(data: &RData) -> Option<Tlsa> {
        match data {
            RData::Tlsa { usage, selector, matching_type, data } => {
                Some(Tlsa { usage: *usage, selector: *selector, matching_type: *matching_type, data: data.clone() })
            }
            _ => None,
        }
    }

    /// RFC 7218 acronym of the usage, or `None` if undefined.
    pub fn usage_name(&self) -> Option<&'static str> {
        ["PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"].get(usize::from(self.usage)).copied()
    }

    /// Everything wrong with this record for SMTP, most serious first.
    pub fn issues(&self) -> Vec<TlsaIssue> {
        let mut out = Vec::new();
        match self.usage {
            0 | 1 => out.push(TlsaIssue::PkixUsage),
            2 | 3 => {}
            _ => out.push(TlsaIssue::UnknownUsage),
        }
        if self.selector > 1 {
            out.push(TlsaIssue::UnknownSelector);
        }
        // RFC 6698 §2.1.3: 1 is SHA-256 (32 octets), 2 is SHA-512 (64 octets).
        match (self.matching_type, self.data.len()) {
            (_, 0) => out.push(TlsaIssue::EmptyData),
            (1, n) if n != 32 => out.push(TlsaIssue::DigestLength),
            (2, n) if n != 64 => out.push(TlsaIssue::DigestLength),
            (0..=2, _) => {}
            _ => out.push(TlsaIssue::UnknownMatchingType),
        }
        out
    }

    /// Usable for SMTP: DANE-TA or DANE-EE, defined selector and matching type, a digest of the right length.
    pub fn usable_for_smtp(&self) -> bool {
        self.issues().is_empty()
    }
}

/// What is wrong in a TLSA record's presentation text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum TlsaErrorKind {
    /// Usage, selector or matching type missing or not a number 0–255.
    BadField,
    /// The association data is not hexadecimal octets.
    BadHex,
}

pub type TlsaError = ParseError<TlsaErrorKind>;

impl FromStr for Tlsa {
    type Err = TlsaError;

    /// `usage selector matching-type hex…` (the hex may be split by spaces, RFC 6698 §2.2).
    fn from_str(text: &str) -> Result<Tlsa, TlsaError> {
        let mut words = text.split([' ', '\t']).filter(|w| !w.is_empty()).map(|w| {
            // The byte offset of the word: its address within `text`.
            (w.as_ptr() as usize - text.as_ptr() as usize, w)
        });
        let mut number = |what: &str| -> Result<u8, TlsaError> {
            match words.next() {
                Some((at, w)) => w.parse::<u8>().map_err(|_| {
                    ParseError::new(
                        TlsaErrorKind::BadField,
                        at,
                        format!("The {what} \"{w}\" is not a number from 0 to 255."),
                    )
                }),
                None => Err(ParseError::new(TlsaErrorKind::BadField, text.len(), format!("The {what} is missing."))),
            }
        };
        let (usage, selector, matching_type) = (number("usage")?, number("selector")?, number("matching type")?);
        let mut data = Vec::new();
        for (at, word) in words {
            if let Some(i) = word.bytes().position(|b| !b.is_ascii_hexdigit()) {
                return Err(ParseError::new(TlsaErrorKind::BadHex, at + i, "The data must be hexadecimal digits."));
            }
            if word.len() % 2 == 1 {
                return Err(ParseError::new(TlsaErrorKind::BadHex, at, "A group of hex digits has an odd length."));
            }
            for i in (0..word.len()).step_by(2) {
                data.push(word.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0));
            }
        }
        Ok(Tlsa { usage, selector, matching_type, data })
    }
}

impl fmt::Display for Tlsa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.usage, self.selector, self.matching_type)?;
        if !self.data.is_empty() {
            f.write_str(" ")?;
            for b in &self.data {
                write!(f, "{b:02X}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issues_per_rfc_7672() {
        let t = |text: &str| text.parse::<Tlsa>().unwrap().issues();
        let sha256 = "00".repeat(32);
        assert_eq!(t(&format!("3 1 1 {sha256}")), vec![]);
        assert_eq!(t(&format!("2 0 1 {sha256}")), vec![]);
        assert_eq!(t(&format!("1 1 1 {sha256}")), vec![TlsaIssue::PkixUsage]);
        assert_eq!(t(&format!("3 1 2 {sha256}")), vec![TlsaIssue::DigestLength]);
        assert_eq!(
            t("4 2 3 00"),
            vec![TlsaIssue::UnknownUsage, TlsaIssue::UnknownSelector, TlsaIssue::UnknownMatchingType]
        );
        assert_eq!(t("3 1 0"), vec![TlsaIssue::EmptyData]);
        assert_eq!(t("3 0 0 3082"), vec![]);
    }
}
