//! Rules of the view's source that the compiler cannot see.
//!
//! No computed `class`: yew turns `class={…}` into its `Classes` type, an
//! `IndexSet` that splits and hashes the words, and that one type cost the
//! page 2 856 gzip bytes (release build, 299 537 -> 296 681). So classes are
//! literals and what varies is a `data-` attribute the stylesheet selects on
//! (`class="badge" data-status={…}`, `.badge[data-status=pass]`).

use std::fs;
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("src/ui is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_view_sets_no_computed_class() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui"), &mut files);
    assert!(files.len() > 10, "the view's files were found: {files:?}");
    let mut found = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            if line.contains("class={") || line.contains("classes!") {
                found.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "use a literal class and a data- attribute instead:\n{}", found.join("\n"));
}
