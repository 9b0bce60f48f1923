//! The report being filled in: one reducer, fed by answers as they arrive.
//!
//! Every run has a number; an answer carries the number of the run that asked,
//! so a slow answer from an earlier run can never land in a newer report.

use std::rc::Rc;

use yew::Reducible;

use crate::dns::Lookup;

use super::request::Request;

/// The report sections, in page order. `key()` is the section's `data-check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckId {
    Mx,
    Txt,
}

impl CheckId {
    pub const ALL: [CheckId; 2] = [CheckId::Mx, CheckId::Txt];

    pub fn key(self) -> &'static str {
        match self {
            CheckId::Mx => "mx",
            CheckId::Txt => "txt",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            CheckId::Mx => "MX — where mail for the domain goes",
            CheckId::Txt => "TXT records of the domain",
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

    pub fn done(&self) -> Option<&T> {
        match self {
            Slot::Done(v) => Some(v),
            _ => None,
        }
    }
}

/// One check's result, as it arrives.
#[derive(Debug, Clone)]
pub enum Answer {
    Mx(Lookup),
    Txt(Lookup),
}

impl Answer {
    pub fn check(&self) -> CheckId {
        match self {
            Answer::Mx(_) => CheckId::Mx,
            Answer::Txt(_) => CheckId::Txt,
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
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// 0 before the first run.
    pub run: u64,
    pub request: Option<Rc<Request>>,
    pub mx: Slot<Lookup>,
    pub txt: Slot<Lookup>,
    /// Bumped on every retry, so the page can start exactly the retried check.
    pub retry: Option<(u64, CheckId)>,
    retries: u64,
}

impl Report {
    /// Whether any query of the current run is still out.
    pub fn in_flight(&self) -> bool {
        CheckId::ALL.iter().any(|&c| self.is_pending(c))
    }

    pub fn is_pending(&self, check: CheckId) -> bool {
        match check {
            CheckId::Mx => self.mx.is_pending(),
            CheckId::Txt => self.txt.is_pending(),
        }
    }

    /// (answered, asked) over the sections of this run.
    pub fn progress(&self) -> (usize, usize) {
        let states = [slot_state(&self.mx), slot_state(&self.txt)];
        let asked = states.iter().filter(|s| **s != SlotState::Off).count();
        let answered = states.iter().filter(|s| **s == SlotState::Done).count();
        (answered, asked)
    }

    fn set_pending(&mut self, check: CheckId) {
        match check {
            CheckId::Mx => self.mx = Slot::Pending,
            CheckId::Txt => self.txt = Slot::Pending,
        }
    }

    fn apply(&mut self, answer: Answer) {
        match answer {
            Answer::Mx(lookup) => self.mx = Slot::Done(Rc::new(lookup)),
            Answer::Txt(lookup) => self.txt = Slot::Done(Rc::new(lookup)),
        }
    }
}

#[derive(PartialEq)]
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
                next = Report { run: self.run + 1, request: Some(request), retries: self.retries, ..Report::default() };
                for check in CheckId::ALL {
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
            Action::Retry(check) => {
                if self.request.is_none() || self.is_pending(check) {
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
