//! The page's state: the core's report (`maildoctor_core::check::report`)
//! and what is derived from it, recomputed once per change of the report —
//! never in the view.

use std::rc::Rc;

use yew::Reducible;

pub use maildoctor_core::check::derive::{derive, Derived};
pub use maildoctor_core::check::report::{Action, Report, Slot};
pub use maildoctor_core::check::{checks_for, Answer, CheckId, Status};

/// The report and its derived diagnosis, corrected records and badges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub report: Report,
    pub derived: Rc<Derived>,
}

impl Reducible for State {
    type Action = Action;

    /// The core's reduction; an action that changes nothing keeps this very
    /// state (no render), one that does derives once.
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.report.reduce(action) {
            None => self,
            Some(report) => {
                let derived = Rc::new(derive(&report, super::idna::page()));
                Rc::new(State { report, derived })
            }
        }
    }
}

impl std::ops::Deref for State {
    type Target = Report;

    fn deref(&self) -> &Report {
        &self.report
    }
}
