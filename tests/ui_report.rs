//! The report as a person sees it: the real runner and the library's checks
//! over in-memory zones (the same zone files the end-to-end tests serve),
//! answers folded through the reducer, the page rendered server-side.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use maildoctor::ui::components::report::{ReportProps, ReportView};
use maildoctor::ui::components::requirements::checklist;
use maildoctor::ui::components::section::lookup_list;
use maildoctor::ui::request::{FormFields, Request};
use maildoctor::ui::state::{Action, Answer, CheckId, State};
use maildoctor_core::check::runner::{run_all, run_check};
use maildoctor_core::dns::{Lookup, MemoryResolver};
use maildoctor_core::input::NativeIdna;
use yew::{function_component, Callback, Html, LocalServerRenderer, Properties, Reducible};

const HOSTILE: &str = r#"
hostile.example.   300 MX  10 mx1.healthy.example.
hostile.example.       TXT "<script>alert(1)</script>"
hostile.example.       TXT "v=spf1 " "ip4:192.0.2.0/24 -all"
"#;

fn zones() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/zones/");
    let mut text = HOSTILE.to_string();
    for file in ["healthy.zone", "broken.zone", "faults.zone"] {
        text.push_str(&std::fs::read_to_string(format!("{dir}{file}")).expect("e2e zone files"));
        text.push('\n');
    }
    text
}

fn resolver() -> MemoryResolver {
    MemoryResolver::from_zone_text(&zones()).unwrap()
}

fn request(domain: &str, ip: &str) -> Rc<Request> {
    let fields = FormFields { domain: domain.into(), sending_ip: ip.into(), ..FormFields::default() };
    Rc::new(fields.validate(&NativeIdna).expect("valid request"))
}

/// Runs a whole check the way the page does and returns the final report.
async fn run(domain: &str) -> Rc<State> {
    run_with(request(domain, "")).await
}

async fn run_with(req: Rc<Request>) -> Rc<State> {
    let resolver = resolver();
    let mut report = Rc::new(State::default()).reduce(Action::Start(Rc::clone(&req)));
    let actions = RefCell::new(Vec::new());
    run_all(&resolver, &req, report.run, &|a| actions.borrow_mut().push(a)).await;
    for action in actions.into_inner() {
        report = report.reduce(action);
    }
    assert!(!report.in_flight(), "every section answered");
    report
}

async fn render(report: Rc<State>) -> String {
    unterm(&render_raw(report).await)
}

async fn render_raw(report: Rc<State>) -> String {
    LocalServerRenderer::<ReportView>::with_props(ReportProps {
        state: report,
        on_retry: Callback::noop(),
        on_again: Callback::noop(),
    })
    .render()
    .await
}

#[derive(Properties, PartialEq)]
struct OpenedProps {
    lookups: Vec<Lookup>,
}

/// A section's raw answers as shown once opened: the page renders its
/// `<details class="evidence">` with only the summary until the person opens
/// it (the toggle is the browser's: the end-to-end tests open it).
#[function_component(OpenedEvidence)]
fn opened_evidence(props: &OpenedProps) -> Html {
    lookup_list(&props.lookups)
}

/// The opened raw answers of `check`'s section (its lookups, as the section
/// function takes them from the report), without term boxes.
async fn opened(state: &State, check: CheckId) -> String {
    let lookups = state.report.answer(check).expect("the check answered").report().lookups();
    unterm(&LocalServerRenderer::<OpenedEvidence>::with_props(OpenedProps { lookups }).render().await)
}

/// The markup without the term boxes record values are cut into
/// (`generated::terms`), so the tests read the values as text.
fn unterm(html: &str) -> String {
    const OPEN: &str = "<span class=\"t\">";
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let term = &rest[at + OPEN.len()..];
        let end = term.find("</span>").expect("a term closes");
        out.push_str(&term[..end]);
        rest = &term[end + "</span>".len()..];
    }
    out.push_str(rest);
    out
}

/// The HTML of the section `key`.
fn section<'a>(html: &'a str, key: &str) -> &'a str {
    let at = html.find(&format!("data-check=\"{key}\"")).unwrap_or_else(|| panic!("no {key} section in {html}"));
    let start = html[..at].rfind("<section").unwrap();
    let end = at + html[at..].find("</section>").unwrap();
    &html[start..end]
}

fn status<'a>(html: &'a str, key: &str) -> &'a str {
    let s = section(html, key);
    let at = s.find("data-status=\"").unwrap() + "data-status=\"".len();
    &s[at..at + s[at..].find('"').unwrap()]
}

fn codes(html: &str, key: &str) -> Vec<String> {
    section(html, key).split("data-code=\"").skip(1).map(|rest| rest[..rest.find('"').unwrap()].to_string()).collect()
}

#[tokio::test]
async fn a_healthy_domain_passes_every_section() {
    let state = run("Healthy.Example").await;
    let html = render(Rc::clone(&state)).await;
    for key in ["mx", "spf", "dmarc", "ptr", "txt"] {
        assert_eq!(status(&html, key), "pass", "{key}: {}", section(&html, key));
    }
    // RFC 5321 §5.1: lowest preference first; one row per host.
    let mx = section(&html, "mx");
    assert_eq!(mx.matches("class=\"mx-host\"").count(), 2);
    assert!(mx.find("mx1.healthy.example").unwrap() < mx.find("mx2.healthy.example").unwrap());
    assert!(section(&html, "txt").contains("google-site-verification=abc123"));
    assert!(section(&html, "spf").contains("v=spf1 mx ip4:93.184.215.0/24 -all"));
    assert!(section(&html, "spf").contains("<meter id=\"spf-gauge\""), "the lookup budget gauge");
    assert!(section(&html, "dmarc").contains("p=reject"));
    assert!(html.contains("id=\"verdict\""));
    // Raw answers are there, collapsed: the summary says how many questions,
    // and nothing of the answers is rendered until the person opens them.
    let evidence = &mx[mx.find("<details class=\"evidence\">").expect("the raw answers")..];
    let evidence = &evidence[..evidence.find("</details>").expect("the raw answers close")];
    let asked = state.report.answer(CheckId::Mx).expect("MX answered").report().lookups().len();
    assert!(asked > 1, "the MX check asks for the hosts' addresses too");
    assert!(evidence.contains(&format!("<summary>Raw DNS answers ({asked} queries)</summary>")), "{evidence}");
    assert!(!evidence.contains("class=\"lookup") && !evidence.contains("class=\"record\""), "closed: {evidence}");
    // Opened: each question, how it came back, each record.
    let open = opened(&state, CheckId::Mx).await;
    assert!(open.contains("<ul class=\"lookups\">"), "{open}");
    assert_eq!(open.matches("<li class=\"lookup\">").count(), asked, "{open}");
    assert!(open.contains("<div class=\"question\"><code>healthy.example MX</code> → NOERROR, 2 records"), "{open}");
    assert!(
        open.contains("<code class=\"record\">healthy.example. 300 IN MX 10 mx1.healthy.example.</code>"),
        "{open}"
    );
    assert!(!html.contains("data-check=\"recipient-mx\""), "no recipient, no recipient section");
}

#[tokio::test]
async fn the_broken_domain_names_every_problem() {
    let html = render(run("broken.example").await).await;
    assert!(codes(&html, "spf").contains(&"spf.multiple".to_string()), "{:?}", codes(&html, "spf"));
    assert!(codes(&html, "mx").contains(&"mx.target-cname".to_string()), "{:?}", codes(&html, "mx"));
    assert!(codes(&html, "dmarc").contains(&"dmarc.none".to_string()), "{:?}", codes(&html, "dmarc"));
    assert!(codes(&html, "ptr").contains(&"ptr.missing".to_string()), "{:?}", codes(&html, "ptr"));
    // No sending IP given: the section says it checked the receiving hosts and asks for the sender's.
    assert!(
        section(&html, "ptr").contains("Checked: your domain&#x27;s mail hosts (MX)")
            || section(&html, "ptr").contains("Checked: your domain's mail hosts (MX)")
    );
    assert_eq!(status(&html, "spf"), "fail");
    // Findings carry their severity and an RFC link.
    assert!(section(&html, "spf").contains("data-severity=\"error\""));
    assert!(section(&html, "spf").contains("href=\"https://www.rfc-editor.org/rfc/rfc7208"));
    // The finding marks the term it is about inside the published record.
    let spf = section(&html, "spf");
    let permissive = &spf[spf.find("data-code=\"spf.all-permissive\"").unwrap()..];
    let permissive = &permissive[..permissive.find("</li>").unwrap()];
    assert!(
        permissive.contains("<code class=\"excerpt\">…include:s3.broken.example <mark>+all</mark></code>"),
        "{permissive}"
    );
}

#[tokio::test]
async fn markup_in_txt_is_text() {
    let html = render(run("hostile.example").await).await;
    let txt = section(&html, "txt");
    assert_eq!(txt.matches("class=\"txt-record\"").count(), 2);
    assert!(txt.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Multi-string TXT is shown as returned: two quoted strings.
    assert!(txt.contains(r#""v=spf1 " "ip4:192.0.2.0/24 -all""#), "{txt}");
    assert!(!html.contains("<script>"));
}

#[tokio::test]
async fn nxdomain_and_resolver_failure_are_told_apart() {
    let html = render(run("no-such-domain.example").await).await;
    assert_eq!(status(&html, "mx"), "fail");
    assert!(section(&html, "mx").contains("does not exist"));
    assert!(codes(&html, "mx").contains(&"mx.nxdomain".to_string()));

    for (domain, reason) in [("servfail.example", "SERVFAIL"), ("slow.example", "timed out")] {
        let state = run(domain).await;
        let html = render(Rc::clone(&state)).await;
        for key in ["mx", "dmarc", "spf", "txt"] {
            assert_eq!(status(&html, key), "unknown", "{domain} {key}");
            let s = section(&html, key);
            assert!(s.contains("couldn") && s.contains(reason), "{domain} {key}: {s}");
            assert!(s.contains("class=\"retry\""), "{domain} {key}: a retry");
        }
        // (DMARC's evidence may hold a legitimate NXDOMAIN for a parent name; MX asked one question.)
        assert!(!section(&html, "mx").contains("NXDOMAIN"), "a failure never reads as a missing name");
        // Nor in the raw answers, once opened: they give the failure.
        let mx = opened(&state, CheckId::Mx).await;
        assert!(mx.contains(reason) && !mx.contains("NXDOMAIN"), "{domain}: {mx}");
        assert_eq!(status(&html, "ptr"), "unknown", "no addresses to check");
        assert!(html.contains("could not be asked"), "the verdict says so");
    }
}

#[tokio::test]
async fn the_recipient_gets_its_own_section() {
    let fields =
        FormFields { domain: "broken.example".into(), recipient: "healthy.example".into(), ..FormFields::default() };
    let html = render(run_with(Rc::new(fields.validate(&NativeIdna).unwrap())).await).await;
    assert_eq!(status(&html, "recipient-mx"), "pass");
    assert!(section(&html, "recipient-mx").contains("mx1.healthy.example"));
    assert_eq!(section(&html, "mx").matches("class=\"mx-host\"").count(), 1, "broken.example's own MX only");
}

#[tokio::test]
async fn the_sending_ip_is_checked() {
    let html = render(run_with(request("healthy.example", "93.184.215.14")).await).await;
    assert!(section(&html, "ptr").contains("sending server"));
    assert!(!section(&html, "ptr").contains("Checked: your domain"), "the sender's IP was checked");
    assert!(section(&html, "spf").contains("class=\"evaluation\""), "{}", section(&html, "spf"));
}

#[tokio::test]
async fn sections_fill_in_independently() {
    let req = request("healthy.example", "");
    let report = Rc::new(State::default()).reduce(Action::Start(Rc::clone(&req)));
    let html = render(Rc::clone(&report)).await;
    // Before any answer: what is being checked, and nothing more (the
    // sections would hold back the first answers: see `report_view`).
    assert!(html.contains("id=\"verdict\"") && html.contains("Checking healthy.example"), "{html}");
    assert!(html.contains("0 of 11 checks answered"));
    assert!(html.contains("aria-live=\"polite\""));
    assert!(!html.contains("<section"), "no section before the first answer: {html}");

    let answer = run_check(&resolver(), &req, CheckId::Txt, &[]).await;
    let report = report.reduce(Action::Answer { run: 1, answer });
    assert!(report.in_flight());
    let html = render(report).await;
    for key in ["mx", "spf", "dmarc", "ptr"] {
        assert_eq!(status(&html, key), "pending", "{key}");
    }
    assert_eq!(status(&html, "txt"), "pass");
    assert!(html.contains("1 of 11 checks answered"));
}

#[tokio::test]
async fn stale_answers_are_dropped_and_retry_reopens_one_section() {
    let resolver = resolver();
    let first = request("servfail.example", "");
    let second = request("healthy.example", "");
    let report = Rc::new(State::default()).reduce(Action::Start(Rc::clone(&first)));
    let report = report.reduce(Action::Start(Rc::clone(&second)));
    assert_eq!(report.run, 2);
    let stale: Answer = run_check(&resolver, &first, CheckId::Mx, &[]).await;
    let report = report.reduce(Action::Answer { run: 1, answer: stale });
    assert!(report.is_pending(CheckId::Mx), "an answer of run 1 must not fill run 2");

    let report = report.reduce(Action::Retry(CheckId::Mx));
    assert_eq!(report.retry, None, "a pending section is not retried");
    let report = report.reduce(Action::Retry(CheckId::RecipientMx));
    assert_eq!(report.retry, None, "a section not in the run is not retried");
    let mut report = report;
    let every_but_ptr = [
        CheckId::Mx,
        CheckId::Spf,
        CheckId::Dmarc,
        CheckId::Dkim,
        CheckId::Txt,
        CheckId::Blocklists,
        CheckId::MtaSts,
        CheckId::TlsRpt,
        CheckId::Dane,
        CheckId::Bimi,
    ];
    for check in every_but_ptr {
        let answer = run_check(&resolver, &second, check, &[]).await;
        report = report.reduce(Action::Answer { run: 2, answer });
    }
    let answer = run_check(
        &resolver,
        &second,
        CheckId::Ptr,
        &report.answer(CheckId::Mx).cloned().into_iter().collect::<Vec<_>>(),
    )
    .await;
    let report = report.reduce(Action::Answer { run: 2, answer });
    assert!(!report.in_flight());
    let report = report.reduce(Action::Retry(CheckId::Ptr));
    assert_eq!(report.retry, Some((1, CheckId::Ptr)));
    assert!(report.is_pending(CheckId::Ptr) && !report.is_pending(CheckId::Mx));
    assert!(report.in_flight());

    // Back to the page without inputs: no report, and the retry's answer is dropped.
    let cleared = report.reduce(Action::Clear);
    assert!(cleared.request.is_none() && !cleared.in_flight());
    assert_eq!(cleared.run, 3);
    let late = run_check(&resolver, &second, CheckId::Ptr, &[]).await;
    let cleared = cleared.reduce(Action::Answer { run: 2, answer: late });
    assert!(cleared.answer(CheckId::Ptr).is_none());
    assert!(!render(cleared).await.contains("id=\"verdict\""), "no report is shown");
}

#[tokio::test]
async fn the_broken_domain_gets_causes_and_corrected_records() {
    let html = render(run("broken.example").await).await;
    // Verdict first, then ranked causes, then the sections.
    let verdict = html.find("id=\"verdict\"").unwrap();
    let causes = html.find("id=\"causes\"").expect("a causes list");
    let first_section = html.find("<section class=\"check\"").or_else(|| html.find("data-check=\"mx\"")).unwrap();
    assert!(verdict < causes && causes < first_section, "verdict, causes, sections in that order");
    assert!(html.contains("data-confidence=\"likely\"") || html.contains("data-confidence=\"possible\""), "{html}");
    for group in html.split("data-group=\"").skip(1) {
        let g = &group[..group.find('"').unwrap()];
        assert!(["server", "network", "sender"].contains(&g), "group {g}");
    }
    // Verdict, then the steps with their cards inline, then the causes.
    let steps_at = html.find("id=\"steps\"").expect("the steps");
    assert!(verdict < steps_at && steps_at < causes, "the steps come right under the verdict");
    let steps = &html[steps_at..];
    let steps = &steps[..steps.find("</section>").unwrap()];
    let kinds: Vec<&str> = steps.split("data-step=\"").skip(1).map(|r| &r[..r.find('"').unwrap()]).collect();
    assert_eq!(kinds, ["spf", "spf-delete", "dmarc", "mx", "ptr"]);
    for kind in ["spf", "dmarc"] {
        assert!(steps.contains(&format!("data-kind=\"{kind}\"")), "a {kind} record");
    }
    for field in ["host", "type", "value", "ttl"] {
        assert_eq!(steps.matches(&format!("<code data-field=\"{field}\">")).count(), 2, "{field}");
    }
    assert!(steps.matches("class=\"copy\"").count() >= 9, "every field, and the request");
    assert!(steps.contains("_dmarc"), "the DMARC host");
    assert!(steps.contains("v=DMARC1"));
    // Which SPF record to edit and which to delete, as published.
    let delete = &steps[steps.find("data-step=\"spf-delete\"").unwrap()..];
    assert!(delete.contains("<code class=\"current\">v=spf1 ip4:93.184.216.0/24 -all</code>"), "{delete}");
    // The card's title is honest: the merged record is flattened within the limits, so it passes.
    assert!(steps.contains("<h3>Corrected SPF record</h3>"), "{steps}");
    assert!(steps.contains("class=\"generated-record\"") && !steps.contains("data-undecided"));
    assert!(steps.contains("<h3>New DMARC record</h3>"));
    // The registrar notes are open, not folded.
    let notes = steps.find("class=\"gen-notes\"").unwrap();
    assert!(notes < steps.find("<details class=\"gen-more\"").unwrap());
    // The reverse-DNS request, ready to send.
    let letter = &steps[steps.find("<pre class=\"letter\">").expect("the request")..];
    assert!(letter.contains("93.184.216.34") && letter.contains("host.broken-hosting.example"), "{letter}");
    assert!(!html.contains("id=\"generated\""), "no second copy of the cards below");
    let after = &steps[steps.find("id=\"after\"").expect("after publishing")..];
    assert!(after.contains("old SPF record for up to 5 minutes"), "{after}");
}

#[tokio::test]
async fn record_values_are_cut_at_spaces_only() {
    // A term a browser could break inside (a hyphen, a slash) is a box that
    // never wraps, so "-all" cannot become "-" / "all"; the others are text.
    let html = render_raw(run("broken.example").await).await;
    let spf = section(&html, "spf");
    assert!(
        spf.contains("<code class=\"spf-record\">v=spf1 <span class=\"t\">ip4:93.184.216.0/24</span> <span class=\"t\">-all</span></code>"),
        "{spf}"
    );
}

#[tokio::test]
async fn a_healthy_domain_needs_no_corrected_records() {
    let html = render(run("healthy.example").await).await;
    assert!(!html.contains("id=\"steps\""), "nothing to do");
    assert!(html.contains("id=\"verdict\" data-tone=\"pass\""), "{html}");
    // The blocklists refuse this resolver: what was not checked is named.
    assert!(
        html.contains("<span class=\"verdict-text verdict-dns\">Every check that could run passed. Not checked: Blocklists.</span>"),
        "{html}"
    );
    assert!(!html.contains("verdict-cause"), "no reply, no cause");
    assert!(!html.contains("id=\"causes\""), "no cause stands out: no empty causes block");
}

#[tokio::test]
async fn a_pasted_reply_reaches_the_diagnosis() {
    const GMAIL_421: &str = "421-4.7.0 [203.0.113.9      15] Our system has detected an unusual rate of\n\
        421-4.7.0 unsolicited mail originating from your IP address. To protect our\n\
        421-4.7.0 users from spam, mail sent from your IP address has been temporarily\n\
        421 4.7.0 rate limited. https://support.google.com/mail/?p=UnsolicitedRateLimitError gsmtp";
    let fields = FormFields::default().with_reply_text(GMAIL_421.to_string(), &NativeIdna);
    assert_eq!(fields.sending_ip, "203.0.113.9", "the IP Gmail quoted fills the field");
    let fields = FormFields { domain: "healthy.example".into(), ..fields };
    let req = fields.validate(&NativeIdna).unwrap();
    assert!(req.reply.is_some());
    let html = render(run_with(Rc::new(req)).await).await;
    let causes = &html[html.find("id=\"causes\"").unwrap()..];
    assert!(causes.to_lowercase().contains("rate"), "{causes}");
    // The verdict keeps the DNS and the deferral apart, and quotes the reply.
    let verdict = &html[html.find("id=\"verdict\"").unwrap()..];
    let verdict = &verdict[..verdict.find("</p>").unwrap()];
    // Gmail quoted 203.0.113.9, which healthy.example's SPF does not list.
    assert!(verdict.contains("<span class=\"verdict-text verdict-dns\">Problems in SPF."), "{verdict}");
    assert!(
        verdict.contains(
            "verdict-cause\">421 4.7.0: the error says “[203.0.113.9 15] Our system has detected an unusual rate"
        ),
        "{verdict}"
    );
    assert!(html.contains("id=\"check-yourself\""));
    assert!(html.contains("class=\"command\""), "manual checks come as commands");
}

#[tokio::test]
async fn the_include_tree_counts_each_branch_against_the_budget() {
    let html = render(run("broken.example").await).await;
    let spf = section(&html, "spf");
    assert!(spf.contains("<meter id=\"spf-gauge\""));
    assert!(spf.contains("12 of 10 DNS lookups — over the limit"), "{spf}");
    // The root counts everything; include:s1 costs itself plus s1's a, mx and include:s4 (RFC 7208 §4.6.4).
    let tree = &spf[spf.find("class=\"spf-tree\"").expect("an include tree")..];
    assert!(tree.contains(">12 lookups<"), "{tree}");
    let s1 = &tree[tree.find("include:s1.broken.example</code>").unwrap()..];
    assert!(s1[..s1.find("</div>").unwrap()].contains(">4 lookups<"), "{s1}");
}

#[derive(Properties, PartialEq)]
struct ChecklistsProps {
    state: Rc<State>,
}

/// The providers' checklists as shown once opened: the page renders each
/// `<details class="req">` with only the provider's name until the person
/// opens it (`components::disclosure`; the end-to-end tests open them).
#[function_component(OpenedChecklists)]
fn opened_checklists(props: &ChecklistsProps) -> Html {
    props.state.derived.requirements.iter().map(checklist).collect()
}

/// Issue 15 §1: the providers' checklists, judged in core, rendered as text.
#[tokio::test]
async fn the_sender_requirements_checklist() {
    let state = run("healthy.example").await;
    let html = render(Rc::clone(&state)).await;
    let at = html.find("id=\"requirements\"").expect("requirements section");
    let folded = &html[at..at + html[at..].find("</section>").unwrap()];
    for name in ["Gmail (personal accounts)", "Yahoo / AOL", "Outlook.com (consumer domains)"] {
        assert!(folded.contains(name), "{name}");
    }
    assert!(!folded.contains("data-mark="), "folded: the lists are not in the page yet");
    let block = &unterm(&LocalServerRenderer::<OpenedChecklists>::with_props(ChecklistsProps { state }).render().await);
    assert!(block.contains("data-mark=\"pass\""), "DMARC and SPF pass on the healthy domain");
    assert!(block.contains("data-mark=\"unknown\"") && block.contains("not checkable here"), "TLS, spam rate …");
    assert!(block.contains("data-mark=\"warn\"") && block.contains("needs your input"), "no sending IP given");
    assert!(block.contains("https://support.google.com/a/answer/81126"));
    assert!(block.contains("5,000"));
}

/// The transport-security sections over the e2e zone: the pasted MTA-STS
/// policy checked against the MX hosts, the curl command, TLS-RPT missing,
/// DANE and BIMI; and a SERVFAIL's reason (EDE 22) in the MX section.
#[tokio::test]
async fn transport_sections_and_the_resolvers_reasons() {
    let zone = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/e2e/zones/transport.zone")).unwrap();
    let policy = "version: STSv1\nmode: enforce\nmx: *.sts.example\nmax_age: 604800\n";
    let fields = FormFields { domain: "sts.example".into(), mta_sts_policy: policy.into(), ..FormFields::default() };
    let run_zone = |req: Rc<Request>| {
        let zone = zone.clone();
        async move {
            let resolver = MemoryResolver::from_zone_text(&zone).unwrap();
            let mut report = Rc::new(State::default()).reduce(Action::Start(Rc::clone(&req)));
            let actions = RefCell::new(Vec::new());
            run_all(&resolver, &req, report.run, &|a| actions.borrow_mut().push(a)).await;
            for action in actions.into_inner() {
                report = report.reduce(action);
            }
            report
        }
    };
    let state = run_zone(Rc::new(fields.validate(&NativeIdna).unwrap())).await;
    let html = render(Rc::clone(&state)).await;
    assert!(codes(&html, "mta-sts").contains(&"mta-sts.mx-not-covered".to_string()));
    assert_eq!(status(&html, "mta-sts"), "fail");
    assert!(section(&html, "mta-sts").contains("curl -sS --max-redirs 0"));
    assert!(section(&html, "mta-sts").contains("mode enforce, max_age 604800 s, mx *.sts.example."));
    assert_eq!(codes(&html, "tls-rpt"), vec!["tlsrpt.none"]);
    assert!(section(&html, "tls-rpt").contains("Not published"));
    assert!(codes(&html, "dane").contains(&"dane.pkix-usage".to_string()));
    // The raw answers (rendered once opened) say the TLSA answer is not validated.
    assert!(
        section(&html, "dane").contains("<summary>Raw DNS answers (2 queries)</summary>"),
        "{}",
        section(&html, "dane")
    );
    let dane = opened(&state, CheckId::Dane).await;
    assert!(
        dane.contains(
            "<code>_25._tcp.mx1.sts.example TLSA</code> → NOERROR, 1 record<span class=\"ad\"> · DNSSEC: insecure"
        ),
        "the TLSA answer is not validated: {dane}"
    );
    assert!(codes(&html, "bimi").contains(&"bimi.dmarc-not-enforced".to_string()));
    let dark = FormFields { domain: "dark.example".into(), ..FormFields::default() };
    let html = render(run_zone(Rc::new(dark.validate(&NativeIdna).unwrap())).await).await;
    assert!(
        section(&html, "mx").contains("the resolver says: No Reachable Authority (22): At delegation dark.example"),
        "{}",
        section(&html, "mx")
    );
}

#[derive(Properties, PartialEq)]
struct TermsProps {
    text: String,
}

#[function_component(Terms)]
fn terms_of(props: &TermsProps) -> Html {
    maildoctor::ui::components::generated::terms(&props.text)
}

/// A record value cut into boxes and text reads exactly as it was: every
/// space kept (doubled, leading, trailing), nothing added, and a term with a
/// hyphen whole in its box.
#[tokio::test]
async fn record_values_keep_their_text() {
    for text in [
        "v=spf1 include:a.example -all",
        "",
        " ",
        "a  b",
        " leading and trailing ",
        "-all",
        "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com",
        "bücher.example 10 mx-1.example.",
    ] {
        let html = LocalServerRenderer::<Terms>::with_props(TermsProps { text: text.to_string() })
            .hydratable(false)
            .render()
            .await;
        assert_eq!(unterm(&html), text, "{html}");
    }
    let html =
        LocalServerRenderer::<Terms>::with_props(TermsProps { text: "a -all".into() }).hydratable(false).render().await;
    assert_eq!(html, "a <span class=\"t\">-all</span>");
}
