//! Identifiers: account ids, Regions, key ids, alias names and ARNs, and the
//! four forms a `KeyId` parameter accepts.

use crate::error::{KmsError, validation};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use core::fmt;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A 12-digit AWS account id (shared text: cloning it copies nothing).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId(Arc<str>);

impl AccountId {
    /// Parses a 12-digit account id.
    pub fn parse(text: &str) -> Result<Self, KmsError> {
        if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(text.into()))
        } else {
            Err(validation(
                "accountId",
                text,
                "Member must be a 12-digit account id",
            ))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id as shared text.
    pub fn as_arc(&self) -> Arc<str> {
        self.0.clone()
    }

    /// The account's root principal ARN, `arn:aws:iam::<id>:root`.
    pub fn root_arn(&self) -> String {
        format!("arn:aws:iam::{}:root", self.0)
    }
}

impl TryFrom<String> for AccountId {
    type Error = KmsError;
    fn try_from(value: String) -> Result<Self, KmsError> {
        Self::parse(&value)
    }
}

impl From<AccountId> for String {
    fn from(id: AccountId) -> String {
        String::from(&*id.0)
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An AWS Region name such as `us-east-1` (shared text).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Region(Arc<str>);

impl Default for Region {
    /// The Region a world's callers are in unless a scenario names another
    /// (the playground's stories are set in Ireland).
    fn default() -> Self {
        Self("eu-west-1".into())
    }
}

impl Region {
    /// Parses a Region name: lowercase letters and digits in dash-separated
    /// parts ending with a number, as in `eu-west-3` or `us-gov-west-1`.
    pub fn parse(text: &str) -> Result<Self, KmsError> {
        let parts: alloc::vec::Vec<&str> = text.split('-').collect();
        let well_formed = parts.len() >= 3
            && parts.iter().all(|p| !p.is_empty())
            && parts[..parts.len() - 1]
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_lowercase()))
            && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
            && text.len() <= 25;
        if well_formed {
            Ok(Self(text.into()))
        } else {
            Err(validation(
                "region",
                text,
                "Member must be a Region name such as us-east-1",
            ))
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Region {
    type Error = KmsError;
    fn try_from(value: String) -> Result<Self, KmsError> {
        Self::parse(&value)
    }
}

impl From<Region> for String {
    fn from(r: Region) -> String {
        String::from(&*r.0)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A KMS key id: a UUID in its canonical 8-4-4-4-12 lowercase hex form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyId(Uuid);

impl KeyId {
    /// A key id from 16 random bytes, made a version-4 UUID.
    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }

    /// The 16 bytes of the UUID (as stored in ciphertext blobs).
    pub fn to_bytes(self) -> [u8; 16] {
        *self.0.as_bytes()
    }

    /// The key id stored in a blob.
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        Self(Uuid::from_bytes(bytes))
    }

    /// Parses the canonical UUID text form (lowercase, hyphenated).
    pub fn parse(text: &str) -> Option<Self> {
        let canonical = text.len() == 36 && !text.bytes().any(|b| b.is_ascii_uppercase());
        canonical
            .then(|| Uuid::try_parse(text).ok())
            .flatten()
            .map(Self)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl Serialize for KeyId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeyId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        KeyId::parse(&text)
            .ok_or_else(|| serde::de::Error::custom("not a key id (a lowercase UUID)"))
    }
}

/// The ARN of a KMS key.
pub fn key_arn(region: &Region, account: &AccountId, key: KeyId) -> String {
    format!("arn:aws:kms:{region}:{account}:key/{key}")
}

/// The ARN of a KMS alias.
pub fn alias_arn(region: &Region, account: &AccountId, alias: &AliasName) -> String {
    format!("arn:aws:kms:{region}:{account}:{}", alias.as_str())
}

/// The prefix reserved for the aliases of AWS managed keys.
pub const AWS_ALIAS_PREFIX: &str = "alias/aws/";

/// A valid alias name: `alias/` followed by letters, digits, `/`, `_` or `-`,
/// at most 256 characters in all.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AliasName(String);

impl AliasName {
    /// Checks AWS's alias name rules.
    pub fn parse(text: &str) -> Result<Self, KmsError> {
        if !text.starts_with("alias/") {
            return Err(KmsError::ValidationException(
                "Alias must start with the prefix \"alias/\". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html"
                    .into(),
            ));
        }
        if text.len() > 256 {
            return Err(validation(
                "aliasName",
                text,
                "Member must have length less than or equal to 256",
            ));
        }
        let body = &text["alias/".len()..];
        if body.is_empty()
            || !body
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'_' | b'-'))
        {
            return Err(KmsError::ValidationException(format!(
                "{text} contains invalid characters for an alias"
            )));
        }
        Ok(Self(text.to_string()))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the name is in the `alias/aws/` namespace of AWS managed keys.
    pub fn is_aws_reserved(&self) -> bool {
        self.0.starts_with(AWS_ALIAS_PREFIX)
    }
}

impl TryFrom<String> for AliasName {
    type Error = KmsError;
    fn try_from(value: String) -> Result<Self, KmsError> {
        Self::parse(&value)
    }
}

impl From<AliasName> for String {
    fn from(a: AliasName) -> String {
        a.0
    }
}

impl fmt::Display for AliasName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a `KeyId` parameter names, before looking anything up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyReference {
    /// A bare key id: the caller's account, the request's Region.
    KeyId(KeyId),
    /// A key ARN: an explicit account and Region.
    KeyArn {
        /// The Region in the ARN.
        region: Region,
        /// The account in the ARN.
        account: AccountId,
        /// The key id in the ARN.
        key: KeyId,
    },
    /// An alias name: the caller's account, the request's Region.
    AliasName(AliasName),
    /// An alias ARN: an explicit account and Region.
    AliasArn {
        /// The Region in the ARN.
        region: Region,
        /// The account in the ARN.
        account: AccountId,
        /// The alias.
        alias: AliasName,
    },
}

impl KeyReference {
    /// Parses any of the four accepted forms. Anything else is AWS's
    /// `NotFoundException: Invalid keyId <text>`.
    pub fn parse(text: &str) -> Result<Self, KmsError> {
        let invalid = || KmsError::NotFoundException(format!("Invalid keyId {text}"));
        if text.is_empty() || text.len() > 2048 {
            return Err(validation(
                "keyId",
                text,
                "Member must have length between 1 and 2048",
            ));
        }
        if let Some(key) = KeyId::parse(text) {
            return Ok(Self::KeyId(key));
        }
        if text.starts_with("alias/") {
            return AliasName::parse(text)
                .map(Self::AliasName)
                .map_err(|_| invalid());
        }
        let Some(rest) = text.strip_prefix("arn:aws:kms:") else {
            return Err(invalid());
        };
        let mut parts = rest.splitn(3, ':');
        let (Some(region), Some(account), Some(resource)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let region = Region::parse(region).map_err(|_| invalid())?;
        let account = AccountId::parse(account).map_err(|_| invalid())?;
        if let Some(key) = resource.strip_prefix("key/") {
            let key = KeyId::parse(key).ok_or_else(invalid)?;
            Ok(Self::KeyArn {
                region,
                account,
                key,
            })
        } else if resource.starts_with("alias/") {
            let alias = AliasName::parse(resource).map_err(|_| invalid())?;
            Ok(Self::AliasArn {
                region,
                account,
                alias,
            })
        } else {
            Err(invalid())
        }
    }

    /// Whether this form names the key through an alias.
    pub fn is_alias(&self) -> bool {
        matches!(self, Self::AliasName(_) | Self::AliasArn { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "1234abcd-12ab-34cd-56ef-1234567890ab";

    #[test]
    fn key_id_text_round_trips() {
        let key = KeyId::parse(ID).unwrap();
        assert_eq!(key.to_string(), ID);
        assert_eq!(KeyId::parse("1234ABCD-12ab-34cd-56ef-1234567890ab"), None);
        assert_eq!(KeyId::parse("1234abcd-12ab-34cd-56ef-1234567890a"), None);
        let random = KeyId::from_random([0xff; 16]).to_string();
        assert_eq!(&random[14..15], "4", "version-4 UUID");
    }

    #[test]
    fn the_four_key_id_forms() {
        assert!(matches!(
            KeyReference::parse(ID),
            Ok(KeyReference::KeyId(_))
        ));
        assert!(matches!(
            KeyReference::parse(&format!("arn:aws:kms:eu-west-1:111122223333:key/{ID}")),
            Ok(KeyReference::KeyArn { .. })
        ));
        assert!(matches!(
            KeyReference::parse("alias/app-db"),
            Ok(KeyReference::AliasName(_))
        ));
        assert!(matches!(
            KeyReference::parse("arn:aws:kms:eu-west-1:111122223333:alias/app-db"),
            Ok(KeyReference::AliasArn { .. })
        ));
        for bad in [
            "nope",
            "arn:aws:kms:eu-west-1:1111:key/x",
            "arn:aws:s3:::bucket",
            "alias/",
        ] {
            let err = KeyReference::parse(bad).unwrap_err();
            assert_eq!(err.name(), "NotFoundException", "{bad}");
        }
        assert_eq!(
            KeyReference::parse("").unwrap_err().name(),
            "ValidationException"
        );
    }

    #[test]
    fn alias_name_rules() {
        assert!(AliasName::parse("alias/app-db").is_ok());
        assert!(AliasName::parse("alias/aws/rds").unwrap().is_aws_reserved());
        assert_eq!(
            AliasName::parse("app-db").unwrap_err().name(),
            "ValidationException"
        );
        assert!(
            AliasName::parse("alias/Service:Test")
                .unwrap_err()
                .message()
                .contains("invalid characters")
        );
    }

    #[test]
    fn account_and_region_validation() {
        assert!(AccountId::parse("111122223333").is_ok());
        assert!(AccountId::parse("11112222333").is_err());
        assert!(Region::parse("us-east-1").is_ok());
        assert!(Region::parse("us-gov-west-1").is_ok());
        assert!(Region::parse("US-east-1").is_err());
        assert!(Region::parse("useast1").is_err());
    }
}
