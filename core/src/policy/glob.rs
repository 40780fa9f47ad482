//! IAM wildcards: `*` matches any run of characters (also none), `?` any one
//! character. Actions compare case-insensitively, ARNs case-sensitively.

/// Whether `text` matches `pattern`; iterative, linear in practice, no
/// recursion, so hostile patterns cannot exhaust the stack.
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p: alloc::vec::Vec<char> = pattern.chars().collect();
    let t: alloc::vec::Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && eq(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
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
}
