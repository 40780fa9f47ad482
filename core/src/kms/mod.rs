//! AWS KMS: keys, aliases, grants, and the operations on them.
//!
//! - [`actions`]: the table of operations (key states, cross-account,
//!   grants, KeyId forms) from which requests and checks come;
//! - [`state`], [`key`], [`grants`]: what KMS holds;
//! - [`call`]: finding, authorizing and state-checking the key a request
//!   names; [`authz`]: the question asked for each access;
//! - [`ops`]: the operations; [`clock`] and [`timer`]: deletions and rotations.

pub mod actions;
pub mod api;
pub mod authz;
pub mod call;
pub mod clock;
pub mod envelope;
pub mod grants;
pub mod handle;
pub mod integrity;
pub mod key;
pub mod ops;
pub mod policy_diff;
pub mod policy_text;
pub mod spec;
pub mod state;
pub mod timer;
pub mod validate;

pub use ops::crypto::{CIPHERTEXT_KEY_INACCESSIBLE, MAX_PLAINTEXT, MAX_RANDOM_BYTES};
pub use state::{Alias, AliasKey, DeletedKey, KeyGrants, Kms};
