//! index.html carries the app's first render (the form and the privacy note),
//! so that a first visit draws a form a person can type into, and submit,
//! while the wasm is still on its way (`static/crash.js` queues a submit made
//! then; `ui::start` carries what was typed over into the app). This test
//! keeps that copy equal to what the app renders: after a change to the form,
//! `UPDATE_STATIC_PAGE=1 cargo test --test static_page` rewrites it.

use maildoctor::ui::app::{App, AppProps, Connect};
use maildoctor::ui::request::ResolverSetting;
use maildoctor_core::dns::MemoryResolver;
use yew::LocalServerRenderer;

struct Memory;

impl Connect for Memory {
    type Resolver = MemoryResolver;
    fn connect(_: &ResolverSetting) -> MemoryResolver {
        MemoryResolver::new()
    }
}

const START: &str = "<div id=\"app\">";
const END: &str = "</div><!-- #app -->";

/// The app's first render, as Yew draws it (no hydration markers: the app
/// replaces this copy when it mounts, it does not adopt it).
async fn first_render() -> String {
    LocalServerRenderer::<App<Memory>>::with_props(AppProps::default()).hydratable(false).render().await
}

#[tokio::test]
async fn index_html_holds_the_apps_first_render() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/index.html");
    let page = std::fs::read_to_string(path).expect("index.html");
    let start = page.find(START).expect("index.html has <div id=\"app\">") + START.len();
    let end = start + page[start..].find(END).expect("index.html closes #app with </div><!-- #app -->");
    let rendered = first_render().await;
    if page[start..end] == rendered {
        return;
    }
    if std::env::var_os("UPDATE_STATIC_PAGE").is_some() {
        std::fs::write(path, format!("{}{rendered}{}", &page[..start], &page[end..])).expect("write index.html");
        return;
    }
    panic!(
        "index.html's copy of the app's first render is out of date; \
         run UPDATE_STATIC_PAGE=1 cargo test --test static_page\nexpected:\n{rendered}"
    );
}

#[tokio::test]
async fn the_copy_is_the_form_and_the_privacy_note_and_nothing_else() {
    let html = first_render().await;
    assert!(html.starts_with("<main><form id=\"check-form\""), "{html}");
    assert!(html.ends_with("</footer>"), "{html}");
    // Empty fields, the default resolver, an idle button: nothing of a check.
    assert!(html.contains("<button id=\"check\" type=\"submit\" class=\"primary\">Check</button>"), "{html}");
    assert!(!html.contains("id=\"report\""), "{html}");
    assert!(!html.contains("<script"), "{html}");
}
