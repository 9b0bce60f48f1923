//! Static files under a base path, as GitHub Pages serves a project site
//! (`https://user.github.io/repo/…`): lets e2e tests load the built app from
//! a sub-path and check that its asset URLs are relative. With `pages` (the
//! `--pages` flag, for the first-visit benchmark) also with Pages' caching
//! (`max-age=600`) and gzip for text and wasm when the browser accepts it, so
//! a first visit downloads what a visitor of the hosted page downloads.

use std::path::{Component, Path, PathBuf};

use std::collections::HashMap;
use std::io::Write;

use crate::http::Response;

pub struct StaticFiles {
    dir: PathBuf,
    /// Always starts and ends with `/`.
    base: String,
    /// Serve as GitHub Pages does: cacheable for 10 minutes, gzip when accepted.
    pages: bool,
    /// With `pages`: the directory's files, gzip-compressed at start.
    gzipped: HashMap<PathBuf, Vec<u8>>,
}

impl StaticFiles {
    pub fn new(dir: PathBuf, base: &str) -> StaticFiles {
        let trimmed = base.trim_matches('/');
        let base = if trimmed.is_empty() { "/".to_string() } else { format!("/{trimmed}/") };
        StaticFiles { dir, base, pages: false, gzipped: HashMap::new() }
    }

    /// Serve with GitHub Pages' caching and compression (`--pages`). The files
    /// of the directory (not below it) are compressed here, once: gzip -9 of
    /// the 700 KB wasm takes a debug build of this server some 400 ms, which
    /// would otherwise be counted as download time on every first visit.
    pub fn like_pages(mut self) -> StaticFiles {
        self.pages = true;
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for path in entries.flatten().map(|e| e.path()).filter(|p| p.is_file()) {
                if let Ok(bytes) = std::fs::read(&path) {
                    self.gzipped.insert(path, gzip(&bytes));
                }
            }
        }
        self
    }

    /// The file for `path`, or `None` when the path is not under the base.
    /// `gzip_ok`: the request's Accept-Encoding allows gzip.
    pub fn get(&self, path: &str, gzip_ok: bool) -> Option<Response> {
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
        let Ok(bytes) = std::fs::read(&file) else { return Some(Response::text(404, &format!("no file {rest:?}"))) };
        let kind = content_type(&file);
        if !self.pages {
            return Some(Response::new(200, kind, bytes).with_header("Cache-Control", "no-store"));
        }
        let compressible = kind.starts_with("text/") || kind == "application/wasm" || kind.ends_with("json");
        let response = match gzip_ok && compressible {
            true => {
                let body = self.gzipped.get(&file).cloned().unwrap_or_else(|| gzip(&bytes));
                Response::new(200, kind, body).with_header("Content-Encoding", "gzip")
            }
            false => Response::new(200, kind, bytes),
        };
        Some(response.with_header("Cache-Control", "max-age=600").with_header("Vary", "Accept-Encoding"))
    }
}

/// gzip at level 9, as `scripts/size.sh` measures the shipped bytes.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
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
        let get = |p: &str| files.get(p, false).map(|r| (r.status, r.headers[0].1.clone(), r.body));
        assert_eq!(get("/md/").unwrap().0, 200);
        assert_eq!(get("/md/").unwrap().2, b"<p>hi</p>");
        assert_eq!(get("/md/app_bg.wasm").unwrap().1, "application/wasm");
        assert_eq!(get("/md").unwrap().0, 301);
        assert_eq!(get("/md/sub").unwrap().0, 404, "a directory without index.html");
        assert_eq!(get("/md/../etc/passwd").unwrap().0, 404);
        assert!(get("/other/index.html").is_none());
        // Like Pages: gzip when accepted (the body inflates back), cacheable.
        let pages = StaticFiles::new(dir.clone(), "md").like_pages();
        let r = pages.get("/md/", true).unwrap();
        assert!(r.headers.iter().any(|(k, v)| *k == "Content-Encoding" && v == "gzip"));
        assert!(r.headers.iter().any(|(k, v)| *k == "Cache-Control" && v == "max-age=600"));
        let mut inflated = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&r.body[..]), &mut inflated).unwrap();
        assert_eq!(inflated, "<p>hi</p>");
        let plain = pages.get("/md/", false).unwrap();
        assert!(!plain.headers.iter().any(|(k, _)| *k == "Content-Encoding"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
