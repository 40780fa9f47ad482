//! IAM and STS: accounts, users and roles with inline identity policies,
//! role trust policies, and AssumeRole sessions usable as callers.

pub mod actions;
pub mod api;
pub mod authz;
pub mod handle;
pub mod ops;
pub mod state;

pub use api::*;
pub use authz::unknown_account;
pub use ops::{check_account_name, policy_size};
pub use state::{Account, Iam, Identity, Role};
