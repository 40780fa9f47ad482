//! How panels name keys and grants in little room.

/// The first 8 characters of an id, or of the last segment of an ARN
/// (`arn:...:key/1234abcd-...` gives `1234abcd`): how panels name keys.
pub fn short_id(text: &str) -> &str {
    let id = text.rsplit('/').next().unwrap_or(text);
    id.get(..8).unwrap_or(id)
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
}
