//! Static files under a base path, as GitHub Pages serves a project site
//! (`https://user.github.io/repo/…`): lets e2e tests load the built app from
//! a sub-path and check that its asset URLs are relative.

use std::path::{Component, Path, PathBuf};

use crate::http::Response;

pub struct StaticFiles {
    dir: PathBuf,
    /// Always starts and ends with `/`.
    base: String,
}

impl StaticFiles {
    pub fn new(dir: PathBuf, base: &str) -> StaticFiles {
        let trimmed = base.trim_matches('/');
        let base = if trimmed.is_empty() { "/".to_string() } else { format!("/{trimmed}/") };
        StaticFiles { dir, base }
    }

    /// The file for `path`, or `None` when the path is not under the base.
    pub fn get(&self, path: &str) -> Option<Response> {
        // `/repo` → `/repo/`, as Pages does, so relative URLs resolve under the base.
        if format!("{path}/") == self.base {
            return Some(Response::text(301, "moved").with_header("Location", self.base.clone()));
        }
        let rest = path.strip_prefix(&self.base)?;
        let mut file = self.dir.clone();
        for component in Path::new(rest).components() {
            match component {
                Component::Normal(part) => file.push(part),
                // No `..`, no absolute paths: nothing outside the directory.
                _ => return Some(Response::text(404, "not found")),
            }
        }
        if file.is_dir() {
            file.push("index.html");
        }
        Some(match std::fs::read(&file) {
            Ok(bytes) => Response::new(200, content_type(&file), bytes).with_header("Cache-Control", "no-store"),
            Err(_) => Response::text(404, &format!("no file {rest:?}")),
        })
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html") | Some("htm") => "text/html; charset=utf-8",
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        // Needed for WebAssembly.instantiateStreaming.
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") | Some("map") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_under_the_base_only() {
        let dir = std::env::temp_dir().join(format!("doh-fixture-files-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("index.html"), "<p>hi</p>").unwrap();
        std::fs::write(dir.join("app_bg.wasm"), b"\0asm").unwrap();
        let files = StaticFiles::new(dir.clone(), "md");
        let get = |p: &str| files.get(p).map(|r| (r.status, r.headers[0].1.clone(), r.body));
        assert_eq!(get("/md/").unwrap().0, 200);
        assert_eq!(get("/md/").unwrap().2, b"<p>hi</p>");
        assert_eq!(get("/md/app_bg.wasm").unwrap().1, "application/wasm");
        assert_eq!(get("/md").unwrap().0, 301);
        assert_eq!(get("/md/sub").unwrap().0, 404, "a directory without index.html");
        assert_eq!(get("/md/../etc/passwd").unwrap().0, 404);
        assert!(get("/other/index.html").is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
