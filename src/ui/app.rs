//! The page: form, report, and the glue to the browser (URL hash, body state).
//!
//! All browser calls sit in effects and callbacks, never in a render body, so
//! the components also render natively (server-side rendering in tests).

use std::marker::PhantomData;
use std::rc::Rc;

use yew::prelude::*;

use super::components::form::{check_form, reply_summary, FormProps, ReplySummary};
use super::components::report::ReportView;
use super::permalink::Permalink;
use super::request::{FieldError, FormFields, Request, ResolverSetting};
use super::state::{checks_for, Action, State};
use maildoctor_core::check::runner::{run_all, run_check};
use maildoctor_core::dns::Resolver;

/// How the page reaches DNS: one resolver per run (so a retry asks afresh).
pub trait Connect: 'static {
    type Resolver: Resolver + 'static;
    fn connect(setting: &ResolverSetting) -> Self::Resolver;
}

#[derive(Properties)]
pub struct AppProps<C: Connect> {
    #[prop_or_default]
    pub connect: PhantomData<C>,
}

impl<C: Connect> Default for AppProps<C> {
    fn default() -> Self {
        AppProps { connect: PhantomData }
    }
}

impl<C: Connect> PartialEq for AppProps<C> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The form's state: its fields, what the reader made of the pasted text,
/// and what the last start made of the inputs (a bad field, or notes on how
/// they were read).
#[derive(Default)]
struct Form {
    fields: FormFields,
    /// [`reply_summary`] of the pasted text, read once per edit of it (not on every render).
    summary: Option<ReplySummary>,
    error: Option<FieldError>,
    notes: Vec<String>,
}

impl Form {
    /// The fields as edited (or opened from a link).
    fn edit(&mut self, fields: FormFields) {
        if fields.smtp_text != self.fields.smtp_text {
            self.summary = reply_summary(&fields.smtp_text);
        }
        self.fields = fields;
    }
}

/// Notes on how the inputs were read, for `#input-notes`.
fn input_notes(request: &Request) -> Vec<String> {
    let mut notes = request.domain.notes.clone();
    if let Some(r) = &request.recipient {
        notes.extend(r.notes.iter().map(|n| format!("Recipient: {n}")));
    }
    notes
}

/// What index.html's copy of the form held when the app mounted, read just
/// before Yew replaced it (`ui::start`): what a person typed while the wasm
/// was on its way, carried over into the app's own form.
#[derive(Debug, Default)]
pub struct StaticForm {
    /// Its text fields and resolver choice as they stood (empty: untouched).
    pub typed: FormFields,
    /// Check was pressed: `static/crash.js` marked the form `data-queued`.
    pub queued: bool,
    /// The field that had the focus, with its selection (start, end) if it has one.
    pub focus: Option<(String, Option<(u32, u32)>)>,
}

/// Reads index.html's copy of the form, for the app's first render to take
/// over ([`App`]); call it just before mounting. Natively there is none.
pub fn keep_static_form() {
    let form = browser::read_static_form();
    STATIC_FORM.with(|kept| *kept.borrow_mut() = Some(form));
}

thread_local! {
    static STATIC_FORM: std::cell::RefCell<Option<StaticForm>> = const { std::cell::RefCell::new(None) };
}

/// Starts the run of `request`, whose number the report now holds: every
/// check at once, answers landing in the report as they arrive, a few per
/// render ([`AnswerBatch`]). The task is first polled once the scheduler's
/// pass that started it is over (and its render, if it draws one: see
/// [`FEEDBACK_MS`]), in the same task of the browser's, a microtask later;
/// the DoH client sends the queries of that poll together right after it.
fn spawn_run<C: Connect>(report: Callback<Action>, request: Rc<Request>, run: u64) {
    yew::platform::spawn_local(async move {
        let batch = AnswerBatch::new(report, checks_for(&request).len());
        let resolver = C::connect(&request.resolver);
        run_all(&resolver, &request, run, &|action| batch.push(action)).await;
    });
}

/// Answers waiting for the next render. A dispatch renders in a microtask,
/// that is before any other network response is handled, and a render holds
/// the main thread for a few ms, so rendering each answer the moment it lands
/// would hold back the queries other checks make next (the critical path).
/// Instead nothing is drawn in the first [`REVEAL_MS`] but the start (the
/// verdict line and progress); after that, the first answer of a batch waits
/// for a lull in the DNS traffic ([`flush_when_clear`]: no answer due for a
/// while); answers that land meanwhile join the batch, and all are dispatched
/// together at an animation frame: one render, whose style, layout and paint
/// follow at once, in the gap between a round's queries and its answers.
/// (Measured before: renders done as answers landed, or drawn at a vsync that
/// fell in the next burst, sent the queries of the next round up to 10 ms
/// late.) The run's last answer has no queries left to hold back: it is
/// dispatched at once, with any still waiting, and only that render says idle
/// (body[data-idle]).
struct AnswerBatch {
    shared: Rc<Waiting>,
    /// Answers still to come in this run.
    left: std::cell::Cell<usize>,
    /// When the run started (`browser::now`).
    started: f64,
}

/// The answers not yet drawn, and whether the report has been brought into view.
struct Waiting {
    answers: std::cell::RefCell<Vec<Action>>,
    report: Callback<Action>,
    shown: std::cell::Cell<bool>,
}

impl Waiting {
    /// One render of every answer waiting. The first also scrolls the report
    /// into view: with the answers, not at the click, where the scroll (a
    /// layout, and a frame of the viewport's new content) took CPU from the
    /// first round's answers; the start's verdict line is all it would show.
    fn dispatch(&self, last: Option<Action>) {
        let mut actions = self.answers.take();
        actions.extend(last);
        self.report.emit(together(actions));
        if !self.shown.replace(true) {
            browser::scroll_to("report");
        }
    }
}

impl AnswerBatch {
    fn new(report: Callback<Action>, answers: usize) -> AnswerBatch {
        let shared = Rc::new(Waiting { answers: Default::default(), report, shown: Default::default() });
        AnswerBatch { shared, left: std::cell::Cell::new(answers), started: browser::now() }
    }

    fn push(&self, action: Action) {
        self.left.set(self.left.get().saturating_sub(1));
        if self.left.get() == 0 {
            // The task scheduled for the batch, if any, then finds nothing to do.
            self.shared.dispatch(Some(action));
            return;
        }
        let first = {
            let mut waiting = self.shared.answers.borrow_mut();
            waiting.push(action);
            waiting.len() == 1
        };
        if first {
            let reveal = (self.started + REVEAL_MS - browser::now()).max(0.0);
            let shared = Rc::clone(&self.shared);
            browser::after(reveal, move || flush_when_clear(shared, browser::now()));
        }
    }
}

/// How long the DNS traffic must have been still (the handling of a burst of
/// answers and the queries they lead to over) before a batch may render.
const SETTLE_MS: f64 = 2.0;
/// A render of a batch with its style, layout and paint takes up to about
/// this long here (the first batch draws the sections too); it is started
/// only when no answer is due sooner. 25 rather than 12: the app's cost over
/// the floor, mean of 8-11 turns of 7 paired runs (`scripts/bench-ab.sh`,
/// 2026-12-05), fell from 36.9 to 30.5 ms at 0 ms latency, 28.3 to 15.8 at
/// 20 ms, 6.4 to 1.7 at 50 ms.
const RENDER_MS: f64 = 25.0;
/// No batch renders before this long after the start: a report complete
/// within it is drawn once, at its end. A wait this short reads as an
/// immediate answer; drawing part of the report sooner only takes CPU from
/// the answers.
const REVEAL_MS: f64 = 150.0;
/// What "Check" pressed shows, the button's "Checking…" and the report's
/// start, is drawn this long after the press, unless the run is over
/// sooner: then its first frame is the complete report. A tenth of a
/// second still reads as an immediate response; a frame drawn sooner is one
/// more on the cores the answers need (on this machine kind one frame is
/// the whole viewport composited in software: 7 ms of the GPU process's CPU
/// traced, and the start's render, style and layout on the page's thread).
const FEEDBACK_MS: f64 = 100.0;
/// A batch renders at the latest this long after its first answer, lull or not.
const MAX_WAIT_MS: f64 = 100.0;

/// Dispatches the waiting answers in a lull of the DNS traffic
/// (`doh::activity`): once it has settled and no answer is due within
/// [`RENDER_MS`], at the next animation frame (checked again then, as the
/// frame may come up to 16 ms later); or after [`MAX_WAIT_MS`] in all.
fn flush_when_clear(waiting: Rc<Waiting>, since: f64) {
    match lull_in(since) {
        Some(ms) => browser::after(ms, move || flush_when_clear(waiting, since)),
        None => browser::next_frame(move || {
            if lull_in(since).is_some() {
                return flush_when_clear(waiting, since);
            }
            if !waiting.answers.borrow().is_empty() {
                waiting.dispatch(None);
            }
        }),
    }
}

/// The answers of a batch as one action: one reduction, one derive, one render.
fn together(actions: Vec<Action>) -> Action {
    let mut run = 0;
    let answers = actions
        .into_iter()
        .filter_map(|action| match action {
            Action::Answer { run: r, answer } => {
                run = r;
                Some(answer)
            }
            _ => None,
        })
        .collect();
    Action::Answers { run, answers }
}

/// `None` when a batch waiting `since` should render now (a render fits, or
/// it has waited [`MAX_WAIT_MS`]); else how long to wait before asking again.
fn lull_in(since: f64) -> Option<f64> {
    use crate::doh::activity::{next_answer_in_ms, quiet_ms};
    if browser::now() - since >= MAX_WAIT_MS {
        return None;
    }
    let quiet = quiet_ms();
    if quiet < SETTLE_MS {
        return Some(SETTLE_MS - quiet);
    }
    let due = next_answer_in_ms();
    // The answer due soon, then the queries it leads to, before the next try.
    (due < RENDER_MS).then_some(due + SETTLE_MS)
}

/// The page. A struct component, not a function one: the hooks a function
/// component needs for this (two reducers, three effects) were about 4 KB of
/// generic code in the wasm (docs/size.md).
pub struct App<C: Connect> {
    /// The report and what is derived from it ([`State`]'s reduction).
    state: Rc<State>,
    form: Form,
    /// Stops listening for `hashchange`.
    unlisten: Option<Box<dyn FnOnce()>>,
    /// A run started by "Check" and not drawn yet ([`FEEDBACK_MS`]).
    held: bool,
    connect: PhantomData<C>,
}

pub enum Msg {
    /// An action on the report: answers, a retry, a clear.
    Report(Action),
    /// The fields as edited.
    Edit(FormFields),
    /// "Check" (or "check again") pressed.
    Submit,
    /// The address's hash changed (back/forward, an edited URL).
    HashChanged,
    /// [`FEEDBACK_MS`] after "Check": draw the run's start if nothing has.
    Feedback,
    /// The example's link.
    Example,
}

impl<C: Connect> Component for App<C> {
    type Message = Msg;
    type Properties = AppProps<C>;

    /// Takes over what was typed into index.html's copy of the form (it goes
    /// over what the address says: the person is acting now; a check runs
    /// only if they asked for one), else opens what the address says; so the
    /// first render already shows it.
    fn create(ctx: &Context<Self>) -> Self {
        let mut app =
            App { state: Rc::default(), form: Form::default(), unlisten: None, held: false, connect: PhantomData };
        let kept = STATIC_FORM.with(|kept| kept.borrow_mut().take()).unwrap_or_default();
        let linked = FormFields::from_permalink(&Permalink::parse(&browser::hash()), String::new());
        match linked.with_typed_before_start(kept.typed, super::idna::page()) {
            Some(f) => {
                browser::preconnect(f.doh_origin().as_deref());
                app.form.edit(f.clone());
                if kept.queued && app.start(ctx, &f) {
                    browser::push_hash(&f.permalink().to_hash());
                }
            }
            None => app.open(ctx, &Permalink::parse(&browser::hash())),
        }
        browser::refocus(kept.focus);
        let link = ctx.link().clone();
        app.unlisten = Some(Box::new(browser::on_hash_change(move || link.send_message(Msg::HashChanged))));
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Report(action) => {
                let changed = self.reduce(ctx, action);
                self.held &= !changed;
                return changed;
            }
            Msg::Feedback => return std::mem::replace(&mut self.held, false),
            Msg::Edit(f) => {
                let f = self.form.fields.edited(f);
                // Another resolver chosen: open its connection (TLS included) while the person types.
                // Not on every edit of a custom URL: no connections to half-typed host names.
                if f.resolver != self.form.fields.resolver {
                    browser::preconnect(f.doh_origin().as_deref());
                }
                self.form.edit(f);
            }
            Msg::Submit => {
                let f = self.form.fields.clone();
                if self.start(ctx, &f) {
                    browser::push_hash(&f.permalink().to_hash());
                    self.held = true;
                    let link = ctx.link().clone();
                    browser::after(FEEDBACK_MS, move || link.send_message(Msg::Feedback));
                    return false;
                }
            }
            Msg::HashChanged => self.open(ctx, &Permalink::parse(&browser::hash())),
            // Opened here, since the address may say #example already (after
            // typing over it), and then no hashchange comes.
            Msg::Example => {
                self.open(ctx, &Permalink::example());
                if browser::hash() != "#example" {
                    browser::push_hash("#example");
                }
            }
        }
        // Drawn now: what a start held back with it.
        self.held = false;
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let on_submit = link.callback(|()| Msg::Submit);
        // The same check once more: the report then says what changed since (`Derived::since_last`).
        let on_again = on_submit.clone();
        let on_retry = link.callback(|check| {
            browser::set_idle(false);
            Msg::Report(Action::Retry(check))
        });
        html! {
            <>
                // The page's name and tagline are in index.html: drawn before the wasm arrives.
                <main>
                    { check_form(&FormProps {
                        fields: self.form.fields.clone(),
                        on_change: link.callback(Msg::Edit),
                        on_submit,
                        on_example: link.callback(|()| Msg::Example),
                        error: self.form.error.clone(),
                        notes: self.form.notes.clone(),
                        busy: self.state.report.in_flight(),
                        reply_summary: self.form.summary.clone(),
                    }) }
                    <ReportView state={Rc::clone(&self.state)} {on_retry} {on_again} />
                </main>
                { privacy_note() }
            </>
        }
    }

    /// For people (aria-busy) and for the end-to-end tests: is a query in flight?
    fn rendered(&mut self, _: &Context<Self>, _first: bool) {
        browser::set_idle(!self.state.report.in_flight());
    }

    fn destroy(&mut self, _: &Context<Self>) {
        if let Some(unlisten) = self.unlisten.take() {
            unlisten();
        }
    }
}

impl<C: Connect> App<C> {
    /// The report after `action`; a retry asks that one check again. `false`
    /// when nothing changed (no render).
    fn reduce(&mut self, ctx: &Context<Self>, action: Action) -> bool {
        let retry = self.state.report.retry;
        let next = Reducible::reduce(Rc::clone(&self.state), action);
        if Rc::ptr_eq(&next, &self.state) {
            return false;
        }
        self.state = next;
        if self.state.report.retry != retry {
            self.retry(ctx);
        }
        true
    }

    /// Validates the fields and starts a run; a bad field stops it before
    /// any query (and gets the focus). `true` when a run started.
    fn start(&mut self, ctx: &Context<Self>, f: &FormFields) -> bool {
        match f.validate(super::idna::page()) {
            Ok(request) => {
                let request = Rc::new(request);
                self.form.error = None;
                self.form.notes = input_notes(&request);
                // Said at once (not after the next render) so nobody sees a stale "idle".
                browser::set_idle(false);
                // History entries (back/forward) and tabs say which domain they checked.
                browser::set_title(&format!("{} — maildoctor", request.domain.unicode));
                // The report comes into view with its first answers (`Waiting::dispatch`).
                self.reduce(ctx, Action::Start(Rc::clone(&request)));
                spawn_run::<C>(ctx.link().callback(Msg::Report), request, self.state.report.run);
                true
            }
            Err(e) => {
                browser::focus(e.field);
                self.form.error = Some(e);
                self.form.notes = Vec::new();
                false
            }
        }
    }

    /// Opens what a permalink says: its inputs in the form, and the check it
    /// names run (or the report cleared). On load, on back/forward, and from
    /// the example's link.
    fn open(&mut self, ctx: &Context<Self>, link: &Permalink) {
        let f = FormFields::from_permalink(link, String::new());
        browser::preconnect(f.doh_origin().as_deref());
        self.form.edit(f.clone());
        if link.runs_check() {
            self.start(ctx, &f);
        } else {
            self.reduce(ctx, Action::Clear);
        }
    }

    /// A retry: that one check asked again, with a fresh resolver.
    fn retry(&self, ctx: &Context<Self>) {
        let report = &self.state.report;
        let (Some((_, check)), Some(request)) = (report.retry, report.request.clone()) else { return };
        // A check that needs another's answer (PTR: the MX hosts) reuses the one the
        // page has; gathered here, when a retry happens, not on every render.
        let earlier: Vec<_> = report.checks().filter_map(|c| report.answer(c).cloned()).collect();
        let (run, answer_to) = (report.run, ctx.link().callback(Msg::Report));
        yew::platform::spawn_local(async move {
            let resolver = C::connect(&request.resolver);
            let answer = run_check(&resolver, &request, check, &earlier).await;
            answer_to.emit(Action::Answer { run, answer });
        });
    }
}

fn privacy_note() -> Html {
    html! {
        <footer class="privacy">
            <h2>{ "What this page does with your data" }</h2>
            <p>{ "Everything runs in your browser. Only DNS questions (such as “what are the MX records of example.com?”) leave it, over HTTPS to the resolver you chose above; if Cloudflare or Google fails to answer one, it is asked once of the other. A custom resolver is the only one asked. Nothing you type or paste, including the bounce text, is sent. The address bar holds the domain, recipient, IP and resolver (never the pasted text), so you can bookmark or share a check." }</p>
        </footer>
    }
}

/// The few browser calls the page makes. Natively (tests) they do nothing.
mod browser {
    #[cfg(target_arch = "wasm32")]
    mod imp {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::{JsCast, JsValue};

        pub fn hash() -> String {
            web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
        }

        /// Runs `f` in a task of its own, after the current one and its
        /// microtasks, and after tasks already queued (such as other DoH
        /// responses): a zero-delay timeout. A check's DNS queries leave in
        /// the click's task and its microtasks, so a slow browser call such as
        /// `pushState` or a layout-forcing scroll, done here, does not hold them back.
        pub fn soon(f: impl FnOnce() + 'static) {
            after(0.0, f);
        }

        /// Runs `f` just before the browser draws its next frame
        /// (`requestAnimationFrame`), so the style, layout and paint that DOM
        /// changes made in `f` cause follow at once, in the same frame.
        pub fn next_frame(f: impl FnOnce() + 'static) {
            let callback = Closure::once_into_js(f);
            if let Some(w) = web_sys::window() {
                let _ = w.request_animation_frame(callback.unchecked_ref());
            }
        }

        /// The page's clock, in ms.
        pub fn now() -> f64 {
            crate::doh::activity::now().unwrap_or(0.0)
        }

        /// Runs `f` in a task of its own after `ms` milliseconds (at least).
        pub fn after(ms: f64, f: impl FnOnce() + 'static) {
            // Boxed: one timer callback type in the page (the DoH client's
            // timeout uses it too), not one per caller.
            let f: Box<dyn FnOnce()> = Box::new(f);
            gloo_timers::callback::Timeout::new(ms.ceil() as u32, f).forget();
        }

        /// A new history entry for a new check (back returns to the previous one).
        /// Made when the run is over and its report drawn ([`set_idle`]):
        /// `pushState` alone took 15 ms in headless Chromium
        /// (2.5-4 ms in later profiles), and made at the start it held back
        /// the answers of the first round. Meanwhile the address still names
        /// the previous check.
        pub fn push_hash(hash: &str) {
            PENDING_HASH.with(|pending| *pending.borrow_mut() = Some(hash.to_string()));
        }

        thread_local! {
            static PENDING_HASH: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
        }

        fn push_pending_hash() {
            let Some(hash) = PENDING_HASH.with(|pending| pending.borrow_mut().take()) else { return };
            if hash == self::hash() {
                return;
            }
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&hash));
            }
        }

        /// Listens for `hashchange` (back/forward, an edited URL); returns the un-listener.
        pub fn on_hash_change(f: impl Fn() + 'static) -> impl FnOnce() {
            let closure = Closure::<dyn Fn()>::new(f);
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref());
                }
            }
        }

        /// Points the page's one `<link rel="preconnect">` at `origin`, so the
        /// connection to the DoH resolver (DNS, TCP, TLS) is open before the
        /// first query. `crossorigin` (anonymous): the queries are CORS
        /// fetches without credentials, which use such connections.
        /// `None` drops the hint.
        pub fn preconnect(origin: Option<&str>) {
            const ID: &str = "doh-preconnect";
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
            let existing = doc.get_element_by_id(ID);
            let Some(origin) = origin else {
                if let Some(link) = existing {
                    link.remove();
                }
                return;
            };
            let link = match existing {
                Some(link) => link,
                None => {
                    let Ok(link) = doc.create_element("link") else { return };
                    link.set_id(ID);
                    let _ = link.set_attribute("rel", "preconnect");
                    let _ = link.set_attribute("crossorigin", "anonymous");
                    if let Some(head) = doc.head() {
                        let _ = head.append_child(&link);
                    }
                    link
                }
            };
            if link.get_attribute("href").as_deref() != Some(origin) {
                let _ = link.set_attribute("href", origin);
            }
        }

        /// Says whether a query is in flight (body[data-idle]). At the end of
        /// a run, once the browser has drawn the complete report (a task
        /// after its next frame), says the report has settled
        /// (body[data-settled]: from then on its off-screen blocks are laid
        /// out too, see style.css) and makes the run's history entry
        /// ([`push_hash`]). Before, both came at once with the idle flag, and
        /// the report reached the screen 19-22 ms after the run was over, as
        /// the whole long report was laid out (and `pushState` run) first;
        /// drawn before them, 10-12 ms (median of 40 runs each, 0 ms latency,
        /// broken.example, 2026-12-06).
        pub fn set_idle(idle: bool) {
            let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
            let _ = body.set_attribute("data-idle", if idle { "true" } else { "false" });
            if !idle {
                if SETTLED.replace(false) {
                    let _ = body.set_attribute("data-settled", "false");
                }
            } else if !SETTLED.replace(true) {
                next_frame(move || {
                    soon(move || {
                        // Not if another run has started meanwhile.
                        if SETTLED.get() {
                            let _ = body.set_attribute("data-settled", "true");
                            push_pending_hash();
                        }
                    })
                });
            }
        }

        thread_local! {
            /// Whether the last run's report has settled (or none was asked).
            static SETTLED: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
        }

        pub fn set_title(title: &str) {
            if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
                doc.set_title(title);
            }
        }

        /// Scrolls in the next task: scrolling forces a layout, which the queries need not wait for.
        pub fn scroll_to(id: &str) {
            let id = id.to_string();
            soon(move || {
                let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id));
                if let Some(el) = element {
                    el.scroll_into_view_with_bool(true);
                }
            });
        }

        pub fn focus(id: &str) {
            let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
            if let Some(el) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.focus();
            }
        }

        /// index.html's copy of the form as it is now (see `StaticForm`).
        pub fn read_static_form() -> super::super::StaticForm {
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return Default::default() };
            let get = |el: &JsValue, key: &str| js_sys::Reflect::get(el, &JsValue::from_str(key)).ok();
            // `value` of an input, a textarea or a select alike.
            let value = |id: &str| {
                let el = doc.get_element_by_id(id);
                el.and_then(|el| get(&el, "value")).and_then(|v| v.as_string()).unwrap_or_default()
            };
            let focus = doc.active_element().filter(|el| !el.id().is_empty()).map(|el| {
                let at = |key| get(&el, key).and_then(|v| v.as_f64()).map(|n| n as u32);
                (el.id(), at("selectionStart").zip(at("selectionEnd")))
            });
            let typed = super::super::FormFields {
                domain: value("domain"),
                recipient: value("recipient"),
                sending_ip: value("sending-ip"),
                dkim_selectors: value("dkim-selectors"),
                smtp_text: value("smtp-text"),
                resolver: crate::ui::permalink::ResolverChoice::from_key(&value("resolver")).unwrap_or_default(),
                mta_sts_policy: value("mta-sts-policy"),
                ..Default::default()
            };
            super::super::StaticForm {
                typed,
                queued: doc.get_element_by_id("check-form").is_some_and(|f| f.has_attribute("data-queued")),
                focus,
            }
        }

        /// Gives the focus back to the field that had it in index.html's copy
        /// of the form, with its caret, once the app's form shows what was typed
        /// (the render of the carried-over fields comes first).
        pub fn refocus(field: Option<(String, Option<(u32, u32)>)>) {
            let Some((id, selection)) = field else { return };
            soon(move || {
                focus(&id);
                let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id));
                // An input's or a textarea's selection alike (a select has none).
                if let (Some(el), Some((start, end))) = (element, selection) {
                    let _ = js_sys::Reflect::set(&el, &"selectionStart".into(), &start.into());
                    let _ = js_sys::Reflect::set(&el, &"selectionEnd".into(), &end.into());
                }
            });
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod imp {
        pub fn hash() -> String {
            String::new()
        }
        /// No clock or task queue natively: now.
        pub fn after(_: f64, f: impl FnOnce() + 'static) {
            f();
        }
        pub fn now() -> f64 {
            0.0
        }
        /// No frames natively: now.
        pub fn next_frame(f: impl FnOnce() + 'static) {
            f();
        }
        pub fn push_hash(_: &str) {}
        pub fn on_hash_change(_: impl Fn() + 'static) -> impl FnOnce() {
            || {}
        }
        pub fn preconnect(_: Option<&str>) {}
        pub fn set_idle(_: bool) {}
        pub fn focus(_: &str) {}
        pub fn read_static_form() -> super::super::StaticForm {
            Default::default()
        }
        pub fn refocus(_: Option<(String, Option<(u32, u32)>)>) {}
        pub fn scroll_to(_: &str) {}
        pub fn set_title(_: &str) {}
    }

    pub use imp::*;
}
