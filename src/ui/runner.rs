//! Runs the checks of a request over any [`Resolver`] and reports each
//! answer the moment it arrives. No browser code here: the same runner is
//! driven natively (tests, `MemoryResolver`) and in the page (DoH).

use crate::dns::{RecordType, Resolver};

use super::request::Request;
use super::state::{Action, Answer, CheckId};

/// Runs one check.
pub async fn run_check<R: Resolver>(resolver: &R, request: &Request, check: CheckId) -> Answer {
    let domain = request.domain.ascii.as_str();
    match check {
        CheckId::Mx => Answer::Mx(resolver.lookup(domain, RecordType::Mx).await),
        CheckId::Txt => Answer::Txt(resolver.lookup(domain, RecordType::Txt).await),
    }
}

/// Runs every check of the request concurrently; `emit` gets each answer as
/// soon as it is in, tagged with `run` so stale answers can be dropped.
pub async fn run_all<R: Resolver>(resolver: &R, request: &Request, run: u64, emit: &dyn Fn(Action)) {
    let each = CheckId::ALL.map(|check| async move {
        let answer = run_check(resolver, request, check).await;
        emit(Action::Answer { run, answer });
    });
    futures::future::join_all(each).await;
}
