//! Read-only panels (the world, the audit trail) are written as HTML text
//! and set with `inner_html`: a typed Leptos view per row costs its own
//! build and rebuild code, and these panels cost 40 KB of gzipped wasm that
//! way, against a 400 KB budget. Every piece of text from the world goes
//! through [`esc`], so a policy, a name or a scenario file cannot inject
//! markup. Controls (buttons, forms) stay Leptos views.

use std::fmt::Write;

/// Escapes text for HTML content and double-quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The first 8 characters of an id, or of the last segment of an ARN
/// (`arn:...:key/1234abcd-...` gives `1234abcd`): how panels name keys.
pub fn short_id(text: &str) -> &str {
    let id = text.rsplit('/').next().unwrap_or(text);
    id.get(..8).unwrap_or(id)
}

/// Bytes as lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// HTML being written. `text` escapes, `raw` does not (for markup this
/// module's callers write themselves).
#[derive(Default)]
pub struct Html(String);

impl Html {
    /// Empty.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends markup written by the caller.
    pub fn raw(&mut self, markup: &str) -> &mut Self {
        self.0.push_str(markup);
        self
    }

    /// Appends escaped text.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.0.push_str(&esc(text));
        self
    }

    /// Appends `<tag class="class">text</tag>` (no class attribute when
    /// `class` is empty), the text escaped.
    pub fn el(&mut self, tag: &str, class: &str, text: &str) -> &mut Self {
        if class.is_empty() {
            let _ = write!(self.0, "<{tag}>{}</{tag}>", esc(text));
        } else {
            let _ = write!(self.0, "<{tag} class=\"{class}\">{}</{tag}>", esc(text));
        }
        self
    }

    /// The markup.
    pub fn finish(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids_and_hex() {
        assert_eq!(
            short_id("arn:aws:kms:eu-west-1:1:key/1234abcd-12ab"),
            "1234abcd"
        );
        assert_eq!(short_id("1234abcd-12ab"), "1234abcd");
        assert_eq!(short_id("abc"), "abc");
        assert_eq!(hex(&[0, 171]), "00ab");
    }

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(
            esc(r#"<img src=x onerror="alert('1')">&"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;"
        );
        let mut h = Html::new();
        h.raw("<p>")
            .text("a<b")
            .el("code", "c", "\"x\"")
            .raw("</p>");
        assert_eq!(
            h.finish(),
            "<p>a&lt;b<code class=\"c\">&quot;x&quot;</code></p>"
        );
    }
}
