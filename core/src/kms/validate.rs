//! Checks of KMS request parameters that several operations share, with
//! AWS's wording, and AWS's paging of list operations.

use super::api::{SYMMETRIC_DEFAULT, Tag};
use crate::error::{KmsError, validation};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The longest key description.
pub const MAX_DESCRIPTION: usize = 8192;
/// The most tags a key can have.
pub const MAX_TAGS: usize = 50;

/// Checks a key description's length.
pub fn check_description(description: &str) -> Result<(), KmsError> {
    if description.len() > MAX_DESCRIPTION {
        return Err(validation(
            "description",
            "…",
            "Member must have length less than or equal to 8192",
        ));
    }
    Ok(())
}

/// Checks tag keys and values.
pub fn check_tags(tags: &[Tag]) -> Result<(), KmsError> {
    for tag in tags {
        if tag.tag_key.is_empty() || tag.tag_key.len() > 128 {
            return Err(KmsError::TagException(format!(
                "Tag key '{}' must be 1 to 128 characters.",
                tag.tag_key
            )));
        }
        if tag.tag_value.len() > 256 {
            return Err(KmsError::TagException(format!(
                "The value of tag '{}' must be at most 256 characters.",
                tag.tag_key
            )));
        }
        if tag.tag_key.starts_with("aws:") {
            return Err(KmsError::TagException(format!(
                "Tag key '{}' uses the reserved prefix aws:.",
                tag.tag_key
            )));
        }
    }
    Ok(())
}

/// Checks optional grant tokens: at most 10, each 1 to 8192 characters.
pub fn check_grant_tokens(tokens: &Option<Vec<String>>) -> Result<(), KmsError> {
    let tokens = tokens.as_deref().unwrap_or_default();
    if tokens.len() > 10 {
        return Err(validation(
            "grantTokens",
            tokens.len(),
            "Member must have length less than or equal to 10",
        ));
    }
    if let Some(bad) = tokens.iter().find(|t| t.is_empty() || t.len() > 8192) {
        return Err(validation(
            "grantTokens",
            bad,
            "Member must have length between 1 and 8192",
        ));
    }
    Ok(())
}

/// Checks an encryption algorithm parameter of a symmetric key.
pub fn check_algorithm(field: &str, algorithm: &Option<String>) -> Result<(), KmsError> {
    match algorithm.as_deref() {
        None | Some(SYMMETRIC_DEFAULT) => Ok(()),
        Some(a @ ("RSAES_OAEP_SHA_1" | "RSAES_OAEP_SHA_256" | "SM2PKE")) => {
            Err(KmsError::InvalidKeyUsageException(format!(
                "{a} is an asymmetric algorithm; symmetric keys use only SYMMETRIC_DEFAULT."
            )))
        }
        Some(other) => Err(validation(
            field,
            other,
            "Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]",
        )),
    }
}

/// One page of `items`, with AWS's Limit/Marker/NextMarker/Truncated rules.
pub fn page<T>(
    items: Vec<T>,
    limit: Option<u32>,
    marker: Option<&str>,
    default: u32,
    max: u32,
) -> Result<(Vec<T>, Option<String>, bool), KmsError> {
    let limit = limit.unwrap_or(default);
    if limit == 0 || limit > max {
        return Err(validation(
            "limit",
            limit,
            &format!("Member must have value between 1 and {max}"),
        ));
    }
    let start = match marker {
        None => 0,
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|&s| s <= items.len())
            .ok_or_else(|| KmsError::InvalidMarkerException(format!("Invalid marker {m}")))?,
    };
    let end = start.saturating_add(limit as usize).min(items.len());
    let truncated = end < items.len();
    let page: Vec<T> = items.into_iter().skip(start).take(end - start).collect();
    Ok((page, truncated.then(|| end.to_string()), truncated))
}
