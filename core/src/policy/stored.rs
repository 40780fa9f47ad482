//! A policy as its owner keeps it: its name, the text as the author wrote
//! it, and the parsed document. Shared (`Arc`) between its owner and every
//! decision that considered it, so a decision copies no policy.

use super::document::{PolicyDocument, PolicyKind};
use crate::error::KmsError;
use alloc::string::String;

/// A named policy document as written, with its parsed form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPolicy {
    /// `default` for a key policy, the policy name for an inline identity
    /// policy, `trust` for a role's trust policy.
    pub name: String,
    /// The JSON text, as the author wrote it.
    pub text: String,
    /// The parsed document.
    pub document: PolicyDocument,
}

impl StoredPolicy {
    /// Parses `text` as a policy of `kind` named `name`.
    pub fn parse(name: &str, text: &str, kind: PolicyKind) -> Result<Self, KmsError> {
        Ok(Self {
            name: name.into(),
            text: text.into(),
            document: PolicyDocument::parse(text, kind)?,
        })
    }
}
