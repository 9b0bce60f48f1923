//! Senders whose mail leaves through Microsoft 365 or Google Workspace.
//! They have no mail server of their own to run `dig`, `openssl` or `swaks`
//! on, so "check yourself" gives them the provider's own admin pages instead:
//! where to trace a message, turn on DKIM, and see a blocked sender.
//!
//! Told from what the run already has (no extra query): the bounce was
//! written by the provider, the domain's SPF record includes the provider's,
//! or its MX hosts are the provider's.
//!
//! Sources (each read 2026-12-05):
//! - Microsoft, "Message trace in the new Exchange admin center",
//!   https://learn.microsoft.com/exchange/monitoring/trace-an-email-message/message-trace-modern-eac
//!   (direct link https://admin.exchange.microsoft.com/#/messagetrace);
//! - Microsoft, "Set up DKIM to sign mail from your Microsoft 365 domain",
//!   https://learn.microsoft.com/defender-office-365/email-authentication-dkim-configure;
//! - Microsoft, "Remove blocked users from the Restricted entities page",
//!   https://learn.microsoft.com/defender-office-365/outbound-spam-restore-restricted-users
//!   (direct link https://security.microsoft.com/restrictedentities; such a user's mail bounces with 550 5.1.8);
//! - Google, "Email Log Search", https://support.google.com/a/answer/2618874
//!   (Admin console: Menu > Reporting > Email Log Search);
//! - Google, "Set up DKIM", https://support.google.com/a/answer/180504
//!   (Admin console: Apps > Google Workspace > Gmail > Authenticate email);
//! - Google, Postmaster Tools, https://postmaster.google.com (domain reputation and spam rate at Gmail).

use super::facts::Facts;
use super::ManualCheck;
use crate::dns::{RData, RecordType};
use crate::generate::spf::{provider_for_mx, SpfProvider, GOOGLE, MICROSOFT365};
use crate::smtp::Provider;
use crate::spf::select::is_spf_text;

/// A hosted mail provider and where its admin pages are.
pub struct Hosted {
    pub name: &'static str,
    /// The bounce writer the reply reader names for it.
    writer: Provider,
    /// Its entry in the SPF generator's catalogue (`generate::spf::PROVIDERS`),
    /// which knows the `include:` its customers' SPF records carry and the
    /// MX hosts of the domains it hosts.
    catalogue: SpfProvider,
    /// What to check, why, and where: (what, why, where).
    steps: &'static [(&'static str, &'static str, &'static str)],
}

const HOSTED: &[Hosted] = &[
    Hosted {
        name: "Microsoft 365",
        writer: Provider::Microsoft,
        catalogue: MICROSOFT365,
        steps: &[
            (
                "Trace the message in the Exchange admin center",
                "Message trace shows whether each message was delivered, deferred or failed, and the receiving server's reply.",
                "https://admin.exchange.microsoft.com/#/messagetrace",
            ),
            (
                "Check that DKIM signing is on for your domain",
                "In the Microsoft Defender portal: Email & collaboration > Policies & rules > Threat policies > Email authentication settings > DKIM. Until then, mail is signed for your onmicrosoft.com domain, which does not align with your From address.",
                "https://security.microsoft.com",
            ),
            (
                "See whether a sender is blocked for outbound spam",
                "A user Microsoft suspects of spam is blocked from sending (their mail bounces with 550 5.1.8) and listed on the Restricted entities page, where an admin can unblock them.",
                "https://security.microsoft.com/restrictedentities",
            ),
        ],
    },
    Hosted {
        name: "Google Workspace",
        writer: Provider::Gmail,
        catalogue: GOOGLE,
        steps: &[
            (
                "Search the email log in the Admin console",
                "Email Log Search (Menu > Reporting > Email Log Search) shows each message's delivery steps and the receiving server's reply.",
                "https://admin.google.com",
            ),
            (
                "Check that DKIM signing is on for your domain",
                "Admin console: Apps > Google Workspace > Gmail > Authenticate email. Until then, mail is signed for a Google domain, which does not align with your From address.",
                "https://admin.google.com",
            ),
            (
                "Look at your domain's reputation at Gmail",
                "Once you verify your domain, Postmaster Tools shows its spam rate and reputation at Gmail.",
                "https://postmaster.google.com",
            ),
        ],
    },
];

/// The provider the sending domain's mail leaves through, if the run shows one.
pub fn hosted_sender(f: &Facts) -> Option<&'static Hosted> {
    let domain = f.input.sender_domain;
    let own = |rtype: RecordType| {
        f.input.lookups.iter().filter(move |l| l.rtype == rtype && l.name.eq_ignore_ascii_case(domain))
    };
    let spf_includes = |h: &Hosted| {
        let include = h.catalogue.include;
        own(RecordType::Txt).flat_map(|l| l.joined_txt()).any(|t| {
            is_spf_text(t.as_bytes())
                && t.split_ascii_whitespace().any(|term| {
                    let term = term.strip_prefix(['+', '~', '?']).unwrap_or(term);
                    term.get(..8).is_some_and(|p| p.eq_ignore_ascii_case("include:"))
                        && term[8..].trim_end_matches('.').eq_ignore_ascii_case(include)
                })
        })
    };
    let mx_hosted = |h: &Hosted| {
        own(RecordType::Mx).flat_map(|l| l.data()).any(|d| match d {
            RData::Mx { exchange, .. } => provider_for_mx(exchange).is_some_and(|p| p.id == h.catalogue.id),
            _ => false,
        })
    };
    HOSTED
        .iter()
        .find(|h| f.sent_via() == Some(h.writer))
        .or_else(|| HOSTED.iter().find(|h| spf_includes(h)))
        .or_else(|| HOSTED.iter().find(|h| mx_hosted(h)))
}

/// The provider's steps, as "check yourself" items.
pub fn steps(h: &Hosted) -> Vec<ManualCheck> {
    h.steps
        .iter()
        .map(|(what, why, place)| ManualCheck {
            what: what.to_string(),
            why: why.to_string(),
            command: place.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::{diagnose, DiagnosisInput};
    use crate::dns::{Lookup, Outcome, Record};

    fn answer(name: &str, rtype: RecordType, data: Vec<RData>) -> Lookup {
        let records = data.into_iter().map(|data| Record { name: name.to_string(), ttl: 300, data }).collect();
        Lookup::new(name, rtype, Outcome::Records(records))
    }

    fn txt(name: &str, text: &str) -> Lookup {
        answer(name, RecordType::Txt, vec![RData::Txt(vec![text.as_bytes().to_vec()])])
    }

    fn mx(name: &str, host: &str) -> Lookup {
        answer(name, RecordType::Mx, vec![RData::Mx { preference: 10, exchange: host.to_string() }])
    }

    fn hosted_by(lookups: &[Lookup]) -> (Option<&'static str>, Vec<String>) {
        let input = DiagnosisInput { sender_domain: "example.com", lookups, ..DiagnosisInput::default() };
        let d = diagnose(&input);
        (d.hosted_by, d.check_yourself.into_iter().map(|c| c.command).collect())
    }

    #[test]
    fn provider_from_spf_include_mx_or_neither() {
        let cases: &[(&[Lookup], Option<&str>)] = &[
            (&[txt("example.com", "v=spf1 include:spf.protection.outlook.com -all")], Some("Microsoft 365")),
            (&[txt("EXAMPLE.com", "v=spf1 ip4:192.0.2.1 ~include:_SPF.google.com. ~all")], Some("Google Workspace")),
            (&[mx("example.com", "example-com.mail.protection.outlook.com.")], Some("Microsoft 365")),
            (&[mx("example.com", "aspmx.l.google.com")], Some("Google Workspace")),
            // Not the sender's own record, not SPF, a look-alike name: none.
            (&[txt("other.example", "v=spf1 include:spf.protection.outlook.com -all")], None),
            (&[txt("example.com", "include:spf.protection.outlook.com")], None),
            (&[mx("example.com", "mail.notgoogle.com")], None),
            (&[txt("example.com", "v=spf1 include:spf.protection.outlook.com.evil.example -all")], None),
        ];
        for (lookups, want) in cases {
            let (got, commands) = hosted_by(lookups);
            assert_eq!(got, *want, "{lookups:?}");
            let server_commands = commands.iter().any(|c| c.starts_with("openssl") || c.starts_with("nc "));
            assert_eq!(server_commands, want.is_none(), "{commands:?}");
        }
    }

    #[test]
    fn microsoft_steps_name_message_trace_and_restricted_entities() {
        let (_, commands) = hosted_by(&[txt("example.com", "v=spf1 include:spf.protection.outlook.com -all")]);
        assert!(commands.contains(&"https://admin.exchange.microsoft.com/#/messagetrace".to_string()));
        assert!(commands.contains(&"https://security.microsoft.com/restrictedentities".to_string()));
    }
}
