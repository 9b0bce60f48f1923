//! `Authentication-Results` (RFC 8601 §2.2): the verdicts a receiver wrote.
//!
//! `authserv-id [version]; method=result [reason=…] ptype.property=value …; …`
//! with comments in parentheses anywhere. The reader is lenient: it keeps
//! what it understands and skips the rest, never fails.

/// One `Authentication-Results` field.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct AuthResults {
    /// Who wrote it (e.g. `mx.google.com`), lower case.
    pub authserv_id: String,
    pub results: Vec<AuthResult>,
}

/// One `method=result` with its properties.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct AuthResult {
    /// `spf`, `dkim`, `dmarc`, `arc`, `iprev`, `auth`, … lower case.
    pub method: String,
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`, … lower case.
    pub result: String,
    pub reason: Option<String>,
    /// `(ptype.property, value)`, e.g. `("smtp.mailfrom", "alice@example.com")`, names lower case.
    pub properties: Vec<(String, String)>,
    /// The comments, e.g. "google.com: domain of … designates 209.85.220.41 as permitted sender".
    pub comments: Vec<String>,
}

impl AuthResult {
    pub fn property(&self, name: &str) -> Option<&str> {
        self.properties.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn passed(&self) -> bool {
        self.result == "pass"
    }
}

impl AuthResults {
    pub fn parse(value: &str) -> AuthResults {
        let (text, comments) = strip_comments(value);
        let mut parts = split_outside_quotes(&text, ';');
        // Microsoft 365 / Outlook.com leave out the authserv-id: the first part is already `spf=pass …`.
        let first_is_result =
            parts.first().and_then(|(_, p)| p.split_whitespace().next()).is_some_and(|w| w.contains('='));
        let authserv_id = if first_is_result || parts.is_empty() {
            String::new()
        } else {
            let (_, id) = parts.remove(0);
            id.split_whitespace().next().map(str::to_ascii_lowercase).unwrap_or_default()
        };
        let mut results = Vec::new();
        for (start, part) in parts {
            if let Some(mut r) = parse_resinfo(&part) {
                // Comments belong to the resinfo they sit in.
                let range = start..=start + part.len();
                // A loop, not a filter/map chain collected: smaller in the wasm.
                for (at, c) in &comments {
                    if range.contains(at) {
                        r.comments.push(c.clone());
                    }
                }
                results.push(r);
            }
        }
        AuthResults { authserv_id, results }
    }

    /// The first result of `method` (`spf`, `dkim`, `dmarc`).
    pub fn result(&self, method: &str) -> Option<&AuthResult> {
        self.results.iter().find(|r| r.method == method)
    }

    /// Every result of `method` (several `dkim=` for several signatures).
    pub fn all<'a>(&'a self, method: &'a str) -> impl Iterator<Item = &'a AuthResult> + 'a {
        self.results.iter().filter(move |r| r.method == method)
    }
}

/// `method[/version]=result [reason=…] [ptype.property=value …]`.
fn parse_resinfo(part: &str) -> Option<AuthResult> {
    let words = split_outside_quotes(part.trim(), ' ');
    let mut words = words.iter().map(|(_, w)| w.trim()).filter(|w| !w.is_empty());
    let (method, result) = words.next()?.split_once('=')?;
    let method = method.split('/').next().unwrap_or(method).trim().to_ascii_lowercase();
    let mut r = AuthResult { method, result: unquote(result).to_ascii_lowercase(), ..AuthResult::default() };
    let mut pending: Option<String> = None;
    for w in words {
        // "smtp.mailfrom = x" with spaces: join a dangling name with its value.
        let w = match pending.take() {
            Some(p) => format!("{p}{w}"),
            None => w.to_string(),
        };
        match w.split_once('=') {
            Some((name, "")) => pending = Some(format!("{name}=")),
            Some((name, value)) if name.eq_ignore_ascii_case("reason") => r.reason = Some(unquote(value).to_string()),
            Some((name, value)) => r.properties.push((name.to_ascii_lowercase(), unquote(value).to_string())),
            None if w.ends_with('.') || w.contains('.') => pending = Some(w),
            None => {}
        }
    }
    Some(r)
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s)
}

/// Removes `( … )` comments (nested, RFC 5322 §3.2.2), keeping quoted strings
/// intact; returns the text and each comment with the offset where it was.
pub(crate) fn strip_comments(value: &str) -> (String, Vec<(usize, String)>) {
    let mut text = String::with_capacity(value.len());
    let mut comments = Vec::new();
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    let mut current = String::new();
    for c in value.chars() {
        if escaped {
            escaped = false;
            if depth > 0 {
                current.push(c)
            } else {
                text.push(c)
            }
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' if depth == 0 => {
                quoted = !quoted;
                text.push(c);
            }
            '(' if !quoted => {
                if depth > 0 {
                    current.push(c);
                }
                depth += 1;
            }
            ')' if !quoted && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    comments.push((text.len(), current.trim().to_string()));
                    current.clear();
                    text.push(' ');
                } else {
                    current.push(c);
                }
            }
            _ if depth > 0 => current.push(c),
            _ => text.push(c),
        }
    }
    (text, comments)
}

/// Splits on `sep` outside double quotes (a `' '` separator splits on any
/// whitespace); each piece with its byte offset in `text`.
pub(crate) fn split_outside_quotes(text: &str, sep: char) -> Vec<(usize, String)> {
    let mut out = vec![(0, String::new())];
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        let is_sep = if sep == ' ' { c.is_whitespace() } else { c == sep };
        if c == '"' {
            quoted = !quoted;
        }
        if is_sep && !quoted {
            out.push((i + c.len_utf8(), String::new()));
        } else if let Some((_, last)) = out.last_mut() {
            last.push(c);
        }
    }
    out
}
