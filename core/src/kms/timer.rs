//! What KMS does by itself on the virtual clock.

use crate::ids::KeyId;

/// A KMS timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timer {
    /// The end of a key's waiting period.
    DeleteKey(KeyId),
    /// A scheduled automatic rotation.
    AutomaticRotation(KeyId),
    /// The end of an on-demand rotation.
    OnDemandRotation(KeyId),
}
