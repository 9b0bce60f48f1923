//! The report being filled in: one slot per check of the registry, fed by
//! answers as they arrive. Pure: the app wraps [`Report::reduce`] in its
//! reducer.
//!
//! Every run has a number; an answer carries the number of the run that asked,
//! so a slow answer from an earlier run can never land in a newer report.

use std::rc::Rc;

use super::published::Published;
use super::request::Request;
use super::{checks_for, Answer, CheckId, Status};
use crate::dmarc::DmarcReport;
use crate::mx::MxReport;
use crate::spf::SpfReport;

/// A section's state within a run.
#[derive(Debug, Clone, Default)]
pub enum Slot {
    /// Not part of this run (no request yet, or nothing to ask).
    #[default]
    Off,
    /// Asked, no answer yet.
    Pending,
    Done(Answer),
}

impl PartialEq for Slot {
    /// Identity, not deep equality: a new answer is a new `Rc`.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Slot::Off, Slot::Off) | (Slot::Pending, Slot::Pending) => true,
            (Slot::Done(a), Slot::Done(b)) => a.same(b),
            _ => false,
        }
    }
}

impl Slot {
    pub fn is_pending(&self) -> bool {
        matches!(self, Slot::Pending)
    }

    pub fn answer(&self) -> Option<&Answer> {
        match self {
            Slot::Done(a) => Some(a),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A new run for this request: every section it asks for goes to pending.
    Start(Rc<Request>),
    /// A check of run `run` answered.
    Answer { run: u64, answer: Answer },
    /// Several answers that arrived together: one reduction, one render.
    Answers { run: u64, answers: Vec<Answer> },
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
    /// One per check, indexed by [`CheckId::index`].
    slots: [Slot; CheckId::ALL.len()],
    /// Bumped on every retry, so the page can start exactly the retried check.
    pub retry: Option<(u64, CheckId)>,
    retries: u64,
    /// The records the run before saw, when it was a finished run of the same
    /// domain: "check again" shows what changed.
    pub before: Option<Rc<Published>>,
}

impl Report {
    pub fn slot(&self, check: CheckId) -> &Slot {
        &self.slots[check.index()]
    }

    /// The answer of `check`, if it is in.
    pub fn answer(&self, check: CheckId) -> Option<&Answer> {
        self.slot(check).answer()
    }

    /// Whether any query of the current run is still out.
    pub fn in_flight(&self) -> bool {
        self.slots.iter().any(Slot::is_pending)
    }

    pub fn is_pending(&self, check: CheckId) -> bool {
        self.slot(check).is_pending()
    }

    /// Whether the section is part of this run.
    pub fn is_on(&self, check: CheckId) -> bool {
        !matches!(self.slot(check), Slot::Off)
    }

    /// The checks of this run, in page order.
    pub fn checks(&self) -> impl Iterator<Item = CheckId> + '_ {
        CheckId::ALL.into_iter().filter(|&c| self.is_on(c))
    }

    /// Whether `check`'s section holds the very same answer (or state) in both.
    pub fn same_slot(&self, other: &Report, check: CheckId) -> bool {
        self.slot(check) == other.slot(check)
    }

    /// (answered, asked) over the sections of this run.
    pub fn progress(&self) -> (usize, usize) {
        let asked = self.checks().count();
        let answered = self.slots.iter().filter(|s| s.answer().is_some()).count();
        (answered, asked)
    }

    /// A section's badge as the report stands (`None`: not part of this run).
    pub fn status(&self, check: CheckId) -> Option<Status> {
        match self.slot(check) {
            Slot::Off => None,
            Slot::Pending => Some(Status::Pending),
            Slot::Done(answer) => Some(answer.report().status()),
        }
    }

    pub fn mx(&self) -> Option<&MxReport> {
        match self.answer(CheckId::Mx)? {
            Answer::Mx(r) => Some(r),
            _ => None,
        }
    }

    pub fn recipient_mx(&self) -> Option<&MxReport> {
        match self.answer(CheckId::RecipientMx)? {
            Answer::RecipientMx(r) => Some(r),
            _ => None,
        }
    }

    pub fn spf(&self) -> Option<&SpfReport> {
        match self.answer(CheckId::Spf)? {
            Answer::Spf(r) => Some(r),
            _ => None,
        }
    }

    pub fn dmarc(&self) -> Option<&DmarcReport> {
        match self.answer(CheckId::Dmarc)? {
            Answer::Dmarc(r) => Some(r),
            _ => None,
        }
    }

    /// The report after `action`, or `None` when the action changes nothing
    /// (a stale or unexpected answer, a retry of a section still waiting, …).
    pub fn reduce(&self, action: Action) -> Option<Report> {
        match action {
            Action::Start(request) => {
                let same_domain = self.request.as_ref().is_some_and(|r| r.domain.ascii == request.domain.ascii);
                let before = if same_domain { Published::of(self).map(Rc::new) } else { None };
                let mut next = Report {
                    run: self.run + 1,
                    request: Some(Rc::clone(&request)),
                    retries: self.retries,
                    before,
                    ..Report::default()
                };
                for check in checks_for(&request) {
                    next.slots[check.index()] = Slot::Pending;
                }
                Some(next)
            }
            Action::Answer { run, answer } => self.reduce(Action::Answers { run, answers: vec![answer] }),
            Action::Answers { run, answers } => {
                let mut next: Option<Report> = None;
                for answer in answers {
                    // An answer for an earlier run, or for a section no longer waiting, is dropped.
                    let check = answer.check();
                    if run != self.run || !next.as_ref().unwrap_or(self).is_pending(check) {
                        continue;
                    }
                    next.get_or_insert_with(|| self.clone()).slots[check.index()] = Slot::Done(answer);
                }
                next
            }
            Action::Clear => {
                self.request.as_ref()?;
                Some(Report { run: self.run + 1, retries: self.retries, ..Report::default() })
            }
            Action::Retry(check) => {
                if self.request.is_none() || !self.is_on(check) || self.is_pending(check) {
                    return None;
                }
                let mut next = self.clone();
                next.retries += 1;
                next.retry = Some((next.retries, check));
                next.slots[check.index()] = Slot::Pending;
                Some(next)
            }
        }
    }
}
