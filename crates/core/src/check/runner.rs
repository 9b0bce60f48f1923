//! Runs the checks of a request over any [`Resolver`] and reports each
//! answer the moment it arrives. No browser code: the same runner is driven
//! natively (tests, `MemoryResolver`, the benchmark's bound) and in the page (DoH).
//!
//! The order is the registry's data ([`CheckId::after`]): a check that needs
//! another's answer starts the moment that answer is in; every other check
//! starts at once, and so do the questions a waiting check will ask anyway
//! ([`early_questions`]).
//!
//! Give it a `SharedResolver` (the page does, one per run: `ui::Doh`) and
//! every question of the run is asked once — the checks share answers
//! through it, SPF's walks and check_host() included ([`check_spf_shared`]).
//! Over a bare resolver the answers are the same, only asked again.

use std::rc::Rc;

use futures::future::LocalBoxFuture;
use futures::FutureExt;

use super::report::Action;
use super::request::Request;
use super::{checks_for, Answer, CheckId};
use crate::bimi::{bimi_question, check_bimi, dmarc_enforcement};
use crate::blocklist::{blocklist_early_questions, check_blocklists, BlocklistTargets};
use crate::dane::check_dane;
use crate::dkim::check_dkim;
use crate::dmarc::check_dmarc;
use crate::dns::{RecordType, Resolver};
use crate::join::join_all;
use crate::mta_sts::{check_mta_sts, mta_sts_questions};
use crate::mx::{check_mx, MxReport};
use crate::ptr::{check_ptr, ptr_targets};
use crate::spf::check_spf_shared;
use crate::tlsrpt::check_tlsrpt;

/// Runs one check. `earlier` holds the answers it may need
/// ([`CheckId::after`]); a needed answer that is missing is asked afresh first.
pub async fn run_check<R: Resolver>(resolver: &R, request: &Request, check: CheckId, earlier: &[Answer]) -> Answer {
    let domain = request.domain.ascii.as_str();
    match check {
        CheckId::Mx => Answer::Mx(Rc::new(check_mx(resolver, domain).await)),
        CheckId::Spf => Answer::Spf(Rc::new(check_spf_shared(resolver, domain, request.sending_ip).await)),
        CheckId::Dmarc => Answer::Dmarc(Rc::new(check_dmarc(resolver, domain).await)),
        CheckId::Dkim => Answer::Dkim(Rc::new(check_dkim(resolver, domain, &request.dkim_selectors).await)),
        CheckId::Ptr => {
            let mx = mx_of(resolver, domain, earlier).await;
            Answer::Ptr(Rc::new(check_ptr(resolver, &ptr_targets(&mx, request.sending_ip)).await))
        }
        CheckId::Blocklists => {
            let mx = mx_of(resolver, domain, earlier).await;
            let targets = BlocklistTargets::from_mx(&mx, request.sending_ip);
            Answer::Blocklists(Rc::new(check_blocklists(resolver, &targets).await))
        }
        CheckId::MtaSts => {
            let hosts = mx_of(resolver, domain, earlier).await.host_names();
            let policy = request.mta_sts_policy.as_deref();
            Answer::MtaSts(Rc::new(check_mta_sts(resolver, domain, policy, &hosts).await))
        }
        CheckId::TlsRpt => Answer::TlsRpt(Rc::new(check_tlsrpt(resolver, domain).await)),
        CheckId::Dane => {
            let hosts = mx_of(resolver, domain, earlier).await.host_names();
            Answer::Dane(Rc::new(check_dane(resolver, &hosts).await))
        }
        CheckId::Bimi => {
            // DMARC's answer, or asked afresh through this same function, boxed:
            // a second copy of the DMARC check's future inlined here cost 20 KB of wasm.
            let dmarc = match earlier.iter().find(|a| a.check() == CheckId::Dmarc) {
                Some(a) => a.clone(),
                None => run_check(resolver, request, CheckId::Dmarc, &[]).boxed_local().await,
            };
            let enforced = if let Answer::Dmarc(d) = &dmarc { dmarc_enforcement(d) } else { None };
            Answer::Bimi(Rc::new(check_bimi(resolver, domain, enforced).await))
        }
        CheckId::Txt => Answer::Txt(Rc::new(resolver.lookup(domain, RecordType::Txt).await)),
        CheckId::RecipientMx => {
            let recipient = request.recipient.as_ref().map_or(domain, |r| r.ascii.as_str());
            Answer::RecipientMx(Rc::new(check_mx(resolver, recipient).await))
        }
    }
}

/// The questions a check that waits for another ([`CheckId::after`]) asks
/// whatever that answer says. [`run_all`] sends them at the run's start, with
/// the first round, instead of a round or two later: a round of the critical
/// path is as slow as its slowest answer, and in the page each answer costs
/// the main thread a little, so the last round should hold only the
/// questions that truly wait for it. Over a bare resolver they are asked
/// twice; over a `SharedResolver` (the page's) the check finds them answered.
pub fn early_questions(check: CheckId, request: &Request) -> Vec<(String, RecordType)> {
    let domain = request.domain.ascii.as_str();
    match check {
        CheckId::Blocklists => blocklist_early_questions(domain, request.sending_ip),
        CheckId::MtaSts => mta_sts_questions(domain).into(),
        CheckId::Bimi => vec![bimi_question(domain)],
        // The TLSA and PTR names are the MX hosts' own, and every root asks its all at once.
        CheckId::Dane
        | CheckId::Ptr
        | CheckId::Mx
        | CheckId::Spf
        | CheckId::Dmarc
        | CheckId::Dkim
        | CheckId::Txt
        | CheckId::TlsRpt
        | CheckId::RecipientMx => Vec::new(),
    }
}

/// The MX report among `earlier`, or asked afresh.
async fn mx_of<R: Resolver>(resolver: &R, domain: &str, earlier: &[Answer]) -> Rc<MxReport> {
    match earlier.iter().find_map(|a| if let Answer::Mx(mx) = a { Some(Rc::clone(mx)) } else { None }) {
        Some(mx) => mx,
        None => Rc::new(check_mx(resolver, domain).await),
    }
}

/// Runs every check of the request concurrently; `emit` gets each answer as
/// soon as it is in, tagged with `run` so stale answers can be dropped. A
/// check that needs another ([`CheckId::after`]) starts when that one's
/// answer is in, with it; what it asks whatever that answer says
/// ([`early_questions`]) leaves at the start, after the roots' questions.
pub async fn run_all<R: Resolver>(resolver: &R, request: &Request, run: u64, emit: &dyn Fn(Action)) {
    let checks = checks_for(request);
    // SPF first: its chain of includes is usually the longest, so its first
    // query is the one not to keep waiting behind the others (each send takes
    // the main thread a little while).
    // Put in front rather than sorted there: a sort of CheckId would be the
    // wasm's only one (-233 gzip bytes, measured).
    let mut roots: Vec<CheckId> = Vec::new();
    for check in checks.iter().copied().filter(|c| c.after().is_none()) {
        if check == CheckId::Spf {
            roots.insert(0, check);
        } else {
            roots.push(check);
        }
    }
    let chains = roots.into_iter().map(|root| {
        let dependents: Vec<CheckId> = checks.iter().copied().filter(|c| c.after() == Some(root)).collect();
        async move {
            let first = run_check(resolver, request, root, &[]).await;
            emit(Action::Answer { run, answer: first.clone() });
            let earlier = [first];
            let earlier = &earlier;
            join_all(dependents.into_iter().map(|check| {
                async move {
                    let answer = run_check(resolver, request, check, earlier).await;
                    emit(Action::Answer { run, answer });
                }
                .boxed_local()
            }))
            .await;
        }
        .boxed_local()
    });
    let mut chains: Vec<LocalBoxFuture<'_, ()>> = chains.collect();
    // Last, so the roots' first questions leave first: the next rounds wait for them.
    let mut early: Vec<(String, RecordType)> = Vec::new();
    for &check in &checks {
        early.extend(early_questions(check, request));
    }
    chains.push(
        async move {
            join_all(early.iter().map(|(name, rtype)| resolver.lookup(name, *rtype))).await;
        }
        .boxed_local(),
    );
    join_all(chains).await;
}
