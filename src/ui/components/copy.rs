//! Copy-to-clipboard buttons that say when they have copied.
//!
//! Plain functions, not a component: the report has 26 of them on
//! broken.example, and a function component with its own state cost 1.2 KB
//! of the shipped gzip (measured 2026-12-06). Which text was copied last is
//! the state of the part of the report that holds the buttons
//! (`report::ReportView`, `report::CheckView`), handed down as [`Copies`].

use yew::prelude::*;

/// The copy buttons of a part of the report: the text last copied (and
/// whether the browser took it), and how a button reports a copy.
pub struct Copies {
    pub last: Option<(AttrValue, bool)>,
    pub on_copied: Callback<(AttrValue, bool)>,
}

/// A button that copies `text`; `label` says what for screen readers ("Copy
/// the host"). It reads "Copied ✓" while `text` is the last text copied
/// (on every button that copies that text: it is on the clipboard).
pub fn copy_button(text: AttrValue, label: AttrValue, copies: &Copies) -> Html {
    let shown = match &copies.last {
        Some((last, ok)) if *last == text => {
            if *ok {
                "Copied ✓"
            } else {
                "Copy failed — select the text"
            }
        }
        _ => "Copy",
    };
    let onclick = {
        let done = copies.on_copied.clone();
        move |_| {
            let (copied, done) = (text.clone(), done.clone());
            clipboard::write(&text, move |ok| done.emit((copied, ok)));
        }
    };
    html! {
        <button type="button" class="copy" aria-label={label} {onclick}>
            <span aria-live="polite">{ shown }</span>
        </button>
    }
}

mod clipboard {
    /// Writes to the clipboard; `done(true)` once it is there.
    #[cfg(target_arch = "wasm32")]
    pub fn write(text: &str, done: impl FnOnce(bool) + 'static) {
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            return done(false);
        };
        let promise = clipboard.write_text(text);
        wasm_bindgen_futures::spawn_local(async move {
            done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
        });
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn write(_: &str, done: impl FnOnce(bool) + 'static) {
        done(false);
    }
}
