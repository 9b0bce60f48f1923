//! The report as a person sees it: the real runner over an in-memory zone,
//! answers folded through the reducer, the page rendered server-side.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::rc::Rc;

use maildoctor::dns::MemoryResolver;
use maildoctor::ui::components::report::{ReportProps, ReportView};
use maildoctor::ui::request::FormFields;
use maildoctor::ui::runner::run_all;
use maildoctor::ui::state::{Action, Answer, CheckId, Report};
use yew::{Callback, LocalServerRenderer, Reducible};

const ZONE: &str = r#"
example.com.       300 MX  20 backup.example.com.
example.com.       300 MX  10 mx1.example.com.
example.com.           TXT "v=spf1 " "include:_spf.example.net -all"
example.com.           TXT "<script>alert(1)</script>"
mx1.example.com.       A   192.0.2.10
nomx.example.          A   192.0.2.20
broken.example.        FAULT servfail
"#;

fn request(domain: &str) -> Rc<maildoctor::ui::request::Request> {
    let fields = FormFields { domain: domain.into(), ..FormFields::default() };
    Rc::new(fields.validate().expect("valid request"))
}

/// Runs a whole check the way the page does and returns the final report.
async fn run(domain: &str) -> Rc<Report> {
    let resolver = MemoryResolver::from_zone_text(ZONE).unwrap();
    let req = request(domain);
    let mut report = Rc::new(Report::default()).reduce(Action::Start(Rc::clone(&req)));
    let actions = RefCell::new(Vec::new());
    run_all(&resolver, &req, report.run, &|a| actions.borrow_mut().push(a)).await;
    for action in actions.into_inner() {
        report = report.reduce(action);
    }
    report
}

async fn render(report: Rc<Report>) -> String {
    LocalServerRenderer::<ReportView>::with_props(ReportProps { report, on_retry: Callback::noop() }).render().await
}

/// The opening tag of the section `key`.
fn section_tag<'a>(html: &'a str, key: &str) -> &'a str {
    let at = html.find(&format!("data-check=\"{key}\"")).unwrap_or_else(|| panic!("no {key} section in {html}"));
    let start = html[..at].rfind("<section").unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..end]
}

#[tokio::test]
async fn records_are_shown_in_order_and_as_text() {
    let report = run("Example.COM").await;
    assert!(!report.in_flight());
    let html = render(report).await;
    assert!(section_tag(&html, "mx").contains("data-status=\"pass\""), "{html}");
    assert!(section_tag(&html, "txt").contains("data-status=\"pass\""));
    // RFC 5321 §5.1: lowest preference first.
    let mx1 = html.find("mx1.example.com").unwrap();
    let backup = html.find("backup.example.com").unwrap();
    assert!(mx1 < backup, "preference 10 must come before 20");
    assert_eq!(html.matches("class=\"mx-host\"").count(), 2);
    assert_eq!(html.matches("class=\"txt-record\"").count(), 2);
    // Multi-string TXT shown as returned (two quoted strings), markup as text only.
    assert!(html.contains(r#""v=spf1 " "include:_spf.example.net -all""#), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>"));
    // The raw answers, collapsed, each record in a .record element.
    assert!(html.contains("<details class=\"evidence\">"));
    assert!(html.contains("class=\"record\""));
    assert!(html.contains("id=\"verdict\""));
}

#[tokio::test]
async fn nxdomain_nodata_and_failure_are_told_apart() {
    let html = render(run("missing.example").await).await;
    assert!(section_tag(&html, "mx").contains("data-status=\"fail\""));
    assert!(html.contains("does not exist in DNS (the answer was NXDOMAIN)"), "{html}");

    let html = render(run("nomx.example").await).await;
    assert!(section_tag(&html, "mx").contains("data-status=\"warn\""));
    assert!(html.contains("has no MX records (the answer was NODATA)"), "{html}");
    // No TXT records is not a failure of the TXT section.
    assert!(section_tag(&html, "txt").contains("data-status=\"pass\""));

    let html = render(run("broken.example").await).await;
    assert!(section_tag(&html, "mx").contains("data-status=\"unknown\""), "{html}");
    assert!(html.contains("Unknown — couldn&#x27;t ask") || html.contains("Unknown — couldn't ask"), "{html}");
    assert!(html.contains("SERVFAIL"));
    assert!(html.contains("class=\"retry\""), "a resolver failure offers a retry");
    assert!(!html.contains("NXDOMAIN"), "a failure must never read as a missing name");
}

#[tokio::test]
async fn sections_fill_in_independently() {
    let req = request("example.com");
    let report = Rc::new(Report::default()).reduce(Action::Start(Rc::clone(&req)));
    let html = render(Rc::clone(&report)).await;
    assert!(section_tag(&html, "mx").contains("data-status=\"pending\""));
    assert!(section_tag(&html, "txt").contains("data-status=\"pending\""));
    assert!(html.contains("0 of 2 checks answered"));

    let resolver = MemoryResolver::from_zone_text(ZONE).unwrap();
    let answer = maildoctor::ui::runner::run_check(&resolver, &req, CheckId::Txt).await;
    let report = report.reduce(Action::Answer { run: 1, answer });
    assert!(report.in_flight());
    let html = render(report).await;
    assert!(section_tag(&html, "mx").contains("data-status=\"pending\""));
    assert!(section_tag(&html, "txt").contains("data-status=\"pass\""));
    assert!(html.contains("1 of 2 checks answered"));
}

#[tokio::test]
async fn stale_answers_are_dropped_and_retry_reopens_one_section() {
    let resolver = MemoryResolver::from_zone_text(ZONE).unwrap();
    let first = request("broken.example");
    let second = request("example.com");
    let report = Rc::new(Report::default()).reduce(Action::Start(Rc::clone(&first)));
    let report = report.reduce(Action::Start(Rc::clone(&second)));
    assert_eq!(report.run, 2);
    let stale: Answer = maildoctor::ui::runner::run_check(&resolver, &first, CheckId::Mx).await;
    let report = report.reduce(Action::Answer { run: 1, answer: stale });
    assert!(report.mx.is_pending(), "an answer of run 1 must not fill run 2");

    // Retry: only after an answer, and only the section asked for.
    let report = report.reduce(Action::Retry(CheckId::Mx));
    assert_eq!(report.retry, None, "a pending section is not retried");
    let answer = maildoctor::ui::runner::run_check(&resolver, &second, CheckId::Mx).await;
    let report = report.reduce(Action::Answer { run: 2, answer });
    let answer = maildoctor::ui::runner::run_check(&resolver, &second, CheckId::Txt).await;
    let report = report.reduce(Action::Answer { run: 2, answer });
    assert!(!report.in_flight());
    let report = report.reduce(Action::Retry(CheckId::Mx));
    assert_eq!(report.retry, Some((1, CheckId::Mx)));
    assert!(report.mx.is_pending() && !report.txt.is_pending());
}
