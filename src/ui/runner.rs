//! Runs the checks of a request over any [`Resolver`] and reports each
//! answer the moment it arrives. No browser code here: the same runner is
//! driven natively (tests, `MemoryResolver`) and in the page (DoH).

use std::rc::Rc;

use futures::future::{join, LocalBoxFuture};
use futures::FutureExt;

use maildoctor_core::dmarc::check_dmarc;
use maildoctor_core::dns::{RecordType, Resolver};
use maildoctor_core::join::join_all;
use maildoctor_core::mx::{check_mx, MxReport};
use maildoctor_core::ptr::{check_ptr, ptr_targets};
use maildoctor_core::spf::check_spf;

use super::request::Request;
use super::state::{checks_for, Action, Answer, CheckId};

/// Runs one check. PTR needs the MX hosts: pass the MX report if there is
/// one, else MX is looked up again first.
pub async fn run_check<R: Resolver>(resolver: &R, request: &Request, check: CheckId, mx: Option<&MxReport>) -> Answer {
    let domain = request.domain.ascii.as_str();
    match check {
        CheckId::Mx => Answer::Mx(Rc::new(check_mx(resolver, domain).await)),
        CheckId::Spf => Answer::Spf(Rc::new(check_spf(resolver, domain, request.sending_ip).await)),
        CheckId::Dmarc => Answer::Dmarc(Rc::new(check_dmarc(resolver, domain).await)),
        CheckId::Ptr => {
            let fresh;
            let mx = match mx {
                Some(mx) => mx,
                None => {
                    fresh = check_mx(resolver, domain).await;
                    &fresh
                }
            };
            Answer::Ptr(Rc::new(check_ptr(resolver, &ptr_targets(mx, request.sending_ip)).await))
        }
        CheckId::Txt => Answer::Txt(Rc::new(resolver.lookup(domain, RecordType::Txt).await)),
        CheckId::RecipientMx => {
            let recipient = request.recipient.as_ref().map_or(domain, |r| r.ascii.as_str());
            Answer::RecipientMx(Rc::new(check_mx(resolver, recipient).await))
        }
    }
}

/// Runs every check of the request concurrently; `emit` gets each answer as
/// soon as it is in, tagged with `run` so stale answers can be dropped. PTR
/// starts the moment MX has answered (it checks the MX hosts' addresses).
pub async fn run_all<R: Resolver>(resolver: &R, request: &Request, run: u64, emit: &dyn Fn(Action)) {
    let checks = checks_for(request);
    let independent = checks.iter().filter(|c| !matches!(c, CheckId::Mx | CheckId::Ptr)).map(|&check| {
        async move {
            let answer = run_check(resolver, request, check, None).await;
            emit(Action::Answer { run, answer });
        }
        .boxed_local()
    });
    let mx_then_ptr: LocalBoxFuture<'_, ()> = async move {
        let mx = check_mx(resolver, &request.domain.ascii).await;
        let targets = ptr_targets(&mx, request.sending_ip);
        emit(Action::Answer { run, answer: Answer::Mx(Rc::new(mx)) });
        let ptr = check_ptr(resolver, &targets).await;
        emit(Action::Answer { run, answer: Answer::Ptr(Rc::new(ptr)) });
    }
    .boxed_local();
    // SPF first: its chain of includes is usually the longest, so its first
    // query is the one not to keep waiting behind the others (each send takes
    // the main thread a little while).
    join(join_all(independent), mx_then_ptr).await;
}
