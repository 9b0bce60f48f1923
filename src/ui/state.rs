//! The report being filled in: one reducer, fed by answers as they arrive.
//!
//! Every run has a number; an answer carries the number of the run that asked,
//! so a slow answer from an earlier run can never land in a newer report.

use std::rc::Rc;

use yew::Reducible;

use maildoctor_core::dmarc::DmarcReport;
use maildoctor_core::dns::Lookup;
use maildoctor_core::mx::MxReport;
use maildoctor_core::ptr::PtrReport;
use maildoctor_core::spf::SpfReport;

use super::request::Request;

/// The report sections, in page order. `key()` is the section's `data-check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckId {
    Mx,
    Spf,
    Dmarc,
    Ptr,
    Txt,
    /// The recipient domain's MX, when a recipient is given.
    RecipientMx,
}

impl CheckId {
    pub const ALL: [CheckId; 6] =
        [CheckId::Mx, CheckId::Spf, CheckId::Dmarc, CheckId::Ptr, CheckId::Txt, CheckId::RecipientMx];

    pub fn key(self) -> &'static str {
        match self {
            CheckId::Mx => "mx",
            CheckId::Spf => "spf",
            CheckId::Dmarc => "dmarc",
            CheckId::Ptr => "ptr",
            CheckId::Txt => "txt",
            CheckId::RecipientMx => "recipient-mx",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            CheckId::Mx => "MX — where mail for your domain goes",
            CheckId::Spf => "SPF — which servers may send as your domain",
            CheckId::Dmarc => "DMARC — what receivers do with mail that fails",
            CheckId::Ptr => "PTR — reverse DNS of the mail servers",
            CheckId::Txt => "TXT records of your domain, as published",
            CheckId::RecipientMx => "The recipient's mail servers (MX)",
        }
    }
}

/// A section's state within a run.
#[derive(Debug, Default)]
pub enum Slot<T> {
    /// Not part of this run (no request yet, or nothing to ask).
    #[default]
    Off,
    /// Asked, no answer yet.
    Pending,
    Done(Rc<T>),
}

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        match self {
            Slot::Off => Slot::Off,
            Slot::Pending => Slot::Pending,
            Slot::Done(v) => Slot::Done(Rc::clone(v)),
        }
    }
}

impl<T> PartialEq for Slot<T> {
    /// Identity, not deep equality: a new answer is a new `Rc`.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Slot::Off, Slot::Off) | (Slot::Pending, Slot::Pending) => true,
            (Slot::Done(a), Slot::Done(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl<T> Slot<T> {
    pub fn is_pending(&self) -> bool {
        matches!(self, Slot::Pending)
    }

    /// The answer, shared (no copy).
    pub fn shared(&self) -> Option<Rc<T>> {
        match self {
            Slot::Done(v) => Some(Rc::clone(v)),
            _ => None,
        }
    }

    pub fn done(&self) -> Option<&T> {
        match self {
            Slot::Done(v) => Some(v),
            _ => None,
        }
    }
}

/// One check's result, as it arrives.
#[derive(Debug, Clone)]
/// Shared (`Rc`): the report keeps the very answer, no copy.
pub enum Answer {
    Mx(Rc<MxReport>),
    Spf(Rc<SpfReport>),
    Dmarc(Rc<DmarcReport>),
    Ptr(Rc<PtrReport>),
    Txt(Rc<Lookup>),
    RecipientMx(Rc<MxReport>),
}

impl Answer {
    pub fn check(&self) -> CheckId {
        match self {
            Answer::Mx(_) => CheckId::Mx,
            Answer::Spf(_) => CheckId::Spf,
            Answer::Dmarc(_) => CheckId::Dmarc,
            Answer::Ptr(_) => CheckId::Ptr,
            Answer::Txt(_) => CheckId::Txt,
            Answer::RecipientMx(_) => CheckId::RecipientMx,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A new run for this request: every section goes to pending.
    Start(Rc<Request>),
    /// A check of run `run` answered.
    Answer { run: u64, answer: Answer },
    /// The person asked to ask again: this section goes back to pending.
    Retry(CheckId),
    /// No check (e.g. back to the page without inputs): no report, and
    /// answers still out for the old run are dropped.
    Clear,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// 0 before the first run.
    pub run: u64,
    pub request: Option<Rc<Request>>,
    pub mx: Slot<MxReport>,
    pub spf: Slot<SpfReport>,
    pub dmarc: Slot<DmarcReport>,
    pub ptr: Slot<PtrReport>,
    pub txt: Slot<Lookup>,
    pub recipient_mx: Slot<MxReport>,
    /// Bumped on every retry, so the page can start exactly the retried check.
    pub retry: Option<(u64, CheckId)>,
    retries: u64,
}

impl Report {
    /// Whether any query of the current run is still out.
    pub fn in_flight(&self) -> bool {
        CheckId::ALL.iter().any(|&c| self.state(c) == SlotState::Pending)
    }

    pub fn is_pending(&self, check: CheckId) -> bool {
        self.state(check) == SlotState::Pending
    }

    /// Whether the section is part of this run.
    pub fn is_on(&self, check: CheckId) -> bool {
        self.state(check) != SlotState::Off
    }

    fn state(&self, check: CheckId) -> SlotState {
        match check {
            CheckId::Mx => slot_state(&self.mx),
            CheckId::Spf => slot_state(&self.spf),
            CheckId::Dmarc => slot_state(&self.dmarc),
            CheckId::Ptr => slot_state(&self.ptr),
            CheckId::Txt => slot_state(&self.txt),
            CheckId::RecipientMx => slot_state(&self.recipient_mx),
        }
    }

    /// Whether `check`'s section holds the very same answer (or state) in both.
    pub fn same_slot(&self, other: &Report, check: CheckId) -> bool {
        match check {
            CheckId::Mx => self.mx == other.mx,
            CheckId::Spf => self.spf == other.spf,
            CheckId::Dmarc => self.dmarc == other.dmarc,
            CheckId::Ptr => self.ptr == other.ptr,
            CheckId::Txt => self.txt == other.txt,
            CheckId::RecipientMx => self.recipient_mx == other.recipient_mx,
        }
    }

    /// (answered, asked) over the sections of this run.
    pub fn progress(&self) -> (usize, usize) {
        let states: Vec<SlotState> = CheckId::ALL.iter().map(|&c| self.state(c)).collect();
        let asked = states.iter().filter(|s| **s != SlotState::Off).count();
        let answered = states.iter().filter(|s| **s == SlotState::Done).count();
        (answered, asked)
    }

    fn set_pending(&mut self, check: CheckId) {
        match check {
            CheckId::Mx => self.mx = Slot::Pending,
            CheckId::Spf => self.spf = Slot::Pending,
            CheckId::Dmarc => self.dmarc = Slot::Pending,
            CheckId::Ptr => self.ptr = Slot::Pending,
            CheckId::Txt => self.txt = Slot::Pending,
            CheckId::RecipientMx => self.recipient_mx = Slot::Pending,
        }
    }

    fn apply(&mut self, answer: Answer) {
        match answer {
            Answer::Mx(r) => self.mx = Slot::Done(r),
            Answer::Spf(r) => self.spf = Slot::Done(r),
            Answer::Dmarc(r) => self.dmarc = Slot::Done(r),
            Answer::Ptr(r) => self.ptr = Slot::Done(r),
            Answer::Txt(l) => self.txt = Slot::Done(l),
            Answer::RecipientMx(r) => self.recipient_mx = Slot::Done(r),
        }
    }
}

/// The checks a request asks for.
pub fn checks_for(request: &Request) -> Vec<CheckId> {
    CheckId::ALL.into_iter().filter(|&c| c != CheckId::RecipientMx || request.recipient.is_some()).collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum SlotState {
    Off,
    Pending,
    Done,
}

fn slot_state<T>(slot: &Slot<T>) -> SlotState {
    match slot {
        Slot::Off => SlotState::Off,
        Slot::Pending => SlotState::Pending,
        Slot::Done(_) => SlotState::Done,
    }
}

impl Reducible for Report {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Start(request) => {
                next = Report {
                    run: self.run + 1,
                    request: Some(Rc::clone(&request)),
                    retries: self.retries,
                    ..Report::default()
                };
                for check in checks_for(&request) {
                    next.set_pending(check);
                }
            }
            Action::Answer { run, answer } => {
                // An answer for an earlier run, or for a section no longer waiting, is dropped.
                if run != self.run || !self.is_pending(answer.check()) {
                    return self;
                }
                next.apply(answer);
            }
            Action::Clear => {
                if self.request.is_none() {
                    return self;
                }
                next = Report { run: self.run + 1, retries: self.retries, ..Report::default() };
            }
            Action::Retry(check) => {
                if self.request.is_none() || !self.is_on(check) || self.is_pending(check) {
                    return self;
                }
                next.retries += 1;
                next.retry = Some((next.retries, check));
                next.set_pending(check);
            }
        }
        Rc::new(next)
    }
}
