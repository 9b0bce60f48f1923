//! The report: verdict line, the summary strip, progress, the causes, then
//! one section per check of the registry. Renders the state it is given:
//! the diagnosis, the corrected records and the badges come derived
//! (`maildoctor_core::check::derive`), computed once per answer batch.

use std::rc::Rc;

use yew::prelude::*;

use super::blocklists::blocklist_section;
use super::diagnosis::{causes, check_yourself};
use super::dkim::dkim_section;
use super::dmarc::dmarc_section;
use super::generated::steps_list;
use super::ptr::ptr_section;
use super::records::{mx_section, pending_section, txt_section};
use super::requirements::requirements;
use super::spf::spf_section;
use super::transport::{bimi_section, dane_section, mta_sts_section, tlsrpt_section};
use crate::ui::state::{Answer, CheckId, Derived, State};
use maildoctor_core::check::derive::{Headline, Tone};
use maildoctor_core::check::report::Report;
use maildoctor_core::check::request::ResolverSetting;

#[derive(Properties)]
pub struct ReportProps {
    pub state: Rc<State>,
    pub on_retry: Callback<CheckId>,
    /// Runs the same check again ("Check again" after publishing a fix).
    pub on_again: Callback<()>,
}

impl PartialEq for ReportProps {
    /// A changed state is a new `Rc` (the reducer returns the very same one
    /// when nothing changed), so identity says it all without comparing the
    /// whole report and everything derived from it.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.state, &other.state) && self.on_retry == other.on_retry && self.on_again == other.on_again
    }
}

#[function_component(ReportView)]
pub fn report_view(props: &ReportProps) -> Html {
    let (report, derived) = (&props.state.report, &props.state.derived);
    let Some(request) = &report.request else {
        return html! {};
    };
    let name = if request.domain.unicode != request.domain.ascii {
        format!("{} ({})", request.domain.unicode, request.domain.ascii)
    } else {
        request.domain.ascii.clone()
    };
    let (answered, asked) = report.progress();
    let progress = if report.in_flight() {
        format!("Checking {name}: {answered} of {asked} checks answered…")
    } else {
        format!("All {asked} checks of {name} answered.")
    };
    let retry = props.on_retry.clone();
    let diagnosis = derived.diagnosis.as_ref();
    html! {
        <div id="report" class="report">
            if request.resolver == ResolverSetting::Example {
                <p id="example-note" class="example-note">{ "An example: made-up DNS answers for a made-up domain, bundled with this page. Nothing was sent over the network. Type your own domain above to check it." }</p>
            }
            { verdict_line(&derived.headline, &name) }
            if !derived.since_last.is_empty() {
                <section id="since-last" class="steps-block" aria-labelledby="h-since-last">
                    <h2 id="h-since-last">{ "Since the last check" }</h2>
                    <ul class="after">{ for derived.since_last.iter().map(|c| html! { <li>{ c.clone() }</li> }) }</ul>
                </section>
            }
            { steps_list(&derived.steps, &derived.generated, &derived.after, &props.on_again) }
            { summary_strip(derived) }
            <p id="progress" class="progress" role="status" aria-live="polite">{ progress }</p>
            if let Some(d) = diagnosis {
                { causes(d, report.in_flight()) }
            }
            { for report.checks().map(|check| html! {
                <CheckView key={check.key()} {check} state={Rc::clone(&props.state)} on_retry={retry.clone()} />
            }) }
            { requirements(&derived.requirements) }
            if let Some(d) = diagnosis {
                { check_yourself(&d.check_yourself, d.hosted_by) }
            }
        </div>
    }
}

#[derive(Properties)]
pub struct CheckViewProps {
    pub check: CheckId,
    pub state: Rc<State>,
    pub on_retry: Callback<CheckId>,
}

impl PartialEq for CheckViewProps {
    /// The same section as long as its own answer is the same one (an answer is
    /// a new `Rc`). The retry callback is made anew on every render of the
    /// page but always asks the same thing, so it is not compared.
    fn eq(&self, other: &Self) -> bool {
        self.check == other.check && self.state.report.same_slot(&other.state.report, self.check)
    }
}

/// One check's section. A component, unlike the other parts of the report,
/// so that when an answer lands only its own section is rendered and
/// reconciled again, not every section of the report.
#[function_component(CheckView)]
pub fn check_view(props: &CheckViewProps) -> Html {
    section_of(props.check, &props.state.report, &props.on_retry)
}

/// The registry's view entry: each check's section function, or the
/// pending section while its answer is out.
fn section_of(check: CheckId, report: &Report, retry: &Callback<CheckId>) -> Html {
    let Some(answer) = report.answer(check) else {
        return pending_section(check, check.asking());
    };
    match answer {
        Answer::Mx(r) | Answer::RecipientMx(r) => mx_section(check, r, retry),
        Answer::Spf(r) => spf_section(r, retry),
        Answer::Dmarc(r) => dmarc_section(r, retry),
        Answer::Dkim(r) => dkim_section(r, retry),
        Answer::Ptr(r) => ptr_section(r, retry),
        Answer::Txt(r) => txt_section(r, retry),
        Answer::Blocklists(r) => blocklist_section(r, retry),
        Answer::MtaSts(r) => mta_sts_section(r, retry),
        Answer::TlsRpt(r) => tlsrpt_section(r, retry),
        Answer::Dane(r) => dane_section(r, retry),
        Answer::Bimi(r) => bimi_section(r, retry),
    }
}

/// One badge per check of the run, each a link to its section: the whole
/// state at a glance before the long report (a list of links: keyboard and
/// screen readers get it as such; it wraps at 375 px).
fn summary_strip(derived: &Derived) -> Html {
    html! {
        <nav class="summary-strip" aria-label="Checks at a glance">
            <ul>
                { for derived.statuses.iter().map(|&(check, status)| html! {
                    <li>
                        <a class="chip" href={format!("#check-{}", check.key())}
                            data-chip={check.key()} data-status={status.key()}>
                            <span class="chip-name">{ check.short() }</span>
                            <span class="chip-status">{ status.label() }</span>
                        </a>
                    </li>
                }) }
            </ul>
        </nav>
    }
}

/// The one line a person reads first: how the report stands, what is wrong
/// in the DNS, and (with a pasted reply) what most likely caused it — all
/// decided in the core (`Headline::of`), with a colour and words.
fn verdict_line(headline: &Headline, name: &str) -> Html {
    if headline.tone == Tone::Checking {
        return html! { <p id="verdict" class="verdict" data-tone="pending">{ format!("Checking {name}…") }</p> };
    }
    html! {
        <p id="verdict" class="verdict" data-tone={headline.tone.key()}>
            <span class="verdict-label">{ format!("{} · {name}", headline.tone.label()) }</span>
            <span class="verdict-text verdict-dns">{ headline.dns.clone() }</span>
            if let Some(cause) = &headline.cause {
                <span class="verdict-text verdict-cause">{ cause.clone() }</span>
            }
        </p>
    }
}
