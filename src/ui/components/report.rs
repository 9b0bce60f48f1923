//! The report: verdict line, the summary strip, progress, the causes, then
//! one section per check of the registry. Renders the state it is given:
//! the diagnosis, the corrected records and the badges come derived
//! (`maildoctor_core::check::derive`), computed once per answer batch.

use std::rc::Rc;

use yew::prelude::*;

use super::blocklists::blocklist_section;
use super::copy::Copies;
use super::diagnosis::{causes, check_yourself};
use super::dkim::dkim_section;
use super::dmarc::dmarc_section;
use super::generated::steps_list;
use super::ptr::ptr_section;
use super::records::{mx_section, pending_section, txt_section};
use super::requirements::requirements;
use super::section::{Controls, Folds};
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

/// The report. A struct component for its [`PartState`]: whether its own
/// folded blocks (a corrected record's "what changed", the providers'
/// requirements; `section::Folds`) have been opened in this run, and what its
/// copy buttons copied last. Until opened, the blocks' bodies are left out
/// of the page: on broken.example, with the blocklists' test entries (in
/// `CheckView`), 131 elements and 210 text nodes, a fifth of the report's
/// DOM, built in its last render, the one a person waits for. The time from
/// the last answer to the complete report, 5-8 alternations of 11 runs at
/// 0 ms latency (`tests/e2e/rounds.mjs`, 2026-12-05): 8.2 ms before, 7.8
/// after, 7.0 with the bodies left out altogether; within the noise on this
/// machine, and a fifth of the DOM on slower ones. +309 gzip bytes.
pub struct ReportView {
    part: PartState,
}

/// What a part of the report that holds folded blocks and copy buttons
/// (`ReportView`, `CheckView`) is told.
pub enum PartMsg {
    /// A folded block was toggled.
    Toggled,
    /// A copy button copied (the text, and whether the browser took it).
    Copied(AttrValue, bool),
}

/// What such a part keeps: whether its folded blocks have been opened (they
/// start closed, so the first toggle opens one; their bodies are then kept,
/// also when closed again), and the text its copy buttons (`copy::Copies`)
/// copied last, with whether the browser took it. A new run, or a check
/// asked again, starts afresh.
#[derive(Default)]
struct PartState {
    unfolded: bool,
    copied: Option<(AttrValue, bool)>,
}

impl PartState {
    /// Whether the part renders again: only at the first opening, and at each copy.
    fn update(&mut self, msg: PartMsg) -> bool {
        match msg {
            PartMsg::Toggled => !std::mem::replace(&mut self.unfolded, true),
            PartMsg::Copied(text, ok) => {
                self.copied = Some((text, ok));
                true
            }
        }
    }

    fn folds<C: Component<Message = PartMsg>>(&self, ctx: &Context<C>) -> Folds {
        Folds { open: self.unfolded, on_toggle: ctx.link().callback(|_| PartMsg::Toggled) }
    }

    fn copies<C: Component<Message = PartMsg>>(&self, ctx: &Context<C>) -> Copies {
        Copies { last: self.copied.clone(), on_copied: ctx.link().callback(|(text, ok)| PartMsg::Copied(text, ok)) }
    }
}

impl Component for ReportView {
    type Message = PartMsg;
    type Properties = ReportProps;

    fn create(_: &Context<Self>) -> Self {
        ReportView { part: PartState::default() }
    }

    fn update(&mut self, _: &Context<Self>, msg: PartMsg) -> bool {
        self.part.update(msg)
    }

    /// A new run's blocks start closed, and none of its text has been copied.
    fn changed(&mut self, ctx: &Context<Self>, old: &ReportProps) -> bool {
        if ctx.props().state.report.run != old.state.report.run {
            self.part = PartState::default();
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        report_view(ctx.props(), &self.part.folds(ctx), &self.part.copies(ctx))
    }
}

fn report_view(props: &ReportProps, folds: &Folds, copies: &Copies) -> Html {
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
    // Until the first answers are in, only the verdict line and the progress:
    // this render comes in the click's task, right after the first round's
    // queries leave, and the browser hands the page their answers only
    // between tasks. With every section drawn here (about 320 elements, their
    // style, layout and paint) the first answers waited 15-25 ms for the page
    // at 0 ms latency (a plain fetch(): 0.5 ms; tests/e2e/trace.mjs shows
    // the tasks), and the next round left that much later: the app added
    // 38-39 ms to the floor at 0 ms with the sections here, 24-26 without
    // (same session, 7 runs each). The sections come with the first batch of
    // answers, which waits for a lull in the traffic (`ui::app::AnswerBatch`).
    // (Drawing them at the run's first lull even before any answer, through
    // an empty batch, measured worse at 0 ms: 42-44 against 31-32.)
    let sections = answered > 0 || !report.in_flight();
    // Keyed by the run: a new run's report is built afresh, not patched over
    // the last one's, whose opened blocks (a `<details>` left open, the
    // bodies rendered once opened) would otherwise carry over. Its start is
    // not always drawn in between (`ui::app::FEEDBACK_MS`).
    html! {
        <div key={report.run} id="report" class="report">
            if request.resolver == ResolverSetting::Example {
                <p id="example-note" class="example-note">{ "An example: made-up DNS answers for a made-up domain, bundled with this page. Nothing was sent over the network. Type your own domain above to check it." }</p>
            }
            { verdict_line(&derived.headline, &name) }
            if sections {
                if !derived.since_last.is_empty() {
                    <section id="since-last" class="steps-block" aria-labelledby="h-since-last">
                        <h2 id="h-since-last">{ "Since the last check" }</h2>
                        <ul class="after">{ for derived.since_last.iter().map(|c| html! { <li>{ c.clone() }</li> }) }</ul>
                    </section>
                }
                { steps_list(&derived.steps, &derived.generated, &derived.after, &props.on_again, folds, copies) }
                { summary_strip(derived) }
            }
            <p id="progress" class="progress" role="status" aria-live="polite">{ progress }</p>
            if sections {
                if let Some(d) = diagnosis {
                    { causes(d, report.in_flight()) }
                }
                { for report.checks().map(|check| html! {
                    <CheckView key={check.key()} {check} state={Rc::clone(&props.state)} on_retry={retry.clone()} />
                }) }
                { requirements(&derived.requirements, folds) }
                if let Some(d) = diagnosis {
                    { check_yourself(&d.check_yourself, d.hosted_by, copies) }
                }
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
///
/// It also holds its [`PartState`]: whether the section's folded blocks
/// (`section::Folds`: its raw answers, `section::evidence`, and the
/// blocklists' test entries) have been opened, and what its copy buttons
/// copied last. The blocks' bodies are rendered only after the first
/// `toggle`, then kept (also when closed again). Almost nobody opens
/// them, yet rendered up front they were over a third of the report's DOM, each
/// element paid for in virtual DOM, DOM calls and style: on broken.example
/// (`document.querySelectorAll('#report *').length` once the report is done)
/// 1433 elements before, 919 after (525 sat in the 11 closed evidence blocks;
/// their summaries stay). The flag lives here, in a struct component, not in
/// an evidence component of its own, for size (gzip of the release wasm,
/// measured 2026-12-05): an `Evidence` function component with `use_state_eq`
/// and the lookups in an `Rc<[Lookup]>` prop cost +1.5 KB (+2.0 KB with the
/// lookups compared in `PartialEq`), a struct `Evidence` +1.1 KB, the flag in
/// `CheckView` kept a function component with `use_state_eq` +0.6 KB, in
/// `CheckView` as a struct component (no hook code) +0.3 KB: 294 594 -> 294 930
/// shipped.
pub struct CheckView {
    part: PartState,
}

impl Component for CheckView {
    type Message = PartMsg;
    type Properties = CheckViewProps;

    fn create(_: &Context<Self>) -> Self {
        CheckView { part: PartState::default() }
    }

    fn update(&mut self, _: &Context<Self>, msg: PartMsg) -> bool {
        self.part.update(msg)
    }

    /// While the check is asked again its section has no folded blocks or
    /// copy buttons, and those of the next answer start afresh.
    fn changed(&mut self, ctx: &Context<Self>, _: &CheckViewProps) -> bool {
        let props = ctx.props();
        if props.state.report.answer(props.check).is_none() {
            self.part = PartState::default();
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let controls =
            Controls { on_retry: props.on_retry.clone(), folds: self.part.folds(ctx), copies: self.part.copies(ctx) };
        section_of(props.check, &props.state.report, &controls)
    }
}

/// The registry's view entry: each check's section function, or the
/// pending section while its answer is out.
fn section_of(check: CheckId, report: &Report, controls: &Controls) -> Html {
    let Some(answer) = report.answer(check) else {
        return pending_section(check, check.asking());
    };
    match answer {
        Answer::Mx(r) | Answer::RecipientMx(r) => mx_section(check, r, controls),
        Answer::Spf(r) => spf_section(r, controls),
        Answer::Dmarc(r) => dmarc_section(r, controls),
        Answer::Dkim(r) => dkim_section(r, controls),
        Answer::Ptr(r) => ptr_section(r, controls),
        Answer::Txt(r) => txt_section(r, controls),
        Answer::Blocklists(r) => blocklist_section(r, controls),
        Answer::MtaSts(r) => mta_sts_section(r, controls),
        Answer::TlsRpt(r) => tlsrpt_section(r, controls),
        Answer::Dane(r) => dane_section(r, controls),
        Answer::Bimi(r) => bimi_section(r, controls),
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
