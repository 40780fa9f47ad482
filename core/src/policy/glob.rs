//! IAM wildcards: `*` matches any run of characters (also none), `?` any one
//! character. Actions compare case-insensitively, ARNs case-sensitively.

/// A pattern's shape, worked out once when its policy is parsed, so that
/// matching the common shapes (`kms:Decrypt`, `kms:Create*`, `*`) is one
/// comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// No wildcard: the whole text.
    Exact,
    /// `prefix*`: a start.
    Prefix,
    /// `*`: anything.
    Any,
    /// Anything else: [`matches`].
    General,
    /// A value of a `2012-10-17` policy holding a policy variable: matched
    /// once the request's values are put in ([`super::variables`]); on its
    /// own it matches nothing.
    Template,
}

impl Shape {
    /// The shape of `pattern`.
    pub fn of(pattern: &str) -> Shape {
        match (pattern.find('*'), pattern.contains('?')) {
            (None, false) => Shape::Exact,
            (Some(i), false) if i + 1 == pattern.len() => {
                if i == 0 {
                    Shape::Any
                } else {
                    Shape::Prefix
                }
            }
            _ => Shape::General,
        }
    }

    /// Whether `text` matches `pattern`, whose shape this is.
    pub fn matches(self, pattern: &str, text: &str, ignore_case: bool) -> bool {
        let same = |a: &str, b: &str| {
            if ignore_case {
                a.eq_ignore_ascii_case(b)
            } else {
                a == b
            }
        };
        match self {
            Shape::Exact => same(pattern, text),
            Shape::Any => true,
            Shape::Prefix => {
                let head = &pattern[..pattern.len() - 1];
                text.get(..head.len()).is_some_and(|t| same(head, t))
            }
            Shape::General => matches(pattern, text, ignore_case),
            Shape::Template => false,
        }
    }
}

/// Whether `text` matches `pattern`, in time linear in both for patterns
/// without `?` (and `O(len(text) · len(segment))` for a segment holding
/// `?`), without recursion and without allocating.
///
/// The pattern is cut at its stars into segments. The first segment must
/// start the text, the last must end it, and each one between is matched at
/// its leftmost place after the previous one: with only `*` between
/// segments, the leftmost place is never worse than any later one, so no
/// backtracking is needed. `?` matches one whole UTF-8 character.
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let Some(first) = pattern.find('*') else {
        // No star: the whole text, character by character.
        return strip_segment(text, pattern, ignore_case).is_some_and(str::is_empty);
    };
    let last = pattern.rfind('*').unwrap_or(first);
    let (head, tail) = (&pattern[..first], &pattern[last + 1..]);
    let Some(mut rest) = strip_segment(text, head, ignore_case) else {
        return false;
    };
    for segment in pattern[first + 1..last.max(first + 1)]
        .split('*')
        .filter(|s| !s.is_empty())
    {
        match find_segment(rest, segment, ignore_case) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    ends_with_segment(rest, tail, ignore_case)
}

fn byte_eq(a: u8, b: u8, ignore_case: bool) -> bool {
    if ignore_case {
        a.eq_ignore_ascii_case(&b)
    } else {
        a == b
    }
}

/// If `text` starts with `segment` (with `?` as any one character), what
/// follows it.
fn strip_segment<'a>(text: &'a str, segment: &str, ignore_case: bool) -> Option<&'a str> {
    if !segment.contains('?') {
        let head = text.get(..segment.len())?;
        let same = head
            .bytes()
            .zip(segment.bytes())
            .all(|(a, b)| byte_eq(a, b, ignore_case));
        return same.then(|| &text[segment.len()..]);
    }
    let mut chars = text.char_indices();
    for p in segment.chars() {
        let (_, c) = chars.next()?;
        let same = p == '?'
            || c == p
            || (ignore_case && c.is_ascii() && p.is_ascii() && c.eq_ignore_ascii_case(&p));
        if !same {
            return None;
        }
    }
    Some(chars.as_str())
}

/// What follows the leftmost occurrence of `segment` in `text`.
fn find_segment<'a>(text: &'a str, segment: &str, ignore_case: bool) -> Option<&'a str> {
    if !ignore_case && !segment.contains('?') {
        // Two-way string search: linear.
        return text.find(segment).map(|at| &text[at + segment.len()..]);
    }
    text.char_indices()
        .find_map(|(at, _)| strip_segment(&text[at..], segment, ignore_case))
}

/// Whether `text` ends with `segment` (with `?` as any one character).
fn ends_with_segment(text: &str, segment: &str, ignore_case: bool) -> bool {
    if !segment.contains('?') {
        return text.len() >= segment.len()
            && text.is_char_boundary(text.len() - segment.len())
            && strip_segment(&text[text.len() - segment.len()..], segment, ignore_case).is_some();
    }
    // `?` is one character of any width: count characters from the end.
    let n = segment.chars().count();
    match text.char_indices().rev().nth(n.wrapping_sub(1)) {
        Some((at, _)) if n > 0 => {
            strip_segment(&text[at..], segment, ignore_case).is_some_and(str::is_empty)
        }
        _ => n == 0 && segment.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn wildcards() {
        assert!(matches("kms:Create*", "kms:CreateGrant", false));
        assert!(matches("kms:*", "kms:Decrypt", false));
        assert!(matches("kms:ReEncrypt*", "kms:ReEncryptFrom", false));
        assert!(!matches("kms:Create*", "kms:Decrypt", false));
        assert!(matches("kms:?ecrypt", "kms:Decrypt", false));
        assert!(matches("KMS:DECRYPT", "kms:Decrypt", true));
        assert!(!matches("KMS:DECRYPT", "kms:Decrypt", false));
        assert!(matches("*", "", false));
        assert!(matches("a*b*c", "aXXbYYc", false));
        assert!(!matches("a*b*c", "aXXbYY", false));
        assert!(matches(
            "arn:aws:kms:*:111122223333:key/*",
            "arn:aws:kms:eu-west-1:111122223333:key/k",
            false
        ));
    }

    #[test]
    fn edge_cases() {
        assert!(matches("", "", false));
        assert!(!matches("", "a", false));
        assert!(!matches("a", "", false));
        assert!(matches("**", "abc", false));
        assert!(matches("a*", "a", false));
        assert!(matches("*a", "a", false));
        assert!(!matches("ab*ba", "aba", false), "segments may not overlap");
        assert!(matches("ab*ba", "abba", false));
        assert!(matches("?", "é", false), "? is one whole character");
        assert!(!matches("??", "é", false));
        assert!(matches("*?", "é", false));
        assert!(matches("*é", "aé", false));
        assert!(matches("a*?c", "abc", false));
        assert!(!matches("a*?c", "ac", false));
        assert!(matches("x*y?z", "x--y-z", false));
        assert!(matches("*B*", "abc", true));
        assert!(!matches("*B*", "abc", false));
    }

    /// The brute force definition, for comparison.
    fn reference(p: &[char], t: &[char], ignore_case: bool) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some('*'), _) => {
                reference(&p[1..], t, ignore_case)
                    || (!t.is_empty() && reference(p, &t[1..], ignore_case))
            }
            (Some('?'), Some(_)) => reference(&p[1..], &t[1..], ignore_case),
            (Some(a), Some(b)) => {
                (a == b || (ignore_case && a.eq_ignore_ascii_case(b)))
                    && reference(&p[1..], &t[1..], ignore_case)
            }
            _ => false,
        }
    }

    #[test]
    fn agrees_with_the_definition() {
        let alphabet = ['a', 'b', 'A', 'é', '*', '?'];
        let mut n = 0u32;
        // Every pattern and text of up to 4 characters over a small alphabet.
        let words = |max: usize, with_wild: bool| {
            let letters: alloc::vec::Vec<char> = alphabet
                .iter()
                .copied()
                .filter(|c| with_wild || !matches!(c, '*' | '?'))
                .collect();
            let mut all = alloc::vec![alloc::string::String::new()];
            let mut frontier = all.clone();
            for _ in 0..max {
                let next: alloc::vec::Vec<_> = frontier
                    .iter()
                    .flat_map(|w| letters.iter().map(move |c| alloc::format!("{w}{c}")))
                    .collect();
                all.extend(next.iter().cloned());
                frontier = next;
            }
            all
        };
        for p in words(4, true) {
            let pc: alloc::vec::Vec<char> = p.chars().collect();
            for t in words(3, false) {
                let tc: alloc::vec::Vec<char> = t.chars().collect();
                for ignore_case in [false, true] {
                    assert_eq!(
                        matches(&p, &t, ignore_case),
                        reference(&pc, &tc, ignore_case),
                        "{p:?} vs {t:?} ({ignore_case})"
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 10_000);
    }

    #[test]
    fn shapes_agree_with_the_general_matcher() {
        use super::Shape;
        for pattern in [
            "kms:Decrypt",
            "kms:Create*",
            "*",
            "a*b",
            "a?",
            "",
            "*x",
            "A*",
        ] {
            for text in [
                "kms:Decrypt",
                "KMS:createGrant",
                "kms:CreateKey",
                "ab",
                "a",
                "",
                "xx",
            ] {
                for ignore_case in [false, true] {
                    assert_eq!(
                        Shape::of(pattern).matches(pattern, text, ignore_case),
                        matches(pattern, text, ignore_case),
                        "{pattern:?} {text:?} {ignore_case}"
                    );
                }
            }
        }
        assert_eq!(Shape::of("kms:Create*"), Shape::Prefix);
        assert_eq!(Shape::of("*"), Shape::Any);
        assert_eq!(Shape::of("kms:?ecrypt"), Shape::General);
    }
}
