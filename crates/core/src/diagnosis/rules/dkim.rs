//! The DKIM cause: no key found, or a published key that receivers cannot
//! verify with, weighed against the providers' "DKIM did not pass" replies.
//!
//! The replies, as the providers publish them (gathered, with their dates,
//! in ../shared/reference/email-requirements-2026.md §2):
//! - Gmail, https://support.google.com/a/answer/3726730 (updated 2026-02-12):
//!   `421 4.7.30` / `550 5.7.30` "DKIM did not pass"; `421 4.7.26` /
//!   `550 5.7.26` unauthenticated ("requires all senders to authenticate with
//!   either SPF or DKIM"); `451 4.7.26` is a DNS failure during the DMARC
//!   check, not missing authentication, so it is not counted here.
//! - Outlook.com, https://sendersupport.olc.protection.outlook.com/pm/troubleshooting
//!   (read 2025-12-03): `550 5.7.515` "does not meet the required
//!   authentication level": high-volume senders need SPF, DKIM and DMARC.
//! - Yahoo `550 5.7.9` "the sender is unauthenticated… Authentication
//!   results: DKIM = FAILURE" (secondary sources only, see the reference).
//!
//! What DNS cannot tell: which selector a server signs with. "No key found"
//! is among the selectors probed only, so it stays "possible" until the
//! reply names DKIM.

use super::{draft, ruled_out, Draft};
use crate::diagnosis::facts::Facts;
use crate::diagnosis::CauseGroup::SenderSide;
use crate::dkim::DkimCode;
use crate::finding::Code;
use crate::smtp::Provider;

/// Findings that make signatures with that key fail (RFC 6376 §3.6.1, RFC 8301, RFC 8463).
const BROKEN: &[Code] = &[
    Code::Dkim(DkimCode::KeyTooShort),
    Code::Dkim(DkimCode::Sha1Only),
    Code::Dkim(DkimCode::NoUsableHash),
    Code::Dkim(DkimCode::NotForEmail),
    Code::Dkim(DkimCode::BadKey),
    Code::Dkim(DkimCode::BadRecord),
    Code::Dkim(DkimCode::UnknownKeyType),
    Code::Dkim(DkimCode::CnameNoKey),
    Code::Dkim(DkimCode::Ambiguous),
    Code::Dkim(DkimCode::Testing),
];

/// Keys receivers accept.
const USABLE: &[Code] = &[Code::Dkim(DkimCode::KeyOk), Code::Dkim(DkimCode::Key1024)];

/// How strongly the reply points at DKIM: 45 for Gmail's X.7.30 ("DKIM did
/// not pass"), 35 when DKIM is one of several requirements named (Outlook.com
/// 5.7.515: SPF, DKIM and DMARC) or the word is in the reply, 25 when it says
/// "unauthenticated" (SPF or DKIM would do), else 0. The codes decide before
/// the words: Gmail's meaning of 4.7.26 names DKIM too.
pub fn dkim_complaint(f: &Facts) -> i32 {
    if f.status(7, 30) {
        45
    } else if f.status(7, 515) {
        35
    } else if f.status(7, 26) {
        // 451 4.7.26: DNS failed during the DMARC check; nothing is missing.
        if f.reply.is_some_and(|r| r.basic_code == Some(451)) {
            0
        } else {
            25
        }
    } else if f.provider() == Some(Provider::Yahoo) && f.status(7, 9) {
        25
    } else if f.says("dkim") {
        35
    } else {
        0
    }
}

pub fn dkim(f: &Facts) -> Draft {
    let broken = f.sender(BROKEN);
    let wildcard = f.sender(&[Code::Dkim(DkimCode::Wildcard)]);
    let none = f.sender(&[Code::Dkim(DkimCode::NoKeyFound)]);
    let revoked = f.sender(&[Code::Dkim(DkimCode::Revoked)]);
    let usable = f.sender(USABLE);
    let complaint = dkim_complaint(f);
    let mut d = draft("sender.dkim", SenderSide, "Your DKIM key is missing or unusable");
    if !broken.is_empty() {
        d = d.score(60).findings(&broken);
        if !usable.is_empty() {
            d = d.add(-15).why("Other selectors' keys are fine: only mail signed with the broken one fails.");
        }
    }
    if !wildcard.is_empty() {
        d = d.score(40).findings(&wildcard);
    }
    if !none.is_empty() {
        d.cause.title = "No DKIM key found for your domain".into();
        d = d.score(35).findings(&none);
    }
    if !revoked.is_empty() && usable.is_empty() {
        d = d.score(35).findings(&revoked);
    }
    if d.score > 0 && complaint > 0 {
        d = d.add(complaint).reply(f);
    } else if d.score == 0 && complaint > 0 && !usable.is_empty() {
        // A key is published, yet the receiver says DKIM failed: the signer
        // uses another selector or domain, or the message changed on the way.
        d = d.score(complaint + 10).reply(f).findings(&usable).why(
            "A usable key is published, yet DKIM failed: your server may sign with another selector or domain, or the message changed after signing (a footer, a forwarder).",
        );
    }
    if complaint == 0 && broken.is_empty() && wildcard.is_empty() {
        // No key among the selectors probed, with nothing in the reply about
        // DKIM: the signer may use a selector no one can guess.
        d.score = d.score.min(25);
    }
    if d.score > 0 {
        d = d.fix(
            "Turn on DKIM signing at your mail provider and publish its key at <selector>._domainkey.<your domain>: 2048-bit RSA, without t=y or h=sha1.\n\
             In a sent message, the DKIM-Signature's s= (selector) and d= (your domain) must name a key published here: enter that selector above.",
        );
    }
    ruled_out(d, &usable, "a DKIM key receivers accept is published")
}
