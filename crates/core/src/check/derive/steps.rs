//! "Do these, in this order": the fixes that apply to this report, each
//! with what it acts on (the record to edit or delete, the corrected record
//! card, the request to send a hosting provider), computed once per batch.
//!
//! Order is the order a person works in: the domain's own records at the
//! registrar first (SPF, then DMARC, then MX), then what only the owner of
//! an IP address can change (reverse DNS).

use std::net::IpAddr;

use super::super::report::Report;
use super::super::{Answer, CheckId};
use super::Generated;
use crate::dns::{Lookup, Outcome};
use crate::finding::Code;
use crate::mx::{MxCode, MxReport};
use crate::ptr::{judged_as_sender, special_range, PtrCode, PtrReport, PtrRole};

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The `data-step`: `spf`, `spf-delete`, `dmarc`, `mx`, `ptr`.
    pub kind: &'static str,
    /// What to do, in one or two sentences.
    pub text: String,
    /// Records as published now that this step acts on, shown verbatim.
    pub current: Vec<String>,
    /// The record to publish: an index into [`super::Derived::generated`].
    pub card: Option<usize>,
    /// Text to send as it is: the reverse-DNS request to the IP's owner.
    pub letter: Option<String>,
}

fn step(kind: &'static str, text: String) -> Step {
    Step { kind, text, current: Vec::new(), card: None, letter: None }
}

/// The steps for a finished report (empty while nothing needs doing).
pub fn steps(report: &Report, generated: &[Generated]) -> Vec<Step> {
    let Some(request) = &report.request else { return Vec::new() };
    let domain = request.domain.ascii.as_str();
    let card = |kind: &str| generated.iter().position(|g| g.kind == kind);
    let mut out = Vec::new();
    if let Some(i) = card("spf") {
        // DNS returns a record set in any order (a real resolver and the fixture
        // differ): edit the longest record, the one with the most of the
        // person's senders in it, and delete the others, whatever the order.
        let mut records = report.spf().map(|s| s.records.clone()).unwrap_or_default();
        records.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let records = records.as_slice();
        let passes = generated[i].passes;
        let decide =
            if passes { "" } else { " First choose which senders to keep: the card below says why and lists them." };
        let edit =
            |current: &[String], text: String| Step { card: Some(i), current: current.to_vec(), ..step("spf", text) };
        match records {
            [] => out.push(edit(&[], format!("Add this SPF record.{decide}"))),
            [_] => out.push(edit(records, format!("Replace your SPF record with this one.{decide}"))),
            [first, rest @ ..] => {
                let merges = format!("Edit this SPF record to the value below, which merges them.{decide}");
                out.push(edit(std::slice::from_ref(first), merges));
                out.push(Step {
                    current: rest.to_vec(),
                    ..step("spf-delete", "Delete the other SPF record: with two, receivers ignore both.".into())
                });
            }
        }
    }
    if let Some(i) = card("dmarc") {
        let dmarc = report.dmarc();
        let current: Vec<String> = dmarc.and_then(|d| d.record_text.clone()).into_iter().collect();
        let mut text =
            if current.is_empty() { "Add this DMARC record." } else { "Replace your DMARC record with this one." }
                .to_string();
        // A record without rua gets one: ask where reports should go.
        let asks = dmarc.and_then(|d| d.record.as_ref()).is_none_or(|r| r.rua.is_empty());
        if asks {
            text.push_str(&format!(
                " Its reports go to {}: a mailbox you read? If not, put yours (or a report service's) after rua=mailto: before publishing.",
                super::report_address(domain)
            ));
        }
        out.push(Step { card: Some(i), current, ..step("dmarc", text) });
    }
    if let Some(mx) = report.mx() {
        mx_steps(mx, &mut out);
    }
    if let Some(Answer::Ptr(ptr)) = report.answer(CheckId::Ptr) {
        out.extend(ptr_steps(ptr, report.mx(), domain));
    }
    out
}

/// An MX that points at an alias: its finding already says where to point it.
fn mx_steps(mx: &MxReport, out: &mut Vec<Step>) {
    for f in &mx.findings {
        match &f.hint {
            Some(hint) if f.code == Code::Mx(MxCode::TargetCname) => out.push(step("mx", hint.clone())),
            _ => {}
        }
    }
}

/// The name an address's PTR should give: the mail host itself (at the end
/// of any alias), or for the sending server the MX host with that address;
/// `None` when no host of the domain has it.
fn ptr_name<'a>(ip: IpAddr, role: &PtrRole, mx: Option<&'a MxReport>) -> Option<&'a str> {
    let hosts = mx.map(|m| m.hosts.as_slice()).unwrap_or_default();
    let h = hosts.iter().find(|h| match role {
        PtrRole::MxHost(name) => &h.name == name,
        PtrRole::Sender => h.addresses.contains(&ip),
    })?;
    Some(h.lookups.iter().find_map(|l| l.cname_chain().last().copied()).unwrap_or(&h.name))
}

/// Reverse DNS: a missing PTR is set by the address's owner, so the step is
/// a request to send them; one that does not point back is fixed in the
/// domain's own zone, as its finding says.
fn ptr_steps(ptr: &PtrReport, mx: Option<&MxReport>, domain: &str) -> Vec<Step> {
    let mut out = Vec::new();
    for r in &ptr.results {
        let answered = r.lookup.as_ref().is_some_and(|l| !matches!(l.outcome, Outcome::Failed(_)));
        // The sending server's own step covers a mail host with its address: one PTR, one request.
        if !answered || special_range(r.ip).is_some() || judged_as_sender(r, &ptr.results) {
            continue;
        }
        let ip = r.ip;
        if r.confirmed == Some(false) {
            let ip = ip.to_string();
            let hint =
                ptr.findings.iter().find(|f| f.code == Code::Ptr(PtrCode::NotConfirmed) && f.message.contains(&ip));
            out.extend(hint.and_then(|f| f.hint.clone()).map(|h| step("ptr", h)));
            continue;
        }
        if !r.names.is_empty() {
            continue;
        }
        let known = ptr_name(ip, &r.role, mx);
        let name = known.map_or_else(|| format!("mail.{domain}"), str::to_string);
        let who = match &r.role {
            PtrRole::Sender => "your sending server",
            PtrRole::MxHost(_) => "a mail host (if it also sends your mail)",
        };
        let first = if known.is_some() { "" } else { "First publish an A/AAAA record for the name below. " };
        let text =
            format!("{first}{ip}, {who}, has no reverse DNS: send this to its owner, your hosting provider or ISP.");
        let letter = format!(
            "Hello,\n\nplease set the reverse DNS (PTR) of our IP address {ip} to {name}. That name resolves to {ip}, \
             so receiving mail servers can confirm it.\n\nThank you."
        );
        out.push(Step { letter: Some(letter), ..step("ptr", text) });
    }
    out
}

/// The longest TTL among a lookup's records of the asked type: how long a
/// resolver may keep answering with what is published now.
fn ttl(lookup: Option<&Lookup>) -> Option<u32> {
    let l = lookup?;
    l.records().iter().filter(|r| r.data.record_type() == l.rtype).map(|r| r.ttl).max()
}

/// 300 → "5 minutes", 3600 → "1 hour": the largest whole unit.
fn duration(seconds: u32) -> String {
    // A caching resolver counts a TTL down (296 s of a published 300): the
    // answer shows what is left, so a bound from it is rounded up to the minute.
    let seconds = if seconds >= 60 { seconds.div_ceil(60).saturating_mul(60) } else { seconds };
    let (n, unit) = [(86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second")]
        .into_iter()
        .find(|(size, _)| seconds >= *size && seconds.is_multiple_of(*size))
        .map_or((seconds, "second"), |(size, unit)| (seconds / size, unit));
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// What happens once the steps are done: how long the old answers may still
/// be served (each changed record's TTL, as the resolver returned it), that
/// deferred mail is retried, and how to see the fix in a received message.
pub fn after_publishing(report: &Report, steps: &[Step]) -> Vec<String> {
    if steps.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let has = |kind: &str| steps.iter().any(|s| s.kind == kind);
    let changed = [
        ("SPF", has("spf"), report.spf().and_then(|s| s.lookup.as_ref())),
        (
            "DMARC",
            has("dmarc"),
            // The record's own lookup, or (none published) the domain's `_dmarc` question.
            report.dmarc().and_then(|d| d.lookups.iter().find(|l| !l.joined_txt().is_empty()).or(d.lookups.first())),
        ),
        ("MX", has("mx"), report.mx().map(|m| &m.lookup)),
    ];
    for (name, _, lookup) in changed.iter().filter(|c| c.1) {
        out.push(match (ttl(*lookup), lookup.and_then(|l| l.negative_ttl)) {
            (Some(t), _) => format!("Receivers may use your old {name} record for up to {} (its TTL) after you change it.", duration(t)),
            (None, Some(t)) => format!("Resolvers see a new {name} record once they forget there was none: up to {}, your zone's negative-caching time (SOA record, RFC 2308).", duration(t)),
            (None, None) => format!("Resolvers see a new {name} record once they forget there was none: at most your zone's negative-caching time, the last number of its SOA record (RFC 2308)."),
        });
    }
    out.push("Your server retries deferred mail for days (Postfix: 5 days by default), so it still goes out once the fix is live.".into());
    out.push("To confirm, send a message to a Gmail address and open ⋮ → Show original: SPF, DKIM and DMARC should say PASS. In Outlook: File → Properties → Internet headers, Authentication-Results.".into());
    out
}

#[cfg(test)]
mod tests {
    use super::duration;

    #[test]
    fn durations_in_whole_units() {
        assert_eq!(duration(300), "5 minutes");
        assert_eq!(duration(3600), "1 hour");
        assert_eq!(duration(172_800), "2 days");
        assert_eq!(duration(90), "2 minutes");
        assert_eq!(duration(296), "5 minutes", "a cached 300 s TTL, counted down");
        assert_eq!(duration(86_395), "1 day");
        assert_eq!(duration(59), "59 seconds");
        assert_eq!(duration(1), "1 second");
        assert_eq!(duration(0), "0 seconds");
    }
}
