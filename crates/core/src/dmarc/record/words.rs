//! A DMARC record in plain sentences, one per tag it holds, for people who
//! do not read `p=quarantine; adkim=s` at a glance (issue 21; dmarcian and
//! other checkers explain records the same way). Meanings from RFC 9989 §4.7
//! (draft-ietf-dmarc-dmarcbis-41); `pct`, `rf` and `ri` are RFC 7489 tags that
//! RFC 9989 removed.

use super::{Alignment, DmarcRecord, FailureOption, Policy, Psd, ReportUri};

/// What receivers do with failing mail under `p`.
fn policy_words(p: Policy) -> &'static str {
    match p {
        Policy::None => "receivers deliver it as usual and only report it",
        Policy::Quarantine => "receivers treat it as suspicious, usually the spam folder",
        Policy::Reject => "receivers refuse it",
    }
}

fn alignment_words(a: Alignment) -> &'static str {
    match a {
        Alignment::Strict => "only when it is exactly the From domain",
        Alignment::Relaxed => "when it shares the From domain's organizational domain",
    }
}

fn uris(list: &[ReportUri]) -> String {
    list.iter().map(|u| u.uri.as_str()).collect::<Vec<_>>().join(", ")
}

fn failure_option(o: FailureOption) -> &'static str {
    match o {
        FailureOption::AllFail => "when SPF and DKIM both fail",
        FailureOption::AnyFail => "when either SPF or DKIM fails",
        FailureOption::Dkim => "when a DKIM signature fails",
        FailureOption::Spf => "when SPF fails",
    }
}

impl DmarcRecord {
    /// One sentence per tag the record holds, in the order of RFC 9989 §4.7.
    pub fn in_words(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut policy = |tag: &str, whose: &str, p: Option<Policy>| {
            if let Some(p) = p {
                out.push(format!("{tag}={p}: mail from {whose} that fails DMARC — {}.", policy_words(p)));
            }
        };
        policy("p", "the domain", self.p);
        policy("sp", "its subdomains", self.sp);
        policy("np", "subdomains that do not exist", self.np);
        match self.t {
            Some(true) => out.push(
                "t=y: testing — receivers apply one level less (quarantine as none, reject as quarantine).".into(),
            ),
            Some(false) => out.push("t=n: not testing — the policy applies in full.".into()),
            None => {}
        }
        if let Some(a) = self.adkim {
            out.push(format!("adkim={}: a DKIM signature's domain (d=) counts {}.", a.as_str(), alignment_words(a)));
        }
        if let Some(a) = self.aspf {
            out.push(format!("aspf={}: the envelope sender's domain (SPF) counts {}.", a.as_str(), alignment_words(a)));
        }
        if !self.rua.is_empty() {
            out.push(format!("rua: aggregate reports (usually daily) go to {}.", uris(&self.rua)));
        }
        if !self.ruf.is_empty() {
            out.push(format!(
                "ruf: reports on single failing messages go to {} (few receivers send them).",
                uris(&self.ruf)
            ));
        }
        if !self.fo.is_empty() {
            let when: Vec<&str> = self.fo.iter().map(|o| failure_option(*o)).collect();
            let codes: Vec<&str> = self.fo.iter().map(|o| o.as_str()).collect();
            out.push(format!("fo={}: a failure report is asked for {}.", codes.join(":"), when.join(", or ")));
        }
        match self.psd {
            Some(Psd::Yes) => {
                out.push("psd=y: the domain is a public suffix (like a TLD), not an organization's.".into())
            }
            Some(Psd::No) => out.push("psd=n: the domain is an organizational domain.".into()),
            _ => {}
        }
        if let Some(pct) = self.pct {
            out.push(format!("pct={pct}: an old tag (RFC 7489) that RFC 9989 removed (t=y replaces pct=0); newer receivers ignore it."));
        }
        if self.rf.is_some() || self.ri.is_some() {
            out.push("rf / ri: old tags (RFC 7489) that RFC 9989 removed; receivers ignore them.".into());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::DmarcRecord;

    #[test]
    fn each_tag_in_one_sentence() {
        let cases: &[(&str, &[&str])] = &[
            ("v=DMARC1; p=none", &["p=none: mail from the domain that fails DMARC — receivers deliver it as usual and only report it."]),
            (
                "v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=r",
                &[
                    "p=reject: mail from the domain that fails DMARC — receivers refuse it.",
                    "sp=quarantine: mail from its subdomains that fails DMARC — receivers treat it as suspicious, usually the spam folder.",
                    "np=reject: mail from subdomains that do not exist that fails DMARC — receivers refuse it.",
                    "adkim=s: a DKIM signature's domain (d=) counts only when it is exactly the From domain.",
                    "aspf=r: the envelope sender's domain (SPF) counts when it shares the From domain's organizational domain.",
                ],
            ),
            (
                "v=DMARC1; p=quarantine; t=y; rua=mailto:a@example.com,mailto:b@example.net; ruf=mailto:f@example.com; fo=1:d",
                &[
                    "p=quarantine: mail from the domain that fails DMARC — receivers treat it as suspicious, usually the spam folder.",
                    "t=y: testing — receivers apply one level less (quarantine as none, reject as quarantine).",
                    "rua: aggregate reports (usually daily) go to mailto:a@example.com, mailto:b@example.net.",
                    "ruf: reports on single failing messages go to mailto:f@example.com (few receivers send them).",
                    "fo=1:d: a failure report is asked for when either SPF or DKIM fails, or when a DKIM signature fails.",
                ],
            ),
            (
                "v=DMARC1; p=none; pct=20; ri=3600",
                &[
                    "p=none: mail from the domain that fails DMARC — receivers deliver it as usual and only report it.",
                    "pct=20: an old tag (RFC 7489) that RFC 9989 removed (t=y replaces pct=0); newer receivers ignore it.",
                    "rf / ri: old tags (RFC 7489) that RFC 9989 removed; receivers ignore them.",
                ],
            ),
        ];
        for (text, want) in cases {
            let record: DmarcRecord = text.parse().unwrap();
            assert_eq!(record.in_words(), *want, "{text}");
        }
    }
}
