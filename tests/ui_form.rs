//! The form, the permalink and input validation: the DOM contract the
//! end-to-end tests rely on, and what a person sees before any query.
#![cfg(not(target_arch = "wasm32"))]

use maildoctor::ui::app::{App, AppProps, Connect};
use maildoctor::ui::components::form::{check_form, reply_summary, FormProps};
use maildoctor::ui::permalink::{percent_decode, percent_encode, Permalink, ResolverChoice};
use maildoctor::ui::request::{csp_allows, FieldError, FormFields, ResolverSetting, CSP_DOH_HOSTS};
use maildoctor_core::dns::MemoryResolver;
use maildoctor_core::input::NativeIdna;
use yew::{function_component, Callback, Html, LocalServerRenderer};

#[test]
fn permalinks_round_trip() {
    let cases = [
        ("#d=example.com", Permalink { domain: "example.com".into(), ..Default::default() }),
        (
            "#d=b%C3%BCcher.example&r=gmail.com&ip=2001:db8::1",
            Permalink {
                domain: "bücher.example".into(),
                recipient: "gmail.com".into(),
                ip: "2001:db8::1".into(),
                ..Default::default()
            },
        ),
        (
            "#d=example.com&doh=http://127.0.0.1:8053/dns-query&resolver=custom",
            Permalink {
                domain: "example.com".into(),
                doh: "http://127.0.0.1:8053/dns-query".into(),
                resolver: Some(ResolverChoice::Custom),
                ..Default::default()
            },
        ),
        ("#resolver=google", Permalink { resolver: Some(ResolverChoice::Google), ..Default::default() }),
    ];
    for (hash, want) in cases {
        assert_eq!(Permalink::parse(hash), want, "{hash}");
        assert_eq!(want.to_hash(), hash, "{hash}");
    }
}

#[test]
fn the_example_permalink() {
    let link = Permalink::parse("#example");
    assert_eq!(link.domain, "broken.example");
    assert_eq!(link.resolver, Some(ResolverChoice::Example));
    assert_eq!(link.to_hash(), "#example");
    assert!(link.runs_check());
    // The example's data only answers the example: `resolver=example` does not open it.
    assert_eq!(Permalink::parse("#d=gmail.com&resolver=example").resolver, None);
    let fields = FormFields::from_permalink(&link, String::new());
    assert!(fields.smtp_text.contains("421 4.4.2"), "the example's log line comes with it");
    assert_eq!(fields.doh_origin(), None, "nothing to connect to");
    let request = fields.validate(&NativeIdna).expect("valid");
    assert_eq!(request.resolver, ResolverSetting::Example);
    // Typing over the example's inputs leaves it: the person's own domain goes to a real resolver.
    let typed = fields.edited(FormFields { domain: "mine.example".into(), ..fields.clone() });
    assert_eq!(typed.resolver, ResolverChoice::Cloudflare);
    assert_eq!(typed.permalink().to_hash(), "#d=mine.example&r=customer.example&ip=93.184.216.34");
    // Choosing a resolver, or no change at all, is not typing over it.
    assert_eq!(fields.edited(fields.clone()).resolver, ResolverChoice::Example);
    let google = FormFields { resolver: ResolverChoice::Google, ..fields.clone() };
    assert_eq!(fields.edited(google).resolver, ResolverChoice::Google);
}

#[test]
fn permalinks_from_other_writers() {
    // URLSearchParams (the e2e harness) encodes ':' and '/' and writes spaces as '+'.
    let link = Permalink::parse("#d=healthy.example&resolver=custom&doh=http%3A%2F%2F127.0.0.1%3A4000%2Fdns-query");
    assert_eq!(link.doh, "http://127.0.0.1:4000/dns-query");
    assert_eq!(link.resolver, Some(ResolverChoice::Custom));
    assert!(link.runs_check());
    // `#doh=` alone pre-fills the custom resolver and runs nothing.
    let link = Permalink::parse("#doh=https%3A%2F%2Fdns.example%2Fdns-query");
    assert_eq!(link.resolver, Some(ResolverChoice::Custom));
    assert!(!link.runs_check());
    // Junk is ignored, not fatal.
    let link = Permalink::parse("#&&x=1&d&resolver=quad9&ip=%ZZ&d=a.example");
    assert_eq!(link, Permalink { domain: "a.example".into(), ip: "%ZZ".into(), ..Default::default() });
    assert_eq!(percent_decode("a+b%20c%e2%82%ac%"), "a b c€%");
    assert_eq!(percent_encode("a b&c=d#€"), "a%20b%26c%3Dd%23%E2%82%AC");
    assert_eq!(Permalink::parse(""), Permalink::default());
}

#[test]
fn validation_stops_bad_input_before_any_query() {
    let base = FormFields { domain: "example.com".into(), ..FormFields::default() };
    let cases: [(FormFields, &str, &str); 8] = [
        (FormFields { domain: "".into(), ..base.clone() }, "domain", "domain name"),
        (FormFields { domain: "exa mple.com".into(), ..base.clone() }, "domain", "spaces"),
        (FormFields { recipient: "bad$name.com".into(), ..base.clone() }, "recipient", "cannot contain"),
        (FormFields { sending_ip: "300.1.2.3".into(), ..base.clone() }, "sending-ip", "not an IP address"),
        (FormFields { resolver: ResolverChoice::Custom, ..base.clone() }, "doh-url", "DoH URL"),
        (
            FormFields { resolver: ResolverChoice::Custom, doh_url: "ftp://x".into(), ..base.clone() },
            "doh-url",
            "starts with https://",
        ),
        // The page's CSP would make the browser block these: refused with the reason, nothing asked.
        (
            FormFields {
                resolver: ResolverChoice::Custom,
                doh_url: "https://dns.quad9.net/dns-query".into(),
                ..base.clone()
            },
            "doh-url",
            "security policy makes the browser block https://dns.quad9.net",
        ),
        (
            FormFields {
                resolver: ResolverChoice::Custom,
                doh_url: "https://dns.google:8443/resolve".into(),
                ..base.clone()
            },
            "doh-url",
            "only connect to cloudflare-dns.com, dns.google, 127.0.0.1, localhost",
        ),
    ];
    for (fields, field, words) in cases {
        let err = fields.validate(&NativeIdna).unwrap_err();
        assert_eq!(err.field, field, "{fields:?}");
        assert!(err.message.contains(words), "{}: {words}", err.message);
    }
    let ok = FormFields {
        domain: "Alice@Bücher.example".into(),
        recipient: " https://gmail.com/ ".into(),
        sending_ip: "[192.0.2.7]".into(),
        resolver: ResolverChoice::Custom,
        doh_url: "http://127.0.0.1:8053/dns-query".into(),
        ..FormFields::default()
    }
    .validate(&NativeIdna)
    .unwrap();
    assert_eq!(ok.domain.ascii, "xn--bcher-kva.example");
    assert_eq!(ok.recipient.unwrap().ascii, "gmail.com");
    assert_eq!(ok.sending_ip, Some("192.0.2.7".parse().unwrap()));
    assert_eq!(ok.resolver, ResolverSetting::Custom("http://127.0.0.1:8053/dns-query".into()));
}

#[test]
fn the_page_preconnects_only_to_a_complete_resolver_choice() {
    let with = |resolver, doh_url: &str| FormFields { resolver, doh_url: doh_url.into(), ..FormFields::default() };
    let cases = [
        (with(ResolverChoice::Cloudflare, ""), Some("https://cloudflare-dns.com")),
        (with(ResolverChoice::Google, "https://ignored.example/q"), Some("https://dns.google")),
        (with(ResolverChoice::Custom, "https://127.0.0.1:8443/dns-query"), Some("https://127.0.0.1:8443")),
        // Half typed or not a DoH URL: no connection to a host nobody chose yet.
        (with(ResolverChoice::Custom, ""), None),
        (with(ResolverChoice::Custom, "https://"), None),
        (with(ResolverChoice::Custom, "ftp://x"), None),
        (with(ResolverChoice::Custom, "https://dns.quad9.net/dns-query"), None),
    ];
    for (fields, origin) in cases {
        assert_eq!(fields.doh_origin().as_deref(), origin, "{fields:?}");
    }
}

#[test]
fn form_fields_and_permalink_agree() {
    let fields = FormFields {
        domain: " example.com ".into(),
        sending_ip: "192.0.2.1".into(),
        smtp_text: "421 4.4.2 timeout".into(),
        resolver: ResolverChoice::Custom,
        doh_url: "http://127.0.0.1:9/dns-query".into(),
        ..FormFields::default()
    };
    let hash = fields.permalink().to_hash();
    assert_eq!(hash, "#d=example.com&ip=192.0.2.1&doh=http://127.0.0.1:9/dns-query&resolver=custom");
    assert!(!hash.contains("421"), "the pasted reply never goes into the URL");
    let back = FormFields::from_permalink(&Permalink::parse(&hash), String::new());
    assert_eq!(back.domain, "example.com");
    assert_eq!(back.resolver, ResolverChoice::Custom);
    // The default resolver is not written out.
    assert_eq!(
        FormFields { domain: "a.example".into(), ..FormFields::default() }.permalink().to_hash(),
        "#d=a.example"
    );
}

/// The opening tag that contains `needle`.
fn opening_tag<'a>(html: &'a str, needle: &str) -> &'a str {
    let at = html.find(needle).unwrap_or_else(|| panic!("no {needle} in {html}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

#[function_component]
fn CheckForm(props: &FormProps) -> Html {
    check_form(props)
}

async fn render_form(props: FormProps) -> String {
    LocalServerRenderer::<CheckForm>::with_props(props).render().await
}

fn form_props(fields: FormFields) -> FormProps {
    FormProps {
        fields,
        on_change: Callback::noop(),
        on_submit: Callback::noop(),
        on_example: Callback::noop(),
        error: None,
        notes: Vec::new(),
        busy: false,
        reply_summary: None,
    }
}

#[tokio::test]
async fn the_form_keeps_the_dom_contract() {
    let html = render_form(form_props(FormFields::default())).await;
    for needle in [
        "<form id=\"check-form\"",
        "id=\"domain\"",
        "id=\"recipient\"",
        "id=\"sending-ip\"",
        "<textarea id=\"smtp-text\"",
        "<select id=\"resolver\"",
        "value=\"cloudflare\"",
        "value=\"google\"",
        "value=\"custom\"",
        "<button id=\"check\" type=\"submit\"",
        "<label for=\"domain\"",
        "<label for=\"sending-ip\"",
        "<label for=\"smtp-text\"",
        "<label for=\"resolver\"",
    ] {
        assert!(html.contains(needle), "missing {needle} in {html}");
    }
    assert!(!html.contains("id=\"input-error\""), "no error before there is one");
    assert!(!html.contains("id=\"doh-url\""), "the custom URL field shows only for a custom resolver");

    let custom = FormFields { resolver: ResolverChoice::Custom, ..FormFields::default() };
    let html = render_form(FormProps {
        error: Some(FieldError { field: "doh-url", message: "Custom resolver: type the DoH URL".into() }),
        notes: vec!["Took the domain from the email address: example.com".into()],
        ..form_props(custom)
    })
    .await;
    assert!(html.contains("id=\"doh-url\""));
    assert!(html.contains("the browser blocks any other URL"), "the CSP limit is said next to the field");
    assert!(opening_tag(&html, "id=\"input-error\"").contains("role=\"alert\""), "{html}");
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("id=\"input-notes\""));
    assert!(html.contains("Took the domain from the email address"));
}

struct Memory;

impl Connect for Memory {
    type Resolver = MemoryResolver;
    fn connect(_: &ResolverSetting) -> MemoryResolver {
        MemoryResolver::new()
    }
}

#[tokio::test]
async fn the_page_says_what_it_does_with_your_data() {
    let html = LocalServerRenderer::<App<Memory>>::with_props(AppProps::default()).render().await;
    assert!(html.contains("What this page does with your data"));
    assert!(html.contains("Only DNS questions (such as"));
    assert!(html.contains("<form id=\"check-form\""));
    assert!(!html.contains("id=\"verdict\""), "no report before a check");
}

#[test]
fn a_pasted_reply_fills_only_what_was_not_typed() {
    let bounce = "Reporting-MTA: dns; mail.sender.example\nFinal-Recipient: rfc822; bob@receiver.example\n\
        Action: delayed\nStatus: 4.4.2\nRemote-MTA: dns; mx.receiver.example\n\
        Diagnostic-Code: smtp; 421 4.4.2 mx.receiver.example Error: timeout exceeded";
    let typed = FormFields { recipient: "typed.example".into(), ..FormFields::default() };
    let filled = typed.with_reply_text(bounce.to_string(), &NativeIdna);
    assert_eq!(filled.recipient, "typed.example", "what the person typed stays");
    assert_eq!(filled.smtp_text, bounce);
    // A field the paste filled is refilled when the paste changes, until the person types in it.
    let once =
        FormFields::default().with_reply_text("421 4.7.0 [203.0.113.9 15] rate limited gsmtp".into(), &NativeIdna);
    assert!(once.filled.sending_ip, "{once:?}");
    let again = once.with_reply_text("421 4.7.0 [203.0.113.10 15] rate limited gsmtp".into(), &NativeIdna);
    assert_eq!(again.sending_ip, "203.0.113.10");
    let typed_ip = FormFields { sending_ip: "192.0.2.1".into(), ..FormFields::default() };
    let kept = typed_ip.with_reply_text("421 4.7.0 [203.0.113.10 15] rate limited gsmtp".into(), &NativeIdna);
    assert_eq!(kept.sending_ip, "192.0.2.1");
    let nothing = FormFields::default().with_reply_text("hello".into(), &NativeIdna);
    assert_eq!((nothing.domain.as_str(), nothing.sending_ip.as_str()), ("", ""));
}

/// What was typed into index.html's copy of the form before the app ran goes
/// over what the address says, read as the app's own form reads an edit; an
/// untouched copy leaves the address to decide.
#[test]
fn what_was_typed_before_the_app_ran_is_carried_over() {
    let linked = FormFields::from_permalink(
        &Permalink::parse("#r=custom&doh=http%3A%2F%2F127.0.0.1%3A8053%2Fdns-query"),
        String::new(),
    );
    assert_eq!(linked.with_typed_before_start(FormFields::default(), &NativeIdna), None);
    let typed = FormFields {
        domain: " broken.example".into(),
        smtp_text: "421 4.7.0 [203.0.113.9 15] rate limited gsmtp".into(),
        ..FormFields::default()
    };
    let fields = linked.with_typed_before_start(typed, &NativeIdna).expect("typed");
    assert_eq!(fields.domain, " broken.example", "as typed: trimmed when validated");
    // The address's resolver stays: the copy's select was left at its default.
    assert_eq!((fields.resolver, fields.doh_url.as_str()), (ResolverChoice::Custom, "http://127.0.0.1:8053/dns-query"));
    // The pasted reply filled the IP, as a paste into the app's form does.
    assert_eq!((fields.sending_ip.as_str(), fields.filled.sending_ip), ("203.0.113.9", true));
    // A resolver chosen, nothing typed: still the person's choice.
    let chosen = FormFields { resolver: ResolverChoice::Google, ..FormFields::default() };
    let fields = FormFields::default().with_typed_before_start(chosen, &NativeIdna).expect("chosen");
    assert_eq!(fields.resolver, ResolverChoice::Google);
}

/// index.html's connect-src and the hosts the form accepts are one list: a
/// resolver the form lets through is one the browser will let the page reach.
#[test]
fn the_form_accepts_exactly_the_resolvers_the_csp_allows() {
    let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/index.html")).unwrap();
    let csp = html.split("Content-Security-Policy\" content=\"").nth(1).unwrap();
    let csp = &csp[..csp.find('"').unwrap()];
    let connect = csp.split(';').map(str::trim).find(|d| d.starts_with("connect-src ")).unwrap();
    let mut sources: Vec<&str> = connect.split_whitespace().skip(1).filter(|s| *s != "'self'").collect();
    sources.sort_unstable();
    let mut expected = Vec::new();
    for host in CSP_DOH_HOSTS {
        let loopback = matches!(*host, "127.0.0.1" | "localhost");
        if loopback {
            expected.push(format!("http://{host}:*"));
            expected.push(format!("https://{host}:*"));
        } else {
            expected.push(format!("https://{host}"));
        }
    }
    expected.sort_unstable();
    assert_eq!(sources, expected, "index.html connect-src: {connect}");
    for (origin, allowed) in [
        ("https://cloudflare-dns.com", true),
        ("https://DNS.Google", true),
        ("https://dns.google:443", true),
        ("https://dns.google:8443", false),
        ("http://dns.google", false),
        ("https://127.0.0.1:8443", true),
        ("http://localhost:8080", true),
        ("http://[::1]:8053", false),
        ("https://cloudflare-dns.com.evil.example", false),
        ("https://mozilla.cloudflare-dns.com", false),
        ("no scheme", false),
    ] {
        assert_eq!(csp_allows(origin), allowed, "{origin}");
    }
}

/// A Microsoft 365 NDR's report part on two recipients (RFC 3464 §2.3: one
/// group of fields each), and a Postfix log line with one.
const TWO_RECIPIENTS: &str = "Reporting-MTA: dns; AM6PR04MB1234.eurprd04.prod.outlook.com\n\n\
Final-Recipient: rfc822; ann@partner.example\nAction: failed\nStatus: 5.1.10\n\
Diagnostic-Code: smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup\n\n\
Final-Recipient: rfc822; bob@partner.example\nAction: delayed\nStatus: 4.4.7\n\
Diagnostic-Code: smtp; 451 4.4.7 Message delayed\n";

#[tokio::test]
async fn each_recipient_of_a_bounce_is_shown_with_its_status() {
    let summary = reply_summary(TWO_RECIPIENTS).unwrap();
    assert_eq!(summary.recipients.len(), 2, "{:?}", summary.recipients);
    assert!(
        summary.recipients[0].starts_with("ann@partner.example — failed, 550 5.1.10: "),
        "{:?}",
        summary.recipients
    );
    assert!(
        summary.recipients[1].starts_with("bob@partner.example — delayed, 451 4.4.7: "),
        "{:?}",
        summary.recipients
    );
    let html = render_form(FormProps { reply_summary: Some(summary), ..form_props(FormFields::default()) }).await;
    assert!(html.contains("<ul id=\"reply-recipients\""), "{html}");
    assert_eq!(html.matches("ann@partner.example — failed").count(), 1);

    // One recipient: the summary line alone.
    let one = reply_summary(
        "postfix/smtp[7]: 4F2: to=<ann@partner.example>, dsn=4.4.2, status=deferred (conversation timed out)",
    );
    let one = one.unwrap();
    assert!(one.recipients.is_empty(), "{:?}", one.recipients);
    assert!(one.line.starts_with("Read as 4.4.2"), "{}", one.line);
    let html = render_form(FormProps { reply_summary: Some(one), ..form_props(FormFields::default()) }).await;
    assert!(!html.contains("reply-recipients"));
    assert!(reply_summary("  \n").is_none());
}

/// The header of a message that arrived at Gmail (trimmed), as "Show original" gives it.
const DELIVERED_HEADER: &str = "Return-Path: <alice@example.com>
Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41])
        by mx.google.com with SMTPS id a1sor123456plh.12.2026.03.03.02.11.43
        for <bob@gmail.com>
        (Google Transport Security);
        Tue, 03 Mar 2026 02:11:43 -0800 (PST)
Received-SPF: pass (google.com: domain of alice@example.com designates 209.85.220.41 as permitted sender) client-ip=209.85.220.41;
Authentication-Results: mx.google.com;
       dkim=pass header.i=@example.com header.s=google header.b=Abc12345;
       spf=pass (google.com: domain of alice@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=alice@example.com;
       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;
        d=example.com; s=google; t=1772532703;
        h=to:subject:message-id:date:from;
        bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;
        b=Abc12345xyzAbc12345xyz==
From: \"Alice Example\" <alice@example.com>
";

#[test]
fn a_pasted_message_header_fills_the_selector_the_domain_and_the_ip() {
    let fields = FormFields::default().with_reply_text(DELIVERED_HEADER.to_string(), &NativeIdna);
    assert_eq!(fields.dkim_selectors, "google");
    assert_eq!(fields.domain, "example.com");
    assert_eq!(fields.sending_ip, "209.85.220.41");
    let summary = reply_summary(DELIVERED_HEADER).unwrap();
    assert_eq!(
        summary.line,
        "Read as a message header from example.com; signed by example.com with selector google; sent from 209.85.220.41."
    );
    // Alignment with the From domain, each authenticated domain in words.
    assert_eq!(
        summary.recipients,
        [
            "SPF: example.com, aligned (strict: the From domain itself), passed at the receiver.",
            "DKIM: example.com, aligned (strict: the From domain itself), passed at the receiver."
        ]
    );
    // A bounce is read as a reply: its own From and signature are the provider's, not the sender's.
    let bounce = format!("{DELIVERED_HEADER}\n550 5.1.1 <bob@gmail.com>: user unknown");
    let fields = FormFields::default().with_reply_text(bounce, &NativeIdna);
    assert_eq!(fields.dkim_selectors, "");
}
