//! DMARC (RFC 9989): which policy record applies to a domain, whether it is
//! sound, and whether its report destinations accept the reports.
//!
//! - [`record`]: the record's positioned parser (`FromStr`) and printer (`Display`).
//! - [`discovery`]: the DNS tree walk that finds the record and the organizational domain.
//! - [`check`]: [`check_dmarc`], turning all that into findings with evidence.
//!
//! Issue 17 ("DMARC to the letter") pinned each reading to the RFC text; the
//! table tests in `tests/dmarc_letter.rs` quote the deciding sentences.

pub mod check;
pub mod discovery;
#[cfg(test)]
mod proptests;
pub mod record;

pub use check::{check_dmarc, DmarcReport, ExternalDestination};
pub use discovery::{
    discover, walk_names, Discovery, Existence, OrgRule, PolicySource, StepFound, WalkStep, MAX_WALK_QUERIES,
};
pub use record::{
    parse_dmarc, version_match, Alignment, DmarcErrorKind, DmarcParseError, DmarcRecord, FailureOption, ParsedDmarc,
    Policy, Psd, ReportUri, VersionMatch,
};

finding_codes! {
    /// The finding codes of this check; text form `dmarc.<name>`.
    pub enum DmarcCode: Dmarc, "dmarc" {
        ExternalAuthorized = "external-authorized",
        ExternalUnauthorized = "external-unauthorized",
        HeaderNoFrom = "header-no-from",
        Inherited = "inherited",
        InvalidUri = "invalid-uri",
        LegacyTag = "legacy-tag",
        LookupFailed = "lookup-failed",
        MissingP = "missing-p",
        Multiple = "multiple",
        NoRua = "no-rua",
        None = "none",
        NotAligned = "not-aligned",
        NpMissing = "np-missing",
        Ok = "ok",
        PNone = "p-none",
        PublicSuffix = "public-suffix",
        RuaNotMailto = "rua-not-mailto",
        SizeSuffix = "size-suffix",
        SpWeaker = "sp-weaker",
        Syntax = "syntax",
        TagCase = "tag-case",
        Testing = "testing",
        UnknownTag = "unknown-tag",
    }
}

/// The registry's contract (see `check`).
impl crate::check::CheckReport for DmarcReport {
    fn findings(&self) -> &[crate::finding::Finding] {
        &self.findings
    }

    fn lookups(&self) -> Vec<crate::dns::Lookup> {
        self.lookups.clone()
    }

    /// Unknown when no record was found and a lookup of the walk failed: the record may be there.
    fn status(&self) -> crate::check::Status {
        let failed = self.record_text.is_none() && self.lookups.iter().any(|l| l.is_failure());
        crate::check::Status::of(failed, &self.findings)
    }
}
