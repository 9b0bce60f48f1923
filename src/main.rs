//! The wasm entry: mounts the Yew app. Natively there is nothing to run.

/// Talc instead of Rust's default wasm allocator (dlmalloc): smaller code
/// (measured 2026-12-05: -1.7 KB gzip of the shipped wasm) and, by its
/// benchmarks, faster allocation on a single thread (the page has one).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    maildoctor::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("maildoctor is a web app: build it with `trunk build` (see README.md).");
}
