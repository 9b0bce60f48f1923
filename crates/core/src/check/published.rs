//! What "check again" compares (issue 21): the domain's SPF, DMARC and MX
//! records as a finished run saw them, and the sentences that say what
//! changed since the run before. A run keeps the one before it only when it
//! checks the same domain ([`super::report::Report::before`]).

use super::report::Report;

/// The records a person is told to change, as one run saw them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    spf: Vec<String>,
    dmarc: Option<String>,
    mx: Vec<String>,
}

impl Published {
    /// The records of a finished run; `None` while answers are out or when a
    /// lookup could not be asked (that says nothing about what is published).
    pub fn of(report: &Report) -> Option<Published> {
        if report.in_flight() {
            return None;
        }
        let (spf, dmarc, mx) = (report.spf()?, report.dmarc()?, report.mx()?);
        let failed = spf.lookup.as_ref().is_none_or(|l| l.is_failure())
            || mx.lookup.is_failure()
            || dmarc.lookups.iter().any(|l| l.is_failure());
        if failed {
            return None;
        }
        // Sorted: a server may send an RRset in any order, and rotates it
        // (RFC 1035 §6.3, RFC 2181 §5), so two answers in a different order
        // are the same records, not a change. (Found by the real DoH stack:
        // unbound sent broken.example's two SPF records the other way round.)
        let mut mx: Vec<String> = mx.lookup.data().map(|d| d.to_string()).collect();
        mx.sort();
        let mut spf_records = spf.records.clone();
        spf_records.sort();
        Some(Published { spf: spf_records, dmarc: dmarc.record_text.clone(), mx })
    }

    /// One sentence per record that changed since `before` (old → new), or
    /// one that says nothing did.
    pub fn changes_since(&self, before: &Published) -> Vec<String> {
        let shown = |list: &[String]| if list.is_empty() { "none".to_string() } else { list.join(" | ") };
        let mut out = Vec::new();
        if self.spf != before.spf {
            out.push(format!("SPF: {} → {}", shown(&before.spf), shown(&self.spf)));
        }
        if self.dmarc != before.dmarc {
            let shown = |d: &Option<String>| d.clone().unwrap_or_else(|| "none".into());
            out.push(format!("DMARC: {} → {}", shown(&before.dmarc), shown(&self.dmarc)));
        }
        if self.mx != before.mx {
            out.push(format!("MX: {} → {}", shown(&before.mx), shown(&self.mx)));
        }
        if out.is_empty() {
            out.push("No change in the SPF, DMARC and MX records since the last check. A fix you just published may not show yet: resolvers keep the old answer for its TTL (see \"After publishing\").".into());
        }
        out
    }
}
