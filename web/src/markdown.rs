//! The small part of Markdown narrations use: `**bold**` and `` `code` ``.
//! Every span's text is escaped, so a scenario file cannot inject markup.

use crate::html::Html;

/// One run of narration text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// Plain text.
    Text(String),
    /// `**bold**`.
    Bold(String),
    /// `` `code` ``.
    Code(String),
}

/// Splits narration into spans; unbalanced markers stay as text.
pub fn spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let bold = rest.find("**");
        let code = rest.find('`');
        let (at, marker) = match (bold, code) {
            (Some(b), Some(c)) if c < b => (c, "`"),
            (Some(b), _) => (b, "**"),
            (None, Some(c)) => (c, "`"),
            (None, None) => break,
        };
        let after = &rest[at + marker.len()..];
        let Some(end) = after.find(marker) else { break };
        if at > 0 {
            out.push(Span::Text(rest[..at].to_string()));
        }
        let inner = after[..end].to_string();
        out.push(if marker == "`" {
            Span::Code(inner)
        } else {
            Span::Bold(inner)
        });
        rest = &after[end + marker.len()..];
    }
    if !rest.is_empty() {
        out.push(Span::Text(rest.to_string()));
    }
    out
}

/// Narration as inline HTML, every span escaped.
pub fn narration_html(h: &mut Html, text: &str) {
    for span in spans(text) {
        match span {
            Span::Text(t) => h.text(&t),
            Span::Bold(t) => h.el("strong", "", &t),
            Span::Code(t) => h.el("code", "", &t),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_bold_and_code() {
        assert_eq!(
            spans("A **KMS key** uses `AES-256-GCM`."),
            vec![
                Span::Text("A ".into()),
                Span::Bold("KMS key".into()),
                Span::Text(" uses ".into()),
                Span::Code("AES-256-GCM".into()),
                Span::Text(".".into()),
            ]
        );
        assert_eq!(spans("a ** b"), vec![Span::Text("a ** b".into())]);
        assert_eq!(spans("<script>"), vec![Span::Text("<script>".into())]);
        let mut h = Html::new();
        narration_html(&mut h, "**<b>** and `<i>`");
        assert_eq!(
            h.finish(),
            "<strong>&lt;b&gt;</strong> and <code>&lt;i&gt;</code>"
        );
    }
}
