//! The wasm entry: mounts the Yew app. Natively there is nothing to run.

#[cfg(target_arch = "wasm32")]
fn main() {
    maildoctor::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("maildoctor is a web app: build it with `trunk build` (see README.md).");
}
