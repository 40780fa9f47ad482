//! Amazon RDS / Aurora on top of KMS, with really encrypted rows.
//!
//! A cluster keeps its data key encrypted under its KMS key (context
//! `{"aws:rds:db-id": <resource id>}`) and the plaintext data key only in the
//! running cluster's memory. Every few minutes RDS re-validates the key by
//! decrypting the stored data key through the cluster's grant, as the RDS
//! service principal. Two failed checks in a row (5 to 10 minutes after the
//! key became unusable) make the cluster
//! `inaccessible-encryption-credentials-recoverable` and drop the data key;
//! once the key is usable again RDS recovers by itself (`starting`, then
//! `available`); after 7 days, or when the key is deleted, the cluster is
//! `inaccessible-encryption-credentials` for good.

pub mod actions;
pub mod api;
pub mod call;
pub mod encryption;
pub mod handle;
pub mod health;
pub mod ops;
pub mod sql;
pub mod state;
pub mod timer;

pub use state::*;
