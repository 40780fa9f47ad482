//! IAM wildcards: `*` matches any run of characters (also none), `?` any one
//! character. Actions compare case-insensitively, ARNs case-sensitively.

/// Whether `text` matches `pattern`. Iterative (no recursion, so hostile
/// patterns cannot exhaust the stack), allocation-free, and linear in
/// practice; `?` matches one whole UTF-8 character.
pub fn matches(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let eq = |a: u8, b: u8| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    // The length of the UTF-8 character starting at t[i].
    let char_len = |i: usize| 1 + t[i + 1..].iter().take_while(|&&b| b & 0xc0 == 0x80).count();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'?' {
            pi += 1;
            ti += char_len(ti);
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && eq(p[pi], t[ti]) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            let next = st + char_len(st);
            pi = sp + 1;
            ti = next;
            star = Some((sp, next));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
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
