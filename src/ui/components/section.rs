//! A check's section: badge, own progress, findings in plain words, raw evidence.

use yew::prelude::*;

use super::generated::terms;
use crate::ui::state::{CheckId, Status};
use maildoctor_core::dns::{Lookup, Outcome};
use maildoctor_core::finding::{Finding, Severity};

/// What every check's section shows around its own content.
pub struct Section<'a> {
    pub check: CheckId,
    pub status: Status,
    /// One line under the title: what was found, or what is being asked.
    pub summary: String,
    /// When the status is Unknown: why we could not ask.
    pub failure: Option<String>,
    /// When the status is not Unknown but some lookups failed: which, and why.
    pub partial_failure: Option<String>,
    /// Asks the check again (offered with a failure); opens the raw answers.
    pub controls: Option<&'a Controls>,
    pub findings: &'a [Finding],
    /// The lookups behind the section, shown collapsed.
    pub evidence: &'a [Lookup],
}

impl<'a> Section<'a> {
    /// The section of an answered check. Why we could not ask comes from the
    /// first failed lookup: of `main` (the questions the status rests on) when
    /// the status is Unknown, else of any in `evidence` (a partial failure).
    pub fn answered(
        check: CheckId,
        status: Status,
        summary: String,
        findings: &'a [Finding],
        evidence: &'a [Lookup],
        main: impl Iterator<Item = &'a Lookup>,
        controls: &'a Controls,
    ) -> Section<'a> {
        let (failure, partial_failure) = if status == Status::Unknown {
            (failure_reason(main), None)
        } else {
            (None, failure_reason(evidence.iter()))
        };
        Section { check, status, summary, failure, partial_failure, controls: Some(controls), findings, evidence }
    }

    /// The section while the check's answer is out: `asking` says what is being asked.
    pub fn pending(check: CheckId, asking: &str) -> Section<'static> {
        Section {
            check,
            status: Status::Pending,
            summary: asking.to_string(),
            failure: None,
            partial_failure: None,
            controls: None,
            findings: &[],
            evidence: &[],
        }
    }
}

/// A check's section: heading with badge, summary, why we could not ask (with
/// a retry), `content`, then the findings and the raw evidence.
/// (A plain function, not a component: it borrows the findings and lookups
/// instead of cloning them into props, and costs no component code in the wasm.
/// Whether the evidence was opened comes from the check's `CheckView`.)
pub fn check_section(section: Section<'_>, content: Html) -> Html {
    let Section { check, status, summary, failure, partial_failure, controls, findings: found, evidence: asked } =
        section;
    let on_retry = controls.map(|c| &c.on_retry);
    let heading_id = format!("h-{}", check.key());
    let busy = if status == Status::Pending { "true" } else { "false" };
    let retry = |on_retry: &Callback<CheckId>| {
        let on_retry = on_retry.clone();
        html! { <button type="button" class="retry" onclick={move |_| on_retry.emit(check)}>{ "Ask again" }</button> }
    };
    html! {
        <section id={format!("check-{}", check.key())} class="check" data-check={check.key()} data-status={status.key()}
            aria-labelledby={heading_id.clone()} aria-busy={busy}>
            <header class="check-head">
                <h2 id={heading_id}>{ check.title() }</h2>
                <span class="badge" data-status={status.key()}>{ status.label() }</span>
            </header>
            if !summary.is_empty() {
                <p class="summary">{ summary }</p>
            }
            if let Some(reason) = failure {
                <div class="couldnt-ask">
                    <p>{ "We couldn't ask the resolver, so this says nothing about your records: " }{ reason }</p>
                    { for on_retry.map(retry) }
                </div>
            }
            if let Some(reason) = partial_failure {
                <div class="couldnt-ask partial">
                    <p>{ "Some questions could not be asked, so parts of this section are unknown: " }{ reason }</p>
                    { for on_retry.map(retry) }
                </div>
            }
            { content }
            if !found.is_empty() {
                { findings(found) }
            }
            if let Some(controls) = controls.filter(|_| !asked.is_empty()) {
                { evidence(asked, controls) }
            }
        </section>
    }
}

/// Findings, worst first (stable within a severity), in plain words with the RFC link.
/// (Plain functions, not components: each component costs wasm size.)
pub fn findings(findings: &[Finding]) -> Html {
    let mut ordered: Vec<&Finding> = findings.iter().collect();
    maildoctor_core::rank::sort_by_rank(&mut ordered, |f| -(f.severity as i64));
    html! {
        <ul class="findings">
            { for ordered.into_iter().map(finding_item) }
        </ul>
    }
}

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Ok => "OK",
        Severity::Info => "Note",
        Severity::Warning => "Warning",
        Severity::Error => "Problem",
    }
}

fn finding_item(f: &Finding) -> Html {
    html! {
        <li class="finding" data-code={code_hook(f)} data-severity={f.severity.to_string()}>
            <span class="sev" data-severity={f.severity.to_string()}>{ severity_label(f.severity) }</span>
            <span class="message">{ f.message.clone() }</span>
            if let Some((before, marked, after)) = f.marked_subject().filter(|(_, m, _)| !m.is_empty()) {
                <code class="excerpt">{ head_ellipsis(before) }<mark>{ marked }</mark>{ tail_ellipsis(after) }</code>
            }
            if let Some(hint) = &f.hint {
                <span class="hint">{ hint.clone() }</span>
            }
            if let Some(rfc) = &f.rfc {
                <a class="rfc" href={rfc.url()} target="_blank" rel="noopener noreferrer">{ rfc.to_string() }</a>
            }
        </li>
    }
}

/// How much of a record to show on either side of the marked part.
const EXCERPT_CONTEXT: usize = 40;

/// At most the last `EXCERPT_CONTEXT` characters of `text`, cut at a space
/// (a term boundary) when there is one, "…" in front if cut.
fn head_ellipsis(text: &str) -> String {
    match text.char_indices().rev().nth(EXCERPT_CONTEXT) {
        Some((i, c)) => {
            let kept = &text[i + c.len_utf8()..];
            let kept = kept.find(' ').map_or(kept, |space| &kept[space + 1..]);
            format!("…{kept}")
        }
        None => text.to_string(),
    }
}

/// At most the first `EXCERPT_CONTEXT` characters of `text`, cut at a space
/// when there is one, "…" after if cut.
fn tail_ellipsis(text: &str) -> String {
    match text.char_indices().nth(EXCERPT_CONTEXT) {
        Some((i, _)) => {
            let kept = &text[..i];
            let kept = kept.rfind(' ').map_or(kept, |space| &kept[..=space]);
            format!("{kept}…")
        }
        None => text.to_string(),
    }
}

/// What a check's component (`report::CheckView`) hands its section: how to
/// ask the check again, its folded blocks and its copy buttons.
pub struct Controls {
    pub on_retry: Callback<CheckId>,
    pub folds: Folds,
    pub copies: super::copy::Copies,
}

/// The folded blocks (closed `<details>`) of a part of the report: whether
/// one of them has been opened, and the `toggle` event that says so (the
/// first one is an opening). Until then each shows its summary only; after,
/// every body of that part is in the page (kept when closed again). Almost
/// nobody opens them, yet rendered up front they were over a third of the
/// report's DOM (`report::CheckView`, `report::ReportView`).
pub struct Folds {
    pub open: bool,
    pub on_toggle: Callback<Event>,
}

impl Folds {
    /// What a folded block holds below its summary: `body()` once this
    /// part's blocks have been opened, else nothing. (Each block writes its
    /// own `<details class="…">`: a class given as a value would bring in
    /// yew's `Classes`, see tests/ui_source.rs.)
    pub fn body(&self, body: impl FnOnce() -> Html) -> Html {
        if self.open {
            body()
        } else {
            Html::default()
        }
    }
}

/// The raw answers, collapsed: "Raw DNS answers (N queries)", and inside, only
/// once the person has opened it, the `lookup_list`.
pub fn evidence(lookups: &[Lookup], controls: &Controls) -> Html {
    let count = lookups.len();
    html! {
        <details class="evidence" ontoggle={controls.folds.on_toggle.clone()}>
            <summary>{ format!("Raw DNS answers ({count} quer{})", if count == 1 { "y" } else { "ies" }) }</summary>
            { controls.folds.body(|| lookup_list(lookups)) }
        </details>
    }
}

/// The opened evidence: each question, how it came back, each record as text.
pub fn lookup_list(lookups: &[Lookup]) -> Html {
    html! {
        <ul class="lookups">
            { for lookups.iter().map(|l| html! {
                <li class="lookup">
                    <div class="question"><code>{ format!("{} {}", l.name, l.rtype) }</code>{ " → " }{ l.status() }
                        if let Some(d) = l.dnssec() { <span class="ad">{ " · " }{ d.label() }</span> }
                    </div>
                    if !l.records().is_empty() {
                        <ul class="records">
                            { for l.records().iter().map(|r| html! { <li><code class="record">{ terms(&r.to_string()) }</code></li> }) }
                        </ul>
                    }
                </li>
            }) }
        </ul>
    }
}

/// Why we could not ask, from the first lookup that failed ("asking for x MX: timed out").
pub fn failure_reason<'a>(mut lookups: impl Iterator<Item = &'a Lookup>) -> Option<String> {
    lookups.find_map(|l| match &l.outcome {
        // The status carries the resolver's reason (EDE) and a DNSSEC failure.
        Outcome::Failed(_) => Some(format!("asking for {} {}: {}.", l.name, l.rtype, l.status())),
        _ => None,
    })
}

/// `data-code`, the finding's code as text: a hook for the component tests
/// (SSR, native). The page itself leaves it out, so the text of every finding
/// code stays out of the wasm (measured 2026-12-05: see the commit).
fn code_hook(f: &Finding) -> Option<&'static str> {
    if cfg!(target_arch = "wasm32") {
        None
    } else {
        Some(f.code.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::{head_ellipsis, tail_ellipsis};

    #[test]
    fn excerpts_are_cut_at_term_boundaries_and_never_inside_a_character() {
        assert_eq!(head_ellipsis("v=spf1 "), "v=spf1 ");
        assert_eq!(tail_ellipsis(" -all"), " -all");
        let terms = "v=spf1 include:a.example include:b.example include:c.example ";
        assert_eq!(head_ellipsis(terms), "…include:b.example include:c.example ");
        assert_eq!(tail_ellipsis(terms), "v=spf1 include:a.example …");
        // 50 two-byte characters and no space: cut by characters, not bytes.
        let wide = "é".repeat(50);
        assert_eq!(head_ellipsis(&wide), format!("…{}", "é".repeat(40)));
        assert_eq!(tail_ellipsis(&wide), format!("{}…", "é".repeat(40)));
    }
}
