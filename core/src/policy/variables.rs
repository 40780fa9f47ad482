//! Policy variables: `${aws:PrincipalAccount}` in a resource or a string or
//! ARN condition value of a `2012-10-17` policy is replaced, when a request
//! is evaluated, by that key's value in the request ("IAM policy elements:
//! Variables and tags"). A `2008-10-17` policy keeps the text as written.

use super::context::RequestContext;
use alloc::string::String;

/// `template` with each variable replaced from `context`: `${key}` by the
/// key's single value, `${key, 'default'}` by the default where the request
/// has no single value (`''` writes a quote), `${*}`, `${?}` and `${$}` by
/// that character (which a wildcard pattern still reads as a wildcard: the
/// simulator's matcher has no escape). `None` when a variable cannot be
/// resolved: the value then matches nothing, as AWS leaves such a statement
/// without effect.
pub fn resolve(template: &str, context: &RequestContext) -> Option<String> {
    let mut out = String::with_capacity(template.len());
    for part in parts(template) {
        match part? {
            Part::Text(text) => out.push_str(text),
            Part::Variable(c @ ("*" | "?" | "$")) => out.push_str(c),
            Part::Variable(spec) => {
                let (key, default) = match spec.split_once(',') {
                    Some((key, default)) => (key.trim(), Some(quoted(default.trim())?)),
                    None => (spec, None),
                };
                let single = context.get(key).and_then(|v| {
                    let mut values = v.iter();
                    let first = values.next()?;
                    values.next().is_none().then_some(first)
                });
                match (single, default) {
                    (Some(value), _) => out.push_str(value),
                    (None, Some(default)) => out.push_str(&default),
                    (None, None) => return None,
                }
            }
        }
    }
    Some(out)
}

/// The condition keys `template`'s variables read (`aws:username` of
/// `${aws:username, 'x'}`), for the workbench's advisor.
pub fn keys(template: &str) -> impl Iterator<Item = &str> {
    parts(template).filter_map(|part| match part? {
        Part::Variable("*" | "?" | "$") | Part::Text(_) => None,
        Part::Variable(spec) => Some(spec.split_once(',').map_or(spec, |(key, _)| key.trim())),
    })
}

/// A piece of a template: text as written, or a variable's inside, trimmed.
enum Part<'a> {
    Text(&'a str),
    Variable(&'a str),
}

/// `template` in pieces, in order; `None` for a `${` never closed.
fn parts(template: &str) -> impl Iterator<Item = Option<Part<'_>>> {
    let mut rest = Some(template);
    let mut pending: Option<&str> = None;
    core::iter::from_fn(move || {
        if let Some(variable) = pending.take() {
            return Some(Some(Part::Variable(variable)));
        }
        let text = rest.take()?;
        let Some(start) = text.find("${") else {
            return (!text.is_empty()).then_some(Some(Part::Text(text)));
        };
        let after = &text[start + 2..];
        let Some(end) = after.find('}') else {
            return Some(None);
        };
        pending = Some(after[..end].trim());
        rest = Some(&after[end + 1..]);
        Some(Some(Part::Text(&text[..start])))
    })
}

/// A default value: `'text'`, where `''` stands for one quote.
fn quoted(text: &str) -> Option<String> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    Some(inner.replace("''", "'"))
}

#[cfg(test)]
mod tests {
    use super::resolve;
    use crate::policy::context::RequestContext;

    #[test]
    fn variables_take_the_request_s_values_or_their_default() {
        let mut context = RequestContext::default();
        context.set("aws:PrincipalAccount", "111122223333");
        let r = |t: &str| resolve(t, &context);
        assert_eq!(
            r("arn:aws:kms:*:${aws:PrincipalAccount}:key/*").as_deref(),
            Some("arn:aws:kms:*:111122223333:key/*")
        );
        assert_eq!(
            r("${AWS:principalaccount}").as_deref(),
            Some("111122223333")
        );
        assert_eq!(r("${aws:username}"), None, "no such key, no default");
        assert_eq!(r("${aws:username, 'nobody'}").as_deref(), Some("nobody"));
        assert_eq!(r("${ aws:username , 'it''s' }").as_deref(), Some("it's"));
        assert_eq!(r("a${$}b${*}").as_deref(), Some("a$b*"));
        assert_eq!(r("${unterminated"), None);
        assert_eq!(r("plain").as_deref(), Some("plain"));
        assert_eq!(r("").as_deref(), Some(""));
    }

    #[test]
    fn keys_are_what_a_template_s_variables_read() {
        let keys: alloc::vec::Vec<&str> =
            super::keys("${aws:username}-${*}-${ aws:PrincipalTag/team , 'x'}-${$}").collect();
        assert_eq!(keys, ["aws:username", "aws:PrincipalTag/team"]);
        assert_eq!(super::keys("${unterminated").count(), 0);
    }
}
