//! How panels name keys and grants in little room.

/// The first 8 characters of an id, or of the last segment of an ARN
/// (`arn:...:key/1234abcd-...` gives `1234abcd`): how panels name keys.
pub fn short_id(text: &str) -> &str {
    let id = text.rsplit('/').next().unwrap_or(text);
    id.get(..8).unwrap_or(id)
}

/// A principal's name in its account and the account, read by the core
/// (`role/App`, `111122223333`), or nothing for a text that is no principal.
pub fn principal_parts(arn: &str) -> Option<(String, String)> {
    let p = kms_core::principal::Principal::parse(arn).ok()?;
    Some((p.name_in_account(), p.account()?.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_ids() {
        assert_eq!(
            short_id("arn:aws:kms:eu-west-1:1:key/1234abcd-12ab"),
            "1234abcd"
        );
        assert_eq!(short_id("1234abcd-12ab"), "1234abcd");
        assert_eq!(short_id("abc"), "abc");
        // Never cuts a character in two.
        assert_eq!(short_id("ééééééééé"), "éééé");
    }

    #[test]
    fn principals_by_name_and_account() {
        let parts = |arn| principal_parts(arn).unwrap();
        assert_eq!(
            parts("arn:aws:iam::111122223333:role/App"),
            ("role/App".into(), "111122223333".into())
        );
        assert_eq!(parts("arn:aws:iam::111122223333:root").0, "root");
        assert_eq!(principal_parts("rds.amazonaws.com"), None);
    }
}
