//! The Yew app: a form, and a report filled in as answers arrive.
//!
//! - [`state`]: the one reducer: the core's report and what is derived from it.
//! - [`components`]: small components that render the state.
//! - [`permalink`], [`request`]: the URL hash and the form's validation.
//! - [`app`]: the page and its browser glue.
//! - [`idna`]: the browser's UTS #46 for names typed in Unicode.

pub mod app;
pub mod components;
pub mod idna;
pub mod permalink;
pub mod request;
pub mod state;

use crate::doh::{DohClient, Provider, DEFAULT_TIMEOUT};
use maildoctor_core::dns::SharedResolver;
use request::ResolverSetting;

/// The page's way to DNS: DoH to the chosen provider, one shared resolver per
/// run so a question asked by two checks (the domain's TXT for SPF and for the
/// TXT section) goes out once.
pub struct Doh;

impl app::Connect for Doh {
    type Resolver = SharedResolver<DohClient>;

    fn connect(setting: &ResolverSetting) -> SharedResolver<DohClient> {
        let client = match setting {
            // The client retries a failed question once on the other big provider.
            ResolverSetting::Cloudflare => DohClient::with_primary(Provider::Cloudflare),
            ResolverSetting::Google => DohClient::with_primary(Provider::Google),
            // A resolver the person named is the only one asked.
            ResolverSetting::Custom(url) => DohClient::new(Provider::Custom(url.clone()), None, DEFAULT_TIMEOUT),
            // `#example`: the bundled answers, nothing sent.
            ResolverSetting::Example => DohClient::new(Provider::Example, None, DEFAULT_TIMEOUT),
        };
        SharedResolver::new(client)
    }
}

/// Mounts the app in index.html's `#app`, below the static header (Yew
/// empties the element it mounts on, so not `<body>`; in `#app` it replaces
/// index.html's copy of the form, taking over what was typed into it); on
/// `<body>` if it is missing.
pub fn start() {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    // What was typed into index.html's copy of the form, before Yew empties #app.
    app::keep_static_form();
    match root {
        Some(root) => yew::Renderer::<app::App<Doh>>::with_root(root).render(),
        None => yew::Renderer::<app::App<Doh>>::new().render(),
    };
}
