//! KMS's operations, one file per family.

pub mod aliases;
pub mod crypto;
pub mod grants;
pub mod keys;
pub mod policy;
pub mod rotation;
pub mod tags;
