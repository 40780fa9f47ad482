//! Amazon EBS (through the EC2 API): encrypted volumes.
//!
//! `CreateVolume` with `Encrypted` uses the key named by `KmsKeyId`, or the
//! account's AWS managed key `aws/ebs`. As the caller, through EC2 (so the
//! key policy sees `kms:ViaService` = `ec2.<region>.amazonaws.com`), EBS
//! describes the key, refuses an asymmetric one ("Amazon EBS does not
//! support asymmetric KMS keys"), creates a grant for the volume's life and
//! generates the volume's data key without plaintext, bound to the
//! encryption context `{"aws:ebs:id": <volume id>}`. Every call is an
//! audited request. AWS checks the key asynchronously (a volume can appear
//! created, then fail); the simulator answers at once, with the error.

pub mod actions;
pub mod api;
pub mod handle;
pub mod ops;
pub mod state;

pub use api::*;
pub use state::*;
