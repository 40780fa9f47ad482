//! The small part of Markdown narrations use: `**bold**`, `*emphasis*` and
//! `` `code` ``. Every span's text is a text node, so a scenario file
//! cannot inject markup.

use leptos::prelude::*;

/// One run of narration text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// Plain text.
    Text(String),
    /// `**bold**`.
    Bold(String),
    /// `*emphasis*`.
    Emphasis(String),
    /// `` `code` ``.
    Code(String),
}

/// The next marker at or after `from`: its position and text.
fn next_marker(text: &str, from: usize) -> Option<(usize, &'static str)> {
    let rest = &text[from..];
    let at = rest.find(['*', '`'])?;
    let marker = if rest[at..].starts_with('`') {
        "`"
    } else if rest[at..].starts_with("**") {
        "**"
    } else {
        "*"
    };
    Some((from + at, marker))
}

/// Where the span opened by `marker` at `open` closes, if it does: bold
/// and emphasis must hug their words (`*a*`, not `a * b *`), so a `*` in
/// `3 * 4` or a lone `**` stays text.
fn closing(text: &str, open: usize, marker: &str) -> Option<usize> {
    let inner = open + marker.len();
    let after = &text[inner..];
    if marker == "`" {
        return after.find(marker).map(|end| inner + end);
    }
    if after.is_empty() || after.starts_with(char::is_whitespace) {
        return None;
    }
    let mut search = 0;
    while let Some(end) = after[search..].find(marker) {
        let end = search + end;
        let longer = marker == "*" && after[end..].starts_with("**");
        if end > 0 && !after[..end].ends_with(char::is_whitespace) && !longer {
            return Some(inner + end);
        }
        search = end + if longer { 2 } else { marker.len() };
    }
    None
}

/// Splits narration into spans; unbalanced markers stay as text.
pub fn spans(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let (mut plain_from, mut at) = (0, 0);
    while let Some((open, marker)) = next_marker(text, at) {
        let Some(end) = closing(text, open, marker) else {
            at = open + marker.len();
            continue;
        };
        if open > plain_from {
            out.push(Span::Text(text[plain_from..open].to_string()));
        }
        let inner = text[open + marker.len()..end].to_string();
        out.push(match marker {
            "`" => Span::Code(inner),
            "**" => Span::Bold(inner),
            _ => Span::Emphasis(inner),
        });
        plain_from = end + marker.len();
        at = plain_from;
    }
    if plain_from < text.len() {
        out.push(Span::Text(text[plain_from..].to_string()));
    }
    out
}

/// Narration text with its spans as elements; text stays text.
#[component]
pub fn Narration(text: String) -> impl IntoView {
    spans(&text)
        .into_iter()
        .map(|span| match span {
            Span::Text(t) => t.into_any(),
            Span::Bold(t) => view! { <strong>{t}</strong> }.into_any(),
            Span::Emphasis(t) => view! { <em>{t}</em> }.into_any(),
            Span::Code(t) => view! { <code>{t}</code> }.into_any(),
        })
        .collect_view()
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
        assert_eq!(
            spans("one statement, *Enable IAM User Permissions*, giving `kms:*`."),
            vec![
                Span::Text("one statement, ".into()),
                Span::Emphasis("Enable IAM User Permissions".into()),
                Span::Text(", giving ".into()),
                Span::Code("kms:*".into()),
                Span::Text(".".into()),
            ]
        );
        assert_eq!(spans("3 * 4 * 5"), vec![Span::Text("3 * 4 * 5".into())]);
        assert_eq!(
            spans("a ** b **c**"),
            vec![Span::Text("a ** b ".into()), Span::Bold("c".into())],
            "an unbalanced marker does not stop the rest"
        );
        assert_eq!(spans("<script>"), vec![Span::Text("<script>".into())]);
    }
}
#[cfg(test)]
mod narrations {
    #[test]
    fn no_builtin_narration_shows_a_stray_marker() {
        for s in kms_core::scenario::builtin::all().unwrap() {
            let texts = s
                .steps
                .iter()
                .map(|st| st.narration.clone())
                .chain([s.summary.clone()]);
            for t in texts {
                for span in super::spans(&t) {
                    if let super::Span::Text(x) = span {
                        assert!(!x.contains('*') && !x.contains('`'), "{}: {x}", s.id);
                    }
                }
            }
        }
    }
}
