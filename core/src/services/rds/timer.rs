//! What RDS does by itself on the virtual clock.

use super::state::ResourceKey;

/// An RDS timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timer {
    /// A background check of a cluster's KMS key.
    Check(ResourceKey),
    /// The end of `starting`: the cluster answers again.
    Started(ResourceKey),
}
