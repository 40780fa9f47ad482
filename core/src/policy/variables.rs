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
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        match after[..end].trim() {
            c @ ("*" | "?" | "$") => out.push_str(c),
            spec => {
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
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
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
    }
}
