//! A copy-to-clipboard button that says when it has copied.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyProps {
    pub text: AttrValue,
    /// What is copied, for screen readers ("Copy the host").
    pub label: AttrValue,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyProps) -> Html {
    let copied = use_state(|| None::<bool>);
    let onclick = {
        // The setter, not the whole handle: the page then has no clone of the handle.
        let (text, copied) = (props.text.clone(), copied.setter());
        Callback::from(move |_| {
            let copied = copied.clone();
            clipboard::write(&text, move |ok| copied.set(Some(ok)));
        })
    };
    let shown = match *copied {
        None => "Copy",
        Some(true) => "Copied ✓",
        Some(false) => "Copy failed — select the text",
    };
    html! {
        <button type="button" class="copy" aria-label={props.label.clone()} {onclick}>
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
